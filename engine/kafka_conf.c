/*
 * kafka_conf.c - librdkafka configuration of the engine's clients and
 * the callbacks both share (log, error).
 *
 * Layering, later wins: the engine's low-latency defaults, then every
 * `kafka.X` key of the config, then `kafka.producer.X` /
 * `kafka.consumer.X` for one client only.  Defaults:
 *   both      socket.nagle.disable=true, client.id=interdict
 *   producer  linger.ms=0, enable.idempotence=true (in-order retries),
 *             message.max.bytes=2 MiB (a dead letter carries an event
 *             up to EVENT_MAX_BYTES plus headers)
 *   consumer  fetch.wait.max.ms=5, fetch.min.bytes=1,
 *             enable.auto.commit=false, enable.auto.offset.store=false,
 *             partition.assignment.strategy=cooperative-sticky,
 *             isolation.level=read_committed, auto.offset.reset=earliest
 *
 * Errors from librdkafka (a bad kafka.* value) name where the key was
 * set (config_where()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_impl.h"

typedef struct conf_ctx {
	engine *e;
	rd_kafka_conf_t *conf;
	const char *role; /* "producer." / "consumer." */
	const char *other;
	int only_role;    /* pass: 0 generic keys, 1 role keys */
	char *err;
	size_t errlen;
} conf_ctx;

static int set_one(conf_ctx *c, const char *k, const char *v,
		   const char *cfgkey)
{
	char why[256], where[128];

	if (rd_kafka_conf_set(c->conf, k, v, why, sizeof(why)) ==
	    RD_KAFKA_CONF_OK)
		return 0;
	snprintf(c->err, c->errlen, "%s: kafka.%s: %s",
		 cfgkey ? config_where(c->e->cfg, cfgkey, where, sizeof(where))
			: "default",
		 k, why);
	return -EINVAL;
}

