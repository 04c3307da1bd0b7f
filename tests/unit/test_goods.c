/*
 * test_goods.c - HS code writings, prefix matching against the real
 * CHPL of 2024-02-23, and codes inside free text.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "goods.h"

#define CHPL "../shared/data/goods/chpl-2024-02-23.csv"

static void expect_hs(const char *s, const char *want)
{
	char d[GOODS_HS_MAX + 1];
	int n = goods_hs_digits(s, strlen(s), d);

	if (n != (int)strlen(want) || strcmp(d, want) != 0)
		fail_msg("'%s' -> %d '%s', want '%s'", s, n, d, want);
}

static void expect_bad(const char *s)
{
	char d[GOODS_HS_MAX + 1];
	int n = goods_hs_digits(s, strlen(s), d);

	if (n != -EINVAL)
		fail_msg("'%s' -> %d '%s', want -EINVAL", s, n, d);
}

static void test_writings(void **state)
{
	(void)state;
	expect_hs("8542.31", "854231");
	expect_hs("854231", "854231");
	expect_hs("8542310000", "8542310000");
	expect_hs("8542 31 00", "85423100");
	expect_hs("HS 8542.31", "854231");
	expect_hs("hs code: 854231", "854231");
	expect_hs("HTS 8542.31.0001", "8542310001");
	expect_hs("H.S. 8542", "8542");
	expect_hs(" 85 ", "85");
	expect_bad("");
	expect_bad("HS");
	expect_bad("microcontrollers 8542");
	expect_bad("8542.31 pcs");
	expect_bad("85423100001"); /* 11 digits */
	expect_bad("8");
	expect_bad("8542..31");
}

/* Load the CHPL csv (tier,hs_code,hs6,description) into goods[]. */
static size_t load_chpl(wl_good *g, size_t max)
{
	FILE *f = fopen(CHPL, "r");
	char line[1024];
	size_t n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *tier = line, *c1 = strchr(line, ','), *c2, *c3;
		if (!c1 || !(c2 = strchr(c1 + 1, ',')) ||
		    !(c3 = strchr(c2 + 1, ',')))
			continue;
		if (c3 - c2 - 1 != 6 || strspn(c2 + 1, "0123456789") != 6)
			continue; /* header */
		memset(&g[n], 0, sizeof(g[n]));
		memcpy(g[n].hs, c2 + 1, 6);
		memcpy(g[n].tier, tier, (size_t)(c1 - tier) < 7 ?
			(size_t)(c1 - tier) : 7);
		g[n].description = "chpl";
		n++;
	}
	fclose(f);
	return n;
}

static void test_chpl(void **state)
{
	static wl_good g[128];
	size_t n = load_chpl(g, 126);
	goods_table *t;
	goods_match m;

	(void)state;
	if (n == 0)
		skip();
	assert_int_equal(n, 50);
	/* an in-house 4-digit heading: all of 8486 */
	memcpy(g[n].hs, "8486", 5);
	memcpy(g[n].tier, "house", 6);
	g[n].description = "semiconductor machines";
	n++;
	t = goods_table_build_goods(g, n);
	assert_non_null(t);
	assert_int_equal(goods_table_size(t), n);

	assert_int_equal(goods_lookup(t, "854231", 6, &m), 1);
	assert_string_equal(m.good->tier, "1");
	assert_string_equal(m.good->hs, "854231");
	assert_int_equal(m.partial, 0);
	assert_int_equal(goods_lookup(t, "8542310000", 10, &m), 1);
	assert_string_equal(m.good->hs, "854231");
	assert_int_equal(goods_lookup(t, "84821010", 8, &m), 1);
	assert_string_equal(m.good->tier, "3.B");
	/* not controlled: 8542.90 (parts), 8471.30 (laptops) */
	assert_int_equal(goods_lookup(t, "854290", 6, &m), 0);
	assert_int_equal(goods_lookup(t, "8471300000", 10, &m), 0);
	/* heading only: contains controlled subheadings */
	assert_int_equal(goods_lookup(t, "8542", 4, &m), 1);
	assert_int_equal(m.partial, 1);
	/* listed heading matches all of its subheadings; longest wins */
	assert_int_equal(goods_lookup(t, "84869000", 8, &m), 1);
	assert_string_equal(m.good->tier, "house");
	assert_int_equal(goods_lookup(t, "848620", 6, &m), 1);
	assert_string_equal(m.good->tier, "4.A");
	assert_int_equal(goods_lookup(t, "85a2", 4, &m), 0);
	assert_int_equal(goods_lookup(NULL, "8542", 4, &m), 0);
	goods_table_free(t);
	goods_table_free(NULL);
}

struct codes {
	int n;
	char d[4][GOODS_HS_MAX + 1];
	size_t off[4];
};

static void collect(void *ctx, const char *d, size_t n, size_t off,
		    size_t len)
{
	struct codes *c = ctx;

	(void)len;
	if (c->n >= 4)
		return;
	memcpy(c->d[c->n], d, n);
	c->d[c->n][n] = '\0';
	c->off[c->n++] = off;
}

static struct codes scan(const char *s)
{
	struct codes c;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = goods_scan_text(s, strlen(s), collect, &c);
	assert_int_equal(rc, c.n);
	return c;
}

static void test_scan(void **state)
{
	const char *t = "500 pcs microcontrollers, HS 8542.31, invoice 77";
	struct codes c = scan(t);

	(void)state;
	assert_int_equal(c.n, 1);
	assert_string_equal(c.d[0], "854231");
	assert_int_equal(c.off[0], strstr(t, "8542") - t);
	c = scan("HS code 854231 and hs-code: 8517.62.00; H.S. No. 9030 20");
	assert_int_equal(c.n, 3);
	assert_string_equal(c.d[1], "85176200");
	assert_string_equal(c.d[2], "903020");
	assert_int_equal(scan("amount 8542.31 EUR, code 854231").n, 0);
	assert_int_equal(scan("HS 12").n, 0);
	assert_int_equal(scan("").n, 0);
	assert_int_equal(goods_scan_text(NULL, 3, NULL, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writings),
		cmocka_unit_test(test_chpl),
		cmocka_unit_test(test_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
