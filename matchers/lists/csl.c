/*
 * csl.c - loader for the US Consolidated Screening List CSV (trade.gov).
 *
 * The CSL merges eleven US government lists (OFAC SDN and non-SDN
 * lists, the BIS Entity, Denied Persons, Unverified and Military End
 * User lists, State's ITAR and nonproliferation lists) into one flat
 * CSV with `;`-separated multi-values.  Columns are located by header
 * name, not position, because trade.gov has added columns over time;
 * a row whose field count differs from the header's is an error, since
 * a shifted row would put names into id columns silently.
 *
 * One `_id` may appear on several rows (the same Treasury entry is on
 * both the SSI and the NS-MBS list, or SDN and PLC): such rows are one
 * entity carrying every source as a program, so a hit reports one
 * entry, not two.  The name of the first row seen is primary; differing
 * names of later rows become strong aliases.  The BIS lists leave the
 * type column empty: those entities stay WL_ENT_UNKNOWN rather than
 * being guessed.
 *
 * The `ids` column is structured ("Type, Value, Country, ..."): known
 * types become typed identifiers, descriptive entries (websites,
 * directive texts, listing dates) are kept as attributes for evidence.
 * Nothing here calls the free-text remarks parser: the CSL has already
 * split the OFAC remarks into these columns.
 *
 * Fail closed: any malformed row (bad UTF-8, wrong field count, a quote
 * that never closes because the file was cut short, an empty `_id`)
 * fails the whole load with "file:line: reason".  A screening list that
 * silently lost its tail is worse than one that does not load.
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

enum csl_col {
	C_ID, C_SOURCE, C_ENTNUM, C_TYPE, C_PROGRAMS, C_NAME, C_TITLE,
	C_ADDRESSES, C_FRN, C_START, C_END, C_LIC_REQ, C_LIC_POL, C_CALLSIGN,
	C_VTYPE, C_GT, C_GRT, C_VFLAG, C_VOWNER, C_REMARKS, C_ALT, C_CITIZEN,
	C_DOB, C_NATION, C_POB, C_IDS, C__COUNT
};

/* Header names of the columns we read; all must be present. */
static const char *const col_names[C__COUNT] = {
	"_id", "source", "entity_number", "type", "programs", "name", "title",
	"addresses", "federal_register_notice", "start_date", "end_date",
	"license_requirement", "license_policy", "call_sign", "vessel_type",
	"gross_tonnage", "gross_registered_tonnage", "vessel_flag",
	"vessel_owner", "remarks", "alt_names", "citizenships",
	"dates_of_birth", "nationalities", "places_of_birth", "ids"
};

/* Plain columns copied into attributes (key = attribute key). */
static const struct {
	enum csl_col col;
	const char *key;
} attr_cols[] = {
	{ C_SOURCE, "source" }, { C_ENTNUM, "entity_number" },
	{ C_TITLE, "title" }, { C_FRN, "federal_register_notice" },
	{ C_START, "start_date" }, { C_END, "end_date" },
	{ C_LIC_REQ, "license_requirement" },
	{ C_LIC_POL, "license_policy" }, { C_VTYPE, "vessel_type" },
	{ C_GT, "gross_tonnage" }, { C_GRT, "gross_registered_tonnage" },
	{ C_VFLAG, "vessel_flag" }, { C_VOWNER, "vessel_owner" },
	{ C_REMARKS, "remarks" },
};

/* `ids` column types that are identifiers.  Matched case-insensitively
 * on the whole type, or on a prefix when the entry ends with '*'. */
