/*
 * fuzz_norm.c - the name normaliser (matchers/norm.c) on arbitrary bytes.
 *
 * Checks against the contract of norm.h:
 *   - norm_utf8_valid() agrees with an independent strict validator;
 *   - norm_text() returns -EILSEQ exactly for invalid UTF-8, otherwise
 *     the canonical form (lower-case ASCII letters and digits, single
 *     spaces, no leading/trailing space) and is idempotent;
 *   - with a too small buffer: -ENOSPC and a well-formed prefix of the
 *     full result ending at a token boundary;
 *   - norm_variants(): 1..NORM_MAX_VARIANTS distinct canonical
 *     variants, the first equal to norm_text() when that is not "";
 *   - norm_person_reorder() and norm_legal_form() stay in bounds and
 *     return canonical text / a span inside the input.
 *
 * The norm_ctx caches an ICU transliterator and is costly to make, so
 * it is built once, lazily, in a static (acceptable for a fuzz harness).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "norm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_canonical(const char *s, size_t n, const char *what)
{
	FUZZ_CHECK(strlen(s) == n, "%s: length %zu but strlen %zu", what, n,
		   strlen(s));
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
				   c == ' ',
			   "%s: byte 0x%02x at %zu in '%s'", what,
			   (unsigned char)c, i, s);
		FUZZ_CHECK(c != ' ' || (i > 0 && i + 1 < n && s[i + 1] != ' '),
			   "%s: bad space at %zu in '%s'", what, i, s);
	}
}

typedef struct vctx {
	char v[NORM_MAX_VARIANTS][1024];
	size_t n;
} vctx;

static int on_variant(void *ctx, const char *v, size_t vlen)
{
	vctx *c = ctx;

	FUZZ_CHECK(c->n < NORM_MAX_VARIANTS, "more than %d variants",
		   NORM_MAX_VARIANTS);
	FUZZ_CHECK(vlen < sizeof(c->v[0]), "variant of %zu bytes", vlen);
	memcpy(c->v[c->n], v, vlen);
	c->v[c->n][vlen] = '\0';
	check_canonical(c->v[c->n], vlen, "variant");
	for (size_t i = 0; i < c->n; i++)
		FUZZ_CHECK(strcmp(c->v[i], c->v[c->n]),
			   "variant '%s' repeated", c->v[i]);
	c->n++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static norm_ctx *nc; /* lazily built, see the comment on top */
	const char *s = (const char *)data;
	size_t cap = 4 * size + 64, small;
	char *out, *again, *part;
	ssize_t n, n2, np;
	int valid = fuzz_utf8_valid(s, size);
	vctx *vc;
	int nv;

	if (size > 4096)
		return 0;
	if (!nc && !(nc = norm_ctx_new()))
		abort();
	FUZZ_CHECK(norm_utf8_valid(s, size) == valid,
		   "norm_utf8_valid says %d, strict validator %d",
		   norm_utf8_valid(s, size), valid);
	out = malloc(cap);
	again = malloc(cap);
	part = malloc(cap);
	vc = malloc(sizeof(*vc));
	if (!out || !again || !part || !vc)
		goto done;

	n = norm_text(nc, s, size, out, cap);
	if (!valid) {
		FUZZ_CHECK(n == -EILSEQ, "invalid UTF-8 gave %zd", n);
		goto done;
	}
	FUZZ_CHECK(n >= 0, "norm_text failed %zd on valid UTF-8", n);
	check_canonical(out, (size_t)n, "norm_text");

	n2 = norm_text(nc, out, (size_t)n, again, cap);
	FUZZ_CHECK(n2 == n && !strcmp(out, again),
		   "not idempotent: '%s' -> '%s'", out, n2 >= 0 ? again : "");

	/* too small a buffer: a token-aligned prefix of the full result */
	small = 1 + (size_t)(data[0] % 16);
	if (small <= (size_t)n) {
		np = norm_text(nc, s, size, part, small);
		FUZZ_CHECK(np == -ENOSPC, "cap %zu for %zd bytes gave %zd",
			   small, n, np);
		FUZZ_CHECK(memchr(part, '\0', small), "truncated not terminated");
		np = (ssize_t)strlen(part);
		check_canonical(part, (size_t)np, "truncated");
		FUZZ_CHECK(!memcmp(part, out, (size_t)np) &&
				   (np == 0 || out[np] == ' '),
			   "truncated '%s' is not a token prefix of '%s'", part,
			   out);
	}

	vc->n = 0;
	nv = norm_variants(nc, s, size, on_variant, vc);
	FUZZ_CHECK(nv >= 0 && (size_t)nv == vc->n,
		   "norm_variants returned %d, %zu callbacks", nv, vc->n);
	/* When norm_text() gives "" (e.g. "Ъ") the empty result is not a
	 * variant but another standard may still give one ("ie"). */
	FUZZ_CHECK(n == 0 || (nv >= 1 && !strcmp(vc->v[0], out)),
		   "first of %d variants '%s' != '%s'", nv,
		   nv ? vc->v[0] : "", out);

	np = norm_person_reorder(nc, s, size, part, cap);
	FUZZ_CHECK(np >= 0, "norm_person_reorder failed %zd", np);
	if (np > 0)
		check_canonical(part, (size_t)np, "reorder");

	for (size_t i = 0; i <= (size_t)n; i++) {
		enum norm_lf_kind kind = NORM_LF__COUNT;
		size_t lf;

		if (i && out[i - 1] != ' ')
			continue;
		lf = norm_legal_form(out + i, (size_t)n - i, &kind);
		FUZZ_CHECK(lf <= (size_t)n - i, "legal form spans %zu of %zu",
			   lf, (size_t)n - i);
		FUZZ_CHECK(lf == 0 || (kind > NORM_LF_NONE &&
				       kind < NORM_LF__COUNT),
			   "legal form %zu bytes, kind %d", lf, kind);
	}
done:
	free(out);
	free(again);
	free(part);
	free(vc);
	return 0;
}
