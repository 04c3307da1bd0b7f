/*
 * consumer.c - the engine's consumer thread: poll, dispatch to
 * workers, back-pressure, rebalances, offset commits, graceful stop.
 *
 * Dispatch: a message of partition P goes to worker
 * worker_of_partition(P) after its offset got a slot in P's tracker
 * (track.h); the thread never waits for screening.  Back-pressure:
 * when a worker's queue reaches queue.max, every partition of that
 * worker is paused; when a partition's tracker is nearly full (too
 * many events awaiting delivery), that partition is paused.  Both are
 * resumed once under half.  librdkafka discards what it prefetched
 * for a paused partition (version barrier) and resumes from the
 * application position, so nothing is skipped.
 *
 * librdkafka 2.0.2 (Debian 12) known issues worked around here:
 *   - #4686 (fixed 2.4.0): resuming a partition that is not paused
 *     can rewind its fetch position (duplicates).  We keep our own
 *     paused flag and only ever resume partitions we paused.
 *   - #4208 (fixed 2.1.0): the batch consume APIs misbehave around
 *     pause/resume.  We use rd_kafka_consumer_poll() only.
 *   - #3306/#3337: with cooperative-sticky, commits during a rebalance
 *     can fail with ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS.  We
 *     commit the revoked partitions synchronously in the revoke
 *     callback BEFORE incremental_unassign(), and treat a failed
 *     commit as a warning (at-least-once: the next owner re-screens).
 *   - cooperative protocol: assignment changes MUST use
 *     rd_kafka_incremental_assign/_unassign (rd_kafka_assign() fails
 *     with __STATE); rd_kafka_rebalance_protocol() picks the API, so
 *     an eager assignor configured by the user still works.
 *   - #4312 (fixed 2.2.x): closing a cooperative-sticky consumer
 *     before its first rebalance completed can crash in the sticky
 *     assignor (assignor_state NULL).  At stop we first wait (bounded)
 *     for the first rebalance.
 *   - #4527 (fixed 2.4.0): close hangs when an incremental assignment
 *     arrives while closing.  At stop we rd_kafka_unsubscribe(), keep
 *     polling until the assignment is empty, and only then close.
 *   - #4176 (fixed 2.1.0): max.poll.interval.ms was reset by polling
 *     any queue; irrelevant here (one poll loop, always polling).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_impl.h"

#define LOG_EVERY_NS 5000000000ull

static rd_kafka_topic_partition_list_t *one_partition(engine *e, int32_t p)
{
	rd_kafka_topic_partition_list_t *l =
		rd_kafka_topic_partition_list_new(1);

	rd_kafka_topic_partition_list_add(l, e->o.topic_in, p);
	return l;
}

static void set_paused(engine *e, track_part *p, int pause)
{
	rd_kafka_topic_partition_list_t *l;

	if (p->paused == pause)
		return;
	l = one_partition(e, p->partition);
	if (pause)
		rd_kafka_pause_partitions(e->consumer, l);
	else
		rd_kafka_resume_partitions(e->consumer, l);
	rd_kafka_topic_partition_list_destroy(l);
	p->paused = pause;
	e->n_paused += pause ? 1 : -1;
	atomic_fetch_add(pause ? &e->c.pauses : &e->c.resumes, 1);
	metrics_gauge_set(e->metrics, METRICS_G_PAUSED_PARTITIONS, e->n_paused);
}

static void pause_worker(engine *e, unsigned w)
{
	for (int i = 0; i < e->n_assigned; i++) {
		track_part *p = track_peek(e->track, e->assigned[i]);

		if (p && p->worker == w)
			set_paused(e, p, 1);
	}
}

static void maybe_resume(engine *e)
{
	uint64_t durable = engine_durable_seq(e);

	for (int i = 0; i < e->n_assigned && e->n_paused; i++) {
		track_part *p = track_peek(e->track, e->assigned[i]);

		if (!p || !p->paused)
			continue;
		track_advance(p, durable);
		if (worker_queue_len(e->workers[p->worker]) <=
			    e->o.queue_max / 2 &&
		    track_used(p) <= p->cap / 2)
			set_paused(e, p, 0);
	}
}

static void consume_error(engine *e, rd_kafka_message_t *m)
{
	uint64_t now = engine_now_ns();

	if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
		return;
	metrics_error_shared(e->metrics, METRICS_ERR_CONSUME);
	/* e.g. UNKNOWN_TOPIC_OR_PART (topic missing), TOPIC_AUTHORIZATION_
	 * FAILED, transport errors: librdkafka retries by itself (metadata
	 * refresh, reconnect backoff); we log at most every 5 s */
	if (now - e->last_err_log_ns < LOG_EVERY_NS)
		return;
	e->last_err_log_ns = now;
	log_printf(e->log, LOG_WARN, "consumer", "%s: %s (%s); retrying",
		   m->rkt ? rd_kafka_topic_name(m->rkt) : e->o.topic_in,
		   rd_kafka_message_errstr(m), rd_kafka_err2name(m->err));
}

