/*
 * model.c - watchlist model builder; see model.h for the contract.
 *
 * While building, attributes are appended to flat per-kind vectors
 * tagged with their entity index, in whatever order loaders produce
 * them.  wl_list_finish() sorts each vector by entity (stable, so the
 * loader's order is kept inside an entity), copies it into the arena
 * and points every entity at its slice.  Lookups by list id use an
 * open-addressing table keyed by XXH3.
 */
#include "model.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

typedef struct rec_hdr {
	uint32_t ent;
} rec_hdr;

typedef struct vec {
	void *data;
	size_t n, cap, elem; /* elem includes a leading uint32_t entity */
} vec;

enum { K_NAME, K_ID, K_DOB, K_CC, K_ATTR, K_PROG, K__COUNT };

struct wl_list_priv {
	vec names, ids, dobs, countries, attrs, programs;
	int64_t *slots; /* id hash table: entity index or -1 */
	size_t n_slots;
	size_t ent_cap;
	uint32_t *head[K__COUNT]; /* per entity: last record of each kind */
};

/* Every record starts with its entity and the index of the previous
 * record of the same entity and kind (NONE ends the chain), so the
 * duplicate checks below visit only that entity's records. */
#define NONE UINT32_MAX
typedef struct { uint32_t ent, prev; wl_name v; } name_rec;
typedef struct { uint32_t ent, prev; wl_ident v; } id_rec;
typedef struct { uint32_t ent, prev; wl_date v; } dob_rec;
typedef struct { uint32_t ent, prev; char v[3]; } cc_rec;
typedef struct { uint32_t ent, prev; wl_attr v; } attr_rec;
typedef struct { uint32_t ent, prev; const char *v; } prog_rec;


static void *vec_push(vec *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 64;
		void *d = realloc(v->data, cap * v->elem);

		if (!d)
			return NULL;
		v->data = d;
		v->cap = cap;
	}
	return (char *)v->data + v->elem * v->n++;
}

/* Push a record for entity e of kind k and link it into e's chain. */
static void *rec_push(wl_list_priv *p, vec *v, int k, uint32_t e)
{
	uint32_t *r = vec_push(v);

	if (!r)
		return NULL;
	r[0] = e;
	r[1] = p->head[k][e];
	p->head[k][e] = (uint32_t)(v->n - 1);
	return r;
}

#define REC(vecp, T, i) ((T *)(vecp)->data + (i))

static void vec_free(vec *v)
{
	free(v->data);
	memset(v, 0, sizeof(*v));
}

static void priv_free(wl_list_priv *p)
{
	if (!p)
		return;
	vec_free(&p->names);
	vec_free(&p->ids);
	vec_free(&p->dobs);
	vec_free(&p->countries);
	vec_free(&p->attrs);
	vec_free(&p->programs);
	free(p->slots);
	for (int k = 0; k < K__COUNT; k++)
		free(p->head[k]);
	free(p);
}

wl_list *wl_list_new(const char *id, const char *format, const char *path)
{
	wl_list *l = calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	l->priv = calloc(1, sizeof(*l->priv));
	if (!l->priv) {
		free(l);
		return NULL;
	}
	l->priv->names.elem = sizeof(name_rec);
	l->priv->ids.elem = sizeof(id_rec);
	l->priv->dobs.elem = sizeof(dob_rec);
	l->priv->countries.elem = sizeof(cc_rec);
	l->priv->attrs.elem = sizeof(attr_rec);
	l->priv->programs.elem = sizeof(prog_rec);
	snprintf(l->id, sizeof(l->id), "%s", id ? id : "");
	snprintf(l->format, sizeof(l->format), "%s", format ? format : "");
	snprintf(l->path, sizeof(l->path), "%s", path ? path : "");
	arena_init(&l->mem, 0);
	return l;
}

