/*
 * verdict.h - the screening result of SPEC.md section 2 and its JSON.
 *
 * A verdict is a fixed-size value filled by screen.c: hits point at
 * list data (which outlives the verdict as long as the caller holds
 * the list version it screened with) or carry small inline strings.
 * verdict_encode() writes the JSON line into caller memory, so
 * publishing a verdict allocates nothing.
 */
#ifndef INTERDICT_VERDICT_H
#define INTERDICT_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#define VERDICT_MAX_HITS 32

typedef enum verdict_outcome {
	VERDICT_PASS = 0,
	VERDICT_REVIEW,
	VERDICT_BLOCK,
	VERDICT_ERROR,
	VERDICT__COUNT
} verdict_outcome;

typedef enum verdict_hit_kind {
	HIT_NAME = 0,
	HIT_ID,
	HIT_TEXT,
	HIT_GOODS,
	HIT_ROUTE,
	HIT_VESSEL,
	HIT_COUNTRY,
	HIT__COUNT
} verdict_hit_kind;

typedef struct verdict_hit {
	uint8_t kind;       /* verdict_hit_kind */
	uint8_t decision;   /* verdict_outcome this hit asks for */
	uint8_t suppressed; /* allow-listed: shown, does not raise */
	float score;
	char field[48];     /* "parties[1].name" */
	const char *list;   /* list id (static or list-owned) */
	const char *entry;  /* list's own id */
	const char *entry_name;
	char matched[128];  /* normalised text that matched */
	char reason[160];
} verdict_hit;

typedef struct verdict {
	uint8_t outcome;    /* verdict_outcome */
	float score;
	verdict_hit hits[VERDICT_MAX_HITS];
	uint32_t n_hits;
	uint32_t hits_dropped; /* hits beyond VERDICT_MAX_HITS (lowest) */
	const char *lists_version;
	char error[192];
} verdict;

const char *verdict_outcome_name(verdict_outcome o);
const char *verdict_hit_kind_name(verdict_hit_kind k);

/* Reset to an empty pass verdict. */
void verdict_reset(verdict *v, const char *lists_version);

/*
 * Add a hit, keeping the VERDICT_MAX_HITS best (by decision, then
 * score); raises outcome/score unless the hit is suppressed.  Returns
 * the stored hit (to fill its strings) or NULL when it was dropped.
 */
verdict_hit *verdict_add_hit(verdict *v, verdict_hit_kind kind,
			     verdict_outcome decision, float score,
			     int suppressed);

/* Make v an error verdict with reason (printf-style). */
void verdict_set_error(verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Encode as one JSON line (with trailing '\n').  id may contain any
 * bytes (it is escaped; invalid UTF-8 is replaced).  Returns length or
 * -ENOSPC; 64 KiB is always enough.
 */
#define VERDICT_JSON_MAX 65536
int verdict_encode(const verdict *v, const char *id, size_t id_len,
		   char *out, size_t cap);

#endif
