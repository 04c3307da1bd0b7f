/*
 * un.c - loader for the UN Security Council consolidated list XML.
 *
 * The UN list is the one list every screener must carry and its XML
 * is regular: INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY records keyed
 * by REFERENCE_NUMBER ("KPi.033"), which is what UN notices and
 * resolutions cite, so it becomes the entity id (DATAID is kept as an
 * attribute).  The name parts FIRST_NAME..FOURTH_NAME are given in
 * the list's own order and joined as the primary name; the original
 * script spelling is a strong alias.  Alias QUALITY decides strength:
 * "Good" and "a.k.a." are strong, "Low" is weak (the UN itself calls
 * low-quality aliases insufficient to identify), "f.k.a." is former.
 *
 * Dates of birth come as an exact DATE, a YEAR, or a FROM_YEAR..
 * TO_YEAR range; a range becomes one partial date per year (bounded),
 * so that any year in it compares equal.  Country names ("Iran
 * (Islamic Republic of)") are resolved with country_lookup(); the ones
 * that do not resolve are kept as attributes and counted once as a
 * warning.  COMMENTS1 goes to wl_remarks_parse() for embedded ids.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loader.h"
#include "xmlutil.h"

#define UN_MAX_RANGE 10  /* years expanded from FROM_YEAR..TO_YEAR */
#define UN_TEXT_CAP 4096

/* Per-load state: the list, the file, counters for warnings. */
typedef struct un_ctx {
	wl_list *l;
	const char *path;
	uint32_t bad_country;
	uint32_t bad_date;
	char buf[UN_TEXT_CAP];
	char join[UN_TEXT_CAP];
} un_ctx;

static const char *un_text(un_ctx *c, const xmlNode *n, const char *name,
			   size_t *len)
{
	return xu_child_text(n, name, c->buf, sizeof(c->buf), len);
}

/* Add a country by name, or keep it as attribute key.  0 / -ENOMEM. */
static int un_country(un_ctx *c, uint32_t e, const char *key, const char *s,
		      size_t len)
{
	int rc;

	if (!len)
		return 0;
	rc = xu_add_country(c->l, e, s, len);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		c->bad_country++;
		return wl_entity_add_attr(c->l, e, key, s, len);
	}
	return 0;
}

/* Primary name: FIRST_NAME..FOURTH_NAME joined by single spaces. */
static int un_primary(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	static const char *const parts[] = { "FIRST_NAME", "SECOND_NAME",
					     "THIRD_NAME", "FOURTH_NAME" };
	size_t used = 0;

	for (size_t i = 0; i < 4; i++) {
		size_t len;
		const char *s = un_text(c, rec, parts[i], &len);

		while (len && (*s == ' '))
			s++, len--;
		while (len && s[len - 1] == ' ')
			len--;
		if (!len || used + len + 2 > sizeof(c->join))
			continue;
		if (used)
			c->join[used++] = ' ';
		memcpy(c->join + used, s, len);
		used += len;
	}
	c->join[used] = '\0';
	return wl_entity_add_name(c->l, e, c->join, used, WL_NAME_PRIMARY);
}

/* Entities sometimes list two names as "A (X) ; B (Y)": add each part. */
static int un_split_names(un_ctx *c, uint32_t e)
{
	const char *s = c->join, *semi;
	int rc;

	if (!strstr(s, " ; "))
		return 0;
	while ((semi = strstr(s, " ; "))) {
		rc = wl_entity_add_name(c->l, e, s, (size_t)(semi - s),
					WL_NAME_STRONG);
		if (rc < 0)
			return rc;
		s = semi + 3;
	}
	return wl_entity_add_name(c->l, e, s, strlen(s), WL_NAME_STRONG);
}

static wl_name_strength un_quality(const char *q)
{
	if (!strcasecmp(q, "Low"))
		return WL_NAME_WEAK;
	if (!strcasecmp(q, "f.k.a."))
		return WL_NAME_FORMER;
	return WL_NAME_STRONG;  /* Good, a.k.a., or unstated */
}