static const struct {
	const char *type;
	wl_id_type id;
} id_map[] = {
	{ "SWIFT/BIC", WL_ID_BIC },
	{ "IMO", WL_ID_IMO },
	{ "Vessel Registration Identification", WL_ID_IMO },
	{ "MMSI", WL_ID_MMSI },
	{ "Legal Entity Number", WL_ID_LEI },
	{ "LEI", WL_ID_LEI },
	{ "Digital Currency Address*", WL_ID_CRYPTO },
	{ "Passport", WL_ID_PASSPORT },
	{ "Diplomatic Passport", WL_ID_PASSPORT },
	{ "British National Overseas Passport", WL_ID_PASSPORT },
	{ "Travel Document Number", WL_ID_PASSPORT },
	{ "National ID No.", WL_ID_NATIONAL_ID },
	{ "National Foreign ID Number", WL_ID_NATIONAL_ID },
	{ "Cedula No.", WL_ID_NATIONAL_ID },
	{ "D.N.I.", WL_ID_NATIONAL_ID },
	{ "C.U.R.P.", WL_ID_NATIONAL_ID },
	{ "SSN", WL_ID_NATIONAL_ID },
	{ "Personal ID Card", WL_ID_NATIONAL_ID },
	{ "Identification Number", WL_ID_NATIONAL_ID },
	{ "Kenyan ID No.", WL_ID_NATIONAL_ID },
	{ "Moroccan Personal ID No.", WL_ID_NATIONAL_ID },
	{ "Bosnian Personal ID No.", WL_ID_NATIONAL_ID },
	{ "Credencial electoral", WL_ID_NATIONAL_ID },
	{ "Electoral Registry No.", WL_ID_NATIONAL_ID },
	{ "Tax ID No.", WL_ID_TAX },
	{ "NIT #", WL_ID_TAX },
	{ "R.F.C.", WL_ID_TAX },
	{ "RFC", WL_ID_TAX },
	{ "RUC #", WL_ID_TAX },
	{ "C.U.I.T.", WL_ID_TAX },
	{ "Italian Fiscal Code", WL_ID_TAX },
	{ "US FEIN", WL_ID_TAX },
	{ "V.A.T. Number", WL_ID_TAX },
	{ "Paraguayan tax identification number", WL_ID_TAX },
	{ "Registration ID", WL_ID_REGISTRATION },
	{ "Registration Number", WL_ID_REGISTRATION },
	{ "Government Gazette Number", WL_ID_REGISTRATION },
	{ "Unified Social Credit Code (USCC)", WL_ID_REGISTRATION },
	{ "Business Registration Document #", WL_ID_REGISTRATION },
	{ "Business Registration Number", WL_ID_REGISTRATION },
	{ "Public Registration Number", WL_ID_REGISTRATION },
	{ "Certificate of Incorporation Number", WL_ID_REGISTRATION },
	{ "Company Number", WL_ID_REGISTRATION },
	{ "UK Company Number", WL_ID_REGISTRATION },
	{ "C.R. No.", WL_ID_REGISTRATION },
	{ "LE Number", WL_ID_REGISTRATION },
	{ "Registered Charity No.", WL_ID_REGISTRATION },
	{ "BIK (RU)", WL_ID_OTHER },
	{ "ISIN", WL_ID_OTHER },
	{ "Driver's License No.", WL_ID_OTHER },
	{ "Immigration No.", WL_ID_OTHER },
	{ "Public Security and Immigration No.", WL_ID_OTHER },
	{ "VisaNumberID", WL_ID_OTHER },
	{ "Serial No.", WL_ID_OTHER },
};


/* Load state; lives on the loader's stack. */
typedef struct csl_ctx {
	wl_list *l;
	int col[C__COUNT];   /* field index of each column */
	int n_cols;          /* header field count */
	unsigned n_rows;     /* data rows accepted */
	unsigned dup_headers, bad_dobs, bad_types;
} csl_ctx;

/* A slice of a field. */
typedef struct span {
	const char *p;
	size_t n;
} span;

static span span_trim(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (span){ p, n };
}

/* Next `sep`-separated piece of *s (trimmed); 0 when none is left. */
static int next_part(span *s, char sep, span *out)
{
	const char *q;

	if (!s->p || !s->n)
		return 0;
	q = memchr(s->p, sep, s->n);
	if (q) {
		*out = span_trim(s->p, (size_t)(q - s->p));
		s->n -= (size_t)(q - s->p) + 1;
		s->p = q + 1;
	} else {
		*out = span_trim(s->p, s->n);
		s->n = 0;
	}
	return 1;
}

