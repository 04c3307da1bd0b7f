/*
 * serve.c - the engine's lifecycle (serve.h) and `interdict serve`.
 *
 * engine_new() reads the configuration into engine_opts, builds the
 * first list version synchronously (a list that cannot be loaded is a
 * startup error), opens the journal, creates the Kafka clients, the
 * workers, the reloader and the HTTP endpoint.  engine_run() starts
 * the producer poll thread and the workers, then runs the consumer
 * loop on the calling thread until engine_stop(); the shutdown order
 * is consumer (revoke: drain + commit) -> workers -> producer (flush,
 * delivery reports) -> journal (flush).  All state hangs off the
 * engine: nothing is global, so engines coexist in one process.
 *
 * List versions are published with urcu-qsbr: workers read the
 * pointer with rcu_dereference() and announce quiescent states between
 * events; the reloader swaps with rcu_xchg_pointer(), waits with
 * synchronize_rcu() and then frees the old version.  Two TSan-visible
 * atomics (db_gen, worker_qs_gen) mirror that ordering, because
 * ThreadSanitizer cannot see urcu's own barriers.
 *
 * cmd_serve: blocks SIGINT/SIGTERM/SIGHUP in every thread before any
 * is created and waits for them with sigtimedwait() on the main
 * thread, so signal handling needs no handler and no global at all.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu-qsbr.h>

#include "commands.h"
#include "engine_impl.h"

uint64_t engine_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t engine_durable_seq(engine *e)
{
	return e->journal ? journal_durable_seq(e->journal) : UINT64_MAX;
}

static void copy_opt(char *dst, size_t n, const config_t *cfg,
		     const char *key)
{
	const char *v = config_get(cfg, key);

	snprintf(dst, n, "%s", v ? v : "");
}

static void opts_load(engine *e)
{
	engine_opts *o = &e->o;
	const config_t *cfg = e->cfg;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	char host[64] = "localhost";

	copy_opt(o->topic_in, sizeof(o->topic_in), cfg, "topic.in");
	copy_opt(o->topic_out, sizeof(o->topic_out), cfg, "topic.out");
	copy_opt(o->topic_dlq, sizeof(o->topic_dlq), cfg, "topic.dlq");
	copy_opt(o->group, sizeof(o->group), cfg, "group.id");
	copy_opt(o->http_listen, sizeof(o->http_listen), cfg, "http.listen");
	o->workers = (unsigned)config_get_int(cfg, "workers");
	if (o->workers == 0)
		o->workers = cores > 0 ? (unsigned)cores : 1;
	o->queue_max = (unsigned)config_get_int(cfg, "queue.max");
	o->event_max = config_get_bytes(cfg, "event.max.bytes");
	/* events awaiting delivery per partition before it is paused */
	o->inflight_max = o->queue_max * 2 > 4096 ? o->queue_max * 2 : 4096;
	o->commit_interval_ms = (int)config_get_ms(cfg, "commit.interval.ms");
	o->reload_poll_ms = config_get_bool(cfg, "reload.watch") ?
				    (int)config_get_ms(cfg, "reload.poll.ms") :
				    0;
	o->shutdown_timeout_ms = (int)config_get_ms(cfg, "shutdown.timeout.ms");
	o->exactly_once = config_get_enum(cfg, "delivery") == 1;
	o->journal = config_get_bool(cfg, "journal.enabled");
	gethostname(host, sizeof(host) - 1);
	/* Stable across restarts (no pid): a restarted instance must fence
	 * and abort its predecessor's open transaction at once, or
	 * read_committed readers stall until transaction.timeout.ms.  Two
	 * instances on one host must set kafka.transactional.id each. */
	snprintf(o->transactional_id, sizeof(o->transactional_id),
		 "interdict-%.120s-%.60s", o->group, host);
}

/* ---- list versions ---- */

typedef struct spec_vec {
	char **v;
	size_t n;
} spec_vec;

