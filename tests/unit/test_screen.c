/* test_screen.c - the whole per-event path on a small list version:
 * every hit kind, allow-list suppression, error verdicts, version. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "screen.h"

static db *D;
static screen_ctx *C;
static verdict V;

static int setup(void **state)
{
	static const char *const specs[] = {
		"inhouse=interdict-csv:tests/data/screen/block.csv",
		"allow=interdict-csv:tests/data/screen/allow.csv",
		"chpl-csv:../shared/data/goods/chpl-2024-02-23.csv",
	};
	db_config cfg = { specs, 3, NULL, 0, 0, 0 };
	char err[512];

	(void)state;
	D = db_build(&cfg, err, sizeof(err));
	if (!D)
		fprintf(stderr, "db_build: %s\n", err);
	C = screen_ctx_new();
	return D && C ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	screen_ctx_free(C);
	db_free(D);
	return 0;
}

static void screen(const char *json)
{
	const char *id;
	size_t id_len;

	screen_message(C, D, json, strlen(json), &V, &id, &id_len);
}

/* Index of the first unsuppressed hit of kind k, or -1. */
static int find_hit(verdict_hit_kind k, int suppressed)
{
	for (uint32_t i = 0; i < V.n_hits; i++)
		if (V.hits[i].kind == k && V.hits[i].suppressed == suppressed)
			return (int)i;
	return -1;
}

static void test_pass(void **state)
{
	(void)state;
	screen("{\"id\":\"a\",\"parties\":[{\"name\":\"Maria Schneider\","
	       "\"type\":\"person\"}],\"remittance\":\"invoice 77\"}");
	assert_int_equal(V.outcome, VERDICT_PASS);
	assert_int_equal(V.n_hits, 0);
	assert_string_equal(V.lists_version, D->version);
}

static void test_name_and_id(void **state)
{
	int h;

	(void)state;
	screen("{\"id\":\"b\",\"parties\":[{\"name\":\"Ivan Ivanovich Petrov\","
	       "\"type\":\"person\",\"dob\":\"1970-05-01\"}]}");
	assert_int_equal(V.outcome, VERDICT_BLOCK);
	h = find_hit(HIT_NAME, 0);
	assert_true(h >= 0);
	assert_string_equal(V.hits[h].list, "inhouse");
	assert_string_equal(V.hits[h].entry, "T-1");
	screen("{\"id\":\"c\",\"parties\":[{\"name\":\"X\",\"bic\":\"ACMETRISXXX\","
	       "\"ids\":[{\"type\":\"inn\",\"value\":\"7707083893\"}]}]}");
	assert_int_equal(V.outcome, VERDICT_BLOCK);
	assert_true(find_hit(HIT_ID, 0) >= 0);
}

static void test_allow_list_suppresses(void **state)
{
	int h;

	(void)state;
	screen("{\"id\":\"d\",\"parties\":[{\"name\":\"Ivan Petrov\","
	       "\"type\":\"person\"}]}");
	h = find_hit(HIT_NAME, 1);
	assert_true(h >= 0);
	assert_int_equal(find_hit(HIT_NAME, 0), -1);
	assert_int_equal(V.outcome, VERDICT_PASS);
	assert_non_null(strstr(V.hits[h].reason, "allow-listed"));
}

static void test_vessel_text_goods_route(void **state)
{
	(void)state;
	screen("{\"id\":\"e\",\"type\":\"trade\",\"vessel\":{\"imo\":\"IMO 9179842\"}}");
	assert_int_equal(V.outcome, VERDICT_BLOCK);
	assert_true(find_hit(HIT_VESSEL, 0) >= 0);

	screen("{\"id\":\"f\",\"remittance\":\"prepayment to Zvezdoplan Aerospace "
	       "Holding for parts\"}");
	assert_true(find_hit(HIT_TEXT, 0) >= 0);
	assert_int_equal(V.outcome, VERDICT_REVIEW);

	screen("{\"id\":\"g\",\"type\":\"trade\",\"goods\":[{\"hs\":\"8542310000\"}],"
	       "\"route\":{\"origin\":\"US\",\"via\":[\"AE\"],\"destination\":\"RU\"}}");
	assert_int_equal(V.outcome, VERDICT_BLOCK);
	assert_true(find_hit(HIT_GOODS, 0) >= 0);
	assert_true(find_hit(HIT_ROUTE, 0) >= 0);

	/* The same good to Germany: controlled, but no rule fires. */
	screen("{\"id\":\"h\",\"type\":\"trade\",\"goods\":[{\"hs\":\"8542.31\"}],"
	       "\"route\":{\"origin\":\"US\",\"destination\":\"DE\"}}");
	assert_int_equal(V.outcome, VERDICT_PASS);
	assert_int_equal(V.n_hits, 0);
}

static void test_errors(void **state)
{
	const char *id;
	size_t id_len;
	static const char bad[] = "{\"id\":\"z\",\"parties\":[}";

	(void)state;
	screen_message(C, D, bad, sizeof(bad) - 1, &V, &id, &id_len);
	assert_int_equal(V.outcome, VERDICT_ERROR);
	assert_non_null(strstr(V.error, "invalid JSON"));
	screen("{\"id\":\"k\",\"parties\":[{\"name\":7}]}");
	assert_int_equal(V.outcome, VERDICT_ERROR); /* never unscreened */
	screen("{\"id\":7,\"vessel\":{\"imo\":9179842}}");
	assert_int_equal(V.outcome, VERDICT_BLOCK); /* numeric ids are fine */
	screen("{\"id\":\"k\",\"parties\":[{\"name\":{}}]}");
	assert_int_equal(V.outcome, VERDICT_ERROR);
	assert_non_null(strstr(V.error, "parties[0].name"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pass),
		cmocka_unit_test(test_name_and_id),
		cmocka_unit_test(test_allow_list_suppresses),
		cmocka_unit_test(test_vessel_text_goods_route),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
