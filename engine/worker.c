/*
 * worker.c - screening threads; see worker.h.
 *
 * Hand-over: a power-of-two ring of {message, token} with one writer
 * (the consumer thread: tail) and one reader (the worker: head), both
 * indexes atomic.  A worker with nothing to do goes RCU-offline and
 * sleeps on a condition variable; the consumer signals it only when
 * it announced it was going to sleep (`sleeping`), so the common path
 * is two atomic operations.  The sleeping flag is set under the mutex
 * and the ring re-checked before waiting, and the wait is bounded
 * (10 ms), so a wake-up is never lost for long.
 *
 * Per event (worker_handle): take the live db (rcu_dereference),
 * screen, encode the verdict into the worker's buffer, copy the db
 * version, announce a quiescent state (nothing of the db is used any
 * more), then produce the dead letter (error events) and the verdict.
 * In-engine latency is event taken -> verdict handed to producev.
 */
#include "worker.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <urcu-qsbr.h>

#include "engine_impl.h"
#include "screen.h"
#include "verdict.h"

#define LIST_CACHE 32

typedef struct item {
	rd_kafka_message_t *m;
	uint64_t token;
} item;

struct worker {
	engine *e;
	unsigned idx;
	pthread_t tid;
	int started;
	item *ring;
	uint32_t cap, mask;
	_Atomic uint32_t head, tail;
	_Atomic int stop;
	_Atomic int sleeping;
	_Atomic uint64_t qs_gen;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	screen_ctx *ctx;
	metrics_worker_t *mw;
	verdict v;
	char *buf;           /* VERDICT_JSON_MAX */
	char version[64];
	/* list id -> metrics index, valid for one db version */
	uint64_t lists_gen;
	const char *list_ptr[LIST_CACHE];
	int list_idx[LIST_CACHE];
	unsigned n_lists;
};

unsigned worker_of_partition(int32_t partition, unsigned n_workers)
{
	uint32_t h = (uint32_t)partition;

	/* murmur3 finaliser: spreads consecutive partitions */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return n_workers ? h % n_workers : 0;
}

worker_t *worker_new(struct engine *e, unsigned idx, unsigned queue_cap,
		     char *err, size_t errlen)
{
	worker_t *w = calloc(1, sizeof(*w));
	uint32_t cap = 64;

	if (!w)
		goto oom;
	while (cap < queue_cap && cap < (1u << 28))
		cap <<= 1;
	w->e = e;
	w->idx = idx;
	w->cap = cap;
	w->mask = cap - 1;
	w->ring = calloc(cap, sizeof(*w->ring));
	w->buf = malloc(VERDICT_JSON_MAX);
	w->ctx = screen_ctx_new();
	w->mw = metrics_worker(e->metrics, idx);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (!w->ring || !w->buf || !w->ctx) {
		worker_free(w);
		goto oom;
	}
	return w;
oom:
	snprintf(err, errlen, "worker %u: out of memory", idx);
	return NULL;
}

unsigned worker_queue_len(const worker_t *w)
{
	return atomic_load(&w->tail) - atomic_load(&w->head);
}

uint64_t worker_qs_gen(const worker_t *w)
{
	return atomic_load_explicit(&w->qs_gen, memory_order_acquire);
}

