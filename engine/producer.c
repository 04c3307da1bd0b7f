/*
 * producer.c - the engine's producer: verdicts and dead letters out,
 * delivery reports in, re-sending of failed deliveries, and the
 * exactly-once transaction cycle.
 *
 * One producer handle is shared by all workers (librdkafka's produce
 * path is thread safe and copies the message).  Its delivery reports
 * are served by a dedicated poll thread, so workers never wait for
 * Kafka: a worker only ever waits when the local producer queue is
 * full (queue.buffering.max.messages), which is back-pressure - it
 * then goes RCU-offline and retries every millisecond, and the
 * consumer thread pauses its partitions as its queue grows.
 *
 * At-least-once: a successful delivery report finishes its slot in the
 * offset tracker (track_done), which lets the consumer commit past it.
 * A failed report (broker down past message.timeout.ms, authorization,
 * missing topic...) is logged (rate limited), counted, and the message
 * is re-sent by the poll thread after an exponential backoff (100 ms
 * doubling to 10 s, reset by the next success) with the same opaque,
 * so the input offset is committed only once some copy got through:
 * nothing is lost, a verdict may be duplicated (at-least-once).
 *
 * Exactly-once (delivery=exactly-once): the producer is transactional;
 * workers produce under the read side of txn_lock and finish their
 * slot at once; every commit interval (and on revoke and at stop) the
 * consumer thread takes the write side, sends the finished offsets
 * with send_offsets_to_transaction() and commits.  A transaction that
 * fails is aborted and the engine stops with an error: the restarted
 * engine resumes from the last committed transaction (no loss, no
 * duplicate).  Per librdkafka's known issue list for 1.6+ the
 * transactional calls use timeout -1 (the remaining transaction
 * timeout).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu-qsbr.h>

#include "engine_impl.h"

struct engine_retry {
	engine_retry *next;
	rd_kafka_topic_t *rkt;
	void *key, *val;
	size_t key_len, val_len;
	rd_kafka_headers_t *hdrs;
	uint64_t token;
	uint64_t due_ns;
};

static void retry_free(engine_retry *r)
{
	if (!r)
		return;
	free(r->key);
	free(r->val);
	if (r->hdrs)
		rd_kafka_headers_destroy(r->hdrs);
	free(r);
}

static void *dup_bytes(const void *p, size_t n)
{
	void *d = malloc(n ? n : 1);

	if (d && n)
		memcpy(d, p, n);
	return d;
}

/* Queue a message for re-sending (takes hdrs).  Failure path only. */
static void retry_add(engine *e, rd_kafka_topic_t *rkt, const void *key,
		      size_t key_len, const void *val, size_t val_len,
		      rd_kafka_headers_t *hdrs, uint64_t token)
{
	engine_retry *r = calloc(1, sizeof(*r));
	int backoff = atomic_load(&e->retry_backoff_ms);

	if (r) {
		r->key = key ? dup_bytes(key, key_len) : NULL;
		r->val = dup_bytes(val ? val : "", val_len);
	}
	if (!r || (key && !r->key) || !r->val) {
		/* the slot stays pending: the offset is never committed */
		log_printf(e->log, LOG_ERROR, "producer",
			   "out of memory queueing a re-send; the input "
			   "offset will not be committed");
		if (hdrs)
			rd_kafka_headers_destroy(hdrs);
		retry_free(r);
		return;
	}
	r->rkt = rkt;
	r->key_len = key_len;
	r->val_len = val_len;
	r->hdrs = hdrs;
	r->token = token;
	r->due_ns = engine_now_ns() + (uint64_t)backoff * 1000000u;
	atomic_store(&e->retry_backoff_ms, backoff * 2 > 10000 ? 10000
							       : backoff * 2);
	pthread_mutex_lock(&e->retry_lock);
	r->next = e->retries;
	e->retries = r;
	atomic_fetch_add(&e->n_retries, 1);
	pthread_mutex_unlock(&e->retry_lock);
}

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	engine *e = opaque;
	uint64_t token = (uint64_t)(uintptr_t)m->_private;
	rd_kafka_headers_t *hdrs = NULL;
	uint64_t now;

	(void)rk;
	if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
		atomic_fetch_add(&e->c.delivered, 1);
		atomic_store(&e->retry_backoff_ms, 100);
		if (!e->o.exactly_once)
			track_done(e->track, token);
		return;
	}
	atomic_fetch_add(&e->c.delivery_failed, 1);
	metrics_error_shared(e->metrics, METRICS_ERR_PRODUCE);
	now = engine_now_ns();
	if (now - (uint64_t)e->last_dr_log_ns > 1000000000u) {
		e->last_dr_log_ns = (int64_t)now;
		log_printf(e->log, LOG_ERROR, "producer",
			   "delivery to %s failed: %s (%s); re-sending with "
			   "backoff, input offset not committed until it "
			   "succeeds",
			   rd_kafka_topic_name(m->rkt), rd_kafka_err2str(m->err),
			   rd_kafka_err2name(m->err));
	}
	if (e->o.exactly_once)
		return; /* the transaction fails; producer_txn_commit() */
	rd_kafka_message_detach_headers((rd_kafka_message_t *)m, &hdrs);
	retry_add(e, m->rkt, m->key, m->key_len, m->payload, m->len, hdrs,
		  token);
}

