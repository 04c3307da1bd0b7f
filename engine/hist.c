/*
 * hist.c - log-linear latency histogram.
 *
 * Design: bucket index of v: v < 128 -> v; else with e = floor(log2 v)
 * (7..36) and shift = e - 7, index = 128 * (e - 6) + ((v >> shift) -
 * 128).  So each power of two holds 128 buckets of width 2^shift and
 * the relative width is <= 1/128.  Values >= 2^37 clamp into the last
 * bucket.  All counters are _Atomic uint64_t: the single-writer path
 * uses relaxed load + relaxed store (a plain mov on x86-64, but no
 * data race for readers); the shared path uses fetch_add / CAS.
 * Percentiles walk the buckets once (4k entries; only on read).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

#define RLX memory_order_relaxed

void hist_init(hist_t *h)
{
	atomic_init(&h->count, 0);
	atomic_init(&h->sum, 0);
	atomic_init(&h->min, UINT64_MAX);
	atomic_init(&h->max, 0);
	for (size_t i = 0; i < HIST_BUCKETS; i++)
		atomic_init(&h->b[i], 0);
}

hist_t *hist_new(void)
{
	hist_t *h = malloc(sizeof(*h));

	if (h)
		hist_init(h);
	return h;
}

void hist_free(hist_t *h)
{
	free(h);
}

void hist_reset(hist_t *h)
{
	hist_init(h);
}

size_t hist_bucket_of(uint64_t ns)
{
	unsigned e, shift;

	if (ns < HIST_SUB)
		return (size_t)ns;
	if (ns >= HIST_LIMIT)
		return HIST_BUCKETS - 1;
	e = 63u - (unsigned)__builtin_clzll(ns);
	shift = e - HIST_SUB_BITS;
	return (size_t)HIST_SUB * (e - HIST_SUB_BITS + 1) +
	       (size_t)((ns >> shift) - HIST_SUB);
}

uint64_t hist_bucket_lo(size_t i)
{
	size_t range = i / HIST_SUB, sub = i % HIST_SUB;

	if (range == 0)
		return i;
	return (uint64_t)(HIST_SUB + sub) << (range - 1);
}

uint64_t hist_bucket_hi(size_t i)
{
	size_t range = i / HIST_SUB;

	if (range == 0)
		return i;
	return hist_bucket_lo(i) + ((uint64_t)1 << (range - 1)) - 1;
}

static void store_add(_Atomic uint64_t *a, uint64_t n)
{
	atomic_store_explicit(a, atomic_load_explicit(a, RLX) + n, RLX);
}

void hist_record(hist_t *h, uint64_t ns)
{
	store_add(&h->b[hist_bucket_of(ns)], 1);
	store_add(&h->sum, ns);
	if (ns < atomic_load_explicit(&h->min, RLX))
		atomic_store_explicit(&h->min, ns, RLX);
	if (ns > atomic_load_explicit(&h->max, RLX))
		atomic_store_explicit(&h->max, ns, RLX);
	store_add(&h->count, 1);
}

static void cas_min(_Atomic uint64_t *a, uint64_t v)
{
	uint64_t cur = atomic_load_explicit(a, RLX);

	while (v < cur &&
	       !atomic_compare_exchange_weak_explicit(a, &cur, v, RLX, RLX))
		;
}

static void cas_max(_Atomic uint64_t *a, uint64_t v)
{
	uint64_t cur = atomic_load_explicit(a, RLX);

	while (v > cur &&
	       !atomic_compare_exchange_weak_explicit(a, &cur, v, RLX, RLX))
		;
}

void hist_record_shared(hist_t *h, uint64_t ns)
{
	atomic_fetch_add_explicit(&h->b[hist_bucket_of(ns)], 1, RLX);
	atomic_fetch_add_explicit(&h->sum, ns, RLX);
	cas_min(&h->min, ns);
	cas_max(&h->max, ns);
	atomic_fetch_add_explicit(&h->count, 1, RLX);
}

void hist_merge(hist_t *dst, const hist_t *src)
{
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		uint64_t n = atomic_load_explicit(&src->b[i], RLX);

		if (n)
			store_add(&dst->b[i], n);
	}
	store_add(&dst->sum, atomic_load_explicit(&src->sum, RLX));
	store_add(&dst->count, atomic_load_explicit(&src->count, RLX));
	cas_min(&dst->min, atomic_load_explicit(&src->min, RLX));
	cas_max(&dst->max, atomic_load_explicit(&src->max, RLX));
}

uint64_t hist_count(const hist_t *h)
{
	return atomic_load_explicit(&h->count, RLX);
}

uint64_t hist_sum(const hist_t *h)
{
	return atomic_load_explicit(&h->sum, RLX);
}

uint64_t hist_min(const hist_t *h)
{
	uint64_t v = atomic_load_explicit(&h->min, RLX);

	return v == UINT64_MAX ? 0 : v;
}

uint64_t hist_max(const hist_t *h)
{
	return atomic_load_explicit(&h->max, RLX);
}

double hist_mean(const hist_t *h)
{
	uint64_t n = hist_count(h);

	return n ? (double)hist_sum(h) / (double)n : 0.0;
}

uint64_t hist_percentile(const hist_t *h, double q)
{
	uint64_t total = 0, rank, seen = 0, v;
	size_t i;

	for (i = 0; i < HIST_BUCKETS; i++)
		total += atomic_load_explicit(&h->b[i], RLX);
	if (total == 0)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* rank = ceil(q * total), at least 1 */
	rank = (uint64_t)(q * (double)total);
	if ((double)rank < q * (double)total)
		rank++;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += atomic_load_explicit(&h->b[i], RLX);
		if (seen >= rank)
			break;
	}
	if (i >= HIST_BUCKETS)
		i = HIST_BUCKETS - 1;
	v = hist_bucket_hi(i);
	if (i == HIST_BUCKETS - 1 || v > hist_max(h)) /* clamped range */
		v = hist_max(h);
	if (v < hist_min(h))
		v = hist_min(h);
	return v;
}

