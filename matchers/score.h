/*
 * score.h - pairwise name scoring: how alike are two normalised names?
 *
 * A name is a bag of tokens (norm.h canonical form).  Each token
 * carries a weight (how much it identifies: rare surnames weigh a lot,
 * "trading" or "de" little) and a transliteration-tolerant key
 * (score_key: kh/h, ks/x, yo/io/e, iy/y/i, ou/u, ph/f, w/v, double
 * letters...).  score_names() aligns the tokens of both names order-
 * insensitively (best pairs first), compares the aligned pairs with a
 * bounded edit distance on text and key, and returns a weighted,
 * calibrated similarity in [0,1]: identical names score 1, a name
 * with one extra unmatched content word scores well below the review
 * threshold, a transliteration variant scores ~0.95.  See
 * docs/matching.md for what the numbers mean.
 *
 * Legal forms (norm_legal_form) are cut off a name before alignment
 * and only compared as weak evidence ("OOO X" ~ "X LLC").
 *
 * Thread: every function is pure over its arguments; a score_name is
 * owned by its caller.  score_compare() needs a norm_ctx, which is
 * per thread (norm.h).  Nothing here allocates.
 */
#ifndef INTERDICT_SCORE_H
#define INTERDICT_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "norm.h"

#define SCORE_MAX_TOK 24    /* tokens kept per name; the rest ignored */
#define SCORE_KEY_MAX 64    /* bytes of one token key incl. NUL */
#define SCORE_TEXT_MAX 512  /* bytes of one normalised name */

/* Token flags. */
enum {
	SCORE_TF_NUMERIC = 1,  /* contains a digit: must agree exactly */
	SCORE_TF_INITIAL = 2,  /* a single letter ("v" of "V. Putin") */
	SCORE_TF_STOP = 4,     /* connector or title ("de", "mr") */
	SCORE_TF_GENERIC = 8,  /* common business word ("trading") */
};

typedef struct score_tok {
	const char *s;      /* token text, not NUL-terminated */
	const char *key;    /* transliteration key (score_key) */
	uint16_t len, klen;
	uint8_t flags;      /* SCORE_TF_* */
	float w;            /* weight > 0 */
} score_tok;

typedef struct score_name {
	score_tok tok[SCORE_MAX_TOK];
	int n;
	uint8_t lf;         /* enum norm_lf_kind of the name's legal form(s) */
	/* storage for keys and text when built by score_name_parse() */
	char keybuf[SCORE_MAX_TOK * 16];
	char text[SCORE_TEXT_MAX];
	size_t text_len;
} score_name;

/* One aligned pair in an explanation (indexes into a/b tok). */
typedef struct score_pair {
	int8_t a, b;        /* -1 when unmatched */
	float sim;
} score_pair;

typedef struct score_detail {
	score_pair pair[2 * SCORE_MAX_TOK];
	int n_pair;
	double token_score; /* before legal-form / join adjustments */
	double join_score;  /* concatenated-string similarity, 0 if unused */
	int lf_agree;       /* 1 same family, -1 different, 0 unknown */
} score_detail;

/*
 * Transliteration-tolerant key of one lower-case ASCII token into out
 * (cap bytes, NUL-terminated).  Returns the key length (truncated to
 * cap-1).  Pure, thread safe.
 */
size_t score_key(const char *tok, size_t len, char *out, size_t cap);

/*
 * Coarse phonetic key (consonant classes, vowels dropped) of a
 * lower-case ASCII token into out (cap bytes, NUL-terminated); returns
 * its length.  Used for candidate generation and as a weaker token
 * similarity (SCORE_PHON_SIM) when text and key disagree.
 */
size_t score_phon(const char *tok, size_t len, char *out, size_t cap);
#define SCORE_PHON_SIM 0.9f

/* Levenshtein distance of a and b, or max+1 when it exceeds max. */
int score_lev_bounded(const char *a, size_t alen, const char *b,
		      size_t blen, int max);

/* Similarity of two tokens in [0,1] (1 identical, ~0.95 same key,
 * 0 for different numbers). */
float score_tok_sim(const score_tok *a, const score_tok *b,
		    wl_ent_type type);

/* score_tok_sim() when it is >= minsim (>= 0.5), else possibly 0:
 * tighter edit-distance bounds, for candidate lookups. */
float score_tok_sim_min(const score_tok *a, const score_tok *b,
			wl_ent_type type, float minsim);

/* score_tok_sim_min() without the phonetic-key step (callers that
 * cache phonetic keys apply SCORE_PHON_SIM themselves). */
float score_tok_sim_nophon(const score_tok *a, const score_tok *b,
			   wl_ent_type type, float minsim);

/* Default weight and flags of a token when no list statistics are at
 * hand (length-based, connectors and business words weigh less). */
float score_default_weight(const char *tok, size_t len, uint8_t *flags);

/*
 * Split a normalised name (single spaces, norm.h form) into n: strips
 * leading/trailing legal forms into n->lf, computes keys and default
 * weights.  Text is copied into n.  Returns the token count (0 when no
 * token is left).
 */
/* Options of score_name_parse_opt(). */
#define SCORE_PARSE_PERSON 0x1 /* a person's name: "Mauro Sa" keeps "sa";
				  legal forms are not stripped */
int score_name_parse_opt(score_name *n, const char *norm, size_t len,
			 unsigned opt);
int score_name_parse(score_name *n, const char *norm, size_t len);

/*
 * Score two parsed names.  type is the entity type of the listed side
 * (WL_ENT_UNKNOWN allowed): persons tolerate missing middle names and
 * initials, organisations and vessels penalise every extra word.
 * d (may be NULL) receives the alignment.  Returns [0,1].
 */
double score_names(const score_name *a, const score_name *b,
		   wl_ent_type type, score_detail *d);

/*
 * Write a readable alignment of a and b ("vladimir = vladimir 1.00",
 * "- vladimirovich (missing)") into buf; returns bytes written.
 */
size_t score_explain(const score_name *a, const score_name *b,
		     const score_detail *d, double score, char *buf,
		     size_t cap);

/*
 * The `interdict compare` primitive: normalises both raw names (any
 * script), removes payment-field residue (party labels such as
 * "BENEFICIARY:", vessel prefixes "MV", "(ex-NAME)" former names,
 * branch and port annotations), and returns the best score over the
 * name and its cleaned parts.  explain (may be NULL) gets the
 * alignment.  Returns [0,1], or -errno on invalid UTF-8.
 */
double score_compare(norm_ctx *nc, const char *a, size_t alen,
		     const char *b, size_t blen, wl_ent_type type,
		     char *explain, size_t explain_cap);

/*
 * Raw-text variants of one party name, for payment-field residue:
 * v[0] is the name itself; then (when different) the name without a
 * "LABEL:" prefix, cue-marked parentheticals ("(Kakamega Branch)",
 * "(ex-NAME)", "(... flag)"), and trailing ", ..." / " - ..." / "c/o"
 * segments (not for persons, whose comma is "SURNAME, Given"); then
 * each former name ("ex-NAME", "f.k.a. NAME").  Strings are written
 * into buf (cap bytes); returns the count (>= 1 when cap suffices).
 */
#define SCORE_MAX_VARIANTS 4
int score_clean_variants(const char *s, size_t len, wl_ent_type type,
			 char *buf, size_t cap, const char **v, size_t *vl,
			 int max);

/* Default threshold at which score_compare calls a pair a match. */
#define SCORE_MATCH_THRESHOLD 0.80

#endif
