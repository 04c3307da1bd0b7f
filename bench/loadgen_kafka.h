/*
 * loadgen_kafka.h - header-only: the closed loop of interdict-loadgen.
 *
 * Three threads share one lg_run:
 *   producer  generates event n, notes its send time and plant in the
 *             slot table (chunks of 2^20 slots, allocated on demand, so
 *             a long --duration run needs no up-front bound), produces
 *             it keyed by event id, paced to --rate (token schedule:
 *             event n is due at n/rate s) or as fast as librdkafka
 *             takes it;
 *   consumer  reads the verdict topic from the end (real broker) or the
 *             start (fresh mock topics), joins each verdict to its
 *             slot by id, records produce->receipt latency in a hist.h
 *             histogram, counts duplicates, unknown ids, outcomes and
 *             recall, and closes one timeline row per second
 *             (received, p50/p90/p99/p99.9/max of that second);
 *   main      prints progress, samples the sent counter per second,
 *             decides when to stop waiting for verdicts.
 * Before measuring, probe events (id PREFIXprobe-K) are sent until one
 * comes back, so consumer-group joins do not count as latency.
 * Nothing is global: everything lives in lg_run.
 */
#ifndef INTERDICT_LOADGEN_KAFKA_H
#define INTERDICT_LOADGEN_KAFKA_H

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "hist.h"
#include "loadgen_event.h"

#define LG_CHUNK_BITS 20
#define LG_MAX_CHUNKS 4096
#define LG_MAX_PROPS 32

typedef struct lg_slot {
	_Atomic uint64_t sent_ns;
	uint8_t kind, expect, seen, outcome;
} lg_slot;

typedef struct lg_sec {
	uint64_t sent, recv;
	uint64_t p50, p90, p99, p999, max; /* ns, of verdicts that second */
} lg_sec;

typedef struct lg_run {
	const lg_gen *g;
	char brokers[512], topic_in[256], topic_out[256];
	int partitions, from_start;
	double rate, duration;
	uint64_t count;
	uint64_t warmup_ns;     /* events sent earlier: no latency record */
	const char *props[LG_MAX_PROPS]; /* "key=value" for our clients */
	size_t n_props;
	_Atomic(lg_slot *) chunk[LG_MAX_CHUNKS];
	_Atomic uint64_t produced, delivery_failed, received, unique, dups,
		unknown, probes_back, by_outcome[VERDICT__COUNT + 1];
	_Atomic uint64_t planted[LG__KINDS], found[LG__KINDS],
		met[LG__KINDS], false_pos;
	_Atomic int gen_done, stop_gen, stop_read, reader_ready, failed;
	_Atomic uint64_t t0_ns, gen_end_ns, last_recv_ns;
	hist_t *lat, *ivl;
	uint64_t ivl_sec, ivl_recv;
	pthread_mutex_t tl_lock;
	lg_sec *tl;
	size_t n_tl, cap_tl;
} lg_run;

static inline uint64_t lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline lg_slot *lg_slot_get(lg_run *run, uint64_t n, int create)
{
	uint64_t c = n >> LG_CHUNK_BITS;
	lg_slot *s;

	if (c >= LG_MAX_CHUNKS)
		return NULL;
	s = atomic_load_explicit(&run->chunk[c], memory_order_acquire);
	if (!s && create) {
		s = calloc((size_t)1 << LG_CHUNK_BITS, sizeof(*s));
		atomic_store_explicit(&run->chunk[c], s, memory_order_release);
	}
	return s ? &s[n & ((1u << LG_CHUNK_BITS) - 1)] : NULL;
}

/* Timeline row of second sec (grown as needed); call under tl_lock. */
static inline lg_sec *lg_sec_at(lg_run *run, size_t sec)
{
	if (sec >= run->cap_tl) {
		size_t nc = (sec + 64) * 2;
		lg_sec *nt = realloc(run->tl, nc * sizeof(*nt));

		if (!nt)
			return NULL;
		memset(nt + run->cap_tl, 0, (nc - run->cap_tl) * sizeof(*nt));
		run->tl = nt;
		run->cap_tl = nc;
	}
	if (sec + 1 > run->n_tl)
		run->n_tl = sec + 1;
	return &run->tl[sec];
}

/* ---- clients ---- */

static inline void lg_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m,
			    void *opaque)
{
	lg_run *run = opaque;

	(void)rk;
	if (m->err)
		atomic_fetch_add(&run->delivery_failed, 1);
}

static inline int lg_conf(rd_kafka_conf_t *c, const char *k, const char *v)
{
	char err[256];

	if (rd_kafka_conf_set(c, k, v, err, sizeof(err)) != RD_KAFKA_CONF_OK) {
		fprintf(stderr, "interdict-loadgen: %s=%s: %s\n", k, v, err);
		return -EINVAL;
	}
	return 0;
}

