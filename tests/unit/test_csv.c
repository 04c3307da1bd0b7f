/*
 * test_csv.c - the CSV reader: quoting, BOM, CP1252 conversion, DOS
 * end-of-file, line numbers and every error path.  Fixtures are small
 * hand-made files in tests/data; one real OFAC file checks the counts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lists/csv.h"

static void test_basic(void **state)
{
	char err[256] = "", **f;
	size_t *l;
	csv_reader *r = csv_open("tests/data/csv-basic.csv", ',', CSV_F_UTF8,
				 err, sizeof(err));

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 3);
	assert_string_equal(f[0], "a"); /* BOM stripped */
	assert_int_equal(csv_line(r), 1);
	assert_int_equal(csv_next(r, &f, &l), 3);
	assert_string_equal(f[0], "x, y");
	assert_string_equal(f[1], "he said \"hi\"");
	assert_int_equal(l[1], strlen("he said \"hi\""));
	assert_string_equal(f[2], "");
	assert_int_equal(csv_line(r), 2);
	assert_int_equal(csv_next(r, &f, &l), 3); /* blank line skipped */
	assert_string_equal(f[0], "multi\nline");
	assert_string_equal(f[2], "3");
	assert_int_equal(csv_line(r), 4);
	assert_int_equal(csv_next(r, &f, &l), 0);
	assert_int_equal(csv_next(r, &f, &l), 0);
	assert_string_equal(csv_path(r), "tests/data/csv-basic.csv");
	csv_close(r);
}

static void test_cp1252(void **state)
{
	char err[256] = "", **f;
	size_t *l;
	csv_reader *r = csv_open("tests/data/csv-cp1252.csv", ',',
				 CSV_F_CP1252, err, sizeof(err));

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 3);
	/* e-acute, euro sign, s-caron (0x9A), undefined 0x8D -> C1 */
	assert_string_equal(f[1], "caf\xc3\xa9 \xe2\x82\xac \xc5\xa1 \xc2\x8d");
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_string_equal(f[1], "tail");
	assert_int_equal(csv_next(r, &f, &l), 0); /* stops at 0x1A */
	csv_close(r);
}

static void test_unclosed(void **state)
{
	char err[256] = "", **f;
	size_t *l;
	csv_reader *r = csv_open("tests/data/csv-unclosed.csv", ',', 0, err,
				 sizeof(err));

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), -EINVAL);
	assert_non_null(strstr(err, "tests/data/csv-unclosed.csv:3:"));
	assert_non_null(strstr(err, "never closed"));
	csv_close(r);
}

static void test_bad_utf8(void **state)
{
	char err[256] = "", **f;
	size_t *l;
	csv_reader *r = csv_open("tests/data/csv-badutf8.csv", ',', CSV_F_UTF8,
				 err, sizeof(err));

	(void)state;
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), 2); /* spans lines 3-4 */
	assert_int_equal(csv_next(r, &f, &l), -EINVAL);
	assert_string_equal(err, "tests/data/csv-badutf8.csv:5: invalid UTF-8");
	csv_close(r);

	r = csv_open("tests/data/csv-overlong.csv", ',', CSV_F_UTF8, err,
		     sizeof(err));
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), -EINVAL);
	assert_non_null(strstr(err, ":2: invalid UTF-8"));
	csv_close(r);

	/* Without the UTF-8 flag the same bytes pass through. */
	r = csv_open("tests/data/csv-overlong.csv", ',', 0, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(csv_next(r, &f, &l), 2);
	assert_int_equal(l[1], 4);
	csv_close(r);
}

static void test_missing(void **state)
{
	char err[256] = "";

	(void)state;
	assert_null(csv_open("tests/data/no-such-file.csv", ',', 0, err,
			     sizeof(err)));
	assert_non_null(strstr(err, "tests/data/no-such-file.csv: "));
	assert_null(csv_open("tests/data", ',', 0, err, sizeof(err)));
	assert_non_null(strstr(err, "tests/data: "));
	csv_close(NULL);
}

/* Real OFAC file: every record has 12 fields, count matches README. */
static void test_real_ofac(void **state)
{
	char err[256] = "", **f;
	size_t *l;
	int n, rows = 0, bad = 0;
	csv_reader *r = csv_open("../shared/data/lists/ofac-sdn-2024/sdn.csv",
				 ',', CSV_F_CP1252, err, sizeof(err));

	(void)state;
	assert_non_null(r);
	while ((n = csv_next(r, &f, &l)) > 0) {
		rows++;
		if (n != 12)
			bad++;
	}
	assert_int_equal(n, 0);
	assert_int_equal(rows, 14965);
	assert_int_equal(bad, 0);
	assert_int_equal(csv_line(r), 14965);
	csv_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_cp1252),
		cmocka_unit_test(test_unclosed),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_real_ofac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
