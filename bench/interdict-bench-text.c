/*
 * interdict-bench-text.c - the free-text scan (nameidx_scan_text)
 * against Intel Hyperscan on the same patterns and texts.
 *
 * Design.  Patterns: nameidx has no public iterator over the names its
 * text automaton holds, so every name of every loaded list is
 * normalised here the way the index does it (norm_variants: every
 * transliteration standard; persons also "Given Surname" via
 * norm_person_reorder) and kept when it has two or more words (the
 * automaton never holds one-word names); duplicates are dropped.  The
 * automaton further drops names whose words are too common (IDF weight
 * below text_min_weight), which this program cannot see, so Hyperscan
 * gets a superset.  Texts: remittance lines from the load generator in
 * ten languages, 5% of them carrying a listed name, all normalised with
 * norm_text first so both engines read identical bytes.
 *
 * Hyperscan compiles the patterns as literals (hs_compile_lit_multi,
 * block mode, HS_FLAG_SINGLEMATCH off) and word boundaries are checked
 * in the match callback (normalised text has single spaces between
 * words, so a boundary is a space or an end).  Matches are compared
 * per text: texts where both found a name, only interdict (fuzzy:
 * typos, transliteration keys), only Hyperscan (names the automaton
 * leaves out as unspecific, or that scored below review).  Throughput
 * is normalised bytes per second; the ratio interdict/Hyperscan is
 * printed against the target (>= 1).  interdict's figure includes its
 * own normalisation and the scoring of each occurrence, which
 * Hyperscan does not do.
 *
 * Hyperscan is loaded at run time (dlopen libhs.so.5), so the program
 * builds with the Makefile's common link line; without the library it
 * says so and measures interdict only.
 */
#include <dlfcn.h>
#include <hs/hs.h>

#include "cli.h"
#include "loadgen_event.h"
#include "nameidx.h"
#include "norm.h"

/* The Hyperscan functions used, resolved by hs_load(). */
typedef struct hs_api {
	void *lib;
	hs_error_t (*compile_lit_multi)(const char *const *, const unsigned *,
					const unsigned *, const size_t *,
					unsigned, unsigned,
					const hs_platform_info_t *,
					hs_database_t **, hs_compile_error_t **);
	hs_error_t (*alloc_scratch)(const hs_database_t *, hs_scratch_t **);
	hs_error_t (*free_scratch)(hs_scratch_t *);
	hs_error_t (*free_database)(hs_database_t *);
	hs_error_t (*free_compile_error)(hs_compile_error_t *);
	hs_error_t (*scan)(const hs_database_t *, const char *, unsigned,
			   unsigned, hs_scratch_t *, match_event_handler, void *);
	hs_error_t (*database_size)(const hs_database_t *, size_t *);
} hs_api;

#define HS_SYM(api, field, name) \
	(*(void **)&(api)->field = dlsym((api)->lib, name))

static int hs_load(hs_api *api)
{
	memset(api, 0, sizeof(*api));
	api->lib = dlopen("libhs.so.5", RTLD_NOW);
	if (!api->lib)
		return -ENOENT;
	if (!HS_SYM(api, compile_lit_multi, "hs_compile_lit_multi") ||
	    !HS_SYM(api, alloc_scratch, "hs_alloc_scratch") ||
	    !HS_SYM(api, free_scratch, "hs_free_scratch") ||
	    !HS_SYM(api, free_database, "hs_free_database") ||
	    !HS_SYM(api, free_compile_error, "hs_free_compile_error") ||
	    !HS_SYM(api, scan, "hs_scan") ||
	    !HS_SYM(api, database_size, "hs_database_size")) {
		dlclose(api->lib);
		api->lib = NULL;
		return -ENOENT;
	}
	return 0;
}

#define N_TEXTS 20000
#define PLANT_SHARE 0.05
#define MAX_HITS 32

typedef struct pset {
	char **v;
	size_t n, cap;
} pset;