int worker_push(worker_t *w, rd_kafka_message_t *m, uint64_t token)
{
	uint32_t t = atomic_load_explicit(&w->tail, memory_order_relaxed);

	if (t - atomic_load(&w->head) >= w->cap)
		return -EAGAIN;
	w->ring[t & w->mask] = (item){ m, token };
	atomic_store(&w->tail, t + 1);
	if (atomic_load(&w->sleeping)) {
		pthread_mutex_lock(&w->lock);
		pthread_cond_signal(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	return 0;
}

/* The release increment must precede the quiescent state: once
 * synchronize_rcu() has seen the latter, the reloader's acquire load
 * is guaranteed to read it (TSan then sees the ordering). */
static void quiescent(worker_t *w)
{
	atomic_fetch_add_explicit(&w->qs_gen, 1, memory_order_release);
	rcu_quiescent_state();
}

/* Wait for work (RCU-offline while asleep).  0 when stopping and empty. */
static int wait_for_work(worker_t *w)
{
	struct timespec ts;

	if (atomic_load(&w->head) != atomic_load(&w->tail))
		return 1;
	atomic_fetch_add_explicit(&w->qs_gen, 1, memory_order_release);
	rcu_thread_offline();
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->sleeping, 1);
	if (atomic_load(&w->head) == atomic_load(&w->tail) &&
	    !atomic_load(&w->stop)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
	}
	atomic_store(&w->sleeping, 0);
	pthread_mutex_unlock(&w->lock);
	rcu_thread_online();
	if (atomic_load(&w->head) != atomic_load(&w->tail))
		return 1;
	return !atomic_load(&w->stop);
}

static void header_num(rd_kafka_headers_t *h, const char *name, int64_t v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64, v);

	rd_kafka_header_add(h, name, -1, num, n);
}

/* The dead letter: original key, bytes and headers plus the reason. */
static void send_dead_letter(worker_t *w, const rd_kafka_message_t *m,
			     uint64_t token)
{
	engine *e = w->e;
	rd_kafka_headers_t *orig = NULL, *h;

	if (rd_kafka_message_headers(m, &orig) == RD_KAFKA_RESP_ERR_NO_ERROR)
		h = rd_kafka_headers_copy(orig);
	else
		h = rd_kafka_headers_new(4);
	rd_kafka_header_add(h, "interdict-error", -1, w->v.error, -1);
	rd_kafka_header_add(h, "interdict-original-topic", -1,
			    rd_kafka_topic_name(m->rkt), -1);
	header_num(h, "interdict-original-partition", m->partition);
	header_num(h, "interdict-original-offset", m->offset);
	rd_kafka_header_add(h, "interdict-lists-version", -1, w->version, -1);
	track_add(e->track, token);
	if (producer_send(e, e->rkt_dlq, m->key, m->key_len, m->payload,
			  m->len, h, token) == 0) {
		metrics_add(w->mw, METRICS_DEAD_LETTERS, 1);
		atomic_fetch_add(&e->c.dead_letters, 1);
	}
}

static void journal_verdict(worker_t *w, const rd_kafka_message_t *m,
			    const char *json, size_t len, uint64_t token)
{
	engine *e = w->e;
	journal_rec rec = {
		.topic = rd_kafka_topic_name(m->rkt),
		.partition = m->partition,
		.offset = m->offset,
		.lists_version = w->version,
		.verdict_json = json,
		.len = len,
	};
	uint64_t seq = 0;

	if (journal_append(e->journal, &rec, &seq) < 0) {
		metrics_error(w->mw, METRICS_ERR_JOURNAL);
		log_printf(e->log, LOG_ERROR, "worker",
			   "journal append failed for %s[%d]@%" PRId64,
			   rec.topic, (int)m->partition, m->offset);
		return;
	}
	track_set_jseq(e->track, token, seq);
}

/* Metrics index of a hit's list id; the registry (a mutex) is asked
 * once per list per db version, then the id pointer is compared. */
static int list_index(worker_t *w, uint64_t gen, const char *list)
{
	int idx;

	if (w->lists_gen != gen) {
		w->lists_gen = gen;
		w->n_lists = 0;
	}
	for (unsigned i = 0; i < w->n_lists; i++)
		if (w->list_ptr[i] == list)
			return w->list_idx[i];
	idx = metrics_list_index(w->e->metrics, list ? list : "other");
	if (w->n_lists < LIST_CACHE) {
		w->list_ptr[w->n_lists] = list;
		w->list_idx[w->n_lists++] = idx;
	}
	return idx;
}

static void count_hits(worker_t *w, uint64_t gen)
{
	for (uint32_t i = 0; i < w->v.n_hits; i++) {
		const verdict_hit *h = &w->v.hits[i];

		if (h->kind < HIT__COUNT)
			metrics_hit(w->mw, (verdict_hit_kind)h->kind,
				    list_index(w, gen, h->list));
	}
}