static int span_eq(span s, const char *lit)
{
	return strlen(lit) == s.n && !strncasecmp(s.p, lit, s.n);
}

/* Map the header; 0 or -EINVAL naming the first missing column. */
static int map_header(csl_ctx *c, char **f, int n, const char *path,
		      char *errstr, size_t errlen)
{
	for (int k = 0; k < C__COUNT; k++) {
		c->col[k] = -1;
		for (int i = 0; i < n; i++)
			if (!strcmp(f[i], col_names[k]))
				c->col[k] = i;
		if (c->col[k] < 0) {
			snprintf(errstr, errlen,
				 "%s:1: not a CSL file: no \"%s\" column",
				 path, col_names[k]);
			return -EINVAL;
		}
	}
	c->n_cols = n;
	return 0;
}

static wl_ent_type ent_type(csl_ctx *c, span t)
{
	if (!t.n)
		return WL_ENT_UNKNOWN;
	if (span_eq(t, "Individual"))
		return WL_ENT_PERSON;
	if (span_eq(t, "Entity"))
		return WL_ENT_ORG;
	if (span_eq(t, "Vessel"))
		return WL_ENT_VESSEL;
	if (span_eq(t, "Aircraft"))
		return WL_ENT_AIRCRAFT;
	c->bad_types++;
	c->l->warnings++;
	return WL_ENT_UNKNOWN;
}

/* Add a country given as a code or name; unknown text is ignored
 * (it is kept in the row's attributes anyway). */
static int add_country(wl_list *l, uint32_t e, span s)
{
	char cc[3];

	if (!s.n || country_lookup(s.p, s.n, cc) < 0)
		return 0;
	return wl_entity_add_country(l, e, cc) == -ENOMEM ? -ENOMEM : 0;
}

static int add_countries(wl_list *l, uint32_t e, span s)
{
	span part;
	int rc;

	while (next_part(&s, ';', &part))
		if ((rc = add_country(l, e, part)) < 0)
			return rc;
	return 0;
}

/* Source "Entity List (EL) - Bureau of ..." gives program "EL". */
static int add_source_program(wl_list *l, uint32_t e, span s)
{
	const char *o = memchr(s.p, '(', s.n), *cl;

	if (o) {
		cl = memchr(o, ')', s.n - (size_t)(o - s.p));
		if (cl && cl > o + 1)
			return wl_entity_add_program(l, e, o + 1,
						     (size_t)(cl - o - 1));
	}
	return wl_entity_add_program(l, e, s.p, s.n);
}

/* Addresses: each is an attribute; its last comma part may name the
 * country (an ISO code or a name; zip codes fail the lookup). */
static int add_addresses(csl_ctx *c, uint32_t e, span s)
{
	span addr;
	int rc;

	while (next_part(&s, ';', &addr)) {
		const char *comma;
		span last;

		if (!addr.n)
			continue;
		rc = wl_entity_add_attr(c->l, e, "address", addr.p,
				   addr.n);
		if (rc < 0)
			return rc;
		comma = memrchr(addr.p, ',', addr.n);
		last = comma ? span_trim(comma + 1, addr.n - (size_t)(comma + 1 -
								   addr.p))
			     : addr;
		if ((rc = add_country(c->l, e, last)) < 0)
			return rc;
	}
	return 0;
}

