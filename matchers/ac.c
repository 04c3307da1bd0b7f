/*
 * ac.c - Aho-Corasick over 32-bit symbols; contract in ac.h.
 *
 * Why token symbols and a hashed goto: the alphabet is the token
 * dictionary (10^5 words), so per-state transition arrays are out of
 * the question and a sparse trie is what remains.  All goto edges live
 * in one open-addressing table keyed by (state, symbol); a miss
 * follows failure links, which keeps memory at about one table slot
 * per pattern symbol while the scan stays amortised linear.  Outputs
 * are stored per state (CSR) with a dictionary-suffix link to the next
 * state on the failure chain that has outputs, so reporting costs only
 * the matches found.
 */
#include "ac.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX
#define NONE UINT32_MAX

typedef struct edge {
	uint64_t key;   /* state << 32 | symbol, EMPTY when free */
	uint32_t child;
} edge;

typedef struct out_rec {
	uint32_t state, value, len;
} out_rec;

struct ac_builder {
	edge *tab;
	size_t cap, used;       /* table slots, edges stored */
	uint32_t n_states;
	uint32_t *depth;        /* per state */
	size_t depth_cap;
	out_rec *outs;
	size_t n_outs, outs_cap;
};

struct ac {
	edge *tab;
	size_t cap;
	uint32_t n_states;
	uint32_t *fail, *dict, *out_off; /* out_off has n_states + 1 */
	uint32_t *out_val, *out_len;
	size_t n_outs;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static uint32_t tab_get(const edge *tab, size_t cap, uint64_t key)
{
	size_t i = mix(key) & (cap - 1);

	while (tab[i].key != EMPTY) {
		if (tab[i].key == key)
			return tab[i].child;
		i = (i + 1) & (cap - 1);
	}
	return NONE;
}

static void tab_put(edge *tab, size_t cap, uint64_t key, uint32_t child)
{
	size_t i = mix(key) & (cap - 1);

	while (tab[i].key != EMPTY && tab[i].key != key)
		i = (i + 1) & (cap - 1);
	tab[i].key = key;
	tab[i].child = child;
}

static int tab_grow(ac_builder *b)
{
	size_t ncap = b->cap ? b->cap * 2 : 1024, i;
	edge *n = malloc(ncap * sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (i = 0; i < ncap; i++)
		n[i].key = EMPTY;
	for (i = 0; i < b->cap; i++)
		if (b->tab[i].key != EMPTY)
			tab_put(n, ncap, b->tab[i].key, b->tab[i].child);
	free(b->tab);
	b->tab = n;
	b->cap = ncap;
	return 0;
}

ac_builder *ac_builder_new(void)
{
	ac_builder *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->depth_cap = 1024;
	b->depth = calloc(b->depth_cap, sizeof(*b->depth));
	if (!b->depth || tab_grow(b) < 0) {
		ac_builder_free(b);
		return NULL;
	}
	b->n_states = 1; /* root */
	return b;
}

void ac_builder_free(ac_builder *b)
{
	if (!b)
		return;
	free(b->tab);
	free(b->depth);
	free(b->outs);
	free(b);
}

static int new_state(ac_builder *b, uint32_t depth, uint32_t *out)
{
	if (b->n_states == NONE - 1)
		return -ENOMEM;
	if (b->n_states == b->depth_cap) {
		uint32_t *d = realloc(b->depth, 2 * b->depth_cap * sizeof(*d));

		if (!d)
			return -ENOMEM;
		b->depth = d;
		b->depth_cap *= 2;
	}
	b->depth[b->n_states] = depth;
	*out = b->n_states++;
	return 0;
}

int ac_builder_add(ac_builder *b, const uint32_t *sym, size_t n,
		   uint32_t value)
{
	uint32_t s = 0;
	size_t i;
	int r;

	if (!b || n == 0 || n > UINT32_MAX / 2)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (sym[i] == AC_SYM_BREAK)
			return -EINVAL;
	for (i = 0; i < n; i++) {
		uint64_t key = ((uint64_t)s << 32) | sym[i];
		uint32_t c = tab_get(b->tab, b->cap, key);

		if (c == NONE) {
			if ((b->used + 1) * 2 > b->cap && (r = tab_grow(b)) < 0)
				return r;
			if ((r = new_state(b, (uint32_t)i + 1, &c)) < 0)
				return r;
			tab_put(b->tab, b->cap, key, c);
			b->used++;
		}
		s = c;
	}
	if (b->n_outs == b->outs_cap) {
		size_t nc = b->outs_cap ? b->outs_cap * 2 : 256;
		out_rec *o = realloc(b->outs, nc * sizeof(*o));

		if (!o)
			return -ENOMEM;
		b->outs = o;
		b->outs_cap = nc;
	}
	b->outs[b->n_outs++] = (out_rec){s, value, (uint32_t)n};
	return 0;
}

/* Children of every state as CSR (child_off, child_sym, child_id). */
typedef struct kids {
	uint32_t *off, *sym, *id;
} kids;

static int collect_kids(const ac *a, size_t used, kids *k)
{
	size_t i;
	uint32_t *fill;

	k->off = calloc((size_t)a->n_states + 1, sizeof(uint32_t));
	k->sym = malloc((used + 1) * sizeof(uint32_t));
	k->id = malloc((used + 1) * sizeof(uint32_t));
	fill = calloc((size_t)a->n_states + 1, sizeof(uint32_t));
	if (!k->off || !k->sym || !k->id || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (i = 0; i < a->cap; i++)
		if (a->tab[i].key != EMPTY)
			k->off[(a->tab[i].key >> 32) + 1]++;
	for (i = 0; i < a->n_states; i++)
		k->off[i + 1] += k->off[i];
	for (i = 0; i < a->cap; i++) {
		uint32_t p;

		if (a->tab[i].key == EMPTY)
			continue;
		p = (uint32_t)(a->tab[i].key >> 32);
		k->sym[k->off[p] + fill[p]] = (uint32_t)a->tab[i].key;
		k->id[k->off[p] + fill[p]++] = a->tab[i].child;
	}
	free(fill);
	return 0;
}

static int cmp_out(const void *x, const void *y)
{
	const out_rec *a = x, *b = y;

	if (a->state != b->state)
		return a->state < b->state ? -1 : 1;
	return a->value < b->value ? -1 : a->value > b->value;
}

/* Breadth-first failure and dictionary links. */
static int link_states(ac *a, const kids *k)
{
	uint32_t *queue = malloc((size_t)a->n_states * sizeof(uint32_t));
	size_t qh = 0, qt = 0;

	if (!queue)
		return -ENOMEM;
	a->fail[0] = 0;
	a->dict[0] = NONE;
	queue[qt++] = 0;
	while (qh < qt) {
		uint32_t s = queue[qh++], j;

		for (j = k->off[s]; j < k->off[s + 1]; j++) {
			uint32_t c = k->id[j], sym = k->sym[j], f = a->fail[s],
				 g = NONE;

			if (s != 0) {
				for (;;) {
					g = tab_get(a->tab, a->cap,
						    ((uint64_t)f << 32) | sym);
					if (g != NONE || f == 0)
						break;
					f = a->fail[f];
				}
			}
			a->fail[c] = (g != NONE && g != c) ? g : 0;
			a->dict[c] = a->out_off[a->fail[c] + 1] >
						     a->out_off[a->fail[c]] ?
					     a->fail[c] :
					     a->dict[a->fail[c]];
			queue[qt++] = c;
		}
	}
	free(queue);
	return 0;
}

ac *ac_compile(ac_builder *b)
{
	ac *a = calloc(1, sizeof(*a));
	kids k = {0};
	size_t i;

	if (!a || !b)
		goto fail;
	a->tab = b->tab;
	a->cap = b->cap;
	b->tab = NULL;
	a->n_states = b->n_states;
	a->n_outs = b->n_outs;
	a->fail = malloc((size_t)a->n_states * sizeof(uint32_t));
	a->dict = malloc((size_t)a->n_states * sizeof(uint32_t));
	a->out_off = calloc((size_t)a->n_states + 1, sizeof(uint32_t));
	a->out_val = malloc((b->n_outs + 1) * sizeof(uint32_t));
	a->out_len = malloc((b->n_outs + 1) * sizeof(uint32_t));
	if (!a->fail || !a->dict || !a->out_off || !a->out_val ||
	    !a->out_len)
		goto fail;
	if (b->n_outs)
		qsort(b->outs, b->n_outs, sizeof(*b->outs), cmp_out);
	for (i = 0; i < b->n_outs; i++) {
		a->out_off[b->outs[i].state + 1]++;
		a->out_val[i] = b->outs[i].value;
		a->out_len[i] = b->outs[i].len;
	}
	for (i = 0; i < a->n_states; i++)
		a->out_off[i + 1] += a->out_off[i];
	if (collect_kids(a, b->used, &k) < 0 || link_states(a, &k) < 0)
		goto fail;
	free(k.off);
	free(k.sym);
	free(k.id);
	ac_builder_free(b);
	return a;
fail:
	free(k.off);
	free(k.sym);
	free(k.id);
	ac_builder_free(b);
	ac_free(a);
	return NULL;
}

void ac_free(ac *a)
{
	if (!a)
		return;
	free(a->tab);
	free(a->fail);
	free(a->dict);
	free(a->out_off);
	free(a->out_val);
	free(a->out_len);
	free(a);
}

size_t ac_memory(const ac *a)
{
	if (!a)
		return 0;
	return sizeof(*a) + a->cap * sizeof(edge) +
	       (size_t)a->n_states * 3 * sizeof(uint32_t) +
	       a->n_outs * 2 * sizeof(uint32_t);
}

size_t ac_patterns(const ac *a)
{
	return a ? a->n_outs : 0;
}

static int report(const ac *a, uint32_t s, size_t end, ac_match_cb cb,
		  void *ctx)
{
	for (; s != NONE && s != 0; s = a->dict[s]) {
		uint32_t j;

		for (j = a->out_off[s]; j < a->out_off[s + 1]; j++) {
			int r = cb(ctx, a->out_val[j], end + 1 - a->out_len[j],
				   a->out_len[j]);

			if (r)
				return r;
		}
	}
	return 0;
}

int ac_scan(const ac *a, const uint32_t *sym, size_t n, ac_match_cb cb,
	    void *ctx)
{
	uint32_t s = 0;
	size_t i;

	if (!a)
		return 0;
	for (i = 0; i < n; i++) {
		uint32_t g;
		int r;

		if (sym[i] == AC_SYM_BREAK) {
			s = 0;
			continue;
		}
		for (;;) {
			g = tab_get(a->tab, a->cap, ((uint64_t)s << 32) | sym[i]);
			if (g != NONE || s == 0)
				break;
			s = a->fail[s];
		}
		s = g == NONE ? 0 : g;
		if (a->out_off[s + 1] == a->out_off[s] && a->dict[s] == NONE)
			continue;
		if ((r = report(a, s, i, cb, ctx)) != 0)
			return r;
	}
	return 0;
}
