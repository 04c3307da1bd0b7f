/*
 * test_rules.c - rules file parsing (and its errors) and each default
 * rule firing and not firing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rules.h"

#define MAXH 16

static rules_set *defaults(void)
{
	char err[256] = "";
	rules_set *r = rules_default(err, sizeof(err));

	if (!r)
		fail_msg("default rules: %s", err);
	return r;
}

static const rules_good chip = { "854231", "1" };

/* Hits of rule name; first one copied to *h. */
static int fired(const rules_set *r, const rules_input *in, const char *rule,
		 rules_hit *first)
{
	rules_hit h[MAXH];
	size_t n = rules_eval(r, in, h, MAXH);
	int k = 0;

	assert_true(n <= MAXH);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(h[i].rule, rule)) {
			if (!k && first)
				*first = h[i];
			k++;
		}
	return k;
}

static void test_default_file(void **state)
{
	char err[256] = "";
	rules_set *a = defaults();
	rules_set *b = rules_load("deploy/rules.default", err, sizeof(err));

	(void)state;
	if (!b)
		fail_msg("%s", err);
	assert_int_equal(rules_count(a), 3);
	assert_int_equal(rules_count(b), rules_count(a));
	rules_free(a);
	rules_free(b);
	assert_null(rules_load("/nonexistent/rules", err, sizeof(err)));
	assert_non_null(strstr(err, "/nonexistent/rules"));
}

static void expect_error(const char *text, const char *want)
{
	char err[256] = "";
	rules_set *r = rules_parse(text, strlen(text), "t.rules", err,
				   sizeof(err));

	if (r || !strstr(err, want))
		fail_msg("'%s': got '%s', want '%s'", text, err, want);
}

