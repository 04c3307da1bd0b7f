/*
 * test_ofac.c - the OFAC legacy CSV loader and the Remarks parser:
 * real counts and known entries of the three shipped OFAC folders,
 * a hand-made folder exercising CP1252, comment continuation, orphans
 * and every Remarks kind, and one fixture per error path.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "lists/csv.h"
#include "lists/loader.h"

#define SHARED "../shared/data/lists/"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Load and finish; returns the list (asserting success). */
static wl_list *load(const char *dir, double *ms)
{
	char err[512] = "";
	wl_list *l = wl_list_new("x", "ofac-csv", dir);
	double t0 = now_ms();
	int rc;

	assert_non_null(l);
	rc = wl_load_ofac(l, dir, err, sizeof(err));
	if (rc)
		fprintf(stderr, "load %s: %s\n", dir, err);
	assert_int_equal(rc, 0);
	assert_int_equal(wl_list_finish(l), 0);
	if (ms)
		*ms = now_ms() - t0;
	return l;
}

static const wl_entity *ent(const wl_list *l, const char *id)
{
	for (uint32_t i = 0; i < l->n_entities; i++)
		if (!strcmp(l->entities[i].id, id))
			return &l->entities[i];
	fail_msg("entry %s not found", id);
	return NULL;
}

