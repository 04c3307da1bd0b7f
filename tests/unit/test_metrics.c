/*
 * test_metrics.c - the metrics registry: per-worker and shared
 * counters summed exactly under concurrency (with scrapes running),
 * labeled counters, list-id table, gauges, lag, and the Prometheus
 * text (every sample has a TYPE, values parse, labels escaped).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "metrics.h"

static void test_counters(void **state)
{
	metrics_t *m = metrics_new(2);
	metrics_worker_t *w0 = metrics_worker(m, 0), *w1 = metrics_worker(m, 1);
	int ofac, un;

	(void)state;
	assert_null(metrics_worker(m, 2));
	assert_int_equal(metrics_nworkers(m), 2);
	metrics_add(w0, METRICS_EVENTS, 3);
	metrics_add(w1, METRICS_EVENTS, 4);
	metrics_add_shared(m, METRICS_EVENTS, 1);
	assert_int_equal(metrics_counter_sum(m, METRICS_EVENTS), 8);
	metrics_verdict(w0, VERDICT_BLOCK);
	metrics_verdict(w1, VERDICT_BLOCK);
	metrics_verdict(w1, VERDICT_PASS);
	assert_int_equal(metrics_verdict_sum(m, VERDICT_BLOCK), 2);
	assert_int_equal(metrics_verdict_sum(m, VERDICT_REVIEW), 0);
	ofac = metrics_list_index(m, "ofac-sdn");
	un = metrics_list_index(m, "un");
	assert_int_not_equal(ofac, un);
	assert_int_equal(metrics_list_index(m, "ofac-sdn"), ofac);
	metrics_hit(w0, HIT_NAME, ofac);
	metrics_hit(w1, HIT_NAME, ofac);
	metrics_hit(w1, HIT_ID, un);
	assert_int_equal(metrics_hit_sum(m, HIT_NAME, ofac), 2);
	assert_int_equal(metrics_hit_sum(m, HIT_ID, un), 1);
	assert_int_equal(metrics_hit_sum(m, HIT_ID, ofac), 0);
	metrics_error(w0, METRICS_ERR_EVENT);
	metrics_error_shared(m, METRICS_ERR_EVENT);
	metrics_error_shared(m, METRICS_ERR_PRODUCE);
	assert_int_equal(metrics_error_sum(m, METRICS_ERR_EVENT), 2);
	assert_int_equal(metrics_error_sum(m, METRICS_ERR_PRODUCE), 1);
	/* out-of-range inputs are ignored, not crashes */
	metrics_add(w0, METRICS__COUNTERS, 1);
	metrics_verdict(w0, VERDICT__COUNT);
	metrics_gauge_set(m, METRICS__GAUGES, 1);
	metrics_lag_set(m, -1, 5);
	metrics_lag_set(m, METRICS_MAX_PARTITIONS, 5);
	metrics_free(m);
}

static void test_list_table_overflow(void **state)
{
	metrics_t *m = metrics_new(1);
	char id[32], longid[METRICS_LIST_ID_MAX + 10];
	int other = -1, idx;

	(void)state;
	for (int i = 0; i < METRICS_MAX_LISTS + 5; i++) {
		snprintf(id, sizeof(id), "list-%d", i);
		idx = metrics_list_index(m, id);
		assert_true(idx >= 0 && idx < METRICS_MAX_LISTS);
		if (i >= METRICS_MAX_LISTS - 1) {
			if (other < 0)
				other = idx;
			assert_int_equal(idx, other); /* the "other" slot */
		} else {
			assert_int_equal(idx, i);
		}
	}
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_int_equal(metrics_list_index(m, longid), other);
	metrics_hit(metrics_worker(m, 0), HIT_TEXT, 9999); /* -> other */
	assert_int_equal(metrics_hit_sum(m, HIT_TEXT, other), 1);
	metrics_free(m);
}

#define NW  4
#define PER 300000

typedef struct warg {
	metrics_t *m;
	unsigned idx;
	int list;
} warg;

static void *worker(void *p)
{
	warg *a = p;
	metrics_worker_t *w = metrics_worker(a->m, a->idx);

	for (unsigned i = 0; i < PER; i++) {
		metrics_add(w, METRICS_EVENTS, 1);
		metrics_verdict(w, (verdict_outcome)(i % 4));
		metrics_hit(w, HIT_NAME, a->list);
		if (i % 100 == 0) /* registers new ids while others scan */
			metrics_hit_list(w, HIT_ID, a->idx % 2 ? "uk" : "un");
		metrics_latency(w, 1000 + i % 1000);
		if (i % 1000 == 0)
			metrics_add_shared(a->m, METRICS_DEAD_LETTERS, 1);
	}
	return NULL;
}

