/*
 * nameidx.h - the compiled name index: from a party name (or a piece of
 * free text) to the listed entities it may be, in about a microsecond.
 *
 * Build: every name of every entity of every list (all strengths, every
 * transliteration variant from norm_variants(), persons also in
 * "Given Surname" order via norm_person_reorder()) is normalised,
 * split into tokens and compiled into
 *   - a token dictionary (XXH3-hashed) with list-wide IDF weights,
 *   - an inverted index token -> indexed names,
 *   - a transliteration-key table (score_key) and a one-deletion
 *     neighbourhood of the keys, the fuzzy lookup for words not in the
 *     dictionary (typos, other romanisations),
 *   - a token-level Aho-Corasick automaton (ac.h) over names specific
 *     enough to be searched inside free text.
 * Candidates come from the postings of the query's words (rarest
 * first, very common words only when nothing rarer exists); only they
 * are scored with score_names().  The list is never scanned.
 *
 * Ownership and threads: nameidx_build() reads the lists (which must
 * outlive the index: hits refer to their entities) and returns an
 * immutable index that any number of threads may query at once.  Each
 * thread owns one nameidx_scratch (norm_ctx plus candidate buffers);
 * queries allocate nothing.
 */
#ifndef INTERDICT_NAMEIDX_H
#define INTERDICT_NAMEIDX_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef struct nameidx nameidx;
typedef struct nameidx_scratch nameidx_scratch;

typedef struct nameidx_config {
	float review;       /* hits below are not reported (default 0.80) */
	float block;        /* hits at or above set NAMEIDX_HF_BLOCK (0.92) */
	float text_min_weight; /* free text: minimum summed token weight
				  of a name found in text (default 1.6) */
	int max_candidates; /* names fully scored per query (default 24) */
} nameidx_config;

/* Fill c with the documented defaults (docs/matching.md). */
void nameidx_config_default(nameidx_config *c);

/*
 * Build over lists[0..n_lists) with the default config (or *cfg when
 * the _cfg variant is used).  NULL on error with a reason in errstr.
 */
nameidx *nameidx_build(wl_list *const *lists, size_t n_lists,
		       char *errstr, size_t errlen);
nameidx *nameidx_build_cfg(wl_list *const *lists, size_t n_lists,
			   const nameidx_config *cfg, char *errstr,
			   size_t errlen);
void nameidx_free(nameidx *ix);
/* Bytes held by the index (not counting the lists). */
size_t nameidx_memory(const nameidx *ix);
const nameidx_config *nameidx_get_config(const nameidx *ix);
/* Indexed names (after variants) and distinct tokens. */
size_t nameidx_names(const nameidx *ix);
size_t nameidx_tokens(const nameidx *ix);

/* Per-thread scratch sized for ix; NULL on ENOMEM.  A scratch may be
 * reused with any index: it regrows (allocating) on first use with a
 * bigger index, never during steady-state queries. */
nameidx_scratch *nameidx_scratch_new(void);
void nameidx_scratch_free(nameidx_scratch *s);

typedef struct nameidx_query {
	const char *name;   /* UTF-8, any script, as written in the event */
	size_t len;
	wl_ent_type type;   /* WL_ENT_UNKNOWN allowed */
	wl_date dob;        /* year 0 when unknown */
	char country[3];    /* ISO alpha-2 or "" */
	char nationality[3];
} nameidx_query;

enum {
	NAMEIDX_HF_WEAK = 1,           /* only weak aliases matched */
	NAMEIDX_HF_DOB_EQUAL = 2,
	NAMEIDX_HF_DOB_CONFLICT = 4,
	NAMEIDX_HF_COUNTRY_EQUAL = 8,
	NAMEIDX_HF_COUNTRY_CONFLICT = 16,
	NAMEIDX_HF_BLOCK = 32,         /* score >= block and not weak */
	NAMEIDX_HF_TEXT = 64,          /* found inside free text */
};

typedef struct nameidx_hit {
	uint32_t list;      /* index into the lists given to build */
	uint32_t entity;    /* index into that list's entities */
	uint32_t name;      /* index into the entity's names */
	float score;        /* 0..1, calibrated (docs/matching.md) */
	uint32_t flags;     /* NAMEIDX_HF_* */
	char matched[128];  /* normalised query text that matched */
	char reason[96];    /* "name 0.97; dob equal" */
} nameidx_hit;

/*
 * Screen one party name.  Writes at most max_out hits (one per entity,
 * score >= config review, best first) and returns their number, or
 * -EILSEQ for invalid UTF-8, -EINVAL for bad arguments.
 */
int nameidx_match(const nameidx *ix, nameidx_scratch *s,
		  const nameidx_query *q, nameidx_hit *out, int max_out);

/*
 * Listed names inside free text (remittance, goods description,
 * address): exact normalised multi-word names and near ones (one typo
 * per long word), provided the words found are specific enough
 * (summed IDF weight >= text_min_weight), so common words and short
 * names never fire.  Same return convention as nameidx_match().
 */
int nameidx_scan_text(const nameidx *ix, nameidx_scratch *s,
		      const char *text, size_t len, nameidx_hit *out,
		      int max_out);

#endif
