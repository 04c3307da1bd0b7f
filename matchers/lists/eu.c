/*
 * eu.c - loader entry for the EU Financial Sanctions Files (FSF) XML.
 *
 * Two schemas are in circulation: the legacy v1.0 <WHOLE> export (no
 * namespace, still found in archives and test excerpts) and today's
 * <export xmlns="http://eu.europa.ec/fpi/fsd/export">.  The root
 * element and its namespace decide which reader runs, so one SPEC
 * format "eu-xml" accepts both and anything else is refused with
 * "file: not an EU financial sanctions file" instead of loading an
 * empty list.  The helpers here (countries, free-text birth dates,
 * entity creation) are shared by both readers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eu.h"
#include "loader.h"
#include "xmlutil.h"

#define EU_MAX_RANGE 10

int eu_country(eu_ctx *c, uint32_t e, const char *key, const char *s,
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

/* "1958 - 1960": every year of a short range; 1 when s was a range. */
static int eu_year_range(eu_ctx *c, uint32_t e, const char *s, size_t len,
			 int *rc)
{
	unsigned a, b;
	int n = 0;
	char tmp[32];

	if (len >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (sscanf(tmp, "%4u - %4u%n", &a, &b, &n) != 2 || !n)
		return 0;
	if (a < 1800 || b < a || b - a > EU_MAX_RANGE)
		return 0;
	*rc = 0;
	for (unsigned y = a; y <= b && !*rc; y++) {
		wl_date d = { (uint16_t)y, 0, 0 };

		*rc = wl_entity_add_dob(c->l, e, d);
	}
	return 1;
}

int eu_dob_text(eu_ctx *c, uint32_t e, const char *s, size_t len)
{
	const char *paren = memchr(s, '(', len);
	size_t core = paren ? (size_t)(paren - s) : len;
	wl_date d;
	int rc;

	if (!len)
		return 0;
	while (core && s[core - 1] == ' ')
		core--;
	if (eu_year_range(c, e, s, core, &rc))
		return rc;
	if (core && wl_date_parse(s, core, &d) == 0)
		return wl_entity_add_dob(c->l, e, d);
	c->bad_date++;
	return wl_entity_add_attr(c->l, e, "dob", s, len);
}

int64_t eu_new_entity(eu_ctx *c, const xmlNode *n, const char *id,
		      wl_ent_type type, char *errstr, size_t errlen)
{
	size_t len = strlen(id);
	int64_t e;

	if (!len) {
		snprintf(errstr, errlen, "%s:%ld: entity without id", c->path,
			 xu_line(n));
		return -EINVAL;
	}
	if (wl_list_find(c->l, id, len) >= 0) {
		snprintf(errstr, errlen, "%s:%ld: duplicate entity id %s",
			 c->path, xu_line(n), id);
		return -EINVAL;
	}
	e = wl_list_add_entity(c->l, id, len, type);
	if (e < 0)
		snprintf(errstr, errlen, "%s:%ld: out of memory", c->path,
			 xu_line(n));
	return e;
}

static void eu_warn(eu_ctx *c)
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

static int eu_is_export(const xmlNode *root)
{
	return xu_is(root, "export") && root->ns && root->ns->href &&
	       !strcmp((const char *)root->ns->href, EU_EXPORT_NS);
}

int wl_load_eu(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	eu_ctx *c;
	xmlDoc *doc;
	xmlNode *root;
	int rc = 0;

	doc = xu_read(path, &rc, errstr, errlen);
	if (!doc)
		return rc;
	root = xmlDocGetRootElement(doc);
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(errstr, errlen, "%s: out of memory", path);
		rc = -ENOMEM;
		goto out_doc;
	}
	c->l = l;
	c->path = path;
	if (xu_is(root, "WHOLE") && !root->ns) {
		rc = eu_legacy_load(c, root, errstr, errlen);
	} else if (eu_is_export(root)) {
		rc = eu_export_load(c, root, errstr, errlen);
	} else {
		snprintf(errstr, errlen,
			 "%s: not an EU financial sanctions file", path);
		rc = -EINVAL;
	}
	if (!rc)
		eu_warn(c);
	free(c);
out_doc:
	xmlFreeDoc(doc);
	return rc;
}
