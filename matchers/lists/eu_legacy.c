/*
 * eu_legacy.c - reader for the legacy EU FSF v1.0 <WHOLE> export.
 *
 * Each ENTITY (Id, Type P/E, programme) holds repeated NAME, BIRTH,
 * PASSPORT, CITIZEN and ADDRESS records, one per regulation that
 * touched it.  The first NAME is the name the EU lists the entity
 * under, so it is primary; every other NAME (translations into the
 * EU languages, aliases) is strong because the legacy schema carries
 * no quality flag.  Countries are ISO alpha-3 ("IRQ") and resolve
 * through country_lookup().  PASSPORT/NUMBER packs the type into the
 * text ("AD001095 (passport-National passport) ((passport))"): the
 * number is the part before the first " (", the type the word after
 * the parenthesis.  Free text (entity remark, ADDRESS/OTHER) goes to
 * wl_remarks_parse() for embedded identifiers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "eu.h"
#include "loader.h"
#include "xmlutil.h"

static const char *eu_text(eu_ctx *c, const xmlNode *n, const char *name,
			   size_t *len)
{
	return xu_child_text(n, name, c->buf, sizeof(c->buf), len);
}

/* Join the named child texts of n with sep into c->join. */
static size_t eu_join(eu_ctx *c, const xmlNode *n, const char *const *names,
		      size_t count, const char *sep)
{
	size_t used = 0, slen = strlen(sep);

	for (size_t i = 0; i < count; i++) {
		size_t len;
		const char *s = eu_text(c, n, names[i], &len);

		while (len && s[len - 1] == ' ')
			len--;
		if (!len || used + len + slen + 1 > sizeof(c->join))
			continue;
		if (used) {
			memcpy(c->join + used, sep, slen);
			used += slen;
		}
		memcpy(c->join + used, s, len);
		used += len;
	}
	c->join[used] = '\0';
	return used;
}

static int eu_attr_child(eu_ctx *c, uint32_t e, const xmlNode *n,
			 const char *tag, const char *key)
{
	size_t len;
	const char *s = eu_text(c, n, tag, &len);

	return wl_entity_add_attr(c->l, e, key, s, len);
}

/* NAME records: first non-empty one primary, the rest strong. */
static int eu_names(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	static const char *const parts[] = { "FIRSTNAME", "MIDDLENAME",
					     "LASTNAME" };
	int have_primary = 0, rc = 0;

	for (xmlNode *n = xu_child(ent, "NAME"); n && !rc; n = xu_next(n)) {
		size_t len;
		const char *s = xu_child_text(n, "WHOLENAME", c->join,
					      sizeof(c->join), &len);

		if (!len) {
			len = eu_join(c, n, parts, 3, " ");
			s = c->join;
		}
		if (!len)
			continue;
		rc = wl_entity_add_name(c->l, e, s, len,
					have_primary ? WL_NAME_STRONG :
						       WL_NAME_PRIMARY);
		if (!rc && !have_primary) {
			rc = eu_attr_child(c, e, n, "GENDER", "gender");
			if (!rc)
				rc = eu_attr_child(c, e, n, "TITLE", "title");
			if (!rc)
				rc = eu_attr_child(c, e, n, "FUNCTION",
						   "function");
		}
		have_primary = 1;
	}
	return rc;
}

static int eu_births(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	static const char *const parts[] = { "PLACE", "COUNTRY" };
	int rc = 0;

	for (xmlNode *b = xu_child(ent, "BIRTH"); b && !rc; b = xu_next(b)) {
		size_t len;
		const char *s = eu_text(c, b, "DATE", &len);

		rc = eu_dob_text(c, e, s, len);
		if (!rc) {
			len = eu_join(c, b, parts, 2, ", ");
			rc = wl_entity_add_attr(c->l, e, "pob", c->join, len);
		}
	}
	return rc;
}

/* "AD001095 (passport-National passport) ((passport))" -> type, number. */
static wl_id_type eu_passport_split(const char *s, size_t len, size_t *nlen)
{
	const char *p = strstr(s, " (");
	wl_id_type t = WL_ID_OTHER;

	*nlen = (p && (size_t)(p - s) < len) ? (size_t)(p - s) : len;
	if (!p)
		return WL_ID_PASSPORT;
	if (!strncmp(p, " (passport-", 11))
		t = WL_ID_PASSPORT;
	else if (!strncmp(p, " (id-", 5))
		t = WL_ID_NATIONAL_ID;
	return t;
}

