/*
 * db.h - one immutable list version: every loaded list plus the
 * compiled indexes screening needs (name index and automaton,
 * identifier set, controlled-goods table, rules, allow list).
 *
 * Built off the hot path (at start, on reload) by db_build(); after
 * that it is read-only and shared by all worker threads without
 * locks.  The streaming engine publishes it through RCU and frees an
 * old version only when no worker can still see it.
 *
 * Version string: "<build time UTC>/<8 hex of XXH3 over the list
 * files' bytes and the rules>", e.g. "2026-11-27T09:00:00Z/3f2a9c1e".
 */
#ifndef INTERDICT_DB_H
#define INTERDICT_DB_H

#include <stddef.h>

#include "model.h"

typedef struct nameidx nameidx;
typedef struct idset idset;
typedef struct goods_table goods_table;
typedef struct rules_set rules_set;

typedef struct db_config {
	const char *const *specs; /* "[ID=]FORMAT:PATH" */
	size_t n_specs;
	const char *rules_path;   /* NULL: built-in default rules */
	float review_threshold;   /* 0: default */
	float block_threshold;    /* 0: default */
	int id_hit_decision;      /* verdict_outcome for identifier hits;
				     0 (pass) means default: block */
} db_config;

typedef struct db_list_stats {
	double load_ms;
	size_t memory;
} db_list_stats;

/* One allow-list pair, compiled: the party side normalised the way
 * screening normalises event names, so comparison is a strcmp. */
typedef struct db_allow {
	char *name;          /* normalised party name, "" = any name */
	char *account;       /* identifier key of the account, "" = any */
	const char *list;    /* list id, "" = any list */
	const char *entry;   /* the list's own id for the entry */
	const char *reason;
} db_allow;

typedef struct db {
	wl_list **lists;
	size_t n_lists;
	nameidx *names;
	idset *ids;
	goods_table *goods;
	rules_set *rules;
	db_allow *allows;
	size_t n_allows;
	char version[64];
	double load_ms;     /* all loaders */
	double compile_ms;  /* all indexes */
	size_t memory;      /* lists + indexes */
	float review_threshold, block_threshold;
	int id_hit_decision;
} db;

/* Load and compile.  NULL with "file:line: reason" in errstr. */
db *db_build(const db_config *cfg, char *errstr, size_t errlen);
void db_free(db *d);

/*
 * 1 when the allow list suppresses a hit on (list_id, entry_id) for a
 * party whose normalised name is name_norm (may be "") and whose
 * account key is account (may be "").  *reason gets the allow line's
 * reason.  Thread safe, no allocation.
 */
int db_allowed(const db *d, const char *list_id, const char *entry_id,
	       const char *name_norm, const char *account,
	       const char **reason);

#endif
