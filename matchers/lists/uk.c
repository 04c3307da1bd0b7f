/*
 * uk.c - loader for the UK HM Treasury (OFSI) consolidated list, legacy
 * CSV export ("ConList": a "Last Updated,dd/mm/yyyy" line, then a
 * header row, then one row per name).
 *
 * The UK file is name-oriented: every alias of a designated person is a
 * full row, and the rows of one designation share a Group ID.  A
 * screener wants the designation, so all rows of a group become ONE
 * entity (id = Group ID) and their DOBs, nationalities, passports and
 * addresses are united.  The row whose Alias Type is "Prime Alias"
 * (older exports) or "Primary name" (newer ones) gives the primary
 * name; further such rows and "AKA"s are strong aliases, "FKA"s former
 * names, and "low quality" a.k.a.s weak.  Excerpts may lack the primary
 * row of a group: its first row in file order is then promoted to
 * primary and a warning counted, so every entity has a primary name.
 *
 * Name layout: Name 6 is the surname (or the whole name of an entity or
 * ship) and Name 1..5 the other names.  Individuals are written
 * "SURNAME, Given Names" as OFAC does ("AL-AHMAR, Ahmed Ali Abdullah"),
 * so the surname stays identifiable; entities and ships are the parts
 * joined in order.
 *
 * HMT published the legacy CSV in Windows-1252 (curly quotes 0x91/0x92,
 * e-acute 0xE9).  The loader checks the bytes: a file that is valid
 * UTF-8 is read as UTF-8, anything else as Windows-1252, so a re-saved
 * UTF-8 copy loads without mojibake.
 *
 * Passport and NI fields are prose ("W374031, Tunisian national identity
 * number issued on 11 April 2011"): the number-like tokens become typed
 * ids and the prose is kept as an attribute.
 *
 * Fail closed: a bad header, a row of the wrong width, an unterminated
 * quote or an empty Group ID fails the whole load with "file:line:".
 */
#include "loader.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#include "../country.h"
#include "csv.h"

enum uk_col {
	U_N6, U_N1, U_N2, U_N3, U_N4, U_N5, U_TITLE, U_DOB, U_TOWN, U_COB,
	U_NAT, U_PASSPORT, U_NI, U_POSITION, U_A1, U_A2, U_A3, U_A4, U_A5,
	U_A6, U_POST, U_COUNTRY, U_OTHER, U_GTYPE, U_ATYPE, U_REGIME,
	U_LISTED, U_GROUP, U__COUNT
};

static const char *const col_names[U__COUNT] = {
	"Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
	"DOB", "Town of Birth", "Country of Birth", "Nationality",
	"Passport Details", "NI Number", "Position", "Address 1",
	"Address 2", "Address 3", "Address 4", "Address 5", "Address 6",
	"Post/Zip Code", "Country", "Other Information", "Group Type",
	"Alias Type", "Regime", "Listed On", "Group ID"
};


/* Per-entity builder memory: whether a primary name was seen, and the
 * name to promote when none was: the first of the strongest kind seen
 * (an a.k.a. rather than a former name). */
typedef struct uk_ent {
	char *first_name;
	int first_strength; /* wl_name_strength of first_name */
	int has_primary;
} uk_ent;

typedef struct uk_ctx {
	wl_list *l;
	int col[U__COUNT];
	int n_cols;
	uk_ent *ents;        /* indexed by entity index */
	size_t n_ents;
	unsigned n_rows, no_primary, bad_dobs, bad_types, bad_alias;
} uk_ctx;

/* A slice of a field. */
typedef struct span {
	const char *p;
	size_t n;
} span;

static span span_trim(const char *p, size_t n)
{
	while (n && isspace((unsigned char)*p))
		p++, n--;
	while (n && isspace((unsigned char)p[n - 1]))
		n--;
	return (span){ p, n };
}

static int span_eq(span s, const char *lit)
{
	return strlen(lit) == s.n && !strncasecmp(s.p, lit, s.n);
}

