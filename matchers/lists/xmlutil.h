/*
 * xmlutil.h - the few libxml2 helpers the XML list loaders share.
 *
 * Every XML list (UN, EU) is small enough to read as a DOM.  These
 * helpers read a file safely (no network, no entity expansion, no DTD
 * loading), turn libxml2's errors into "file:line: reason", and give
 * cheap access to child elements and their text without allocating.
 *
 * Thread: each call works on its own parser context; no global state
 * is touched besides libxml2's one-time, idempotent initialisation.
 */
#ifndef INTERDICT_XMLUTIL_H
#define INTERDICT_XMLUTIL_H

#include <stddef.h>

#include <libxml/tree.h>

#include "../model.h"

/*
 * Read and parse path.  Returns the document, or NULL with *err set
 * (-ENOENT missing/unreadable file, -EINVAL malformed, -ENOMEM) and
 * errstr holding "path:line: reason" (or "path: reason").
 */
xmlDoc *xu_read(const char *path, int *err, char *errstr, size_t errlen);

/* 1 when element n's local name is name (namespace ignored). */
int xu_is(const xmlNode *n, const char *name);

/* First element child of n named name, or NULL.  n may be NULL. */
xmlNode *xu_child(const xmlNode *n, const char *name);

/* Next element sibling after n with the same name, or NULL. */
xmlNode *xu_next(const xmlNode *n);

/*
 * Text content of element n (all text/CDATA children concatenated).
 * Returns a pointer into the document when n has one text child, else
 * into buf (cap bytes, truncated).  Never NULL: "" when n is NULL or
 * empty.  *len receives the length.
 */
const char *xu_text(const xmlNode *n, char *buf, size_t cap, size_t *len);

/* Text of the first child element named name ("" when absent). */
const char *xu_child_text(const xmlNode *n, const char *name, char *buf,
			  size_t cap, size_t *len);

/* Attribute value of n (pointer into the document), or "". */
const char *xu_attr(const xmlNode *n, const char *name);

/* Source line of n (1-based; 0 when unknown). */
long xu_line(const xmlNode *n);

/*
 * Resolve a country name/code (anything country_lookup() accepts) and
 * add it to entity e.  Returns 1 when added, 0 when s is empty or not
 * recognised (the caller may keep it as an attribute), -ENOMEM.
 */
int xu_add_country(wl_list *l, uint32_t e, const char *s, size_t len);

#endif
