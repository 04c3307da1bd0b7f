/*
 * nameidx_impl.h - internals shared by nameidx.c (build), nameidx_query.c
 * (party names) and textscan.c (free text).  Not a public API.
 *
 * Every array is owned by the nameidx and immutable after build.
 */
#ifndef INTERDICT_NAMEIDX_IMPL_H
#define INTERDICT_NAMEIDX_IMPL_H

#include <stdint.h>
#include <string.h>

#include "ac.h"
#include "nameidx.h"
#include "norm.h"
#include "score.h"

#define NX_NONE UINT32_MAX

typedef struct nx_tok {
	uint32_t str, key;   /* offsets into pool */
	uint16_t len, klen;
	uint32_t group;      /* key group */
	uint32_t df;         /* entities using the token */
	uint32_t post, n_post; /* postings slice (entry ids) */
	float w;             /* weight: default x rarity */
	uint8_t flags;       /* SCORE_TF_* */
	uint32_t tmask, kmask; /* letter sets of text and key (nx_mask) */
	uint32_t phon;       /* nx_phon_id() of the phonetic key, 0 none */
} nx_tok;

typedef struct nx_entry {
	uint32_t list, ent;
	uint32_t tok;        /* offset into etoks */
	uint32_t text;       /* offset into pool: normalised name */
	uint16_t name;       /* index of the name in the entity */
	uint16_t text_len;
	uint8_t strength, lf, n_tok;
	uint8_t type;        /* effective type: the list's, or ORG when an
				untyped entity's names carry a legal form */
	float wsum;          /* summed weight of the content tokens */
	float wx;            /* summed weight of connectors and initials */
} nx_entry;

/* A token's length-and-letter-set filter data (may_match), 16 bytes:
 * scanned densely instead of loading the 48-byte nx_tok. */
typedef struct nx_filt {
	uint32_t tmask, kmask;
	uint16_t len, klen;
	uint8_t flags;
} nx_filt;

/* Open-addressing table: hash -> index + 1 (0 empty). */
typedef struct nx_table {
	uint32_t *slot;
	uint64_t *hash;      /* hash of each slot's item */
	size_t cap;
} nx_table;

struct nameidx {
	nameidx_config cfg;
	wl_list **lists;
	size_t n_lists;
	char *pool;
	size_t pool_len;
	nx_tok *toks;
	uint32_t n_toks;
	nx_table tok_tab;    /* token text -> token id */
	nx_table grp_tab;    /* key text -> group id */
	uint32_t *grp_off, *grp_toks, n_grp;
	nx_filt *grp_filt;   /* parallel to grp_toks */
	nx_filt *tfilt;      /* per token */
	nx_table del_tab;    /* key or one-deletion -> del bucket */
	uint32_t *del_off, *del_grp, n_del;
	nx_table phon_tab;   /* phonetic key (score_phon) -> bucket */
	uint32_t *phon_off, *phon_toks;
	uint32_t *nbr_off;   /* per token: slice of nbr (fuzzy neighbours) */
	struct nx_nbr *nbr;
	nx_entry *ents;
	uint32_t n_ents;
	uint32_t *etoks;
	uint32_t *posts;
	float *post_we;      /* per posting: its name's wsum + wx */
	uint8_t *etype;      /* per entry: nx_entry.type (compact) */
	ac *text_ac;         /* values: entry ids */
	uint64_t build_id;   /* unique per built index (scratch caches) */
	uint32_t n_entities; /* over all lists */
	size_t memory;
};

/* A dictionary word's fuzzy neighbours (lookup_word at build). */
typedef struct nx_nbr {
	uint32_t tok;
	float sim;
} nx_nbr;

#define NX_MAX_TOKMATCH 48
#define NX_PHON_BUCKET 64   /* words checked per phonetic key */  /* dictionary tokens per query token */
#define NX_TEXT_CAP 16384   /* normalised free text per scan */
#define NX_TEXT_TOK 2048    /* tokens per scanned text */

/* Per scratch: a direct-mapped memo of the live fuzzy lookups of
 * words the lists never spell (payment streams repeat their parties):
 * NX_LMEMO entries of up to NX_LMEMO_M matches. */
#define NX_LMEMO 4096
#define NX_LMEMO_M 15
#define NX_WMEMO 4096

/* Start using the scratch's memos with index ix (they are per index). */
static inline void nx_memo_for(nameidx_scratch *s, const nameidx *ix);

typedef struct nx_cand {
	uint32_t e;
	float acc;           /* upper bound of the name score */
} nx_cand;

/* Per indexed name, per query: what the query's words matched so far
 * (optimistic: each query word's best pair), for the score bound. */
