/* test_event.c - event parsing: every field, and every error kind. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "event.h"

static event_parser *P;
static event *E;

static int setup(void **state)
{
	(void)state;
	P = event_parser_new();
	E = calloc(1, sizeof(*E));
	return P && E ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	event_parser_free(P);
	free(E);
	return 0;
}

static int parse(const char *s, char *err)
{
	return event_parse(P, s, strlen(s), E, err, 160);
}

static void test_full_event(void **state)
{
	const char *s =
		"{\"id\":\"tx-1\",\"type\":\"trade\",\"parties\":[{\"role\":\"debtor\","
		"\"type\":\"person\",\"name\":\"Sergei Aksenov\",\"country\":\"TR\","
		"\"dob\":\"1972-11-26\",\"account\":\"TR33\",\"bic\":\"AKBKTRIS\","
		"\"ids\":[{\"type\":\"inn\",\"value\":\"7707083893\"}]},"
		"{\"name\":\"B\\u00fcy\\u00fck\",\"type\":\"organization\"}],"
		"\"remittance\":\"500 pcs\",\"goods\":[{\"hs\":\"8542.31\"},{\"hs\":854231}],"
		"\"route\":{\"origin\":\"US\",\"via\":[\"TR\",\"AE\"],\"destination\":\"RU\"},"
		"\"vessel\":{\"name\":\"ANGARA\",\"imo\":9179842},\"extra\":{\"x\":[1]}}";
	char err[160];

	(void)state;
	assert_int_equal(parse(s, err), 0);
	assert_string_equal(E->id.s, "tx-1");
	assert_int_equal(E->type, EVENT_TRADE);
	assert_int_equal(E->n_parties, 2);
	assert_string_equal(E->parties[0].name.s, "Sergei Aksenov");
	assert_int_equal(E->parties[0].type, WL_ENT_PERSON);
	assert_int_equal(E->parties[0].dob_date.year, 1972);
	assert_int_equal(E->parties[0].dob_date.day, 26);
	assert_int_equal(E->parties[0].n_ids, 1);
	assert_int_equal(E->parties[0].ids[0].wl_type, WL_ID_INN);
	assert_string_equal(E->parties[1].name.s, "B\xc3\xbcy\xc3\xbck");
	assert_int_equal(E->parties[1].type, WL_ENT_ORG);
	assert_int_equal(E->n_goods, 2);
	assert_string_equal(E->goods[1].hs.s, "854231");
	assert_int_equal(E->n_via, 2);
	assert_string_equal(E->route_via[1].s, "AE");
	assert_string_equal(E->route_destination.s, "RU");
	assert_true(E->has_vessel);
	assert_string_equal(E->vessel_imo.s, "9179842");
}

static void test_errors(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "{\"id\":\"a\"", "invalid JSON" },
		{ "{\"id\":\"\xff\"}", "invalid UTF-8" },
		{ "{\"type\":\"payment\"}", "missing id" },
		{ "{\"id\":\"\"}", "missing id" },
		{ "[1]", "not a JSON object" },
		{ "{\"id\":\"a\",\"parties\":{}}", "parties: expected array" },
		{ "{\"id\":\"a\",\"parties\":[{\"name\":5.5e3}]}",
		  "parties[0].name: expected string" },
		{ "{\"id\":\"a\",\"parties\":[{\"account\":123,\"ids\":"
		  "[{\"type\":\"inn\",\"value\":7707083893}]}]}", NULL },
		{ "{\"id\":\"a\",\"parties\":[{\"name\":[\"x\"]}]}",
		  "parties[0].name: expected string" },
		{ "{\"id\":\"a\",\"type\":\"loan\"}", "type: expected" },
		{ "{\"id\":{}}", "id: expected string" },
	};
	char err[160];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].in, err);

		if (!cases[i].want) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_true(rc < 0);
		assert_non_null(strstr(err, cases[i].want));
	}
}

static void test_id_kept_on_error(void **state)
{
	char err[160];

	(void)state;
	assert_true(parse("{\"id\":\"tx-9\",\"goods\":7}", err) < 0);
	assert_string_equal(E->id.s, "tx-9");
}

static void test_limits(void **state)
{
	size_t n = EVENT_MAX_BYTES + 10;
	char *big = malloc(n + 1), err[160];
	int rc;

	(void)state;
	memset(big, ' ', n);
	memcpy(big, "{\"id\":\"x\"}", 10);
	big[n] = '\0';
	rc = event_parse(P, big, n, E, err, sizeof(err));
	assert_true(rc < 0);
	assert_non_null(strstr(err, "larger than"));
	memset(big, '[', 5000);
	big[5000] = '\0';
	assert_true(parse(big, err) < 0);
	assert_non_null(strstr(err, "nesting deeper"));
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_event), cmocka_unit_test(test_errors),
		cmocka_unit_test(test_id_kept_on_error),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
