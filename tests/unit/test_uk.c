/*
 * test_uk.c - the UK HMT ConList (legacy CSV) loader: rows of one Group
 * ID merge into one entity, alias kinds map to name strengths, DOBs
 * with 00 parts, prose passports become ids, both encodings load, and
 * every bad input fails with "file:line: reason" and -EINVAL.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lists/csv.h"
#include "lists/loader.h"

#define UK_REAL "../shared/data/lists/uk-conlist-2016/sanctionsconlist_2016.csv"

static wl_list *load(const char *path, int *rc, char *err, size_t errlen)
{
	wl_list *l = wl_list_new("", "uk-csv", path);

	assert_non_null(l);
	err[0] = '\0';
	*rc = wl_load_uk(l, path, err, errlen);
	if (*rc == 0)
		assert_int_equal(wl_list_finish(l), 0);
	return l;
}

static const wl_entity *find(const wl_list *l, const char *id)
{
	for (uint32_t i = 0; i < l->n_entities; i++)
		if (!strcmp(l->entities[i].id, id))
			return &l->entities[i];
	fail_msg("entity %s missing", id);
	return NULL;
}

static int has_name(const wl_entity *e, const char *t, wl_name_strength s)
{
	for (uint32_t i = 0; i < e->n_names; i++)
		if (!strcmp(e->names[i].text, t) && e->names[i].strength == s)
			return 1;
	return 0;
}

static int has_id(const wl_entity *e, wl_id_type t, const char *v)
{
	for (uint32_t i = 0; i < e->n_ids; i++)
		if (e->ids[i].type == t && !strcmp(e->ids[i].value, v))
			return 1;
	return 0;
}

static int has_cc(const wl_entity *e, const char *cc)
{
	for (uint32_t i = 0; i < e->n_countries; i++)
		if (!strcmp(e->countries[i], cc))
			return 1;
	return 0;
}

static int has_dob(const wl_entity *e, int y, int m, int d)
{
	for (uint32_t i = 0; i < e->n_dobs; i++)
		if (e->dobs[i].year == y && e->dobs[i].month == m &&
		    e->dobs[i].day == d)
			return 1;
	return 0;
}

/* The small fixture, in either encoding. */
static void check_small(const char *path)
{
	char err[512];
	int rc;
	wl_list *l = load(path, &rc, err, sizeof(err));
	const wl_entity *e;

	assert_int_equal(rc, 0);
	assert_string_equal(l->id, "uk");
	assert_int_equal(l->n_entities, 3); /* 6 rows, 3 groups */
	assert_int_equal(l->warnings, 1);   /* group 200 has no primary */

	e = find(l, "100");
	assert_int_equal(e->type, WL_ENT_PERSON);
	/* primary from the "Prime Alias" row though it is not first */
	assert_string_equal(e->names[0].text, "SMITH, John Paul");
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
	assert_true(has_name(e, "SMITH, Jon", WL_NAME_STRONG));
	assert_true(has_name(e, "SMYTHE, John", WL_NAME_STRONG));
	assert_int_equal(e->n_names, 3);
	assert_true(has_dob(e, 1965, 0, 0)); /* 00/00/1965 */
	assert_true(has_dob(e, 1966, 3, 12));
	assert_int_equal(e->n_dobs, 2);
	assert_true(has_id(e, WL_ID_PASSPORT, "X1234567"));
	assert_true(has_id(e, WL_ID_PASSPORT, "Y-7654321"));
	assert_false(has_id(e, WL_ID_PASSPORT, "2005")); /* 8.11.2005 */
	assert_int_equal(e->n_ids, 3);
	assert_true(has_id(e, WL_ID_NATIONAL_ID, "98765432"));
	assert_true(has_cc(e, "IR"));
	assert_string_equal(e->programs, "Testland");

	e = find(l, "200");
	assert_int_equal(e->type, WL_ENT_ORG);
	/* no primary row: the a.k.a. is promoted, never the f.k.a. */
	assert_string_equal(e->names[0].text, "CAF\xc3\x89 HOLDINGS");
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
	assert_true(has_name(e, "OLDCO ENTERPRISES", WL_NAME_FORMER));
	assert_true(has_cc(e, "RU"));

	e = find(l, "300");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_string_equal(e->names[0].text, "SEA STAR");
	wl_list_free(l);
}

static void test_small_utf8(void **state)
{
	(void)state;
	check_small("tests/data/uk-utf8.csv");
}

static void test_small_cp1252(void **state)
{
	(void)state;
	check_small("tests/data/uk-cp1252.csv");
}