/* Re-send due retries (poll thread).  Not due or queue full: keep. */
static void retry_run(engine *e)
{
	engine_retry *list, *keep = NULL, *r, *next;
	uint64_t now = engine_now_ns();

	pthread_mutex_lock(&e->retry_lock);
	list = e->retries;
	e->retries = NULL;
	atomic_store(&e->n_retries, 0);
	pthread_mutex_unlock(&e->retry_lock);
	for (r = list; r; r = next) {
		rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__QUEUE_FULL;

		next = r->next;
		if (r->due_ns <= now && !atomic_load(&e->producer_stop))
			err = rd_kafka_producev(
				e->producer, RD_KAFKA_V_RKT(r->rkt),
				RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
				RD_KAFKA_V_KEY(r->key, r->key_len),
				RD_KAFKA_V_VALUE(r->val, r->val_len),
				RD_KAFKA_V_HEADERS(r->hdrs),
				RD_KAFKA_V_OPAQUE((void *)(uintptr_t)r->token),
				RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
			r->hdrs = NULL; /* owned by librdkafka now */
			retry_free(r);
			continue;
		}
		if (r->due_ns <= now)
			r->due_ns = now + 100000000u;
		r->next = keep;
		keep = r;
	}
	if (!keep)
		return;
	pthread_mutex_lock(&e->retry_lock);
	for (r = keep; r; r = next) {
		next = r->next;
		r->next = e->retries;
		e->retries = r;
		atomic_fetch_add(&e->n_retries, 1);
	}
	pthread_mutex_unlock(&e->retry_lock);
}

static void *producer_main(void *arg)
{
	engine *e = arg;

	while (!atomic_load(&e->producer_stop)) {
		rd_kafka_poll(e->producer, 20);
		if (atomic_load(&e->n_retries))
			retry_run(e);
	}
	return NULL;
}

int producer_create(engine *e, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = engine_kafka_conf(e, 1, err, errlen);
	char why[512], cur[256];
	size_t n;

	if (!conf)
		return -EINVAL;
	n = sizeof(cur);
	if (e->o.exactly_once &&
	    (rd_kafka_conf_get(conf, "transactional.id", cur, &n) ||
	     !cur[0]) &&
	    rd_kafka_conf_set(conf, "transactional.id", e->o.transactional_id,
			      why, sizeof(why)) != RD_KAFKA_CONF_OK) {
		snprintf(err, errlen, "transactional.id: %s", why);
		rd_kafka_conf_destroy(conf);
		return -EINVAL;
	}
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	e->producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, why, sizeof(why));
	if (!e->producer) {
		snprintf(err, errlen, "producer: %s", why);
		rd_kafka_conf_destroy(conf);
		return -EINVAL;
	}
	e->rkt_out = rd_kafka_topic_new(e->producer, e->o.topic_out, NULL);
	if (e->o.topic_dlq[0])
		e->rkt_dlq = rd_kafka_topic_new(e->producer, e->o.topic_dlq,
						NULL);
	if (!e->rkt_out || (e->o.topic_dlq[0] && !e->rkt_dlq)) {
		snprintf(err, errlen, "producer: topic handles: %s",
			 rd_kafka_err2str(rd_kafka_last_error()));
		return -EINVAL;
	}
	atomic_store(&e->retry_backoff_ms, 100);
	return 0;
}

