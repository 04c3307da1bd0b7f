/*
 * test_ftm.c - FollowTheMoney JSON-lines loader: per-schema counts of
 * the real OpenSanctions files, scripts, typed ids, a hand-written
 * fixture covering every mapping, and each malformed-line error.
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

#define OS_DIR "../shared/data/lists/opensanctions/"
#define EU_JOURNAL OS_DIR "eu_journal_russia_belarus.ftm.json"
#define ZALA OS_DIR "zala_entities.ftm.json"

static wl_list *load(const char *path, int *rc, char *err, size_t errlen)
{
	wl_list *l = wl_list_new("os", "ftm", path);

	assert_non_null(l);
	*rc = wl_load_ftm(l, path, err, errlen);
	if (*rc == 0)
		*rc = wl_list_finish(l);
	if (*rc) {
		wl_list_free(l);
		return NULL;
	}
	return l;
}

static wl_list *load_timed(const char *path, const char *what)
{
	char err[512] = "";
	struct timespec t0, t1;
	int rc;
	wl_list *l;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	l = load(path, &rc, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!l)
		fail_msg("%s", err);
	printf("# %s load %.1f ms, %u entities, %zu bytes\n", what,
	       (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	       l->n_entities, wl_list_memory(l));
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

static int n_ids(const wl_entity *e, wl_id_type t)
{
	int n = 0;

	for (uint32_t i = 0; i < e->n_ids; i++)
		n += e->ids[i].type == t;
	return n;
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

static void test_eu_journal(void **state)
{
	uint32_t cnt[WL_ENT__COUNT] = { 0 }, imo = 0, inn = 0, cyr = 0;
	uint32_t ru = 0;
	const wl_entity *e;
	const wl_name *n;
	wl_list *l = load_timed(EU_JOURNAL, "eu_journal");

	(void)state;
	/* 4,956 lines: 29 Asset entities are not screenable and skipped. */
	assert_int_equal(l->n_entities, 4956 - 29);
	for (uint32_t i = 0; i < l->n_entities; i++) {
		e = &l->entities[i];
		cnt[e->type]++;
		imo += e->type == WL_ENT_VESSEL && n_ids(e, WL_ID_IMO) == 1;
		inn += n_ids(e, WL_ID_INN) > 0;
		ru += e->type == WL_ENT_PERSON && has_country(e, "RU");
		assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
		assert_true(e->programs[0] != '\0');
		for (uint32_t j = 0; j < e->n_names; j++)
			cyr += e->names[j].script == WL_SCRIPT_CYRILLIC;
	}
	assert_int_equal(cnt[WL_ENT_PERSON], 2296);
	assert_int_equal(cnt[WL_ENT_ORG], 1802 + 196);
	assert_int_equal(cnt[WL_ENT_VESSEL], 633);
	assert_int_equal(imo, 633);
	assert_int_equal(inn, 65);
	assert_true(cyr > 2000);
	assert_true(ru > 800); /* "Russian" nationality resolved */

	e = find(l, "eu-11407b0b2741e67f");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_string_equal(e->names[0].text, "Sergey Valeryevich AKSYONOV");
	n = name_of(e, "Сергей Валерьевич АКСЁНОВ");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_STRONG);
	assert_int_equal(n->script, WL_SCRIPT_CYRILLIC);
	assert_true(has_dob(e, 1972, 11, 26));
	assert_string_equal(e->programs, "EU-UKR");

	/* Line 1985 reuses line 1's id for a company: kept apart. */
	e = find(l, "eu-11407b0b2741e67f~2");
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_true(has_id(e, WL_ID_REGISTRATION, "1149102099717"));
	assert_null(name_of(e, "Sergey Valeryevich AKSYONOV"));
	assert_true(l->warnings >= 1479);
	wl_list_free(l);
}

