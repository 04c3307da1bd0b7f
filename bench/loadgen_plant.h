/*
 * loadgen_plant.h - header-only: listed entities planted in events,
 * disguised the way real evasion looks.
 *
 * The pool is taken from the real lists of a built db (db_build): for
 * every entity it keeps references (list, entity, name), never copies,
 * so the db must outlive the pool.  Kinds of plant:
 *
 *   exact     the primary name as a payment writes it ("Given Surname")
 *   typo      one edit (substitution, deletion, transposition,
 *             doubling) in one word of six letters or more
 *   translit  another romanisation (kh->h, y->i, ya->ia, ks->x ...)
 *   cyrillic  the entity's own Cyrillic spelling from the list
 *   swap      persons: surname first, no comma
 *   legal     legal form changed (OOO <-> LLC, AO <-> JSC, PAO <-> PJSC),
 *             moved from the front to the end
 *   text      the name inside the remittance line
 *   imo       a listed vessel's IMO on a renamed vessel (trade)
 *   bic       a listed BIC on the creditor (payment)
 *   chpl      a CHPL good (e.g. 8542.31) routed via TR/AE to RU
 *
 * Name plants expect at least `review`; identifier and CHPL plants
 * `block` (id.hit default and the chpl-russia-belarus rule).  A name
 * disguise that cannot apply to the chosen entity (no long word for a
 * typo, no rule for translit) is retried on another entity.
 */
#ifndef INTERDICT_LOADGEN_PLANT_H
#define INTERDICT_LOADGEN_PLANT_H

#include <ctype.h>
#include <strings.h>

#include "db.h"
#include "loadgen_gen.h"
#include "verdict.h"

enum lg_kind {
	LG_NONE = 0,
	LG_EXACT, LG_TYPO, LG_TRANSLIT, LG_CYRILLIC, LG_SWAP, LG_LEGAL,
	LG_TEXT, LG_IMO, LG_BIC, LG_CHPL,
	LG__KINDS
};

static const char *const lg_kind_names[LG__KINDS] = {
	"none", "exact", "typo", "translit", "cyrillic", "swap", "legal",
	"text", "imo", "bic", "chpl",
};

typedef struct lg_ref {
	uint32_t list, ent, name;
	char id[12];            /* IMO / BIC canonical */
} lg_ref;

typedef struct lg_refs {
	lg_ref *v;
	size_t n, cap;
} lg_refs;

typedef struct lg_pool {
	const db *db;
	lg_refs persons, orgs, cyr, legal, vessels, bics;
	const wl_good **goods;
	size_t n_goods;
	uint32_t *imos;         /* every listed IMO, sorted: innocent
				   vessels avoid them */
	size_t n_imos;
} lg_pool;

typedef struct lg_plant {
	uint8_t kind;           /* enum lg_kind */
	uint8_t expect;         /* verdict_outcome: minimum expected */
	char field[48];
	char list[32];
	char entry[48];
	char entry_name[160];
	char text[200];         /* what was written into the event */
} lg_plant;

static inline int lg_refs_add(lg_refs *r, uint32_t l, uint32_t e,
			      uint32_t nm, const char *id)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 256;
		lg_ref *nv = realloc(r->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->v = nv;
		r->cap = nc;
	}
	r->v[r->n].list = l;
	r->v[r->n].ent = e;
	r->v[r->n].name = nm;
	snprintf(r->v[r->n].id, sizeof(r->v[r->n].id), "%.11s", id ? id : "");
	r->n++;
	return 0;
}

static inline int lg_words(const char *s)
{
	int n = 0, in = 0;

	for (; *s; s++) {
		int w = isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80;

		n += w && !in;
		in = w;
	}
	return n;
}

