/*
 * score_clean.c - payment-field residue around names, and
 * score_compare(); contracts in score.h.
 *
 * Why: a party name in a payment or a bill of lading is rarely just the
 * name.  It carries field labels ("BENEFICIARY:", "FIELD 59:"), former
 * names ("Ocean Pioneer (ex-Cape Diamond)"), branches, ports, flags and
 * addresses after a comma.  Each would count as an unmatched word and
 * hide a listed name, so the matcher scores the name as written and
 * its cleaned forms and keeps the best.  Cleaning only ever removes
 * text marked by a cue (label colon, parentheses with a cue word, a
 * trailing comma segment), so it cannot turn "X (Thailand) Co" - a
 * different legal entity - into "X Co".
 */
#include "score.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

typedef struct vbuf {
	char *buf;
	size_t cap, used;
	const char **v;
	size_t *vl;
	int n, max;
} vbuf;

static void vb_add(vbuf *b, const char *s, size_t len)
{
	int i;

	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && (isspace((unsigned char)s[len - 1]) ||
		       s[len - 1] == ',' || s[len - 1] == '-'))
		len--;
	if (len == 0 || b->n >= b->max || b->used + len + 1 > b->cap)
		return;
	for (i = 0; i < b->n; i++)
		if (b->vl[i] == len && memcmp(b->v[i], s, len) == 0)
			return;
	memcpy(b->buf + b->used, s, len);
	b->buf[b->used + len] = '\0';
	b->v[b->n] = b->buf + b->used;
	b->vl[b->n++] = len;
	b->used += len + 1;
}

/* Case-insensitive search for an ASCII word in s[0..len). */
static const char *find_ci(const char *s, size_t len, const char *w)
{
	size_t wl = strlen(w), i;
	int c0 = tolower((unsigned char)w[0]);

	for (i = 0; i + wl <= len; i++)
		if (tolower((unsigned char)s[i]) == c0 &&
		    strncasecmp(s + i, w, wl) == 0 &&
		    (i == 0 || !isalnum((unsigned char)s[i - 1])))
			return s + i;
	return NULL;
}

static int has_cue(const char *s, size_t len)
{
	static const char *const cues[] = {"branch", "flag", "ex-",
					   "ex ", "f.k.a", "fka", "formerly",
					   "port ", "c/o", "office"};
	size_t i;

	for (i = 0; i < sizeof(cues) / sizeof(cues[0]); i++)
		if (find_ci(s, len, cues[i]))
			return 1;
	return 0;
}

/* Length of a "LABEL:" prefix of at most three words, or 0. */
static size_t label_prefix(const char *s, size_t len)
{
	size_t i, words = 1;

	for (i = 0; i < len && i < 40; i++) {
		if (s[i] == ':')
			return i > 0 ? i + 1 : 0;
		if (s[i] == ' ')
			words++;
		if (words > 3 || (!isalnum((unsigned char)s[i]) &&
				  s[i] != ' ' && s[i] != '.'))
			return 0;
	}
	return 0;
}

/* Former names: text after "ex-"/"ex "/"f.k.a."/"formerly" up to ')'
 * or end. */
static void add_former(vbuf *b, const char *s, size_t len)
{
	static const char *const cues[] = {"ex-", "ex ", "f.k.a.", "fka ",
					   "formerly "};
	size_t i;

	for (i = 0; i < sizeof(cues) / sizeof(cues[0]); i++) {
		const char *p = find_ci(s, len, cues[i]), *e;

		if (!p || p == s)
			continue;
		p += strlen(cues[i]);
		e = memchr(p, ')', len - (size_t)(p - s));
		vb_add(b, p, e ? (size_t)(e - p) : len - (size_t)(p - s));
	}
}

int score_clean_variants(const char *s, size_t len, wl_ent_type type,
			 char *buf, size_t cap, const char **v, size_t *vl,
			 int max)
{
	vbuf b = {buf, cap, 0, v, vl, 0, max};
	char tmp[SCORE_TEXT_MAX];
	size_t t = 0, i, lp;

	vb_add(&b, s, len);
	lp = label_prefix(s, len);
	for (i = lp; i < len && t + 1 < sizeof(tmp); i++) {
		if (s[i] == '(') {
			const char *e = memchr(s + i, ')', len - i);
			size_t pl = e ? (size_t)(e - (s + i)) + 1 : len - i;

			if (type == WL_ENT_VESSEL || has_cue(s + i, pl)) {
				i += pl - 1;
				continue;
			}
		}
		if (type != WL_ENT_PERSON &&
		    ((s[i] == ',' || s[i] == ';') ||
		     (s[i] == ' ' && i + 2 < len && s[i + 1] == '-' &&
		      s[i + 2] == ' ') ||
		     (i + 3 <= len && strncasecmp(s + i, "c/o", 3) == 0)))
			break;
		tmp[t++] = s[i];
	}
	vb_add(&b, tmp, t);
	add_former(&b, s, len);
	return b.n;
}

/* Normalise and parse one raw variant; 0 or -errno. */
static int prep(norm_ctx *nc, const char *s, size_t len, score_name *n)
{
	char out[SCORE_TEXT_MAX];
	ssize_t r = norm_text(nc, s, len, out, sizeof(out));

	if (r == -ENOSPC)
		r = (ssize_t)strlen(out);
	if (r < 0)
		return (int)r;
	score_name_parse(n, out, (size_t)r);
	return 0;
}

double score_compare(norm_ctx *nc, const char *a, size_t alen,
		     const char *b, size_t blen, wl_ent_type type,
		     char *explain, size_t explain_cap)
{
	char ba[1024], bb[1024];
	const char *va[SCORE_MAX_VARIANTS], *vb[SCORE_MAX_VARIANTS];
	size_t la[SCORE_MAX_VARIANTS], lb[SCORE_MAX_VARIANTS];
	score_name na, nb, best_a, best_b;
	score_detail d, best_d;
	double best = 0;
	int nva, nvb, i, j, have = 0;

	if (!norm_utf8_valid(a, alen) || !norm_utf8_valid(b, blen))
		return -EILSEQ;
	nva = score_clean_variants(a, alen, type, ba, sizeof(ba), va, la,
				   SCORE_MAX_VARIANTS);
	nvb = score_clean_variants(b, blen, type, bb, sizeof(bb), vb, lb,
				   SCORE_MAX_VARIANTS);
	for (i = 0; i < nva; i++) {
		if (prep(nc, va[i], la[i], &na) < 0)
			continue;
		for (j = 0; j < nvb; j++) {
			double s;

			if (prep(nc, vb[j], lb[j], &nb) < 0)
				continue;
			s = score_names(&na, &nb, type, &d);
			if (!have || s > best) {
				best = s;
				best_a = na;
				best_b = nb;
				best_d = d;
				have = 1;
			}
		}
	}
	if (explain && explain_cap) {
		explain[0] = '\0';
		if (have) {
			/* token pointers refer to the copies' own buffers */
			size_t n = (size_t)snprintf(explain, explain_cap,
						    "  \"%s\" vs \"%s\"\n",
						    best_a.text, best_b.text);
			if (n < explain_cap) {
				score_name_parse(&best_a, best_a.text,
						 best_a.text_len);
				score_name_parse(&best_b, best_b.text,
						 best_b.text_len);
				score_explain(&best_a, &best_b, &best_d, best,
					      explain + n, explain_cap - n);
			}
		}
	}
	return best;
}
