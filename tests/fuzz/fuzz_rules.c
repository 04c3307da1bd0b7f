/*
 * fuzz_rules.c - the export-control rules parser (matchers/rules.c) on
 * arbitrary text, and rules_eval() on every set it accepts.
 *
 * Checks: rules_parse() never crashes or leaks; it returns a set or
 * NULL with a terminated, non-empty "name:line: reason"; an accepted
 * set evaluates three fixed events (goods to RU via TR, an embargoed
 * route with a Crimea address, an empty event) without reading out of
 * bounds, returns at most `max` hits (also max = 1), every hit names a
 * rule, has a review/block decision and terminated field and reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void eval_one(const rules_set *r, const rules_input *in)
{
	rules_hit hits[16];
	size_t n;

	n = rules_eval(r, in, hits, 16);
	FUZZ_CHECK(n <= 16, "rules_eval returned %zu", n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(hits[i].rule != NULL, "hit %zu without rule", i);
		FUZZ_CHECK(hits[i].decision == RULES_REVIEW ||
				   hits[i].decision == RULES_BLOCK,
			   "hit %zu decision %d", i, hits[i].decision);
		FUZZ_CHECK(memchr(hits[i].field, 0, sizeof(hits[i].field)) &&
				   memchr(hits[i].reason, 0,
					  sizeof(hits[i].reason)),
			   "hit %zu strings not terminated", i);
	}
	n = rules_eval(r, in, hits, 1);
	FUZZ_CHECK(n <= 1, "rules_eval(max 1) returned %zu", n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char crimea[] = "ul. Lenina 1, Simferopol, Crimea";
	const rules_party parties[] = {
		{ "debtor", "DE", "RU", NULL, 0 },
		{ "end_user", "AE", "", crimea, sizeof(crimea) - 1 },
		{ NULL, "", "", "Tehran, Iran", 12 },
	};
	const rules_good goods[] = { { "854231", "1" }, { "9014", "3.A" } };
	rules_input in[3];
	char err[256];
	rules_set *r;

	memset(in, 0, sizeof(in));
	memcpy(in[0].origin, "US", 3);
	memcpy(in[0].via[0], "TR", 3);
	in[0].n_via = 1;
	memcpy(in[0].destination, "RU", 3);
	in[0].parties = parties;
	in[0].n_parties = 3;
	in[0].goods = goods;
	in[0].n_goods = 2;
	memcpy(in[1].origin, "IR", 3);
	memcpy(in[1].via[0], "KZ", 3);
	memcpy(in[1].via[1], "CN", 3);
	in[1].n_via = 2;
	memcpy(in[1].destination, "BY", 3);
	memcpy(in[1].vessel_flag, "KP", 3);
	memcpy(in[1].end_user, "HK", 3);
	in[1].parties = parties + 1;
	in[1].n_parties = 2;

	err[0] = '\0';
	r = rules_parse((const char *)data, size, "fuzz", err, sizeof(err));
	fuzz_check_err(err, sizeof(err));
	if (!r) {
		FUZZ_CHECK(err[0] != '\0', "rules_parse failed silently");
		return 0;
	}
	(void)rules_count(r);
	for (int i = 0; i < 3; i++)
		eval_one(r, &in[i]);
	rules_free(r);
	return 0;
}
