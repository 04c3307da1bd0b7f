/*
 * nameidx_query.c - screening one party name; contract in nameidx.h.
 *
 * Why: the hot path.  Only the rarest query words - as few as make a
 * name matching none of them provably unable to reach review - are
 * looked up (exactly, by transliteration key and through the deletion
 * neighbourhoods) and their postings walked into epoch-stamped
 * per-name accumulators; the common words ("maria", "trading") are
 * verified against each candidate's own words instead of walking their
 * thousands of postings.  A candidate is scored in full with
 * score_names() only when an upper bound of its score reaches review
 * less the largest possible evidence bonus (gather()).  DOB and
 * country evidence then adjusts the score per entity.  Nothing is
 * allocated per query.
 */
#include "nameidx_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef nx_nbr tmatch;

/* ---- scratch ---- */

nameidx_scratch *nameidx_scratch_new(void)
{
	nameidx_scratch *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->nc = norm_ctx_new();
	if (!s->nc) {
		free(s);
		return NULL;
	}
	return s;
}

void nameidx_scratch_free(nameidx_scratch *s)
{
	if (!s)
		return;
	norm_ctx_free(s->nc);
	free(s->acc);
	free(s->touched);
	free(s->gstamp);
	free(s);
}

int nx_scratch_fit(nameidx_scratch *s, const nameidx *ix)
{
	uint32_t n = ix->n_ents + 1, g = ix->n_grp + 1;

	if (s->cap < n) {
		free(s->acc);
		free(s->touched);
		s->acc = calloc(n, sizeof(*s->acc));
		s->touched = calloc(n, sizeof(*s->touched));
		s->epoch = 0;
		s->cap = 0;
		if (!s->acc || !s->touched)
			return -ENOMEM;
		s->cap = n;
	}
	if (s->gcap < g) {
		free(s->gstamp);
		s->gstamp = calloc(g, sizeof(*s->gstamp));
		s->gepoch = 0;
		s->gcap = 0;
		if (!s->gstamp)
			return -ENOMEM;
		s->gcap = g;
	}
	return 0;
}

/* ---- names from the index ---- */

void nx_entry_name(const nameidx *ix, uint32_t e, score_name *out)
{
	const nx_entry *en = &ix->ents[e];
	uint32_t k;

	out->n = en->n_tok > SCORE_MAX_TOK ? SCORE_MAX_TOK : en->n_tok;
	out->lf = en->lf;
	memcpy(out->text, ix->pool + en->text, en->text_len);
	out->text[en->text_len] = '\0';
	out->text_len = en->text_len;
	for (k = 0; k < (uint32_t)out->n; k++) {
		const nx_tok *t = &ix->toks[ix->etoks[en->tok + k]];
		score_tok *o = &out->tok[k];

		o->s = ix->pool + t->str;
		o->len = t->len;
		o->key = ix->pool + t->key;
		o->klen = t->klen;
		o->flags = t->flags;
		o->w = t->w;
	}
}

void nx_reweight(const nameidx *ix, score_name *q)
{
	int i;

	for (i = 0; i < q->n; i++) {
		uint32_t t = nx_tok_find(ix, q->tok[i].s, q->tok[i].len);

		if (t != NX_NONE)
			q->tok[i].w = ix->toks[t].w;
	}
}

/* ---- candidate generation ---- */

static int add_match(tmatch *m, int n, uint32_t tok, float sim)
{
	int i;

	if (sim < 0.72f)
		return n;
	for (i = 0; i < n; i++)
		if (m[i].tok == tok) {
			if (sim > m[i].sim)
				m[i].sim = sim;
			return n;
		}
	if (n < NX_MAX_TOKMATCH)
		m[n++] = (tmatch){tok, sim};
	return n;
}

/* Could q (masks qm, qkm) and dictionary word d reach similarity
 * 0.72?  Lengths within 28% and letter sets within 2 x the allowed
 * edits, on text or on key; initials always may. */