typedef struct texts {
	char **v;
	size_t *len;
	size_t n, bytes;
} texts;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pset_add(void *ctx, const char *s, size_t len)
{
	pset *p = ctx;

	if (!memchr(s, ' ', len))
		return 0; /* one word: never in the automaton */
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 4096;
		char **nv = realloc(p->v, nc * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		p->v = nv;
		p->cap = nc;
	}
	p->v[p->n] = strndup(s, len);
	return p->v[p->n] ? (p->n++, 0) : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void pset_unique(pset *p)
{
	size_t w = 0;

	qsort(p->v, p->n, sizeof(*p->v), cmp_str);
	for (size_t i = 0; i < p->n; i++) {
		if (w && !strcmp(p->v[w - 1], p->v[i]))
			free(p->v[i]);
		else
			p->v[w++] = p->v[i];
	}
	p->n = w;
}

/* Every multi-word normalised name of every list. */
static int collect(const db *d, norm_ctx *nc, pset *p)
{
	char buf[1024];

	for (size_t l = 0; l < d->n_lists; l++) {
		const wl_list *wl = d->lists[l];

		for (uint32_t e = 0; e < wl->n_entities; e++) {
			const wl_entity *en = &wl->entities[e];

			for (uint32_t k = 0; k < en->n_names; k++) {
				const char *t = en->names[k].text;
				ssize_t r;

				if (norm_variants(nc, t, strlen(t), pset_add, p) < 0)
					continue;
				if (en->type != WL_ENT_PERSON)
					continue;
				r = norm_person_reorder(nc, t, strlen(t), buf, sizeof(buf));
				if (r > 0 && pset_add(p, buf, (size_t)r) < 0)
					return -ENOMEM;
			}
		}
	}
	pset_unique(p);
	return 0;
}

/* Normalised remittance lines, PLANT_SHARE of them with a pattern. */
static int make_texts(const pset *p, norm_ctx *nc, uint64_t seed, texts *t)
{
	lg_buf raw = { 0 };
	char norm[4096];

	t->v = calloc(N_TEXTS, sizeof(*t->v));
	t->len = calloc(N_TEXTS, sizeof(*t->len));
	if (!t->v || !t->len)
		return -ENOMEM;
	for (size_t i = 0; i < N_TEXTS; i++) {
		lg_rng r = lg_rng_for(seed, i);
		ssize_t n;

		raw.len = 0;
		lg_remittance(&r, i, &raw);
		if (p->n && lg_chance(&r, PLANT_SHARE))
			lg_printf(&raw, " payment to %s ref %zu",
				  p->v[lg_below(&r, (uint32_t)p->n)], i);
		n = norm_text(nc, raw.p, raw.len, norm, sizeof(norm));
		if (n < 0)
			n = 0;
		t->v[i] = strndup(norm, (size_t)n);
		if (!t->v[i])
			return -ENOMEM;
		t->len[i] = (size_t)n;
		t->bytes += (size_t)n;
		t->n++;
	}
	lg_buf_free(&raw);
	return 0;
}

/* ---- Hyperscan ---- */

typedef struct hs_count {
	const char *text;
	size_t len;
	const size_t *plen;
	unsigned matches;
} hs_count;

static int on_hs(unsigned id, unsigned long long from, unsigned long long to,
		 unsigned flags, void *ctx)
{
	hs_count *c = ctx;
	size_t start = (size_t)to - c->plen[id];

	(void)from;
	(void)flags;
	if ((start == 0 || c->text[start - 1] == ' ') &&
	    (to == c->len || c->text[to] == ' '))
		c->matches++;
	return 0;
}

static hs_database_t *hs_build(const hs_api *hs, const pset *p,
			       size_t **lens, double *ms)
{
	unsigned *ids = calloc(p->n, sizeof(*ids)), *flags = calloc(p->n, sizeof(*flags));
	hs_database_t *db = NULL;
	hs_compile_error_t *ce = NULL;
	double t0 = now_s();

	*lens = calloc(p->n, sizeof(**lens));
	if (!ids || !flags || !*lens)
		goto out;
	for (size_t i = 0; i < p->n; i++) {
		ids[i] = (unsigned)i;
		(*lens)[i] = strlen(p->v[i]);
	}
	if (hs->compile_lit_multi((const char *const *)p->v, flags, ids, *lens,
				 (unsigned)p->n, HS_MODE_BLOCK, NULL, &db,
				 &ce) != HS_SUCCESS) {
		fprintf(stderr, "hyperscan: %s\n", ce ? ce->message : "compile failed");
		hs->free_compile_error(ce);
		db = NULL;
	}
	*ms = (now_s() - t0) * 1e3;
out:
	free(ids);
	free(flags);
	return db;
}

/* ---- runs ---- */

typedef struct side {
	double seconds;
	uint64_t matches, texts_hit;
	uint8_t *hit;   /* per text: 1 when something matched */
} side;

static int run_interdict(const nameidx *ix, const texts *t, int rounds,
			 side *s)
{
	nameidx_scratch *sc = nameidx_scratch_new();
	nameidx_hit hits[MAX_HITS];
	double t0;

	if (!sc)
		return -ENOMEM;
	t0 = now_s();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < t->n; i++) {
			int n = nameidx_scan_text(ix, sc, t->v[i], t->len[i], hits,
						  MAX_HITS);

			if (r == 0 && n > 0) {
				s->matches += (uint64_t)n;
				s->texts_hit++;
				s->hit[i] = 1;
			}
		}
	s->seconds = now_s() - t0;
	nameidx_scratch_free(sc);
	return 0;
}

static int run_hs(const hs_api *hs, const hs_database_t *db, const size_t *lens,
		  const texts *t, int rounds, side *s)
{
	hs_scratch_t *sc = NULL;
	double t0;

	if (hs->alloc_scratch(db, &sc) != HS_SUCCESS)
		return -ENOMEM;
	t0 = now_s();
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < t->n; i++) {
			hs_count c = { t->v[i], t->len[i], lens, 0 };

			hs->scan(db, t->v[i], (unsigned)t->len[i], 0, sc, on_hs, &c);
			if (r == 0 && c.matches) {
				s->matches += c.matches;
				s->texts_hit++;
				s->hit[i] = 1;
			}
		}
	s->seconds = now_s() - t0;
	hs->free_scratch(sc);
	return 0;
}