/* Cannot take the message now: rewind to it and pause its partition. */
static void push_back(engine *e, track_part *p, rd_kafka_message_t *m)
{
	rd_kafka_topic_partition_list_t *l = one_partition(e, m->partition);
	rd_kafka_error_t *error;

	l->elems[0].offset = m->offset;
	set_paused(e, p, 1);
	error = rd_kafka_seek_partitions(e->consumer, l, 1000);
	if (error)
		rd_kafka_error_destroy(error);
	rd_kafka_topic_partition_list_destroy(l);
	rd_kafka_message_destroy(m);
}

static void dispatch(engine *e, rd_kafka_message_t *m)
{
	track_part *p = track_peek(e->track, m->partition);
	worker_t *w;
	uint64_t token;

	if (!p || !p->assigned) {
		rd_kafka_message_destroy(m); /* not ours (any more) */
		return;
	}
	w = e->workers[p->worker];
	if (track_used(p) >= p->cap - 1)
		track_advance(p, engine_durable_seq(e));
	if (track_used(p) >= p->cap ||
	    worker_queue_len(w) >= e->o.queue_max + 1024u) {
		push_back(e, p, m);
		return;
	}
	token = track_push(p, m->offset);
	if (worker_push(w, m, token) < 0) {
		/* unreachable: the ring holds queue.max + 1024 */
		p->tail--;
		push_back(e, p, m);
		return;
	}
	atomic_fetch_add(&e->c.consumed, 1);
	if (worker_queue_len(w) >= e->o.queue_max)
		pause_worker(e, p->worker);
	if (track_used(p) >= p->cap - 1)
		set_paused(e, p, 1);
}

static void commit_offsets(engine *e, int sync)
{
	rd_kafka_topic_partition_list_t *l;
	uint64_t durable = engine_durable_seq(e);
	int64_t inflight = 0;
	rd_kafka_resp_err_t err;

	if (e->o.exactly_once) {
		producer_txn_commit(e);
		return;
	}
	l = rd_kafka_topic_partition_list_new(e->n_assigned + 1);
	for (int i = 0; i < e->n_assigned; i++) {
		track_part *p = track_peek(e->track, e->assigned[i]);
		int64_t next = p ? track_advance(p, durable) : -1, lo, hi;

		if (!p)
			continue;
		inflight += track_used(p);
		if (rd_kafka_get_watermark_offsets(e->consumer, e->o.topic_in,
						   p->partition, &lo, &hi) ==
			    RD_KAFKA_RESP_ERR_NO_ERROR &&
		    hi >= 0 && next >= 0)
			metrics_lag_set(e->metrics, p->partition, hi - next);
		if (next < 0 || next == p->committed)
			continue;
		rd_kafka_topic_partition_list_add(l, e->o.topic_in,
						  p->partition)
			->offset = next;
		p->committed = next;
	}
	metrics_gauge_set(e->metrics, METRICS_G_INFLIGHT, inflight);
	if (l->cnt) {
		err = rd_kafka_commit(e->consumer, l, !sync);
		if (sync && err) {
			atomic_fetch_add(&e->c.commit_failed, 1);
			log_printf(e->log, LOG_WARN, "consumer",
				   "commit failed: %s (those events will be "
				   "re-screened by the next owner)",
				   rd_kafka_err2str(err));
		} else if (sync) {
			atomic_fetch_add(&e->c.commits, 1);
		}
	}
	rd_kafka_topic_partition_list_destroy(l);
}