static void test_concurrent(void **state)
{
	metrics_t *m = metrics_new(NW);
	pthread_t th[NW];
	warg args[NW];
	hist_t *lat = hist_new();
	int list = metrics_list_index(m, "eu");

	(void)state;
	for (unsigned i = 0; i < NW; i++) {
		args[i] = (warg){m, i, list};
		pthread_create(&th[i], NULL, worker, &args[i]);
	}
	for (int k = 0; k < 20; k++) { /* scrapes while workers run */
		char *buf;
		size_t len;

		assert_int_equal(metrics_render_buf(m, &buf, &len), 0);
		assert_true(len > 0);
		free(buf);
	}
	for (unsigned i = 0; i < NW; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(metrics_counter_sum(m, METRICS_EVENTS), NW * PER);
	assert_int_equal(metrics_counter_sum(m, METRICS_DEAD_LETTERS),
			 NW * (PER / 1000));
	assert_int_equal(metrics_verdict_sum(m, VERDICT_REVIEW), NW * PER / 4);
	assert_int_equal(metrics_hit_sum(m, HIT_NAME, list), NW * PER);
	assert_int_equal(metrics_hit_sum(m, HIT_ID, metrics_list_index(m, "un")) +
				 metrics_hit_sum(m, HIT_ID,
						 metrics_list_index(m, "uk")),
			 NW * (PER / 100));
	assert_int_equal(metrics_list_index(m, "bis"), 3);
	metrics_latency_merge(m, lat);
	assert_int_equal(hist_count(lat), NW * PER);
	assert_int_equal(hist_max(lat), 1999);
	hist_free(lat);
	metrics_free(m);
}

/* Every sample line's metric has a TYPE line before it. */
static void check_exposition(char *text)
{
	char types[64][64];
	int nt = 0;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128], *end;
		size_t n;
		int found = 0;

		if (sscanf(line, "# TYPE %63s", types[nt]) == 1) {
			assert_true(++nt < 64);
			continue;
		}
		if (line[0] == '#')
			continue;
		n = strcspn(line, "{ ");
		snprintf(name, sizeof(name), "%.*s", (int)n, line);
		for (int i = 0; i < nt && !found; i++) {
			size_t tl = strlen(types[i]);

			found = strncmp(name, types[i], tl) == 0 &&
				(name[tl] == '\0' ||
				 strcmp(name + tl, "_bucket") == 0 ||
				 strcmp(name + tl, "_sum") == 0 ||
				 strcmp(name + tl, "_count") == 0);
		}
		if (!found)
			fail_msg("no TYPE for '%s'", line);
		assert_int_equal(strncmp(name, "interdict_", 10), 0);
		strtod(strrchr(line, ' ') + 1, &end);
		assert_true(*end == '\0');
	}
}

static void test_render(void **state)
{
	metrics_t *m = metrics_new(1);
	metrics_worker_t *w = metrics_worker(m, 0);
	int ofac = metrics_list_index(m, "ofac-sdn");
	char *buf;
	size_t len;

	(void)state;
	metrics_add(w, METRICS_EVENTS, 5);
	metrics_verdict(w, VERDICT_BLOCK);
	metrics_hit(w, HIT_NAME, ofac);
	metrics_hit(w, HIT_NAME, ofac);
	metrics_error(w, METRICS_ERR_JOURNAL);
	metrics_latency(w, 2000);
	metrics_lag_set(m, 0, 10);
	metrics_lag_set(m, 3, 5);
	metrics_lag_set(m, 2, 7);
	metrics_lag_set(m, 2, -1); /* revoked */
	metrics_gauge_set(m, METRICS_G_READY, 1);
	metrics_gauge_set(m, METRICS_G_JOURNAL_DURABLE, 77);
	metrics_reload(m, 1);
	metrics_reload(m, 0);
	metrics_reload(m, 1);
	metrics_lists_set(m, "2026-11-27T09:00:00Z/3f\"a", 3,
			  (double)time(NULL) - 100.0);
	assert_int_equal(metrics_render_buf(m, &buf, &len), 0);
	assert_int_equal(strlen(buf), len);
	assert_non_null(strstr(buf, "# HELP interdict_events_total "));
	assert_non_null(strstr(buf, "# TYPE interdict_events_total counter\n"
				    "interdict_events_total 5\n"));
	assert_non_null(strstr(buf, "interdict_verdicts_total{outcome=\"block\"} 1\n"));
	assert_non_null(strstr(buf, "interdict_verdicts_total{outcome=\"pass\"} 0\n"));
	assert_non_null(strstr(buf, "interdict_hits_total{kind=\"name\",list=\"ofac-sdn\"} 2\n"));
	assert_non_null(strstr(buf, "interdict_hits_total{kind=\"vessel\",list=\"ofac-sdn\"} 0\n"));
	assert_null(strstr(buf, "list=\"other\""));
	assert_non_null(strstr(buf, "interdict_errors_total{kind=\"journal\"} 1\n"));
	assert_non_null(strstr(buf, "interdict_consumer_lag{partition=\"0\"} 10\n"));
	assert_null(strstr(buf, "partition=\"2\""));
	assert_non_null(strstr(buf, "interdict_consumer_lag_total 15\n"));
	assert_non_null(strstr(buf, "interdict_ready 1\n"));
	assert_non_null(strstr(buf, "interdict_journal_durable_seq 77\n"));
	assert_non_null(strstr(buf, "interdict_reloads_total{result=\"ok\"} 2\n"));
	assert_non_null(strstr(buf, "interdict_reloads_total{result=\"error\"} 1\n"));
	assert_non_null(strstr(buf, "interdict_lists_version_info{version="
				    "\"2026-11-27T09:00:00Z/3f\\\"a\"} 1\n"));
	assert_non_null(strstr(buf, "interdict_lists_generation 3\n"));
	assert_non_null(strstr(buf, "# TYPE interdict_latency_seconds histogram\n"));
	assert_non_null(strstr(buf, "interdict_latency_seconds_count 1\n"));
	assert_non_null(strstr(buf, "interdict_latency_seconds_bucket{le=\"2.5e-06\"} 1\n"));
	assert_non_null(strstr(buf, "interdict_lists_age_seconds 10"));
	check_exposition(buf);
	free(buf);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_list_table_overflow),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