/* Case-insensitive whole-word search of w (ASCII) in s. */
static inline const char *lg_find_word(const char *s, const char *w)
{
	size_t n = strlen(w);

	for (const char *p = s; *p; p++) {
		if (p > s && isalnum((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, w, n) == 0 && !isalnum((unsigned char)p[n]))
			return p;
	}
	return NULL;
}

static const char *const lg_legal_map[][2] = {
	{ "LIMITED LIABILITY COMPANY", "OOO" },
	{ "OOO", "LLC" }, { "LLC", "OOO" }, { "AO", "JSC" }, { "JSC", "AO" },
	{ "PAO", "PJSC" }, { "PJSC", "PAO" }, { "ZAO", "CJSC" },
	{ "CJSC", "ZAO" }, { "OAO", "OJSC" }, { "OJSC", "OAO" },
	{ "LTD", "LIMITED" }, { "LIMITED", "LTD" }, { "GMBH", "LLC" },
	{ "FZE", "FZCO" }, { "TOO", "LLP" }, { "TOV", "LLC" },
};
#define LG_N_LEGAL (sizeof(lg_legal_map) / sizeof(lg_legal_map[0]))

static inline int lg_legal_index(const char *name)
{
	for (size_t i = 0; i < LG_N_LEGAL; i++)
		if (lg_find_word(name, lg_legal_map[i][0]))
			return (int)i;
	return -1;
}

static inline int lg_pool_ids(lg_pool *p, uint32_t l, const wl_entity *e)
{
	char key[IDS_KEY_MAX];
	int rc = 0;

	for (uint32_t i = 0; i < e->n_ids && rc == 0; i++) {
		const wl_ident *id = &e->ids[i];
		size_t len = strlen(id->value);

		if (id->type == WL_ID_IMO &&
		    ids_normalize(WL_ID_IMO, id->value, len, key, sizeof(key)) == 7) {
			rc = lg_refs_add(&p->vessels, l, e->idx, 0, key);
		} else if (id->type == WL_ID_BIC &&
			   ids_normalize(WL_ID_BIC, id->value, len, key,
					 sizeof(key)) == 11) {
			rc = lg_refs_add(&p->bics, l, e->idx, 0, key);
		}
	}
	return rc;
}

static inline int lg_pool_entity(lg_pool *p, uint32_t l, const wl_entity *e)
{
	const wl_name *nm = e->n_names ? &e->names[0] : NULL;
	size_t len = nm ? strlen(nm->text) : 0;
	int rc = 0;

	for (uint32_t i = 0; i < e->n_names && rc == 0; i++)
		if (e->names[i].script == WL_SCRIPT_CYRILLIC &&
		    e->names[i].strength != WL_NAME_WEAK &&
		    lg_words(e->names[i].text) >= 2) {
			rc = lg_refs_add(&p->cyr, l, e->idx, i, NULL);
			break;
		}
	if (rc || !nm || nm->script != WL_SCRIPT_LATIN || len < 6 ||
	    len > 100 || lg_words(nm->text) < 2)
		return rc;
	if (e->type == WL_ENT_PERSON)
		rc = lg_refs_add(&p->persons, l, e->idx, 0, NULL);
	else if (e->type == WL_ENT_ORG) {
		rc = lg_refs_add(&p->orgs, l, e->idx, 0, NULL);
		if (rc == 0 && lg_legal_index(nm->text) >= 0)
			rc = lg_refs_add(&p->legal, l, e->idx, 0, NULL);
	}
	return rc;
}

static inline int lg_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static inline void lg_pool_free(lg_pool *p)
{
	free(p->persons.v);
	free(p->orgs.v);
	free(p->cyr.v);
	free(p->legal.v);
	free(p->vessels.v);
	free(p->bics.v);
	free(p->goods);
	free(p->imos);
	memset(p, 0, sizeof(*p));
}

/* Collect every usable entity and good of d.  0 or -ENOMEM. */
static inline int lg_pool_build(lg_pool *p, const db *d)
{
	size_t n_goods = 0;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->db = d;
	for (size_t l = 0; l < d->n_lists; l++)
		n_goods += d->lists[l]->n_goods;
	p->goods = calloc(n_goods + 1, sizeof(*p->goods));
	if (!p->goods)
		return -ENOMEM;
	for (size_t l = 0; l < d->n_lists && rc == 0; l++) {
		const wl_list *wl = d->lists[l];

		for (uint32_t e = 0; e < wl->n_entities && rc == 0; e++) {
			rc = lg_pool_entity(p, (uint32_t)l, &wl->entities[e]);
			if (rc == 0)
				rc = lg_pool_ids(p, (uint32_t)l, &wl->entities[e]);
		}
		for (uint32_t g = 0; g < wl->n_goods; g++)
			p->goods[p->n_goods++] = &wl->goods[g];
	}
	p->imos = calloc(p->vessels.n + 1, sizeof(*p->imos));
	if (rc == 0 && !p->imos)
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < p->vessels.n; i++)
		p->imos[p->n_imos++] = (uint32_t)atol(p->vessels.v[i].id);
	if (rc == 0)
		qsort(p->imos, p->n_imos, sizeof(*p->imos), lg_cmp_u32);
	return rc;
}

static inline int lg_imo_listed(const lg_pool *p, const char *imo)
{
	uint32_t v = (uint32_t)atol(imo);

	return bsearch(&v, p->imos, p->n_imos, sizeof(v), lg_cmp_u32) != NULL;
}

static inline const wl_entity *lg_ent(const lg_pool *p, const lg_ref *r)
{
	return &p->db->lists[r->list]->entities[r->ent];
}

/* ---- disguises (ASCII edits on UTF-8 strings; out has 200 bytes) ---- */

/* "SURNAME, Given Names" -> "Given Names SURNAME" (swap=0) or
 * "SURNAME Given Names" (swap=1); other names copied/word-swapped. */
