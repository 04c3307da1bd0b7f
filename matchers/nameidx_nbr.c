/*
 * nameidx_nbr.c - every dictionary word's fuzzy neighbours, at build.
 *
 * Why: a party name's words are mostly words the lists already use
 * ("maria", "trading", "petrov"); looking each one up through the key
 * table and the deletion neighbourhoods at query time costs dozens of
 * similarity checks.  The answer depends only on the word (the entity
 * type matters only for initials, filtered at query time), so it is
 * computed once per dictionary word here, on two threads, and the
 * query path reads a slice.  Words the lists never use still take the
 * live lookup (nameidx_query.c).
 */
#include "nameidx_impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NB_THREADS 2

typedef struct nb_job {
	nameidx *ix;
	uint32_t from, to;
	nx_nbr *out;      /* NX_MAX_TOKMATCH per token of [from, to) */
	uint8_t *cnt;
	int err;
} nb_job;

static void *nb_run(void *arg)
{
	nb_job *j = arg;
	nameidx_scratch *s = nameidx_scratch_new();
	uint32_t t;

	if (!s || nx_scratch_fit(s, j->ix) < 0) {
		j->err = -ENOMEM;
		nameidx_scratch_free(s);
		return NULL;
	}
	for (t = j->from; t < j->to; t++) {
		const nx_tok *d = &j->ix->toks[t];
		score_tok q = {j->ix->pool + d->str, j->ix->pool + d->key,
			       d->len, d->klen, d->flags, d->w};
		nx_nbr *m = j->out + (size_t)(t - j->from) * NX_MAX_TOKMATCH;

		j->cnt[t] = (uint8_t)nx_lookup_word(j->ix, s, &q, t, m,
						    WL_ENT_UNKNOWN);
	}
	nameidx_scratch_free(s);
	return NULL;
}

typedef struct phpair {
	uint64_t h;
	uint32_t t;
} phpair;

static int cmp_ph(const void *x, const void *y)
{
	const phpair *a = x, *b = y;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return a->t < b->t ? -1 : a->t > b->t;
}

const uint32_t *nx_phon_find(const nameidx *ix, const char *phon,
			     size_t len, uint32_t *n)
{
	uint32_t b = nx_find(&ix->phon_tab, phon, len, NULL, NULL);

	*n = 0;
	if (b == NX_NONE || !ix->phon_off)
		return NULL;
	*n = ix->phon_off[b + 1] - ix->phon_off[b];
	return ix->phon_toks + ix->phon_off[b];
}

uint32_t nx_phon_id(const char *s, size_t len, uint8_t flags)
{
	char ph[SCORE_KEY_MAX];
	size_t pl;

	if (len < 4 ||
	    (flags & (SCORE_TF_NUMERIC | SCORE_TF_INITIAL)))
		return 0;
	pl = score_phon(s, len, ph, sizeof(ph));
	if (pl < 3)
		return 0;
	return (uint32_t)(nx_hash(ph, pl) >> 32) | 1u;
}

/* Phonetic key -> words (content words of >= 4 letters, keys >= 3). */
static int finish_phon(nameidx *ix)
{
	phpair *p = malloc(((size_t)ix->n_toks + 1) * sizeof(*p));
	uint32_t i, n = 0, b = 0;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < ix->n_toks; i++) {
		const nx_tok *t = &ix->toks[i];
		char ph[SCORE_KEY_MAX];
		size_t pl;

		if (t->len < 4 || (t->flags & (SCORE_TF_NUMERIC |
						SCORE_TF_INITIAL)))
			continue;
		pl = score_phon(ix->pool + t->str, t->len, ph, sizeof(ph));
		ix->toks[i].phon = nx_phon_id(ix->pool + t->str, t->len,
					      t->flags);
		if (pl >= 3)
			p[n++] = (phpair){nx_hash(ph, pl), i};
	}
	qsort(p, n, sizeof(*p), cmp_ph);
	ix->phon_off = malloc(((size_t)n + 2) * sizeof(uint32_t));
	ix->phon_toks = malloc(((size_t)n + 1) * sizeof(uint32_t));
	if (!ix->phon_off || !ix->phon_toks ||
	    nx_tab_init(&ix->phon_tab, n) < 0) {
		free(p);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (i == 0 || p[i].h != p[i - 1].h) {
			ix->phon_off[b] = i;
			nx_tab_put(&ix->phon_tab, p[i].h, b++);
		}
		ix->phon_toks[i] = p[i].t;
	}
	ix->phon_off[b] = n;
	ix->memory += ix->phon_tab.cap * 12 + ((size_t)n + b) * 4;
	free(p);
	return 0;
}

int nx_finish_neighbours(nameidx *ix)
{
	nb_job job[NB_THREADS];
	pthread_t th[NB_THREADS];
	int started[NB_THREADS] = {0}, i, err = 0;
	uint8_t *cnt = calloc((size_t)ix->n_toks + 1, 1);
	uint32_t n = ix->n_toks, t, total = 0;

	if (!cnt)
		return -ENOMEM;
	if (finish_phon(ix) < 0) {
		free(cnt);
		return -ENOMEM;
	}
	for (i = 0; i < NB_THREADS; i++) {
		job[i] = (nb_job){ix, (uint32_t)((uint64_t)n * i / NB_THREADS),
				  (uint32_t)((uint64_t)n * (i + 1) / NB_THREADS),
				  NULL, cnt, 0};
		job[i].out = malloc(((size_t)(job[i].to - job[i].from) + 1) *
				    NX_MAX_TOKMATCH * sizeof(nx_nbr));
		if (!job[i].out) {
			err = -ENOMEM;
			continue;
		}
		if (i > 0 && pthread_create(&th[i], NULL, nb_run, &job[i]) == 0)
			started[i] = 1;
	}
	if (!err)
		nb_run(&job[0]);
	for (i = 1; i < NB_THREADS; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else if (!err && job[i].out)
			nb_run(&job[i]); /* no thread: run it here */
	}
	for (i = 0; i < NB_THREADS; i++)
		if (job[i].err)
			err = job[i].err;
	if (!err) {
		for (t = 0; t < n; t++)
			total += cnt[t];
		ix->nbr_off = malloc(((size_t)n + 1) * sizeof(uint32_t));
		ix->nbr = malloc(((size_t)total + 1) * sizeof(nx_nbr));
		if (!ix->nbr_off || !ix->nbr)
			err = -ENOMEM;
	}
	if (!err) {
		uint32_t o = 0;

		for (i = 0; i < NB_THREADS; i++)
			for (t = job[i].from; t < job[i].to; t++) {
				ix->nbr_off[t] = o;
				memcpy(ix->nbr + o,
				       job[i].out + (size_t)(t - job[i].from) *
							    NX_MAX_TOKMATCH,
				       cnt[t] * sizeof(nx_nbr));
				o += cnt[t];
			}
		ix->nbr_off[n] = o;
		ix->memory += ((size_t)n + 1) * 4 + (size_t)total * sizeof(nx_nbr);
	} else {
		free(ix->nbr_off);
		free(ix->nbr);
		ix->nbr_off = NULL;
		ix->nbr = NULL;
	}
	for (i = 0; i < NB_THREADS; i++)
		free(job[i].out);
	free(cnt);
	return err;
}
