/*
 * icsv.c - loader for "interdict-csv", the project's own format for
 * in-house block lists, allow lists and controlled-goods lists
 * (documented in docs/interdict-csv.md).
 *
 * The format is meant to be written by hand or exported from a
 * spreadsheet, so it is forgiving about layout (columns by name in any
 * order, '#' comment lines, blank lines, empty cells) and strict about
 * meaning: the header decides which of the three kinds the file is, an
 * unknown column, entity type, name strength, id type, country or date
 * fails the load with file:line.  A typo in a block list must never
 * silently turn into a list that blocks nothing.  Block-list rows with
 * the same entry merge into one entity, so one row per name or id is
 * the natural way to write an entity with many of them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "country.h"
#include "lists/csv.h"
#include "lists/loader.h"

enum col {
	/* block list */
	K_ENTRY, K_TYPE, K_NAME, K_STRENGTH, K_ID_TYPE, K_ID_VALUE, K_COUNTRY,
	K_DOB, K_PROGRAM,
	/* allow list (also uses K_ENTRY) */
	K_PARTY, K_ACCOUNT, K_LIST, K_REASON,
	/* goods */
	K_HS, K_TIER, K_DESC,
	K__COUNT
};

static const char *const col_names[K__COUNT] = {
	"entry", "type", "name", "strength", "id_type", "id_value", "country",
	"dob", "program", "party_name", "account", "list", "reason", "hs",
	"tier", "description"
};

enum kind { KIND_BLOCK, KIND_ALLOW, KIND_GOODS };

/* Columns each kind accepts (bit per enum col). */
#define B(c) (1u << (c))
static const unsigned kind_cols[] = {
	[KIND_BLOCK] = B(K_ENTRY) | B(K_TYPE) | B(K_NAME) | B(K_STRENGTH) |
		       B(K_ID_TYPE) | B(K_ID_VALUE) | B(K_COUNTRY) | B(K_DOB) |
		       B(K_PROGRAM),
	[KIND_ALLOW] = B(K_PARTY) | B(K_ACCOUNT) | B(K_LIST) | B(K_ENTRY) |
		       B(K_REASON),
	[KIND_GOODS] = B(K_HS) | B(K_TIER) | B(K_DESC),
};

typedef struct icsv {
	wl_list *l;
	csv_reader *r;
	enum kind kind;
	int col[K__COUNT]; /* field index or -1 */
	int nf;            /* header field count */
	char **f;
	size_t *n;
	char *errstr;
	size_t errlen;
} icsv;

static int fail(icsv *c, const char *why, const char *what)
{
	snprintf(c->errstr, c->errlen, "%s:%u: %s%s%s%s", csv_path(c->r),
		 csv_line(c->r), why, what ? " '" : "", what ? what : "",
		 what ? "'" : "");
	return -EINVAL;
}

/* Cell of column k in the current row ("" when the column is absent). */
static const char *cell(const icsv *c, enum col k, size_t *len)
{
	if (c->col[k] < 0) {
		*len = 0;
		return "";
	}
	*len = c->n[c->col[k]];
	return c->f[c->col[k]];
}

static int header(icsv *c, int nf)
{
	unsigned seen = 0;

	for (int k = 0; k < K__COUNT; k++)
		c->col[k] = -1;
	for (int i = 0; i < nf; i++) {
		int k = 0;

		while (k < K__COUNT && strcasecmp(c->f[i], col_names[k]))
			k++;
		if (k == K__COUNT)
			return fail(c, "unknown column", c->f[i]);
		if (seen & B(k))
			return fail(c, "duplicate column", c->f[i]);
		seen |= B(k);
		c->col[k] = i;
	}
	if (seen & (B(K_PARTY) | B(K_ACCOUNT)))
		c->kind = KIND_ALLOW;
	else if (seen & B(K_HS))
		c->kind = KIND_GOODS;
	else if (seen & B(K_ENTRY))
		c->kind = KIND_BLOCK;
	else
		return fail(c, "header needs entry (block list), "
			    "party_name/account (allow list) or hs (goods)",
			    NULL);
	if (seen & ~kind_cols[c->kind])
		return fail(c, "column not allowed in this kind of file", NULL);
	if (c->kind == KIND_ALLOW && !(seen & B(K_ENTRY)))
		return fail(c, "allow list needs an entry column", NULL);
	c->nf = nf;
	return 0;
}

