/*
 * metrics.c - per-worker counters summed on scrape, Prometheus text.
 *
 * Design: metrics_t holds nworkers + 1 slots (struct metrics_worker,
 * 64-byte aligned, so no two workers write the same cache line); the
 * extra slot is the "shared" one for threads that are not workers,
 * updated with atomic fetch_add.  A worker updates its own slot with
 * a relaxed load + relaxed store (single writer: no lost updates, no
 * locked instruction).  Each slot embeds its own latency histogram.
 * Gauges and per-partition lag are plain atomics written by whoever
 * owns that fact.  The mutex protects only the list-id table and the
 * lists version string (written at reload, read at scrape); the hot
 * path never takes it - it uses the list index obtained at reload.
 * metrics_render() sums the slots, merges histograms into one heap
 * histogram and writes the text format with HELP/TYPE lines.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"

#define RLX        memory_order_relaxed
#define OTHER_LIST (METRICS_MAX_LISTS - 1)

struct metrics_worker {
	_Alignas(64) _Atomic uint64_t c[METRICS__COUNTERS];
	metrics_t *m; /* owner, for metrics_hit_list() */
	_Atomic uint64_t verdicts[VERDICT__COUNT];
	_Atomic uint64_t errors[METRICS__ERRORS];
	_Atomic uint64_t hits[HIT__COUNT][METRICS_MAX_LISTS];
	hist_t lat;
};

struct metrics {
	unsigned nw;
	metrics_worker_t *w; /* nw + 1; w[nw] is the shared slot */
	_Atomic int64_t gauges[METRICS__GAUGES];
	_Atomic int64_t lag[METRICS_MAX_PARTITIONS]; /* -1 = unassigned */
	_Atomic uint64_t reloads[2];                 /* error, ok */
	struct timespec started;
	pthread_mutex_t mu; /* guards the fields below */
	char lists[METRICS_MAX_LISTS][METRICS_LIST_ID_MAX];
	_Atomic int nlists; /* registered, excluding "other"; release-
			     * stored after the name is written */
	char version[128];
	uint64_t generation;
	double built_unix;
};

static const char *const outcome_names[VERDICT__COUNT] = {"pass", "review",
							    "block", "error"};
static const char *const kind_names[HIT__COUNT] = {
	"name", "id", "text", "goods", "route", "vessel", "country"};
static const char *const error_names[METRICS__ERRORS] = {
	"event", "consume", "produce", "journal", "reload", "internal"};

static void slot_init(metrics_worker_t *w)
{
	memset(w, 0, sizeof(*w));
	hist_init(&w->lat);
}

metrics_t *metrics_new(unsigned nworkers)
{
	metrics_t *m;

	if (nworkers == 0)
		nworkers = 1;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nw = nworkers;
	m->w = aligned_alloc(64, sizeof(metrics_worker_t) * (nworkers + 1));
	if (!m->w) {
		free(m);
		return NULL;
	}
	for (unsigned i = 0; i <= nworkers; i++) {
		slot_init(&m->w[i]);
		m->w[i].m = m;
	}
	for (int i = 0; i < METRICS_MAX_PARTITIONS; i++)
		atomic_init(&m->lag[i], -1);
	pthread_mutex_init(&m->mu, NULL);
	snprintf(m->lists[OTHER_LIST], METRICS_LIST_ID_MAX, "other");
	clock_gettime(CLOCK_MONOTONIC, &m->started);
	return m;
}

void metrics_free(metrics_t *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->mu);
	free(m->w);
	free(m);
}

unsigned metrics_nworkers(const metrics_t *m)
{
	return m->nw;
}

metrics_worker_t *metrics_worker(metrics_t *m, unsigned idx)
{
	return idx < m->nw ? &m->w[idx] : NULL;
}

/* ---- hot path ---- */

static inline void bump(_Atomic uint64_t *a, uint64_t n)
{
	atomic_store_explicit(a, atomic_load_explicit(a, RLX) + n, RLX);
}

