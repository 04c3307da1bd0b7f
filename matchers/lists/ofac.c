/*
 * ofac.c - loader for OFAC's legacy CSV sets (SDN and non-SDN
 * consolidated): sdn.csv/add.csv/alt.csv/sdn_comments.csv or the cons_
 * equivalents.  Windows-1252, no header, "-0-" for empty.
 *
 * The primary file is read first because it defines the entries; the
 * others refer to them by ent_num.  Remarks are collected per entry
 * and only parsed after sdn_comments.csv has been read, because OFAC
 * cuts long Remarks mid-word and continues them there: parsing the
 * first half alone would yield truncated ids.  add/alt/comments files
 * are published on a different day than sdn.csv, so rows naming an
 * entry that sdn.csv lacks are normal: they are skipped and counted,
 * with one warning line per file.  Anything structurally wrong (wrong
 * field count, non-numeric ent_num, unknown SDN_Type, unclosed quote)
 * fails the whole load with file:line, so a list is never half-loaded.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "country.h"
#include "lists/csv.h"
#include "lists/loader.h"

typedef struct ofac_set {
	const char *id;      /* list id */
	const char *prim, *add, *alt, *comments;
} ofac_set;

static const ofac_set sets[] = {
	{ "ofac-sdn", "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv" },
	{ "ofac-cons", "cons_prim.csv", "cons_add.csv", "cons_alt.csv",
	  "cons_comments.csv" },
};

/* Remarks text per entity index, grown as comments arrive. */
typedef struct remarks {
	char **text;
	size_t *len;
	size_t n;
} remarks;

typedef struct ctx {
	wl_list *l;
	remarks rm;
	char *errstr;
	size_t errlen;
} ctx;

static int is_empty(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n == 0 || (n == 3 && !memcmp(s, "-0-", 3));
}

