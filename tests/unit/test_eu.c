/*
 * test_eu.c - EU FSF loader: the legacy WHOLE export (counts, types,
 * known entities, packed passport numbers, year ranges), the current
 * <export> schema from a hand-written fixture, and bad inputs.
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

#define EU_XML "../shared/data/lists/eu-fsf-2016/eu_fsf_whole_2016-02-11.xml"
#define UN_XML "../shared/data/lists/un-2026/consolidated.xml"
#define EU_EXPORT "tests/data/eu-export-sample.xml"

static wl_list *load(const char *path, int *rc, char *err, size_t errlen)
{
	wl_list *l = wl_list_new("eu", "eu-xml", path);

	assert_non_null(l);
	*rc = wl_load_eu(l, path, err, errlen);
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

static void test_legacy_counts(void **state)
{
	char err[512] = "";
	struct timespec t0, t1;
	uint32_t per = 0, org = 0, with_dob = 0;
	int rc;
	wl_list *l;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	l = load(EU_XML, &rc, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(rc, 0);
	printf("# eu legacy load %.1f ms, %u entities, %zu bytes\n",
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	       l->n_entities, wl_list_memory(l));
	assert_int_equal(l->n_entities, 595);
	for (uint32_t i = 0; i < l->n_entities; i++) {
		const wl_entity *e = &l->entities[i];

		per += e->type == WL_ENT_PERSON;
		org += e->type == WL_ENT_ORG;
		with_dob += e->n_dobs > 0;
		assert_true(e->n_names > 0);
		assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
		assert_true(e->programs[0] != '\0');
	}
	assert_int_equal(per, 319);
	assert_int_equal(org, 276);
	assert_true(with_dob > 250);
	wl_list_free(l);
}

static void test_legacy_known(void **state)
{
	char err[512] = "";
	const wl_entity *e;
	const wl_name *n;
	int rc;
	wl_list *l = load(EU_XML, &rc, err, sizeof(err));

	(void)state;
	assert_non_null(l);
	e = find(l, "13");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_string_equal(e->names[0].text, "Saddam Hussein Al-Tikriti");
	n = name_of(e, "Abu Ali");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	assert_true(has_dob(e, 1937, 4, 28));
	assert_true(has_country(e, "IQ")); /* CITIZEN COUNTRY IRQ */
	assert_string_equal(e->programs, "IRQ");

	e = find(l, "70"); /* packed passport numbers */
	assert_string_equal(e->names[0].text, "Grace Mugabe");
	assert_true(has_id(e, WL_ID_NATIONAL_ID, "63-646650 Q70"));
	assert_true(has_id(e, WL_ID_OTHER, "AD001159"));
	assert_true(has_dob(e, 1965, 7, 23));

	e = find(l, "516"); /* "1958 - 1963 (approximative)" */
	for (int y = 1958; y <= 1963; y++)
		assert_true(has_dob(e, y, 0, 0));

	e = find(l, "230");
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_string_equal(e->names[0].text, "Central Bank of Iraq");
	assert_true(has_country(e, "IQ")); /* ADDRESS COUNTRY */
	wl_list_free(l);
}

static void test_export_schema(void **state)
{
	char err[512] = "";
	const wl_entity *e;
	const wl_name *n;
	int rc;
	wl_list *l = load(EU_EXPORT, &rc, err, sizeof(err));

	(void)state;
	if (!l)
		fail_msg("%s", err);
	assert_int_equal(l->n_entities, 2);
	e = find(l, "900101");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_string_equal(e->names[0].text, "Ivan Petrovich TESTOV");
	n = name_of(e, "Иван Петрович ТЕСТОВ");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	assert_int_equal(n->script, WL_SCRIPT_CYRILLIC);
	n = name_of(e, "Vanya");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_WEAK);
	assert_true(has_dob(e, 1970, 5, 4));
	assert_true(has_dob(e, 1968, 0, 0) && has_dob(e, 1969, 0, 0));
	assert_true(has_id(e, WL_ID_PASSPORT, "7700112233"));
	assert_true(has_country(e, "RU"));
	assert_int_equal(e->n_countries, 1);
	assert_string_equal(e->programs, "UKR");

	e = find(l, "900202");
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_string_equal(e->names[0].text,
			    "Joint Stock Company Test Avionics");
	assert_true(has_id(e, WL_ID_REGISTRATION, "1027700000000"));
	assert_true(has_id(e, WL_ID_TAX, "7701000000"));
	assert_true(has_country(e, "RU")); /* "00" code, description used */
	assert_non_null(strstr(e->programs, "UKR"));
	assert_non_null(strstr(e->programs, "RUS"));
	wl_list_free(l);
}

static void expect_error(const char *path, const char *needle)
{
	char err[512] = "";
	int rc;
	wl_list *l = load(path, &rc, err, sizeof(err));

	assert_null(l);
	assert_true(rc < 0);
	printf("# %s\n", err);
	if (!strstr(err, needle))
		fail_msg("error \"%s\" lacks \"%s\"", err, needle);
	if (strncmp(err, path, strlen(path)))
		fail_msg("error \"%s\" does not name %s", err, path);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	expect_error("tests/data/missing-eu.xml", "No such file");
	expect_error("tests/data/eu-legacy-truncated.xml",
		     "eu-legacy-truncated.xml:9: ");
	expect_error(UN_XML, "not an EU financial sanctions file");
	expect_error("tests/data/eu-export-wrong-ns.xml",
		     "not an EU financial sanctions file");
	expect_error("tests/data/eu-export-dup.xml",
		     "eu-export-dup.xml:4: duplicate entity id 1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_legacy_counts),
		cmocka_unit_test(test_legacy_known),
		cmocka_unit_test(test_export_schema),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