/* 1 when lit occurs in s, ignoring case. */
static int span_has(span s, const char *lit)
{
	size_t n = strlen(lit);

	for (size_t i = 0; n <= s.n && i <= s.n - n; i++)
		if (!strncasecmp(s.p + i, lit, n))
			return 1;
	return 0;
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if bad. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t k = *s < 0x80 ? 1 : (*s & 0xe0) == 0xc0 ? 2 :
		   (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;

	if (!k || k > n || (k == 2 && *s < 0xc2) || (k == 4 && *s > 0xf4))
		return 0;
	for (size_t i = 1; i < k; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return k;
}

/* CSV flags for path: CSV_F_UTF8 when the bytes are valid UTF-8 (or
 * the file cannot be read: csv_open then reports why), otherwise
 * CSV_F_CP1252, the encoding HMT published the legacy file in. */
static unsigned detect_encoding(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char buf[65536 + 4];
	size_t have = 0, got, i;
	unsigned flags = CSV_F_UTF8;

	if (!fp)
		return flags;
	while ((got = fread(buf + have, 1, sizeof(buf) - 4 - have, fp)) > 0) {
		size_t end = have + got, k;

		for (i = 0; i < end; i += k) {
			k = utf8_seq(buf + i, end - i);
			if (!k && end - i < 4 && !feof(fp))
				break; /* sequence split across reads */
			if (!k) {
				flags = CSV_F_CP1252;
				goto out;
			}
		}
		have = end - i;
		memmove(buf, buf + i, have);
	}
	if (have)
		flags = CSV_F_CP1252; /* truncated sequence at EOF */
out:
	fclose(fp);
	return flags;
}

/* Join Name 1..5 and Name 6 (parts[5], the surname) into buf:
 * "SURNAME, Given Names" for a person, all parts in order otherwise.
 * Returns the length (0 when every part is empty). */
static size_t name_join(const span parts[6], int person, char *buf,
			size_t size)
{
	size_t n = 0;
	int given = 0;

	buf[0] = '\0';
	for (int i = 0; i < 5; i++)
		given |= parts[i].n != 0;
	if (person && parts[5].n)
		n = (size_t)snprintf(buf, size, "%.*s%s", (int)parts[5].n,
				     parts[5].p, given ? "," : "");
	for (int i = 0; i < (person ? 5 : 6) && n < size; i++) {
		if (!parts[i].n)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%.*s",
				      n ? " " : "", (int)parts[i].n,
				      parts[i].p);
	}
	return n < size ? n : size - 1;
}

/* "dd/mm/yyyy" where 00 means unknown ("00/00/1965" = 1965). */
static int parse_dmy(span s, wl_date *d)
{
	unsigned dd, mm, yy;
	char tail;
	char buf[16];

	if (s.n != 10)
		return -EINVAL;
	memcpy(buf, s.p, 10);
	buf[10] = '\0';
	if (sscanf(buf, "%2u/%2u/%4u%c", &dd, &mm, &yy, &tail) != 3)
		return -EINVAL;
	if (yy < 1800 || yy > 2100 || mm > 12 || dd > 31 || (dd && !mm))
		return -EINVAL;
	*d = (wl_date){ (uint16_t)yy, (uint8_t)mm, (uint8_t)dd };
	return 0;
}

static int add_dob(uk_ctx *c, uint32_t e, span s)
{
	wl_list *l = c->l;
	wl_date d;

	if (!s.n)
		return 0;
	if (parse_dmy(s, &d) == 0 || wl_date_parse(s.p, s.n, &d) == 0)
		return wl_entity_add_dob(l, e, d);
	c->bad_dobs++;
	l->warnings++;
	return wl_entity_add_attr(l, e, "dob_text", s.p, s.n);
}

/* Offset of the next "(n)" list marker in s at or after from, or s.n. */
static size_t next_marker(span s, size_t from)
{
	for (size_t i = from; i + 2 < s.n; i++) {
		size_t j = i + 1;

		if (s.p[i] != '(')
			continue;
		while (j < s.n && isdigit((unsigned char)s.p[j]))
			j++;
		if (j > i + 1 && j < s.n && s.p[j] == ')')
			return i;
	}
	return s.n;
}

/* Countries in "(1) Libyan Arab Jamahiriya (2) Tunisia" or "Italy
 * (Domicile, last known address)": each numbered piece, cut at its
 * first remaining '(' and looked up; unknown pieces are skipped. */
static int add_countries(wl_list *l, uint32_t e, span s)
{
	size_t i = 0;

	while (i < s.n) {
		size_t end, skip = 0;
		span piece;
		const char *par;
		char cc[3];

		if (next_marker(s, i) == i)
			skip = (size_t)((const char *)memchr(s.p + i, ')',
							     s.n - i) -
					(s.p + i)) + 1;
		end = next_marker(s, i + skip);
		piece = span_trim(s.p + i + skip, end - i - skip);
		par = memchr(piece.p, '(', piece.n);
		if (par)
			piece = span_trim(piece.p, (size_t)(par - piece.p));
		if (piece.n && country_lookup(piece.p, piece.n, cc) == 0 &&
		    wl_entity_add_country(l, e, cc) == -ENOMEM)
			return -ENOMEM;
		i = end;
	}
	return 0;
}

static int id_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '/';
}