static int is_number(const char *s, size_t n)
{
	size_t i = 0;

	while (n && s[n - 1] == ' ')
		n--;
	for (; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0 && n < 16;
}

static int fail(ctx *c, csv_reader *r, const char *why)
{
	snprintf(c->errstr, c->errlen, "%s:%u: %s", csv_path(r), csv_line(r),
		 why);
	return -EINVAL;
}

static int ent_type(const char *s, size_t n, wl_ent_type *t)
{
	if (is_empty(s, n))
		*t = WL_ENT_ORG;
	else if (!strcmp(s, "individual"))
		*t = WL_ENT_PERSON;
	else if (!strcmp(s, "vessel"))
		*t = WL_ENT_VESSEL;
	else if (!strcmp(s, "aircraft"))
		*t = WL_ENT_AIRCRAFT;
	else
		return -EINVAL;
	return 0;
}

/* "UKRAINE-EO13660] [RUSSIA-EO14024" -> two programs. */
static int add_programs(wl_list *l, uint32_t e, const char *s, size_t n)
{
	size_t i = 0;

	if (is_empty(s, n))
		return 0;
	while (i < n) {
		size_t j = i;
		int rc;

		while (j < n && s[j] != '[' && s[j] != ']')
			j++;
		rc = wl_entity_add_program(l, e, s + i, j - i);
		if (rc < 0)
			return rc;
		i = j + 1;
	}
	return 0;
}

static int opt_attr(wl_list *l, uint32_t e, const char *key, const char *s,
		    size_t n)
{
	return is_empty(s, n) ? 0 : wl_entity_add_attr(l, e, key, s, n);
}

static int remarks_append(remarks *rm, uint32_t e, const char *s, size_t n)
{
	char *t;

	if (e >= rm->n) {
		size_t cap = e + 1 > rm->n * 2 ? e + 1 : rm->n * 2;
		char **nt = realloc(rm->text, cap * sizeof(*nt));
		size_t *nl;

		if (!nt)
			return -ENOMEM;
		rm->text = nt;
		nl = realloc(rm->len, cap * sizeof(*nl));
		if (!nl)
			return -ENOMEM;
		rm->len = nl;
		memset(rm->text + rm->n, 0, (cap - rm->n) * sizeof(*nt));
		memset(rm->len + rm->n, 0, (cap - rm->n) * sizeof(*nl));
		rm->n = cap;
	}
	t = realloc(rm->text[e], rm->len[e] + n + 1);
	if (!t)
		return -ENOMEM;
	memcpy(t + rm->len[e], s, n);
	rm->len[e] += n;
	t[rm->len[e]] = '\0';
	rm->text[e] = t;
	return 0;
}

static void remarks_free(remarks *rm)
{
	for (size_t i = 0; i < rm->n; i++)
		free(rm->text[i]);
	free(rm->text);
	free(rm->len);
}

/* One sdn.csv row: 12 fields, see the file's layout in the brief. */
static int prim_row(ctx *c, csv_reader *r, char **f, size_t *n)
{
	wl_list *l = c->l;
	wl_ent_type t;
	int64_t e;
	int rc;

	if (!is_number(f[0], n[0]))
		return fail(c, r, "ent_num is not a number");
	if (ent_type(f[2], n[2], &t) < 0)
		return fail(c, r, "unknown SDN_Type");
	if (wl_list_find(l, f[0], n[0]) >= 0)
		return fail(c, r, "duplicate ent_num");
	e = wl_list_add_entity(l, f[0], n[0], t);
	if (e < 0)
		return (int)e;
	rc = wl_entity_add_name(l, (uint32_t)e, f[1], n[1], WL_NAME_PRIMARY);
	if (!rc)
		rc = add_programs(l, (uint32_t)e, f[3], n[3]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "title", f[4], n[4]);
	if (!rc && !is_empty(f[5], n[5]))
		rc = wl_entity_add_id(l, (uint32_t)e, WL_ID_CALLSIGN, f[5], n[5]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "vessel_type", f[6], n[6]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "tonnage", f[7], n[7]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "grt", f[8], n[8]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "flag", f[9], n[9]);
	if (!rc)
		rc = opt_attr(l, (uint32_t)e, "owner", f[10], n[10]);
	if (!rc && !is_empty(f[11], n[11]))
		rc = remarks_append(&c->rm, (uint32_t)e, f[11], n[11]);
	return rc;
}

/* add.csv row: ent_num, add_num, address, city, country, remarks. */
static int add_row(ctx *c, uint32_t e, char **f, size_t *n)
{
	char buf[1024], cc[3];
	size_t o = 0;
	int rc = 0;

	for (int i = 2; i <= 4; i++) {
		if (is_empty(f[i], n[i]))
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%.*s",
				      o ? ", " : "", (int)n[i], f[i]);
		if (o >= sizeof(buf))
			o = sizeof(buf) - 1;
	}
	if (o)
		rc = wl_entity_add_attr(c->l, e, "address", buf, o);
	if (!rc && !is_empty(f[4], n[4]) && !country_lookup(f[4], n[4], cc))
		rc = wl_entity_add_country(c->l, e, cc);
	if (!rc)
		rc = opt_attr(c->l, e, "address_remarks", f[5], n[5]);
	return rc == -EINVAL ? 0 : rc;
}

/* alt.csv row: ent_num, alt_num, alt_type, alt_name, alt_remarks. */
static int alt_row(ctx *c, csv_reader *r, uint32_t e, char **f, size_t *n)
{
	wl_name_strength s;
	int rc;

	if (!strcmp(f[2], "aka") || !strcmp(f[2], "nka"))
		s = WL_NAME_STRONG;
	else if (!strcmp(f[2], "fka"))
		s = WL_NAME_FORMER;
	else
		return fail(c, r, "unknown alt_type (want aka, fka or nka)");
	rc = wl_entity_add_name(c->l, e, f[3], n[3], s);
	if (!rc)
		rc = opt_attr(c->l, e, "alias_remarks", f[4], n[4]);
	return rc;
}

