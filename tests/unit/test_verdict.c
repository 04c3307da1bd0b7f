/* test_verdict.c - hit ranking, suppression, error verdicts, JSON. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "verdict.h"

static void test_outcome_and_suppression(void **state)
{
	static verdict v;
	verdict_hit *h;

	(void)state;
	verdict_reset(&v, "V1");
	assert_int_equal(v.outcome, VERDICT_PASS);
	h = verdict_add_hit(&v, HIT_NAME, VERDICT_BLOCK, 0.97f, 1);
	assert_non_null(h);
	assert_int_equal(v.outcome, VERDICT_PASS); /* suppressed */
	h = verdict_add_hit(&v, HIT_TEXT, VERDICT_REVIEW, 0.85f, 0);
	assert_int_equal(v.outcome, VERDICT_REVIEW);
	assert_float_equal(v.score, 0.85f, 1e-6);
	verdict_add_hit(&v, HIT_ID, VERDICT_BLOCK, 1.0f, 0);
	assert_int_equal(v.outcome, VERDICT_BLOCK);
	assert_int_equal(v.n_hits, 3);
}

static void test_keeps_strongest_when_full(void **state)
{
	static verdict v;
	int blocks = 0;

	(void)state;
	verdict_reset(&v, "V");
	for (int i = 0; i < VERDICT_MAX_HITS + 10; i++)
		verdict_add_hit(&v, HIT_NAME, VERDICT_REVIEW, 0.8f, 0);
	assert_non_null(verdict_add_hit(&v, HIT_ID, VERDICT_BLOCK, 1.0f, 0));
	assert_int_equal(v.n_hits, VERDICT_MAX_HITS);
	assert_int_equal(v.hits_dropped, 11);
	for (uint32_t i = 0; i < v.n_hits; i++)
		blocks += v.hits[i].decision == VERDICT_BLOCK;
	assert_int_equal(blocks, 1);
	assert_int_equal(v.outcome, VERDICT_BLOCK);
}

static void test_encode(void **state)
{
	static verdict v;
	char buf[VERDICT_JSON_MAX];
	verdict_hit *h;
	int n;

	(void)state;
	verdict_reset(&v, "2026-11-27T09:00:00Z/3f2a9c1e");
	h = verdict_add_hit(&v, HIT_NAME, VERDICT_BLOCK, 0.97f, 0);
	snprintf(h->field, sizeof(h->field), "parties[1].name");
	h->list = "ofac-sdn";
	h->entry = "16642";
	h->entry_name = "AKSYONOV, \"Sergey\"";
	snprintf(h->matched, sizeof(h->matched), "sergei aksenov");
	snprintf(h->reason, sizeof(h->reason), "name 0.97; dob equal");
	n = verdict_encode(&v, "tx-1", 4, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(buf[n - 1], '\n');
	assert_non_null(strstr(buf, "{\"id\":\"tx-1\",\"verdict\":\"block\",\"score\":0.97,"));
	assert_non_null(strstr(buf, "\"entry_name\":\"AKSYONOV, \\\"Sergey\\\"\""));
	assert_non_null(strstr(buf, "\"lists_version\":\"2026-11-27T09:00:00Z/3f2a9c1e\"}"));
	assert_null(strstr(buf, "\"error\""));
	assert_int_equal(verdict_encode(&v, "tx-1", 4, buf, 40), -ENOSPC);
}

static void test_error_verdict_and_bad_id(void **state)
{
	static verdict v;
	char buf[1024];
	int n;

	(void)state;
	verdict_reset(&v, "V");
	verdict_set_error(&v, "invalid JSON at byte %d: %s", 7, "truncated");
	n = verdict_encode(&v, "a\xff" "b", 3, buf, sizeof(buf));
	assert_true(n > 0);
	assert_non_null(strstr(buf, "\"id\":\"a?b\""));
	assert_non_null(strstr(buf, "\"verdict\":\"error\""));
	assert_non_null(strstr(buf, "\"error\":\"invalid JSON at byte 7: truncated\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outcome_and_suppression),
		cmocka_unit_test(test_keeps_strongest_when_full),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_error_verdict_and_bad_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