static inline void lg_person_form(const char *s, int swap, char *out,
				  size_t cap)
{
	const char *comma = strchr(s, ',');

	if (comma && !strchr(comma + 1, ',')) {
		const char *g = comma + 1;

		while (*g == ' ')
			g++;
		if (swap)
			snprintf(out, cap, "%.*s %s", (int)(comma - s), s, g);
		else
			snprintf(out, cap, "%s %.*s", g, (int)(comma - s), s);
		return;
	}
	const char *sp = strrchr(s, ' ');

	if (swap && sp)
		snprintf(out, cap, "%s %.*s", sp + 1, (int)(sp - s), s);
	else
		snprintf(out, cap, "%s", s);
}

/* One edit in a random ASCII word of >= 6 letters.  0 or -1. */
static inline int lg_typo(lg_rng *r, const char *s, char *out, size_t cap)
{
	size_t starts[32], lens[32], n = 0, i = 0, len = strlen(s);

	while (i < len && n < 32) {
		size_t j = i;

		while (j < len && isalpha((unsigned char)s[j]))
			j++;
		if (j - i >= 6 && (j == len || !((unsigned char)s[j] & 0x80)) &&
		    (i == 0 || !((unsigned char)s[i - 1] & 0x80))) {
			starts[n] = i;
			lens[n++] = j - i;
		}
		i = j + 1;
	}
	if (!n || len + 2 >= cap)
		return -1;
	i = lg_below(r, (uint32_t)n);
	size_t pos = starts[i] + 1 + lg_below(r, (uint32_t)lens[i] - 2);

	memcpy(out, s, len + 1);
	switch (lg_below(r, 4)) {
	case 0: /* substitution: a neighbouring letter */
		out[pos] = (char)(out[pos] == 'z' ? 'y' : out[pos] == 'Z' ? 'Y'
								  : out[pos] + 1);
		break;
	case 1: /* deletion */
		memmove(out + pos, out + pos + 1, len - pos);
		break;
	case 2: { /* transposition */
		char t = out[pos];

		if (out[pos + 1] == t)
			out[pos] = (char)(t == 'a' || t == 'A' ? t + 1 : t - 1);
		else {
			out[pos] = out[pos + 1];
			out[pos + 1] = t;
		}
		break;
	}
	default: /* doubling */
		memmove(out + pos + 1, out + pos, len - pos + 1);
		break;
	}
	return 0;
}

static const char *const lg_translit_rules[][2] = {
	{ "kh", "h" },  { "ks", "x" },  { "yu", "iu" }, { "ya", "ia" },
	{ "iy", "y" },  { "ei", "ey" }, { "zh", "j" },  { "sch", "sh" },
	{ "ts", "tz" }, { "ou", "u" },  { "ph", "f" },  { "ov", "off" },
	{ "ai", "ay" }, { "y", "i" },   { "w", "v" },   { "j", "dj" },
	{ "sh", "ch" }, { "ie", "iye" }, { "ck", "k" }, { "u", "ou" },
};
#define LG_N_TRANSLIT (sizeof(lg_translit_rules) / sizeof(lg_translit_rules[0]))

static inline char *lg_strcasestr(const char *h, const char *n)
{
	size_t k = strlen(n);

	for (; *h; h++)
		if (strncasecmp(h, n, k) == 0)
			return (char *)h;
	return NULL;
}

/* Another romanisation: one rule (random start), first occurrence. */
static inline int lg_translit(lg_rng *r, const char *s, char *out,
			      size_t cap)
{
	uint32_t k0 = lg_below(r, LG_N_TRANSLIT);

	for (uint32_t k = 0; k < LG_N_TRANSLIT; k++) {
		const char *const *rule = lg_translit_rules[(k0 + k) % LG_N_TRANSLIT];
		const char *at = lg_strcasestr(s, rule[0]);
		char rep[8];
		size_t pl = strlen(rule[0]), rl = strlen(rule[1]);

		if (!at || strlen(s) + rl >= cap)
			continue;
		int up1 = isupper((unsigned char)at[0]);
		int upall = up1 && (pl < 2 || isupper((unsigned char)at[1]));

		for (size_t i = 0; i <= rl; i++)
			rep[i] = (char)((upall || (up1 && i == 0))
						? toupper((unsigned char)rule[1][i])
						: rule[1][i]);
		snprintf(out, cap, "%.*s%s%s", (int)(at - s), s, rep, at + pl);
		return 0;
	}
	return -1;
}

/* Change the legal form; one at the front moves to the end. */
static inline int lg_legal(const char *s, char *out, size_t cap)
{
	int k = lg_legal_index(s);
	const char *at;
	size_t pl;

	if (k < 0)
		return -1;
	at = lg_find_word(s, lg_legal_map[k][0]);
	pl = strlen(lg_legal_map[k][0]);
	if (at == s) {
		const char *rest = s + pl;

		while (*rest == ' ' || *rest == ',')
			rest++;
		snprintf(out, cap, "%s %s", rest, lg_legal_map[k][1]);
	} else {
		snprintf(out, cap, "%.*s%s%s", (int)(at - s), s,
			 lg_legal_map[k][1], at + pl);
	}
	return 0;
}

#endif
