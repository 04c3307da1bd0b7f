/*
 * ftm.c - loader for OpenSanctions FollowTheMoney entities (JSON lines).
 *
 * FtM is the richest input we get: one entity per line, every property
 * an array of strings, names in many scripts, and typed identifiers
 * (INN, OGRN, IMO...) as their own properties instead of buried in
 * remarks.  The loader maps the screenable schemas (Person, the
 * organisation family, Vessel, Airplane, CryptoWallet) onto wl_entity
 * and skips the rest (Sanction, Ownership, Address...): they describe
 * relations, not parties, and a dataset legitimately contains them, so
 * skipping is not an error.
 *
 * Lines are tokenized with the project's strict json.c; the token
 * array is sized from the line length (a token needs at least two
 * bytes), so no line can overflow it.  Any line that is not valid
 * UTF-8 JSON, or has FtM fields of the wrong type (a property that is
 * not an array of strings), fails the whole load with "file:line:
 * reason" - a half-understood sanctions list is worse than none.
 * Property values that are messy but typed right (birth dates such as
 * "1.1.1960 or 1961", nationalities such as "Ukrainian, Russian") are
 * parsed best-effort; what cannot be parsed is kept as an attribute.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "loader.h"
#include "xmlutil.h"

#define FTM_MAX_LINE (64u << 20)
#define FTM_MAX_DEPTH 16

typedef enum ftm_kind {
	FTM_NAME,
	FTM_ID,
	FTM_COUNTRY,
	FTM_DOB,
	FTM_PROGRAM,
	FTM_ATTR,
	FTM_REMARKS,
} ftm_kind;

typedef struct ftm_prop {
	const char *name;
	uint8_t kind;   /* ftm_kind */
	uint8_t arg;    /* strength or id type */
	const char *key; /* attribute key */
} ftm_prop;

static const ftm_prop ftm_props[] = {
	{ "name", FTM_NAME, WL_NAME_STRONG, NULL }, /* first: primary */
	{ "alias", FTM_NAME, WL_NAME_STRONG, NULL },
	{ "weakAlias", FTM_NAME, WL_NAME_WEAK, NULL },
	{ "previousName", FTM_NAME, WL_NAME_FORMER, NULL },
	{ "imoNumber", FTM_ID, WL_ID_IMO, NULL },
	{ "mmsi", FTM_ID, WL_ID_MMSI, NULL },
	{ "innCode", FTM_ID, WL_ID_INN, NULL },
	{ "ogrnCode", FTM_ID, WL_ID_OGRN, NULL },
	{ "kppCode", FTM_ID, WL_ID_KPP, NULL },
	{ "swiftBic", FTM_ID, WL_ID_BIC, NULL },
	{ "bicCode", FTM_ID, WL_ID_BIC, NULL },
	{ "leiCode", FTM_ID, WL_ID_LEI, NULL },
	{ "idNumber", FTM_ID, WL_ID_NATIONAL_ID, NULL },
	{ "taxNumber", FTM_ID, WL_ID_TAX, NULL },
	{ "vatCode", FTM_ID, WL_ID_TAX, NULL },
	{ "registrationNumber", FTM_ID, WL_ID_REGISTRATION, NULL },
	{ "passportNumber", FTM_ID, WL_ID_PASSPORT, NULL },
	{ "callSign", FTM_ID, WL_ID_CALLSIGN, NULL },
	{ "ibanNumber", FTM_ID, WL_ID_IBAN, NULL },
	{ "accountNumber", FTM_ID, WL_ID_ACCOUNT, NULL },
	{ "okpoCode", FTM_ID, WL_ID_OTHER, NULL },
	{ "publicKey", FTM_ID, WL_ID_CRYPTO, NULL },
	{ "nationality", FTM_COUNTRY, 0, "nationality" },
	{ "citizenship", FTM_COUNTRY, 0, "nationality" },
	{ "country", FTM_COUNTRY, 0, "country" },
	{ "jurisdiction", FTM_COUNTRY, 0, "country" },
	{ "flag", FTM_COUNTRY, 0, "flag" },
	{ "birthDate", FTM_DOB, 0, "dob" },
	{ "program", FTM_PROGRAM, 0, NULL },
	{ "programId", FTM_PROGRAM, 0, NULL },
	{ "topics", FTM_ATTR, 0, "topics" },
	{ "gender", FTM_ATTR, 0, "gender" },
	{ "birthPlace", FTM_ATTR, 0, "pob" },
	{ "birthCountry", FTM_ATTR, 0, "birth_country" },
	{ "position", FTM_ATTR, 0, "position" },
	{ "address", FTM_ATTR, 0, "address" },
	{ "legalForm", FTM_ATTR, 0, "legal_form" },
	{ "incorporationDate", FTM_ATTR, 0, "incorporation_date" },
	{ "type", FTM_ATTR, 0, "type" },
	{ "buildDate", FTM_ATTR, 0, "build_date" },
	{ "notes", FTM_REMARKS, 0, "remarks" },
};