static int un_dob_text(un_ctx *c, uint32_t e, const char *s, size_t len)
{
	wl_date d;

	if (!len)
		return 0;
	if (wl_date_parse(s, len, &d) < 0) {
		c->bad_date++;
		return wl_entity_add_attr(c->l, e, "dob", s, len);
	}
	return wl_entity_add_dob(c->l, e, d);
}

static int un_aliases(un_ctx *c, uint32_t e, const xmlNode *rec,
		      const char *tag)
{
	for (xmlNode *a = xu_child(rec, tag); a; a = xu_next(a)) {
		size_t qlen, nlen, dlen;
		const char *q = un_text(c, a, "QUALITY", &qlen);
		wl_name_strength st = un_quality(q);
		const char *nm = xu_child_text(a, "ALIAS_NAME", c->join,
					       sizeof(c->join), &nlen);
		int rc = wl_entity_add_name(c->l, e, nm, nlen, st);

		if (rc < 0)
			return rc;
		/* An alias may carry its own (alternative) date of birth. */
		q = un_text(c, a, "DATE_OF_BIRTH", &dlen);
		rc = un_dob_text(c, e, q, dlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Add one partial date per year of FROM_YEAR..TO_YEAR (bounded). */
static int un_year_range(un_ctx *c, uint32_t e, const xmlNode *d)
{
	size_t len;
	const char *s;
	wl_date from = { 0, 0, 0 }, to = { 0, 0, 0 };
	int rc;

	s = un_text(c, d, "FROM_YEAR", &len);
	if (len && wl_date_parse(s, len, &from) < 0)
		c->bad_date++;
	s = un_text(c, d, "TO_YEAR", &len);
	if (len && wl_date_parse(s, len, &to) < 0)
		c->bad_date++;
	if (from.year && to.year && to.year >= from.year &&
	    to.year - from.year <= UN_MAX_RANGE) {
		for (unsigned y = from.year; y <= to.year; y++) {
			wl_date one = { (uint16_t)y, 0, 0 };

			rc = wl_entity_add_dob(c->l, e, one);
			if (rc < 0)
				return rc;
		}
		return 0;
	}
	from.month = from.day = to.month = to.day = 0;
	rc = wl_entity_add_dob(c->l, e, from);
	return rc < 0 ? rc : wl_entity_add_dob(c->l, e, to);
}

static int un_dobs(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	for (xmlNode *d = xu_child(rec, "INDIVIDUAL_DATE_OF_BIRTH"); d;
	     d = xu_next(d)) {
		size_t len;
		const char *s;
		int rc;

		s = un_text(c, d, "TYPE_OF_DATE", &len);
		if (len && strcasecmp(s, "EXACT")) {
			rc = wl_entity_add_attr(c->l, e, "dob_type", s, len);
			if (rc < 0)
				return rc;
		}
		s = un_text(c, d, "DATE", &len);
		rc = un_dob_text(c, e, s, len);
		if (rc < 0)
			return rc;
		s = un_text(c, d, "YEAR", &len);
		rc = un_dob_text(c, e, s, len);
		if (rc < 0)
			return rc;
		rc = un_year_range(c, e, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static wl_id_type un_doc_type(const char *t)
{
	if (strcasestr(t, "pass") || strcasestr(t, "pasaporte"))
		return WL_ID_PASSPORT;
	if (strcasestr(t, "identi") || strcasestr(t, "id card"))
		return WL_ID_NATIONAL_ID;
	if (strcasestr(t, "tax"))
		return WL_ID_TAX;
	return WL_ID_OTHER;
}

static int un_documents(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	for (xmlNode *d = xu_child(rec, "INDIVIDUAL_DOCUMENT"); d;
	     d = xu_next(d)) {
		size_t tlen, nlen, ilen;
		const char *t = un_text(c, d, "TYPE_OF_DOCUMENT", &tlen);
		wl_id_type type = un_doc_type(t);
		const char *num = xu_child_text(d, "NUMBER", c->join,
						sizeof(c->join), &nlen);
		const char *iss;
		int rc = wl_entity_add_id(c->l, e, type, num, nlen);

		if (rc < 0)
			return rc;
		iss = un_text(c, d, "ISSUING_COUNTRY", &ilen);
		if (!ilen)
			iss = un_text(c, d, "COUNTRY_OF_ISSUE", &ilen);
		rc = wl_entity_add_attr(c->l, e, "document_country", iss, ilen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Join the named child texts of n with ", " into c->join. */
static size_t un_join(un_ctx *c, const xmlNode *n,
		      const char *const *names, size_t count)
{
	size_t used = 0;

	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *s = un_text(c, n, names[i], &len);

		if (!len || used + len + 3 > sizeof(c->join))
			continue;
		if (used) {
			memcpy(c->join + used, ", ", 2);
			used += 2;
		}
		memcpy(c->join + used, s, len);
		used += len;
	}
	return used;
}

static int un_addresses(un_ctx *c, uint32_t e, const xmlNode *rec,
			const char *tag)
{
	static const char *const parts[] = { "STREET", "CITY", "STATE_PROVINCE",
					     "ZIP_CODE", "COUNTRY", "NOTE" };

	for (xmlNode *a = xu_child(rec, tag); a; a = xu_next(a)) {
		size_t len = un_join(c, a, parts, 6);
		const char *s;
		int rc = wl_entity_add_attr(c->l, e, "address", c->join, len);

		if (rc < 0)
			return rc;
		s = un_text(c, a, "COUNTRY", &len);
		rc = un_country(c, e, "address_country", s, len);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int un_places_of_birth(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	static const char *const parts[] = { "CITY", "STATE_PROVINCE",
					     "COUNTRY" };

	for (xmlNode *p = xu_child(rec, "INDIVIDUAL_PLACE_OF_BIRTH"); p;
	     p = xu_next(p)) {
		size_t len = un_join(c, p, parts, 3);
		int rc = wl_entity_add_attr(c->l, e, "pob", c->join, len);

		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Every VALUE child of every element tag of rec, via fn. */
static int un_values(un_ctx *c, uint32_t e, const xmlNode *rec,
		     const char *tag, const char *key, int is_country)
{
	for (xmlNode *g = xu_child(rec, tag); g; g = xu_next(g)) {
		for (xmlNode *v = xu_child(g, "VALUE"); v; v = xu_next(v)) {
			size_t len;
			const char *s = xu_text(v, c->buf, sizeof(c->buf), &len);
			int rc = is_country ? un_country(c, e, key, s, len) :
					      wl_entity_add_attr(c->l, e, key,
								 s, len);

			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* Simple one-text children kept as attributes. */
static int un_simple_attrs(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	static const char *const tags[][2] = {
		{ "DATAID", "dataid" }, { "LISTED_ON", "listed_on" },
		{ "GENDER", "gender" }, { "COMMENTS1", "remarks" },
	};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t len;
		const char *s = un_text(c, rec, tags[i][0], &len);
		int rc = wl_entity_add_attr(c->l, e, tags[i][1], s, len);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static int un_remarks(un_ctx *c, uint32_t e, const xmlNode *rec)
{
	size_t len;
	const char *s = un_text(c, rec, "COMMENTS1", &len);

	return len ? wl_remarks_parse(c->l, e, s, len) : 0;
}

static int un_record(un_ctx *c, const xmlNode *rec, wl_ent_type type,
		     char *errstr, size_t errlen)
{
	size_t len;
	const char *ref = un_text(c, rec, "REFERENCE_NUMBER", &len);
	const char *prefix = type == WL_ENT_PERSON ? "INDIVIDUAL" : "ENTITY";
	char tag[32];
	int64_t e;
	int rc;

	if (!len)
		ref = un_text(c, rec, "DATAID", &len);
	if (!len) {
		snprintf(errstr, errlen, "%s:%ld: %s without REFERENCE_NUMBER",
			 c->path, xu_line(rec), prefix);
		return -EINVAL;
	}
	if (wl_list_find(c->l, ref, len) >= 0) {
		snprintf(errstr, errlen, "%s:%ld: duplicate REFERENCE_NUMBER %.*s",
			 c->path, xu_line(rec), (int)len, ref);
		return -EINVAL;
	}
	e = wl_list_add_entity(c->l, ref, len, type);
	if (e < 0)
		return (int)e;
	rc = un_primary(c, (uint32_t)e, rec);
	if (!rc && type == WL_ENT_ORG)
		rc = un_split_names(c, (uint32_t)e);
	snprintf(tag, sizeof(tag), "%s_ALIAS", prefix);
	if (!rc)
		rc = un_aliases(c, (uint32_t)e, rec, tag);
	for (xmlNode *o = xu_child(rec, "NAME_ORIGINAL_SCRIPT"); o && !rc;
	     o = xu_next(o)) {
		const char *s = xu_text(o, c->buf, sizeof(c->buf), &len);

		rc = wl_entity_add_name(c->l, (uint32_t)e, s, len,
					WL_NAME_STRONG);
	}
	if (!rc) {
		const char *prog = un_text(c, rec, "UN_LIST_TYPE", &len);

		rc = wl_entity_add_program(c->l, (uint32_t)e, prog, len);
	}
	snprintf(tag, sizeof(tag), "%s_ADDRESS", prefix);
	if (!rc)
		rc = un_addresses(c, (uint32_t)e, rec, tag);
	if (!rc)
		rc = un_values(c, (uint32_t)e, rec, "NATIONALITY",
			       "nationality", 1);
	if (!rc)
		rc = un_values(c, (uint32_t)e, rec, "TITLE", "title", 0);
	if (!rc)
		rc = un_values(c, (uint32_t)e, rec, "DESIGNATION",
			       "designation", 0);
	if (!rc)
		rc = un_dobs(c, (uint32_t)e, rec);
	if (!rc)
		rc = un_places_of_birth(c, (uint32_t)e, rec);
	if (!rc)
		rc = un_documents(c, (uint32_t)e, rec);
	if (!rc)
		rc = un_simple_attrs(c, (uint32_t)e, rec);
	if (!rc)
		rc = un_remarks(c, (uint32_t)e, rec);
	if (rc < 0)
		snprintf(errstr, errlen, "%s:%ld: %s", c->path, xu_line(rec),
			 strerror(-rc));
	return rc;
}

static int un_group(un_ctx *c, const xmlNode *root, const char *group,
		    const char *item, wl_ent_type type, char *errstr,
		    size_t errlen)
{
	for (xmlNode *g = xu_child(root, group); g; g = xu_next(g))
		for (xmlNode *r = xu_child(g, item); r; r = xu_next(r)) {
			int rc = un_record(c, r, type, errstr, errlen);

			if (rc < 0)
				return rc;
		}
	return 0;
}

static void un_warn(un_ctx *c)
{
	if (c->bad_country) {
		c->l->warnings += c->bad_country;
		fprintf(stderr,
			"%s: warning: %u country names not recognised (kept as attributes)\n",
			c->path, c->bad_country);
	}
	if (c->bad_date) {
		c->l->warnings += c->bad_date;
		fprintf(stderr,
			"%s: warning: %u dates of birth not understood (kept as attributes)\n",
			c->path, c->bad_date);
	}
}

int wl_load_un(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	un_ctx *c;
	xmlDoc *doc;
	xmlNode *root;
	int rc = 0;

	doc = xu_read(path, &rc, errstr, errlen);
	if (!doc)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!xu_is(root, "CONSOLIDATED_LIST") || root->ns) {
		snprintf(errstr, errlen, "%s: not a UN consolidated list", path);
		rc = -EINVAL;
		goto out_doc;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(errstr, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto out_doc;
	}
	c->l = l;
	c->path = path;
	rc = un_group(c, root, "INDIVIDUALS", "INDIVIDUAL", WL_ENT_PERSON,
		      errstr, errlen);
	if (!rc)
		rc = un_group(c, root, "ENTITIES", "ENTITY", WL_ENT_ORG, errstr,
			      errlen);
	if (!rc)
		un_warn(c);
	free(c);
out_doc:
	xmlFreeDoc(doc);
	return rc;
}
