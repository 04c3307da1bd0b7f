/*
 * idset.c - identifier hash set; see idset.h for the type classes.
 *
 * The set is read on every event for every identifier it carries, so
 * the finished form is three flat arrays in one allocation: an
 * open-addressing slot table (power of two, load <= 0.5, linear
 * probing) holding the full 64-bit XXH3 hash, a key pool, and the ref
 * array, where each key's refs are contiguous.  A lookup is one hash,
 * usually one slot, one memcmp, and returns a pointer into the ref
 * array: no allocation, no locks, nothing written.
 *
 * The builder is plain malloc'ed growth arrays; finish sorts the
 * (class, key, ref) records so duplicates collapse and refs of one key
 * become adjacent, then lays out the final arrays and frees the
 * builder.
 */
#include "idset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ids.h"

struct idset_rec {
	uint32_t key_off;
	uint16_t key_len;
	uint8_t cls;
	idset_ref ref;
};

struct idset_builder {
	struct idset_rec *recs;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
};

struct idset_slot {
	uint64_t hash;     /* 0 = empty (a real 0 hash is stored as 1) */
	uint32_t key_off;
	uint16_t key_len;
	uint8_t cls;
	uint32_t ref_off;
	uint32_t n_refs;
};

struct idset {
	struct idset_slot *slots;
	size_t mask;
	idset_ref *refs;
	char *pool;
	size_t n_keys;
	size_t bytes;
};

static const uint8_t idset_class_of[WL_ID__COUNT] = {
	[WL_ID_OTHER] = IDSET_C_DOCUMENT,  [WL_ID_BIC] = IDSET_C_BIC,
	[WL_ID_IBAN] = IDSET_C_ACCOUNT,	   [WL_ID_ACCOUNT] = IDSET_C_ACCOUNT,
	[WL_ID_IMO] = IDSET_C_IMO,	   [WL_ID_MMSI] = IDSET_C_MMSI,
	[WL_ID_INN] = IDSET_C_DOCUMENT,	   [WL_ID_OGRN] = IDSET_C_DOCUMENT,
	[WL_ID_KPP] = IDSET_C_DOCUMENT,	   [WL_ID_LEI] = IDSET_C_LEI,
	[WL_ID_PASSPORT] = IDSET_C_DOCUMENT,
	[WL_ID_NATIONAL_ID] = IDSET_C_DOCUMENT,
	[WL_ID_TAX] = IDSET_C_DOCUMENT,	   [WL_ID_REGISTRATION] = IDSET_C_DOCUMENT,
	[WL_ID_CRYPTO] = IDSET_C_CRYPTO,   [WL_ID_CALLSIGN] = IDSET_C_CALLSIGN,
};

static const char *const idset_class_names[IDSET_C__COUNT] = {
	"bic", "account", "imo", "mmsi", "document", "lei", "crypto", "callsign",
};

idset_class_t idset_class(wl_id_type t)
{
	return (unsigned)t < WL_ID__COUNT ? (idset_class_t)idset_class_of[t]
					  : IDSET_C_DOCUMENT;
}

const char *idset_class_name(idset_class_t c)
{
	return (unsigned)c < IDSET_C__COUNT ? idset_class_names[c] : "?";
}

static uint64_t idset_hash(uint8_t cls, const char *key, size_t len)
{
	uint64_t h = XXH3_64bits_withSeed(key, len, cls + 1);

	return h ? h : 1;
}

idset_builder *idset_builder_new(void)
{
	return calloc(1, sizeof(idset_builder));
}

void idset_builder_free(idset_builder *b)
{
	if (!b)
		return;
	free(b->recs);
	free(b->pool);
	free(b);
}