/* Producer or consumer with low-latency defaults, then -X overrides. */
static inline rd_kafka_t *lg_client(lg_run *run, rd_kafka_type_t type)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[512], kv[512];
	int rc = lg_conf(c, "bootstrap.servers", run->brokers);

	rc |= lg_conf(c, "socket.nagle.disable", "true");
	rc |= lg_conf(c, "log_level", "3");
	if (type == RD_KAFKA_PRODUCER) {
		rc |= lg_conf(c, "linger.ms", "1");
		rc |= lg_conf(c, "queue.buffering.max.messages", "1000000");
		rd_kafka_conf_set_dr_msg_cb(c, lg_dr_cb);
	} else {
		rc |= lg_conf(c, "group.id", "interdict-loadgen");
		rc |= lg_conf(c, "enable.auto.commit", "false");
		rc |= lg_conf(c, "fetch.wait.max.ms", "5");
		rc |= lg_conf(c, "enable.partition.eof", "false");
	}
	for (size_t i = 0; i < run->n_props && rc == 0; i++) {
		char *eq;

		snprintf(kv, sizeof(kv), "%s", run->props[i]);
		eq = strchr(kv, '=');
		if (!eq) {
			fprintf(stderr, "interdict-loadgen: -X %s: want key=value\n", kv);
			rc = -EINVAL;
			break;
		}
		*eq = '\0';
		rc = lg_conf(c, kv, eq + 1);
	}
	if (rc) {
		rd_kafka_conf_destroy(c);
		return NULL;
	}
	rd_kafka_conf_set_opaque(c, run);
	rd_kafka_t *rk = rd_kafka_new(type, c, err, sizeof(err));

	if (!rk)
		fprintf(stderr, "interdict-loadgen: %s\n", err);
	return rk;
}

/* Create topic with partitions unless it exists (admin API). */
static inline int lg_create_topic(rd_kafka_t *rk, const char *topic,
				  int partitions)
{
	char err[256];
	rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(topic, partitions, -1,
							 err, sizeof(err));
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_event_t *ev;
	int rc = 0;

	if (!nt) {
		fprintf(stderr, "interdict-loadgen: %s: %s\n", topic, err);
		rd_kafka_queue_destroy(q);
		return -EINVAL;
	}
	rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
	ev = rd_kafka_queue_poll(q, 15000);
	if (!ev) {
		rc = -ETIMEDOUT;
	} else {
		const rd_kafka_CreateTopics_result_t *res =
			rd_kafka_event_CreateTopics_result(ev);
		size_t n = 0;
		const rd_kafka_topic_result_t **tr =
			res ? rd_kafka_CreateTopics_result_topics(res, &n) : NULL;
		rd_kafka_resp_err_t e = n ? rd_kafka_topic_result_error(tr[0])
					  : rd_kafka_event_error(ev);

		if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
			fprintf(stderr, "interdict-loadgen: create %s: %s\n",
				topic, rd_kafka_err2str(e));
			rc = -EIO;
		}
		rd_kafka_event_destroy(ev);
	}
	rd_kafka_NewTopic_destroy(nt);
	rd_kafka_queue_destroy(q);
	return rc;
}

/* ---- producer ---- */

static inline int lg_produce(rd_kafka_t *rk, const char *topic,
			     const char *key, const char *val, size_t len)
{
	rd_kafka_resp_err_t err;

	for (;;) {
		err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic),
					RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
					RD_KAFKA_V_KEY(key, strlen(key)),
					RD_KAFKA_V_VALUE((void *)val, len),
					RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		rd_kafka_poll(rk, 1);
	}
	return err ? -EIO : 0;
}

/* Sleep until event n is due; 1 when the run is over. */
static inline int lg_pace(lg_run *run, rd_kafka_t *rk, uint64_t n)
{
	for (;;) {
		uint64_t el = lg_now_ns() - run->t0_ns;

		if (atomic_load(&run->stop_gen) || (run->count && n >= run->count) ||
		    (run->duration > 0 && el >= run->duration * 1e9))
			return 1;
		if (run->rate <= 0 || (double)n <= el * 1e-9 * run->rate)
			return 0;
		rd_kafka_poll(rk, 0);
		usleep(200);
	}
}

