/*
 * test_hist.c - log-linear histogram: bucket geometry (contiguous,
 * <= 1/128 wide), percentile accuracy against exact order statistics,
 * merge, clamping, concurrent single-writer and shared recording, and
 * the Prometheus exposition.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist.h"

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_geometry(void **state)
{
	uint64_t s = 88172645463325252ull;

	(void)state;
	assert_int_equal(hist_bucket_lo(0), 0);
	for (size_t i = 0; i + 1 < HIST_BUCKETS; i++) {
		uint64_t lo = hist_bucket_lo(i), hi = hist_bucket_hi(i);

		assert_true(lo <= hi);
		assert_int_equal(hi + 1, hist_bucket_lo(i + 1));
		assert_int_equal(hist_bucket_of(lo), i);
		assert_int_equal(hist_bucket_of(hi), i);
		/* width <= 1/128 of the smallest value in the bucket */
		if (i < HIST_SUB)
			assert_int_equal(hi, lo);
		else
			assert_true((hi - lo + 1) * 128 <= lo);
	}
	assert_int_equal(hist_bucket_hi(HIST_BUCKETS - 1), HIST_LIMIT - 1);
	for (int k = 0; k < 100000; k++) {
		uint64_t v = rnd(&s) % HIST_LIMIT;
		size_t b = hist_bucket_of(v);

		assert_true(hist_bucket_lo(b) <= v && v <= hist_bucket_hi(b));
	}
	assert_int_equal(hist_bucket_of(UINT64_MAX), HIST_BUCKETS - 1);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static void check_q(const hist_t *h, const uint64_t *sorted, size_t n,
		    double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);
	uint64_t exact = sorted[rank ? rank - 1 : 0], got = hist_percentile(h, q);

	/* never below the exact value, at most one bucket (<0.8%) above */
	if (got < exact || (double)got > (double)exact * 1.008 + 1)
		fail_msg("q=%g exact=%llu got=%llu", q,
			 (unsigned long long)exact, (unsigned long long)got);
}