static int eu_passports(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	int rc = 0;

	for (xmlNode *p = xu_child(ent, "PASSPORT"); p && !rc;
	     p = xu_next(p)) {
		size_t len, nlen;
		const char *s = xu_child_text(p, "NUMBER", c->join,
					      sizeof(c->join), &len);
		wl_id_type t = eu_passport_split(s, len, &nlen);

		rc = wl_entity_add_attr(c->l, e, "document", s, len);
		if (!rc && nlen && strncasecmp(s, "UNKNOWN", nlen))
			rc = wl_entity_add_id(c->l, e, t, s, nlen);
		if (!rc) {
			s = eu_text(c, p, "COUNTRY", &len);
			rc = wl_entity_add_attr(c->l, e, "document_country", s,
						len);
		}
	}
	return rc;
}

static int eu_citizens(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	int rc = 0;

	for (xmlNode *n = xu_child(ent, "CITIZEN"); n && !rc; n = xu_next(n)) {
		size_t len;
		const char *s = eu_text(c, n, "COUNTRY", &len);

		rc = eu_country(c, e, "nationality", s, len);
	}
	return rc;
}

static int eu_addresses(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	static const char *const parts[] = { "NUMBER", "STREET", "ZIPCODE",
					     "CITY", "COUNTRY" };
	int rc = 0;

	for (xmlNode *a = xu_child(ent, "ADDRESS"); a && !rc; a = xu_next(a)) {
		size_t len = eu_join(c, a, parts, 5, ", ");
		const char *s;

		rc = wl_entity_add_attr(c->l, e, "address", c->join, len);
		if (!rc) {
			s = eu_text(c, a, "COUNTRY", &len);
			rc = eu_country(c, e, "address_country", s, len);
		}
		if (!rc) {
			s = eu_text(c, a, "OTHER", &len);
			rc = wl_entity_add_attr(c->l, e, "remarks", s, len);
			if (!rc && len)
				rc = wl_remarks_parse(c->l, e, s, len);
		}
	}
	return rc;
}

static int eu_entity_attrs(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	const char *s = xu_attr(ent, "programme");
	int rc = wl_entity_add_program(c->l, e, s, strlen(s));

	s = xu_attr(ent, "legal_basis");
	if (!rc)
		rc = wl_entity_add_attr(c->l, e, "legal_basis", s, strlen(s));
	s = xu_attr(ent, "reg_date");
	if (!rc)
		rc = wl_entity_add_attr(c->l, e, "listed_on", s, strlen(s));
	s = xu_attr(ent, "remark");
	if (!rc)
		rc = wl_entity_add_attr(c->l, e, "remarks", s, strlen(s));
	if (!rc && *s)
		rc = wl_remarks_parse(c->l, e, s, strlen(s));
	return rc;
}

static wl_ent_type eu_legacy_type(const char *t)
{
	if (!strcmp(t, "P"))
		return WL_ENT_PERSON;
	if (!strcmp(t, "E"))
		return WL_ENT_ORG;
	return WL_ENT_UNKNOWN;
}

static int eu_legacy_entity(eu_ctx *c, const xmlNode *ent, char *errstr,
			    size_t errlen)
{
	int64_t e = eu_new_entity(c, ent, xu_attr(ent, "Id"),
				  eu_legacy_type(xu_attr(ent, "Type")), errstr,
				  errlen);
	int rc;

	if (e < 0)
		return (int)e;
	rc = eu_names(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_births(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_passports(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_citizens(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_addresses(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_entity_attrs(c, (uint32_t)e, ent);
	if (rc < 0)
		snprintf(errstr, errlen, "%s:%ld: %s", c->path, xu_line(ent),
			 strerror(-rc));
	return rc;
}

int eu_legacy_load(eu_ctx *c, const xmlNode *root, char *errstr,
		   size_t errlen)
{
	for (xmlNode *ent = xu_child(root, "ENTITY"); ent; ent = xu_next(ent)) {
		int rc = eu_legacy_entity(c, ent, errstr, errlen);

		if (rc < 0)
			return rc;
	}
	return 0;
}