static void commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
		      rd_kafka_topic_partition_list_t *offs, void *opaque)
{
	engine *e = opaque;

	(void)rk;
	if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
		return;
	if (!err) {
		atomic_fetch_add(&e->c.commits, 1);
		return;
	}
	atomic_fetch_add(&e->c.commit_failed, 1);
	metrics_error_shared(e->metrics, METRICS_ERR_CONSUME);
	log_printf(e->log, LOG_WARN, "consumer",
		   "offset commit failed: %s; retrying next interval",
		   rd_kafka_err2str(err));
	for (int i = 0; offs && i < offs->cnt; i++) {
		track_part *p = track_peek(e->track, offs->elems[i].partition);

		if (p && p->assigned && offs->elems[i].err)
			p->committed = -1; /* re-commit next time */
	}
}

static void on_assign(engine *e, rd_kafka_topic_partition_list_t *parts)
{
	for (int i = 0; i < parts->cnt; i++) {
		track_part *p = track_get(e->track, parts->elems[i].partition);

		if (!p || p->assigned)
			continue;
		track_reset(p);
		p->assigned = 1;
		p->paused = 0;
		p->worker = worker_of_partition(p->partition, e->o.workers);
		e->assigned[e->n_assigned++] = p->partition;
	}
	atomic_store(&e->c.assigned, (uint64_t)e->n_assigned);
	log_printf(e->log, LOG_INFO, "consumer",
		   "assigned %d partition(s), now %d", parts->cnt,
		   e->n_assigned);
}

/* Wait until every slot of the revoked partitions is finished. */
static void drain(engine *e, rd_kafka_topic_partition_list_t *parts)
{
	uint64_t end = engine_now_ns() +
		       (uint64_t)e->o.shutdown_timeout_ms * 1000000u;

	for (;;) {
		uint64_t durable = engine_durable_seq(e);
		int busy = 0;

		for (int i = 0; i < parts->cnt; i++) {
			track_part *p = track_peek(e->track,
						   parts->elems[i].partition);

			if (p && p->assigned) {
				track_advance(p, durable);
				busy += track_used(p) > 0;
			}
		}
		if (!busy)
			return;
		if (engine_now_ns() > end) {
			log_printf(e->log, LOG_WARN, "consumer",
				   "revoke: %d partition(s) still have events "
				   "awaiting delivery after %d ms; committing "
				   "what is finished",
				   busy, e->o.shutdown_timeout_ms);
			return;
		}
		usleep(500);
	}
}

static void forget(engine *e, int32_t partition)
{
	for (int i = 0; i < e->n_assigned; i++)
		if (e->assigned[i] == partition) {
			e->assigned[i] = e->assigned[--e->n_assigned];
			break;
		}
	metrics_lag_set(e->metrics, partition, -1);
}

static void on_revoke(engine *e, rd_kafka_topic_partition_list_t *parts,
		      int lost)
{
	if (!lost) {
		drain(e, parts);
		commit_offsets(e, 1);
	}
	for (int i = 0; i < parts->cnt; i++) {
		track_part *p = track_peek(e->track, parts->elems[i].partition);

		if (!p || !p->assigned)
			continue;
		set_paused(e, p, 0); /* only if we paused it: #4686 */
		p->assigned = 0;
		forget(e, p->partition);
	}
	atomic_store(&e->c.assigned, (uint64_t)e->n_assigned);
	log_printf(e->log, LOG_INFO, "consumer",
		   "%s %d partition(s), now %d", lost ? "lost" : "revoked",
		   parts->cnt, e->n_assigned);
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	engine *e = opaque;
	int coop = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
	rd_kafka_error_t *error = NULL;
	rd_kafka_resp_err_t rerr = RD_KAFKA_RESP_ERR_NO_ERROR;

	e->rebalanced = 1;
	atomic_store(&e->joined, 1);
	atomic_store(&e->consumer_down, 0);
	atomic_fetch_add(&e->c.rebalances, 1);
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		on_assign(e, parts);
		if (coop)
			error = rd_kafka_incremental_assign(rk, parts);
		else
			rerr = rd_kafka_assign(rk, parts);
	} else {
		if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
			log_printf(e->log, LOG_ERROR, "consumer",
				   "rebalance error: %s; unassigning",
				   rd_kafka_err2str(err));
		on_revoke(e, parts, rd_kafka_assignment_lost(rk) ||
				     err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS);
		if (coop)
			error = rd_kafka_incremental_unassign(rk, parts);
		else
			rerr = rd_kafka_assign(rk, NULL);
	}
	if (error) {
		log_printf(e->log, LOG_ERROR, "consumer",
			   "incremental (un)assign: %s",
			   rd_kafka_error_string(error));
		rd_kafka_error_destroy(error);
	} else if (rerr) {
		log_printf(e->log, LOG_ERROR, "consumer", "assign: %s",
			   rd_kafka_err2str(rerr));
	}
}

