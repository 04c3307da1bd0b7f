/*
 * goods.h - HS codes and the controlled-goods table (CHPL and in-house
 * lists).
 *
 * A goods_table is built once per list version from the wl_good lines
 * of any number of lists and is immutable afterwards: any thread may
 * look up without locks; lookups never allocate.
 */
#ifndef INTERDICT_GOODS_H
#define INTERDICT_GOODS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define GOODS_HS_MAX 10

/*
 * Digits of an HS code written any common way: "8542.31", "854231",
 * "8542310000", "8542 31 00", "8542.31.00.00", "HS 8542.31",
 * "HS code: 854231", "HTS 8542.31.0000".  out receives 2..10 digits
 * (NUL-terminated).  Returns the digit count or -EINVAL (no code, odd
 * punctuation, letters after the code, more than 10 digits).
 */
int goods_hs_digits(const char *s, size_t len, char out[GOODS_HS_MAX + 1]);

typedef struct goods_table goods_table;

typedef struct goods_match {
	const wl_good *good;  /* the listed line (tier, description) */
	uint16_t list;        /* index of the list in the build call */
	uint8_t partial;      /* 1: the code given is shorter than the
				 listed one (e.g. "8542" vs 854231): the
				 heading contains controlled goods */
} goods_match;

/* Compile the goods of n lists (lists[i] may have no goods).  NULL on
 * ENOMEM.  The lists must outlive the table (wl_good pointers). */
goods_table *goods_table_build(const wl_list *const *lists, size_t n);
/* Same from one array of goods (list index 0). */
goods_table *goods_table_build_goods(const wl_good *goods, size_t n);
void goods_table_free(goods_table *t);
size_t goods_table_size(const goods_table *t);

/*
 * Match an HS code (digits, as goods_hs_digits() makes them) against
 * the table: a listed code matches any code that starts with it (a
 * listed 6-digit CHPL code matches the 8- and 10-digit national codes
 * under it; a listed 4-digit heading matches all its subheadings).
 * The longest listed code wins.  When nothing listed is a prefix but
 * the code is a prefix of a listed one (a heading given where a
 * subheading is controlled), returns that with partial = 1.
 * Returns 1 with *m filled, or 0.
 */
int goods_lookup(const goods_table *t, const char *digits, size_t n,
		 goods_match *m);

/*
 * Find HS codes written in free text (goods descriptions, remittance):
 * a code after "HS", "HS code", "HTS", "H.S.", "tariff code",
 * "commodity code", "ТН ВЭД".  Bare numbers are not codes.  Calls
 * cb(ctx, digits, n, off, len) for each; returns the count.
 */
typedef void (*goods_scan_cb)(void *ctx, const char *digits, size_t n,
			      size_t off, size_t len);
int goods_scan_text(const char *text, size_t len, goods_scan_cb cb,
		    void *ctx);

#endif