/* 1 when [b, b+n) of text looks like a document number: at least 5
 * characters, 4 digits, and not a piece of a dotted date (8.11.2005). */
static int doc_token(span text, size_t b, size_t n)
{
	size_t digits = 0;
	const char *p = text.p + b;

	for (size_t i = 0; i < n; i++)
		digits += isdigit((unsigned char)p[i]) != 0;
	if (n < 5 || digits < 4)
		return 0;
	if (b >= 2 && p[-1] == '.' && isdigit((unsigned char)p[-2]))
		return 0;
	if (b + n + 1 < text.n && p[n] == '.' &&
	    isdigit((unsigned char)p[n + 1]))
		return 0;
	return 1;
}

/* Passport / NI prose: kept whole as attribute key, and every
 * number-like token added as an id of the given type. */
static int add_doc_ids(uk_ctx *c, uint32_t e, span s, wl_id_type type,
		       const char *key)
{
	wl_list *l = c->l;
	int rc = wl_entity_add_attr(l, e, key, s.p, s.n);

	for (size_t i = 0; !rc && i < s.n;) {
		size_t b = i, n;

		if (!id_char(s.p[i])) {
			i++;
			continue;
		}
		while (i < s.n && id_char(s.p[i]))
			i++;
		n = i - b;
		while (n && (s.p[b + n - 1] == '-' || s.p[b + n - 1] == '/'))
			n--;
		if (doc_token(s, b, n))
			rc = wl_entity_add_id(l, e, type, s.p + b, n);
	}
	return rc;
}

/* Non-empty parts joined with ", " into one attribute. */
static int add_joined_attr(uk_ctx *c, uint32_t e, const char *key,
			   const span *parts, int n)
{
	char buf[2048];
	size_t len = 0;

	for (int i = 0; i < n && len < sizeof(buf); i++) {
		if (!parts[i].n)
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
					"%s%.*s", len ? ", " : "",
					(int)parts[i].n, parts[i].p);
	}
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	return wl_entity_add_attr(c->l, e, key, buf, len);
}

static int add_pob(uk_ctx *c, uint32_t e, span town, span country)
{
	span parts[2] = { town, country };

	return add_joined_attr(c, e, "place_of_birth", parts, 2);
}

#define F(k) span_trim(f[c->col[k]], lens[c->col[k]])

/* Map the header; 0 or -EINVAL naming the missing column. */
static int map_header(uk_ctx *c, char **f, int n, unsigned line,
		      const char *path, char *errstr, size_t errlen)
{
	for (int k = 0; k < U__COUNT; k++) {
		c->col[k] = -1;
		for (int i = 0; i < n; i++)
			if (!strcasecmp(f[i], col_names[k]))
				c->col[k] = i;
		if (c->col[k] < 0) {
			snprintf(errstr, errlen,
				 "%s:%u: not a UK ConList file: no \"%s\" column",
				 path, line, col_names[k]);
			return -EINVAL;
		}
	}
	c->n_cols = n;
	return 0;
}

static wl_ent_type ent_type(uk_ctx *c, span t)
{
	if (span_eq(t, "Individual"))
		return WL_ENT_PERSON;
	if (span_eq(t, "Entity"))
		return WL_ENT_ORG;
	if (span_eq(t, "Ship"))
		return WL_ENT_VESSEL;
	c->bad_types++;
	c->l->warnings++;
	return WL_ENT_UNKNOWN;
}

/* Strength of a row's name from its Alias Type; *primary set for the
 * primary-name kinds. */
