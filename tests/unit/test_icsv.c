/*
 * test_icsv.c - the interdict-csv loader: block list merging, allow
 * list, goods list, and one fixture per rejected input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lists/loader.h"

static wl_list *load(const char *path)
{
	char err[512] = "";
	wl_list *l = wl_list_new("inhouse", "interdict-csv", path);

	assert_non_null(l);
	if (wl_load_icsv(l, path, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(wl_list_finish(l), 0);
	return l;
}

static int has_id(const wl_entity *e, wl_id_type t, const char *v)
{
	for (uint32_t i = 0; i < e->n_ids; i++)
		if (e->ids[i].type == t && !strcmp(e->ids[i].value, v))
			return 1;
	return 0;
}

static void test_block(void **state)
{
	wl_list *l = load("tests/data/icsv-block.csv");
	const wl_entity *e;

	(void)state;
	assert_string_equal(l->id, "inhouse"); /* dispatcher's choice kept */
	assert_int_equal(l->n_entities, 3);
	e = &l->entities[0];
	assert_string_equal(e->id, "IH-1");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_int_equal(e->n_names, 3);
	assert_string_equal(e->names[0].text, "PETROV, Ivan Ivanovich");
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
	assert_string_equal(e->names[1].text, "Ivan Petrov");
	assert_int_equal(e->names[1].strength, WL_NAME_STRONG);
	assert_int_equal(e->names[2].strength, WL_NAME_WEAK);
	assert_true(has_id(e, WL_ID_INN, "770708389312"));
	assert_true(has_id(e, WL_ID_PASSPORT, "4509 123456"));
	assert_int_equal(e->n_countries, 1); /* RU and Russian merge */
	assert_string_equal(e->countries[0], "RU");
	assert_int_equal(e->n_dobs, 1);
	assert_int_equal(e->dobs[0].year, 1970);
	assert_int_equal(e->dobs[0].month, 5);
	assert_int_equal(e->dobs[0].day, 1);
	assert_string_equal(e->programs, "INTERNAL-FRAUD");

	e = &l->entities[1];
	assert_int_equal(e->type, WL_ENT_ORG);
	assert_string_equal(e->names[0].text, "Acme Trading, LLC");
	assert_int_equal(e->names[1].strength, WL_NAME_FORMER);
	assert_true(has_id(e, WL_ID_BIC, "ACMETRIS"));
	assert_true(has_id(e, WL_ID_BIC, "ACMETRI2")); /* "swift" alias */
	assert_string_equal(e->countries[0], "TR");

	e = &l->entities[2];
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_true(has_id(e, WL_ID_IMO, "9179842"));
	wl_list_free(l);
}

static void test_allow_goods(void **state)
{
	wl_list *l = load("tests/data/icsv-allow.csv");

	(void)state;
	assert_int_equal(l->n_allows, 2);
	assert_int_equal(l->n_entities, 0);
	assert_string_equal(l->allows[0].party_name, "Sergei Aksenov");
	assert_string_equal(l->allows[0].list, "ofac-sdn");
	assert_string_equal(l->allows[0].entry, "16642");
	assert_string_equal(l->allows[0].reason,
			    "customer since 2001, different DOB");
	assert_string_equal(l->allows[1].party_name, "");
	assert_string_equal(l->allows[1].account, "DE89370400440532013000");
	assert_string_equal(l->allows[1].list, "");
	wl_list_free(l);

	l = load("tests/data/icsv-goods.csv");
	assert_int_equal(l->n_goods, 2);
	assert_string_equal(l->goods[0].hs, "880622");
	assert_string_equal(l->goods[0].tier, "X");
	assert_string_equal(l->goods[0].description, "In-house: drones");
	assert_string_equal(l->goods[1].hs, "901420");
	assert_string_equal(l->goods[1].tier, "");
	wl_list_free(l);
}

static void expect_fail(const char *path, int want, const char *msg)
{
	char err[512] = "";
	wl_list *l = wl_list_new("x", "interdict-csv", path);

	assert_non_null(l);
	assert_int_equal(wl_load_icsv(l, path, err, sizeof(err)), want);
	if (!strstr(err, msg))
		fail_msg("error '%s' lacks '%s'", err, msg);
	wl_list_free(l);
}

static void test_errors(void **state)
{
	(void)state;
	expect_fail("tests/data/no-such.csv", -ENOENT, "tests/data/no-such.csv: ");
	expect_fail("tests/data/icsv-bad-type.csv", -EINVAL,
		    "icsv-bad-type.csv:2: unknown type 'starship'");
	expect_fail("tests/data/icsv-bad-idtype.csv", -EINVAL,
		    "icsv-bad-idtype.csv:2: unknown id_type 'shoe_size'");
	expect_fail("tests/data/icsv-bad-column.csv", -EINVAL,
		    "icsv-bad-column.csv:1: unknown column 'colour'");
	expect_fail("tests/data/icsv-bad-unclosed.csv", -EINVAL,
		    "icsv-bad-unclosed.csv:3: quoted field never closed");
	expect_fail("tests/data/icsv-bad-utf8.csv", -EINVAL,
		    "icsv-bad-utf8.csv:3: invalid UTF-8");
	expect_fail("tests/data/icsv-bad-count.csv", -EINVAL,
		    "icsv-bad-count.csv:3: expected 3 fields, got 2");
	expect_fail("tests/data/icsv-bad-country.csv", -EINVAL,
		    "icsv-bad-country.csv:2: unknown country 'Atlantis'");
	expect_fail("tests/data/icsv-bad-dob.csv", -EINVAL,
		    "icsv-bad-dob.csv:2: bad dob");
	expect_fail("tests/data/icsv-bad-empty.csv", -EINVAL, "no header line");
	expect_fail("../shared/data/goods/chpl-2024-02-23.csv", -EINVAL,
		    "chpl-2024-02-23.csv:1: unknown column 'hs_code'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_allow_goods),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
