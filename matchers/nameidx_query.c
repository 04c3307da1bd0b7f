/*
 * nameidx_query.c - screening one party name; contract in nameidx.h.
 *
 * Why: the hot path.  Each query word is looked up exactly, by
 * transliteration key and through the deletion neighbourhood; the
 * postings of the dictionary words found add weight x similarity^2 to
 * an accumulator per indexed name (epoch-stamped arrays in the
 * scratch, so nothing is cleared or allocated per query).  Only the
 * best-accumulating names (a bounded heap) are scored in full with
 * score_names(), then DOB and country evidence adjusts the score per
 * entity.  Words whose postings are very long ("mohammed", "trading")
 * are skipped for candidate generation whenever the query has a rarer
 * word, which bounds the work per query.
 */
#include "nameidx_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POST_CAP 3000  /* postings walked for a word with rarer peers */

typedef struct tmatch {
	uint32_t tok;
	float sim;
} tmatch;

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
	free(s->stamp);
	free(s->lastq);
	free(s->acc);
	free(s->lastc);
	free(s->touched);
	free(s);
}

int nx_scratch_fit(nameidx_scratch *s, const nameidx *ix)
{
	uint32_t n = ix->n_ents + 1;

	if (s->cap >= n)
		return 0;
	free(s->stamp);
	free(s->lastq);
	free(s->acc);
	free(s->lastc);
	free(s->touched);
	s->stamp = calloc(n, sizeof(*s->stamp));
	s->lastq = calloc(n, sizeof(*s->lastq));
	s->acc = calloc(n, sizeof(*s->acc));
	s->lastc = calloc(n, sizeof(*s->lastc));
	s->touched = calloc(n, sizeof(*s->touched));
	s->epoch = 0;
	if (!s->stamp || !s->lastq || !s->acc || !s->lastc || !s->touched) {
		s->cap = 0;
		return -ENOMEM;
	}
	s->cap = n;
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

static int add_group(const nameidx *ix, const score_tok *q, uint32_t g,
		     tmatch *m, int n, wl_ent_type type)
{
	uint32_t j;

	for (j = ix->grp_off[g]; j < ix->grp_off[g + 1]; j++) {
		uint32_t t = ix->grp_toks[j];
		const nx_tok *d = &ix->toks[t];
		score_tok dt = {ix->pool + d->str, ix->pool + d->key, d->len,
				d->klen, d->flags, d->w};

		n = add_match(m, n, t, score_tok_sim(q, &dt, type));
	}
	return n;
}

static void del_probe(const nameidx *ix, const score_tok *q,
		      const char *key, size_t kl, tmatch *m, int *n,
		      wl_ent_type type)
{
	uint32_t b = nx_del_find(ix, key, kl), j;

	if (b == NX_NONE)
		return;
	for (j = ix->del_off[b]; j < ix->del_off[b + 1] && j < ix->del_off[b] + 64;
	     j++)
		*n = add_group(ix, q, ix->del_grp[j], m, *n, type);
}

/* Dictionary words that may be query word q. */
static int lookup_word(const nameidx *ix, const score_tok *q, tmatch *m,
		       wl_ent_type type)
{
	uint32_t t = nx_tok_find(ix, q->s, q->len), g, i;
	char tmp[SCORE_KEY_MAX];
	int n = 0;

	if (t != NX_NONE)
		n = add_match(m, n, t, 1.0f);
	if (q->flags & SCORE_TF_NUMERIC)
		return n;
	g = nx_grp_find(ix, q->key, q->klen);
	if (g != NX_NONE)
		n = add_group(ix, q, g, m, n, type);
	if (q->klen < 4 || q->klen >= SCORE_KEY_MAX)
		return n;
	del_probe(ix, q, q->key, q->klen, m, &n, type);
	for (i = 0; i < q->klen; i++) {
		if (i > 0 && q->key[i] == q->key[i - 1])
			continue;
		memcpy(tmp, q->key, i);
		memcpy(tmp + i, q->key + i + 1, q->klen - i - 1u);
		del_probe(ix, q, tmp, q->klen - 1u, m, &n, type);
	}
	return n;
}

static void touch(nameidx_scratch *s, uint32_t e, int qi, float c)
{
	if (s->stamp[e] != s->epoch) {
		s->stamp[e] = s->epoch;
		s->acc[e] = 0;
		s->lastq[e] = -1;
		s->touched[s->n_touched++] = e;
	}
	if (s->lastq[e] == qi) {
		if (c > s->lastc[e]) {
			s->acc[e] += c - s->lastc[e];
			s->lastc[e] = c;
		}
		return;
	}
	s->lastq[e] = (int16_t)qi;
	s->lastc[e] = c;
	s->acc[e] += c;
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

/* Accumulate candidates of parsed query qn; returns heap size. */
static int gather(const nameidx *ix, nameidx_scratch *s,
		  const score_name *qn, wl_ent_type type)
{
	tmatch m[SCORE_MAX_TOK][NX_MAX_TOKMATCH];
	int nm[SCORE_MAX_TOK], i, j, cap, nh = 0;
	uint32_t rarest = NX_NONE, k;
	float qw = 0;

	if (++s->epoch == 0) {
		memset(s->stamp, 0, (size_t)s->cap * sizeof(*s->stamp));
		s->epoch = 1;
	}
	s->n_touched = 0;
	for (i = 0; i < qn->n; i++) {
		nm[i] = 0;
		if (qn->tok[i].flags & (SCORE_TF_STOP | SCORE_TF_INITIAL))
			continue;
		qw += qn->tok[i].w;
		nm[i] = lookup_word(ix, &qn->tok[i], m[i], type);
		for (j = 0; j < nm[i]; j++)
			if (ix->toks[m[i][j].tok].n_post < rarest)
				rarest = ix->toks[m[i][j].tok].n_post;
	}
	for (i = 0; i < qn->n; i++)
		for (j = 0; j < nm[i]; j++) {
			const nx_tok *t = &ix->toks[m[i][j].tok];
			float c = m[i][j].sim * m[i][j].sim * t->w;

			if (t->n_post > POST_CAP && t->n_post > rarest)
				continue;
			for (k = 0; k < t->n_post; k++)
				touch(s, ix->posts[t->post + k], i, c);
		}
	cap = ix->cfg.max_candidates;
	if (cap > (int)(sizeof(s->heap) / sizeof(s->heap[0])))
		cap = (int)(sizeof(s->heap) / sizeof(s->heap[0]));
	for (k = 0; k < s->n_touched; k++) {
		uint32_t e = s->touched[k];

		if (s->acc[e] >= 0.4f * qw)
			nh = heap_push(s->heap, nh, cap,
				       (nx_cand){e, s->acc[e]});
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
	int nv, i, n = 0, w = 0;

	if (!ix || !s || !q || (!q->name && q->len) || max_out < 0 ||
	    (max_out && !out))
		return -EINVAL;
	if (!norm_utf8_valid(q->name, q->len))
		return -EILSEQ;
	if (nx_scratch_fit(s, ix) < 0)
		return -ENOMEM;
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
		if (score_name_parse(&s->qn, s->norm, (size_t)r) == 0)
			continue;
		nx_reweight(ix, &s->qn);
		nh = gather(ix, s, &s->qn, q->type);
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
	if (w > 1)
		qsort(out, (size_t)w, sizeof(*out), cmp_hit);
	return w;
}
