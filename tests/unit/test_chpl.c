/*
 * test_chpl.c - the CHPL loader on the real 2024 list (counts per
 * tier, digits-only HS codes) and one fixture per error path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lists/loader.h"

static void test_real(void **state)
{
	char err[512] = "";
	const char *p = "../shared/data/goods/chpl-2024-02-23.csv";
	wl_list *l = wl_list_new("x", "chpl-csv", p);
	unsigned tier1 = 0, tier3a = 0, found = 0;

	(void)state;
	assert_non_null(l);
	assert_int_equal(wl_load_chpl(l, p, err, sizeof(err)), 0);
	assert_int_equal(wl_list_finish(l), 0);
	assert_string_equal(l->id, "chpl");
	assert_int_equal(l->n_goods, 50);
	assert_int_equal(l->n_entities, 0);
	for (uint32_t i = 0; i < l->n_goods; i++) {
		const wl_good *g = &l->goods[i];

		assert_int_equal(strspn(g->hs, "0123456789"), strlen(g->hs));
		assert_int_equal(strlen(g->hs), 6);
		tier1 += !strcmp(g->tier, "1");
		tier3a += !strcmp(g->tier, "3.A");
		if (!strcmp(g->hs, "854231")) {
			found++;
			assert_string_equal(g->tier, "1");
			assert_non_null(strstr(g->description,
					       "Processors and controllers"));
		}
	}
	assert_int_equal(tier1, 4);
	assert_int_equal(tier3a, 16);
	assert_int_equal(found, 1);
	wl_list_free(l);
}

static void expect_fail(const char *path, int want, const char *msg)
{
	char err[512] = "";
	wl_list *l = wl_list_new("x", "chpl-csv", path);

	assert_non_null(l);
	assert_int_equal(wl_load_chpl(l, path, err, sizeof(err)), want);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	wl_list_free(l);
}

static void test_errors(void **state)
{
	(void)state;
	expect_fail("tests/data/no-such.csv", -ENOENT, "tests/data/no-such.csv: ");
	expect_fail("tests/data/chpl-bad-header.csv", -EINVAL,
		    "chpl-bad-header.csv:1: not a CHPL file");
	expect_fail("../shared/data/lists/us-csl-2023/csl.csv", -EINVAL,
		    "csl.csv:1: not a CHPL file");
	expect_fail("tests/data/chpl-bad-hs.csv", -EINVAL,
		    "chpl-bad-hs.csv:3: bad HS code");
	expect_fail("tests/data/chpl-bad-unclosed.csv", -EINVAL,
		    "chpl-bad-unclosed.csv:2: quoted field never closed");
	expect_fail("tests/data/chpl-bad-utf8.csv", -EINVAL,
		    "chpl-bad-utf8.csv:2: invalid UTF-8");
	expect_fail("tests/data/chpl-bad-count.csv", -EINVAL,
		    "chpl-bad-count.csv:2: expected 4 fields, got 3");
	expect_fail("tests/data/icsv-bad-empty.csv", -EINVAL, "not a CHPL file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
