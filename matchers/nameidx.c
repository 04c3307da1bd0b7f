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

uint32_t nx_mask(const char *s, size_t len)
{
	uint32_t m = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'a' && c <= 'z')
			m |= 1u << (c - 'a');
		else if (c >= '0' && c <= '9')
			m |= 1u << 26;
		else
			m |= 1u << (27 + (c & 3)); /* key capitals C S J */
	}
	return m;
}

int nx_tab_init(nx_table *t, size_t items)
{
	size_t cap = 64;

	while (cap < items * 2 + 16)
		cap *= 2;
	t->slot = calloc(cap, sizeof(*t->slot));
	t->hash = calloc(cap, sizeof(*t->hash));
	t->cap = cap;
	return t->slot && t->hash ? 0 : -ENOMEM;
}

void nx_tab_free(nx_table *t)
{
	free(t->slot);
	free(t->hash);
}

void nx_tab_put(nx_table *t, uint64_t h, uint32_t idx)
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
	uint64_t seen_h[512]; /* normalised forms of the current entity */
	uint32_t seen_e[512];
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

	if (nx_tab_init(&n, b->live.cap) < 0) {
		nx_tab_free(&n);
		return -ENOMEM;
	}
	for (i = 0; i < b->live.cap; i++)
		if (b->live.slot[i])
			nx_tab_put(&n, b->live.hash[i], b->live.slot[i] - 1);
	nx_tab_free(&b->live);
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
	nx_tab_put(&b->live, h, (uint32_t)(b->toks.n - 1));
	return (uint32_t)(b->toks.n - 1);
oom:
	b->err = -ENOMEM;
	return NX_NONE;
}

/* One normalised form of one name becomes one entry; a form the
 * entity already has (aliases that differ only in case, order or
 * transliteration) is kept once, under its strongest name. */
