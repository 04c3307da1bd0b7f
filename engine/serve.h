/*
 * serve.h - the streaming engine: Kafka `transactions` in, screened
 * `verdicts` out, bad events to `transactions.dlq`.
 *
 * Lifecycle:
 *   e = engine_new(cfg, log, err, len);  loads the lists (fails like
 *                                        `interdict lists` would)
 *   engine_run(e);                       blocks: consumes until stop
 *   engine_stop(e);                      from any thread (or signal
 *                                        watcher): graceful stop
 *   engine_free(e);
 *
 * engine_run() returns after the graceful stop: consuming stopped,
 * in-flight events screened and published, delivery reports received,
 * offsets committed, journal flushed.  0, or -errno on a fatal error
 * (a fatal librdkafka error, e.g. the idempotent producer fenced).
 *
 * There is no global state: several engines may coexist in a process
 * (they share only the process-wide urcu-qsbr domain).
 *
 * Thread: engine_new/engine_run/engine_free on one thread; engine_stop,
 * engine_reload, engine_get_stats and engine_lists_version from any
 * thread while the engine exists.  cfg and log are borrowed and must
 * outlive the engine.
 */
#ifndef INTERDICT_SERVE_H
#define INTERDICT_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "log.h"

typedef struct engine engine;

/* Counters for tests, the demo and logs (monotonic). */
typedef struct engine_stats_t {
	uint64_t consumed;       /* messages taken from Kafka */
	uint64_t screened;       /* events screened by workers */
	uint64_t by_outcome[4];  /* pass review block error */
	uint64_t dead_letters;   /* DLQ messages produced */
	uint64_t delivered;      /* delivery reports OK (verdict + DLQ) */
	uint64_t delivery_failed;/* delivery reports failed (re-sent) */
	uint64_t commits;        /* offset commits (or transactions) */
	uint64_t commit_failed;
	uint64_t reloads;        /* successful list reloads */
	uint64_t reload_failed;
	uint64_t pauses, resumes;/* back-pressure actions */
	uint64_t rebalances;
	uint64_t assigned;       /* partitions currently assigned */
	uint64_t lat_p50_ns, lat_p99_ns, lat_p999_ns, lat_max_ns;
	uint64_t lat_count;
} engine_stats_t;

engine *engine_new(const config_t *cfg, log_t *log, char *err,
		   size_t errlen);
int engine_run(engine *e);
void engine_stop(engine *e);
void engine_free(engine *e);

/* Ask for a list reload (asynchronous).  0 or -errno. */
int engine_reload(engine *e);
void engine_get_stats(engine *e, engine_stats_t *out);
/* The live list version into buf. */
void engine_lists_version(engine *e, char *buf, size_t len);
/* The port of the HTTP endpoint, 0 when disabled. */
unsigned engine_http_port(engine *e);

/*
 * Shared by `serve` and `demo`: load path (may be NULL), then apply
 * "key=value" overrides, then validate.  0 or -EINVAL with err.
 */
int serve_load_config(config_t *cfg, const char *path, int argc,
		      char **argv, int need_kafka, char *err, size_t errlen);
/* A log to stderr at the config's log.level / log.format. */
log_t *serve_log_new(const config_t *cfg);

#endif
