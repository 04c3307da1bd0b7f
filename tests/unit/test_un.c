/*
 * test_un.c - UN consolidated list loader: counts, a known individual
 * and entity, alias strengths, date ranges, and every bad-input path
 * (missing file, truncated XML, wrong schema, missing reference, XXE).
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

#include "lists/loader.h"
#include "model.h"

#define UN_XML "../shared/data/lists/un-2026/consolidated.xml"
#define EU_XML "../shared/data/lists/eu-fsf-2016/eu_fsf_whole_2016-02-11.xml"

/* Load path with wl_load_un and finish; NULL on error (err filled). */
static wl_list *load(const char *path, int *rc, char *err, size_t errlen)
{
	wl_list *l = wl_list_new("un", "un-xml", path);

	assert_non_null(l);
	*rc = wl_load_un(l, path, err, errlen);
	if (*rc == 0)
		*rc = wl_list_finish(l);
	if (*rc) {
		wl_list_free(l);
		return NULL;
	}
	return l;
}

static const wl_entity *find(const wl_list *l, const char *id)
{
	int64_t i = wl_list_find(l, id, strlen(id));

	assert_true(i >= 0);
	return &l->entities[i];
}

static const wl_name *name_of(const wl_entity *e, const char *text)
{
	for (uint32_t i = 0; i < e->n_names; i++)
		if (!strcmp(e->names[i].text, text))
			return &e->names[i];
	return NULL;
}

static int has_id(const wl_entity *e, wl_id_type t, const char *v)
{
	for (uint32_t i = 0; i < e->n_ids; i++)
		if (e->ids[i].type == t && !strcmp(e->ids[i].value, v))
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

static int has_country(const wl_entity *e, const char *cc)
{
	for (uint32_t i = 0; i < e->n_countries; i++)
		if (!strcmp(e->countries[i], cc))
			return 1;
	return 0;
}

static void test_counts(void **state)
{
	char err[512] = "";
	struct timespec t0, t1;
	uint32_t per = 0, org = 0, arabic = 0;
	int rc;
	wl_list *l;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	l = load(UN_XML, &rc, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rc, 0);
	printf("# un load %.1f ms, %u entities, %zu bytes\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	       l->n_entities, wl_list_memory(l));
	for (uint32_t i = 0; i < l->n_entities; i++) {
		const wl_entity *e = &l->entities[i];

		per += e->type == WL_ENT_PERSON;
		org += e->type == WL_ENT_ORG;
		assert_true(e->n_names > 0);
		assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
		assert_true(e->programs[0] != '\0');
		for (uint32_t j = 0; j < e->n_names; j++)
			arabic += e->names[j].script == WL_SCRIPT_ARABIC;
	}
	assert_int_equal(per, 730);
	assert_int_equal(org, 273);
	assert_int_equal(l->n_entities, 1003);
	assert_true(arabic > 100);
	wl_list_free(l);
}

static void test_known_entries(void **state)
{
	char err[512] = "";
	const wl_entity *e;
	const wl_name *n;
	int rc;
	wl_list *l = load(UN_XML, &rc, err, sizeof(err));

	(void)state;
	assert_non_null(l);
	e = find(l, "KPi.033");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_string_equal(e->names[0].text, "RI WON HO");
	assert_true(has_dob(e, 1964, 7, 17));
	assert_true(has_id(e, WL_ID_PASSPORT, "381310014"));
	assert_true(has_country(e, "KP"));
	assert_string_equal(e->programs, "DPRK");

	e = find(l, "CDi.003"); /* Gaston Iyamuremye: Low and Good aliases */
	assert_string_equal(e->names[0].text, "GASTON IYAMUREMYE");
	n = name_of(e, "Rumuli");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_WEAK);
	n = name_of(e, "Victor Rumuri");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	assert_true(has_dob(e, 1948, 0, 0));
	assert_true(has_country(e, "RW"));

	e = find(l, "CDi.030"); /* BETWEEN 1973 and 1974 */
	assert_true(has_dob(e, 1973, 0, 0));
	assert_true(has_dob(e, 1974, 0, 0));

	e = find(l, "IQi.001"); /* original script alias */
	assert_string_equal(e->names[0].text, "SADDAM HUSSEIN AL-TIKRITI");
	n = name_of(e, "صدام حسين التكريتي");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	assert_int_equal(n->script, WL_SCRIPT_ARABIC);
	assert_true(has_dob(e, 1937, 4, 28));

	e = find(l, "CDe.001"); /* ADF: a.k.a. strong, f.k.a. former */
	assert_int_equal(e->type, WL_ENT_ORG);
	n = name_of(e, "Allied Democratic Forces");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	n = name_of(e, "NALU");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_FORMER);
	assert_true(has_country(e, "CD"));

	e = find(l, "CDe.003"); /* "A (X) ; B (Y)" split into two names */
	assert_non_null(name_of(e, "GREAT LAKES BUSINESS COMPANY (GLBC)"));
	wl_list_free(l);
}

static void expect_error(const char *path, const char *needle)
{
	char err[512] = "";
	int rc;
	wl_list *l = load(path, &rc, err, sizeof(err));

	assert_null(l);
	assert_true(rc < 0);
	if (!strstr(err, needle))
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
	printf("# %s\n", err);
	if (strncmp(err, path, strlen(path)))
		fail_msg("error \"%s\" does not name %s", err, path);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	expect_error("tests/data/does-not-exist.xml", "No such file");
	/* Truncated XML names the file and a line. */
	expect_error("tests/data/un-truncated.xml", "un-truncated.xml:13: ");
	expect_error(EU_XML, "not a UN consolidated list");
	expect_error("tests/data/un-no-ref.xml",
		     "un-no-ref.xml:4: INDIVIDUAL without REFERENCE_NUMBER");
	expect_error("tests/data", "Is a directory");
}

/* External entities are never fetched: the name keeps no file text. */
static void test_no_xxe(void **state)
{
	char err[512] = "";
	int rc;
	wl_list *l = load("tests/data/un-xxe.xml", &rc, err, sizeof(err));
	const wl_entity *e;

	(void)state;
	assert_non_null(l);
	e = find(l, "XXi.002");
	assert_string_equal(e->names[0].text, "EVIL");
	wl_list_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_known_entries),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_no_xxe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