int consumer_create(engine *e, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = engine_kafka_conf(e, 0, err, errlen);
	rd_kafka_topic_partition_list_t *sub;
	char why[512], cur[256];
	size_t n = sizeof(cur);
	rd_kafka_resp_err_t rerr;

	if (!conf)
		return -EINVAL;
	if (rd_kafka_conf_get(conf, "group.id", cur, &n) != RD_KAFKA_CONF_OK ||
	    !cur[0])
		rd_kafka_conf_set(conf, "group.id", e->o.group, why,
				  sizeof(why));
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	rd_kafka_conf_set_offset_commit_cb(conf, commit_cb);
	e->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, why, sizeof(why));
	if (!e->consumer) {
		snprintf(err, errlen, "consumer: %s", why);
		rd_kafka_conf_destroy(conf);
		return -EINVAL;
	}
	e->assigned = calloc(TRACK_MAX_PARTITIONS, sizeof(*e->assigned));
	if (!e->assigned) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rd_kafka_poll_set_consumer(e->consumer);
	sub = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(sub, e->o.topic_in,
					  RD_KAFKA_PARTITION_UA);
	rerr = rd_kafka_subscribe(e->consumer, sub);
	rd_kafka_topic_partition_list_destroy(sub);
	if (rerr) {
		snprintf(err, errlen, "subscribe %s: %s", e->o.topic_in,
			 rd_kafka_err2str(rerr));
		return -EINVAL;
	}
	return 0;
}

/* One poll step: a message (dispatched) and the periodic duties. */
static void step(engine *e, int timeout_ms)
{
	rd_kafka_message_t *m;
	int64_t now;

	m = rd_kafka_consumer_poll(e->consumer, e->n_paused ? 2 : timeout_ms);
	if (m) {
		atomic_store(&e->consumer_down, 0);
		if (m->err) {
			consume_error(e, m);
			rd_kafka_message_destroy(m);
		} else {
			dispatch(e, m);
		}
	}
	if (e->n_paused)
		maybe_resume(e);
	now = (int64_t)engine_now_ns();
	if (now >= e->next_commit_ns) {
		commit_offsets(e, 0);
		e->next_commit_ns = now + (int64_t)e->o.commit_interval_ms *
						  1000000;
	}
}

static void wait_workers_idle(engine *e, uint64_t end)
{
	for (;;) {
		unsigned busy = 0;

		for (unsigned i = 0; i < e->o.workers; i++)
			busy += worker_queue_len(e->workers[i]);
		if (!busy || engine_now_ns() > end)
			return;
		usleep(500);
	}
}

static void shutdown_consumer(engine *e)
{
	uint64_t end = engine_now_ns() +
		       (uint64_t)e->o.shutdown_timeout_ms * 1000000u;
	uint64_t first = engine_now_ns() + 10000000000ull;
	rd_kafka_resp_err_t err;

	log_printf(e->log, LOG_INFO, "consumer", "stopping: unsubscribing");
	/* #4312: never close before the first rebalance completed (no
	 * join can be in progress while every broker is unreachable) */
	while (!e->rebalanced && !atomic_load(&e->consumer_down) &&
	       engine_now_ns() < first && engine_now_ns() < end)
		step(e, 50);
	/* #4527: unsubscribe, let the revoke run, then close */
	rd_kafka_unsubscribe(e->consumer);
	while (e->n_assigned > 0 && engine_now_ns() < end)
		step(e, 50);
	wait_workers_idle(e, end);
	commit_offsets(e, 1);
	err = rd_kafka_consumer_close(e->consumer);
	e->consumer_closed = 1;
	if (err)
		log_printf(e->log, LOG_WARN, "consumer", "close: %s",
			   rd_kafka_err2str(err));
}

int consumer_run(engine *e)
{
	e->next_commit_ns = (int64_t)engine_now_ns() +
			    (int64_t)e->o.commit_interval_ms * 1000000;
	while (!atomic_load(&e->stop))
		step(e, 100);
	shutdown_consumer(e);
	return atomic_load(&e->fatal) ? -EIO : 0;
}

void consumer_destroy(engine *e)
{
	if (e->consumer && !e->consumer_closed)
		rd_kafka_consumer_close(e->consumer);
	if (e->consumer)
		rd_kafka_destroy(e->consumer);
	e->consumer = NULL;
	free(e->assigned);
	e->assigned = NULL;
}