static int idset_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t nc = *cap ? *cap : 256;
	void *np;

	if (need <= *cap)
		return 0;
	while (nc < need)
		nc *= 2;
	np = realloc(*p, nc * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

int idset_builder_add(idset_builder *b, wl_id_type t, const char *value,
		      size_t len, uint16_t list, uint32_t entity)
{
	char key[IDS_KEY_MAX];
	int valid, n;
	struct idset_rec *r;

	if ((unsigned)t >= WL_ID__COUNT)
		t = WL_ID_OTHER;
	n = ids_match_key(t, value, len, key, sizeof(key), &valid);
	if (n <= 0)
		return -EINVAL;
	if (idset_grow((void **)&b->recs, &b->cap, b->n + 1, sizeof(*r)) ||
	    idset_grow((void **)&b->pool, &b->pool_cap,
		       b->pool_len + (size_t)n, 1))
		return -ENOMEM;
	r = &b->recs[b->n++];
	memcpy(b->pool + b->pool_len, key, (size_t)n);
	r->key_off = (uint32_t)b->pool_len;
	r->key_len = (uint16_t)n;
	r->cls = (uint8_t)idset_class(t);
	r->ref = (idset_ref){ .entity = entity, .list = list,
			      .type = (uint8_t)t, .valid = (uint8_t)valid };
	b->pool_len += (size_t)n;
	return 0;
}

int64_t idset_builder_add_list(idset_builder *b, const wl_list *l,
			       uint16_t list)
{
	int64_t added = 0;

	for (uint32_t e = 0; e < l->n_entities; e++) {
		const wl_entity *en = &l->entities[e];
		for (uint32_t i = 0; i < en->n_ids; i++) {
			const char *v = en->ids[i].value;
			int rc = idset_builder_add(b, en->ids[i].type, v,
						   strlen(v), list, e);
			if (rc == -ENOMEM)
				return rc;
			added += rc == 0;
		}
	}
	return added;
}

/* qsort has no context argument in C11, so each sort element carries
 * its key pointer; order: class, key length, key bytes, list, entity. */
struct idset_sortrec {
	const char *key;
	const struct idset_rec *rec;
};

static int idset_cmp(const void *a, const void *b)
{
	const struct idset_sortrec *x = a, *y = b;
	int c;

	if (x->rec->cls != y->rec->cls)
		return x->rec->cls < y->rec->cls ? -1 : 1;
	if (x->rec->key_len != y->rec->key_len)
		return x->rec->key_len < y->rec->key_len ? -1 : 1;
	c = memcmp(x->key, y->key, x->rec->key_len);
	if (c)
		return c;
	if (x->rec->ref.list != y->rec->ref.list)
		return x->rec->ref.list < y->rec->ref.list ? -1 : 1;
	if (x->rec->ref.entity != y->rec->ref.entity)
		return x->rec->ref.entity < y->rec->ref.entity ? -1 : 1;
	return (int)x->rec->ref.type - (int)y->rec->ref.type;
}

static int idset_same_key(const struct idset_sortrec *a,
			  const struct idset_sortrec *b)
{
	return a->rec->cls == b->rec->cls &&
	       a->rec->key_len == b->rec->key_len &&
	       !memcmp(a->key, b->key, a->rec->key_len);
}

static void idset_insert(idset *s, const struct idset_slot *in)
{
	size_t i = in->hash & s->mask;

	while (s->slots[i].hash)
		i = (i + 1) & s->mask;
	s->slots[i] = *in;
}

/* Lay the sorted records out into s (arrays already allocated). */
static void idset_layout(idset *s, const struct idset_sortrec *v, size_t n)
{
	size_t pool = 0, nref = 0;

	for (size_t i = 0; i < n;) {
		struct idset_slot sl = { 0 };
		size_t j = i;

		sl.key_off = (uint32_t)pool;
		sl.key_len = v[i].rec->key_len;
		sl.cls = v[i].rec->cls;
		sl.ref_off = (uint32_t)nref;
		memcpy(s->pool + pool, v[i].key, sl.key_len);
		pool += sl.key_len;
		for (; j < n && idset_same_key(&v[i], &v[j]); j++) {
			const idset_ref *r = &v[j].rec->ref;
			const idset_ref *last = nref > sl.ref_off ?
				&s->refs[nref - 1] : NULL;
			if (last && last->list == r->list &&
			    last->entity == r->entity)
				continue; /* same entity, another type */
			s->refs[nref++] = *r;
		}
		sl.n_refs = (uint32_t)(nref - sl.ref_off);
		sl.hash = idset_hash(sl.cls, v[i].key, sl.key_len);
		idset_insert(s, &sl);
		s->n_keys++;
		i = j;
	}
}

idset *idset_finish(idset_builder *b)
{
	struct idset_sortrec *v = NULL;
	idset *s = NULL;
	size_t slots = 16, total;
	char *mem;

	if (!b)
		return NULL;
	while (slots < 2 * b->n)
		slots *= 2;
	v = malloc((b->n ? b->n : 1) * sizeof(*v));
	if (!v)
		goto out;
	for (size_t i = 0; i < b->n; i++)
		v[i] = (struct idset_sortrec){ b->pool + b->recs[i].key_off,
					       &b->recs[i] };
	qsort(v, b->n, sizeof(*v), idset_cmp);
	total = sizeof(*s) + slots * sizeof(struct idset_slot) +
		b->n * sizeof(idset_ref) + b->pool_len + 16;
	mem = calloc(1, total);
	if (!mem)
		goto out;
	s = (idset *)mem;
	s->slots = (struct idset_slot *)(mem + sizeof(*s));
	s->mask = slots - 1;
	s->refs = (idset_ref *)(s->slots + slots);
	s->pool = (char *)(s->refs + b->n);
	s->bytes = total;
	idset_layout(s, v, b->n);
out:
	free(v);
	idset_builder_free(b);
	return s;
}

void idset_free(idset *s)
{
	free(s);
}

int idset_lookup(const idset *s, wl_id_type t, const char *key, size_t len,
		 const idset_ref **refs)
{
	uint8_t cls;
	uint64_t h;
	size_t i;

	*refs = NULL;
	if (!s || !key || len == 0 || len > UINT16_MAX)
		return 0;
	cls = (uint8_t)idset_class(t);
	h = idset_hash(cls, key, len);
	for (i = h & s->mask; s->slots[i].hash; i = (i + 1) & s->mask) {
		const struct idset_slot *sl = &s->slots[i];
		if (sl->hash == h && sl->cls == cls && sl->key_len == len &&
		    !memcmp(s->pool + sl->key_off, key, len)) {
			*refs = s->refs + sl->ref_off;
			return (int)sl->n_refs;
		}
	}
	return 0;
}

int idset_lookup_value(const idset *s, wl_id_type t, const char *value,
		       size_t len, const idset_ref **refs)
{
	char key[IDS_KEY_MAX];
	int n = ids_match_key(t, value, len, key, sizeof(key), NULL);

	*refs = NULL;
	if (n <= 0)
		return 0;
	return idset_lookup(s, t, key, (size_t)n, refs);
}

size_t idset_keys(const idset *s)
{
	return s ? s->n_keys : 0;
}

size_t idset_memory(const idset *s)
{
	return s ? s->bytes : 0;
}