static int each_kafka(void *ctx, const char *suffix, const char *value)
{
	conf_ctx *c = ctx;
	char key[300];
	size_t rl = strlen(c->role);

	snprintf(key, sizeof(key), "kafka.%s", suffix);
	if (!strncmp(suffix, c->other, strlen(c->other)))
		return 0;
	if (!strncmp(suffix, c->role, rl)) {
		if (!c->only_role)
			return 0;
		return set_one(c, suffix + rl, value, key);
	}
	if (c->only_role)
		return 0;
	return set_one(c, suffix, value, key);
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac,
		   const char *buf)
{
	engine *e = rd_kafka_opaque(rk);
	log_level l = level <= 3 ? LOG_ERROR : level <= 4 ? LOG_WARN
			: level <= 6 ? LOG_INFO : LOG_DEBUG;

	log_printf(e->log, l, "kafka", "%s: %s: %s", rd_kafka_name(rk), fac,
		   buf);
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason,
		     void *opaque)
{
	engine *e = opaque;
	char fatal[512];

	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		rd_kafka_fatal_error(rk, fatal, sizeof(fatal));
		log_printf(e->log, LOG_ERROR, "kafka",
			   "%s: FATAL: %s; stopping the engine",
			   rd_kafka_name(rk), fatal);
		atomic_store(&e->fatal, 1);
		engine_stop(e);
		return;
	}
	if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER &&
	    err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		atomic_store(&e->consumer_down, 1);
	if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER)
		metrics_error_shared(e->metrics, METRICS_ERR_CONSUME);
	else
		metrics_error_shared(e->metrics, METRICS_ERR_PRODUCE);
	/* broker down / all brokers down / auth failures: librdkafka keeps
	 * reconnecting with backoff (reconnect.backoff.ms); we log it */
	log_printf(e->log,
		   err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ? LOG_ERROR
							      : LOG_WARN,
		   "kafka", "%s: %s: %s (retrying)", rd_kafka_name(rk),
		   rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static const char *const both_defaults[][2] = {
	{ "socket.nagle.disable", "true" },
	{ "client.id", "interdict" },
	{ "log.connection.close", "false" },
};
static const char *const producer_defaults[][2] = {
	{ "linger.ms", "0" },
	{ "enable.idempotence", "true" },
	{ "message.max.bytes", "2097152" },
};
static const char *const consumer_defaults[][2] = {
	{ "fetch.wait.max.ms", "5" },
	{ "fetch.min.bytes", "1" },
	{ "enable.auto.commit", "false" },
	{ "enable.auto.offset.store", "false" },
	{ "partition.assignment.strategy", "cooperative-sticky" },
	{ "isolation.level", "read_committed" },
	{ "auto.offset.reset", "earliest" },
	{ "enable.partition.eof", "false" },
};

static int set_table(conf_ctx *c, const char *const (*t)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set_one(c, t[i][0], t[i][1], NULL) < 0)
			return -EINVAL;
	return 0;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

rd_kafka_conf_t *engine_kafka_conf(engine *e, int producer, char *err,
				   size_t errlen)
{
	conf_ctx c = { e, rd_kafka_conf_new(), producer ? "producer." :
				"consumer.", producer ? "consumer." :
				"producer.", 0, err, errlen };

	if (!c.conf) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (set_table(&c, both_defaults, N(both_defaults)) < 0)
		goto fail;
	if (producer ? set_table(&c, producer_defaults, N(producer_defaults))
		     : set_table(&c, consumer_defaults, N(consumer_defaults)))
		goto fail;
	if (config_foreach_prefix(e->cfg, "kafka.", each_kafka, &c))
		goto fail;
	c.only_role = 1;
	if (config_foreach_prefix(e->cfg, "kafka.", each_kafka, &c))
		goto fail;
	rd_kafka_conf_set_opaque(c.conf, e);
	rd_kafka_conf_set_log_cb(c.conf, log_cb);
	rd_kafka_conf_set_error_cb(c.conf, error_cb);
	return c.conf;
fail:
	rd_kafka_conf_destroy(c.conf);
	return NULL;
}

#ifdef __SANITIZE_THREAD__
/*
 * ThreadSanitizer build only (make SAN=thread): librdkafka 2.0.2 runs
 * its threads through C11 <threads.h>, and glibc >= 2.34 implements
 * thrd_create/mtx_lock/cnd_wait without going through the pthread
 * entry points that libtsan intercepts.  A librdkafka thread is then
 * unknown to TSan and crashes in its first malloc.  These definitions
 * interpose the C11 calls (an executable's definition wins over
 * glibc's for librdkafka's references) and forward them to pthreads,
 * so TSan sees librdkafka's threads and locks.  Not compiled in
 * normal builds.
 */
#include <threads.h>

typedef struct c11_start {
	thrd_start_t fn;
	void *arg;
} c11_start;

static void *c11_trampoline(void *p)
{
	c11_start s = *(c11_start *)p;

	free(p);
	return (void *)(intptr_t)s.fn(s.arg);
}

int thrd_create(thrd_t *thr, thrd_start_t fn, void *arg)
{
	c11_start *s = malloc(sizeof(*s));

	if (!s)
		return thrd_nomem;
	s->fn = fn;
	s->arg = arg;
	if (pthread_create(thr, NULL, c11_trampoline, s)) {
		free(s);
		return thrd_error;
	}
	return thrd_success;
}

int thrd_join(thrd_t thr, int *res)
{
	void *r;

	if (pthread_join(thr, &r))
		return thrd_error;
	if (res)
		*res = (int)(intptr_t)r;
	return thrd_success;
}

int mtx_init(mtx_t *m, int type)
{
	pthread_mutexattr_t a;
	int rc;

	pthread_mutexattr_init(&a);
	if (type & mtx_recursive)
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	rc = pthread_mutex_init((pthread_mutex_t *)m, &a);
	pthread_mutexattr_destroy(&a);
	return rc ? thrd_error : thrd_success;
}

int mtx_lock(mtx_t *m)
{
	return pthread_mutex_lock((pthread_mutex_t *)m) ? thrd_error
							 : thrd_success;
}

int mtx_unlock(mtx_t *m)
{
	return pthread_mutex_unlock((pthread_mutex_t *)m) ? thrd_error
							   : thrd_success;
}

void mtx_destroy(mtx_t *m)
{
	pthread_mutex_destroy((pthread_mutex_t *)m);
}

int cnd_init(cnd_t *c)
{
	return pthread_cond_init((pthread_cond_t *)c, NULL) ? thrd_error
							     : thrd_success;
}

int cnd_signal(cnd_t *c)
{
	return pthread_cond_signal((pthread_cond_t *)c) ? thrd_error
							 : thrd_success;
}

int cnd_broadcast(cnd_t *c)
{
	return pthread_cond_broadcast((pthread_cond_t *)c) ? thrd_error
							    : thrd_success;
}

int cnd_wait(cnd_t *c, mtx_t *m)
{
	return pthread_cond_wait((pthread_cond_t *)c, (pthread_mutex_t *)m) ?
		       thrd_error :
		       thrd_success;
}

int cnd_timedwait(cnd_t *c, mtx_t *m, const struct timespec *ts)
{
	int rc = pthread_cond_timedwait((pthread_cond_t *)c,
					(pthread_mutex_t *)m, ts);

	return rc == ETIMEDOUT ? thrd_timedout : rc ? thrd_error
						    : thrd_success;
}

void cnd_destroy(cnd_t *c)
{
	pthread_cond_destroy((pthread_cond_t *)c);
}

/*
 * librdkafka itself is not instrumented: its reference counts and
 * queues synchronise through atomics TSan cannot see, so a report with
 * a librdkafka frame on either stack is not trustworthy.  Races
 * between our own threads (workers, reloader, consumer, producer poll
 * thread) are still reported.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
	return "race:librdkafka.so\n"
	       "mutex:librdkafka.so\n";
}
#endif