static wl_name_strength alias_strength(uk_ctx *c, span a, int *primary)
{
	*primary = 0;
	if (span_eq(a, "Prime Alias") || span_eq(a, "Primary name")) {
		*primary = 1;
		return WL_NAME_PRIMARY;
	}
	if (span_eq(a, "FKA"))
		return WL_NAME_FORMER;
	if (span_has(a, "low quality"))
		return WL_NAME_WEAK;
	if (span_eq(a, "AKA") || span_has(a, "a.k.a") ||
	    span_has(a, "variation") || span_has(a, "alias"))
		return WL_NAME_STRONG;
	c->bad_alias++;
	c->l->warnings++;
	return WL_NAME_STRONG;
}

/* Grow the side table to cover entity e; 0 or -ENOMEM. */
static int ents_reserve(uk_ctx *c, uint32_t e)
{
	size_t cap = c->n_ents ? c->n_ents : 64;
	uk_ent *n;

	if (e < c->n_ents)
		return 0;
	while (cap <= e)
		cap *= 2;
	n = realloc(c->ents, cap * sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n + c->n_ents, 0, (cap - c->n_ents) * sizeof(*n));
	c->ents = n;
	c->n_ents = cap;
	return 0;
}

/* Add the row's name with the strength its Alias Type gives. */
static int add_row_name(uk_ctx *c, uint32_t e, char **f, size_t *lens,
			wl_ent_type t)
{
	span parts[6] = { F(U_N1), F(U_N2), F(U_N3), F(U_N4), F(U_N5),
			     F(U_N6) };
	char buf[1024];
	size_t n = name_join(parts, t == WL_ENT_PERSON, buf, sizeof(buf));
	int primary, rc;
	wl_name_strength s = alias_strength(c, F(U_ATYPE), &primary);
	uk_ent *ue = &c->ents[e];

	if (!n)
		return 0;
	if (primary && ue->has_primary)
		s = WL_NAME_STRONG; /* a second "Prime Alias" row */
	if (primary)
		ue->has_primary = 1;
	if (!ue->first_name || (int)s < ue->first_strength) {
		free(ue->first_name);
		ue->first_name = strndup(buf, n);
		ue->first_strength = (int)s;
		if (!ue->first_name)
			return -ENOMEM;
	}
	rc = wl_entity_add_name(c->l, e, buf, n, s);
	return rc;
}

/* Union of the row's facts into entity e. */
static int add_row_facts(uk_ctx *c, uint32_t e, char **f, size_t *lens)
{
	wl_list *l = c->l;
	span v;
	int rc;

	rc = add_dob(c, e, F(U_DOB));
	if (!rc)
		rc = add_countries(l, e, F(U_NAT));
	if (!rc)
		rc = add_countries(l, e, F(U_COB));
	if (!rc)
		rc = add_countries(l, e, F(U_COUNTRY));
	if (!rc)
		rc = add_doc_ids(c, e, F(U_PASSPORT), WL_ID_PASSPORT,
				    "passport");
	if (!rc)
		rc = add_doc_ids(c, e, F(U_NI), WL_ID_NATIONAL_ID,
				    "national_id");
	if (!rc)
		rc = add_pob(c, e, F(U_TOWN), F(U_COB));
	if (!rc) {
		span a[8] = { F(U_A1), F(U_A2), F(U_A3), F(U_A4), F(U_A5),
				 F(U_A6), F(U_POST), F(U_COUNTRY) };

		rc = add_joined_attr(c, e, "address", a, 8);
	}
	v = F(U_REGIME);
	if (!rc)
		rc = wl_entity_add_program(l, e, v.p, v.n);
	v = F(U_TITLE);
	if (!rc)
		rc = wl_entity_add_attr(l, e, "title", v.p,
				   v.n);
	v = F(U_POSITION);
	if (!rc)
		rc = wl_entity_add_attr(l, e, "position", v.p,
				   v.n);
	v = F(U_OTHER);
	if (!rc)
		rc = wl_entity_add_attr(l, e, "remarks", v.p,
				   v.n);
	v = F(U_LISTED);
	if (!rc)
		rc = wl_entity_add_attr(l, e, "listed_on", v.p,
				   v.n);
	return rc;
}