static int txn_error(engine *e, const char *what, rd_kafka_error_t *error)
{
	int fatal = rd_kafka_error_is_fatal(error) ||
		    rd_kafka_error_txn_requires_abort(error);

	log_printf(e->log, fatal ? LOG_ERROR : LOG_WARN, "producer",
		   "%s: %s%s", what, rd_kafka_error_string(error),
		   fatal ? "; stopping (restart resumes from the last "
			   "committed transaction)"
			 : "; retrying");
	if (rd_kafka_error_txn_requires_abort(error)) {
		rd_kafka_error_t *a = rd_kafka_abort_transaction(e->producer,
								 -1);
		if (a)
			rd_kafka_error_destroy(a);
	}
	rd_kafka_error_destroy(error);
	if (fatal) {
		atomic_store(&e->fatal, 1);
		engine_stop(e);
		return -EIO;
	}
	return -EAGAIN;
}

int producer_start(engine *e, char *err, size_t errlen)
{
	rd_kafka_error_t *error;
	int rc;

	if (e->o.exactly_once) {
		error = rd_kafka_init_transactions(e->producer, 30000);
		if (!error)
			error = rd_kafka_begin_transaction(e->producer);
		if (error) {
			snprintf(err, errlen, "transactions: %s",
				 rd_kafka_error_string(error));
			rd_kafka_error_destroy(error);
			return -EIO;
		}
	}
	rc = pthread_create(&e->producer_tid, NULL, producer_main, e);
	if (rc) {
		snprintf(err, errlen, "producer thread: %s", strerror(rc));
		return -rc;
	}
	e->producer_started = 1;
	return 0;
}

int producer_send(engine *e, rd_kafka_topic_t *rkt, const void *key,
		  size_t key_len, const void *val, size_t val_len,
		  rd_kafka_headers_t *hdrs, uint64_t token)
{
	rd_kafka_resp_err_t err;

	for (;;) {
		if (e->o.exactly_once)
			pthread_rwlock_rdlock(&e->txn_lock);
		err = rd_kafka_producev(
			e->producer, RD_KAFKA_V_RKT(rkt),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_KEY(key, key_len),
			RD_KAFKA_V_VALUE((void *)val, val_len),
			RD_KAFKA_V_HEADERS(hdrs),
			RD_KAFKA_V_OPAQUE((void *)(uintptr_t)token),
			RD_KAFKA_V_END);
		if (e->o.exactly_once && !err)
			track_done(e->track, token);
		if (e->o.exactly_once)
			pthread_rwlock_unlock(&e->txn_lock);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			break;
		/* back-pressure: the producer queue is full */
		rcu_thread_offline();
		usleep(1000);
		rcu_thread_online();
	}
	if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	metrics_error_shared(e->metrics, METRICS_ERR_PRODUCE);
	log_printf(e->log, LOG_ERROR, "producer",
		   "produce to %s failed: %s; re-sending with backoff",
		   rd_kafka_topic_name(rkt), rd_kafka_err2str(err));
	if (e->o.exactly_once) {
		rd_kafka_headers_destroy(hdrs);
		atomic_store(&e->fatal, 1);
		engine_stop(e);
		return -EIO;
	}
	retry_add(e, rkt, key, key_len, val, val_len, hdrs, token);
	return 0;
}

/*
 * Finished offsets of every assigned partition (consumer thread, under
 * the write side of txn_lock so no worker is producing).  Every verdict
 * produced in this transaction must have its input offset in it, or a
 * crash after the commit would screen those events again and commit a
 * second verdict.  With the journal on, an offset only counts once its
 * record is durable, so first wait for every record appended so far
 * (one group commit, about journal.sync.interval.us).
 */