void metrics_add(metrics_worker_t *w, metrics_counter c, uint64_t n)
{
	if ((unsigned)c < METRICS__COUNTERS)
		bump(&w->c[c], n);
}

void metrics_verdict(metrics_worker_t *w, verdict_outcome o)
{
	if ((unsigned)o < VERDICT__COUNT)
		bump(&w->verdicts[o], 1);
}

void metrics_hit(metrics_worker_t *w, verdict_hit_kind kind, int list_idx)
{
	if ((unsigned)list_idx >= METRICS_MAX_LISTS)
		list_idx = OTHER_LIST;
	if ((unsigned)kind < HIT__COUNT)
		bump(&w->hits[kind][list_idx], 1);
}

void metrics_hit_list(metrics_worker_t *w, verdict_hit_kind kind,
		      const char *list_id)
{
	metrics_t *m = w->m;
	int n = atomic_load_explicit(&m->nlists, memory_order_acquire);

	for (int i = 0; list_id && i < n; i++) {
		if (strcmp(m->lists[i], list_id) == 0) {
			metrics_hit(w, kind, i);
			return;
		}
	}
	metrics_hit(w, kind, metrics_list_index(m, list_id));
}

void metrics_error(metrics_worker_t *w, metrics_error_kind e)
{
	if ((unsigned)e < METRICS__ERRORS)
		bump(&w->errors[e], 1);
}

void metrics_latency(metrics_worker_t *w, uint64_t ns)
{
	hist_record(&w->lat, ns);
}

/* ---- any thread ---- */

void metrics_add_shared(metrics_t *m, metrics_counter c, uint64_t n)
{
	if ((unsigned)c < METRICS__COUNTERS)
		atomic_fetch_add_explicit(&m->w[m->nw].c[c], n, RLX);
}

void metrics_error_shared(metrics_t *m, metrics_error_kind e)
{
	if ((unsigned)e < METRICS__ERRORS)
		atomic_fetch_add_explicit(&m->w[m->nw].errors[e], 1, RLX);
}

void metrics_reload(metrics_t *m, int ok)
{
	atomic_fetch_add_explicit(&m->reloads[ok ? 1 : 0], 1, RLX);
}

void metrics_gauge_set(metrics_t *m, metrics_gauge g, int64_t v)
{
	if ((unsigned)g < METRICS__GAUGES)
		atomic_store_explicit(&m->gauges[g], v, RLX);
}

int64_t metrics_gauge_get(const metrics_t *m, metrics_gauge g)
{
	if ((unsigned)g >= METRICS__GAUGES)
		return 0;
	return atomic_load_explicit(&m->gauges[g], RLX);
}

void metrics_lag_set(metrics_t *m, int32_t partition, int64_t lag)
{
	if (partition < 0 || partition >= METRICS_MAX_PARTITIONS)
		return;
	atomic_store_explicit(&m->lag[partition], lag < 0 ? -1 : lag, RLX);
}

int metrics_list_index(metrics_t *m, const char *list_id)
{
	int idx = OTHER_LIST;

	if (!list_id || strlen(list_id) >= METRICS_LIST_ID_MAX)
		return OTHER_LIST;
	pthread_mutex_lock(&m->mu);
	for (int i = 0; i < m->nlists; i++) {
		if (strcmp(m->lists[i], list_id) == 0) {
			idx = i;
			goto out;
		}
	}
	if (m->nlists < OTHER_LIST) {
		idx = m->nlists;
		snprintf(m->lists[idx], METRICS_LIST_ID_MAX, "%s", list_id);
		atomic_store_explicit(&m->nlists, idx + 1,
				      memory_order_release);
	}
out:
	pthread_mutex_unlock(&m->mu);
	return idx;
}

void metrics_lists_set(metrics_t *m, const char *version, uint64_t generation,
		       double built_unix)
{
	pthread_mutex_lock(&m->mu);
	snprintf(m->version, sizeof(m->version), "%s", version ? version : "");
	m->generation = generation;
	m->built_unix = built_unix;
	pthread_mutex_unlock(&m->mu);
}

