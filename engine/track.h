/*
 * track.h - per-partition tracking of in-flight input offsets, for
 * committing only what is fully done (at-least-once) and for
 * back-pressure on the number of events in flight.
 *
 * Each assigned input partition has a ring of slots in consumption
 * order (offsets need not be contiguous: compaction and transaction
 * markers leave gaps).  A slot holds the input offset, a pending count
 * (deliveries still to confirm: 1 for the verdict, +1 for a dead
 * letter) and the journal seq that must be durable.  The low
 * watermark is the last slot, from the oldest, of an unbroken run of
 * finished slots: committing it + 1 never skips an unfinished event.
 *
 * Tokens: a slot is named by a 64-bit token {partition:16, seq:48}
 * which travels as the produced message's opaque.  Slot state packs
 * {seq:56, pending:8} in one atomic word and track_done() decrements
 * it only when the seq still matches, so a late delivery report for
 * a slot of an earlier assignment (revoked before it finished) is
 * ignored instead of corrupting the live window.  Seqs only grow, for
 * the life of the table.
 *
 * Thread notes: track_get/track_push/track_advance/track_reset are
 * called by the consumer thread only (single writer of head/tail).
 * track_add/track_set_jseq by the worker owning the event;
 * track_done by whoever learns of a delivery (producer poll thread,
 * or a worker in exactly-once mode).  Partition tables are never
 * freed before track_free(), so a token always names valid memory.
 */
#ifndef INTERDICT_TRACK_H
#define INTERDICT_TRACK_H

#include <stdatomic.h>
#include <stdint.h>

#define TRACK_MAX_PARTITIONS 65536

typedef struct track_part {
	int32_t partition;
	uint32_t cap, mask;        /* ring size, power of two */
	int64_t *offsets;          /* consumer thread writes at push */
	_Atomic uint64_t *state;   /* {seq:56, pending:8} */
	_Atomic uint64_t *jseq;    /* journal seq to wait for, 0 none */
	uint64_t head, tail;       /* seq of oldest unfinished / next */
	int64_t done_offset;       /* last finished offset (-1 none) */
	int64_t committed;         /* last committed next-offset, -1 none */
	int assigned;
	int paused;                /* paused by us for back-pressure */
	unsigned worker;
} track_part;

typedef struct track track;

/* cap: slots per partition (rounded up to a power of two, >= 64). */
track *track_new(uint32_t cap);
void track_free(track *t);

/* The partition's table, created on first use.  NULL on ENOMEM or
 * partition out of range. */
track_part *track_get(track *t, int32_t partition);
/* Existing table or NULL (any thread). */
track_part *track_peek(track *t, int32_t partition);

/* Start tracking a new assignment: forgets unfinished slots. */
void track_reset(track_part *p);

/* Slots in use (consumer thread). */
static inline uint32_t track_used(const track_part *p)
{
	return (uint32_t)(p->tail - p->head);
}

/* Append offset with pending = 1; returns the token.  The caller
 * guarantees track_used() < cap (pause before it is full). */
uint64_t track_push(track_part *p, int64_t offset);

/* One more delivery to wait for (a dead letter).  Before producing. */
void track_add(track *t, uint64_t token);
/* Journal seq this slot must wait for. */
void track_set_jseq(track *t, uint64_t token, uint64_t seq);
/* One delivery confirmed.  Ignores stale tokens. */
void track_done(track *t, uint64_t token);

/*
 * Move head over finished slots whose journal seq <= durable_seq.
 * Returns the new next-offset to commit (last finished + 1), or -1
 * when nothing was ever finished.
 */
int64_t track_advance(track_part *p, uint64_t durable_seq);

/* Partition of a token. */
static inline int32_t track_token_partition(uint64_t token)
{
	return (int32_t)(token >> 48);
}

#endif
