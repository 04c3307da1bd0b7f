/*
 * nameidx.c - building the name index; contract in nameidx.h.
 *
 * Why this layout: a query must reach the few listed names sharing a
 * word with it without looking at the other 10^5, and must survive the
 * word being spelled differently.  So names are compiled into a token
 * dictionary with postings (exact words), a transliteration-key table
 * grouping the dictionary's spellings of one sound-alike word, and a
 * one-deletion neighbourhood over those keys (SymSpell style) for
 * typos and romanisations the key does not fold.  Deletion
 * neighbourhoods were chosen over n-gram or phonetic indexes because
 * their lookups are a handful of hash probes with no scoring of long
 * candidate lists; keys catch the systematic variants (Aksyonov /
 * Aksenov) and deletions the accidental ones.
 *
 * Token weights blend score_default_weight() with list-wide rarity
 * (IDF over entities), so "putin" weighs more than "mohammed" and
 * "trading" little.  Everything is plain malloc'd arrays owned by the
 * index, immutable after nameidx_build() returns.
 */
#include "nameidx_impl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

/* ---- hashing and tables ---- */

uint64_t nx_hash(const char *s, size_t len)
{
	return XXH3_64bits(s, len);
}

static int tab_init(nx_table *t, size_t items)
{
	size_t cap = 64;

	while (cap < items * 2 + 16)
		cap *= 2;
	t->slot = calloc(cap, sizeof(*t->slot));
	t->hash = calloc(cap, sizeof(*t->hash));
	t->cap = cap;
	return t->slot && t->hash ? 0 : -ENOMEM;
}

static void tab_free(nx_table *t)
{
	free(t->slot);
	free(t->hash);
}

static void tab_put(nx_table *t, uint64_t h, uint32_t idx)
{
	size_t i = h & (t->cap - 1);

	while (t->slot[i])
		i = (i + 1) & (t->cap - 1);
	t->slot[i] = idx + 1;
	t->hash[i] = h;
}

uint32_t nx_find(const nx_table *t, const char *s, size_t len,
		 int (*eq)(const void *ctx, uint32_t idx, const char *s,
			   size_t len),
		 const void *ctx)
{
	uint64_t h = nx_hash(s, len);
	size_t i = h & (t->cap - 1);

	if (!t->cap)
		return NX_NONE;
	while (t->slot[i]) {
		if (t->hash[i] == h &&
		    (!eq || eq(ctx, t->slot[i] - 1, s, len)))
			return t->slot[i] - 1;
		i = (i + 1) & (t->cap - 1);
	}
	return NX_NONE;
}

static int tok_eq(const void *ctx, uint32_t idx, const char *s, size_t len)
{
	const nameidx *ix = ctx;

	return ix->toks[idx].len == len &&
	       memcmp(ix->pool + ix->toks[idx].str, s, len) == 0;
}

static int grp_eq(const void *ctx, uint32_t idx, const char *s, size_t len)
{
	const nameidx *ix = ctx;
	const nx_tok *t = &ix->toks[ix->grp_toks[ix->grp_off[idx]]];

	return t->klen == len && memcmp(ix->pool + t->key, s, len) == 0;
}

uint32_t nx_tok_find(const nameidx *ix, const char *s, size_t len)
{
	return nx_find(&ix->tok_tab, s, len, tok_eq, ix);
}

uint32_t nx_grp_find(const nameidx *ix, const char *key, size_t klen)
{
	return nx_find(&ix->grp_tab, key, klen, grp_eq, ix);
}

uint32_t nx_del_find(const nameidx *ix, const char *key, size_t klen)
{
	return nx_find(&ix->del_tab, key, klen, NULL, NULL);
}

/* ---- build state ---- */

typedef struct vec {
	void *p;
	size_t n, cap, el;
} vec;

static void *vec_push(vec *v, size_t k)
{
	if (v->n + k > v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 1024;
		void *p;

		while (nc < v->n + k)
			nc *= 2;
		p = realloc(v->p, nc * v->el);
		if (!p)
			return NULL;
		v->p = p;
		v->cap = nc;
	}
	v->n += k;
	return (char *)v->p + (v->n - k) * v->el;
}

typedef struct build {
	nameidx *ix;
	vec pool, toks, ents, etoks;
	nx_table live;       /* growable token table during build */
	uint32_t list, ent, name;
	wl_ent_type type;
	wl_name_strength strength;
	char seen[NORM_MAX_VARIANTS + 2][SCORE_TEXT_MAX];
	int n_seen;
	score_name sn;
	int err;
} build;