static const struct {
	const char *schema;
	wl_ent_type type;
} ftm_schemas[] = {
	{ "Person", WL_ENT_PERSON },	    { "Organization", WL_ENT_ORG },
	{ "Company", WL_ENT_ORG },	    { "LegalEntity", WL_ENT_ORG },
	{ "PublicBody", WL_ENT_ORG },	    { "Vessel", WL_ENT_VESSEL },
	{ "Airplane", WL_ENT_AIRCRAFT },    { "CryptoWallet", WL_ENT_WALLET },
};

/* Per-load state; the buffers are reused from line to line. */
typedef struct ftm_ctx {
	wl_list *l;
	const char *path;
	long line;
	const char *buf;  /* current line */
	json_tok *tok;
	uint32_t tok_cap;
	char *dec;        /* decoded string scratch */
	size_t dec_cap;
	uint32_t skipped, bad_country, bad_date, dup_ids;
	int named;        /* current entity got a name property */
	char *errstr;
	size_t errlen;
} ftm_ctx;

static int ftm_fail(ftm_ctx *c, int rc, const char *why, const char *what)
{
	snprintf(c->errstr, c->errlen, "%s:%ld: %s%s%s%s", c->path, c->line,
		 why, what ? " \"" : "", what ? what : "", what ? "\"" : "");
	return rc;
}

/* String token t as (pointer, length), decoding escapes into c->dec. */
static const char *ftm_str(ftm_ctx *c, const json_tok *t, size_t *len)
{
	int n;

	if (!t->escaped) {
		*len = t->len;
		return c->buf + t->start;
	}
	n = json_str_decode(c->buf, t, c->dec, c->dec_cap);
	*len = n < 0 ? 0 : (size_t)n;
	return c->dec;
}

/* Find ftm_props entry for the key token, or NULL. */
static const ftm_prop *ftm_prop_of(ftm_ctx *c, const json_tok *key)
{
	for (size_t i = 0; i < sizeof(ftm_props) / sizeof(ftm_props[0]); i++)
		if (json_str_eq(c->buf, key, ftm_props[i].name))
			return &ftm_props[i];
	return NULL;
}

/* Length up to and including the first run of 4 digits, or 0. */
static size_t ftm_cut_year(const char *s, size_t len)
{
	size_t run = 0;

	for (size_t i = 0; i < len; i++) {
		run = (s[i] >= '0' && s[i] <= '9') ? run + 1 : 0;
		if (run == 4 && (i + 1 == len || s[i + 1] < '0' ||
				 s[i + 1] > '9'))
			return i + 1;
	}
	return 0;
}

/* One date-like segment; 1 when a date was added, 0 not, -ENOMEM. */
static int ftm_dob_seg(ftm_ctx *c, uint32_t e, const char *s, size_t len)
{
	wl_date d;
	size_t cut;
	int rc;

	if (wl_date_parse(s, len, &d) < 0) {
		cut = ftm_cut_year(s, len);
		if (!cut || wl_date_parse(s, cut, &d) < 0) {
			if (cut < 4 || wl_date_parse(s + cut - 4, 4, &d) < 0)
				return 0;
		}
	}
	rc = wl_entity_add_dob(c->l, e, d);
	return rc < 0 ? rc : 1;
}

/* "1.1.1960 or 1961", "1960 (possibly: 2 April)": every date found. */
static int ftm_dob(ftm_ctx *c, uint32_t e, const char *s, size_t len)
{
	size_t i = 0, start = 0;
	int found = 0;

	while (i <= len) {
		size_t k = 0;

		if (i == len || s[i] == ',' || s[i] == '/' || s[i] == ';' ||
		    s[i] == '(' || s[i] == ')')
			k = 1;
		else if (len - i >= 4 && !memcmp(s + i, " or ", 4))
			k = 4;
		if (!k) {
			i++;
			continue;
		}
		if (i > start) {
			int rc = ftm_dob_seg(c, e, s + start, i - start);

			if (rc < 0)
				return rc;
			found += rc;
		}
		i += k;
		start = i;
	}
	if (found)
		return 0;
	c->bad_date++;
	return wl_entity_add_attr(c->l, e, "dob", s, len);
}

