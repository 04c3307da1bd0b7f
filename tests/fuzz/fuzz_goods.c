/*
 * fuzz_goods.c - HS codes (matchers/goods.c): goods_hs_digits(),
 * goods_scan_text() and a differential test of goods_lookup() against
 * a naive prefix search.
 *
 * Input: the first line is a comma-separated list of HS codes that
 * becomes the goods table (codes goods_hs_digits() accepts); the whole
 * input is also free text for the scanner and a code for
 * goods_hs_digits().  Checks: digits are 2..10 ASCII digits with a
 * matching length; scan spans lie inside the text; for every scanned
 * code, every listed code and each of their prefixes, goods_lookup()
 * returns the longest listed code that is a prefix of the query, else
 * (partial = 1) a listed code the query is a prefix of, else nothing.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "goods.h"

#define MAX_GOODS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct gctx {
	const goods_table *t;
	const wl_good *g;
	size_t ng, size, n;
} gctx;

static void check_digits(const char *d, size_t n, const char *what)
{
	FUZZ_CHECK(n >= 2 && n <= GOODS_HS_MAX && strlen(d) == n,
		   "%s: %zu digits, strlen %zu", what, n, strlen(d));
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(d[i] >= '0' && d[i] <= '9', "%s: '%s'", what, d);
}

static int is_prefix(const char *p, size_t pn, const char *s, size_t sn)
{
	return pn <= sn && !memcmp(p, s, pn);
}

/* goods_lookup() must agree with a linear scan of the listed codes. */
static void check_lookup(const gctx *c, const char *q, size_t n)
{
	size_t best = 0, best_len = 0;
	int full = 0, part = 0;
	goods_match m;
	int rc;

	for (size_t i = 0; i < c->ng; i++) {
		size_t gl = strlen(c->g[i].hs);

		if (is_prefix(c->g[i].hs, gl, q, n)) {
			if (!full || gl > best_len)
				best = i, best_len = gl;
			full = 1;
		} else if (is_prefix(q, n, c->g[i].hs, gl)) {
			part = 1;
		}
	}
	memset(&m, 0, sizeof(m));
	rc = goods_lookup(c->t, q, n, &m);
	if (full) {
		FUZZ_CHECK(rc == 1 && !m.partial && m.good,
			   "'%.*s': listed prefix %s not found (rc %d)", (int)n,
			   q, c->g[best].hs, rc);
		FUZZ_CHECK(!strcmp(m.good->hs, c->g[best].hs),
			   "'%.*s': got %s, longest listed prefix %s", (int)n,
			   q, m.good->hs, c->g[best].hs);
	} else if (part) {
		FUZZ_CHECK(rc == 1 && m.partial && m.good,
			   "'%.*s': heading of a listed code not found "
			   "(rc %d partial %d)", (int)n, q, rc, m.partial);
		FUZZ_CHECK(is_prefix(q, n, m.good->hs, strlen(m.good->hs)),
			   "'%.*s': partial match %s does not extend it",
			   (int)n, q, m.good->hs);
	} else {
		FUZZ_CHECK(rc == 0, "'%.*s': nothing listed but got %s",
			   (int)n, q, m.good ? m.good->hs : "?");
	}
}

static void on_code(void *ctx, const char *digits, size_t n, size_t off,
		    size_t len)
{
	gctx *c = ctx;

	check_digits(digits, n, "goods_scan_text");
	FUZZ_CHECK(off <= c->size && len <= c->size - off,
		   "scan span %zu+%zu outside %zu", off, len, c->size);
	check_lookup(c, digits, n);
	c->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t head = nl ? (size_t)(nl - s) : size, ng = 0;
	wl_good goods[MAX_GOODS];
	char d[GOODS_HS_MAX + 1];
	gctx c;
	int rc;

	rc = goods_hs_digits(s, size, d);
	FUZZ_CHECK(rc == -EINVAL || rc >= 2, "goods_hs_digits returned %d", rc);
	if (rc > 0)
		check_digits(d, (size_t)rc, "goods_hs_digits");

	for (size_t i = 0; i < head && ng < MAX_GOODS;) {
		size_t j = i;

		while (j < head && s[j] != ',')
			j++;
		rc = goods_hs_digits(s + i, j - i, d);
		if (rc > 0) {
			memset(&goods[ng], 0, sizeof(goods[ng]));
			memcpy(goods[ng].hs, d, (size_t)rc + 1);
			memcpy(goods[ng].tier, "1", 2);
			goods[ng].description = "fuzz";
			ng++;
		}
		i = j + 1;
	}
	c.t = goods_table_build_goods(goods, ng);
	if (!c.t)
		return 0;
	c.g = goods;
	c.ng = ng;
	c.size = size;
	c.n = 0;
	(void)goods_table_size(c.t);
	for (size_t i = 0; i < ng; i++)
		for (size_t n = 2; n <= strlen(goods[i].hs); n++)
			check_lookup(&c, goods[i].hs, n);
	rc = goods_scan_text(s, size, on_code, &c);
	FUZZ_CHECK(rc >= 0 && (size_t)rc == c.n,
		   "goods_scan_text returned %d after %zu callbacks", rc, c.n);
	goods_table_free((goods_table *)c.t);
	return 0;
}
