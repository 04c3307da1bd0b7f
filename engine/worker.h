/*
 * worker.h - a screening thread of the engine.
 *
 * Each worker owns the input partitions hashed to it
 * (worker_of_partition), so the events of one partition are screened
 * and published in order.  The consumer thread hands messages over
 * through a single-producer/single-consumer ring; the worker screens
 * each against the live list version (RCU, urcu-qsbr), encodes the
 * verdict into its own preallocated buffer, and produces it (plus a
 * dead letter for an error event).  Per event it allocates nothing of
 * its own (librdkafka copies the message and its headers).
 *
 * Thread notes: worker_push/worker_queue_len from the consumer thread
 * only (the single producer of the ring); worker_qs_gen from any
 * thread; worker_stop/worker_free from the thread that started it.
 */
#ifndef INTERDICT_WORKER_H
#define INTERDICT_WORKER_H

#include <librdkafka/rdkafka.h>
#include <stdint.h>

struct engine;
typedef struct worker worker_t;

/* Worker index of a partition: a hash, stable for the engine's life. */
unsigned worker_of_partition(int32_t partition, unsigned n_workers);

/* queue_cap: ring slots (rounded up to a power of two). */
worker_t *worker_new(struct engine *e, unsigned idx, unsigned queue_cap,
		     char *err, size_t errlen);
int worker_start(worker_t *w);
/*
 * Hand a message over (ownership passes to the worker).  0, or
 * -EAGAIN when the ring is full (the caller keeps the message).
 */
int worker_push(worker_t *w, rd_kafka_message_t *m, uint64_t token);
/* Events queued and not yet finished. */
unsigned worker_queue_len(const worker_t *w);
/*
 * A counter bumped (release) at every RCU quiescent state of the
 * worker; read (acquire) by the reload thread after synchronize_rcu()
 * so ThreadSanitizer sees the ordering RCU provides.
 */
uint64_t worker_qs_gen(const worker_t *w);
/* Finish what is queued, then stop and join. */
void worker_stop(worker_t *w);
void worker_free(worker_t *w);

#endif
