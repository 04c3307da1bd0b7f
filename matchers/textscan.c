/*
 * textscan.c - listed names inside free text; contract in nameidx.h
 * (nameidx_scan_text).
 *
 * Why: remittance lines and goods descriptions mention parties in
 * passing ("payment for ZALA AERO drones").  The text is normalised,
 * each word mapped to the key group of the dictionary word it is (by
 * exact text, transliteration key, or - for words of six letters or
 * more - a unique one-edit neighbour, which gives one typo per long
 * word), and the group sequence is run through the token-level
 * Aho-Corasick automaton compiled from every list name whose words are
 * jointly specific (nameidx.c finish_text).  Words that are in no list
 * name break the automaton.  Each occurrence is then scored like a
 * party name, so near spellings report their true similarity.
 */
#include "nameidx_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct scan_ctx {
	const nameidx *ix;
	nameidx_scratch *s;
	nameidx_hit *out;
	int n, max;
} scan_ctx;

/* Key group of one text word, or AC_SYM_BREAK. */
static uint32_t word_group(const nameidx *ix, const char *w, size_t len)
{
	char key[SCORE_KEY_MAX], tmp[SCORE_KEY_MAX];
	uint32_t t = nx_tok_find(ix, w, len), g, best = AC_SYM_BREAK, i, j;
	size_t kl;
	int nbest = 0;

	if (t != NX_NONE)
		return ix->toks[t].group;
	kl = score_key(w, len, key, sizeof(key));
	g = nx_grp_find(ix, key, kl);
	if (g != NX_NONE)
		return g;
	if (len < 6 || kl >= SCORE_KEY_MAX)
		return AC_SYM_BREAK;
	for (i = 0; i <= kl; i++) {
		uint32_t b;

		if (i < kl) {
			memcpy(tmp, key, i);
			memcpy(tmp + i, key + i + 1, kl - i - 1);
			b = nx_del_find(ix, tmp, kl - 1);
		} else {
			b = nx_del_find(ix, key, kl);
		}
		if (b == NX_NONE)
			continue;
		for (j = ix->del_off[b]; j < ix->del_off[b + 1]; j++) {
			uint32_t c = ix->del_grp[j];
			const nx_tok *r = &ix->toks[ix->grp_toks[ix->grp_off[c]]];

			if (score_lev_bounded(key, kl, ix->pool + r->key,
					      r->klen, 1) > 1)
				continue;
			if (c != best) {
				best = c;
				nbest++;
			}
		}
	}
	return nbest == 1 ? best : AC_SYM_BREAK;
}

static int on_match(void *ctx, uint32_t e, size_t start, size_t len)
{
	scan_ctx *c = ctx;
	nameidx_scratch *s = c->s;
	const nameidx *ix = c->ix;
	const nx_entry *en = &ix->ents[e];
	size_t off = s->soff[start];
	size_t end = s->soff[start + len - 1] + s->slen[start + len - 1];
	double sc;
	int i;

	if (end - off >= SCORE_TEXT_MAX)
		return 0;
	if (len == 1) { /* a lone rare word: the text must spell a rare
			 * word too, not an ordinary one ("contract" is
			 * "kontrakt" by key) */
		uint8_t fl = 0;

		score_default_weight(s->norm + off, end - off, &fl);
		if (end - off < 8 || nx_text_word(s->norm + off, end - off) ||
		    (fl & (SCORE_TF_GENERIC | SCORE_TF_STOP)))
			return 0;
	}
	score_name_parse(&s->qn, s->norm + off, end - off);
	nx_reweight(ix, &s->qn);
	nx_entry_name(ix, e, &s->en);
	sc = score_names(&s->qn, &s->en, (wl_ent_type)en->type, NULL);
	if (sc < ix->cfg.review)
		return 0;
	for (i = 0; i < c->n; i++)
		if (c->out[i].list == en->list && c->out[i].entity == en->ent)
			break;
	if (i < c->n && c->out[i].score >= sc)
		return 0;
	if (i == c->n) {
		if (c->n == c->max)
			return 0;
		c->n++;
	}
	memset(&c->out[i], 0, sizeof(c->out[i]));
	c->out[i].list = en->list;
	c->out[i].entity = en->ent;
	c->out[i].name = en->name;
	c->out[i].score = (float)sc;
	c->out[i].flags = NAMEIDX_HF_TEXT |
			  (en->strength == WL_NAME_WEAK ? NAMEIDX_HF_WEAK : 0);
	/* a single rare word in text is a lead, never a block */
	if (sc >= ix->cfg.block && en->strength != WL_NAME_WEAK && len > 1)
		c->out[i].flags |= NAMEIDX_HF_BLOCK;
	snprintf(c->out[i].matched, sizeof(c->out[i].matched), "%.*s",
		 (int)(end - off), s->norm + off);
	snprintf(c->out[i].reason, sizeof(c->out[i].reason),
		 "text %.2f%s%s", sc,
		 en->strength == WL_NAME_WEAK ? "; weak alias" : "",
		 len == 1 ? "; single rare word" : "");
	return 0;
}

static int cmp_hit(const void *x, const void *y)
{
	const nameidx_hit *a = x, *b = y;

	return a->score > b->score ? -1 : a->score < b->score;
}

int nameidx_scan_text(const nameidx *ix, nameidx_scratch *s,
		      const char *text, size_t len, nameidx_hit *out,
		      int max_out)
{
	scan_ctx c = {ix, s, out, 0, max_out};
	ssize_t r;
	size_t i = 0, n = 0;

	if (!ix || !s || (!text && len) || max_out < 0 || (max_out && !out))
		return -EINVAL;
	if (!norm_utf8_valid(text, len))
		return -EILSEQ;
	nx_memo_for(s, ix);
	r = norm_text(s->nc, text, len, s->norm, sizeof(s->norm));
	if (r == -ENOSPC)
		r = (ssize_t)strlen(s->norm);
	if (r < 0)
		return (int)r;
	while (i < (size_t)r && n < NX_TEXT_TOK) {
		size_t j = i;

		while (j < (size_t)r && s->norm[j] != ' ')
			j++;
		s->soff[n] = (uint32_t)i;
		s->slen[n] = (uint32_t)(j - i);
		{
			/* remittance text repeats its words: memoised */
			uint64_t h = nx_hash(s->norm + i, j - i);
			struct nx_wmemo *wm =
				&s->wmemo[(h >> 20) & (NX_WMEMO - 1)];

			if (wm->gen != s->memo_gen || wm->h != h ||
			    wm->len != j - i) {
				wm->gen = s->memo_gen;
				wm->h = h;
				wm->len = (uint32_t)(j - i);
				wm->g = word_group(ix, s->norm + i, j - i);
			}
			s->sym[n++] = wm->g;
		}
		i = j + 1;
	}
	ac_scan(ix->text_ac, s->sym, n, on_match, &c);
	/* a handful of hits: insertion sort (stable, no allocation) */
	for (i = 1; i < (size_t)c.n; i++) {
		nameidx_hit h = out[i];
		size_t j;

		for (j = i; j > 0 && cmp_hit(&out[j - 1], &h) > 0; j--)
			out[j] = out[j - 1];
		if (j != i)
			out[j] = h;
	}
	return c.n;
}