void wl_list_free(wl_list *l)
{
	if (!l)
		return;
	if (l->priv) {
		/* Not finished: the top-level arrays are still on the heap. */
		free(l->entities);
		free(l->goods);
		free(l->allows);
		priv_free(l->priv);
	}
	arena_release(&l->mem);
	free(l);
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int slots_grow(wl_list *l)
{
	wl_list_priv *p = l->priv;
	size_t n = p->n_slots ? p->n_slots * 2 : 1024;
	int64_t *s = malloc(n * sizeof(*s));

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		s[i] = -1;
	for (uint32_t e = 0; e < l->n_entities; e++) {
		const char *id = l->entities[e].id;
		size_t h = XXH3_64bits(id, strlen(id)) & (n - 1);

		while (s[h] >= 0)
			h = (h + 1) & (n - 1);
		s[h] = e;
	}
	free(p->slots);
	p->slots = s;
	p->n_slots = n;
	return 0;
}

int64_t wl_list_find(const wl_list *l, const char *id, size_t id_len)
{
	const wl_list_priv *p = l->priv;

	if (p && p->slots) {
		size_t h = XXH3_64bits(id, id_len) & (p->n_slots - 1);

		for (; p->slots[h] >= 0; h = (h + 1) & (p->n_slots - 1)) {
			const char *c = l->entities[p->slots[h]].id;

			if (strlen(c) == id_len && !memcmp(c, id, id_len))
				return p->slots[h];
		}
		return -1;
	}
	for (uint32_t e = 0; e < l->n_entities; e++) {
		const char *c = l->entities[e].id;

		if (strlen(c) == id_len && !memcmp(c, id, id_len))
			return e;
	}
	return -1;
}

int64_t wl_list_add_entity(wl_list *l, const char *id, size_t id_len,
			   wl_ent_type type)
{
	wl_list_priv *p = l->priv;
	wl_entity *e;

	if (!p)
		return -EINVAL;
	trim(&id, &id_len);
	if (l->n_entities == p->ent_cap) {
		size_t cap = p->ent_cap ? p->ent_cap * 2 : 256;
		wl_entity *n = realloc(l->entities, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->entities = n;
		for (int k = 0; k < K__COUNT; k++) {
			uint32_t *h = realloc(p->head[k], cap * sizeof(*h));

			if (!h)
				return -ENOMEM;
			p->head[k] = h;
		}
		p->ent_cap = cap;
	}
	e = &l->entities[l->n_entities];
	memset(e, 0, sizeof(*e));
	e->idx = l->n_entities;
	for (int k = 0; k < K__COUNT; k++)
		p->head[k][e->idx] = NONE;
	e->type = (uint8_t)type;
	e->programs = "";
	e->id = arena_strndup(&l->mem, id, id_len);
	if (!e->id)
		return -ENOMEM;
	l->n_entities++;
	if ((l->n_entities + 1) * 2 > p->n_slots) {
		if (slots_grow(l) < 0)
			return -ENOMEM;
	} else {
		size_t h = XXH3_64bits(id, id_len) & (p->n_slots - 1);

		while (p->slots[h] >= 0)
			h = (h + 1) & (p->n_slots - 1);
		p->slots[h] = e->idx;
	}
	return e->idx;
}

void wl_entity_set_type(wl_list *l, uint32_t e, wl_ent_type type)
{
	if (e < l->n_entities)
		l->entities[e].type = (uint8_t)type;
}

int wl_entity_add_name(wl_list *l, uint32_t e, const char *s, size_t len,
		       wl_name_strength strength)
{
	name_rec *r;

	trim(&s, &len);
	if (!len || !l->priv || e >= l->n_entities)
		return 0;
	/* Duplicates: scan this entity's recent names (they are few). */
	for (uint32_t i = l->priv->head[K_NAME][e]; i != NONE;
	     i = REC(&l->priv->names, name_rec, i)->prev) {
		name_rec *o = REC(&l->priv->names, name_rec, i);

		if (strlen(o->v.text) == len && !memcmp(o->v.text, s, len)) {
			if (strength < o->v.strength)
				o->v.strength = (uint8_t)strength;
			return 0;
		}
	}
	r = rec_push(l->priv, &l->priv->names, K_NAME, e);
	if (!r)
		return -ENOMEM;
	r->v.text = arena_strndup(&l->mem, s, len);
	if (!r->v.text)
		return -ENOMEM;
	r->v.strength = (uint8_t)strength;
	r->v.script = (uint8_t)wl_script_of(s, len);
	return 0;
}

int wl_entity_add_id(wl_list *l, uint32_t e, wl_id_type type, const char *s,
		     size_t len)
{
	id_rec *r;

	trim(&s, &len);
	if (!len || !l->priv || e >= l->n_entities)
		return 0;
	for (uint32_t i = l->priv->head[K_ID][e]; i != NONE;
	     i = REC(&l->priv->ids, id_rec, i)->prev) {
		id_rec *o = REC(&l->priv->ids, id_rec, i);

		if (o->v.type == type && strlen(o->v.value) == len &&
		    !memcmp(o->v.value, s, len))
			return 0;
	}
	r = rec_push(l->priv, &l->priv->ids, K_ID, e);
	if (!r)
		return -ENOMEM;
	r->v.type = (uint8_t)type;
	r->v.value = arena_strndup(&l->mem, s, len);
	return r->v.value ? 0 : -ENOMEM;
}

int wl_entity_add_dob(wl_list *l, uint32_t e, wl_date d)
{
	dob_rec *r;

	if (!d.year || !l->priv || e >= l->n_entities)
		return 0;
	for (uint32_t i = l->priv->head[K_DOB][e]; i != NONE;
	     i = REC(&l->priv->dobs, dob_rec, i)->prev) {
		dob_rec *o = REC(&l->priv->dobs, dob_rec, i);

		if (!memcmp(&o->v, &d, sizeof(d)))
			return 0;
	}
	r = rec_push(l->priv, &l->priv->dobs, K_DOB, e);
	if (!r)
		return -ENOMEM;
	r->v = d;
	return 0;
}

int wl_entity_add_country(wl_list *l, uint32_t e, const char *cc)
{
	cc_rec *r;

	if (!cc || !isalpha((unsigned char)cc[0]) ||
	    !isalpha((unsigned char)cc[1]) || cc[2])
		return -EINVAL;
	if (!l->priv || e >= l->n_entities)
		return 0;
	for (uint32_t i = l->priv->head[K_CC][e]; i != NONE;
	     i = REC(&l->priv->countries, cc_rec, i)->prev) {
		cc_rec *o = REC(&l->priv->countries, cc_rec, i);

		if (toupper((unsigned char)cc[0]) == o->v[0] &&
		    toupper((unsigned char)cc[1]) == o->v[1])
			return 0;
	}
	r = rec_push(l->priv, &l->priv->countries, K_CC, e);
	if (!r)
		return -ENOMEM;
	r->v[0] = (char)toupper((unsigned char)cc[0]);
	r->v[1] = (char)toupper((unsigned char)cc[1]);
	r->v[2] = '\0';
	return 0;
}

int wl_entity_add_program(wl_list *l, uint32_t e, const char *s, size_t len)
{
	prog_rec *r;

	trim(&s, &len);
	if (!len || !l->priv || e >= l->n_entities)
		return 0;
	for (uint32_t i = l->priv->head[K_PROG][e]; i != NONE;
	     i = REC(&l->priv->programs, prog_rec, i)->prev) {
		prog_rec *o = REC(&l->priv->programs, prog_rec, i);

		if (strlen(o->v) == len && !memcmp(o->v, s, len))
			return 0;
	}
	r = rec_push(l->priv, &l->priv->programs, K_PROG, e);
	if (!r)
		return -ENOMEM;
	r->v = arena_strndup(&l->mem, s, len);
	return r->v ? 0 : -ENOMEM;
}

int wl_entity_add_attr(wl_list *l, uint32_t e, const char *key,
		       const char *value, size_t len)
{
	attr_rec *r;

	trim(&value, &len);
	if (!len || !l->priv || e >= l->n_entities)
		return 0;
	for (uint32_t i = l->priv->head[K_ATTR][e]; i != NONE;
	     i = REC(&l->priv->attrs, attr_rec, i)->prev) {
		attr_rec *o = REC(&l->priv->attrs, attr_rec, i);

		if (!strcmp(o->v.key, key) && strlen(o->v.value) == len &&
		    !memcmp(o->v.value, value, len))
			return 0;
	}
	r = rec_push(l->priv, &l->priv->attrs, K_ATTR, e);
	if (!r)
		return -ENOMEM;
	r->v.key = arena_strdup(&l->mem, key);
	r->v.value = arena_strndup(&l->mem, value, len);
	return (r->v.key && r->v.value) ? 0 : -ENOMEM;
}

int wl_list_add_good(wl_list *l, const char *hs_digits, const char *tier,
		     const char *desc, size_t desc_len)
{
	wl_good *g;
	size_t n = strlen(hs_digits);

	if (n < 2 || n > 10 || strspn(hs_digits, "0123456789") != n)
		return -EINVAL;
	if ((l->n_goods & (l->n_goods - 1)) == 0) {
		size_t cap = l->n_goods ? l->n_goods * 2 : 16;
		wl_good *ng = realloc(l->goods, cap * sizeof(*ng));

		if (!ng)
			return -ENOMEM;
		l->goods = ng;
	}
	g = &l->goods[l->n_goods];
	memset(g, 0, sizeof(*g));
	memcpy(g->hs, hs_digits, n);
	snprintf(g->tier, sizeof(g->tier), "%s", tier ? tier : "");
	g->description = arena_strndup(&l->mem, desc ? desc : "", desc ? desc_len : 0);
	if (!g->description)
		return -ENOMEM;
	l->n_goods++;
	return 0;
}

static const char *dup_or_empty(arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

int wl_list_add_allow(wl_list *l, const wl_allow *a)
{
	wl_allow *n;

	if ((l->n_allows & (l->n_allows - 1)) == 0) {
		size_t cap = l->n_allows ? l->n_allows * 2 : 16;
		wl_allow *na = realloc(l->allows, cap * sizeof(*na));

		if (!na)
			return -ENOMEM;
		l->allows = na;
	}
	n = &l->allows[l->n_allows];
	n->party_name = dup_or_empty(&l->mem, a->party_name);
	n->account = dup_or_empty(&l->mem, a->account);
	n->list = dup_or_empty(&l->mem, a->list);
	n->entry = dup_or_empty(&l->mem, a->entry);
	n->reason = dup_or_empty(&l->mem, a->reason);
	if (!n->party_name || !n->account || !n->list || !n->entry ||
	    !n->reason)
		return -ENOMEM;
	l->n_allows++;
	return 0;
}

/*
 * Counting sort of one record vector by entity into an arena array of
 * payload elements; sets per-entity (offset, count) through callbacks.
 */
static void *group(wl_list *l, vec *v, size_t payload, size_t off,
		   uint32_t *start, uint32_t *count)
{
	unsigned char *out;
	uint32_t n_ent = l->n_entities;

	memset(count, 0, n_ent * sizeof(*count));
	for (size_t i = 0; i < v->n; i++)
		count[*(uint32_t *)((char *)v->data + i * v->elem)]++;
	for (uint32_t e = 0, acc = 0; e < n_ent; e++) {
		start[e] = acc;
		acc += count[e];
	}
	out = arena_alloc(&l->mem, v->n ? v->n * payload : 1);
	if (!out)
		return NULL;
	memset(count, 0, n_ent * sizeof(*count));
	for (size_t i = 0; i < v->n; i++) {
		char *r = (char *)v->data + i * v->elem;
		uint32_t e = *(uint32_t *)r;

		memcpy(out + (size_t)(start[e] + count[e]++) * payload, r + off,
		       payload);
	}
	return out;
}

static int finish_programs(wl_list *l, uint32_t *start, uint32_t *count)
{
	const char **p = group(l, &l->priv->programs, sizeof(char *),
			       offsetof(prog_rec, v), start, count);

	if (!p)
		return -ENOMEM;
	for (uint32_t e = 0; e < l->n_entities; e++) {
		size_t len = 0;
		char *s;

		if (!count[e])
			continue;
		for (uint32_t i = 0; i < count[e]; i++)
			len += strlen(p[start[e] + i]) + 2;
		s = arena_alloc(&l->mem, len + 1);
		if (!s)
			return -ENOMEM;
		s[0] = '\0';
		for (uint32_t i = 0; i < count[e]; i++) {
			if (i)
				strcat(s, "; ");
			strcat(s, p[start[e] + i]);
		}
		l->entities[e].programs = s;
	}
	return 0;
}

int wl_list_finish(wl_list *l)
{
	wl_list_priv *p = l->priv;
	uint32_t *start, *count;
	wl_entity *ents;
	wl_good *goods;
	wl_allow *allows;
	int rc = -ENOMEM;

	if (!p)
		return 0;
	start = malloc((l->n_entities + 1) * sizeof(*start));
	count = malloc((l->n_entities + 1) * sizeof(*count));
	if (!start || !count)
		goto out;

#define GROUP(vecname, R, T, field, nfield)                                  \
	do {                                                                 \
		T *arr = group(l, &p->vecname, sizeof(T), offsetof(R, v),   \
			       start, count);                                \
		if (!arr)                                                    \
			goto out;                                            \
		for (uint32_t e = 0; e < l->n_entities; e++) {               \
			l->entities[e].field = arr + start[e];               \
			l->entities[e].nfield = count[e];                    \
		}                                                            \
	} while (0)
	GROUP(names, name_rec, wl_name, names, n_names);
	GROUP(ids, id_rec, wl_ident, ids, n_ids);
	GROUP(dobs, dob_rec, wl_date, dobs, n_dobs);
	GROUP(attrs, attr_rec, wl_attr, attrs, n_attrs);
#undef GROUP
	{
		char(*cc)[3] = group(l, &p->countries, 3, offsetof(cc_rec, v),
				     start, count);

		if (!cc)
			goto out;
		for (uint32_t e = 0; e < l->n_entities; e++) {
			l->entities[e].countries = cc + start[e];
			l->entities[e].n_countries = count[e];
		}
	}
	if (finish_programs(l, start, count) < 0)
		goto out;

	/* Primary name first: stable partition by strength 0. */
	for (uint32_t e = 0; e < l->n_entities; e++) {
		wl_name *nm = (wl_name *)l->entities[e].names;

		for (uint32_t i = 1; i < l->entities[e].n_names; i++) {
			if (nm[i].strength == WL_NAME_PRIMARY &&
			    nm[0].strength != WL_NAME_PRIMARY) {
				wl_name t = nm[i];

				memmove(nm + 1, nm, i * sizeof(*nm));
				nm[0] = t;
				break;
			}
		}
	}
	/* Move the top-level arrays into the arena so one release frees
	 * all; copy only once every allocation succeeded. */
	ents = arena_alloc(&l->mem, (l->n_entities + 1) * sizeof(*ents));
	goods = arena_alloc(&l->mem, (l->n_goods + 1) * sizeof(*goods));
	allows = arena_alloc(&l->mem, (l->n_allows + 1) * sizeof(*allows));
	if (!ents || !goods || !allows)
		goto out;
	if (l->n_entities)
		memcpy(ents, l->entities, l->n_entities * sizeof(*ents));
	if (l->n_goods)
		memcpy(goods, l->goods, l->n_goods * sizeof(*goods));
	if (l->n_allows)
		memcpy(allows, l->allows, l->n_allows * sizeof(*allows));
	free(l->entities);
	free(l->goods);
	free(l->allows);
	l->entities = ents;
	l->goods = goods;
	l->allows = allows;
	priv_free(p);
	l->priv = NULL;
	rc = 0;
out:
	free(start);
	free(count);
	return rc;
}

size_t wl_list_memory(const wl_list *l)
{
	return l->mem.total;
}