static int ftm_value(ftm_ctx *c, uint32_t e, wl_ent_type type,
		     const ftm_prop *p, const char *s, size_t len, int first)
{
	int rc;

	switch (p->kind) {
	case FTM_NAME:
		return wl_entity_add_name(c->l, e, s, len,
					  first ? WL_NAME_PRIMARY :
						  (wl_name_strength)p->arg);
	case FTM_ID:
		return wl_entity_add_id(c->l, e, (wl_id_type)p->arg, s, len);
	case FTM_COUNTRY:
		rc = xu_add_country(c->l, e, s, len);
		if (rc != 0)
			return rc < 0 ? rc : 0;
		c->bad_country++;
		return wl_entity_add_attr(c->l, e, p->key, s, len);
	case FTM_DOB:
		return ftm_dob(c, e, s, len);
	case FTM_PROGRAM:
		return wl_entity_add_program(c->l, e, s, len);
	case FTM_REMARKS:
		rc = wl_entity_add_attr(c->l, e, p->key, s, len);
		return rc < 0 ? rc : wl_remarks_parse(c->l, e, s, len);
	default:
		/* A wallet's "address" is its on-chain address. */
		if (type == WL_ENT_WALLET && !strcmp(p->name, "address"))
			return wl_entity_add_id(c->l, e, WL_ID_CRYPTO, s, len);
		return wl_entity_add_attr(c->l, e, p->key, s, len);
	}
}

/* All properties of one entity; v is the "properties" object token. */
static int ftm_props_load(ftm_ctx *c, uint32_t e, wl_ent_type type, int v)
{
	const json_tok *t = c->tok;
	int k = v + 1;

	for (uint32_t i = 0; i < t[v].size; i++, k = (int)t[k + 1].end) {
		const ftm_prop *p = ftm_prop_of(c, &t[k]);
		int a = k + 1;

		if (!p)
			continue;
		if (t[a].type != JSON_ARRAY)
			return ftm_fail(c, -EINVAL, "property is not an array:",
					p->name);
		for (int j = a + 1; j < (int)t[a].end; j++) {
			size_t len;
			const char *s;
			int rc;

			if (t[j].type != JSON_STRING)
				return ftm_fail(c, -EINVAL,
						"property value is not a string:",
						p->name);
			s = ftm_str(c, &t[j], &len);
			rc = ftm_value(c, e, type, p, s, len,
				       p->kind == FTM_NAME && !c->named &&
					       !strcmp(p->name, "name"));
			if (p->kind == FTM_NAME && len &&
			    !strcmp(p->name, "name"))
				c->named = 1;
			if (rc < 0)
				return ftm_fail(c, rc, strerror(-rc), NULL);
		}
	}
	return 0;
}

static int ftm_schema_type(ftm_ctx *c, const json_tok *t, wl_ent_type *type)
{
	for (size_t i = 0; i < sizeof(ftm_schemas) / sizeof(ftm_schemas[0]);
	     i++)
		if (json_str_eq(c->buf, t, ftm_schemas[i].schema)) {
			*type = ftm_schemas[i].type;
			return 1;
		}
	return 0;
}

/*
 * Add the entity under its FtM id.  Some exports reuse one id for
 * unrelated records (the EU journal conversion hashes the annex, not
 * the row: a person and a company share "eu-11407b0b2741e67f").
 * Merging them would give a person a company's names, so a reused id
 * becomes a separate entity "ID~2", "ID~3"... counted as a warning.
 */
static int64_t ftm_add_entity(ftm_ctx *c, const char *s, size_t len,
			      wl_ent_type type)
{
	char alt[160];
	int n;

	if (wl_list_find(c->l, s, len) < 0)
		return wl_list_add_entity(c->l, s, len, type);
	c->dup_ids++;
	for (unsigned k = 2;; k++) {
		n = snprintf(alt, sizeof(alt), "%.*s~%u",
			     (int)(len > 120 ? 120 : len), s, k);
		if (wl_list_find(c->l, alt, (size_t)n) < 0)
			return wl_list_add_entity(c->l, alt, (size_t)n, type);
	}
}

