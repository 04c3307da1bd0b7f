/*
 * fuzz_json.c - the JSON tokenizer (matchers/json.c) on arbitrary bytes.
 *
 * Checks: json_parse() never reads or writes out of bounds; on success
 * the token tree is consistent (offsets inside the buffer, `end` and
 * `size` agree with the children, strings decode to valid UTF-8 no
 * longer than their raw text, every key is found by json_obj_get() and
 * json_str_eq()); every decoded string survives json_escape() ->
 * json_parse() -> json_str_decode() unchanged; on failure the error
 * offset lies inside the input.  Also runs with tiny token/depth
 * limits so -E2BIG and -ELOOP paths are covered.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "json.h"

#define MAX_TOK 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk the subtree at i; returns the index after it. */
static uint32_t check_tree(const char *buf, size_t size, const json_tok *t,
			   uint32_t i, uint32_t n)
{
	const json_tok *k = &t[i];
	uint32_t j = i + 1;

	FUZZ_CHECK(k->type <= JSON_OBJECT, "token %u type %u", i, k->type);
	FUZZ_CHECK(k->start <= size && k->len <= size - k->start,
		   "token %u span %u+%u outside %zu", i, k->start, k->len,
		   size);
	FUZZ_CHECK(k->end > i && k->end <= n, "token %u end %u (n %u)", i,
		   k->end, n);
	if (k->type == JSON_ARRAY) {
		for (uint32_t c = 0; c < k->size; c++) {
			FUZZ_CHECK(j < k->end, "array %u child %u beyond end",
				   i, c);
			j = check_tree(buf, size, t, j, n);
		}
	} else if (k->type == JSON_OBJECT) {
		for (uint32_t c = 0; c < k->size; c++) {
			const json_tok *key = &t[j];
			char *dec;
			int dl, vi;

			FUZZ_CHECK(j < k->end && key->type == JSON_STRING,
				   "object %u key %u not a string", i, c);
			FUZZ_CHECK(key->end == j + 1, "key with children");
			dec = malloc(key->len + 1);
			if (!dec)
				return k->end;
			dl = json_str_decode(buf, key, dec, key->len + 1);
			FUZZ_CHECK(dl >= 0, "key decode failed %d", dl);
			/* json_str_eq() gives 0 for an escaped token of 256 raw
			 * bytes or more (its decode buffer); real keys are short */
			if (memchr(dec, '\0', (size_t)dl) == NULL &&
			    (!key->escaped || key->len < 256)) {
				FUZZ_CHECK(json_str_eq(buf, key, dec) == 1,
					   "json_str_eq(key, decoded) != 1");
				vi = json_obj_get(buf, t, (int)i, dec);
				FUZZ_CHECK(vi > (int)i && (uint32_t)vi < k->end,
					   "json_obj_get lost key '%s'", dec);
				FUZZ_CHECK(json_str_eq(buf, &t[vi - 1], dec) ==
						   1,
					   "json_obj_get value not after key");
			}
			free(dec);
			j = check_tree(buf, size, t, j + 1, n);
		}
	} else {
		FUZZ_CHECK(k->size == 0, "scalar %u has size %u", i, k->size);
	}
	FUZZ_CHECK(j == k->end, "token %u end %u but subtree ends at %u", i,
		   k->end, j);
	return j;
}

/* Decode every string; escape it again and parse it back. */
static void check_strings(const char *buf, const json_tok *t, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const json_tok *k = &t[i];
		char *dec, *esc, *back;
		size_t ecap;
		int dl, el, bl, rc;
		json_tok bt[2];
		json_err e;

		if (k->type != JSON_STRING)
			continue;
		FUZZ_CHECK(k->escaped || !memchr(buf + k->start, '\\', k->len),
			   "string %u has a backslash but escaped=0", i);
		dec = malloc(k->len + 1);
		ecap = 6 * (size_t)k->len + 16;
		esc = malloc(ecap);
		back = malloc(ecap);
		if (!dec || !esc || !back)
			goto next;
		/* too small a buffer must fail cleanly (ASan checks bounds) */
		if (k->len > 1)
			(void)json_str_decode(buf, k, dec, 1);
		dl = json_str_decode(buf, k, dec, k->len + 1);
		FUZZ_CHECK(dl >= 0 && (uint32_t)dl <= k->len,
			   "decode %u: %d for raw length %u", i, dl, k->len);
		FUZZ_CHECK(dec[dl] == '\0', "decode %u not terminated", i);
		FUZZ_CHECK(fuzz_utf8_valid(dec, (size_t)dl),
			   "decode %u not UTF-8", i);
		esc[0] = '"';
		el = json_escape(dec, (size_t)dl, esc + 1, ecap - 3);
		FUZZ_CHECK(el >= 0, "escape %u failed %d", i, el);
		esc[el + 1] = '"';
		rc = json_parse(esc, (size_t)el + 2, bt, 2, 4, &e);
		FUZZ_CHECK(rc == 1 && bt[0].type == JSON_STRING,
			   "escaped string %u does not parse back (%d: %s)", i,
			   rc, rc < 0 ? e.reason : "");
		bl = json_str_decode(esc, &bt[0], back, ecap);
		FUZZ_CHECK(bl == dl && !memcmp(back, dec, (size_t)dl),
			   "string %u changes through escape/parse/decode", i);
next:
		free(dec);
		free(esc);
		free(back);
	}
}

static void check_err(int rc, const json_err *e, size_t size)
{
	FUZZ_CHECK(rc == -EINVAL || rc == -EILSEQ || rc == -E2BIG ||
			   rc == -ELOOP,
		   "json_parse returned %d", rc);
	FUZZ_CHECK(e->offset <= size, "error offset %zu beyond %zu",
		   e->offset, size);
	FUZZ_CHECK(e->reason != NULL, "no error reason");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	json_tok *tok = malloc(MAX_TOK * sizeof(*tok));
	json_err e = { 0, NULL };
	int n, n2;

	if (!tok)
		return 0;
	n = json_parse(buf, size, tok, MAX_TOK, 16, &e);
	if (n > 0) {
		FUZZ_CHECK(check_tree(buf, size, tok, 0, (uint32_t)n) ==
				   (uint32_t)n,
			   "top-level value does not span all tokens");
		check_strings(buf, tok, (uint32_t)n);
	} else {
		FUZZ_CHECK(n != 0, "json_parse returned 0");
		check_err(n, &e, size);
	}

	/* tight limits: same verdict or a limit error, never a crash */
	e.reason = NULL;
	n2 = json_parse(buf, size, tok, 1 + (uint32_t)(size % 5),
			1 + (uint32_t)(size % 3), &e);
	if (n2 > 0)
		FUZZ_CHECK(n2 == n, "tight limits changed the count %d -> %d",
			   n, n2);
	else
		check_err(n2, &e, size);
	free(tok);
	return 0;
}
