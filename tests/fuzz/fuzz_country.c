/*
 * fuzz_country.c - country and region recognition (matchers/country.c)
 * on arbitrary bytes.
 *
 * Checks: country_lookup() yields an assigned upper-case alpha-2 code
 * with a name and an alpha-3; country_fold() stays inside its buffer
 * (also a small one: -ENOSPC or fits), keeps only [a-z0-9 ~] and is
 * idempotent when no '~' (its mark for an unfoldable letter) appears;
 * country_region_lookup() returns a valid region index with a name;
 * country_scan() reports spans inside the text, valid codes, "UA" for
 * regions, and returns its callback count.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct scan {
	size_t size, n;
} scan;

static void on_country(void *ctx, const char *cc, const char *region,
		       size_t off, size_t len)
{
	scan *s = ctx;

	FUZZ_CHECK(cc && country_valid(cc) && strlen(cc) == 2,
		   "scan code '%s'", cc ? cc : "(null)");
	FUZZ_CHECK(!region || !strcmp(cc, "UA"), "region %s in %s", region,
		   cc);
	FUZZ_CHECK(!region || country_region_lookup(region, strlen(region)) >=
				      0,
		   "region '%s' not known to country_region_lookup", region);
	FUZZ_CHECK(len > 0 && off <= s->size && len <= s->size - off,
		   "scan span %zu+%zu outside %zu", off, len, s->size);
	s->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t cap = 3 * size + 16, small = 1 + size % 8;
	char cc[3], *out, *again;
	scan sc = { size, 0 };
	int rc, rc2, r;

	memset(cc, 0, sizeof(cc));
	rc = country_lookup(s, size, cc);
	FUZZ_CHECK(rc == 0 || rc == -ENOENT, "country_lookup returned %d", rc);
	if (rc == 0) {
		FUZZ_CHECK(cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' &&
				   cc[1] <= 'Z' && cc[2] == '\0',
			   "country_lookup gave '%.3s'", cc);
		FUZZ_CHECK(country_valid(cc) && country_name(cc) &&
				   country_alpha3(cc),
			   "country_lookup gave unassigned '%s'", cc);
	}
	if (size >= 2) {
		char two[3] = { s[0], s[1], '\0' };

		(void)country_name(two);
		(void)country_alpha3(two);
		(void)country_valid(two);
	}

	out = malloc(cap);
	again = malloc(cap);
	if (out && again) {
		rc = country_fold(s, size, out, cap);
		FUZZ_CHECK(rc >= 0 && (size_t)rc < cap && strlen(out) == (size_t)rc,
			   "country_fold returned %d (cap %zu)", rc, cap);
		for (int i = 0; i < rc; i++)
			FUZZ_CHECK((out[i] >= 'a' && out[i] <= 'z') ||
					   (out[i] >= '0' && out[i] <= '9') ||
					   out[i] == ' ' || out[i] == '~',
				   "country_fold kept 0x%02x",
				   (unsigned char)out[i]);
		/* '~' stands for a letter it cannot fold, on purpose: it
		 * matches no key, and folds to a separator the second time */
		rc2 = country_fold(out, (size_t)rc, again, cap);
		FUZZ_CHECK(memchr(out, '~', (size_t)rc) ||
				   (rc2 == rc && !strcmp(out, again)),
			   "country_fold not idempotent: '%s' -> '%s'", out,
			   rc2 >= 0 ? again : "");
		rc2 = country_fold(s, size, again, small);
		FUZZ_CHECK(rc2 == -ENOSPC || (rc2 >= 0 && (size_t)rc2 < small),
			   "country_fold small returned %d (cap %zu)", rc2,
			   small);
	}
	free(out);
	free(again);

	r = country_region_lookup(s, size);
	FUZZ_CHECK(r == -ENOENT || (r >= 0 && r < country_region_count() &&
				    country_region_name(r)),
		   "country_region_lookup returned %d", r);

	rc = country_scan(s, size, on_country, &sc);
	FUZZ_CHECK(rc >= 0 && (size_t)rc == sc.n,
		   "country_scan returned %d after %zu callbacks", rc, sc.n);
	return 0;
}