static void human(char *buf, size_t len, uint64_t ns)
{
	if (ns < 10000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", (double)ns / 1e9);
}

char *hist_summary(const hist_t *h, char *buf, size_t len)
{
	char a[24], b[24], c[24], d[24], e[24];

	human(a, sizeof(a), hist_percentile(h, 0.50));
	human(b, sizeof(b), hist_percentile(h, 0.90));
	human(c, sizeof(c), hist_percentile(h, 0.99));
	human(d, sizeof(d), hist_percentile(h, 0.999));
	human(e, sizeof(e), hist_max(h));
	snprintf(buf, len, "n=%llu p50=%s p90=%s p99=%s p99.9=%s max=%s",
		 (unsigned long long)hist_count(h), a, b, c, d, e);
	return buf;
}

static const uint64_t prom_bounds[] = {
	1000,       2500,       5000,        10000,       25000,
	50000,      100000,     250000,      500000,      1000000,
	2500000,    5000000,    10000000,    25000000,    50000000,
	100000000,  250000000,  500000000,   1000000000,  2500000000,
	5000000000, 10000000000,
};

const uint64_t *hist_prom_bounds_ns(size_t *n)
{
	*n = sizeof(prom_bounds) / sizeof(prom_bounds[0]);
	return prom_bounds;
}

static int prom_line(FILE *out, const char *name, const char *labels,
		     const char *le, uint64_t n)
{
	const char *sep = labels && *labels ? "," : "";

	return fprintf(out, "%s_bucket{%s%sle=\"%s\"} %llu\n", name,
		       labels ? labels : "", sep, le, (unsigned long long)n);
}

int hist_prom_write(const hist_t *h, FILE *out, const char *name,
		    const char *labels)
{
	size_t nb = sizeof(prom_bounds) / sizeof(prom_bounds[0]), i = 0, k;
	uint64_t cum = 0, total = 0;
	const char *lb = labels && *labels ? labels : NULL;
	char le[32];
	int rc = 0;

	for (k = 0; k < nb; k++) {
		for (; i < HIST_BUCKETS && hist_bucket_hi(i) <= prom_bounds[k];
		     i++)
			cum += atomic_load_explicit(&h->b[i], RLX);
		snprintf(le, sizeof(le), "%g", (double)prom_bounds[k] / 1e9);
		if (prom_line(out, name, labels, le, cum) < 0)
			rc = -EIO;
	}
	for (i = 0; i < HIST_BUCKETS; i++)
		total += atomic_load_explicit(&h->b[i], RLX);
	if (prom_line(out, name, labels, "+Inf", total) < 0)
		rc = -EIO;
	if (fprintf(out, "%s_sum%s%s%s %.9f\n%s_count%s%s%s %llu\n", name,
		    lb ? "{" : "", lb ? lb : "", lb ? "}" : "",
		    (double)hist_sum(h) / 1e9, name, lb ? "{" : "",
		    lb ? lb : "", lb ? "}" : "", (unsigned long long)total) < 0)
		rc = -EIO;
	return rc;
}
