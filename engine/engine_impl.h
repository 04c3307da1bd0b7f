/*
 * engine_impl.h - the engine's internals, shared by serve.c (lifecycle),
 * consumer.c (poll loop, rebalance, commit, back-pressure), worker.c
 * (screening threads), producer.c (verdicts, dead letters, delivery
 * reports, transactions) and reload.c (list versions through RCU).
 * Not a public header: use serve.h.
 *
 * Threads of one engine:
 *   consumer   engine_run()'s caller: polls the consumer, dispatches
 *              messages to workers, handles rebalances, commits.
 *   worker[i]  screens the partitions hashed to it, produces verdicts.
 *   producer   polls the producer for delivery reports, re-sends
 *              failed deliveries with backoff.
 *   reload     rebuilds the list db on request or file change.
 *   (+ librdkafka's, the journal's and the HTTP server's own threads)
 */
#ifndef INTERDICT_ENGINE_IMPL_H
#define INTERDICT_ENGINE_IMPL_H

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "config.h"
#include "db.h"
#include "http.h"
#include "journal.h"
#include "log.h"
#include "metrics.h"
#include "reload.h"
#include "serve.h"
#include "track.h"
#include "worker.h"

#define ENGINE_NAME_MAX 256

typedef struct engine_opts {
	char topic_in[ENGINE_NAME_MAX];
	char topic_out[ENGINE_NAME_MAX];
	char topic_dlq[ENGINE_NAME_MAX]; /* "" = no dead letters */
	char group[ENGINE_NAME_MAX];
	char transactional_id[ENGINE_NAME_MAX];
	unsigned workers;
	unsigned queue_max;       /* per worker, pause above */
	uint64_t event_max;       /* larger events are error events */
	unsigned inflight_max;    /* per partition (track ring) */
	int commit_interval_ms;
	int reload_poll_ms;
	int shutdown_timeout_ms;
	int exactly_once;
	int journal;
	char http_listen[128];
} engine_opts;

/* Monotonic counters behind engine_stats_t (any thread). */
typedef struct engine_counters {
	_Atomic uint64_t consumed, screened, by_outcome[4], dead_letters;
	_Atomic uint64_t delivered, delivery_failed, commits, commit_failed;
	_Atomic uint64_t reloads, reload_failed, pauses, resumes, rebalances;
	_Atomic uint64_t assigned;
} engine_counters;

/* Retry of a failed delivery (producer.c). */
typedef struct engine_retry engine_retry;

struct engine {
	engine_opts o;
	const config_t *cfg; /* borrowed, outlives the engine */
	log_t *log;          /* borrowed */
	metrics_t *metrics;

	rd_kafka_t *consumer;
	rd_kafka_t *producer;
	rd_kafka_topic_t *rkt_out, *rkt_dlq;

	worker_t **workers;
	track *track;
	journal_t *journal;
	reloader *reload;
	http_server *http;

	db *db_rcu;       /* current list version; RCU-published */
	_Atomic uint64_t db_gen; /* bumped (release) before each publish */
	pthread_mutex_t version_lock;
	char version[64]; /* copy of the live version, for any thread */

	pthread_t producer_tid;
	int producer_started;
	atomic_int producer_stop;
	pthread_mutex_t retry_lock;
	engine_retry *retries;   /* failed deliveries to re-send */
	_Atomic int n_retries;
	_Atomic int retry_backoff_ms;
	int64_t last_dr_log_ns;  /* producer thread: log rate limit */
	pthread_rwlock_t txn_lock; /* exactly-once: produce vs commit */

	atomic_int stop;
	atomic_int running;
	atomic_int ready;
	atomic_int fatal;
	int rebalanced;          /* consumer thread: saw a rebalance */
	atomic_int joined;       /* any thread: rebalanced at least once */
	atomic_int consumer_down;/* consumer: all brokers down (error_cb) */
	int consumer_closed;
	int n_assigned;          /* consumer thread */
	int32_t *assigned;       /* partitions, consumer thread */
	int n_paused;            /* consumer thread */
	int64_t next_commit_ns;
	uint64_t last_err_log_ns; /* consumer thread: log rate limit */

	engine_counters c;
};

uint64_t engine_now_ns(void);
uint64_t engine_durable_seq(engine *e);

/* kafka_conf.c: defaults + kafka.* (+ kafka.producer.* or
 * kafka.consumer.*), log and error callbacks, opaque = e. */
rd_kafka_conf_t *engine_kafka_conf(engine *e, int producer, char *err,
				   size_t errlen);

/* producer.c */
int producer_create(engine *e, char *err, size_t errlen);
int producer_start(engine *e, char *err, size_t errlen);
/* Flush, stop the poll thread, destroy. */
void producer_destroy(engine *e);
/*
 * Produce one message (worker thread).  Copies everything.  Never
 * blocks on Kafka except for back-pressure when the local producer
 * queue is full (waits in 1 ms steps, announcing RCU quiescence).
 * Returns 0 or -errno (after logging) for a non-retriable error.
 */
int producer_send(engine *e, rd_kafka_topic_t *rkt, const void *key,
		  size_t key_len, const void *val, size_t val_len,
		  rd_kafka_headers_t *hdrs, uint64_t token);
/* Exactly-once: commit the current transaction with the finished
 * offsets and begin the next (consumer thread).  0 or -errno. */
int producer_txn_commit(engine *e);

/* consumer.c */
int consumer_create(engine *e, char *err, size_t errlen);
/* The poll loop until e->stop, then the shutdown sequence. */
int consumer_run(engine *e);
void consumer_destroy(engine *e);

/* reload.c glue (serve.c): build a db from the config. */
db *engine_build_db(engine *e, char *err, size_t errlen);
/* Publish a new db (reload thread): swap, wait for readers, free. */
void engine_publish_db(engine *e, db *d);

#endif