static void compare(const texts *t, const side *a, const side *b)
{
	size_t both = 0, only_a = 0, only_b = 0, shown_a = 0, shown_b = 0;

	for (size_t i = 0; i < t->n; i++) {
		both += a->hit[i] && b->hit[i];
		only_a += a->hit[i] && !b->hit[i];
		only_b += !a->hit[i] && b->hit[i];
	}
	printf("texts with a listed name: interdict %llu, hyperscan %llu; "
	       "both %zu, only interdict %zu, only hyperscan %zu\n",
	       (unsigned long long)a->texts_hit, (unsigned long long)b->texts_hit,
	       both, only_a, only_b);
	printf("matches: interdict %llu (one per entity, score >= review), "
	       "hyperscan %llu (word-bounded pattern occurrences)\n",
	       (unsigned long long)a->matches, (unsigned long long)b->matches);
	for (size_t i = 0; i < t->n && (shown_a < 3 || shown_b < 3); i++) {
		if (a->hit[i] && !b->hit[i] && shown_a++ < 3)
			printf("  only interdict: %s\n", t->v[i]);
		if (!a->hit[i] && b->hit[i] && shown_b++ < 3)
			printf("  only hyperscan: %s\n", t->v[i]);
	}
}

static void report(const texts *t, int rounds, const side *a, const side *b,
		   int have_hs)
{
	double mb = (double)t->bytes * rounds / 1048576.0;
	double ra = a->seconds > 0 ? mb / a->seconds : 0;
	double rb = have_hs && b->seconds > 0 ? mb / b->seconds : 0;

	printf("\nthroughput over %zu texts x %d rounds (%.1f MiB normalised):\n",
	       t->n, rounds, mb);
	printf("  interdict  %9.1f MiB/s  %9.0f texts/s  %.2f us/text\n", ra,
	       t->n * rounds / a->seconds, a->seconds * 1e6 / (t->n * rounds));
	if (!have_hs) {
		printf("  hyperscan  not available (libhs.so.5 not found)\n");
		return;
	}
	printf("  hyperscan  %9.1f MiB/s  %9.0f texts/s  %.2f us/text\n", rb,
	       t->n * rounds / b->seconds, b->seconds * 1e6 / (t->n * rounds));
	printf("  ratio interdict/hyperscan %.3f  (target >= 1: %s)\n", ra / rb,
	       ra >= rb ? "ok" : "MISS");
}

int main(int argc, char **argv)
{
	cli_lists cl;
	char err[1024];
	norm_ctx *nc = norm_ctx_new();
	pset p = { 0 };
	texts t = { 0 };
	side a = { 0 }, b = { 0 };
	size_t *lens = NULL;
	hs_database_t *hdb = NULL;
	int rounds = argc > 1 ? atoi(argv[1]) : 5, rc = 1;
	hs_api hs;
	int have_hs = hs_load(&hs) == 0;
	double hs_ms = 0;
	db *d;

	memset(&cl, 0, sizeof(cl));
	cli_lists_defaults(&cl);
	d = cli_lists_build(&cl, err, sizeof(err));
	cli_lists_release(&cl);
	if (!d || !nc || rounds < 1) {
		fprintf(stderr, "interdict-bench-text: %s\n", d ? "bad arguments" : err);
		goto out;
	}
	if (collect(d, nc, &p) < 0 || make_texts(&p, nc, 1, &t) < 0)
		goto out;
	a.hit = calloc(t.n, 1);
	b.hit = calloc(t.n, 1);
	if (!a.hit || !b.hit)
		goto out;
	printf("patterns: %zu distinct multi-word normalised list names "
	       "(interdict index: %zu names, compile %.0f ms for all indexes)\n",
	       p.n, nameidx_names(d->names), d->compile_ms);
	if (have_hs && (hdb = hs_build(&hs, &p, &lens, &hs_ms))) {
		size_t sz = 0;

		hs.database_size(hdb, &sz);
		printf("hyperscan: literal database compiled in %.0f ms, %.1f MiB\n",
		       hs_ms, sz / 1048576.0);
	}
	have_hs = hdb != NULL;
	printf("texts: %zu remittance lines, %zu bytes normalised, %.0f%% with "
	       "a listed name\n\n", t.n, t.bytes, PLANT_SHARE * 100);
	if (run_interdict(d->names, &t, rounds, &a) < 0 ||
	    (have_hs && run_hs(&hs, hdb, lens, &t, rounds, &b) < 0))
		goto out;
	if (have_hs)
		compare(&t, &a, &b);
	report(&t, rounds, &a, &b, have_hs);
	rc = 0;
out:
	if (hdb)
		hs.free_database(hdb);
	if (hs.lib)
		dlclose(hs.lib);
	for (size_t i = 0; i < p.n; i++)
		free(p.v[i]);
	for (size_t i = 0; i < t.n; i++)
		free(t.v[i]);
	free(p.v);
	free(t.v);
	free(t.len);
	free(lens);
	free(a.hit);
	free(b.hit);
	norm_ctx_free(nc);
	db_free(d);
	return rc;
}