static void test_parse_errors(void **state)
{
	char err[128];
	rules_set *r;

	(void)state;
	expect_error("# c\n\nallow x countries=RU in=route\n",
		     "t.rules:3: expected review or block");
	expect_error("block x countries=RU,ZZ in=route", "t.rules:1: unknown country 'ZZ'");
	expect_error("block x regions=atlantis in=address", "unknown region");
	expect_error("block x countries=RU in=moon", "unknown field 'moon'");
	expect_error("block x countries=RU", "has no in=");
	expect_error("block x in=route", "no countries= or regions=");
	expect_error("block x regions=crimea in=route", "regions= needs in=address");
	expect_error("block x countries=RU in=route colour=red", "unknown key 'colour'");
	expect_error("block x countries=RU,,BY in=route", "empty item");
	expect_error("block X! countries=RU in=route", "expected a rule name");
	expect_error("block x countries=RU in=route\nreview x countries=BY in=route",
		     "t.rules:2: duplicate rule name 'x'");
	expect_error("block x countries=RU in=route tiers=1", "tiers= needs goods=chpl");
	expect_error("block x countries=RU in=route unless=never", "unless=");
	/* names are accepted for countries; comments and blank lines */
	const char *ok = "  # only a comment\n\nreview t countries=Russia,tr in=via # x\n";
	r = rules_parse(ok, strlen(ok), "t", err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(rules_count(r), 1);
	rules_free(r);
}

static void test_russia_belarus(void **state)
{
	rules_set *r = defaults();
	rules_input in;
	rules_hit h;
	rules_party p[2];

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(p, 0, sizeof(p));
	memcpy(in.origin, "US", 3);
	memcpy(in.destination, "RU", 3);
	in.goods = &chip;
	in.n_goods = 1;
	assert_int_equal(fired(r, &in, "chpl-russia-belarus", &h), 1);
	assert_int_equal(h.decision, RULES_BLOCK);
	assert_string_equal(h.field, "route.destination");
	assert_string_equal(h.reason, "CHPL tier 1 good 854231 to RU (destination)");
	assert_int_equal(h.goods, 1);

	/* via Belarus */
	memcpy(in.destination, "KZ", 3);
	memcpy(in.via[0], "DE", 3);
	memcpy(in.via[1], "BY", 3);
	in.n_via = 2;
	assert_int_equal(fired(r, &in, "chpl-russia-belarus", &h), 1);
	assert_string_equal(h.field, "route.via[1]");

	/* a party in Russia, route clean */
	in.n_via = 0;
	memcpy(in.destination, "DE", 3);
	p[0].role = "debtor";
	memcpy(p[0].country, "DE", 3);
	p[1].role = "consignee";
	memcpy(p[1].country, "RU", 3);
	in.parties = p;
	in.n_parties = 2;
	assert_int_equal(fired(r, &in, "chpl-russia-belarus", &h), 1);
	assert_string_equal(h.field, "parties[1].country");
	assert_non_null(strstr(h.reason, "consignee in RU"));

	/* no CHPL good: nothing */
	in.n_goods = 0;
	assert_int_equal(fired(r, &in, "chpl-russia-belarus", NULL), 0);
	/* CHPL good, but no Russian/Belarusian place */
	in.n_goods = 1;
	memcpy(p[1].country, "FR", 3);
	assert_int_equal(fired(r, &in, "chpl-russia-belarus", NULL), 0);
	rules_free(r);
}

static void test_diversion_hub(void **state)
{
	rules_set *r = defaults();
	rules_input in;
	rules_hit h;
	rules_party eu;

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(&eu, 0, sizeof(eu));
	memcpy(in.origin, "US", 3);
	memcpy(in.via[0], "TR", 3);
	in.n_via = 1;
	memcpy(in.destination, "KG", 3);
	in.goods = &chip;
	in.n_goods = 1;
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", &h), 2);
	assert_int_equal(h.decision, RULES_REVIEW);
	assert_string_equal(h.field, "route.via[0]");

	/* end user in a hub too: still review */
	eu.role = "end_user";
	memcpy(eu.country, "AE", 3);
	in.parties = &eu;
	in.n_parties = 1;
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", NULL), 2);
	/* end user outside the hubs: no review */
	memcpy(eu.country, "DE", 3);
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", NULL), 0);
	/* ... also when given as input.end_user */
	in.n_parties = 0;
	memcpy(in.end_user, "JP", 3);
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", NULL), 0);
	in.end_user[0] = '\0';
	/* no CHPL good: nothing */
	in.n_goods = 0;
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", NULL), 0);
	/* hub only as origin: not a diversion */
	in.n_goods = 1;
	in.n_via = 0;
	memcpy(in.origin, "CN", 3);
	memcpy(in.destination, "DE", 3);
	assert_int_equal(fired(r, &in, "chpl-diversion-hub", NULL), 0);
	rules_free(r);
}

static void test_embargo(void **state)
{
	rules_set *r = defaults();
	rules_input in;
	rules_hit h;
	rules_party p;
	const char *addr = "ul. Lenina 5, Simferopol, Republic of Crimea";

	(void)state;
	memset(&in, 0, sizeof(in));
	memset(&p, 0, sizeof(p));
	memcpy(in.origin, "DE", 3);
	memcpy(in.destination, "IR", 3);
	assert_int_equal(fired(r, &in, "embargo", &h), 1);
	assert_int_equal(h.decision, RULES_BLOCK);
	assert_string_equal(h.reason, "embargo: to IR (destination)");

	memcpy(in.destination, "FR", 3);
	assert_int_equal(fired(r, &in, "embargo", NULL), 0);

	p.role = "creditor";
	memcpy(p.country, "UA", 3);
	p.address = addr;
	p.address_len = strlen(addr);
	in.parties = &p;
	in.n_parties = 1;
	assert_int_equal(fired(r, &in, "embargo", &h), 1);
	assert_string_equal(h.field, "parties[0].address");
	assert_string_equal(h.reason,
			    "embargo: creditor address names Crimea (UA)");

	/* Kyiv is not occupied; Ukraine itself is not embargoed */
	p.address = "Khreshchatyk 1, Kyiv, Ukraine";
	p.address_len = strlen(p.address);
	assert_int_equal(fired(r, &in, "embargo", NULL), 0);

	p.address = "Pyongyang, North Korea";
	p.address_len = strlen(p.address);
	assert_int_equal(fired(r, &in, "embargo", &h), 1);
	assert_non_null(strstr(h.reason, "KP"));

	p.address = NULL;
	memcpy(p.country, "CU", 3);
	assert_int_equal(fired(r, &in, "embargo", &h), 1);
	assert_string_equal(h.field, "parties[0].country");
	memcpy(in.vessel_flag, "SY", 3);
	assert_int_equal(fired(r, &in, "embargo", NULL), 2);
	assert_int_equal(h.goods, 0);
	/* hits are capped at max */
	assert_int_equal(rules_eval(r, &in, &h, 1), 1);
	assert_int_equal(rules_eval(r, &in, NULL, 0), 0);
	assert_int_equal(rules_eval(NULL, &in, &h, 1), 0);
	rules_free(r);
}

static void test_tiers(void **state)
{
	const char *t = "block t1 goods=chpl tiers=1,2 countries=CN in=destination\n";
	char err[128];
	rules_set *r = rules_parse(t, strlen(t), "t", err, sizeof(err));
	rules_good g = { "848210", "3.B" };
	rules_input in;

	(void)state;
	assert_non_null(r);
	memset(&in, 0, sizeof(in));
	memcpy(in.destination, "CN", 3);
	in.goods = &g;
	in.n_goods = 1;
	assert_int_equal(fired(r, &in, "t1", NULL), 0);
	in.goods = &chip;
	assert_int_equal(fired(r, &in, "t1", NULL), 1);
	rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_file),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_russia_belarus),
		cmocka_unit_test(test_diversion_hub),
		cmocka_unit_test(test_embargo),
		cmocka_unit_test(test_tiers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
