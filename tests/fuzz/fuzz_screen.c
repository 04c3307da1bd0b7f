/*
 * fuzz_screen.c - the whole per-event path: screen_message()
 * (matchers/screen*.c: event parse, identifiers, names, free text,
 * vessel, goods, route rules, allow list) over a small db built from
 * the fixtures in tests/data (OFAC, CSL, in-house block, goods and
 * allow lists) plus the CHPL of ../shared when present.
 *
 * Checks: screen_message() never crashes, leaks or fails; a message the
 * event parser rejects gets an `error` verdict; the verdict is
 * consistent (outcome in range, hits <= VERDICT_MAX_HITS, finite scores
 * in [0,1], terminated inline strings, no hit stronger than the
 * outcome unless suppressed); the returned id is valid UTF-8;
 * verdict_encode() succeeds in VERDICT_JSON_MAX bytes and writes one
 * line of strict JSON (checked with json_parse()).
 *
 * The db, the screen_ctx and an event parser are built once, lazily,
 * and kept in statics (acceptable for a fuzz harness: the db is
 * immutable and the contexts are per-thread scratch).  The repository
 * root is $INTERDICT_ROOT, else derived from this binary's path
 * (build/fuzz/bin/fuzz_screen), else the working directory.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "event.h"
#include "fuzz_util.h"
#include "json.h"
#include "screen.h"
#include "verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void repo_root(char *root, size_t cap)
{
	const char *env = getenv("INTERDICT_ROOT");
	char exe[PATH_MAX];
	ssize_t n;

	snprintf(root, cap, ".");
	if (env && *env) {
		snprintf(root, cap, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *cut;

		exe[n] = '\0';
		cut = strstr(exe, "/build/fuzz/bin/");
		if (cut) {
			*cut = '\0';
			snprintf(root, cap, "%s", exe);
		}
	}
}

static db *build_db(void)
{
	static const char *const rel[] = {
		"ofac-csv:%s/tests/data/ofac-small",
		"csl-csv:%s/tests/data/csl-small.csv",
		"interdict-csv:%s/tests/data/icsv-block.csv",
		"interdict-csv:%s/tests/data/icsv-goods.csv",
		"interdict-csv:%s/tests/data/icsv-allow.csv",
		"chpl-csv:%s/../shared/data/goods/chpl-2024-02-23.csv",
	};
	char root[PATH_MAX], buf[6][PATH_MAX + 64], err[512];
	const char *specs[6];
	size_t n = 0;
	db_config cfg;
	db *d;

	repo_root(root, sizeof(root));
	for (size_t i = 0; i < 6; i++) {
		snprintf(buf[n], sizeof(buf[n]), rel[i], root);
		if (access(strchr(buf[n], ':') + 1, R_OK) == 0)
			specs[n] = buf[n], n++;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.specs = specs;
	cfg.n_specs = n;
	d = db_build(&cfg, err, sizeof(err));
	if (!d || n < 5) {
		fprintf(stderr, "fuzz_screen: cannot build the db under %s "
			"(set INTERDICT_ROOT): %s\n", root,
			d ? "fixtures missing" : err);
		abort();
	}
	return d;
}

static void check_verdict(const verdict *v)
{
	FUZZ_CHECK(v->outcome < VERDICT__COUNT, "outcome %u", v->outcome);
	FUZZ_CHECK(v->n_hits <= VERDICT_MAX_HITS, "n_hits %u", v->n_hits);
	FUZZ_CHECK(isfinite(v->score) && v->score >= 0 && v->score <= 1,
		   "score %f", (double)v->score);
	FUZZ_CHECK(memchr(v->error, 0, sizeof(v->error)), "error unterminated");
	for (uint32_t i = 0; i < v->n_hits; i++) {
		const verdict_hit *h = &v->hits[i];

		FUZZ_CHECK(h->kind < HIT__COUNT, "hit %u kind %u", i, h->kind);
		FUZZ_CHECK(h->decision < VERDICT__COUNT, "hit %u decision %u",
			   i, h->decision);
		FUZZ_CHECK(isfinite(h->score) && h->score >= 0 && h->score <= 1,
			   "hit %u score %f", i, (double)h->score);
		FUZZ_CHECK(memchr(h->field, 0, sizeof(h->field)) &&
				   memchr(h->matched, 0, sizeof(h->matched)) &&
				   memchr(h->reason, 0, sizeof(h->reason)),
			   "hit %u strings unterminated", i);
		FUZZ_CHECK(h->suppressed || v->outcome == VERDICT_ERROR ||
				   h->decision <= v->outcome,
			   "hit %u asks %u but the verdict is %u", i,
			   h->decision, v->outcome);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* lazily built, see the comment on top */
	static db *d;
	static screen_ctx *sc;
	static event_parser *ep;
	static event ev;
	static verdict v;
	static char out[VERDICT_JSON_MAX];
	static json_tok tok[4096];
	const char *id = NULL;
	size_t id_len = 0;
	char err[256];
	json_err je;
	int n, prc;

	if (!d) {
		d = build_db();
		sc = screen_ctx_new();
		ep = event_parser_new();
		if (!sc || !ep)
			abort();
	}
	prc = event_parse(ep, (const char *)data, size, &ev, err, sizeof(err));

	memset(&v, 0x5a, sizeof(v));
	screen_message(sc, d, (const char *)data, size, &v, &id, &id_len);
	check_verdict(&v);
	if (prc != 0)
		FUZZ_CHECK(v.outcome == VERDICT_ERROR,
			   "unparsable event (%s) got verdict %u", err,
			   v.outcome);
	FUZZ_CHECK(id != NULL && fuzz_utf8_valid(id, id_len),
		   "verdict id not UTF-8");

	n = verdict_encode(&v, id, id_len, out, sizeof(out));
	FUZZ_CHECK(n > 0 && (size_t)n <= sizeof(out) && out[n - 1] == '\n',
		   "verdict_encode returned %d", n);
	FUZZ_CHECK(memchr(out, '\n', (size_t)n - 1) == NULL,
		   "verdict is more than one line");
	n = json_parse(out, (size_t)n - 1, tok, 4096, 16, &je);
	FUZZ_CHECK(n > 0 && tok[0].type == JSON_OBJECT,
		   "verdict is not a JSON object (%d at %zu: %s): %s", n,
		   je.offset, n < 0 ? je.reason : "", out);
	FUZZ_CHECK(json_obj_get(out, tok, 0, "verdict") > 0 &&
			   json_obj_get(out, tok, 0, "id") > 0,
		   "verdict JSON lacks id/verdict: %s", out);
	return 0;
}