/* ---- reading ---- */

uint64_t metrics_counter_sum(const metrics_t *m, metrics_counter c)
{
	uint64_t s = 0;

	if ((unsigned)c >= METRICS__COUNTERS)
		return 0;
	for (unsigned i = 0; i <= m->nw; i++)
		s += atomic_load_explicit(&m->w[i].c[c], RLX);
	return s;
}

uint64_t metrics_verdict_sum(const metrics_t *m, verdict_outcome o)
{
	uint64_t s = 0;

	if ((unsigned)o >= VERDICT__COUNT)
		return 0;
	for (unsigned i = 0; i <= m->nw; i++)
		s += atomic_load_explicit(&m->w[i].verdicts[o], RLX);
	return s;
}

uint64_t metrics_hit_sum(const metrics_t *m, verdict_hit_kind kind,
			 int list_idx)
{
	uint64_t s = 0;

	if ((unsigned)kind >= HIT__COUNT ||
	    (unsigned)list_idx >= METRICS_MAX_LISTS)
		return 0;
	for (unsigned i = 0; i <= m->nw; i++)
		s += atomic_load_explicit(&m->w[i].hits[kind][list_idx], RLX);
	return s;
}

uint64_t metrics_error_sum(const metrics_t *m, metrics_error_kind e)
{
	uint64_t s = 0;

	if ((unsigned)e >= METRICS__ERRORS)
		return 0;
	for (unsigned i = 0; i <= m->nw; i++)
		s += atomic_load_explicit(&m->w[i].errors[e], RLX);
	return s;
}

void metrics_latency_merge(const metrics_t *m, hist_t *out)
{
	hist_init(out);
	for (unsigned i = 0; i <= m->nw; i++)
		hist_merge(out, &m->w[i].lat);
}

/* ---- rendering ---- */

static void head(FILE *out, const char *name, const char *type,
		 const char *help)
{
	fprintf(out, "# HELP interdict_%s %s\n# TYPE interdict_%s %s\n", name,
		help, name, type);
}

/* Label value escaping: backslash, double quote, newline. */
static void label_value(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', out);
		if (*s == '\n') {
			fputs("\\n", out);
			continue;
		}
		fputc(*s, out);
	}
}

static void render_counters(metrics_t *m, FILE *out)
{
	head(out, "events_total", "counter", "Events consumed and screened.");
	fprintf(out, "interdict_events_total %llu\n",
		(unsigned long long)metrics_counter_sum(m, METRICS_EVENTS));
	head(out, "bytes_in_total", "counter", "Event payload bytes consumed.");
	fprintf(out, "interdict_bytes_in_total %llu\n",
		(unsigned long long)metrics_counter_sum(m, METRICS_BYTES_IN));
	head(out, "dead_letters_total", "counter",
	     "Events sent to the dead-letter topic.");
	fprintf(out, "interdict_dead_letters_total %llu\n",
		(unsigned long long)metrics_counter_sum(m,
							METRICS_DEAD_LETTERS));
	head(out, "verdicts_total", "counter", "Verdicts by outcome.");
	for (int o = 0; o < VERDICT__COUNT; o++)
		fprintf(out, "interdict_verdicts_total{outcome=\"%s\"} %llu\n",
			outcome_names[o],
			(unsigned long long)metrics_verdict_sum(m, o));
	head(out, "errors_total", "counter", "Errors by kind.");
	for (int e = 0; e < METRICS__ERRORS; e++)
		fprintf(out, "interdict_errors_total{kind=\"%s\"} %llu\n",
			error_names[e],
			(unsigned long long)metrics_error_sum(m, e));
	head(out, "reloads_total", "counter", "List reloads by result.");
	fprintf(out, "interdict_reloads_total{result=\"ok\"} %llu\n",
		(unsigned long long)atomic_load(&m->reloads[1]));
	fprintf(out, "interdict_reloads_total{result=\"error\"} %llu\n",
		(unsigned long long)atomic_load(&m->reloads[0]));
}

