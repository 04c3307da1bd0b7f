/*
 * eu.h - internal split of the EU Financial Sanctions Files loader:
 * eu.c detects the schema and dispatches, eu_legacy.c reads the 2016
 * WHOLE export, eu_export.c the current <export> schema.  Not part of
 * the public loader API.
 */
#ifndef INTERDICT_EU_H
#define INTERDICT_EU_H

#include <libxml/tree.h>

#include "../model.h"

#define EU_EXPORT_NS "http://eu.europa.ec/fpi/fsd/export"
#define EU_TEXT_CAP 4096

/* Per-load state shared by both schema readers. */
typedef struct eu_ctx {
	wl_list *l;
	const char *path;
	uint32_t bad_country;
	uint32_t bad_date;
	char buf[EU_TEXT_CAP];
	char join[EU_TEXT_CAP];
} eu_ctx;

/* Fill c->l from the legacy <WHOLE> root.  0 or -errno + errstr. */
int eu_legacy_load(eu_ctx *c, const xmlNode *root, char *errstr,
		   size_t errlen);
/* Fill c->l from the current <export> root.  0 or -errno + errstr. */
int eu_export_load(eu_ctx *c, const xmlNode *root, char *errstr,
		   size_t errlen);

/* Add a country (name, alpha-2/3) or keep it as attribute key. */
int eu_country(eu_ctx *c, uint32_t e, const char *key, const char *s,
	       size_t len);
/*
 * Add dates of birth from free text: "1960-02-21", "1960 (approximative)",
 * "1958 - 1960 (approximative)" (each year of a short range).
 * Unparsable text is kept as attribute "dob" and counted.
 */
int eu_dob_text(eu_ctx *c, uint32_t e, const char *s, size_t len);
/* Add a new entity with list id; duplicate ids are an error naming line. */
int64_t eu_new_entity(eu_ctx *c, const xmlNode *n, const char *id,
		      wl_ent_type type, char *errstr, size_t errlen);

#endif