static int add_form(void *ctx, const char *v, size_t vlen)
{
	build *b = ctx;
	nx_entry *e;
	uint32_t *et;
	uint64_t h;
	int i, k;

	if (vlen == 0 || vlen >= SCORE_TEXT_MAX || b->err)
		return b->err;
	h = nx_hash(v, vlen);
	for (i = 0; i < b->n_seen; i++)
		if (b->seen_h[i] == h) {
			nx_entry *o = &((nx_entry *)b->ents.p)[b->seen_e[i]];

			if (o->strength == WL_NAME_WEAK &&
			    b->strength != WL_NAME_WEAK) {
				o->strength = (uint8_t)b->strength;
				o->name = (uint16_t)(b->name > 65535 ? 65535 :
								       b->name);
			}
			return 0;
		}
	if (score_name_parse(&b->sn, v, vlen) == 0)
		return 0;
	if (b->n_seen < (int)(sizeof(b->seen_h) / sizeof(b->seen_h[0]))) {
		b->seen_h[b->n_seen] = h;
		b->seen_e[b->n_seen++] = (uint32_t)b->ents.n;
	}
	e = vec_push(&b->ents, 1);
	et = vec_push(&b->etoks, (size_t)b->sn.n);
	if (!e || !et)
		return b->err = -ENOMEM;
	memset(e, 0, sizeof(*e));
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
	size_t first = b->ents.n, i;
	char out[SCORE_TEXT_MAX];
	int lf = 0;

	b->type = (wl_ent_type)en->type;
	b->n_seen = 0;
	for (n = 0; n < en->n_names && !b->err; n++) {
		const wl_name *nm = &en->names[n];
		size_t len = strlen(nm->text);
		ssize_t r;

		b->name = n;
		b->strength = (wl_name_strength)nm->strength;
		if (norm_variants(nc, nm->text, len, add_form, b) < 0 &&
		    b->err)
			return b->err;
		if (en->type != WL_ENT_PERSON && en->type != WL_ENT_UNKNOWN)
			continue;
		r = norm_person_reorder(nc, nm->text, len, out, sizeof(out));
		if (r > 0)
			add_form(b, out, (size_t)r);
	}
	/* an untyped entity whose names carry a legal form ("Schneider
	 * GmbH") is an organisation: persons must not meet it on a
	 * surname */
	for (i = first; i < b->ents.n && en->type == WL_ENT_UNKNOWN; i++)
		lf |= ((nx_entry *)b->ents.p)[i].lf != NORM_LF_NONE;
	for (i = first; lf && i < b->ents.n; i++)
		((nx_entry *)b->ents.p)[i].type = WL_ENT_ORG;
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
	for (t = 0; t < ix->n_toks; t++) {
		nx_tok *tk = &ix->toks[t];

		tk->tmask = nx_mask(ix->pool + tk->str, tk->len);
		tk->kmask = nx_mask(ix->pool + tk->key, tk->klen);
	}
	ix->tfilt = malloc(((size_t)ix->n_toks + 1) * sizeof(nx_filt));
	if (!ix->tfilt)
		return -ENOMEM;
	for (t = 0; t < ix->n_toks; t++) {
		const nx_tok *tk = &ix->toks[t];

		ix->tfilt[t] = (nx_filt){tk->tmask, tk->kmask, tk->len,
					 tk->klen, tk->flags};
	}
	ix->memory += ((size_t)ix->n_toks + 1) * 2 * sizeof(nx_filt);
	for (e = 0; e < ix->n_ents; e++) {
		nx_entry *en = &ix->ents[e];

		en->wsum = en->wx = 0;
		for (k = 0; k < en->n_tok; k++) {
			const nx_tok *tk = &ix->toks[ix->etoks[en->tok + k]];

			if (tk->flags & (SCORE_TF_STOP | SCORE_TF_INITIAL))
				en->wx += tk->w;
			else
				en->wsum += tk->w;
		}
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
	ix->post_we = malloc(((size_t)total + 1) * sizeof(float));
	ix->etype = malloc((size_t)ix->n_ents + 1);
	if (!ix->posts || !ix->post_we || !ix->etype) {
		free(fill);
		return -ENOMEM;
	}
	for (e = 0; e < ix->n_ents; e++)
		for (k = 0; k < ix->ents[e].n_tok; k++) {
			t = ix->etoks[ix->ents[e].tok + k];
			/* a token twice in one name is posted twice; the
			 * query side tolerates it */
			ix->post_we[ix->toks[t].post + fill[t]] =
				ix->ents[e].wsum + ix->ents[e].wx;
			ix->posts[ix->toks[t].post + fill[t]++] = e;
		}
	for (e = 0; e < ix->n_ents; e++)
		ix->etype[e] = ix->ents[e].type;
	free(fill);
	ix->memory += ((size_t)total + 1) * 2 * sizeof(uint32_t) +
		      ix->n_ents;
	return 0;
}

static int finish_groups(nameidx *ix)
{
	uint32_t t, g, *cnt;

	if (nx_tab_init(&ix->grp_tab, ix->n_toks) < 0)
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
			nx_tab_put(&ix->grp_tab, h, g);
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
	ix->grp_filt = malloc(((size_t)ix->n_toks + 1) * sizeof(nx_filt));
	if (!ix->grp_filt) {
		free(cnt);
		return -ENOMEM;
	}
	for (t = 0; t < ix->n_toks; t++)
		ix->grp_filt[t] = ix->tfilt[ix->grp_toks[t]];
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

/* One string and its one-character deletions (strings >= 4), each
 * pointing to group g. */
static int push_dels(vec *v, const char *key, uint32_t kl, uint32_t g)
{
	char tmp[SCORE_KEY_MAX];
	delpair *p;
	uint32_t i;

	if (kl < 3 || kl >= SCORE_KEY_MAX)
		return 0;
	if (!(p = vec_push(v, 1)))
		return -ENOMEM;
	*p = (delpair){nx_hash(key, kl), g};
	for (i = 0; kl >= 4 && i < kl; i++) {
		if (i > 0 && key[i] == key[i - 1])
			continue;
		memcpy(tmp, key, i);
		memcpy(tmp + i, key + i + 1, kl - i - 1);
		if (!(p = vec_push(v, 1)))
			return -ENOMEM;
		*p = (delpair){nx_hash(tmp, kl - 1), g};
	}
	return 0;
}

/*
 * The fuzzy lookup table: the key of each group and the text of each
 * of its words, plus their one-character deletions (SymSpell).  A
 * query word probes with its own key, text and their deletions, so
 * words within one edit on the key (transliteration + typo) or on the
 * text (a typo that changes a digraph: "danesdjoo" / "daneshjoo") meet.
 */
static int finish_deletions(nameidx *ix)
{
	vec v = {NULL, 0, 0, sizeof(delpair)};
	uint32_t g, i, j, n = 0, b = 0;
	delpair *p;

	for (g = 0; g < ix->n_grp; g++) {
		const nx_tok *t = &ix->toks[ix->grp_toks[ix->grp_off[g]]];

		if (push_dels(&v, ix->pool + t->key, t->klen, g) < 0)
			goto oom;
		for (j = ix->grp_off[g]; j < ix->grp_off[g + 1]; j++) {
			t = &ix->toks[ix->grp_toks[j]];
			if (t->flags & SCORE_TF_NUMERIC)
				continue;
			if (push_dels(&v, ix->pool + t->str, t->len, g) < 0)
				goto oom;
		}
	}
	p = v.p;
	if (v.n)
		qsort(p, v.n, sizeof(*p), cmp_del);
	ix->del_off = malloc((v.n + 2) * sizeof(uint32_t));
	ix->del_grp = malloc((v.n + 1) * sizeof(uint32_t));
	if (!ix->del_off || !ix->del_grp || nx_tab_init(&ix->del_tab, v.n) < 0)
		goto oom;
	for (i = 0; i < v.n; i++) {
		if (i > 0 && p[i].h == p[i - 1].h && p[i].g == p[i - 1].g)
			continue;
		if (i == 0 || p[i].h != p[i - 1].h) {
			ix->del_off[b] = n;
			nx_tab_put(&ix->del_tab, p[i].h, b++);
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

/* Ordinary words of payment and trade text that may also be a rare
 * list word: a single word of a name never fires in text when it is
 * one of these (nor a generic business word, score.c). */
static const char *const text_words[] = {
	"contract", "contracts", "services", "shipment", "shipments",
	"delivery", "purchase", "transfer", "consulting", "equipment",
	"materials", "material", "machinery", "logistics", "insurance",
	"settlement", "reference", "remittance", "commission",
	"components", "electronics", "engineering", "industrial",
	"international", "transportation", "maintenance", "agreement",
	"installation", "construction", "development", "management",
	"investment", "financial", "commercial", "technology", "technical",
	"chemicals", "products", "software", "hardware", "training",
	"property", "proforma", "customer", "supplier", "quantity",
	"additional", "documents", "document", "container", "containers",
	"spareparts", "deposit", "business", "advisory", "research",
	"security", "security", "medical", "hospital", "education",
	"telecommunications", "communications", "agricultural",
	"petroleum", "assembly", "accessories", "instruments",
	"apparatus", "equipments", "fertilizer", "fertilizers",
	"pharmaceutical", "pharmaceuticals", "semiconductor",
	"semiconductors", "distribution", "distributor", "wholesale",
	"furniture", "textiles", "clothing", "foodstuff", "foodstuffs",
	"beverages", "vehicles", "automotive", "aircraft", "helicopter",
	"navigation", "operations", "operation", "processing",
	"production", "packaging", "warehouse", "storage", "charter",
	"chartering", "freight", "forwarding", "brokerage", "dividend",
	"dividends", "interest", "principal", "salaries", "salary",
	"overhead", "expenses", "reimbursement", "donation", "charity",
};

int nx_text_word(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(text_words) / sizeof(text_words[0]); i++)
		if (strlen(text_words[i]) == len &&
		    memcmp(text_words[i], s, len) == 0)
			return 1;
	return 0;
}

/* A lone word that may fire in free text: long, in at most two
 * distinct listed names (the same company on several lists is one
 * name), no ordinary word ("ROSOBORONEKSPORT", not "TRADING"). */
static int rare_word(const nameidx *ix, const nx_tok *t, uint32_t names)
{
	return t->len >= 8 && names <= 2 &&
	       !(t->flags & (SCORE_TF_STOP | SCORE_TF_GENERIC |
			     SCORE_TF_NUMERIC | SCORE_TF_INITIAL)) &&
	       !nx_text_word(ix->pool + t->str, t->len);
}

/* Free-text patterns: names specific enough to search inside text. */
static int finish_text(nameidx *ix)
{
	ac_builder *b = ac_builder_new();
	uint32_t e, k, sym[256];
	uint64_t *seen = calloc((size_t)ix->n_toks + 1, 2 * sizeof(uint64_t));
	uint8_t *names = calloc((size_t)ix->n_toks + 1, 1);
	int r = 0;

	if (!b || !seen || !names) {
		ac_builder_free(b);
		free(seen);
		free(names);
		return -ENOMEM;
	}
	/* distinct names (token sequences) per long word, counted up to 3
	 * with the last two sequence hashes seen */
	for (e = 0; e < ix->n_ents; e++) {
		const nx_entry *en = &ix->ents[e];
		uint64_t h = nx_hash((const char *)&ix->etoks[en->tok],
				     en->n_tok * sizeof(uint32_t));

		for (k = 0; k < en->n_tok; k++) {
			uint32_t t = ix->etoks[en->tok + k];

			if (ix->toks[t].len < 8 || names[t] >= 3 ||
			    seen[2 * t] == h || seen[2 * t + 1] == h)
				continue;
			if (names[t] < 2)
				seen[2 * t + names[t]] = h;
			names[t]++;
		}
	}
	for (e = 0; e < ix->n_ents && r == 0; e++) {
		const nx_entry *en = &ix->ents[e];
		const nx_tok *last = NULL;
		float w = 0;
		int content = 0;

		for (k = 0; k < en->n_tok; k++) {
			const nx_tok *t = &ix->toks[ix->etoks[en->tok + k]];

			sym[k] = t->group;
			if (!(t->flags & SCORE_TF_STOP)) {
				w += t->w;
				content++;
				last = t;
			}
		}
		if (content == 1 && en->n_tok == 1 && en->type == WL_ENT_ORG &&
		    rare_word(ix, last, names[ix->etoks[en->tok]])) {
			/* reported as review only (textscan.c) */
			r = ac_builder_add(b, sym, 1, e);
			continue;
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
	free(seen);
	free(names);
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

	if (!nc || nx_tab_init(&b->live, 1024) < 0) {
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
	    finish_text(ix) < 0 || nx_finish_neighbours(ix) < 0)
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
	{
		static uint64_t builds;

		ix->build_id = __atomic_add_fetch(&builds, 1, __ATOMIC_RELAXED);
	}
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
		nx_tab_free(&b->live);
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
	nx_tab_free(&ix->tok_tab);
	nx_tab_free(&ix->grp_tab);
	free(ix->grp_off);
	free(ix->grp_toks);
	free(ix->grp_filt);
	free(ix->tfilt);
	nx_tab_free(&ix->del_tab);
	free(ix->del_off);
	free(ix->del_grp);
	nx_tab_free(&ix->phon_tab);
	free(ix->phon_off);
	free(ix->phon_toks);
	free(ix->nbr_off);
	free(ix->nbr);
	free(ix->ents);
	free(ix->etoks);
	free(ix->posts);
	free(ix->post_we);
	free(ix->etype);
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
