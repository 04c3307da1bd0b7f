/*
 * test_ac.c - the Aho-Corasick automaton against a naive matcher on
 * seeded random patterns and texts over a small alphabet (so patterns
 * overlap, nest and repeat), plus edge cases.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ac.h"

#define NPAT 200
#define MAXLEN 6
#define TEXTLEN 2000

typedef struct found {
	uint32_t value;
	size_t start, len;
} found;

typedef struct sink {
	found *f;
	size_t n, cap;
} sink;

static int collect(void *ctx, uint32_t value, size_t start, size_t len)
{
	sink *s = ctx;

	if (s->n < s->cap)
		s->f[s->n++] = (found){value, start, len};
	return 0;
}

static int cmp_found(const void *x, const void *y)
{
	const found *a = x, *b = y;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

static uint32_t rnd(uint64_t *st)
{
	*st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*st >> 33);
}

static void test_random_vs_naive(void **state)
{
	static uint32_t pat[NPAT][MAXLEN], text[TEXTLEN];
	static size_t plen[NPAT];
	static found got[200000], want[200000];
	uint64_t st = 12345;
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		uint32_t alpha = 2 + (uint32_t)round % 5;
		ac_builder *b = ac_builder_new();
		sink gs = {got, 0, 200000};
		size_t nw = 0, i, p;
		ac *a;

		assert_non_null(b);
		for (p = 0; p < NPAT; p++) {
			plen[p] = 1 + rnd(&st) % MAXLEN;
			for (i = 0; i < plen[p]; i++)
				pat[p][i] = 1000000 + rnd(&st) % alpha;
			assert_int_equal(ac_builder_add(b, pat[p], plen[p],
							(uint32_t)p), 0);
		}
		a = ac_compile(b);
		assert_non_null(a);
		assert_int_equal(ac_patterns(a), NPAT);
		for (i = 0; i < TEXTLEN; i++)
			text[i] = rnd(&st) % 50 == 0 ? AC_SYM_BREAK :
				  1000000 + rnd(&st) % (alpha + 1);
		assert_int_equal(ac_scan(a, text, TEXTLEN, collect, &gs), 0);
		for (i = 0; i < TEXTLEN; i++)
			for (p = 0; p < NPAT; p++)
				if (i + plen[p] <= TEXTLEN &&
				    memcmp(text + i, pat[p],
					   plen[p] * sizeof(uint32_t)) == 0)
					want[nw++] = (found){(uint32_t)p, i,
							     plen[p]};
		qsort(got, gs.n, sizeof(found), cmp_found);
		qsort(want, nw, sizeof(found), cmp_found);
		assert_int_equal(gs.n, nw);
		for (i = 0; i < nw; i++) {
			assert_int_equal(got[i].value, want[i].value);
			assert_int_equal(got[i].start, want[i].start);
			assert_int_equal(got[i].len, want[i].len);
		}
		assert_true(ac_memory(a) > 0);
		ac_free(a);
	}
}

static int stop_first(void *ctx, uint32_t value, size_t start, size_t len)
{
	(void)ctx;
	(void)start;
	(void)len;
	return (int)value + 1;
}

static void test_edges(void **state)
{
	uint32_t p1[] = {1, 2, 3}, bad[] = {1, AC_SYM_BREAK}, t[] = {9, 1, 2, 3};
	ac_builder *b = ac_builder_new();
	ac *a;

	(void)state;
	assert_int_equal(ac_builder_add(b, p1, 0, 0), -EINVAL);
	assert_int_equal(ac_builder_add(b, bad, 2, 0), -EINVAL);
	assert_int_equal(ac_builder_add(b, p1, 3, 41), 0);
	a = ac_compile(b);
	assert_non_null(a);
	assert_int_equal(ac_scan(a, t, 4, stop_first, NULL), 42);
	assert_int_equal(ac_scan(a, t, 3, stop_first, NULL), 0);
	assert_int_equal(ac_scan(NULL, t, 4, stop_first, NULL), 0);
	ac_free(a);
	ac_free(NULL);
	ac_builder_free(NULL);
	/* empty automaton */
	a = ac_compile(ac_builder_new());
	assert_non_null(a);
	assert_int_equal(ac_scan(a, t, 4, stop_first, NULL), 0);
	ac_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_vs_naive),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
