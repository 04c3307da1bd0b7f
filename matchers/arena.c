/*
 * arena.c - bump allocator; see arena.h for why.
 *
 * Blocks are linked newest first.  An allocation larger than a quarter
 * of the block size gets a block of its own so that a few large
 * tables do not waste the tail of the current block.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	arena_block *next;
	size_t size; /* usable bytes in data[] */
	size_t off;  /* next free byte */
	_Alignas(16) unsigned char data[];
};

void arena_init(arena *a, size_t block_size)
{
	memset(a, 0, sizeof(*a));
	a->block_size = block_size ? block_size : (size_t)1 << 20;
}

void arena_release(arena *a)
{
	arena_block *b = a->head;

	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = a->used = 0;
}

static arena_block *arena_block_new(size_t size)
{
	arena_block *b = malloc(sizeof(*b) + size);

	if (!b)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->off = 0;
	return b;
}

void *arena_alloc(arena *a, size_t size)
{
	arena_block *b = a->head;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (size == 0)
		size = 16;
	if (size > a->block_size / 4) {
		/* Large: own block, linked behind the current one. */
		arena_block *big = arena_block_new(size);

		if (!big)
			return NULL;
		big->off = size;
		if (b) {
			big->next = b->next;
			b->next = big;
		} else {
			a->head = big;
		}
		a->total += size;
		a->used += size;
		return big->data;
	}
	if (!b || b->size - b->off < size) {
		b = arena_block_new(a->block_size);
		if (!b)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->total += a->block_size;
	}
	p = b->data + b->off;
	b->off += size;
	a->used += size;
	return p;
}

void *arena_calloc(arena *a, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = arena_alloc(a, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