static inline void *lg_producer(void *arg)
{
	lg_run *run = arg;
	rd_kafka_t *rk = lg_client(run, RD_KAFKA_PRODUCER);
	lg_buf b = { 0 };
	lg_plant pl;
	char key[80];

	if (!rk) {
		atomic_store(&run->failed, 1);
		goto out;
	}
	for (uint64_t n = 0; !lg_pace(run, rk, n); n++) {
		lg_slot *s = lg_slot_get(run, n, 1);

		if (!s || lg_event(run->g, n, &b, &pl) < 0) {
			atomic_store(&run->failed, 1);
			break;
		}
		s->kind = pl.kind;
		s->expect = pl.expect;
		if (pl.kind)
			atomic_fetch_add(&run->planted[pl.kind], 1);
		snprintf(key, sizeof(key), "%s%llu", run->g->prefix,
			 (unsigned long long)n);
		atomic_store_explicit(&s->sent_ns, lg_now_ns(), memory_order_release);
		/* count it before sending: its verdict may come back before
		 * producev() returns */
		atomic_store_explicit(&run->produced, n + 1, memory_order_release);
		if (lg_produce(rk, run->topic_in, key, b.p, b.len) < 0)
			atomic_fetch_add(&run->delivery_failed, 1);
		if ((n & 255) == 0)
			rd_kafka_poll(rk, 0);
	}
	atomic_store(&run->gen_end_ns, lg_now_ns());
	rd_kafka_flush(rk, 30000);
	rd_kafka_destroy(rk);
out:
	lg_buf_free(&b);
	atomic_store(&run->gen_done, 1);
	return NULL;
}

/* Send probe events until one comes back (or timeout_s). 0 / -ETIMEDOUT. */
static inline int lg_probe(lg_run *run, int timeout_s)
{
	rd_kafka_t *rk = lg_client(run, RD_KAFKA_PRODUCER);
	char id[96], ev[256];
	int rc = -ETIMEDOUT;

	if (!rk)
		return -EINVAL;
	for (int k = 0; k < timeout_s * 5; k++) {
		snprintf(id, sizeof(id), "%sprobe-%d", run->g->prefix, k);
		snprintf(ev, sizeof(ev), "{\"id\":\"%s\",\"type\":\"payment\","
			 "\"parties\":[{\"role\":\"debtor\",\"name\":\"Probe Test\"}]}",
			 id);
		lg_produce(rk, run->topic_in, id, ev, strlen(ev));
		rd_kafka_flush(rk, 1000);
		usleep(200000);
		if (atomic_load(&run->probes_back)) {
			rc = 0;
			break;
		}
	}
	rd_kafka_destroy(rk);
	return rc;
}

/* ---- consumer ---- */

static inline int lg_outcome(const char *json, size_t len)
{
	static const char *const names[] = { "\"verdict\":\"pass\"",
		"\"verdict\":\"review\"", "\"verdict\":\"block\"",
		"\"verdict\":\"error\"" };

	for (int i = 0; i < 4; i++)
		if (memmem(json, len, names[i], strlen(names[i])))
			return i;
	return VERDICT__COUNT; /* no verdict field (the relay) */
}

/* Event number from "id":"PREFIX<n>"; -1 unknown, -2 probe. */
static inline int64_t lg_event_no(const lg_run *run, const char *p, size_t len)
{
	const char *id = memmem(p, len < 256 ? len : 256, "\"id\":\"", 6);
	size_t pl = strlen(run->g->prefix);

	if (!id || (size_t)(p + len - (id + 6)) < pl + 1 ||
	    memcmp(id + 6, run->g->prefix, pl))
		return -1;
	id += 6 + pl;
	if (!strncmp(id, "probe-", 6))
		return -2;
	if (*id < '0' || *id > '9')
		return -1;
	return strtoll(id, NULL, 10);
}

/* Close the per-second latency interval when the second changed. */
static inline void lg_roll(lg_run *run, uint64_t now)
{
	uint64_t sec = (now - run->t0_ns) / 1000000000u;

	if (sec == run->ivl_sec)
		return;
	if (run->ivl_recv) {
		pthread_mutex_lock(&run->tl_lock);
		lg_sec *r = lg_sec_at(run, run->ivl_sec);

		if (r) {
			r->recv = run->ivl_recv;
			r->p50 = hist_percentile(run->ivl, 0.5);
			r->p90 = hist_percentile(run->ivl, 0.9);
			r->p99 = hist_percentile(run->ivl, 0.99);
			r->p999 = hist_percentile(run->ivl, 0.999);
			r->max = hist_max(run->ivl);
		}
		pthread_mutex_unlock(&run->tl_lock);
		hist_reset(run->ivl);
		run->ivl_recv = 0;
	}
	run->ivl_sec = sec;
}

