/*
 * rules.h - export-control rules over routes, countries and goods.
 *
 * A rules_set is parsed once from a rules file (format documented in
 * deploy/rules.default) and is immutable afterwards: any number of
 * threads may call rules_eval() on it concurrently.  rules_eval()
 * allocates nothing; hits go to a caller array.
 *
 * The input is a plain struct so that this module does not depend on
 * the event parser: the caller fills country codes (alpha-2, upper
 * case, "" when absent), party addresses and the controlled goods the
 * goods matcher found.
 */
#ifndef INTERDICT_RULES_H
#define INTERDICT_RULES_H

#include <stddef.h>
#include <stdint.h>

#define RULES_MAX_VIA 8

typedef enum rules_decision {
	RULES_REVIEW = 1,
	RULES_BLOCK = 2,
} rules_decision;

typedef struct rules_party {
	const char *role;        /* "debtor", "end_user"...; may be NULL */
	char country[3];         /* "" when absent */
	char nationality[3];
	const char *address;     /* free text; may be NULL */
	size_t address_len;
} rules_party;

typedef struct rules_good {
	char hs[11];             /* digits of the event's code */
	char tier[8];            /* listed tier, e.g. "1" or "3.A" */
} rules_good;

typedef struct rules_input {
	char origin[3];
	char via[RULES_MAX_VIA][3];
	unsigned n_via;
	char destination[3];
	const rules_party *parties;   /* field "parties[i]" */
	unsigned n_parties;
	const rules_good *goods;      /* controlled goods matched (CHPL) */
	unsigned n_goods;
	char end_user[3];    /* end-user country; "" = take the parties'
				role end_user, if any */
	char vessel_flag[3];
} rules_input;

typedef struct rules_hit {
	const char *rule;        /* rule name, owned by the set */
	rules_decision decision;
	uint8_t goods;           /* 1: the rule required a controlled good
				    (goods=chpl), so the goods are part of
				    the finding */
	char field[40];          /* "route.destination", "parties[2].address" */
	char reason[160];        /* short human explanation */
} rules_hit;

typedef struct rules_set rules_set;

/*
 * Parse rules text; name is used in error messages.  NULL on error,
 * with "name:line: reason" in err (errlen bytes).
 */
rules_set *rules_parse(const char *text, size_t len, const char *name,
		       char *err, size_t errlen);
/* Read and parse a file; NULL with "path:line: reason" or
 * "path: strerror" in err. */
rules_set *rules_load(const char *path, char *err, size_t errlen);
/* The built-in defaults (same text as deploy/rules.default). */
rules_set *rules_default(char *err, size_t errlen);
extern const char rules_default_text[];
void rules_free(rules_set *r);
size_t rules_count(const rules_set *r);

/*
 * Evaluate: writes up to max hits (one per rule and field where it
 * fired) and returns the number written (<= max; hits beyond max are
 * dropped).  Thread safe, no allocation.
 */
size_t rules_eval(const rules_set *r, const rules_input *in, rules_hit *out,
		  size_t max);

#endif