static int spec_add(void *ctx, const char *item)
{
	spec_vec *s = ctx;
	char **nv = realloc(s->v, (s->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	s->v = nv;
	s->v[s->n] = strdup(item);
	if (!s->v[s->n])
		return -ENOMEM;
	s->n++;
	return 0;
}

static void spec_free(spec_vec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

db *engine_build_db(engine *e, char *err, size_t errlen)
{
	spec_vec s = { 0 };
	db_config dc;
	const char *rules = config_get(e->cfg, "rules");
	db *d = NULL;

	if (config_foreach_item(e->cfg, "lists", spec_add, &s) < 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (s.n == 0) {
		snprintf(err, errlen, "no lists configured (lists=...)");
		goto out;
	}
	memset(&dc, 0, sizeof(dc));
	dc.specs = (const char *const *)s.v;
	dc.n_specs = s.n;
	dc.rules_path = rules && *rules ? rules : NULL;
	dc.review_threshold = (float)config_get_double(e->cfg,
						       "threshold.review");
	dc.block_threshold = (float)config_get_double(e->cfg,
						      "threshold.block");
	dc.id_hit_decision = config_get_enum(e->cfg, "id.hit") == 1 ?
				     VERDICT_REVIEW :
				     VERDICT_BLOCK;
	d = db_build(&dc, err, errlen);
out:
	spec_free(&s);
	return d;
}

static void set_version(engine *e, const db *d)
{
	struct timespec now;

	pthread_mutex_lock(&e->version_lock);
	snprintf(e->version, sizeof(e->version), "%s", d->version);
	pthread_mutex_unlock(&e->version_lock);
	clock_gettime(CLOCK_REALTIME, &now);
	metrics_lists_set(e->metrics, d->version, atomic_load(&e->db_gen),
			  (double)now.tv_sec);
}

void engine_publish_db(engine *e, db *d)
{
	db *old;

	atomic_fetch_add_explicit(&e->db_gen, 1, memory_order_release);
	old = rcu_xchg_pointer(&e->db_rcu, d);
	synchronize_rcu();
	for (unsigned i = 0; i < e->o.workers; i++)
		(void)worker_qs_gen(e->workers[i]); /* TSan: acquire */
	set_version(e, d);
	log_printf(e->log, LOG_INFO, "reload", "lists version %s live (was %s)",
		   d->version, old ? old->version : "none");
	db_free(old);
}

static db *reload_build(void *ctx, char *err, size_t errlen)
{
	return engine_build_db(ctx, err, errlen);
}

static void reload_publish(void *ctx, db *d)
{
	engine_publish_db(ctx, d);
}

static void reload_result(void *ctx, int ok, const char *why)
{
	engine *e = ctx;

	(void)why;
	metrics_reload(e->metrics, ok);
	if (ok) {
		atomic_fetch_add(&e->c.reloads, 1);
	} else {
		atomic_fetch_add(&e->c.reload_failed, 1);
		metrics_error_shared(e->metrics, METRICS_ERR_RELOAD);
	}
}

/* The PATH part of "[ID=]FORMAT:PATH". */
static int watch_add(void *ctx, const char *item)
{
	const char *p = strchr(item, ':');

	return spec_add(ctx, p ? p + 1 : item);
}

static int reloader_setup(engine *e, char *err, size_t errlen)
{
	reloader_ops ops = { reload_build, reload_publish, reload_result, e };
	spec_vec w = { 0 };
	const char *rules = config_get(e->cfg, "rules");
	int rc = 0;

	if (config_foreach_item(e->cfg, "lists", watch_add, &w) < 0 ||
	    (rules && *rules && spec_add(&w, rules) < 0)) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	e->reload = reloader_new(&ops, (const char *const *)w.v, w.n,
				 e->o.reload_poll_ms, e->log, err, errlen);
	if (!e->reload)
		rc = -ENOMEM;
out:
	spec_free(&w);
	return rc;
}

/* ---- HTTP ---- */

static int http_metrics(void *ctx, FILE *out)
{
	return metrics_render(((engine *)ctx)->metrics, out);
}

static int http_healthy(void *ctx, char *why, size_t len)
{
	engine *e = ctx;

	if (atomic_load(&e->fatal)) {
		snprintf(why, len, "fatal Kafka error, stopping");
		return 0;
	}
	return 1;
}

static int http_ready(void *ctx, char *why, size_t len)
{
	engine *e = ctx;

	if (!atomic_load(&e->ready)) {
		snprintf(why, len, atomic_load(&e->stop) ? "stopping"
							 : "starting");
		return 0;
	}
	if (!atomic_load(&e->joined)) {
		snprintf(why, len, "not yet in consumer group %s%s",
			 e->o.group, atomic_load(&e->consumer_down) ?
				 " (all brokers down)" : "");
		return 0;
	}
	return 1;
}

static int http_reload(void *ctx, char *msg, size_t len)
{
	int rc = engine_reload(ctx);

	snprintf(msg, len, rc ? "reload unavailable" : "reload started");
	return rc;
}

static int http_setup(engine *e, char *err, size_t errlen)
{
	http_handlers h = { http_metrics, http_healthy, http_ready,
			    http_reload, e };

	if (!e->o.http_listen[0])
		return 0;
	e->http = http_start(e->o.http_listen, &h, e->log, err, errlen);
	return e->http ? 0 : -EINVAL;
}

/* ---- lifecycle ---- */

static int journal_setup(engine *e, char *err, size_t errlen)
{
	journal_opts jo;
	uint64_t cut = 0;

	if (!e->o.journal)
		return 0;
	journal_opts_default(&jo);
	jo.path = config_get(e->cfg, "journal.path");
	jo.max_bytes = config_get_bytes(e->cfg, "journal.max.bytes");
	jo.sync_interval_us =
		(uint32_t)config_get_us(e->cfg, "journal.sync.interval.us");
	jo.log = e->log;
	e->journal = journal_open(&jo, &cut, err, errlen);
	if (!e->journal)
		return -EIO;
	if (cut)
		log_printf(e->log, LOG_WARN, "journal",
			   "cut a torn tail of %" PRIu64 " bytes", cut);
	return 0;
}

static int workers_setup(engine *e, char *err, size_t errlen)
{
	e->workers = calloc(e->o.workers, sizeof(*e->workers));
	if (!e->workers) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (unsigned i = 0; i < e->o.workers; i++) {
		e->workers[i] = worker_new(e, i, e->o.queue_max + 1024, err,
					   errlen);
		if (!e->workers[i])
			return -ENOMEM;
	}
	return 0;
}

engine *engine_new(const config_t *cfg, log_t *log, char *err, size_t errlen)
{
	engine *e = calloc(1, sizeof(*e));
	db *d;

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->cfg = cfg;
	e->log = log;
	pthread_mutex_init(&e->version_lock, NULL);
	pthread_mutex_init(&e->retry_lock, NULL);
	pthread_rwlock_init(&e->txn_lock, NULL);
	opts_load(e);
	e->metrics = metrics_new(e->o.workers);
	e->track = track_new(e->o.inflight_max);
	if (!e->metrics || !e->track) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	d = engine_build_db(e, err, errlen);
	if (!d)
		goto fail;
	e->db_rcu = d;
	set_version(e, d);
	log_printf(log, LOG_INFO, "engine",
		   "lists version %s: %zu list(s), load %.0f ms, compile "
		   "%.0f ms, %zu MiB",
		   d->version, d->n_lists, d->load_ms, d->compile_ms,
		   d->memory >> 20);
	if (journal_setup(e, err, errlen) || producer_create(e, err, errlen) ||
	    consumer_create(e, err, errlen) || workers_setup(e, err, errlen) ||
	    reloader_setup(e, err, errlen) || http_setup(e, err, errlen))
		goto fail;
	return e;
fail:
	engine_free(e);
	return NULL;
}

static int start_threads(engine *e)
{
	char err[512];

	if (producer_start(e, err, sizeof(err)) < 0) {
		log_printf(e->log, LOG_ERROR, "engine", "%s", err);
		return -EIO;
	}
	for (unsigned i = 0; i < e->o.workers; i++)
		if (worker_start(e->workers[i]) < 0) {
			log_printf(e->log, LOG_ERROR, "engine",
				   "cannot start worker %u", i);
			return -EAGAIN;
		}
	return 0;
}

int engine_run(engine *e)
{
	int rc;

	if (atomic_exchange(&e->running, 1))
		return -EALREADY;
	rc = start_threads(e);
	if (rc == 0) {
		log_printf(e->log, LOG_INFO, "engine",
			   "consuming %s (group %s) -> %s, dead letters %s; %u "
			   "worker(s), %s",
			   e->o.topic_in, e->o.group, e->o.topic_out,
			   e->o.topic_dlq[0] ? e->o.topic_dlq : "(none)", e->o.workers,
			   e->o.exactly_once ? "exactly-once"
					     : "at-least-once");
		atomic_store(&e->ready, 1);
		metrics_gauge_set(e->metrics, METRICS_G_READY, 1);
		rc = consumer_run(e);
	}
	atomic_store(&e->ready, 0);
	metrics_gauge_set(e->metrics, METRICS_G_READY, 0);
	for (unsigned i = 0; i < e->o.workers; i++)
		worker_stop(e->workers[i]);
	producer_destroy(e);
	if (e->journal) {
		int jrc = journal_close(e->journal);

		e->journal = NULL;
		if (jrc)
			log_printf(e->log, LOG_ERROR, "journal",
				   "close: %s", strerror(-jrc));
	}
	log_printf(e->log, LOG_INFO, "engine", "stopped (%s)",
		   rc ? "error" : "clean");
	return rc;
}

void engine_stop(engine *e)
{
	atomic_store(&e->stop, 1);
	atomic_store(&e->ready, 0);
}

int engine_reload(engine *e)
{
	if (!e->reload)
		return -ENOTSUP;
	reloader_request(e->reload);
	return 0;
}

void engine_lists_version(engine *e, char *buf, size_t len)
{
	pthread_mutex_lock(&e->version_lock);
	snprintf(buf, len, "%s", e->version);
	pthread_mutex_unlock(&e->version_lock);
}

unsigned engine_http_port(engine *e)
{
	return e->http ? http_port(e->http) : 0;
}

void engine_get_stats(engine *e, engine_stats_t *s)
{
	hist_t *h = hist_new();

	memset(s, 0, sizeof(*s));
	s->consumed = atomic_load(&e->c.consumed);
	s->screened = atomic_load(&e->c.screened);
	for (int i = 0; i < 4; i++)
		s->by_outcome[i] = atomic_load(&e->c.by_outcome[i]);
	s->dead_letters = atomic_load(&e->c.dead_letters);
	s->delivered = atomic_load(&e->c.delivered);
	s->delivery_failed = atomic_load(&e->c.delivery_failed);
	s->commits = atomic_load(&e->c.commits);
	s->commit_failed = atomic_load(&e->c.commit_failed);
	s->reloads = atomic_load(&e->c.reloads);
	s->reload_failed = atomic_load(&e->c.reload_failed);
	s->pauses = atomic_load(&e->c.pauses);
	s->resumes = atomic_load(&e->c.resumes);
	s->rebalances = atomic_load(&e->c.rebalances);
	s->assigned = atomic_load(&e->c.assigned);
	if (h) {
		metrics_latency_merge(e->metrics, h);
		s->lat_count = hist_count(h);
		s->lat_p50_ns = hist_percentile(h, 0.5);
		s->lat_p99_ns = hist_percentile(h, 0.99);
		s->lat_p999_ns = hist_percentile(h, 0.999);
		s->lat_max_ns = hist_max(h);
		hist_free(h);
	}
}

void engine_free(engine *e)
{
	if (!e)
		return;
	reloader_free(e->reload);
	http_stop(e->http);
	for (unsigned i = 0; e->workers && i < e->o.workers; i++)
		worker_free(e->workers[i]);
	free(e->workers);
	consumer_destroy(e);
	producer_destroy(e);
	if (e->journal)
		journal_close(e->journal);
	track_free(e->track);
	db_free(e->db_rcu);
	metrics_free(e->metrics);
	pthread_mutex_destroy(&e->version_lock);
	pthread_mutex_destroy(&e->retry_lock);
	pthread_rwlock_destroy(&e->txn_lock);
	free(e);
}

/* ---- `interdict serve` ---- */

typedef struct run_arg {
	engine *e;
	int rc;
	atomic_int done;
} run_arg;

static void *run_thread(void *arg)
{
	run_arg *r = arg;

	r->rc = engine_run(r->e);
	atomic_store(&r->done, 1);
	return NULL;
}

/* Wait for signals until the engine thread ends. */
static void signal_loop(engine *e, run_arg *r, const sigset_t *set,
			log_t *log)
{
	struct timespec tick = { 0, 200 * 1000000L };

	while (!atomic_load(&r->done)) {
		int sig = sigtimedwait(set, NULL, &tick);

		if (sig == SIGHUP) {
			log_printf(log, LOG_INFO, "engine",
				   "SIGHUP: reloading lists");
			engine_reload(e);
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_printf(log, LOG_INFO, "engine",
				   "%s: stopping (finishing in-flight events)",
				   sig == SIGTERM ? "SIGTERM" : "SIGINT");
			engine_stop(e);
		}
	}
}

int serve_load_config(config_t *cfg, const char *path, int argc,
		      char **argv, int need_kafka, char *err, size_t errlen)
{
	if (path && config_load_file(cfg, path, err, errlen) < 0)
		return -EINVAL;
	for (int i = 0; i < argc; i++)
		if (config_set_arg(cfg, argv[i], err, errlen) < 0)
			return -EINVAL;
	return config_validate(cfg, need_kafka, err, errlen);
}

log_t *serve_log_new(const config_t *cfg)
{
	log_level lv = LOG_INFO;
	log_format fmt = LOG_FMT_TEXT;

	log_parse_level(config_get(cfg, "log.level"), &lv);
	log_parse_format(config_get(cfg, "log.format"), &fmt);
	return log_new(stderr, lv, fmt);
}

static int serve_usage(void)
{
	fprintf(stderr, "usage: interdict serve -c FILE [key=value]...\n"
			"       interdict serve --help-config\n");
	return 1;
}

int cmd_serve(int argc, char **argv)
{
	const char *path = NULL;
	char err[1024];
	config_t *cfg = NULL;
	log_t *log = NULL;
	engine *e = NULL;
	run_arg r = { 0 };
	sigset_t set;
	pthread_t tid;
	int rc = 1, opt;

	if (argc > 1 && !strcmp(argv[1], "--help-config")) {
		config_print_help(stdout);
		return 0;
	}
	while ((opt = getopt(argc, argv, "c:")) != -1) {
		if (opt != 'c')
			return serve_usage();
		path = optarg;
	}
	if (!path)
		return serve_usage();
	cfg = config_new();
	if (!cfg || serve_load_config(cfg, path, argc - optind, argv + optind,
				      1, err, sizeof(err)) < 0) {
		fprintf(stderr, "interdict serve: %s\n",
			cfg ? err : "out of memory");
		goto out;
	}
	log = serve_log_new(cfg);
	/* every thread (ours and librdkafka's) inherits this mask */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	e = engine_new(cfg, log, err, sizeof(err));
	if (!e) {
		log_printf(log, LOG_ERROR, "engine", "cannot start: %s", err);
		goto out;
	}
	r.e = e;
	if (pthread_create(&tid, NULL, run_thread, &r)) {
		log_printf(log, LOG_ERROR, "engine", "cannot start thread");
		goto out;
	}
	signal_loop(e, &r, &set, log);
	pthread_join(tid, NULL);
	rc = r.rc ? 1 : 0;
out:
	engine_free(e);
	log_free(log);
	config_free(cfg);
	return rc;
}