static int has_name(const wl_entity *e, const char *s, wl_name_strength st)
{
	for (uint32_t i = 0; i < e->n_names; i++)
		if (!strcmp(e->names[i].text, s) && e->names[i].strength == st)
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

static int has_attr(const wl_entity *e, const char *k, const char *v)
{
	for (uint32_t i = 0; i < e->n_attrs; i++)
		if (!strcmp(e->attrs[i].key, k) && !strcmp(e->attrs[i].value, v))
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

static void test_sdn_2024(void **state)
{
	double ms;
	wl_list *l = load(SHARED "ofac-sdn-2024", &ms);
	unsigned by_type[WL_ENT__COUNT] = { 0 };
	const wl_entity *e;

	(void)state;
	printf("ofac-sdn-2024: %u entries in %.1f ms\n", l->n_entities, ms);
	assert_string_equal(l->id, "ofac-sdn");
	assert_int_equal(l->n_entities, 14965);
	for (uint32_t i = 0; i < l->n_entities; i++)
		by_type[l->entities[i].type]++;
	assert_int_equal(by_type[WL_ENT_PERSON], 6854);
	assert_int_equal(by_type[WL_ENT_ORG], 6884);
	assert_int_equal(by_type[WL_ENT_VESSEL], 851);
	assert_int_equal(by_type[WL_ENT_AIRCRAFT], 376);
	assert_true(l->warnings >= 1); /* add/alt newer than sdn.csv */

	e = ent(l, "16642");
	assert_string_equal(e->names[0].text, "AKSYONOV, Sergey Valeryevich");
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
	assert_true(has_name(e, "AKSENOV, Sergei", WL_NAME_STRONG));
	assert_true(has_dob(e, 1972, 11, 26));
	assert_true(has_attr(e, "pob", "Balti, Moldova"));
	assert_string_equal(e->programs, "UKRAINE-EO13660");

	e = ent(l, "17018"); /* Sberbank: Remarks continued in comments */
	assert_true(has_id(e, WL_ID_BIC, "SABRRUMM"));
	assert_true(has_id(e, WL_ID_INN, "7707083893"));
	assert_true(has_id(e, WL_ID_OGRN, "1027700132195"));
	assert_true(has_name(e, "SBERBANK INDIA", WL_NAME_WEAK));
	assert_string_equal(e->programs, "UKRAINE-EO13662; RUSSIA-EO14024");

	e = ent(l, "37059");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_true(has_id(e, WL_ID_IMO, "9179842"));
	assert_true(has_attr(e, "flag", "Russia"));
	assert_true(has_attr(e, "vessel_type", "Roll-on Roll-off"));

	e = ent(l, "25308");
	assert_true(has_id(e, WL_ID_CRYPTO, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h"));
	assert_true(has_id(e, WL_ID_CRYPTO, "1Kuf2Rd8mDyAViwBozGTNYnvWL8uYFrkVo"));
	assert_true(has_cc(e, "CN"));
	assert_true(has_dob(e, 1977, 3, 25));

	e = ent(l, "306");
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_true(has_name(e, "BNC", WL_NAME_WEAK));
	assert_true(has_name(e, "NATIONAL BANK OF CUBA", WL_NAME_STRONG));
	assert_true(has_attr(e, "address", "Zweierstrasse 35, Zurich CH-8022, Switzerland"));
	assert_true(has_cc(e, "CH"));
	assert_true(has_cc(e, "JP"));
	wl_list_free(l);
}

static void test_sdn_2021_and_cons(void **state)
{
	double ms;
	wl_list *l = load(SHARED "ofac-sdn-2021", &ms);
	const wl_entity *e;

	(void)state;
	printf("ofac-sdn-2021: %u entries in %.1f ms\n", l->n_entities, ms);
	assert_int_equal(l->n_entities, 8976);
	assert_string_equal(l->id, "ofac-sdn");
	wl_list_free(l);

	l = load(SHARED "ofac-cons-2025", &ms);
	printf("ofac-cons-2025: %u entries in %.1f ms\n", l->n_entities, ms);
	assert_string_equal(l->id, "ofac-cons");
	assert_int_equal(l->n_entities, 442);
	e = ent(l, "9639");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_true(has_name(e, "HANIYYA, Ismaeel", WL_NAME_STRONG));
	assert_true(has_dob(e, 1962, 0, 0));
	assert_string_equal(e->programs, "NS-PLC");
	wl_list_free(l);
}

static void test_small(void **state)
{
	wl_list *l = load("tests/data/ofac-small", NULL);
	const wl_entity *e;

	(void)state;
	assert_int_equal(l->n_entities, 3);
	assert_int_equal(l->warnings, 2); /* orphans in alt.csv and add.csv */

	e = ent(l, "10");
	assert_string_equal(e->names[0].text, "M\xc3\x9cLLER, J\xc3\xbcrgen");
	assert_true(has_name(e, "MUELLER, Juergen", WL_NAME_STRONG));
	assert_true(has_dob(e, 1961, 1, 1));
	assert_true(has_dob(e, 1962, 0, 0)); /* year inside the range */
	assert_true(has_dob(e, 1963, 0, 0));
	assert_true(has_dob(e, 1958, 0, 0));
	assert_true(has_id(e, WL_ID_PASSPORT, "D366 871"));
	assert_true(has_id(e, WL_ID_INN, "7707083893")); /* continued */
	assert_true(has_cc(e, "IR"));
	assert_true(has_cc(e, "RU"));
	assert_true(has_attr(e, "gender", "Male"));
	assert_string_equal(e->programs, "SDGT; IRAN");

	e = ent(l, "20");
	assert_true(has_id(e, WL_ID_OGRN, "1027700132195"));
	assert_true(has_id(e, WL_ID_REGISTRATION, "12345"));
	assert_false(has_id(e, WL_ID_OGRN, "12345"));
	assert_true(has_id(e, WL_ID_BIC, "TESTRUMM"));
	assert_true(has_id(e, WL_ID_CRYPTO, "0xabc123"));
	assert_true(has_attr(e, "crypto_currency", "ETH"));
	assert_true(has_id(e, WL_ID_LEI, "253400V1H6ART1UQ0N98"));
	assert_true(has_name(e, "T.S.", WL_NAME_WEAK));
	assert_true(has_name(e, "O'BRIEN TRADE", WL_NAME_WEAK));
	assert_true(has_name(e, "OLD SHIPPING", WL_NAME_FORMER));
	/* ';' inside parentheses does not split */
	assert_true(has_attr(e, "position", "the Board (Retired; honorary)"));
	assert_true(has_cc(e, "RU"));

	e = ent(l, "30");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_true(has_id(e, WL_ID_IMO, "9179842"));
	assert_true(has_id(e, WL_ID_MMSI, "273123456"));
	assert_true(has_id(e, WL_ID_CALLSIGN, "9HA1234"));
	assert_true(has_attr(e, "owner", "NITC"));
	assert_true(has_attr(e, "grt", "81,000"));
	wl_list_free(l);
}

static void expect_fail(const char *dir, int want, const char *msg)
{
	char err[512] = "";
	wl_list *l = wl_list_new("x", "ofac-csv", dir);

	assert_non_null(l);
	assert_int_equal(wl_load_ofac(l, dir, err, sizeof(err)), want);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	wl_list_free(l);
}

static void test_errors(void **state)
{
	(void)state;
	expect_fail("tests/data/no-such-folder", -ENOENT,
		    "tests/data/no-such-folder: ");
	expect_fail(SHARED "un-2026/consolidated.xml", -EINVAL, "not a folder");
	expect_fail(SHARED "un-2026", -EINVAL, "no sdn.csv or cons_prim.csv");
	expect_fail("tests/data/ofac-bad-fields", -EINVAL,
		    "ofac-bad-fields/sdn.csv:2: expected 12 fields, got 11");
	expect_fail("tests/data/ofac-bad-unclosed", -EINVAL,
		    "ofac-bad-unclosed/sdn.csv:2: quoted field never closed");
	expect_fail("tests/data/ofac-bad-type", -EINVAL,
		    "ofac-bad-type/sdn.csv:2: unknown SDN_Type");
	expect_fail("tests/data/ofac-bad-missing", -ENOENT,
		    "ofac-bad-missing/sdn_comments.csv: ");
}

/* Feed every real Remarks text (with its continuation) through the
 * parser and measure how many ';'-parts a rule classifies. */
static void remarks_coverage(const char *dir, const char *prim,
			     const char *com, unsigned *hit, unsigned *total)
{
	char path[256], err[256], **f;
	size_t *n;
	csv_reader *r;
	wl_list *l = wl_list_new("t", "t", "t");
	int nf;

	assert_non_null(l);
	snprintf(path, sizeof(path), "%s/%s", dir, prim);
	r = csv_open(path, ',', CSV_F_CP1252, err, sizeof(err));
	assert_non_null(r);
	while ((nf = csv_next(r, &f, &n)) == 12) {
		int64_t e = wl_list_add_entity(l, f[0], n[0], WL_ENT_UNKNOWN);

		assert_true(e >= 0);
		if (strcmp(f[11], "-0- "))
			assert_int_equal(wl_entity_add_attr(l, (uint32_t)e, "raw", f[11], n[11]), 0);
	}
	assert_int_equal(nf, 0);
	csv_close(r);
	/* Continuations appended via a second raw attr per entity. */
	snprintf(path, sizeof(path), "%s/%s", dir, com);
	r = csv_open(path, ',', CSV_F_CP1252, err, sizeof(err));
	assert_non_null(r);
	while ((nf = csv_next(r, &f, &n)) == 2) {
		int64_t e = wl_list_find(l, f[0], n[0]);

		if (e >= 0)
			assert_int_equal(wl_entity_add_attr(l, (uint32_t)e, "rawc", f[1], n[1]), 0);
	}
	csv_close(r);
	assert_int_equal(wl_list_finish(l), 0);
	for (uint32_t i = 0; i < l->n_entities; i++) {
		const wl_entity *e = &l->entities[i];
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		wl_list *s = wl_list_new("s", "s", "s");
		int rc;

		assert_non_null(m);
		assert_non_null(s);
		for (uint32_t a = 0; a < e->n_attrs; a++)
			fputs(e->attrs[a].value, m);
		fclose(m);
		assert_true(wl_list_add_entity(s, "1", 1, WL_ENT_UNKNOWN) == 0);
		rc = wl_remarks_parse(s, 0, buf, len);
		assert_true(rc >= 0);
		assert_int_equal(wl_list_finish(s), 0);
		*hit += (unsigned)rc;
		*total += (unsigned)rc;
		for (uint32_t a = 0; a < s->entities[0].n_attrs; a++)
			*total += !strcmp(s->entities[0].attrs[a].key, "remark");
		wl_list_free(s);
		free(buf);
	}
	wl_list_free(l);
}

static void test_remarks_coverage(void **state)
{
	unsigned hit = 0, total = 0;

	(void)state;
	remarks_coverage(SHARED "ofac-sdn-2024", "sdn.csv", "sdn_comments.csv",
			 &hit, &total);
	remarks_coverage(SHARED "ofac-sdn-2021", "sdn.csv", "sdn_comments.csv",
			 &hit, &total);
	remarks_coverage(SHARED "ofac-cons-2025", "cons_prim.csv",
			 "cons_comments.csv", &hit, &total);
	printf("remarks: %u of %u parts classified (%.1f%%)\n", hit, total,
	       100.0 * hit / total);
	assert_true(total > 90000);
	assert_true(hit >= total * 0.97);
}

static void test_remarks_odd(void **state)
{
	wl_list *l = wl_list_new("s", "s", "s");
	static const char *odd[] = {
		"", ";;;", "DOB", "DOB ;", "a.k.a. '", "a.k.a.", "(((;", "))",
		"Tax ID No. (Russia", "Digital Currency Address - ",
		"DOB 1960 to", "DOB 99 Foo 1960", "alt. ", "nationality",
	};

	(void)state;
	assert_non_null(l);
	assert_true(wl_list_add_entity(l, "1", 1, WL_ENT_UNKNOWN) == 0);
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		assert_true(wl_remarks_parse(l, 0, odd[i], strlen(odd[i])) >= 0);
	assert_true(wl_list_add_entity(l, "2", 1, WL_ENT_UNKNOWN) == 1);
	assert_int_equal(wl_remarks_parse(l, 1, "DOB circa 1979-1982.", 20), 1);
	assert_int_equal(wl_list_finish(l), 0);
	assert_int_equal(l->entities[0].n_dobs, 0);
	assert_int_equal(l->entities[1].n_dobs, 4);
	assert_true(has_dob(&l->entities[1], 1980, 0, 0));
	wl_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sdn_2024),
		cmocka_unit_test(test_sdn_2021_and_cons),
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_remarks_coverage),
		cmocka_unit_test(test_remarks_odd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
