/*
 * track.c - in-flight offset tracking per input partition; see track.h.
 *
 * Design: a fixed table of TRACK_MAX_PARTITIONS atomic pointers to
 * per-partition rings, each allocated on the partition's first
 * assignment and kept until track_free(): a delivery report may
 * arrive after its partition was revoked, and it must still find
 * valid memory (it is then ignored by the seq check).  The consumer
 * thread is the only writer of head/tail, so pushing and advancing
 * need no lock; the only shared words are the slot states and journal
 * seqs, updated with atomic operations.
 */
#include "track.h"

#include <stdlib.h>

#define SEQ_BITS 48
#define SEQ_MASK ((UINT64_C(1) << SEQ_BITS) - 1)

struct track {
	uint32_t cap;
	_Atomic(track_part *) parts[TRACK_MAX_PARTITIONS];
};

static uint32_t pow2_at_least(uint32_t v)
{
	uint32_t p = 64;

	while (p < v && p < (1u << 30))
		p <<= 1;
	return p;
}

track *track_new(uint32_t cap)
{
	track *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->cap = pow2_at_least(cap);
	return t;
}

static void part_free(track_part *p)
{
	if (!p)
		return;
	free(p->offsets);
	free((void *)p->state);
	free((void *)p->jseq);
	free(p);
}

void track_free(track *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < TRACK_MAX_PARTITIONS; i++)
		part_free(atomic_load(&t->parts[i]));
	free(t);
}

static track_part *part_new(uint32_t cap, int32_t partition)
{
	track_part *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->partition = partition;
	p->cap = cap;
	p->mask = cap - 1;
	p->offsets = calloc(cap, sizeof(*p->offsets));
	p->state = calloc(cap, sizeof(*p->state));
	p->jseq = calloc(cap, sizeof(*p->jseq));
	if (!p->offsets || !p->state || !p->jseq) {
		part_free(p);
		return NULL;
	}
	p->done_offset = -1;
	p->committed = -1;
	return p;
}

track_part *track_get(track *t, int32_t partition)
{
	track_part *p;

	if (partition < 0 || partition >= TRACK_MAX_PARTITIONS)
		return NULL;
	p = atomic_load(&t->parts[partition]);
	if (p)
		return p;
	p = part_new(t->cap, partition);
	if (p)
		atomic_store(&t->parts[partition], p);
	return p;
}

track_part *track_peek(track *t, int32_t partition)
{
	if (partition < 0 || partition >= TRACK_MAX_PARTITIONS)
		return NULL;
	return atomic_load(&t->parts[partition]);
}

void track_reset(track_part *p)
{
	p->head = p->tail;
	p->done_offset = -1;
	p->committed = -1;
}

uint64_t track_push(track_part *p, int64_t offset)
{
	uint64_t seq = p->tail++;
	uint32_t i = (uint32_t)seq & p->mask;

	p->offsets[i] = offset;
	atomic_store(&p->jseq[i], 0);
	atomic_store(&p->state[i], ((seq & SEQ_MASK) << 8) | 1);
	return ((uint64_t)(uint32_t)p->partition << SEQ_BITS) | (seq & SEQ_MASK);
}

static _Atomic uint64_t *slot_of(track *t, uint64_t token, track_part **pp)
{
	track_part *p = track_peek(t, track_token_partition(token));

	*pp = p;
	if (!p)
		return NULL;
	return &p->state[(uint32_t)token & p->mask];
}

static void slot_update(track *t, uint64_t token, int delta)
{
	track_part *p;
	_Atomic uint64_t *st = slot_of(t, token, &p);
	uint64_t cur, want;

	if (!st)
		return;
	cur = atomic_load(st);
	do {
		if ((cur >> 8) != (token & SEQ_MASK))
			return; /* stale: slot reused by a later event */
		if (delta < 0 && (cur & 0xff) == 0)
			return;
		want = (cur & ~UINT64_C(0xff)) |
		       (uint64_t)(((cur & 0xff) + (uint64_t)(int64_t)delta) &
				  0xff);
	} while (!atomic_compare_exchange_weak(st, &cur, want));
}

void track_add(track *t, uint64_t token)
{
	slot_update(t, token, +1);
}

void track_done(track *t, uint64_t token)
{
	slot_update(t, token, -1);
}

void track_set_jseq(track *t, uint64_t token, uint64_t seq)
{
	track_part *p = track_peek(t, track_token_partition(token));

	if (p)
		atomic_store(&p->jseq[(uint32_t)token & p->mask], seq);
}

int64_t track_advance(track_part *p, uint64_t durable_seq)
{
	while (p->head < p->tail) {
		uint32_t i = (uint32_t)p->head & p->mask;
		uint64_t st = atomic_load(&p->state[i]);

		if ((st & 0xff) != 0)
			break;
		if (atomic_load(&p->jseq[i]) > durable_seq)
			break;
		p->done_offset = p->offsets[i];
		p->head++;
	}
	return p->done_offset < 0 ? -1 : p->done_offset + 1;
}