static int parse_type(const char *s, wl_ent_type *t)
{
	for (int i = 0; i < WL_ENT__COUNT; i++) {
		if (!strcasecmp(s, wl_ent_type_name((wl_ent_type)i))) {
			*t = (wl_ent_type)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_strength(const char *s, wl_name_strength *st)
{
	for (int i = 0; i < WL_NAME__COUNT; i++) {
		if (!strcasecmp(s, wl_name_strength_name((wl_name_strength)i))) {
			*st = (wl_name_strength)i;
			return 0;
		}
	}
	return -EINVAL;
}

/* The entity for this row, created on first sight; sets *created. */
static int64_t row_entity(icsv *c, int *created)
{
	size_t n, tn;
	const char *id = cell(c, K_ENTRY, &n), *ts = cell(c, K_TYPE, &tn);
	wl_ent_type t = WL_ENT_UNKNOWN;
	int64_t e;

	if (!n)
		return fail(c, "empty entry", NULL);
	if (tn && parse_type(ts, &t) < 0)
		return fail(c, "unknown type", ts);
	e = wl_list_find(c->l, id, n);
	*created = e < 0;
	if (e < 0)
		return wl_list_add_entity(c->l, id, n, t);
	if (tn) {
		wl_ent_type old = (wl_ent_type)c->l->entities[e].type;

		if (old != WL_ENT_UNKNOWN && old != t)
			return fail(c, "type conflicts with an earlier row", ts);
		wl_entity_set_type(c->l, (uint32_t)e, t);
	}
	return e;
}

static int block_name(icsv *c, uint32_t e, int created)
{
	size_t n, sn;
	const char *s = cell(c, K_NAME, &n), *ss = cell(c, K_STRENGTH, &sn);
	wl_name_strength st = created ? WL_NAME_PRIMARY : WL_NAME_STRONG;

	if (sn && parse_strength(ss, &st) < 0)
		return fail(c, "unknown strength", ss);
	if (sn && !n)
		return fail(c, "strength without a name", NULL);
	return wl_entity_add_name(c->l, e, s, n, st);
}

static int block_id(icsv *c, uint32_t e)
{
	size_t tn, vn;
	const char *ts = cell(c, K_ID_TYPE, &tn), *v = cell(c, K_ID_VALUE, &vn);
	wl_id_type t;

	if (!tn && !vn)
		return 0;
	if (!tn || !vn)
		return fail(c, "id_type and id_value go together", NULL);
	t = wl_id_type_from_name(ts, tn);
	if (t == WL_ID_OTHER && strcasecmp(ts, "other"))
		return fail(c, "unknown id_type", ts);
	return wl_entity_add_id(c->l, e, t, v, vn);
}

static int block_facts(icsv *c, uint32_t e)
{
	size_t n;
	const char *s = cell(c, K_COUNTRY, &n);
	char cc[3];
	wl_date d;
	int rc = 0;

	if (n) {
		if (country_lookup(s, n, cc) < 0)
			return fail(c, "unknown country", s);
		rc = wl_entity_add_country(c->l, e, cc);
	}
	s = cell(c, K_DOB, &n);
	if (!rc && n) {
		if (wl_date_parse(s, n, &d) < 0)
			return fail(c, "bad dob (want YYYY, YYYY-MM or YYYY-MM-DD)", s);
		rc = wl_entity_add_dob(c->l, e, d);
	}
	s = cell(c, K_PROGRAM, &n);
	if (!rc && n)
		rc = wl_entity_add_program(c->l, e, s, n);
	return rc;
}

static int block_row(icsv *c)
{
	int created = 0, rc;
	int64_t e = row_entity(c, &created);

	if (e < 0)
		return (int)e;
	rc = block_name(c, (uint32_t)e, created);
	if (!rc)
		rc = block_id(c, (uint32_t)e);
	if (!rc)
		rc = block_facts(c, (uint32_t)e);
	return rc;
}

static int allow_row(icsv *c)
{
	size_t pn, an, en, ln, rn;
	wl_allow a;

	a.party_name = cell(c, K_PARTY, &pn);
	a.account = cell(c, K_ACCOUNT, &an);
	a.list = cell(c, K_LIST, &ln);
	a.entry = cell(c, K_ENTRY, &en);
	a.reason = cell(c, K_REASON, &rn);
	if (!pn && !an)
		return fail(c, "allow row needs party_name or account", NULL);
	if (!en)
		return fail(c, "allow row needs an entry", NULL);
	return wl_list_add_allow(c->l, &a);
}

static int goods_row(icsv *c)
{
	size_t hn, tn, dn, o = 0;
	const char *h = cell(c, K_HS, &hn), *t = cell(c, K_TIER, &tn);
	const char *d = cell(c, K_DESC, &dn);
	char hs[11];

	for (size_t i = 0; i < hn; i++) {
		if (h[i] == '.' || h[i] == ' ')
			continue;
		if (h[i] < '0' || h[i] > '9' || o == 10)
			return fail(c, "bad hs code (want 2-10 digits)", h);
		hs[o++] = h[i];
	}
	hs[o] = '\0';
	if (o < 2)
		return fail(c, "bad hs code (want 2-10 digits)", h);
	if (tn >= 8)
		return fail(c, "tier longer than 7 characters", t);
	return wl_list_add_good(c->l, hs, t, d, dn);
}

static int one_row(icsv *c, int nf)
{
	char why[64];

	if (nf != c->nf) {
		snprintf(why, sizeof(why), "expected %d fields, got %d", c->nf,
			 nf);
		return fail(c, why, NULL);
	}
	if (c->kind == KIND_BLOCK)
		return block_row(c);
	if (c->kind == KIND_ALLOW)
		return allow_row(c);
	return goods_row(c);
}

int wl_load_icsv(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	icsv c = { .l = l, .errstr = errstr, .errlen = errlen, .nf = 0 };
	int nf, rc = 0;

	c.r = csv_open(path, ',', CSV_F_UTF8, errstr, errlen);
	if (!c.r)
		return errno ? -errno : -EIO;
	while ((nf = csv_next(c.r, &c.f, &c.n)) > 0) {
		if (c.f[0][0] == '#')
			continue; /* comment line */
		rc = c.nf ? one_row(&c, nf) : header(&c, nf);
		if (rc < 0)
			break;
	}
	if (nf < 0 && !rc)
		rc = nf;
	if (!rc && !c.nf) {
		snprintf(errstr, errlen, "%s: no header line", path);
		rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		snprintf(errstr, errlen, "%s: out of memory", path);
	csv_close(c.r);
	return rc;
}