static rd_kafka_topic_partition_list_t *txn_offsets(engine *e, int *err)
{
	rd_kafka_topic_partition_list_t *l;
	uint64_t durable;

	*err = 0;
	if (e->journal &&
	    journal_wait(e->journal, journal_last_seq(e->journal),
			 e->o.shutdown_timeout_ms > 0 ?
				 e->o.shutdown_timeout_ms : 10000) < 0)
		*err = -ETIMEDOUT;
	durable = engine_durable_seq(e);
	l = rd_kafka_topic_partition_list_new(e->n_assigned + 1);

	for (int i = 0; i < e->n_assigned; i++) {
		track_part *p = track_peek(e->track, e->assigned[i]);
		int64_t next = p ? track_advance(p, durable) : -1;

		if (next < 0 || next == p->committed)
			continue;
		rd_kafka_topic_partition_list_add(l, e->o.topic_in,
						  p->partition)
			->offset = next;
		p->committed = next;
	}
	return l;
}

int producer_txn_commit(engine *e)
{
	rd_kafka_topic_partition_list_t *offs;
	rd_kafka_error_t *error = NULL;
	int rc = 0;

	pthread_rwlock_wrlock(&e->txn_lock);
	offs = txn_offsets(e, &rc);
	if (rc < 0) {
		/* The journal cannot make this transaction's records durable:
		 * commit nothing; stopping is fail-safe (the restarted engine
		 * resumes from the last committed transaction). */
		log_printf(e->log, LOG_ERROR, "producer",
			   "journal not durable in time; not committing the "
			   "transaction");
		atomic_store(&e->fatal, 1);
		pthread_rwlock_unlock(&e->txn_lock);
		rd_kafka_topic_partition_list_destroy(offs);
		engine_stop(e);
		return rc;
	}
	if (offs->cnt) {
		/* the group's current generation, fetched per commit */
		rd_kafka_consumer_group_metadata_t *cgmd =
			rd_kafka_consumer_group_metadata(e->consumer);

		error = rd_kafka_send_offsets_to_transaction(e->producer, offs,
							     cgmd, -1);
		rd_kafka_consumer_group_metadata_destroy(cgmd);
	}
	if (!error)
		error = rd_kafka_commit_transaction(e->producer, -1);
	if (!error) {
		atomic_fetch_add(&e->c.commits, 1);
		error = rd_kafka_begin_transaction(e->producer);
		if (error)
			rc = txn_error(e, "begin_transaction", error);
	} else {
		atomic_fetch_add(&e->c.commit_failed, 1);
		rc = txn_error(e, "commit_transaction", error);
	}
	pthread_rwlock_unlock(&e->txn_lock);
	rd_kafka_topic_partition_list_destroy(offs);
	return rc;
}

void producer_destroy(engine *e)
{
	int left;

	if (!e->producer)
		return;
	if (e->producer_started) {
		/* the poll thread keeps serving reports and re-sends */
		uint64_t end = engine_now_ns() +
			       (uint64_t)e->o.shutdown_timeout_ms * 1000000u;

		while ((rd_kafka_outq_len(e->producer) > 0 ||
			atomic_load(&e->n_retries)) &&
		       engine_now_ns() < end)
			usleep(2000);
		atomic_store(&e->producer_stop, 1);
		pthread_join(e->producer_tid, NULL);
		e->producer_started = 0;
	}
	rd_kafka_flush(e->producer, 1000);
	left = rd_kafka_outq_len(e->producer);
	if (left > 0)
		log_printf(e->log, LOG_ERROR, "producer",
			   "%d message(s) undelivered at exit; their input "
			   "offsets were not committed", left);
	while (e->retries) {
		engine_retry *r = e->retries;

		e->retries = r->next;
		retry_free(r);
	}
	if (e->rkt_out)
		rd_kafka_topic_destroy(e->rkt_out);
	if (e->rkt_dlq)
		rd_kafka_topic_destroy(e->rkt_dlq);
	rd_kafka_destroy(e->producer);
	e->producer = NULL;
}
