/*
 * eu_export.c - reader for the current EU FSF <export> schema
 * (xmlns="http://eu.europa.ec/fpi/fsd/export").
 *
 * Everything sits in attributes of children of <sanctionEntity>:
 * subjectType/@code (person, enterprise), nameAlias (wholeName or
 * first/middle/lastName, @strong), birthdate, citizenship, address
 * and identification with ISO alpha-2 countries, regulation/
 * @programme.  The entity id is @logicalId, the same numbering the
 * legacy WHOLE export used as ENTITY/@Id, so ids stay stable when a
 * deployment moves from the old file to the new one; @euReferenceNumber
 * ("EU.27.28") is kept as an attribute.  The first strong nameAlias is
 * primary; nameAlias strong="false" is a weak alias, as the EU itself
 * marks such names as not sufficient for identification.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eu.h"
#include "loader.h"
#include "xmlutil.h"

static int eu_x_attr(eu_ctx *c, uint32_t e, const xmlNode *n,
		     const char *attr, const char *key)
{
	const char *s = xu_attr(n, attr);

	return wl_entity_add_attr(c->l, e, key, s, strlen(s));
}

/* ISO alpha-2 first, the English description when the code is unusable. */
static int eu_x_country(eu_ctx *c, uint32_t e, const xmlNode *n,
			const char *key)
{
	const char *cc = xu_attr(n, "countryIso2Code");
	const char *desc = xu_attr(n, "countryDescription");
	int rc;

	if (*cc && strcmp(cc, "00")) {
		rc = xu_add_country(c->l, e, cc, strlen(cc));
		if (rc != 0)
			return rc < 0 ? rc : 0;
	}
	if (!*desc || !strcasecmp(desc, "UNKNOWN"))
		return 0;
	return eu_country(c, e, key, desc, strlen(desc));
}

/* Join non-empty attributes of n with ", " into c->join. */
static size_t eu_x_join(eu_ctx *c, const xmlNode *n,
			const char *const *attrs, size_t count)
{
	size_t used = 0;

	for (size_t i = 0; i < count; i++) {
		const char *s = xu_attr(n, attrs[i]);
		size_t len = strlen(s);

		if (!len || used + len + 3 > sizeof(c->join))
			continue;
		if (used) {
			memcpy(c->join + used, ", ", 2);
			used += 2;
		}
		memcpy(c->join + used, s, len);
		used += len;
	}
	c->join[used] = '\0';
	return used;
}

static int eu_x_names(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	static const char *const parts[] = { "firstName", "middleName",
					     "lastName" };
	int have_primary = 0, rc = 0;

	for (xmlNode *n = xu_child(ent, "nameAlias"); n && !rc;
	     n = xu_next(n)) {
		const char *s = xu_attr(n, "wholeName");
		size_t len = strlen(s);
		int weak = !strcasecmp(xu_attr(n, "strong"), "false");
		wl_name_strength st = WL_NAME_STRONG;

		if (!len) {
			len = eu_x_join(c, n, parts, 3);
			s = c->join;
		}
		if (!len)
			continue;
		if (weak)
			st = WL_NAME_WEAK;
		else if (!have_primary)
			st = WL_NAME_PRIMARY;
		rc = wl_entity_add_name(c->l, e, s, len, st);
		if (!rc && st == WL_NAME_PRIMARY) {
			have_primary = 1;
			rc = eu_x_attr(c, e, n, "gender", "gender");
			if (!rc)
				rc = eu_x_attr(c, e, n, "title", "title");
			if (!rc)
				rc = eu_x_attr(c, e, n, "function", "function");
		}
	}
	return rc;
}

/* One <birthdate>: full date, year/month/day parts, or a year range. */
static int eu_x_birth(eu_ctx *c, uint32_t e, const xmlNode *b)
{
	static const char *const pob[] = { "city", "place", "region",
					   "countryDescription" };
	const char *s = xu_attr(b, "birthdate");
	const char *from = xu_attr(b, "yearRangeFrom");
	const char *to = xu_attr(b, "yearRangeTo");
	int rc;

	if (*s) {
		rc = eu_dob_text(c, e, s, strlen(s));
	} else if (*from && *to) {
		snprintf(c->buf, sizeof(c->buf), "%s - %s", from, to);
		rc = eu_dob_text(c, e, c->buf, strlen(c->buf));
	} else {
		wl_date d = { 0, 0, 0 };
		unsigned y = (unsigned)strtoul(xu_attr(b, "year"), NULL, 10);

		d.year = (uint16_t)(y >= 1800 && y <= 2100 ? y : 0);
		d.month = (uint8_t)strtoul(xu_attr(b, "monthOfYear"), NULL, 10);
		d.day = (uint8_t)strtoul(xu_attr(b, "dayOfMonth"), NULL, 10);
		if (d.month > 12 || !d.month)
			d.month = d.day = 0;
		if (d.day > 31)
			d.day = 0;
		rc = wl_entity_add_dob(c->l, e, d);
	}
	if (!rc)
		rc = wl_entity_add_attr(c->l, e, "pob", c->join,
					eu_x_join(c, b, pob, 4));
	return rc;
}