static int add_alt_names(wl_list *l, uint32_t e, span s)
{
	span nm;
	int rc;

	while (next_part(&s, ';', &nm)) {
		if (nm.n > 4 && !strncasecmp(nm.p, "and ", 4))
			nm = span_trim(nm.p + 4, nm.n - 4); /* "X; and Y" */
		rc = wl_entity_add_name(l, e, nm.p, nm.n, WL_NAME_STRONG);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int add_dobs(csl_ctx *c, uint32_t e, span s)
{
	span d;
	wl_date dt;
	int rc;

	while (next_part(&s, ';', &d)) {
		if (!d.n)
			continue;
		if (wl_date_parse(d.p, d.n, &dt) == 0) {
			rc = wl_entity_add_dob(c->l, e, dt);
		} else {
			c->bad_dobs++;
			c->l->warnings++;
			rc = wl_entity_add_attr(c->l, e, "dob_text", d.p,
					   d.n);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Identifier type for an `ids` entry type, or -1 when it is not an
 * identifier (the entry then becomes an attribute). */
static int id_type_of(span t)
{
	for (size_t i = 0; i < sizeof(id_map) / sizeof(id_map[0]); i++) {
		const char *m = id_map[i].type;
		size_t ml = strlen(m);

		if (m[ml - 1] == '*') {
			if (t.n >= ml - 1 && !strncasecmp(t.p, m, ml - 1))
				return (int)id_map[i].id;
		} else if (span_eq(t, m)) {
			return (int)id_map[i].id;
		}
	}
	return -1;
}

/* A non-identifier `ids` entry: kept as an attribute; a few also
 * carry a gender or a country. */
static int add_info_entry(csl_ctx *c, uint32_t e, span entry, span type,
			  span rest)
{
	wl_list *l = c->l;
	span value = span_trim(rest.p, rest.n);

	if (span_eq(type, "Gender"))
		return wl_entity_add_attr(l, e, "gender", value.p,
				     value.n);
	if ((span_eq(type, "Nationality of Registration") ||
	     span_eq(type, "Nationality Country")) &&
	    add_country(l, e, value) < 0)
		return -ENOMEM;
	return wl_entity_add_attr(l, e, "info", entry.p, entry.n);
}

/* One `ids` entry "Type, Value[, Country[, dates]]". */
static int add_id_entry(csl_ctx *c, uint32_t e, span entry)
{
	wl_list *l = c->l;
	span rest = entry, type, value;
	int t;

	if (!next_part(&rest, ',', &type) || !type.n)
		return 0;
	t = id_type_of(type);
	if (t < 0)
		return add_info_entry(c, e, entry, type, rest);
	if (!next_part(&rest, ',', &value) || !value.n)
		return wl_entity_add_attr(l, e, "info", entry.p, entry.n);
	if (t == WL_ID_IMO && value.n > 4 && !strncasecmp(value.p, "IMO ", 4))
		value = span_trim(value.p + 4, value.n - 4);
	return wl_entity_add_id(l, e, (wl_id_type)t, value.p, value.n);
}

static int add_ids(csl_ctx *c, uint32_t e, span s)
{
	span entry;
	int rc;

	while (next_part(&s, ';', &entry))
		if (entry.n && (rc = add_id_entry(c, e, entry)) < 0)
			return rc;
	return 0;
}

/* Find the entity for this row's _id, creating it; sets *first when
 * the row is the first one of its entity. */
static int64_t row_entity(csl_ctx *c, span id, wl_ent_type t, int *first)
{
	int64_t e = wl_list_find(c->l, id.p, id.n);

	*first = e < 0;
	if (e < 0)
		return wl_list_add_entity(c->l, id.p, id.n, t);
	if (t != WL_ENT_UNKNOWN &&
	    c->l->entities[e].type == WL_ENT_UNKNOWN)
		wl_entity_set_type(c->l, (uint32_t)e, t);
	return e;
}

#define F(k) span_trim(f[c->col[k]], lens[c->col[k]])

/* Fill one entity from one row; 0 or -ENOMEM. */
static int add_row_fields(csl_ctx *c, uint32_t e, int first, char **f,
			  size_t *lens)
{
	wl_list *l = c->l;
	span s = F(C_PROGRAMS), part, nm = F(C_NAME);
	int rc;

	rc = wl_entity_add_name(l, e, nm.p, nm.n,
				first ? WL_NAME_PRIMARY : WL_NAME_STRONG);
	while (!rc && next_part(&s, ';', &part))
		rc = wl_entity_add_program(l, e, part.p, part.n);
	if (!rc)
		rc = add_source_program(l, e, F(C_SOURCE));
	for (size_t i = 0; !rc && i < sizeof(attr_cols) / sizeof(*attr_cols);
	     i++) {
		span v = F(attr_cols[i].col);

		rc = wl_entity_add_attr(l, e, attr_cols[i].key, v.p,
				   v.n);
	}
	s = F(C_POB);
	while (!rc && next_part(&s, ';', &part))
		rc = wl_entity_add_attr(l, e, "place_of_birth",
				   part.p, part.n);
	s = F(C_CALLSIGN);
	if (!rc)
		rc = wl_entity_add_id(l, e, WL_ID_CALLSIGN, s.p, s.n);
	if (!rc)
		rc = add_alt_names(l, e, F(C_ALT));
	if (!rc)
		rc = add_dobs(c, e, F(C_DOB));
	if (!rc)
		rc = add_countries(l, e, F(C_CITIZEN));
	if (!rc)
		rc = add_countries(l, e, F(C_NATION));
	if (!rc)
		rc = add_country(l, e, F(C_VFLAG));
	if (!rc)
		rc = add_addresses(c, e, F(C_ADDRESSES));
	if (!rc)
		rc = add_ids(c, e, F(C_IDS));
	return rc;
}

/* Validate and add one data row; 0 or -errno with errstr set. */
static int add_row(csl_ctx *c, csv_reader *r, char **f, size_t *lens,
		   int n, char *errstr, size_t errlen)
{
	span id;
	int64_t e;
	int first, rc;

	if (n != c->n_cols) {
		snprintf(errstr, errlen, "%s:%u: %d fields, header has %d",
			 csv_path(r), csv_line(r), n, c->n_cols);
		return -EINVAL;
	}
	if (!strcmp(f[c->col[C_ID]], col_names[C_ID])) {
		c->dup_headers++; /* trade.gov repeats the header */
		c->l->warnings++;
		return 0;
	}
	id = F(C_ID);
	if (!id.n) {
		snprintf(errstr, errlen, "%s:%u: empty _id", csv_path(r),
			 csv_line(r));
		return -EINVAL;
	}
	e = row_entity(c, id, ent_type(c, F(C_TYPE)), &first);
	rc = e < 0 ? (int)e : add_row_fields(c, (uint32_t)e, first, f, lens);
	if (rc < 0) {
		snprintf(errstr, errlen, "%s:%u: out of memory", csv_path(r),
			 csv_line(r));
		return rc;
	}
	c->n_rows++;
	return 0;
}

#undef F

static void report_warnings(const csl_ctx *c, const char *path)
{
	if (c->dup_headers)
		fprintf(stderr, "%s: %u repeated header line(s) skipped\n",
			path, c->dup_headers);
	if (c->bad_dobs)
		fprintf(stderr, "%s: %u unparsable date(s) of birth kept as "
			"text\n", path, c->bad_dobs);
	if (c->bad_types)
		fprintf(stderr, "%s: %u row(s) of unknown type\n", path,
			c->bad_types);
}

int wl_load_csl(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	csl_ctx c = { .l = l };
	csv_reader *r;
	char **f;
	size_t *lens;
	int n, rc;

	errno = 0;
	r = csv_open(path, ',', CSV_F_UTF8, errstr, errlen);
	if (!r)
		return errno ? -errno : -EIO;
	n = csv_next(r, &f, &lens);
	if (n <= 0) {
		rc = n ? n : -EINVAL;
		if (!n)
			snprintf(errstr, errlen, "%s: empty file", path);
		goto out;
	}
	rc = map_header(&c, f, n, path, errstr, errlen);
	while (!rc && (n = csv_next(r, &f, &lens)) > 0)
		rc = add_row(&c, r, f, lens, n, errstr, errlen);
	if (!rc && n < 0 && csv_truncated(r) &&
	    (l->load_flags & WL_LOAD_SKIP_TRUNCATED_TAIL)) {
		fprintf(stderr, "%s: warning: %s; record skipped "
			"(skip-truncated-tail)\n", path, errstr);
		l->warnings++;
		n = 0;
	}
	if (!rc && n < 0)
		rc = n; /* csv_next wrote "path:line: reason" */
	if (rc)
		goto out;
	if (!l->id[0])
		snprintf(l->id, sizeof(l->id), "%s", "us-csl");
	report_warnings(&c, path);
out:
	csv_close(r);
	return rc;
}