static inline void lg_on_verdict(lg_run *run, const rd_kafka_message_t *m)
{
	int64_t n = lg_event_no(run, m->payload, m->len);
	int o = lg_outcome(m->payload, m->len);
	uint64_t now = lg_now_ns();
	lg_slot *s;

	atomic_fetch_add(&run->received, 1);
	if (n == -2) {
		atomic_fetch_add(&run->probes_back, 1);
		return;
	}
	s = n >= 0 && (uint64_t)n < atomic_load_explicit(&run->produced,
							  memory_order_acquire)
		    ? lg_slot_get(run, (uint64_t)n, 0) : NULL;
	if (!s) {
		atomic_fetch_add(&run->unknown, 1);
		return;
	}
	if (s->seen++) {
		atomic_fetch_add(&run->dups, 1);
		return;
	}
	s->outcome = (uint8_t)o;
	atomic_store(&run->last_recv_ns, now);
	atomic_fetch_add(&run->unique, 1);
	atomic_fetch_add(&run->by_outcome[o], 1);
	lg_roll(run, now);
	run->ivl_recv++;
	uint64_t sent = atomic_load_explicit(&s->sent_ns, memory_order_acquire);

	if (sent - run->t0_ns >= run->warmup_ns) {
		hist_record(run->lat, now - sent);
		hist_record(run->ivl, now - sent);
	}
	if (s->kind) {
		if (o == VERDICT_REVIEW || o == VERDICT_BLOCK)
			atomic_fetch_add(&run->found[s->kind], 1);
		if (o >= s->expect && o <= VERDICT_BLOCK)
			atomic_fetch_add(&run->met[s->kind], 1);
	} else if (o == VERDICT_REVIEW || o == VERDICT_BLOCK) {
		atomic_fetch_add(&run->false_pos, 1);
	}
}

/* Assign every partition of the verdict topic at its end (or start). */
static inline int lg_assign(lg_run *run, rd_kafka_t *rk)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *t = rd_kafka_topic_new(rk, run->topic_out, NULL);
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(64);
	rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;

	for (int tries = 0; tries < 50 && err; tries++) {
		err = rd_kafka_metadata(rk, 0, t, &md, 5000);
		if (!err && (md->topic_cnt != 1 || md->topics[0].err ||
			     md->topics[0].partition_cnt == 0)) {
			err = RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
			rd_kafka_metadata_destroy(md);
			usleep(200000);
		}
	}
	for (int p = 0; !err && p < md->topics[0].partition_cnt; p++) {
		int64_t lo = 0, hi = 0;

		if (!run->from_start)
			rd_kafka_query_watermark_offsets(rk, run->topic_out, p, &lo,
							 &hi, 5000);
		rd_kafka_topic_partition_list_add(l, run->topic_out, p)->offset =
			run->from_start ? RD_KAFKA_OFFSET_BEGINNING : hi;
	}
	if (!err) {
		rd_kafka_metadata_destroy(md);
		err = rd_kafka_assign(rk, l);
	}
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_topic_destroy(t);
	if (err)
		fprintf(stderr, "interdict-loadgen: cannot read %s: %s\n",
			run->topic_out, rd_kafka_err2str(err));
	return err ? -EIO : 0;
}

static inline void *lg_consumer(void *arg)
{
	lg_run *run = arg;
	rd_kafka_t *rk = lg_client(run, RD_KAFKA_CONSUMER);

	if (!rk || lg_assign(run, rk) < 0) {
		atomic_store(&run->failed, 1);
		atomic_store(&run->reader_ready, 1);
		if (rk)
			rd_kafka_destroy(rk);
		return NULL;
	}
	atomic_store(&run->reader_ready, 1);
	while (!atomic_load(&run->stop_read)) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 100);

		if (!m) {
			if (run->t0_ns)
				lg_roll(run, lg_now_ns());
			continue;
		}
		if (!m->err)
			lg_on_verdict(run, m);
		rd_kafka_message_destroy(m);
	}
	lg_roll(run, lg_now_ns() + 2000000000u); /* close the last second */
	rd_kafka_consumer_close(rk);
	rd_kafka_destroy(rk);
	return NULL;
}

/* ---- in-process mock cluster ---- */

typedef struct lg_mock {
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
} lg_mock;

static inline int lg_mock_start(lg_mock *m, lg_run *run, const char *dlq)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[256];

	lg_conf(c, "log_level", "3");
	m->rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
	if (!m->rk) {
		fprintf(stderr, "interdict-loadgen: %s\n", err);
		return -EINVAL;
	}
	m->mc = rd_kafka_mock_cluster_new(m->rk, 1);
	if (!m->mc)
		return -EINVAL;
	rd_kafka_mock_topic_create(m->mc, run->topic_in, run->partitions, 1);
	rd_kafka_mock_topic_create(m->mc, run->topic_out, run->partitions, 1);
	if (dlq && *dlq)
		rd_kafka_mock_topic_create(m->mc, dlq, 1, 1);
	snprintf(run->brokers, sizeof(run->brokers), "%s",
		 rd_kafka_mock_cluster_bootstraps(m->mc));
	run->from_start = 1;
	return 0;
}

static inline void lg_mock_stop(lg_mock *m)
{
	if (m->mc)
		rd_kafka_mock_cluster_destroy(m->mc);
	if (m->rk)
		rd_kafka_destroy(m->rk);
	memset(m, 0, sizeof(*m));
}

#endif
