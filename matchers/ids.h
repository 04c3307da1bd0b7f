/*
 * ids.h - identifiers: validation, canonical keys, and finding them
 * inside free text.
 *
 * Every function is pure (no state, no allocation) and thread safe.
 * Output buffers are NUL-terminated; IDS_KEY_MAX bytes always suffice.
 */
#ifndef INTERDICT_IDS_H
#define INTERDICT_IDS_H

#include <stddef.h>

#include "model.h"

#define IDS_KEY_MAX 128

/*
 * Validate s as an identifier of type t and write its canonical form:
 *   BIC        11 chars, upper case, an 8-char BIC gets "XXX" (head
 *              office); structure AAAA BB CC [DDD] with a real country
 *   IBAN       upper case, no spaces; country length and mod-97 checked
 *   IMO        7 digits ("IMO 9179842" accepted), check digit checked
 *   MMSI       9 digits
 *   INN        10 or 12 digits, check digits checked
 *   OGRN       13 (OGRN) or 15 (OGRNIP) digits, check digit checked
 *   KPP        9 chars, digits except positions 5-6
 *   LEI        20 chars, ISO 17442 mod-97 checked
 *   CRYPTO     ETH 0x+40 hex -> lower case; bech32 (bc1/ltc1/tb1) ->
 *              lower case; base58 (BTC 1/3, TRX T, LTC, XMR...) shape
 *              checked, case kept; other alphanumeric kept as is
 *   others     upper-case ASCII letters and digits only
 * Returns the key length, -EINVAL when s is not a valid identifier of
 * that type (bad shape or checksum), -ENOSPC when cap is too small.
 * On -EINVAL the caller may still use ids_key_raw().
 */
int ids_normalize(wl_id_type t, const char *s, size_t len, char *out,
		  size_t cap);

/*
 * The forgiving key: ASCII letters and digits only, upper-cased (for
 * CRYPTO the case is kept, except a "0x" address which is lowered).
 * A leading "IMO" is dropped for IMO.  Returns the length (0 when
 * nothing is left) or -ENOSPC.
 */
int ids_key_raw(wl_id_type t, const char *s, size_t len, char *out,
		size_t cap);

/*
 * The key indexes are built on and looked up with: the canonical form
 * when valid, else the raw key; for a BIC the 8-char institution key
 * so that a branch matches its institution.  Returns the length or
 * -EINVAL (nothing usable) / -ENOSPC.  *valid (may be NULL) tells
 * whether the checksum/shape held.
 */
int ids_match_key(wl_id_type t, const char *s, size_t len, char *out,
		  size_t cap, int *valid);

/* BIC institution key (first 8 chars, upper case) into out[9];
 * 8 or -EINVAL when s is not a structurally valid BIC. */
int ids_bic8(const char *s, size_t len, char out[9]);

/* Check-digit helpers on digit strings (1 valid, 0 not). */
int ids_imo_valid(const char *d7);
int ids_inn_valid(const char *d, size_t n);
int ids_ogrn_valid(const char *d, size_t n);
int ids_iban_valid(const char *s, size_t n);   /* canonical IBAN */
int ids_lei_valid(const char *s, size_t n);    /* canonical LEI */

/*
 * Find identifiers written inside free text (remittance information):
 *   IMO    "IMO 9179842", "IMO: 9179842" or a bare 7-digit number whose
 *          check digit holds
 *   IBAN   with or without group spaces, checksum valid
 *   BIC    after "BIC"/"SWIFT" (":", "code" allowed), or a standalone
 *          all-caps 8/11 token that is structurally a BIC with a real
 *          country code
 *   INN / OGRN / KPP after their keywords (Latin or Cyrillic), valid
 *   ETH 0x addresses, BTC bech32/base58 and TRX addresses (shape)
 * For each calls cb(ctx, type, key, key_len, off, len) with the key as
 * ids_match_key() makes it and the span in text.  Returns the count.
 */
typedef void (*ids_scan_cb)(void *ctx, wl_id_type t, const char *key,
			    size_t key_len, size_t off, size_t len);
int ids_scan_text(const char *text, size_t len, ids_scan_cb cb, void *ctx);

#endif