static inline unsigned popc(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	return (((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24;
}

static inline int may_match(const score_tok *q, uint32_t qm, uint32_t qkm,
			    const nx_filt *d)
{
	unsigned ml, dl, mk, dk;

	if ((q->flags | d->flags) & SCORE_TF_INITIAL)
		return 1;
	ml = d->len > q->len ? d->len : q->len;
	dl = d->len > q->len ? d->len - q->len : q->len - d->len;
	mk = d->klen > q->klen ? d->klen : q->klen;
	dk = d->klen > q->klen ? d->klen - q->klen : q->klen - d->klen;
	if (dl * 100 <= ml * 28 &&
	    popc(qm ^ d->tmask) <= 2 * (ml * 28 / 100))
		return 1;
	return dk * 100 <= mk * 27 &&
	       popc(qkm ^ d->kmask) <=
		       2 * (mk * 27 / 100);
}

/* score_tok_sim_min(q, d) with the phonetic keys cached: qph is q's
 * nx_phon_id(), d->phon the dictionary word's. */
static inline float dsim(const nameidx *ix, const score_tok *q,
			 uint32_t qph, const nx_tok *d, wl_ent_type type,
			 float minsim)
{
	score_tok dt = {ix->pool + d->str, ix->pool + d->key, d->len,
			d->klen, d->flags, d->w};
	float sm = score_tok_sim_nophon(q, &dt, type, minsim);

	if (sm < SCORE_PHON_SIM && qph && qph == d->phon)
		sm = SCORE_PHON_SIM;
	return sm;
}

static int add_group(const nameidx *ix, nameidx_scratch *s,
		     const score_tok *q, uint32_t g, tmatch *m, int n,
		     wl_ent_type type)
{
	uint32_t j;

	if (s->gstamp[g] == s->gepoch)
		return n; /* reached through another deletion already */
	s->gstamp[g] = s->gepoch;
	for (j = ix->grp_off[g]; j < ix->grp_off[g + 1]; j++) {
		uint32_t t = ix->grp_toks[j];
		if (!may_match(q, s->qm, s->qkm, &ix->grp_filt[j]))
			continue;
		n = add_match(m, n, t,
			      dsim(ix, q, s->qph, &ix->toks[t], type, 0.72f));
	}
	return n;
}

/* The deletion bucket of hash h (nx_del_find without rehashing). */
static inline uint32_t del_find_h(const nameidx *ix, uint64_t h)
{
	const nx_table *t = &ix->del_tab;
	size_t i;

	if (!t->cap)
		return NX_NONE;
	for (i = h & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1))
		if (t->hash[i] == h)
			return t->slot[i] - 1;
	return NX_NONE;
}

static void del_probe_b(const nameidx *ix, nameidx_scratch *s,
			const score_tok *q, uint32_t b, tmatch *m, int *n,
			wl_ent_type type)
{
	uint32_t j;

	if (b == NX_NONE)
		return;
	for (j = ix->del_off[b]; j < ix->del_off[b + 1] && j < ix->del_off[b] + 64;
	     j++)
		*n = add_group(ix, s, q, ix->del_grp[j], m, *n, type);
}

/* Hashes of s and its one-character deletions (as push_dels). */
static int del_hashes(const char *str, size_t len, uint64_t *h)
{
	char tmp[SCORE_KEY_MAX];
	size_t i;
	int k = 0;

	h[k++] = nx_hash(str, len);
	for (i = 0; i < len; i++) {
		if (i > 0 && str[i] == str[i - 1])
			continue;
		memcpy(tmp, str, i);
		memcpy(tmp + i, str + i + 1, len - i - 1u);
		h[k++] = nx_hash(tmp, len - 1u);
	}
	return k;
}

/* Dictionary words that may be query word q. */
int nx_lookup_word(const nameidx *ix, nameidx_scratch *s,
		   const score_tok *q, uint32_t t, tmatch *m,
		   wl_ent_type type)
{
	uint32_t g, i;
	int n = 0;

	if (t != NX_NONE && ix->nbr_off) {
		/* precomputed (type unknown: initials at 0.9, which an
		 * organisation does not accept) */
		const nx_nbr *p = ix->nbr + ix->nbr_off[t];
		uint32_t c = ix->nbr_off[t + 1] - ix->nbr_off[t];

		for (i = 0; i < c; i++) {
			if (type != WL_ENT_PERSON && type != WL_ENT_UNKNOWN &&
			    (ix->toks[p[i].tok].flags & SCORE_TF_INITIAL) &&
			    p[i].tok != t)
				continue;
			m[n++] = p[i];
		}
		return n;
	}

	if (++s->gepoch == 0) {
		memset(s->gstamp, 0, (size_t)s->gcap * sizeof(*s->gstamp));
		s->gepoch = 1;
	}
	s->qm = nx_mask(q->s, q->len);
	s->qkm = nx_mask(q->key, q->klen);
	if (t != NX_NONE)
		n = add_match(m, n, t, 1.0f);
	if (q->flags & SCORE_TF_NUMERIC)
		return n;
	{
		char ph[SCORE_KEY_MAX];
		size_t pl = q->len >= 4 ? score_phon(q->s, q->len, ph,
						     sizeof(ph)) : 0;
		uint64_t hs[2 * SCORE_KEY_MAX + 4], phh = 0;
		uint32_t bs[2 * SCORE_KEY_MAX + 4];
		int nh = 0, k;
		const nx_table *dt = &ix->del_tab;

		if (pl >= 3)
			phh = nx_hash(ph, pl);
		s->qph = pl >= 3 && !(q->flags & SCORE_TF_INITIAL) ?
				 (uint32_t)(phh >> 32) | 1u : 0;
		/* every probe hashed first and its slot prefetched: the
		 * probes miss the cache independently */
		if (q->klen >= 4 && q->klen < SCORE_KEY_MAX)
			nh = del_hashes(q->key, q->klen, hs);
		if (t == NX_NONE && q->len >= 4 && q->len < SCORE_KEY_MAX)
			nh += del_hashes(q->s, q->len, hs + nh);
		for (k = 0; k < nh && dt->cap; k++) {
			size_t sl = hs[k] & (dt->cap - 1);

			__builtin_prefetch(&dt->slot[sl]);
			__builtin_prefetch(&dt->hash[sl]);
		}
		g = nx_grp_find(ix, q->key, q->klen);
		for (k = 0; k < nh; k++) {
			bs[k] = del_find_h(ix, hs[k]);
			if (bs[k] != NX_NONE) {
				__builtin_prefetch(&ix->del_off[bs[k]]);
				__builtin_prefetch(&ix->del_grp[ix->del_off[bs[k]]]);
			}
		}
		if (g != NX_NONE)
			n = add_group(ix, s, q, g, m, n, type);
		/* key and its deletions, then (a word the lists never
		 * spell this way is likely a typo) the text and its
		 * deletions */
		for (k = 0; k < nh; k++)
			del_probe_b(ix, s, q, bs[k], m, &n, type);
		/* the same consonant skeleton (score_phon): other
		 * romanisations and scripts; a bounded bucket, each word
		 * checked; only when nothing closer was found */
		for (i = 0; i < (uint32_t)n && m[i].sim < 0.9f; i++)
			;
		if (i == (uint32_t)n && q->len >= 4 &&
		    q->len < SCORE_KEY_MAX && pl >= 3) {
			uint32_t c = 0;
			const uint32_t *pt = nx_phon_find(ix, ph, pl, &c);

			for (i = 0; pt && i < c && i < NX_PHON_BUCKET; i++) {
				const nx_tok *d = &ix->toks[pt[i]];
				score_tok dq = {ix->pool + d->str,
						ix->pool + d->key, d->len,
						d->klen, d->flags, d->w};
				/* same phonetic key: at least 0.9 */
				float x = score_tok_sim_nophon(q, &dq, type,
							       SCORE_PHON_SIM);

				n = add_match(m, n, pt[i],
					      x > SCORE_PHON_SIM ? x :
								   SCORE_PHON_SIM);
			}
		}
	}
	return n;
}

/* nx_lookup_word() through the scratch's memo for words the lists
 * never spell (the answer depends only on the word and the type). */
static int lookup_memo(const nameidx *ix, nameidx_scratch *s,
		       const score_tok *q, uint32_t t, tmatch *m,
		       wl_ent_type type)
{
	struct nx_lmemo *c;
	uint64_t h;
	int n;

	if (t != NX_NONE)
		return nx_lookup_word(ix, s, q, t, m, type);
	nx_memo_for(s, ix);
	h = nx_hash(q->s, q->len) ^ ((uint64_t)type * 0x9e3779b97f4a7c15ull);
	c = &s->lmemo[(h >> 20) & (NX_LMEMO - 1)];
	if (c->gen == s->memo_gen && c->h == h && c->len == q->len &&
	    c->type == (uint8_t)type) {
		memcpy(m, c->m, (size_t)c->n * sizeof(*m));
		return c->n;
	}
	n = nx_lookup_word(ix, s, q, t, m, type);
	if (n <= NX_LMEMO_M) {
		c->gen = s->memo_gen;
		c->h = h;
		c->len = q->len;
		c->type = (uint8_t)type;
		c->n = (uint8_t)n;
		memcpy(c->m, m, (size_t)n * sizeof(*m));
	}
	return n;
}

static void touch(nameidx_scratch *s, uint32_t e, int qi, float cq,
		  float ce, float we)
{
	nx_acc *a = &s->acc[e];

	if (a->stamp != s->epoch) {
		a->stamp = s->epoch;
		a->aq = a->ae = a->lq = 0;
		a->we = we;
		a->lastq = -1;
		s->touched[s->n_touched++] = e;
	}
	a->ae += ce;
	if (a->lastq == qi) {
		if (cq > a->lq) {
			a->aq += cq - a->lq;
			a->lq = cq;
		}
		return;
	}
	a->lastq = (int16_t)qi;
	a->lq = cq;
	a->aq += cq;
}

/* Min-heap of the best candidates by accumulated weight. */
static int heap_push(nx_cand *h, int n, int cap, nx_cand c)
{
	int i;

	if (n == cap) {
		if (c.acc <= h[0].acc)
			return n;
		i = 0;
		for (;;) { /* sift down replacing the root */
			int l = 2 * i + 1, r = l + 1, m = i;

			if (l < n && h[l].acc < (m == i ? c.acc : h[m].acc))
				m = l;
			if (r < n && h[r].acc < (m == i ? c.acc : h[m].acc))
				m = r;
			if (m == i)
				break;
			h[i] = h[m];
			i = m;
		}
		h[i] = c;
		return n;
	}
	for (i = n++; i > 0 && h[(i - 1) / 2].acc > c.acc; i = (i - 1) / 2)
		h[i] = h[(i - 1) / 2];
	h[i] = c;
	return n;
}

#define WEAK_POST_CAP 500

static float miss_f(wl_ent_type t)
{
	return t == WL_ENT_PERSON ? 0.6f : t == WL_ENT_UNKNOWN ? 0.8f : 1.0f;
}

/*
 * Accumulate the candidates of parsed query qn and keep those whose
 * score bound reaches floor; returns the heap size.
 *
 * The bound: with A = sum over matched words (both sides) of sim^2 x
 * weight and W the total weight of both names, any alignment scores
 * N/D with N <= min(A, M) and D >= f W + (1 - f) M (M the matched
 * weight, f the smallest miss factor), so score <= A / (f W + (1-f) A).
 * Connectors, initials and words whose postings were skipped count as
 * matched.
 *
 * Prefix filtering: a name that matches none of a set R of query words
 * misses at least their weight U_R and gains at most the best pairs of
 * the others (Amax), so its score is below Amax / (Amax + f U_R).  R is
 * grown from the words with the shortest postings until that is below
 * floor; only R's postings are walked (the common words - "maria",
 * "trading" - are not), and the other words are verified per candidate
 * through a small hash of the dictionary words they matched.
 */
static int gather(const nameidx *ix, nameidx_scratch *s,
		  const score_name *qn, const nameidx_query *q, float floor,
		  const uint32_t *qtok)
{
	tmatch m[NX_MAX_TOKMATCH];
	int ord[SCORE_MAX_TOK], inr[SCORE_MAX_TOK], nv = 0;
	int i, j, nm, cap, nh = 0, content = 0, no = 0;
	uint32_t k, cost[SCORE_MAX_TOK], vm[SCORE_MAX_TOK], vkm[SCORE_MAX_TOK];
	uint32_t vph[SCORE_MAX_TOK], ns;
	int vq[SCORE_MAX_TOK];
	float wq = 0, extra = 0, amax = 0, ur = 0, vq0 = 0;

	if (++s->epoch == 0) {
		for (k = 0; k < s->cap; k++)
			s->acc[k].stamp = 0;
		s->epoch = 1;
	}
	s->n_touched = 0;
	for (i = 0; i < qn->n; i++) {
		inr[i] = 0;
		if (qn->tok[i].flags & (SCORE_TF_STOP | SCORE_TF_INITIAL)) {
			/* may pair with any listed word (initial ~ name) */
			extra += qn->tok[i].w + 1.0f;
			continue;
		}
		content++;
		wq += qn->tok[i].w;
		amax += qn->tok[i].w + 1.0f; /* best pair: sim 1, we <= 1 */
		cost[i] = qtok[i] != NX_NONE ? ix->toks[qtok[i]].n_post : 0;
		for (j = no; j > 0 && cost[ord[j - 1]] > cost[i]; j--)
			ord[j] = ord[j - 1];
		ord[j] = i;
		no++;
	}
	/* R: the rarest words until a name matching none of them cannot
	 * reach floor */
	amax += extra;
	for (j = 0; j < no; j++) {
		i = ord[j];
		inr[i] = 1;
		amax -= qn->tok[i].w + 1.0f;
		ur += qn->tok[i].w;
		if (amax / (amax + 0.6f * ur) < floor)
			break;
	}
	for (i = 0; i < qn->n; i++) {
		float qw = qn->tok[i].w;

		if (!inr[i]) {
			if (!(qn->tok[i].flags &
			      (SCORE_TF_STOP | SCORE_TF_INITIAL))) {
				vq0 += qn->tok[i].w;
				vq[nv] = i; /* verified per candidate */
				vph[nv] = nx_phon_id(qn->tok[i].s,
						     qn->tok[i].len,
						     qn->tok[i].flags);
				vm[nv] = nx_mask(qn->tok[i].s, qn->tok[i].len);
				vkm[nv++] = nx_mask(qn->tok[i].key,
						    qn->tok[i].klen);
			}
			continue;
		}
		nm = lookup_memo(ix, s, &qn->tok[i], qtok[i], m, q->type);
		for (j = 0; j < nm; j++) {
			const nx_tok *t = &ix->toks[m[j].tok];
			float s2 = m[j].sim * m[j].sim;

			/* a weak fuzzy pair with a very common word ("sally"
			 * ~ "ali", "vlagyimir" ~ "vladimir") would bring
			 * thousands of names that the other words must carry
			 * anyway: the word is verified per candidate instead */
			if (m[j].sim < 0.9f && t->n_post > WEAK_POST_CAP)
				continue;
			{
				const uint32_t *pp = ix->posts + t->post;
				const float *pw = ix->post_we + t->post;
				uint32_t np = t->n_post;

				for (k = 0; k < np; k++) {
					if (k + 8 < np)
						__builtin_prefetch(
							&s->acc[pp[k + 8]], 1);
					touch(s, pp[k], i, s2 * qw, s2 * t->w,
					      pw[k]);
				}
			}
		}
	}
	cap = ix->cfg.max_candidates;
	if (cap > (int)(sizeof(s->heap) / sizeof(s->heap[0])))
		cap = (int)(sizeof(s->heap) / sizeof(s->heap[0]));
	/* pass 1: the bound with the words outside R at their best (each
	 * adds at most its own weight and one listed word's, <= 1, and
	 * the listed side never more than its total); survivors are
	 * compacted in place and their entries prefetched */
	for (k = 0, ns = 0; k < s->n_touched; k++) {
		uint32_t e = s->touched[k];
		const nx_acc *a = &s->acc[e];
		wl_ent_type t;
		float f, ae = a->ae, A, W, we = a->we;

		if (k + 6 < s->n_touched)
			__builtin_prefetch(&s->acc[s->touched[k + 6]]);
		t = ix->etype[e] ? (wl_ent_type)ix->etype[e] : q->type;
		f = miss_f(t);
		A = a->aq + vq0 + extra + (ae + (float)nv < we ? ae + (float)nv : we);
		W = wq + we + extra;
		if (A < W && A / (f * W + (1 - f) * A) < floor &&
		    !(content == 1 && t == WL_ENT_PERSON))
			continue;
		__builtin_prefetch(&ix->ents[e]);
		s->touched[ns++] = e;
	}
	for (k = 0; k < ns; k++) {
		uint32_t e = s->touched[k];
		const nx_acc *a = &s->acc[e];
		const nx_entry *en;
		wl_ent_type t;
		float f, aq = a->aq, ae = a->ae, A, W, b, we = a->we;
		int v;

		if (k + 3 < ns)
			__builtin_prefetch(
				&ix->etoks[ix->ents[s->touched[k + 3]].tok]);
		t = ix->etype[e] ? (wl_ent_type)ix->etype[e] : q->type;
		f = miss_f(t);
		en = &ix->ents[e];
		for (v = 0; v < nv; v++) { /* the words outside R */
			const score_tok *qt = &qn->tok[vq[v]];
			float bs = 0, bw = 0;
			uint32_t x;

			for (x = 0; x < en->n_tok; x++) {
				uint32_t dtok = ix->etoks[en->tok + x];
				uint32_t mk = (dtok << 5) | (uint32_t)v;
				struct nx_vmemo *mm =
					&s->vmemo[(mk * 2654435761u) >> 22];
				float sm;

				if (mm->stamp != s->epoch || mm->key != mk) {
					sm = 0;
					mm->s2w = 0;
					if (may_match(qt, vm[v], vkm[v],
						      &ix->tfilt[dtok])) {
						const nx_tok *d = &ix->toks[dtok];

						sm = dsim(ix, qt, vph[v], d,
							  q->type, 0.72f);
						sm = sm < 0.72f ? 0 : sm * sm;
						mm->s2w = sm * d->w;
					}
					mm->stamp = s->epoch;
					mm->key = mk;
					mm->s2 = sm;
				}
				if (mm->s2 > bs)
					bs = mm->s2;
				if (mm->s2w > bw)
					bw = mm->s2w;
			}
			aq += bs * qt->w;
			ae += bw;
		}
		if (ae > we)
			ae = we;
		A = aq + ae + extra;
		W = wq + we + extra;
		b = A / (f * W + (1 - f) * A);
		if (content == 1 && t == WL_ENT_PERSON) {
			/* lone rare surname rule (score_cands) */
			float l = 0.82f * aq / wq;

			if (l > b)
				b = l;
		}
		if (b >= floor)
			nh = heap_push(s->heap, nh, cap, (nx_cand){e, b});
	}
	return nh;
}

/* ---- evidence ---- */

static int date_cmp(wl_date a, wl_date b)
{
	int dy = (int)a.year - (int)b.year;

	if (dy == 0 && (!a.month || !b.month || a.month == b.month) &&
	    (!a.day || !b.day || a.day == b.day))
		return 0; /* equal as far as both tell */
	if (dy >= -1 && dy <= 1)
		return 1; /* close: neither */
	return 2;     /* conflict */
}

static double evidence(const nameidx_query *q, const wl_entity *en,
		       double s, uint32_t *flags)
{
	uint32_t i;
	int best = 3;

	if (q->dob.year && en->n_dobs) {
		for (i = 0; i < en->n_dobs; i++) {
			int c = date_cmp(q->dob, en->dobs[i]);

			best = c < best ? c : best;
		}
		if (best == 0) {
			*flags |= NAMEIDX_HF_DOB_EQUAL;
			s += 0.05;
		} else if (best == 2) {
			*flags |= NAMEIDX_HF_DOB_CONFLICT;
			s -= 0.15;
		}
	}
	if (en->n_countries && (q->nationality[0] || q->country[0])) {
		int eq = 0;

		for (i = 0; i < en->n_countries; i++)
			if ((q->nationality[0] &&
			     strcasecmp(q->nationality, en->countries[i]) == 0) ||
			    (q->country[0] &&
			     strcasecmp(q->country, en->countries[i]) == 0))
				eq = 1;
		if (eq) {
			*flags |= NAMEIDX_HF_COUNTRY_EQUAL;
			s += 0.02;
		} else if (en->type == WL_ENT_PERSON && q->nationality[0]) {
			*flags |= NAMEIDX_HF_COUNTRY_CONFLICT;
			s -= 0.04;
		}
	}
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* ---- results ---- */

static int cmp_hit(const void *x, const void *y)
{
	const nameidx_hit *a = x, *b = y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->list != b->list)
		return a->list < b->list ? -1 : 1;
	return a->entity < b->entity ? -1 : a->entity > b->entity;
}

/* Merge a scored name into out[0..*n) (best per entity). */
static void keep(const nameidx *ix, nameidx_hit *out, int *n, int max,
		 uint32_t e, double sc, const char *matched)
{
	const nx_entry *en = &ix->ents[e];
	int i, weak = en->strength == WL_NAME_WEAK;

	if (max <= 0)
		return;
	for (i = 0; i < *n; i++)
		if (out[i].list == en->list && out[i].entity == en->ent)
			break;
	if (i == *n) {
		if (*n == max) { /* replace the worst if better */
			int w = 0, j;

			for (j = 1; j < *n; j++)
				if (out[j].score < out[w].score)
					w = j;
			if (out[w].score >= sc)
				return;
			i = w;
		} else {
			(*n)++;
		}
		memset(&out[i], 0, sizeof(out[i]));
		out[i].list = en->list;
		out[i].entity = en->ent;
		out[i].score = -1;
		out[i].flags = NAMEIDX_HF_WEAK; /* until a strong name passes review */
	}
	if (!weak && sc >= ix->cfg.review)
		out[i].flags &= ~(uint32_t)NAMEIDX_HF_WEAK;
	if ((float)sc > out[i].score) {
		out[i].score = (float)sc;
		out[i].name = en->name;
		size_t ml = strlen(matched);

		if (ml >= sizeof(out[i].matched))
			ml = sizeof(out[i].matched) - 1;
		memcpy(out[i].matched, matched, ml);
		out[i].matched[ml] = '\0';
	}
}

/* Score the gathered candidates of one query form. */
static void score_cands(const nameidx *ix, nameidx_scratch *s, int nh,
			const nameidx_query *q, nameidx_hit *out, int *n,
			int max)
{
	int i, content = 0;

	for (i = 0; i < s->qn.n; i++)
		content += !(s->qn.tok[i].flags &
			     (SCORE_TF_STOP | SCORE_TF_INITIAL));
	for (i = 0; i < nh; i++) {
		uint32_t e = s->heap[i].e;
		const nx_entry *en = &ix->ents[e];
		wl_ent_type t = en->type ? (wl_ent_type)en->type : q->type;
		double sc;

		nx_entry_name(ix, e, &s->en);
		sc = score_names(&s->qn, &s->en, t, NULL);
		if (q->type && en->type && q->type != en->type)
			sc *= (q->type == WL_ENT_PERSON ||
			       en->type == WL_ENT_PERSON) ? 0.85 : 0.95;
		/* a lone rare surname ("President Putin") is worth review */
		if (content == 1 && t == WL_ENT_PERSON && s->qn.n <= 3) {
			int j;

			for (j = 0; j < s->en.n; j++) {
				const score_tok *et = &s->en.tok[j];
				float ts;

				if (et->w < 0.85f || et->len < 4)
					continue;
				for (int k = 0; k < s->qn.n; k++) {
					if (s->qn.tok[k].flags &
					    (SCORE_TF_STOP | SCORE_TF_INITIAL))
						continue;
					ts = score_tok_sim(&s->qn.tok[k], et, t);
					if (ts >= 0.9f && 0.82 * ts * ts > sc)
						sc = 0.82 * ts * ts;
				}
			}
		}
		keep(ix, out, n, max, e, sc, s->qn.text);
	}
}

int nameidx_match(const nameidx *ix, nameidx_scratch *s,
		  const nameidx_query *q, nameidx_hit *out, int max_out)
{
	char vbuf[1024];
	const char *v[SCORE_MAX_VARIANTS];
	size_t vl[SCORE_MAX_VARIANTS];
	uint32_t qtok[SCORE_MAX_TOK];
	int nv, i, j, n = 0, w = 0;
	float floor;

	if (!ix || !s || !q || (!q->name && q->len) || max_out < 0 ||
	    (max_out && !out))
		return -EINVAL;
	if (!norm_utf8_valid(q->name, q->len))
		return -EILSEQ;
	if (nx_scratch_fit(s, ix) < 0)
		return -ENOMEM;
	/* evidence can add at most this much to a name score */
	floor = ix->cfg.review - 0.005f - (q->dob.year ? 0.05f : 0) -
		(q->country[0] || q->nationality[0] ? 0.02f : 0);
	nv = score_clean_variants(q->name, q->len, q->type, vbuf,
				  sizeof(vbuf), v, vl, SCORE_MAX_VARIANTS);
	for (i = 0; i < nv; i++) {
		ssize_t r = norm_text(s->nc, v[i], vl[i], s->norm,
				      sizeof(s->norm) < SCORE_TEXT_MAX ?
					      sizeof(s->norm) :
					      SCORE_TEXT_MAX);
		int nh;

		if (r == -ENOSPC)
			r = (ssize_t)strlen(s->norm);
		if (r <= 0)
			continue;
		if (score_name_parse_opt(&s->qn, s->norm, (size_t)r,
					 q->type == WL_ENT_PERSON ?
						 SCORE_PARSE_PERSON : 0) == 0)
			continue;
		for (j = 0; j < s->qn.n; j++) {
			qtok[j] = nx_tok_find(ix, s->qn.tok[j].s,
					      s->qn.tok[j].len);
			if (qtok[j] != NX_NONE)
				s->qn.tok[j].w = ix->toks[qtok[j]].w;
		}
		nh = gather(ix, s, &s->qn, q, floor, qtok);
		score_cands(ix, s, nh, q, out, &n, max_out);
	}
	for (i = 0; i < n; i++) {
		const wl_entity *en =
			&ix->lists[out[i].list]->entities[out[i].entity];
		double name = out[i].score;
		double sc = evidence(q, en, name, &out[i].flags);
		int len;

		out[i].score = (float)sc;
		if (sc < ix->cfg.review)
			continue;
		if (sc >= ix->cfg.block && !(out[i].flags & NAMEIDX_HF_WEAK))
			out[i].flags |= NAMEIDX_HF_BLOCK;
		len = snprintf(out[i].reason, sizeof(out[i].reason),
			       "name %.2f%s%s%s%s%s", name,
			       out[i].flags & NAMEIDX_HF_WEAK ? "; weak alias" : "",
			       out[i].flags & NAMEIDX_HF_DOB_EQUAL ? "; dob equal" : "",
			       out[i].flags & NAMEIDX_HF_DOB_CONFLICT ? "; dob differs" : "",
			       out[i].flags & NAMEIDX_HF_COUNTRY_EQUAL ? "; country equal" : "",
			       out[i].flags & NAMEIDX_HF_COUNTRY_CONFLICT ? "; nationality differs" : "");
		(void)len;
		out[w++] = out[i];
	}
	/* a handful of hits: insertion sort (stable, no allocation) */
	for (i = 1; i < w; i++) {
		nameidx_hit h = out[i];

		for (j = i; j > 0 && cmp_hit(&out[j - 1], &h) > 0; j--)
			out[j] = out[j - 1];
		if (j != i)
			out[j] = h;
	}
	return w;
}
