/*
 * fuzz_ids.c - identifier validation and free-text scanning
 * (matchers/ids.c) on arbitrary bytes.
 *
 * Checks, for every wl_id_type: ids_normalize(), ids_key_raw() and
 * ids_match_key() stay inside their buffer (also a deliberately small
 * one, which must give -ENOSPC or fit), return a length equal to
 * strlen() of the output, and a canonical form normalises to itself;
 * ids_key_raw() keeps only ASCII letters and digits; ids_bic8() yields
 * 8 upper-case letters/digits; the check-digit helpers never read past
 * their digits; ids_scan_text() reports spans inside the text with
 * valid types and terminated keys, and returns its callback count.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct scan {
	size_t size, n;
} scan;

static void on_id(void *ctx, wl_id_type t, const char *key, size_t key_len,
		  size_t off, size_t len)
{
	scan *s = ctx;

	FUZZ_CHECK(t < WL_ID__COUNT, "scan type %d", (int)t);
	FUZZ_CHECK(key && strlen(key) == key_len && key_len < IDS_KEY_MAX,
		   "scan key length %zu", key_len);
	FUZZ_CHECK(len > 0 && off <= s->size && len <= s->size - off,
		   "scan span %zu+%zu outside %zu", off, len, s->size);
	s->n++;
}

static void check_out(int rc, const char *out, size_t cap, const char *what,
		      int t)
{
	FUZZ_CHECK(rc == -EINVAL || rc == -ENOSPC || rc >= 0,
		   "%s(%d) returned %d", what, t, rc);
	if (rc >= 0)
		FUZZ_CHECK((size_t)rc < cap && strlen(out) == (size_t)rc,
			   "%s(%d): length %d, strlen %zu, cap %zu", what, t,
			   rc, strlen(out), cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char out[IDS_KEY_MAX], again[IDS_KEY_MAX], small[8], bic[9];
	size_t cap_small = 1 + (size % sizeof(small)), nd = 0;
	scan sc = { size, 0 };
	int rc, rc2, valid, n;

	for (int t = 0; t < WL_ID__COUNT; t++) {
		rc = ids_normalize((wl_id_type)t, s, size, out, sizeof(out));
		check_out(rc, out, sizeof(out), "ids_normalize", t);
		if (rc >= 0) {
			rc2 = ids_normalize((wl_id_type)t, out, (size_t)rc,
					    again, sizeof(again));
			FUZZ_CHECK(rc2 == rc && !strcmp(out, again),
				   "ids_normalize(%d) not idempotent: '%s' -> "
				   "'%s' (%d)", t, out, rc2 >= 0 ? again : "",
				   rc2);
		}
		rc = ids_normalize((wl_id_type)t, s, size, small, cap_small);
		check_out(rc, small, cap_small, "ids_normalize/small", t);

		rc = ids_key_raw((wl_id_type)t, s, size, out, sizeof(out));
		check_out(rc, out, sizeof(out), "ids_key_raw", t);
		for (int i = 0; i < rc; i++)
			FUZZ_CHECK(isalnum((unsigned char)out[i]),
				   "ids_key_raw(%d) kept 0x%02x", t,
				   (unsigned char)out[i]);
		rc = ids_key_raw((wl_id_type)t, s, size, small, cap_small);
		check_out(rc, small, cap_small, "ids_key_raw/small", t);

		valid = -1;
		rc = ids_match_key((wl_id_type)t, s, size, out, sizeof(out),
				   &valid);
		check_out(rc, out, sizeof(out), "ids_match_key", t);
		FUZZ_CHECK(rc < 0 || valid == 0 || valid == 1,
			   "ids_match_key(%d) valid=%d", t, valid);
		rc = ids_match_key((wl_id_type)t, s, size, small, cap_small,
				   NULL);
		check_out(rc, small, cap_small, "ids_match_key/small", t);
	}

	rc = ids_bic8(s, size, bic);
	FUZZ_CHECK(rc == 8 || rc == -EINVAL, "ids_bic8 returned %d", rc);
	if (rc == 8) {
		FUZZ_CHECK(bic[8] == '\0', "ids_bic8 not terminated");
		for (int i = 0; i < 8; i++)
			FUZZ_CHECK(isupper((unsigned char)bic[i]) ||
					   isdigit((unsigned char)bic[i]),
				   "ids_bic8 byte %d = 0x%02x", i,
				   (unsigned char)bic[i]);
	}

	/* check-digit helpers over an exact-length copy of the leading digits */
	while (nd < size && nd < 32 && isdigit(data[nd]))
		nd++;
	if (nd) {
		char *d = malloc(nd + 1);

		if (d) {
			memcpy(d, data, nd);
			d[nd] = '\0';
			if (nd == 7)
				(void)ids_imo_valid(d);
			(void)ids_inn_valid(d, nd);
			(void)ids_ogrn_valid(d, nd);
			free(d);
		}
	}
	(void)ids_iban_valid(s, size);
	(void)ids_lei_valid(s, size);

	n = ids_scan_text(s, size, on_id, &sc);
	FUZZ_CHECK(n >= 0 && (size_t)n == sc.n,
		   "ids_scan_text returned %d after %zu callbacks", n, sc.n);
	return 0;
}
