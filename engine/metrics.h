/*
 * metrics.h - the engine's metrics registry, Prometheus text output.
 *
 * Hot path (worker threads): each worker owns one metrics_worker_t
 * slot (cache-line aligned, so workers never share a line) and bumps
 * its counters with relaxed atomic load+store - no locked instruction,
 * no lock, no allocation.  The latency histogram is per worker too.
 * A scrape sums/merges all slots (relaxed loads), so values are
 * monotonic but may be a few events apart from each other.
 *
 * Other threads (Kafka poll loop, reload, journal, HTTP) use the
 * *_shared() calls, which do atomic adds on a separate slot.
 *
 * Labels:
 *   verdicts by outcome       VERDICT__COUNT outcomes (verdict.h)
 *   hits by kind and list     HIT__COUNT kinds x METRICS_MAX_LISTS
 *                             list ids; the id -> index mapping is
 *                             registered when a list version is built
 *                             (metrics_list_index(), takes a mutex; not
 *                             for the hot path).  Ids beyond the table
 *                             share the index of list="other".
 *   errors by kind            enum metrics_error_kind
 *   consumer lag              per partition (< METRICS_MAX_PARTITIONS)
 *                             plus the total, set by the poll thread
 *
 * Output metric names (all prefixed interdict_), see
 * docs/configuration.md "Metrics":
 *   events_total, verdicts_total{outcome}, hits_total{kind,list},
 *   errors_total{kind}, dead_letters_total, bytes_in_total,
 *   consumer_lag{partition}, consumer_lag_total,
 *   latency_seconds (histogram, in-engine: consume to verdict ready),
 *   lists_version_info{version}, lists_generation, lists_age_seconds,
 *   reloads_total{result}, ready, inflight, journal_seq,
 *   journal_durable_seq, paused_partitions, uptime_seconds.
 *
 * Thread notes per function below.  Errors 0 / -errno.
 */
#ifndef INTERDICT_METRICS_H
#define INTERDICT_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"
#include "verdict.h"

#define METRICS_MAX_LISTS      64 /* last slot is list="other" */
#define METRICS_LIST_ID_MAX    48
#define METRICS_MAX_PARTITIONS 1024

typedef enum metrics_counter {
	METRICS_EVENTS = 0,   /* events consumed and screened */
	METRICS_DEAD_LETTERS, /* events sent to the DLQ */
	METRICS_BYTES_IN,     /* payload bytes consumed */
	METRICS__COUNTERS
} metrics_counter;

typedef enum metrics_error_kind {
	METRICS_ERR_EVENT = 0,  /* bad event (JSON, UTF-8, limits) */
	METRICS_ERR_CONSUME,    /* Kafka consumer error */
	METRICS_ERR_PRODUCE,    /* Kafka delivery failure */
	METRICS_ERR_JOURNAL,    /* journal write/fsync failure */
	METRICS_ERR_RELOAD,     /* list reload failed */
	METRICS_ERR_INTERNAL,   /* anything else */
	METRICS__ERRORS
} metrics_error_kind;

typedef enum metrics_gauge {
	METRICS_G_READY = 0,          /* 1 ready, 0 not */
	METRICS_G_INFLIGHT,           /* events between consume and commit */
	METRICS_G_JOURNAL_SEQ,        /* last appended journal seq */
	METRICS_G_JOURNAL_DURABLE,    /* last durable journal seq */
	METRICS_G_PAUSED_PARTITIONS,  /* partitions paused for back-pressure */
	METRICS__GAUGES
} metrics_gauge;

typedef struct metrics metrics_t;
typedef struct metrics_worker metrics_worker_t;

/* nworkers >= 1.  NULL on ENOMEM. */
metrics_t *metrics_new(unsigned nworkers);
void metrics_free(metrics_t *m);
unsigned metrics_nworkers(const metrics_t *m);

/* The slot of worker idx (< nworkers); stable for m's lifetime. */
metrics_worker_t *metrics_worker(metrics_t *m, unsigned idx);

/* ---- hot path: only the thread owning w calls these ---- */
void metrics_add(metrics_worker_t *w, metrics_counter c, uint64_t n);
void metrics_verdict(metrics_worker_t *w, verdict_outcome o);
/* kind < HIT__COUNT; list_idx from metrics_list_index(). */
void metrics_hit(metrics_worker_t *w, verdict_hit_kind kind, int list_idx);
/*
 * Same by list id: a lock-free scan of the registered ids (strcmp over
 * at most METRICS_MAX_LISTS entries; hits are rare per event).  An id
 * not yet registered is registered on first use (mutex, once per id).
 */
void metrics_hit_list(metrics_worker_t *w, verdict_hit_kind kind,
		      const char *list_id);
void metrics_error(metrics_worker_t *w, metrics_error_kind e);
void metrics_latency(metrics_worker_t *w, uint64_t ns);

/* ---- any thread (atomic add on the shared slot) ---- */
void metrics_add_shared(metrics_t *m, metrics_counter c, uint64_t n);
void metrics_error_shared(metrics_t *m, metrics_error_kind e);
void metrics_reload(metrics_t *m, int ok); /* reloads_total{result} */
void metrics_gauge_set(metrics_t *m, metrics_gauge g, int64_t v);
int64_t metrics_gauge_get(const metrics_t *m, metrics_gauge g);
/* lag < 0 removes the partition (unassigned).  Partitions outside
 * [0, METRICS_MAX_PARTITIONS) are ignored. */
void metrics_lag_set(metrics_t *m, int32_t partition, int64_t lag);

/*
 * Register a list id (idempotent) and return its index, to be stored
 * with the list version and passed to metrics_hit().  Takes a mutex;
 * call at list build/reload time.  Never fails: when the table is
 * full (or id is too long) returns the "other" index.
 */
int metrics_list_index(metrics_t *m, const char *list_id);

/*
 * A new list version is live: version string (copied), generation
 * counter, build time (unix seconds, for lists_age_seconds computed at
 * scrape).  Any thread; takes the registry mutex.
 */
void metrics_lists_set(metrics_t *m, const char *version, uint64_t generation,
		       double built_unix);

/* ---- reading (scrape, tests): any thread ---- */
uint64_t metrics_counter_sum(const metrics_t *m, metrics_counter c);
uint64_t metrics_verdict_sum(const metrics_t *m, verdict_outcome o);
uint64_t metrics_hit_sum(const metrics_t *m, verdict_hit_kind kind,
			 int list_idx);
uint64_t metrics_error_sum(const metrics_t *m, metrics_error_kind e);
/* Merge every worker's latency histogram into out (initialised here). */
void metrics_latency_merge(const metrics_t *m, hist_t *out);

/*
 * Prometheus text format 0.0.4, HELP and TYPE for every metric.
 * Takes the registry mutex briefly (list names, version); merges the
 * histograms into a heap buffer (scrape path, not hot).  0 or -errno.
 */
int metrics_render(metrics_t *m, FILE *out);
/* Same into a malloc'd buffer (*buf freed by the caller). */
int metrics_render_buf(metrics_t *m, char **buf, size_t *len);

#endif