/* One parsed entity (tokens in c->tok). */
static int ftm_entity(ftm_ctx *c)
{
	const json_tok *t = c->tok;
	int sc, id, pr, cap;
	wl_ent_type type;
	const char *s;
	size_t len;
	int64_t e;
	int rc;

	if (t[0].type != JSON_OBJECT)
		return ftm_fail(c, -EINVAL, "entity is not a JSON object", NULL);
	sc = json_obj_get(c->buf, t, 0, "schema");
	if (sc < 0 || t[sc].type != JSON_STRING)
		return ftm_fail(c, -EINVAL, "missing or non-string", "schema");
	if (!ftm_schema_type(c, &t[sc], &type)) {
		c->skipped++;
		return 0;
	}
	id = json_obj_get(c->buf, t, 0, "id");
	if (id < 0 || t[id].type != JSON_STRING || !t[id].len)
		return ftm_fail(c, -EINVAL, "missing or non-string", "id");
	s = ftm_str(c, &t[id], &len);
	e = ftm_add_entity(c, s, len, type);
	if (e < 0)
		return ftm_fail(c, (int)e, strerror((int)-e), NULL);
	pr = json_obj_get(c->buf, t, 0, "properties");
	if (pr >= 0 && t[pr].type != JSON_OBJECT)
		return ftm_fail(c, -EINVAL, "not an object:", "properties");
	c->named = 0;
	rc = pr >= 0 ? ftm_props_load(c, (uint32_t)e, type, pr) : 0;
	if (rc < 0)
		return rc;
	/* Entities without a name property (wallets) go by their caption. */
	cap = json_obj_get(c->buf, t, 0, "caption");
	if (cap >= 0 && t[cap].type == JSON_STRING) {
		s = ftm_str(c, &t[cap], &len);
		rc = wl_entity_add_name(c->l, (uint32_t)e, s, len,
					c->named ? WL_NAME_STRONG :
						   WL_NAME_PRIMARY);
		if (rc < 0)
			return ftm_fail(c, rc, strerror(-rc), NULL);
	}
	return 0;
}

/* Make room for a line of len bytes: tokens and decode scratch. */
static int ftm_reserve(ftm_ctx *c, size_t len)
{
	uint32_t need = (uint32_t)(len / 2 + 4);

	if (need > c->tok_cap) {
		json_tok *t = realloc(c->tok, need * sizeof(*t));

		if (!t)
			return -ENOMEM;
		c->tok = t;
		c->tok_cap = need;
	}
	if (len + 1 > c->dec_cap) {
		char *d = realloc(c->dec, len + 1);

		if (!d)
			return -ENOMEM;
		c->dec = d;
		c->dec_cap = len + 1;
	}
	return 0;
}

static int ftm_line(ftm_ctx *c, const char *line, size_t len)
{
	json_err jerr = { 0, NULL };
	int n, rc;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
		       line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (!len)
		return 0;
	if (len > FTM_MAX_LINE)
		return ftm_fail(c, -E2BIG, "line too long", NULL);
	rc = ftm_reserve(c, len);
	if (rc < 0)
		return ftm_fail(c, rc, strerror(-rc), NULL);
	c->buf = line;
	n = json_parse(line, len, c->tok, c->tok_cap, FTM_MAX_DEPTH, &jerr);
	if (n == -EILSEQ)
		return ftm_fail(c, -EINVAL, "invalid UTF-8", NULL);
	if (n < 0) {
		snprintf(c->errstr, c->errlen, "%s:%ld: invalid JSON: %s (byte %zu)",
			 c->path, c->line, jerr.reason ? jerr.reason : "error",
			 jerr.offset + 1);
		return -EINVAL;
	}
	return ftm_entity(c);
}

static void ftm_warn(ftm_ctx *c)
{
	if (c->dup_ids) {
		c->l->warnings += c->dup_ids;
		fprintf(stderr,
			"%s: warning: %u entities reuse an earlier id (kept apart as ID~N)\n",
			c->path, c->dup_ids);
	}
	if (c->bad_country) {
		c->l->warnings += c->bad_country;
		fprintf(stderr,
			"%s: warning: %u country values not recognised (kept as attributes)\n",
			c->path, c->bad_country);
	}
	if (c->bad_date) {
		c->l->warnings += c->bad_date;
		fprintf(stderr,
			"%s: warning: %u birth dates not understood (kept as attributes)\n",
			c->path, c->bad_date);
	}
}

int wl_load_ftm(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	ftm_ctx c = { .l = l, .path = path, .errstr = errstr, .errlen = errlen };
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (!f) {
		rc = -errno;
		snprintf(errstr, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		c.line++;
		rc = ftm_line(&c, line, (size_t)got);
		if (rc < 0)
			goto out;
	}
	if (ferror(f)) {
		rc = -EIO;
		snprintf(errstr, errlen, "%s:%ld: read error", path, c.line + 1);
		goto out;
	}
	ftm_warn(&c);
out:
	free(line);
	free(c.tok);
	free(c.dec);
	fclose(f);
	return rc;
}