typedef struct nx_acc {
	uint32_t stamp;      /* epoch of last touch */
	int16_t lastq;       /* query word that touched last */
	float aq;            /* sum over query words: best sim^2 x wq */
	float lq;            /* the last query word's share of aq */
	float ae;            /* sum of sim^2 x we over touches */
	float we;            /* the name's wsum + wx */
} nx_acc;

struct nameidx_scratch {
	norm_ctx *nc;
	uint32_t cap;        /* entries the arrays below can hold */
	uint32_t epoch;
	nx_acc *acc;         /* per entry */
	uint32_t *touched;
	uint32_t n_touched;
	uint32_t gcap;       /* key groups gstamp can hold */
	uint32_t gepoch;
	uint32_t *gstamp;    /* per key group: lookup that visited it */
	nx_cand heap[256];
	uint32_t qm, qkm;    /* masks of the query word being looked up */
	uint32_t qph;        /* its nx_phon_id() */
	uint64_t memo_ix;    /* build_id the lookup memo below is for */
	uint32_t memo_gen;
	struct nx_lmemo {    /* recent lookups of words not in the lists */
		uint64_t h;
		uint32_t gen;
		uint16_t len;
		uint8_t n, type;
		nx_nbr m[NX_LMEMO_M];
	} lmemo[NX_LMEMO];
	struct nx_wmemo {    /* free-text word -> key group (textscan.c) */
		uint64_t h;
		uint32_t gen, g;
		uint32_t len;
	} wmemo[NX_WMEMO];
	struct nx_vmemo {    /* per query: verified word x dictionary word */
		uint32_t key, stamp;
		float s2, s2w;   /* sim^2 (0 below 0.72) and sim^2 x weight */
	} vmemo[1024];
	score_name qn, en;
	char norm[NX_TEXT_CAP];
	uint32_t sym[NX_TEXT_TOK];
	uint32_t soff[NX_TEXT_TOK], slen[NX_TEXT_TOK];
};

static inline void nx_memo_for(nameidx_scratch *s, const nameidx *ix)
{
	if (s->memo_ix != ix->build_id) {
		s->memo_ix = ix->build_id;
		if (++s->memo_gen == 0) {
			memset(s->lmemo, 0, sizeof(s->lmemo));
			memset(s->wmemo, 0, sizeof(s->wmemo));
			s->memo_gen = 1;
		}
	}
}

uint64_t nx_hash(const char *s, size_t len);
int nx_tab_init(nx_table *t, size_t items);
void nx_tab_free(nx_table *t);
void nx_tab_put(nx_table *t, uint64_t h, uint32_t idx);
/* Set of the characters of s (a-z, digits, key capitals), one bit
 * each: one edit changes at most two bits, so popcount(a ^ b) > 2 d
 * proves an edit distance above d. */
uint32_t nx_mask(const char *s, size_t len);
/* Find the item whose stored string equals s: eq(ctx, idx, s, len). */
uint32_t nx_find(const nx_table *t, const char *s, size_t len,
		 int (*eq)(const void *ctx, uint32_t idx, const char *s,
			   size_t len),
		 const void *ctx);
uint32_t nx_tok_find(const nameidx *ix, const char *s, size_t len);
uint32_t nx_grp_find(const nameidx *ix, const char *key, size_t klen);
/* Bucket of groups within one deletion of key (or NX_NONE). */
uint32_t nx_del_find(const nameidx *ix, const char *key, size_t klen);

/* 1 when s is an ordinary payment/trade word (never a lone text hit). */
int nx_text_word(const char *s, size_t len);

/* Fill sc->en with entry e (tokens, weights, text). */
void nx_entry_name(const nameidx *ix, uint32_t e, score_name *out);
/* Re-weight the parsed query tokens with dictionary weights. */
void nx_reweight(const nameidx *ix, score_name *q);
/* Dictionary words within reach of query word q (t: its token id or
 * NX_NONE), into m[NX_MAX_TOKMATCH]; returns their number.  Uses the
 * precomputed neighbours when t has them. */
int nx_lookup_word(const nameidx *ix, nameidx_scratch *s,
		   const score_tok *q, uint32_t t, nx_nbr *m,
		   wl_ent_type type);
/* Tokens whose phonetic key is phon: *n of them, or NULL. */
const uint32_t *nx_phon_find(const nameidx *ix, const char *phon,
			     size_t len, uint32_t *n);
/* Phonetic-key table, then every dictionary word's neighbours
 * (nameidx_nbr.c). */
int nx_finish_neighbours(nameidx *ix);

/* 32-bit id of a token's phonetic key (score_phon), 0 when the
 * token takes no part in phonetic similarity (shorter than 4 letters,
 * numeric, initial, or a key under 3 classes). */
uint32_t nx_phon_id(const char *s, size_t len, uint8_t flags);

/* Make sure the scratch arrays hold ix's entries; 0 or -ENOMEM. */
int nx_scratch_fit(nameidx_scratch *s, const nameidx *ix);

#endif