static void worker_handle(worker_t *w, const item *it)
{
	engine *e = w->e;
	rd_kafka_message_t *m = it->m;
	uint64_t t0 = engine_now_ns(), lat, gen;
	const char *id = "", *payload = m->payload ? m->payload : "";
	size_t id_len = 0, key_len;
	const void *key;
	rd_kafka_headers_t *h;
	const db *d;
	int n;

	d = rcu_dereference(e->db_rcu);
	/* TSan: pairs with the release in engine_publish_db(); also names
	 * the version for the list-index cache (bumped before a swap, so
	 * a stale gen only means one needless cache refill) */
	gen = atomic_load_explicit(&e->db_gen, memory_order_acquire);
	if (m->len > e->o.event_max) {
		verdict_reset(&w->v, d->version);
		verdict_set_error(&w->v, "event larger than %" PRIu64 " bytes",
				  e->o.event_max);
	} else {
		screen_message(w->ctx, d, payload, m->len, &w->v, &id,
			       &id_len);
	}
	if (!id)
		id = "";
	n = verdict_encode(&w->v, id, id_len, w->buf, VERDICT_JSON_MAX);
	if (n > 0 && w->buf[n - 1] == '\n')
		n--;
	snprintf(w->version, sizeof(w->version), "%s", d->version);
	metrics_add(w->mw, METRICS_EVENTS, 1);
	metrics_add(w->mw, METRICS_BYTES_IN, m->len);
	metrics_verdict(w->mw, (verdict_outcome)w->v.outcome);
	count_hits(w, gen);
	quiescent(w); /* verdict is self-contained from here on */
	if (n < 0) {
		metrics_error(w->mw, METRICS_ERR_INTERNAL);
		n = snprintf(w->buf, VERDICT_JSON_MAX,
			     "{\"verdict\":\"error\",\"error\":\"verdict "
			     "too large to encode\"}");
	}
	if (w->v.outcome == VERDICT_ERROR) {
		metrics_error(w->mw, METRICS_ERR_EVENT);
		if (e->rkt_dlq)
			send_dead_letter(w, m, it->token);
	}
	if (e->journal)
		journal_verdict(w, m, w->buf, (size_t)n, it->token);
	key = m->key_len ? m->key : (const void *)id;
	key_len = m->key_len ? m->key_len : id_len;
	h = rd_kafka_headers_new(2);
	rd_kafka_header_add(h, "interdict-lists-version", -1, w->version, -1);
	lat = engine_now_ns() - t0;
	header_num(h, "interdict-latency-ns", (int64_t)lat);
	metrics_latency(w->mw, lat);
	producer_send(e, e->rkt_out, key_len ? key : NULL, key_len, w->buf,
		      (size_t)n, h, it->token);
	atomic_fetch_add(&e->c.by_outcome[w->v.outcome & 3], 1);
	atomic_fetch_add(&e->c.screened, 1);
	rd_kafka_message_destroy(m);
}

static void *worker_main(void *arg)
{
	worker_t *w = arg;

	rcu_register_thread();
	while (wait_for_work(w)) {
		uint32_t h = atomic_load(&w->head);

		if (h == atomic_load(&w->tail))
			continue;
		worker_handle(w, &w->ring[h & w->mask]);
		atomic_store(&w->head, h + 1);
	}
	rcu_unregister_thread();
	return NULL;
}

int worker_start(worker_t *w)
{
	int rc = pthread_create(&w->tid, NULL, worker_main, w);

	if (rc)
		return -rc;
	w->started = 1;
	return 0;
}

void worker_stop(worker_t *w)
{
	if (!w || !w->started)
		return;
	atomic_store(&w->stop, 1);
	pthread_mutex_lock(&w->lock);
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->tid, NULL);
	w->started = 0;
}

void worker_free(worker_t *w)
{
	if (!w)
		return;
	worker_stop(w);
	/* messages never taken (only after a fatal stop) */
	while (atomic_load(&w->head) != atomic_load(&w->tail)) {
		uint32_t h = atomic_load(&w->head);

		rd_kafka_message_destroy(w->ring[h & w->mask].m);
		atomic_store(&w->head, h + 1);
	}
	screen_ctx_free(w->ctx);
	free(w->ring);
	free(w->buf);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