/* Validate and merge one data row; 0 or -errno with errstr set. */
static int add_row(uk_ctx *c, csv_reader *r, char **f, size_t *lens, int n,
		   char *errstr, size_t errlen)
{
	span gid;
	wl_ent_type t;
	int64_t e;
	int rc;

	if (n != c->n_cols) {
		snprintf(errstr, errlen, "%s:%u: %d fields, header has %d",
			 csv_path(r), csv_line(r), n, c->n_cols);
		return -EINVAL;
	}
	gid = F(U_GROUP);
	if (!gid.n) {
		snprintf(errstr, errlen, "%s:%u: empty Group ID", csv_path(r),
			 csv_line(r));
		return -EINVAL;
	}
	t = ent_type(c, F(U_GTYPE));
	e = wl_list_find(c->l, gid.p, gid.n);
	if (e < 0)
		e = wl_list_add_entity(c->l, gid.p, gid.n, t);
	else if (c->l->entities[e].type == WL_ENT_UNKNOWN)
		wl_entity_set_type(c->l, (uint32_t)e, t);
	rc = e < 0 ? (int)e : ents_reserve(c, (uint32_t)e);
	if (!rc)
		rc = add_row_name(c, (uint32_t)e, f, lens,
				  (wl_ent_type)c->l->entities[e].type);
	if (!rc)
		rc = add_row_facts(c, (uint32_t)e, f, lens);
	if (rc < 0) {
		snprintf(errstr, errlen, "%s:%u: out of memory", csv_path(r),
			 csv_line(r));
		return rc;
	}
	c->n_rows++;
	return 0;
}

#undef F

/* Groups without a primary row: promote their first name. */
static int promote_primaries(uk_ctx *c)
{
	for (uint32_t e = 0; e < c->l->n_entities && e < c->n_ents; e++) {
		uk_ent *ue = &c->ents[e];
		int rc;

		if (ue->has_primary || !ue->first_name)
			continue;
		rc = wl_entity_add_name(c->l, e, ue->first_name,
					strlen(ue->first_name),
					WL_NAME_PRIMARY);
		if (rc < 0)
			return rc;
		c->no_primary++;
		c->l->warnings++;
	}
	return 0;
}

static void report_warnings(const uk_ctx *c, const char *path)
{
	if (c->no_primary)
		fprintf(stderr, "%s: %u group(s) without a primary-name row; "
			"first alias used\n", path, c->no_primary);
	if (c->bad_dobs)
		fprintf(stderr, "%s: %u unparsable DOB(s) kept as text\n",
			path, c->bad_dobs);
	if (c->bad_types)
		fprintf(stderr, "%s: %u row(s) of unknown Group Type\n", path,
			c->bad_types);
	if (c->bad_alias)
		fprintf(stderr, "%s: %u row(s) of unknown Alias Type (taken "
			"as strong alias)\n", path, c->bad_alias);
}

/* Header: an optional "Last Updated" line, then the column names. */
static int read_header(uk_ctx *c, csv_reader *r, const char *path,
		       char *errstr, size_t errlen)
{
	char **f;
	size_t *lens;
	int n = csv_next(r, &f, &lens);

	if (n > 0 && !strcasecmp(f[0], "Last Updated"))
		n = csv_next(r, &f, &lens);
	if (n == 0)
		snprintf(errstr, errlen, "%s: no header", path);
	if (n <= 0)
		return n ? n : -EINVAL;
	return map_header(c, f, n, csv_line(r), path, errstr, errlen);
}

int wl_load_uk(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	uk_ctx c = { .l = l };
	csv_reader *r;
	char **f;
	size_t *lens;
	int n = 0, rc;

	errno = 0;
	r = csv_open(path, ',', detect_encoding(path), errstr, errlen);
	if (!r)
		return errno ? -errno : -EIO;
	rc = read_header(&c, r, path, errstr, errlen);
	while (!rc && (n = csv_next(r, &f, &lens)) > 0)
		rc = add_row(&c, r, f, lens, n, errstr, errlen);
	if (!rc && n < 0)
		rc = n; /* csv_next wrote "path:line: reason" */
	if (!rc && (rc = promote_primaries(&c)) < 0)
		snprintf(errstr, errlen, "%s: out of memory", path);
	if (rc)
		goto out;
	if (!l->id[0])
		snprintf(l->id, sizeof(l->id), "%s", "uk");
	report_warnings(&c, path);
out:
	for (size_t i = 0; i < c.n_ents; i++)
		free(c.ents[i].first_name);
	free(c.ents);
	csv_close(r);
	return rc;
}