static void test_zala(void **state)
{
	uint32_t cnt[WL_ENT__COUNT] = { 0 }, scripts = 0;
	const wl_entity *e;
	wl_list *l = load_timed(ZALA, "zala");
	const wl_name *n;

	(void)state;
	/* 91 lines: 6 Person + 11 Company; Sanction, Ownership, Address,
	 * Family, Directorship and Passport records are relations. */
	assert_int_equal(l->n_entities, 17);
	for (uint32_t i = 0; i < l->n_entities; i++)
		cnt[l->entities[i].type]++;
	assert_int_equal(cnt[WL_ENT_PERSON], 6);
	assert_int_equal(cnt[WL_ENT_ORG], 11);
	e = find(l, "NK-abdzbEBkqyT29GyREbiURZ");
	for (uint32_t j = 0; j < e->n_names; j++)
		scripts |= 1u << e->names[j].script;
	assert_true(scripts & (1u << WL_SCRIPT_CYRILLIC));
	assert_true(scripts & (1u << WL_SCRIPT_CJK));
	assert_true(scripts & (1u << WL_SCRIPT_LATIN));
	n = name_of(e, "ZALA");
	assert_non_null(n);
	assert_int_equal(n->strength, WL_NAME_WEAK);
	assert_true(has_id(e, WL_ID_INN, "1841015504"));
	assert_true(has_id(e, WL_ID_OGRN, "1101841007938"));
	assert_true(has_country(e, "RU"));
	wl_list_free(l);
}

static void test_fixture(void **state)
{
	char err[512] = "";
	int rc;
	wl_list *l = load("tests/data/ftm-sample.ftm.json", &rc, err,
			  sizeof(err));
	const wl_entity *e;
	const wl_name *n;

	(void)state;
	if (!l)
		fail_msg("%s", err);
	assert_int_equal(l->n_entities, 4); /* the Sanction is skipped */
	e = find(l, "w-1");
	assert_int_equal(e->type, WL_ENT_WALLET);
	assert_true(has_id(e, WL_ID_CRYPTO,
			   "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"));
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY); /* caption */

	e = find(l, "p-1");
	assert_string_equal(e->names[0].text, "Ivan Testov");
	n = name_of(e, "Ivan P. Testov");
	assert_true(n && n->strength == WL_NAME_STRONG);
	n = name_of(e, "Иван Тестов"); /* decoded \u escapes */
	assert_true(n && n->strength == WL_NAME_STRONG &&
		    n->script == WL_SCRIPT_CYRILLIC);
	n = name_of(e, "Vanya");
	assert_true(n && n->strength == WL_NAME_WEAK);
	n = name_of(e, "Ivan Oldname");
	assert_true(n && n->strength == WL_NAME_FORMER);
	assert_true(has_dob(e, 1960, 2, 1));
	assert_true(has_dob(e, 1961, 0, 0));
	assert_true(has_country(e, "UA") && has_country(e, "RU"));
	assert_true(has_id(e, WL_ID_INN, "770700000000"));
	assert_true(has_id(e, WL_ID_PASSPORT, "7700112233"));

	e = find(l, "a-1");
	assert_int_equal(e->type, WL_ENT_AIRCRAFT);
	assert_true(has_country(e, "RU"));

	e = find(l, "v-1");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_string_equal(e->names[0].text, "SEA \"TEST\"");
	assert_true(has_id(e, WL_ID_IMO, "IMO 9000001"));
	assert_true(has_id(e, WL_ID_MMSI, "273000001"));
	assert_true(has_id(e, WL_ID_CALLSIGN, "UBAA1"));
	assert_string_equal(e->programs, "EU-RUS");
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
	expect_error("tests/data/missing.ftm.json", "No such file");
	expect_error("tests/data/ftm-bad-json.ftm.json",
		     "ftm-bad-json.ftm.json:2: invalid JSON");
	expect_error("tests/data/ftm-bad-utf8.ftm.json",
		     "ftm-bad-utf8.ftm.json:3: invalid UTF-8");
	expect_error("tests/data/ftm-bad-types.ftm.json",
		     "ftm-bad-types.ftm.json:3: property is not an array: \"name\"");
	expect_error("tests/data/ftm-bad-values.ftm.json",
		     "ftm-bad-values.ftm.json:1: property value is not a string");
	expect_error("tests/data/ftm-bad-id.ftm.json",
		     "ftm-bad-id.ftm.json:2: entity is not a JSON object");
	/* An XML file is not JSON lines: line 1 fails. */
	expect_error("tests/data/un-no-ref.xml", "un-no-ref.xml:1: invalid JSON");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eu_journal),
		cmocka_unit_test(test_zala),
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
