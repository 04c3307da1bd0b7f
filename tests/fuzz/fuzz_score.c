/*
 * fuzz_score.c - the name scorer (matchers/score.c, score_clean.c) on
 * two arbitrary names: the input up to the first '\n' and the rest;
 * the entity type comes from the input length.
 *
 * Checks: score_compare() returns a finite score in [0,1] for valid
 * UTF-8 and a negative errno otherwise, and on success a terminated
 * explanation even in a small buffer; score_name_parse() + score_names() give a
 * finite score in [0,1] and an alignment whose indexes are inside both
 * names; score_explain() respects its buffer; score_key() respects its
 * buffer; score_lev_bounded() equals a naive edit distance with
 * adjacent transpositions (optimal string alignment, as score.c
 * implements it) capped at max+1 (differential, on the first 48 bytes of each side).
 *
 * The norm_ctx is costly to make, so it is built once, lazily, in a
 * static (acceptable for a fuzz harness).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "norm.h"
#include "score.h"

#define LEV_MAX 48

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int naive_lev(const char *a, size_t an, const char *b, size_t bn)
{
	int d[LEV_MAX + 1][LEV_MAX + 1];

	for (size_t i = 0; i <= an; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= bn; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= an; i++)
		for (size_t j = 1; j <= bn; j++) {
			int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			/* adjacent transposition (optimal string alignment) */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[an][bn];
}

static void check_score(double s, const char *what)
{
	FUZZ_CHECK(isfinite(s) && s >= 0.0 && s <= 1.0, "%s score %f", what,
		   s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static norm_ctx *nc; /* lazily built, see the comment on top */
	static const wl_ent_type types[] = { WL_ENT_UNKNOWN, WL_ENT_PERSON,
					     WL_ENT_ORG, WL_ENT_VESSEL };
	const char *s = (const char *)data, *nl, *a, *b;
	size_t an, bn, cap_small = 1 + size % 32;
	wl_ent_type type = types[size % 4];
	static score_name na, nb; /* 2 KB each, kept off the stack */
	char explain[1024], small[32], key[16];
	char norm_a[SCORE_TEXT_MAX], norm_b[SCORE_TEXT_MAX];
	ssize_t la, lb;
	score_detail d;
	double sc;
	int max, got, want;

	if (size > 1024)
		return 0;
	if (!nc && !(nc = norm_ctx_new()))
		abort();
	nl = memchr(s, '\n', size);
	a = s;
	an = nl ? (size_t)(nl - s) : size;
	b = nl ? nl + 1 : s + size;
	bn = size - an - (nl != NULL);

	/* Levenshtein, differential */
	max = size ? data[0] % (LEV_MAX + 4) : 0;
	{
		size_t la2 = an < LEV_MAX ? an : LEV_MAX;
		size_t lb2 = bn < LEV_MAX ? bn : LEV_MAX;

		want = naive_lev(a, la2, b, lb2);
		if (want > max)
			want = max + 1;
		got = score_lev_bounded(a, la2, b, lb2, max);
		FUZZ_CHECK(got == want,
			   "score_lev_bounded('%.*s', '%.*s', %d) = %d, "
			   "expected %d", (int)la2, a, (int)lb2, b, max, got,
			   want);
	}

	explain[0] = '\0';
	sc = score_compare(nc, a, an, b, bn, type, explain, sizeof(explain));
	if (fuzz_utf8_valid(a, an) && fuzz_utf8_valid(b, bn))
		check_score(sc, "score_compare");
	else
		FUZZ_CHECK(sc < 0, "score_compare on invalid UTF-8 gave %f", sc);
	FUZZ_CHECK(memchr(explain, '\0', sizeof(explain)),
		   "explanation not terminated");
	memset(small, 0x55, sizeof(small));
	if (score_compare(nc, a, an, b, bn, type, small, cap_small) >= 0)
		FUZZ_CHECK(memchr(small, '\0', cap_small),
			   "small explanation not terminated");

	la = norm_text(nc, a, an, norm_a, sizeof(norm_a));
	lb = norm_text(nc, b, bn, norm_b, sizeof(norm_b));
	if (la < 0 || lb < 0)
		return 0; /* invalid UTF-8 or longer than a name can be */
	(void)score_name_parse(&na, norm_a, (size_t)la);
	(void)score_name_parse(&nb, norm_b, (size_t)lb);
	FUZZ_CHECK(na.n >= 0 && na.n <= SCORE_MAX_TOK && nb.n >= 0 &&
			   nb.n <= SCORE_MAX_TOK,
		   "token counts %d %d", na.n, nb.n);
	for (int i = 0; i < na.n; i++) {
		size_t k = score_key(na.tok[i].s, na.tok[i].len, key,
				     1 + (size_t)i % sizeof(key));

		FUZZ_CHECK(k < 1 + (size_t)i % sizeof(key) && strlen(key) == k,
			   "score_key length %zu", k);
		FUZZ_CHECK(na.tok[i].w > 0, "token %d weight %f", i,
			   (double)na.tok[i].w);
	}
	memset(&d, 0, sizeof(d));
	sc = score_names(&na, &nb, type, &d);
	check_score(sc, "score_names");
	FUZZ_CHECK(d.n_pair >= 0 && d.n_pair <= 2 * SCORE_MAX_TOK,
		   "n_pair %d", d.n_pair);
	for (int i = 0; i < d.n_pair; i++) {
		FUZZ_CHECK(d.pair[i].a >= -1 && d.pair[i].a < na.n &&
				   d.pair[i].b >= -1 && d.pair[i].b < nb.n,
			   "pair %d = (%d,%d) of (%d,%d) tokens", i,
			   d.pair[i].a, d.pair[i].b, na.n, nb.n);
		FUZZ_CHECK(isfinite(d.pair[i].sim) && d.pair[i].sim >= 0 &&
				   d.pair[i].sim <= 1,
			   "pair %d sim %f", i, (double)d.pair[i].sim);
	}
	got = (int)score_explain(&na, &nb, &d, sc, small, cap_small);
	FUZZ_CHECK((size_t)got < cap_small && memchr(small, '\0', cap_small),
		   "score_explain wrote %d into %zu", got, cap_small);
	check_score(score_names(&nb, &na, type, NULL), "score_names (b, a)");
	return 0;
}