static void test_percentiles(void **state)
{
	size_t n = 200000;
	uint64_t *v = malloc(n * sizeof(*v)), s = 12345;
	hist_t *h = hist_new();
	double qs[] = {0.5, 0.9, 0.99, 0.999, 1.0};

	(void)state;
	assert_int_equal(hist_percentile(h, 0.5), 0);
	assert_int_equal(hist_count(h), 0);
	assert_int_equal(hist_min(h), 0);
	for (size_t i = 0; i < n; i++) {
		/* log-uniform 100ns .. ~10s */
		v[i] = 100 + (rnd(&s) % 1000) * (1ull << (rnd(&s) % 27));
		hist_record(h, v[i]);
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		check_q(h, v, n, qs[i]);
	assert_int_equal(hist_count(h), n);
	assert_int_equal(hist_max(h), v[n - 1]);
	assert_int_equal(hist_min(h), v[0]);
	assert_int_equal(hist_percentile(h, 1.0), v[n - 1]);
	hist_free(h);
	free(v);
}

static void test_merge_and_clamp(void **state)
{
	hist_t *a = hist_new(), *b = hist_new(), *all = hist_new(), *m;

	(void)state;
	for (uint64_t i = 1; i <= 1000; i++) {
		hist_record(i % 2 ? a : b, i * 1000);
		hist_record(all, i * 1000);
	}
	hist_record(b, 200ull * 1000000000ull); /* 200 s: clamped bucket */
	hist_record(all, 200ull * 1000000000ull);
	m = hist_new();
	hist_merge(m, a);
	hist_merge(m, b);
	assert_int_equal(hist_count(m), 1001);
	assert_int_equal(hist_sum(m), hist_sum(all));
	assert_int_equal(hist_max(m), 200ull * 1000000000ull);
	assert_int_equal(hist_min(m), 1000);
	assert_int_equal(hist_percentile(m, 0.5), hist_percentile(all, 0.5));
	assert_int_equal(hist_percentile(m, 0.99), hist_percentile(all, 0.99));
	assert_int_equal(hist_percentile(m, 1.0), 200ull * 1000000000ull);
	assert_true(hist_mean(m) > 1000.0);
	hist_reset(m);
	assert_int_equal(hist_count(m), 0);
	assert_int_equal(hist_max(m), 0);
	hist_free(a);
	hist_free(b);
	hist_free(all);
	hist_free(m);
}

#define NT  4
#define PER 200000

typedef struct targ {
	hist_t *h;
	int shared;
} targ;

static void *writer(void *p)
{
	targ *t = p;

	for (uint64_t i = 0; i < PER; i++) {
		if (t->shared)
			hist_record_shared(t->h, 1000 + i % 5000);
		else
			hist_record(t->h, 1000 + i % 5000);
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	hist_t *own[NT], *shared = hist_new(), *snap = hist_new();
	pthread_t th[2 * NT];
	targ args[2 * NT];

	(void)state;
	for (int i = 0; i < NT; i++) {
		own[i] = hist_new();
		args[i] = (targ){own[i], 0};
		args[NT + i] = (targ){shared, 1};
	}
	for (int i = 0; i < 2 * NT; i++)
		pthread_create(&th[i], NULL, writer, &args[i]);
	for (int k = 0; k < 50; k++) { /* merge while writers run */
		hist_init(snap);
		for (int i = 0; i < NT; i++)
			hist_merge(snap, own[i]);
		assert_true(hist_count(snap) <= (uint64_t)NT * PER);
	}
	for (int i = 0; i < 2 * NT; i++)
		pthread_join(th[i], NULL);
	hist_init(snap);
	for (int i = 0; i < NT; i++)
		hist_merge(snap, own[i]);
	assert_int_equal(hist_count(snap), (uint64_t)NT * PER);
	assert_int_equal(hist_count(shared), (uint64_t)NT * PER);
	assert_int_equal(hist_sum(shared), hist_sum(snap));
	assert_int_equal(hist_max(shared), 5999);
	assert_int_equal(hist_min(shared), 1000);
	for (int i = 0; i < NT; i++)
		hist_free(own[i]);
	hist_free(shared);
	hist_free(snap);
}

static void test_prometheus(void **state)
{
	hist_t *h = hist_new();
	char *buf = NULL, sum[64];
	size_t len = 0, nb;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	for (int i = 0; i < 10; i++)
		hist_record(h, 500);
	for (int i = 0; i < 5; i++)
		hist_record(h, 3000000);
	hist_record(h, 20000000000ull);
	assert_int_equal(hist_prom_write(h, f, "x_seconds", "worker=\"1\""), 0);
	fclose(f);
	assert_non_null(strstr(buf, "x_seconds_bucket{worker=\"1\",le=\"1e-06\"} 10\n"));
	assert_non_null(strstr(buf, "x_seconds_bucket{worker=\"1\",le=\"0.0025\"} 10\n"));
	assert_non_null(strstr(buf, "x_seconds_bucket{worker=\"1\",le=\"0.005\"} 15\n"));
	assert_non_null(strstr(buf, "x_seconds_bucket{worker=\"1\",le=\"10\"} 15\n"));
	assert_non_null(strstr(buf, "x_seconds_bucket{worker=\"1\",le=\"+Inf\"} 16\n"));
	assert_non_null(strstr(buf, "x_seconds_count{worker=\"1\"} 16\n"));
	snprintf(sum, sizeof(sum), "x_seconds_sum{worker=\"1\"} %.9f\n",
		 (10 * 500 + 5 * 3000000 + 20000000000.0) / 1e9);
	assert_non_null(strstr(buf, sum));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	hist_prom_write(h, f, "y", "");
	fclose(f);
	assert_non_null(strstr(buf, "y_bucket{le=\"+Inf\"} 16\n"));
	assert_non_null(strstr(buf, "y_count 16\n"));
	free(buf);
	assert_int_equal(hist_prom_bounds_ns(&nb)[0], 1000);
	assert_int_equal(nb, 22);
	assert_non_null(strstr(hist_summary(h, sum, sizeof(sum)), "n=16 "));
	hist_free(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_percentiles),
		cmocka_unit_test(test_merge_and_clamp),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_prometheus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