static wl_id_type eu_x_id_type(const xmlNode *n)
{
	static const struct {
		const char *code;
		wl_id_type type;
	} map[] = {
		{ "passport", WL_ID_PASSPORT }, { "id", WL_ID_NATIONAL_ID },
		{ "fiscalcode", WL_ID_TAX },	{ "tax", WL_ID_TAX },
		{ "regnumber", WL_ID_REGISTRATION },
		{ "swiftbic", WL_ID_BIC },	{ "imo", WL_ID_IMO },
		{ "inn", WL_ID_INN },		{ "ogrn", WL_ID_OGRN },
	};
	const char *code = xu_attr(n, "identificationTypeCode");
	const char *desc = xu_attr(n, "identificationTypeDescription");

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcasecmp(code, map[i].code))
			return map[i].type;
	if (strcasestr(desc, "passport"))
		return WL_ID_PASSPORT;
	if (strcasestr(desc, "IMO"))
		return WL_ID_IMO;
	if (strcasestr(desc, "tax"))
		return WL_ID_TAX;
	return WL_ID_OTHER;
}

static int eu_x_idents(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	int rc = 0;

	for (xmlNode *n = xu_child(ent, "identification"); n && !rc;
	     n = xu_next(n)) {
		const char *num = xu_attr(n, "number");
		const char *latin = xu_attr(n, "latinNumber");
		wl_id_type t = eu_x_id_type(n);

		rc = wl_entity_add_id(c->l, e, t, num, strlen(num));
		if (!rc)
			rc = wl_entity_add_id(c->l, e, t, latin, strlen(latin));
		if (!rc)
			rc = eu_x_attr(c, e, n, "countryIso2Code",
				       "document_country");
	}
	return rc;
}

static int eu_x_places(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	static const char *const addr[] = { "street", "poBox", "zipCode",
					    "city", "region", "place",
					    "countryDescription" };
	int rc = 0;

	for (xmlNode *n = xu_child(ent, "citizenship"); n && !rc;
	     n = xu_next(n))
		rc = eu_x_country(c, e, n, "nationality");
	for (xmlNode *n = xu_child(ent, "address"); n && !rc; n = xu_next(n)) {
		rc = wl_entity_add_attr(c->l, e, "address", c->join,
					eu_x_join(c, n, addr, 7));
		if (!rc)
			rc = eu_x_country(c, e, n, "address_country");
	}
	for (xmlNode *n = xu_child(ent, "birthdate"); n && !rc; n = xu_next(n))
		rc = eu_x_birth(c, e, n);
	return rc;
}

static int eu_x_misc(eu_ctx *c, uint32_t e, const xmlNode *ent)
{
	int rc = eu_x_attr(c, e, ent, "euReferenceNumber", "eu_reference");

	if (!rc)
		rc = eu_x_attr(c, e, ent, "unitedNationId", "un_reference");
	for (xmlNode *r = xu_child(ent, "regulation"); r && !rc;
	     r = xu_next(r)) {
		const char *p = xu_attr(r, "programme");

		rc = wl_entity_add_program(c->l, e, p, strlen(p));
	}
	for (xmlNode *r = xu_child(ent, "remark"); r && !rc; r = xu_next(r)) {
		size_t len;
		const char *s = xu_text(r, c->buf, sizeof(c->buf), &len);

		rc = wl_entity_add_attr(c->l, e, "remarks", s, len);
		if (!rc && len)
			rc = wl_remarks_parse(c->l, e, s, len);
	}
	return rc;
}

static wl_ent_type eu_x_type(const xmlNode *ent)
{
	const char *code = xu_attr(xu_child(ent, "subjectType"), "code");

	if (!strcasecmp(code, "person"))
		return WL_ENT_PERSON;
	if (!strcasecmp(code, "enterprise"))
		return WL_ENT_ORG;
	if (!strcasecmp(code, "vessel"))
		return WL_ENT_VESSEL;
	if (!strcasecmp(code, "aircraft"))
		return WL_ENT_AIRCRAFT;
	return WL_ENT_UNKNOWN;
}

static int eu_x_entity(eu_ctx *c, const xmlNode *ent, char *errstr,
		       size_t errlen)
{
	const char *id = xu_attr(ent, "logicalId");
	int64_t e;
	int rc;

	if (!*id)
		id = xu_attr(ent, "euReferenceNumber");
	e = eu_new_entity(c, ent, id, eu_x_type(ent), errstr, errlen);
	if (e < 0)
		return (int)e;
	rc = eu_x_names(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_x_idents(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_x_places(c, (uint32_t)e, ent);
	if (!rc)
		rc = eu_x_misc(c, (uint32_t)e, ent);
	if (rc < 0)
		snprintf(errstr, errlen, "%s:%ld: %s", c->path, xu_line(ent),
			 strerror(-rc));
	return rc;
}

int eu_export_load(eu_ctx *c, const xmlNode *root, char *errstr,
		   size_t errlen)
{
	for (xmlNode *ent = xu_child(root, "sanctionEntity"); ent;
	     ent = xu_next(ent)) {
		int rc = eu_x_entity(c, ent, errstr, errlen);

		if (rc < 0)
			return rc;
	}
	return 0;
}
