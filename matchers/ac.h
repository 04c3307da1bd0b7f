/*
 * ac.h - Aho-Corasick automaton over 32-bit symbols.
 *
 * The name index feeds it token ids (one symbol per word of a
 * normalised name), so a pattern is a listed name and the text is the
 * token stream of a remittance line or goods description; matching is
 * linear in the text whatever the number of names.  Symbols are opaque
 * uint32 values except AC_SYM_BREAK, which never occurs in a pattern
 * and so resets the automaton (unknown word).
 *
 * Life cycle: ac_builder_new(), ac_builder_add() per pattern, then
 * ac_compile() which consumes the builder.  A compiled ac is immutable
 * and may be scanned by any number of threads at once; scanning
 * allocates nothing.
 */
#ifndef INTERDICT_AC_H
#define INTERDICT_AC_H

#include <stddef.h>
#include <stdint.h>

#define AC_SYM_BREAK UINT32_MAX

typedef struct ac_builder ac_builder;
typedef struct ac ac;

/* NULL on ENOMEM. */
ac_builder *ac_builder_new(void);
/* Free a builder that was not compiled; accepts NULL. */
void ac_builder_free(ac_builder *b);
/* Add pattern sym[0..n) (n >= 1, no AC_SYM_BREAK) reporting value.
 * Duplicate patterns report every value.  0, -EINVAL or -ENOMEM. */
int ac_builder_add(ac_builder *b, const uint32_t *sym, size_t n,
		   uint32_t value);
/* Compile; the builder is freed in every case.  NULL on ENOMEM. */
ac *ac_compile(ac_builder *b);
void ac_free(ac *a);
size_t ac_memory(const ac *a);
/* Number of patterns added. */
size_t ac_patterns(const ac *a);

/*
 * Report every occurrence of every pattern in sym[0..n): cb(ctx,
 * value, start, len) with the pattern occupying sym[start..start+len).
 * A non-zero return from cb stops the scan and is returned.
 */
typedef int (*ac_match_cb)(void *ctx, uint32_t value, size_t start,
			   size_t len);
int ac_scan(const ac *a, const uint32_t *sym, size_t n, ac_match_cb cb,
	    void *ctx);

#endif