/* Data rows in the real file, counted with the CSV reader alone. */
static unsigned real_rows(void)
{
	char err[256], **f;
	size_t *lens;
	unsigned n = 0;
	csv_reader *r = csv_open(UK_REAL, ',', CSV_F_CP1252, err, sizeof(err));

	assert_non_null(r);
	while (csv_next(r, &f, &lens) > 0)
		n++;
	csv_close(r);
	return n - 2; /* "Last Updated" line and header */
}

static void test_real(void **state)
{
	char err[512];
	int rc, types[WL_ENT__COUNT] = { 0 };
	unsigned names = 0, former = 0;
	struct timespec a, b;
	wl_list *l;
	const wl_entity *e;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	l = load(UK_REAL, &rc, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(rc, 0);
	printf("uk: %u entities, %u warnings, load+finish %.1f ms, %zu KiB\n",
	       l->n_entities, l->warnings,
	       (double)(b.tv_sec - a.tv_sec) * 1e3 +
		       (double)(b.tv_nsec - a.tv_nsec) / 1e6,
	       wl_list_memory(l) / 1024);
	assert_int_equal(real_rows(), 800);
	assert_int_equal(l->n_entities, 463); /* distinct Group IDs */
	/* the excerpt lacks the "Prime Alias" row of 228 groups */
	assert_int_equal(l->warnings, 228);
	for (uint32_t i = 0; i < l->n_entities; i++) {
		const wl_entity *x = &l->entities[i];

		types[x->type]++;
		names += x->n_names;
		assert_true(x->n_names >= 1);
		assert_int_equal(x->names[0].strength, WL_NAME_PRIMARY);
		for (uint32_t j = 1; j < x->n_names; j++) {
			assert_int_not_equal(x->names[j].strength,
					     WL_NAME_PRIMARY);
			former += x->names[j].strength == WL_NAME_FORMER;
		}
	}
	assert_int_equal(types[WL_ENT_PERSON], 323);
	assert_int_equal(types[WL_ENT_ORG], 140);
	assert_int_equal(names, 708); /* distinct names of the 800 rows */
	/* two FKA rows; group 7247's is its only row, so it is primary */
	assert_int_equal(former, 1);

	e = find(l, "7877"); /* 25 rows, Prime Alias the 21st */
	assert_string_equal(e->names[0].text,
			    "AL-TRABELSI, Mourad Ben Ali Ben Al-Basheer");
	assert_true(has_name(e, "BEN ANAN, Salah", WL_NAME_STRONG));
	assert_true(has_name(e, "BEN TAIEB, Arouri Taoufik", WL_NAME_STRONG));
	assert_int_equal(e->n_names, 16);
	assert_true(has_dob(e, 1972, 6, 2));
	assert_true(has_dob(e, 1972, 0, 0));
	assert_true(has_id(e, WL_ID_PASSPORT, "G827238"));
	assert_true(has_cc(e, "TN"));
	assert_string_equal(e->programs, "Al-Qaida");

	e = find(l, "13191"); /* Windows-1252 left quote converted */
	assert_string_equal(e->names[0].text, "AL-HUTHI, \xe2\x80\x98"
			    "Abd al-Khaliq Badr al-Din");
	e = find(l, "6963");
	assert_string_equal(e->names[0].text, "GROUPE ISLAMIQUE ARM\xc3\x89");
	e = find(l, "7247");
	assert_int_equal(e->n_names, 1);
	assert_string_equal(e->names[0].text,
			    "SALAFIST GROUP FOR CALL AND COMBAT");
	e = find(l, "11259");
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_true(has_name(e, "IRISL ASIA PTE LTD", WL_NAME_FORMER));
	wl_list_free(l);
}

static void expect_fail(const char *path, int want, const char *msg)
{
	char err[512];
	int rc;
	wl_list *l = load(path, &rc, err, sizeof(err));

	assert_int_equal(rc, want);
	if (!strstr(err, msg))
		fail_msg("%s: got \"%s\", want \"%s\"", path, err, msg);
	wl_list_free(l);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	expect_fail("tests/data/no-such-uk.csv", -ENOENT,
		    "tests/data/no-such-uk.csv: ");
	expect_fail("../shared/data/lists/us-csl-2023/csl.csv", -EINVAL,
		    "csl.csv:1: not a UK ConList file: no \"Name 6\" column");
	expect_fail("tests/data/uk-badcols.csv", -EINVAL,
		    "uk-badcols.csv:3: 28 fields, header has 29");
	expect_fail("tests/data/uk-unclosed.csv", -EINVAL,
		    "uk-unclosed.csv:3: quoted field never closed");
	expect_fail("tests/data/uk-emptygid.csv", -EINVAL,
		    "uk-emptygid.csv:3: empty Group ID");
	expect_fail("/dev/null", -EINVAL, "/dev/null: no header");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_utf8),
		cmocka_unit_test(test_small_cp1252),
		cmocka_unit_test(test_real),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