/* Caller holds m->mu (list names). */
static void render_hits(metrics_t *m, FILE *out)
{
	head(out, "hits_total", "counter", "Hits by kind and source list.");
	for (int k = 0; k < HIT__COUNT; k++) {
		for (int l = 0; l < METRICS_MAX_LISTS; l++) {
			uint64_t n = metrics_hit_sum(m, k, l);

			if (l >= m->nlists && (l != OTHER_LIST || n == 0))
				continue;
			fprintf(out, "interdict_hits_total{kind=\"%s\",list=\"",
				kind_names[k]);
			label_value(out, m->lists[l]);
			fprintf(out, "\"} %llu\n", (unsigned long long)n);
		}
	}
}

static double now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Caller holds m->mu. */
static void render_lists(metrics_t *m, FILE *out)
{
	head(out, "lists_version_info", "gauge",
	     "The live lists version (value always 1).");
	if (m->version[0]) {
		fputs("interdict_lists_version_info{version=\"", out);
		label_value(out, m->version);
		fputs("\"} 1\n", out);
	}
	head(out, "lists_generation", "gauge",
	     "Number of list versions loaded since start.");
	fprintf(out, "interdict_lists_generation %llu\n",
		(unsigned long long)m->generation);
	head(out, "lists_age_seconds", "gauge",
	     "Seconds since the live list version was built.");
	fprintf(out, "interdict_lists_age_seconds %.3f\n",
		m->built_unix > 0 ? now_real() - m->built_unix : 0.0);
}

static void render_gauges(metrics_t *m, FILE *out)
{
	static const char *const g[METRICS__GAUGES][2] = {
		{"ready", "1 when lists are loaded and the consumer runs."},
		{"inflight", "Events consumed but not yet committed."},
		{"journal_seq", "Last journal sequence number appended."},
		{"journal_durable_seq", "Last journal sequence number synced."},
		{"paused_partitions", "Partitions paused for back-pressure."},
	};
	int64_t total = 0;
	struct timespec now;

	for (int i = 0; i < METRICS__GAUGES; i++) {
		head(out, g[i][0], "gauge", g[i][1]);
		fprintf(out, "interdict_%s %lld\n", g[i][0],
			(long long)metrics_gauge_get(m, i));
	}
	head(out, "consumer_lag", "gauge", "Consumer lag per partition.");
	for (int p = 0; p < METRICS_MAX_PARTITIONS; p++) {
		int64_t v = atomic_load_explicit(&m->lag[p], RLX);

		if (v < 0)
			continue;
		total += v;
		fprintf(out, "interdict_consumer_lag{partition=\"%d\"} %lld\n",
			p, (long long)v);
	}
	head(out, "consumer_lag_total", "gauge",
	     "Consumer lag summed over assigned partitions.");
	fprintf(out, "interdict_consumer_lag_total %lld\n", (long long)total);
	clock_gettime(CLOCK_MONOTONIC, &now);
	head(out, "uptime_seconds", "gauge", "Seconds since start.");
	fprintf(out, "interdict_uptime_seconds %.3f\n",
		(double)(now.tv_sec - m->started.tv_sec) +
			(double)(now.tv_nsec - m->started.tv_nsec) / 1e9);
}

int metrics_render(metrics_t *m, FILE *out)
{
	hist_t *lat = hist_new();

	if (!lat)
		return -ENOMEM;
	render_counters(m, out);
	pthread_mutex_lock(&m->mu);
	render_hits(m, out);
	render_lists(m, out);
	pthread_mutex_unlock(&m->mu);
	render_gauges(m, out);
	metrics_latency_merge(m, lat);
	head(out, "latency_seconds", "histogram",
	     "In-engine latency, event consumed to verdict ready.");
	hist_prom_write(lat, out, "interdict_latency_seconds", "");
	hist_free(lat);
	return ferror(out) ? -EIO : 0;
}

int metrics_render_buf(metrics_t *m, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);
	int rc;

	if (!f)
		return -errno;
	rc = metrics_render(m, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}
