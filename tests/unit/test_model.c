/* test_model.c - list model builder, dates, scripts, arena. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

static void test_builder_groups_interleaved(void **state)
{
	wl_list *l = wl_list_new("t", "interdict-csv", "x");
	int64_t a, b;

	(void)state;
	assert_non_null(l);
	a = wl_list_add_entity(l, " A1 ", 4, WL_ENT_PERSON);
	b = wl_list_add_entity(l, "B2", 2, WL_ENT_ORG);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	/* Interleaved, as OFAC alt.csv arrives after sdn.csv. */
	assert_int_equal(wl_entity_add_name(l, 1, "Beta LLC", 8, WL_NAME_STRONG), 0);
	assert_int_equal(wl_entity_add_name(l, 0, "Alpha", 5, WL_NAME_STRONG), 0);
	assert_int_equal(wl_entity_add_name(l, 1, "Beta", 4, WL_NAME_PRIMARY), 0);
	assert_int_equal(wl_entity_add_name(l, 1, "Beta", 4, WL_NAME_WEAK), 0);
	assert_int_equal(wl_entity_add_name(l, 0, "Альфа", strlen("Альфа"), WL_NAME_WEAK), 0);
	assert_int_equal(wl_entity_add_id(l, 0, WL_ID_IMO, "9179842", 7), 0);
	assert_int_equal(wl_entity_add_id(l, 0, WL_ID_IMO, "9179842", 7), 0);
	assert_int_equal(wl_entity_add_country(l, 0, "ru"), 0);
	assert_int_equal(wl_entity_add_country(l, 0, "RU"), 0);
	assert_int_equal(wl_entity_add_country(l, 0, "Russia"), -EINVAL);
	assert_int_equal(wl_entity_add_program(l, 1, "IRAN", 4), 0);
	assert_int_equal(wl_entity_add_program(l, 1, "SDGT", 4), 0);
	assert_int_equal(wl_entity_add_attr(l, 1, "flag", "Panama", 6), 0);
	assert_int_equal(wl_entity_add_attr(l, 1, "flag", "Panama", 6), 0);
	assert_int_equal(wl_list_find(l, "B2", 2), 1);
	assert_int_equal(wl_list_find(l, "A1", 2), 0);
	assert_int_equal(wl_list_find(l, "C3", 2), -1);
	assert_int_equal(wl_list_finish(l), 0);

	assert_string_equal(l->entities[0].id, "A1");
	assert_int_equal(l->entities[0].n_names, 2);
	assert_int_equal(l->entities[0].names[1].script, WL_SCRIPT_CYRILLIC);
	assert_int_equal(l->entities[0].n_ids, 1);
	assert_int_equal(l->entities[0].n_countries, 1);
	assert_string_equal(l->entities[0].countries[0], "RU");
	/* Primary first; the duplicate kept its strongest strength. */
	assert_int_equal(l->entities[1].n_names, 2);
	assert_string_equal(l->entities[1].names[0].text, "Beta");
	assert_int_equal(l->entities[1].names[0].strength, WL_NAME_PRIMARY);
	assert_string_equal(l->entities[1].programs, "IRAN; SDGT");
	assert_int_equal(l->entities[1].n_attrs, 1);
	assert_true(wl_list_memory(l) > 0);
	wl_list_free(l);
}

static void test_many_entities_find(void **state)
{
	wl_list *l = wl_list_new("t", "x", "x");
	char id[16];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(id, sizeof(id), "E%d", i);

		assert_int_equal(wl_list_add_entity(l, id, (size_t)n, WL_ENT_ORG), i);
	}
	for (int i = 0; i < 5000; i += 97) {
		int n = snprintf(id, sizeof(id), "E%d", i);

		assert_int_equal(wl_list_find(l, id, (size_t)n), i);
	}
	wl_list_free(l); /* unfinished list frees cleanly too */
}

static void test_dates(void **state)
{
	static const struct {
		const char *s;
		int y, m, d;
	} ok[] = {
		{ "1972-11-26", 1972, 11, 26 }, { "26 Nov 1972", 1972, 11, 26 },
		{ "26.11.1972", 1972, 11, 26 }, { "1972", 1972, 0, 0 },
		{ "1972-11", 1972, 11, 0 },     { "Nov 1972", 1972, 11, 0 },
		{ "circa 1965", 1965, 0, 0 },   { "Nov 26 1972", 1972, 11, 26 },
	};
	static const char *bad[] = { "", "abc", "13.13.1972", "1700", "26 Foo" };
	wl_date d;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(wl_date_parse(ok[i].s, strlen(ok[i].s), &d), 0);
		assert_int_equal(d.year, ok[i].y);
		assert_int_equal(d.month, ok[i].m);
		assert_int_equal(d.day, ok[i].d);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(wl_date_parse(bad[i], strlen(bad[i]), &d), -EINVAL);
}

static void test_scripts_and_names(void **state)
{
	(void)state;
	assert_int_equal(wl_script_of("Türkiye", strlen("Türkiye")), WL_SCRIPT_LATIN);
	assert_int_equal(wl_script_of("Путин", strlen("Путин")), WL_SCRIPT_CYRILLIC);
	assert_int_equal(wl_script_of("بوتين", strlen("بوتين")), WL_SCRIPT_ARABIC);
	assert_int_equal(wl_script_of("Πούτιν", strlen("Πούτιν")), WL_SCRIPT_GREEK);
	assert_int_equal(wl_script_of("普京", strlen("普京")), WL_SCRIPT_CJK);
	assert_int_equal(wl_id_type_from_name("imo", 3), WL_ID_IMO);
	assert_int_equal(wl_id_type_from_name("tax_id", 6), WL_ID_TAX);
	assert_int_equal(wl_id_type_from_name("zzz", 3), WL_ID_OTHER);
	assert_string_equal(wl_ent_type_name(WL_ENT_VESSEL), "vessel");
}

static void test_arena(void **state)
{
	arena a;
	char *big, *s;

	(void)state;
	arena_init(&a, 4096);
	s = arena_strdup(&a, "hello");
	big = arena_alloc(&a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	assert_string_equal(s, "hello");
	assert_int_equal((uintptr_t)arena_alloc(&a, 3) % 16, 0);
	assert_true(a.total >= 100000 + 4096);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builder_groups_interleaved),
		cmocka_unit_test(test_many_entities_find),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_scripts_and_names),
		cmocka_unit_test(test_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
