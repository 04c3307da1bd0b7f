/*
 * arena.h - bump allocator for data that lives and dies together.
 *
 * A list version (entities, names, strings, compiled indexes) is built
 * once and freed at once, so it is carved from an arena: no per-object
 * free, no fragmentation, and the memory figure reported by
 * `interdict lists` is simply the sum of the arena's blocks.
 *
 * Thread: an arena is not thread safe; one builder owns it.  Once the
 * build is finished the carved memory may be read by any thread.
 */
#ifndef INTERDICT_ARENA_H
#define INTERDICT_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct arena {
	arena_block *head;  /* current block, linked to older ones */
	size_t block_size;  /* default size of a new block */
	size_t total;       /* bytes reserved in all blocks */
	size_t used;        /* bytes handed out */
} arena;

/* Initialise an empty arena; block_size 0 picks 1 MiB. */
void arena_init(arena *a, size_t block_size);
/* Free every block; the arena may be reused after arena_init(). */
void arena_release(arena *a);

/* Return size bytes aligned to 16, or NULL when out of memory. */
void *arena_alloc(arena *a, size_t size);
/* As arena_alloc() but zeroed. */
void *arena_calloc(arena *a, size_t n, size_t size);
/* Copy len bytes of s and NUL-terminate; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t len);
char *arena_strdup(arena *a, const char *s);

#endif