static uint32_t pool_add(build *b, const char *s, size_t len)
{
	char *p = vec_push(&b->pool, len + 1);

	if (!p) {
		b->err = -ENOMEM;
		return 0;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return (uint32_t)(p - (char *)b->pool.p);
}

static int live_grow(build *b)
{
	nx_table n;
	size_t i;

	if (tab_init(&n, b->live.cap) < 0) {
		tab_free(&n);
		return -ENOMEM;
	}
	for (i = 0; i < b->live.cap; i++)
		if (b->live.slot[i])
			tab_put(&n, b->live.hash[i], b->live.slot[i] - 1);
	tab_free(&b->live);
	b->live = n;
	return 0;
}

static uint32_t intern(build *b, const score_tok *t)
{
	nameidx *ix = b->ix;
	uint64_t h = nx_hash(t->s, t->len);
	size_t i;
	nx_tok *nt;

	ix->toks = b->toks.p;
	ix->pool = b->pool.p;
	for (i = h & (b->live.cap - 1); b->live.slot[i];
	     i = (i + 1) & (b->live.cap - 1))
		if (b->live.hash[i] == h &&
		    tok_eq(ix, b->live.slot[i] - 1, t->s, t->len))
			return b->live.slot[i] - 1;
	if ((b->toks.n + 1) * 2 > b->live.cap && live_grow(b) < 0)
		goto oom;
	nt = vec_push(&b->toks, 1);
	if (!nt)
		goto oom;
	memset(nt, 0, sizeof(*nt));
	nt->len = t->len;
	nt->klen = t->klen;
	nt->flags = t->flags;
	nt->w = t->w;
	nt->group = NX_NONE;
	nt->str = pool_add(b, t->s, t->len);
	nt->key = pool_add(b, t->key, t->klen);
	tab_put(&b->live, h, (uint32_t)(b->toks.n - 1));
	return (uint32_t)(b->toks.n - 1);
oom:
	b->err = -ENOMEM;
	return NX_NONE;
}

/* One normalised form of one name becomes one entry. */
static int add_form(void *ctx, const char *v, size_t vlen)
{
	build *b = ctx;
	nx_entry *e;
	uint32_t *et;
	int i, k;

	if (vlen == 0 || vlen >= SCORE_TEXT_MAX || b->err)
		return b->err;
	for (i = 0; i < b->n_seen; i++)
		if (strlen(b->seen[i]) == vlen &&
		    memcmp(b->seen[i], v, vlen) == 0)
			return 0;
	if (b->n_seen < (int)(sizeof(b->seen) / sizeof(b->seen[0]))) {
		memcpy(b->seen[b->n_seen], v, vlen);
		b->seen[b->n_seen++][vlen] = '\0';
	}
	if (score_name_parse(&b->sn, v, vlen) == 0)
		return 0;
	e = vec_push(&b->ents, 1);
	et = vec_push(&b->etoks, (size_t)b->sn.n);
	if (!e || !et)
		return b->err = -ENOMEM;
	e->list = b->list;
	e->ent = b->ent;
	e->name = (uint16_t)(b->name > 65535 ? 65535 : b->name);
	e->strength = (uint8_t)b->strength;
	e->type = (uint8_t)b->type;
	e->lf = b->sn.lf;
	e->n_tok = (uint8_t)b->sn.n;
	e->tok = (uint32_t)(b->etoks.n - (size_t)b->sn.n);
	e->text_len = (uint16_t)vlen;
	e->text = pool_add(b, v, vlen);
	for (k = 0; k < b->sn.n; k++) {
		uint32_t id = intern(b, &b->sn.tok[k]);

		((uint32_t *)b->etoks.p)[e->tok + (uint32_t)k] = id;
	}
	return b->err;
}

static int add_entity(build *b, norm_ctx *nc, const wl_entity *en)
{
	uint32_t n;
	char out[SCORE_TEXT_MAX];

	b->type = (wl_ent_type)en->type;
	for (n = 0; n < en->n_names && !b->err; n++) {
		const wl_name *nm = &en->names[n];
		size_t len = strlen(nm->text);
		ssize_t r;

		b->name = n;
		b->strength = (wl_name_strength)nm->strength;
		b->n_seen = 0;
		if (norm_variants(nc, nm->text, len, add_form, b) < 0 &&
		    b->err)
			return b->err;
		if (en->type != WL_ENT_PERSON && en->type != WL_ENT_UNKNOWN)
			continue;
		r = norm_person_reorder(nc, nm->text, len, out, sizeof(out));
		if (r > 0)
			add_form(b, out, (size_t)r);
	}
	return b->err;
}

/* ---- finishing passes ---- */

static int finish_weights(nameidx *ix)
{
	uint64_t *last = malloc((size_t)ix->n_toks * sizeof(uint64_t));
	uint32_t e, k, t;
	double lnN = log((double)ix->n_entities + 1.0);

	if (!last)
		return -ENOMEM;
	memset(last, 0xff, (size_t)ix->n_toks * sizeof(uint64_t));
	for (e = 0; e < ix->n_ents; e++) {
		const nx_entry *en = &ix->ents[e];
		uint64_t who = ((uint64_t)en->list << 32) | en->ent;

		for (k = 0; k < en->n_tok; k++) {
			t = ix->etoks[en->tok + k];
			if (last[t] != who) {
				last[t] = who;
				ix->toks[t].df++;
			}
		}
	}
	free(last);
	for (t = 0; t < ix->n_toks; t++) {
		double r = log(((double)ix->n_entities + 1.0) /
			       ((double)ix->toks[t].df + 0.5)) / lnN;

		r = r < 0 ? 0 : r > 1 ? 1 : r;
		ix->toks[t].w = (float)(ix->toks[t].w * (0.35 + 0.65 * r));
	}
	return 0;
}

static int finish_postings(nameidx *ix)
{
	uint32_t e, k, t, total = 0;
	uint32_t *fill = calloc((size_t)ix->n_toks + 1, sizeof(uint32_t));

	if (!fill)
		return -ENOMEM;
	for (e = 0; e < ix->n_ents; e++)
		for (k = 0; k < ix->ents[e].n_tok; k++)
			ix->toks[ix->etoks[ix->ents[e].tok + k]].n_post++;
	for (t = 0; t < ix->n_toks; t++) {
		ix->toks[t].post = total;
		total += ix->toks[t].n_post;
	}
	ix->posts = malloc(((size_t)total + 1) * sizeof(uint32_t));
	if (!ix->posts) {
		free(fill);
		return -ENOMEM;
	}
	for (e = 0; e < ix->n_ents; e++)
		for (k = 0; k < ix->ents[e].n_tok; k++) {
			t = ix->etoks[ix->ents[e].tok + k];
			/* a token twice in one name is posted twice; the
			 * query side tolerates it */
			ix->posts[ix->toks[t].post + fill[t]++] = e;
		}
	free(fill);
	ix->memory += ((size_t)total + 1) * sizeof(uint32_t);
	return 0;
}

static int finish_groups(nameidx *ix)
{
	uint32_t t, g, *cnt;

	if (tab_init(&ix->grp_tab, ix->n_toks) < 0)
		return -ENOMEM;
	ix->grp_off = calloc((size_t)ix->n_toks + 2, sizeof(uint32_t));
	ix->grp_toks = malloc(((size_t)ix->n_toks + 1) * sizeof(uint32_t));
	cnt = calloc((size_t)ix->n_toks + 1, sizeof(uint32_t));
	if (!ix->grp_off || !ix->grp_toks || !cnt) {
		free(cnt);
		return -ENOMEM;
	}
	/* first pass: assign group ids by key (grp_off temporarily maps
	 * group -> representative token through grp_toks) */
	for (t = 0; t < ix->n_toks; t++) {
		nx_tok *tk = &ix->toks[t];
		const char *key = ix->pool + tk->key;
		uint64_t h = nx_hash(key, tk->klen);
		size_t i;

		g = NX_NONE;
		for (i = h & (ix->grp_tab.cap - 1); ix->grp_tab.slot[i];
		     i = (i + 1) & (ix->grp_tab.cap - 1)) {
			uint32_t c = ix->grp_tab.slot[i] - 1;
			const nx_tok *r = &ix->toks[ix->grp_toks[c]];

			if (ix->grp_tab.hash[i] == h && r->klen == tk->klen &&
			    memcmp(ix->pool + r->key, key, tk->klen) == 0) {
				g = c;
				break;
			}
		}
		if (g == NX_NONE) {
			g = ix->n_grp++;
			ix->grp_toks[g] = t; /* representative */
			tab_put(&ix->grp_tab, h, g);
		}
		tk->group = g;
		cnt[g]++;
	}
	/* second pass: CSR group -> tokens */
	for (g = 0; g < ix->n_grp; g++)
		ix->grp_off[g + 1] = ix->grp_off[g] + cnt[g];
	memset(cnt, 0, ((size_t)ix->n_toks + 1) * sizeof(uint32_t));
	for (t = 0; t < ix->n_toks; t++) {
		g = ix->toks[t].group;
		ix->grp_toks[ix->grp_off[g] + cnt[g]++] = t;
	}
	free(cnt);
	ix->memory += ix->grp_tab.cap * 12 + (size_t)ix->n_toks * 8;
	return 0;
}

typedef struct delpair {
	uint64_t h;
	uint32_t g;
} delpair;

static int cmp_del(const void *x, const void *y)
{
	const delpair *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->g < b->g ? -1 : a->g > b->g;
}

/* Key of each group plus its one-character deletions (keys >= 4). */
static int finish_deletions(nameidx *ix)
{
	vec v = {NULL, 0, 0, sizeof(delpair)};
	uint32_t g, i, n = 0, b = 0;
	delpair *p;
	char tmp[SCORE_KEY_MAX];

	for (g = 0; g < ix->n_grp; g++) {
		const nx_tok *t = &ix->toks[ix->grp_toks[ix->grp_off[g]]];
		const char *key = ix->pool + t->key;
		uint32_t kl = t->klen;

		if (kl < 3 || kl >= SCORE_KEY_MAX)
			continue;
		if (!(p = vec_push(&v, 1)))
			goto oom;
		*p = (delpair){nx_hash(key, kl), g};
		for (i = 0; kl >= 4 && i < kl; i++) {
			if (i > 0 && key[i] == key[i - 1])
				continue;
			memcpy(tmp, key, i);
			memcpy(tmp + i, key + i + 1, kl - i - 1);
			if (!(p = vec_push(&v, 1)))
				goto oom;
			*p = (delpair){nx_hash(tmp, kl - 1), g};
		}
	}
	p = v.p;
	if (v.n)
		qsort(p, v.n, sizeof(*p), cmp_del);
	ix->del_off = malloc((v.n + 2) * sizeof(uint32_t));
	ix->del_grp = malloc((v.n + 1) * sizeof(uint32_t));
	if (!ix->del_off || !ix->del_grp || tab_init(&ix->del_tab, v.n) < 0)
		goto oom;
	for (i = 0; i < v.n; i++) {
		if (i > 0 && p[i].h == p[i - 1].h && p[i].g == p[i - 1].g)
			continue;
		if (i == 0 || p[i].h != p[i - 1].h) {
			ix->del_off[b] = n;
			tab_put(&ix->del_tab, p[i].h, b++);
		}
		ix->del_grp[n++] = p[i].g;
	}
	ix->del_off[b] = n;
	ix->n_del = b;
	ix->memory += ix->del_tab.cap * 12 + ((size_t)n + b) * 4;
	free(v.p);
	return 0;
oom:
	free(v.p);
	return -ENOMEM;
}

/* Free-text patterns: names specific enough to search inside text. */
static int finish_text(nameidx *ix)
{
	ac_builder *b = ac_builder_new();
	uint32_t e, k, sym[256];
	int r = 0;

	if (!b)
		return -ENOMEM;
	for (e = 0; e < ix->n_ents && r == 0; e++) {
		const nx_entry *en = &ix->ents[e];
		float w = 0;
		int content = 0;

		for (k = 0; k < en->n_tok; k++) {
			const nx_tok *t = &ix->toks[ix->etoks[en->tok + k]];

			sym[k] = t->group;
			if (!(t->flags & SCORE_TF_STOP)) {
				w += t->w;
				content++;
			}
		}
		if (content < 2 || w < ix->cfg.text_min_weight)
			continue;
		r = ac_builder_add(b, sym, en->n_tok, e);
		if (r == 0 && en->type == WL_ENT_PERSON && en->n_tok >= 3) {
			/* "Given Surname" without middle names */
			sym[1] = sym[en->n_tok - 1];
			r = ac_builder_add(b, sym, 2, e);
		}
	}
	if (r < 0) {
		ac_builder_free(b);
		return r;
	}
	ix->text_ac = ac_compile(b);
	if (!ix->text_ac)
		return -ENOMEM;
	ix->memory += ac_memory(ix->text_ac);
	return 0;
}

/* ---- public ---- */

void nameidx_config_default(nameidx_config *c)
{
	c->review = 0.80f;
	c->block = 0.92f;
	c->text_min_weight = 1.6f;
	c->max_candidates = 24;
}

nameidx *nameidx_build(wl_list *const *lists, size_t n_lists,
		       char *errstr, size_t errlen)
{
	return nameidx_build_cfg(lists, n_lists, NULL, errstr, errlen);
}

static int build_all(build *b, wl_list *const *lists, size_t n_lists)
{
	nameidx *ix = b->ix;
	norm_ctx *nc = norm_ctx_new();
	size_t l;
	uint32_t e;

	if (!nc || tab_init(&b->live, 1024) < 0) {
		norm_ctx_free(nc);
		return -ENOMEM;
	}
	for (l = 0; l < n_lists && !b->err; l++) {
		ix->lists[l] = lists[l];
		b->list = (uint32_t)l;
		ix->n_entities += lists[l]->n_entities;
		for (e = 0; e < lists[l]->n_entities && !b->err; e++) {
			b->ent = e;
			add_entity(b, nc, &lists[l]->entities[e]);
		}
	}
	norm_ctx_free(nc);
	ix->pool = b->pool.p;
	ix->pool_len = b->pool.n;
	ix->toks = b->toks.p;
	ix->n_toks = (uint32_t)b->toks.n;
	ix->ents = b->ents.p;
	ix->n_ents = (uint32_t)b->ents.n;
	ix->etoks = b->etoks.p;
	ix->tok_tab = b->live;
	ix->memory = sizeof(*ix) + b->pool.cap + b->toks.cap * sizeof(nx_tok) +
		     b->ents.cap * sizeof(nx_entry) + b->etoks.cap * 4 +
		     b->live.cap * 12;
	if (b->err)
		return b->err;
	if (finish_weights(ix) < 0 || finish_postings(ix) < 0 ||
	    finish_groups(ix) < 0 || finish_deletions(ix) < 0 ||
	    finish_text(ix) < 0)
		return -ENOMEM;
	return 0;
}

nameidx *nameidx_build_cfg(wl_list *const *lists, size_t n_lists,
			   const nameidx_config *cfg, char *errstr,
			   size_t errlen)
{
	nameidx *ix = calloc(1, sizeof(*ix));
	build *b = calloc(1, sizeof(*b));
	int r;

	if (!ix || !b || (n_lists && !lists))
		goto fail;
	if (cfg)
		ix->cfg = *cfg;
	else
		nameidx_config_default(&ix->cfg);
	ix->lists = calloc(n_lists + 1, sizeof(*ix->lists));
	ix->n_lists = n_lists;
	if (!ix->lists)
		goto fail;
	b->ix = ix;
	b->pool.el = 1;
	b->toks.el = sizeof(nx_tok);
	b->ents.el = sizeof(nx_entry);
	b->etoks.el = sizeof(uint32_t);
	if (!pool_add(b, "", 0) && b->err) /* offset 0 = empty string */
		goto fail;
	r = build_all(b, lists, n_lists);
	free(b);
	b = NULL;
	if (r < 0) {
		snprintf(errstr, errlen, "name index: %s", strerror(-r));
		nameidx_free(ix);
		return NULL;
	}
	return ix;
fail:
	snprintf(errstr, errlen, "name index: %s", strerror(ENOMEM));
	if (b) {
		free(b->pool.p);
		free(b->toks.p);
		free(b->ents.p);
		free(b->etoks.p);
		tab_free(&b->live);
	}
	free(b);
	nameidx_free(ix);
	return NULL;
}

void nameidx_free(nameidx *ix)
{
	if (!ix)
		return;
	free(ix->lists);
	free(ix->pool);
	free(ix->toks);
	tab_free(&ix->tok_tab);
	tab_free(&ix->grp_tab);
	free(ix->grp_off);
	free(ix->grp_toks);
	tab_free(&ix->del_tab);
	free(ix->del_off);
	free(ix->del_grp);
	free(ix->ents);
	free(ix->etoks);
	free(ix->posts);
	ac_free(ix->text_ac);
	free(ix);
}

size_t nameidx_memory(const nameidx *ix)
{
	return ix ? ix->memory : 0;
}

const nameidx_config *nameidx_get_config(const nameidx *ix)
{
	return &ix->cfg;
}

size_t nameidx_names(const nameidx *ix)
{
	return ix ? ix->n_ents : 0;
}

size_t nameidx_tokens(const nameidx *ix)
{
	return ix ? ix->n_toks : 0;
}
