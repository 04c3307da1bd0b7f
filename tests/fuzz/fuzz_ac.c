/*
 * fuzz_ac.c - differential test of the Aho-Corasick automaton
 * (matchers/ac.c) against a naive matcher.
 *
 * Input layout: byte 0 = number of patterns (1..32); byte 1 = alphabet
 * (low 3 bits: 1..8 symbols, bit 7: spread symbols over the whole
 * 32-bit range); then per pattern a length byte (0..6; 0 must be
 * refused) and that many symbol bytes; the rest is the text.  Symbol
 * byte 0xFF is AC_SYM_BREAK (refused in a pattern, a reset in the
 * text).  A tiny alphabet makes overlapping patterns, shared prefixes,
 * duplicates and long failure chains common.
 *
 * Checks: ac_builder_add() accepts exactly the valid patterns;
 * ac_patterns() counts them; ac_scan() reports exactly the multiset of
 * (value, start, len) the naive matcher finds; a callback returning
 * non-zero stops the scan at once and its value is returned.
 * abort() on any mismatch.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ac.h"
#include "fuzz_util.h"

#define MAX_PAT 32
#define MAX_PLEN 6
#define MAX_TEXT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct match {
	uint32_t value;
	size_t start, len;
} match;

typedef struct hits {
	match *m;
	size_t n, cap;
	size_t stop_at; /* return 7 from the callback at this match (1-based) */
} hits;

static int add_hit(hits *h, uint32_t value, size_t start, size_t len)
{
	if (h->n == h->cap) {
		size_t nc = h->cap ? 2 * h->cap : 64;
		match *m = realloc(h->m, nc * sizeof(*m));

		if (!m)
			abort();
		h->m = m;
		h->cap = nc;
	}
	h->m[h->n++] = (match){ value, start, len };
	return 0;
}

static int on_match(void *ctx, uint32_t value, size_t start, size_t len)
{
	hits *h = ctx;

	add_hit(h, value, start, len);
	return h->stop_at && h->n == h->stop_at ? 7 : 0;
}

static int cmp_match(const void *a, const void *b)
{
	const match *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return 0;
}

static uint32_t sym_of(uint8_t b, unsigned k, int wide)
{
	if (b == 0xff)
		return AC_SYM_BREAK;
	if (wide) /* 0, 0x01010101, ..., 0xFEFEFEFE: high bits and collisions */
		return (uint32_t)(b % (k + 1)) * 0x01010101u * (1 + (b & 0xc0));
	return b % k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t pat[MAX_PAT][MAX_PLEN], text[MAX_TEXT];
	size_t plen[MAX_PAT], npat, nvalid = 0, pos = 2, ntext = 0;
	int valid[MAX_PAT], wide;
	hits got = { 0 }, want = { 0 };
	ac_builder *b;
	unsigned k;
	ac *a;
	int rc;

	if (size < 2)
		return 0;
	npat = 1 + data[0] % MAX_PAT;
	k = 1 + (data[1] & 7);
	wide = data[1] >> 7;
	b = ac_builder_new();
	if (!b)
		return 0;
	for (size_t p = 0; p < npat; p++) {
		plen[p] = pos < size ? data[pos++] % (MAX_PLEN + 1) : 1;
		valid[p] = plen[p] > 0;
		for (size_t i = 0; i < plen[p]; i++) {
			pat[p][i] = sym_of(pos < size ? data[pos++] : 0, k, wide);
			if (pat[p][i] == AC_SYM_BREAK)
				valid[p] = 0;
		}
		rc = ac_builder_add(b, pat[p], plen[p], (uint32_t)p);
		FUZZ_CHECK(rc == (valid[p] ? 0 : -EINVAL),
			   "pattern %zu (len %zu, valid %d): add returned %d",
			   p, plen[p], valid[p], rc);
		nvalid += valid[p] != 0;
	}
	while (pos < size && ntext < MAX_TEXT)
		text[ntext++] = sym_of(data[pos++], k, wide);

	a = ac_compile(b);
	if (!a)
		return 0;
	FUZZ_CHECK(ac_patterns(a) == nvalid, "ac_patterns %zu, added %zu",
		   ac_patterns(a), nvalid);
	(void)ac_memory(a);

	for (size_t p = 0; p < npat; p++) {
		if (!valid[p])
			continue;
		for (size_t s = 0; s + plen[p] <= ntext; s++)
			if (!memcmp(text + s, pat[p], plen[p] * sizeof(uint32_t)))
				add_hit(&want, (uint32_t)p, s, plen[p]);
	}
	rc = ac_scan(a, text, ntext, on_match, &got);
	FUZZ_CHECK(rc == 0, "ac_scan returned %d", rc);
	FUZZ_CHECK(got.n == want.n, "ac_scan found %zu matches, naive %zu",
		   got.n, want.n);
	for (size_t i = 0; i < got.n; i++)
		FUZZ_CHECK(got.m[i].start + got.m[i].len <= ntext &&
				   got.m[i].value < npat &&
				   got.m[i].len == plen[got.m[i].value],
			   "match %zu: value %u start %zu len %zu", i,
			   got.m[i].value, got.m[i].start, got.m[i].len);
	if (got.n) {
		qsort(got.m, got.n, sizeof(match), cmp_match);
		qsort(want.m, want.n, sizeof(match), cmp_match);
	}
	for (size_t i = 0; i < got.n; i++)
		FUZZ_CHECK(!cmp_match(&got.m[i], &want.m[i]),
			   "match %zu differs: ac (%u,%zu,%zu) naive (%u,%zu,%zu)",
			   i, got.m[i].value, got.m[i].start, got.m[i].len,
			   want.m[i].value, want.m[i].start, want.m[i].len);

	if (want.n) { /* early stop */
		got.n = 0;
		got.stop_at = 1 + data[size - 1] % want.n;
		rc = ac_scan(a, text, ntext, on_match, &got);
		FUZZ_CHECK(rc == 7 && got.n == got.stop_at,
			   "stop at %zu: returned %d after %zu matches",
			   got.stop_at, rc, got.n);
	}
	ac_free(a);
	free(got.m);
	free(want.m);
	return 0;
}