enum file_kind { F_PRIM, F_ADD, F_ALT, F_COMMENTS };

static const int kind_fields[] = { 12, 6, 5, 2 };

static int row(ctx *c, csv_reader *r, enum file_kind k, char **f, size_t *n,
	       unsigned *orphans)
{
	int64_t e;

	if (k == F_PRIM)
		return prim_row(c, r, f, n);
	if (!is_number(f[0], n[0]))
		return fail(c, r, "ent_num is not a number");
	e = wl_list_find(c->l, f[0], n[0]);
	if (e < 0) {
		(*orphans)++;
		return 0;
	}
	if (k == F_ADD)
		return add_row(c, (uint32_t)e, f, n);
	if (k == F_ALT)
		return alt_row(c, r, (uint32_t)e, f, n);
	return remarks_append(&c->rm, (uint32_t)e, f[1], n[1]);
}

static int read_file(ctx *c, const char *dir, const char *name,
		     enum file_kind k)
{
	char path[1024], why[64], **f;
	size_t *n;
	unsigned orphans = 0;
	csv_reader *r;
	int nf, rc = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r = csv_open(path, ',', CSV_F_CP1252, c->errstr, c->errlen);
	if (!r)
		return errno ? -errno : -EIO;
	while ((nf = csv_next(r, &f, &n)) > 0) {
		if (nf != kind_fields[k]) {
			snprintf(why, sizeof(why), "expected %d fields, got %d",
				 kind_fields[k], nf);
			rc = fail(c, r, why);
			break;
		}
		rc = row(c, r, k, f, n, &orphans);
		if (rc < 0)
			break;
	}
	if (nf < 0 && rc == 0)
		rc = nf;
	if (rc == 0 && orphans) {
		fprintf(stderr,
			"%s: warning: %u rows name entries missing from the "
			"primary file; skipped\n", path, orphans);
		c->l->warnings++;
	}
	if (rc == -ENOMEM)
		snprintf(c->errstr, c->errlen, "%s: out of memory", path);
	csv_close(r);
	return rc;
}

static int parse_remarks(ctx *c)
{
	for (size_t e = 0; e < c->rm.n; e++) {
		int rc;

		if (!c->rm.text[e])
			continue;
		rc = wl_remarks_parse(c->l, (uint32_t)e, c->rm.text[e],
				      c->rm.len[e]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static const ofac_set *detect(const char *dir, char *errstr, size_t errlen)
{
	struct stat st;
	char path[1024];

	if (stat(dir, &st) < 0) {
		snprintf(errstr, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(errstr, errlen,
			 "%s: not a folder (ofac-csv wants the folder holding "
			 "sdn.csv or cons_prim.csv)", dir);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, sets[i].prim);
		if (access(path, F_OK) == 0)
			return &sets[i];
	}
	snprintf(errstr, errlen, "%s: no sdn.csv or cons_prim.csv", dir);
	return NULL;
}

int wl_load_ofac(wl_list *l, const char *dir, char *errstr, size_t errlen)
{
	ctx c = { .l = l, .errstr = errstr, .errlen = errlen };
	const ofac_set *s = detect(dir, errstr, errlen);
	struct stat st;
	int rc;

	if (!s)
		return (stat(dir, &st) == 0) ? -EINVAL : -ENOENT;
	snprintf(l->id, sizeof(l->id), "%s", s->id);
	rc = read_file(&c, dir, s->prim, F_PRIM);
	if (!rc)
		rc = read_file(&c, dir, s->comments, F_COMMENTS);
	if (!rc)
		rc = parse_remarks(&c);
	if (!rc)
		rc = read_file(&c, dir, s->alt, F_ALT);
	if (!rc)
		rc = read_file(&c, dir, s->add, F_ADD);
	if (rc == -ENOMEM)
		snprintf(errstr, errlen, "%s: out of memory", dir);
	remarks_free(&c.rm);
	return rc;
}
