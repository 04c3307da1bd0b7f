/*
 * xmlutil.c - safe XML reading and DOM access for the list loaders.
 *
 * Lists are untrusted input, so documents are parsed with network
 * access off, entities left unexpanded and no DTD loading (no XXE, no
 * billion laughs), and with libxml2's own error printing silenced: the
 * loader reports exactly one "file:line: reason" line, taken from the
 * parser context's last error rather than libxml2's global one.
 *
 * Text access returns pointers into the DOM in the common case of an
 * element with one text child, so walking a 50,000-line list costs no
 * allocation per field.  The country helper lives here because both
 * XML and FtM loaders need the same "name, adjective or code, maybe
 * several" resolution.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "../country.h"
#include "xmlutil.h"

#define XU_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | \
		 XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

/* Copy libxml2's message without its trailing newline. */
static void xu_error(const char *path, const xmlError *xe, char *errstr,
		     size_t errlen)
{
	const char *msg = (xe && xe->message) ? xe->message : "malformed XML";
	size_t n = strlen(msg);

	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	if (xe && xe->line > 0)
		snprintf(errstr, errlen, "%s:%d: %.*s", path, xe->line, (int)n,
			 msg);
	else
		snprintf(errstr, errlen, "%s: %.*s", path, (int)n, msg);
}

xmlDoc *xu_read(const char *path, int *err, char *errstr, size_t errlen)
{
	xmlParserCtxt *ctx;
	xmlDoc *doc;
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		*err = (stat(path, &st) < 0) ? -errno : -EISDIR;
		snprintf(errstr, errlen, "%s: %s", path, strerror(-*err));
		return NULL;
	}
	xmlInitParser();
	ctx = xmlNewParserCtxt();
	if (!ctx) {
		*err = -ENOMEM;
		snprintf(errstr, errlen, "%s: out of memory", path);
		return NULL;
	}
	doc = xmlCtxtReadFile(ctx, path, NULL, XU_OPTS);
	if (!doc || !ctx->wellFormed) {
		xu_error(path, xmlCtxtGetLastError(ctx), errstr, errlen);
		xmlFreeDoc(doc);
		doc = NULL;
		*err = -EINVAL;
	} else if (!xmlDocGetRootElement(doc)) {
		snprintf(errstr, errlen, "%s: empty document", path);
		xmlFreeDoc(doc);
		doc = NULL;
		*err = -EINVAL;
	}
	xmlFreeParserCtxt(ctx);
	return doc;
}

int xu_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	       !strcmp((const char *)n->name, name);
}

xmlNode *xu_child(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next)
		if (xu_is(c, name))
			return c;
	return NULL;
}

xmlNode *xu_next(const xmlNode *n)
{
	for (xmlNode *c = n->next; c; c = c->next)
		if (xu_is(c, (const char *)n->name))
			return c;
	return NULL;
}

static int xu_is_text(const xmlNode *c)
{
	return c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE;
}

const char *xu_text(const xmlNode *n, char *buf, size_t cap, size_t *len)
{
	const xmlNode *one = NULL;
	size_t used = 0;
	int count = 0;

	*len = 0;
	if (!n)
		return "";
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xu_is_text(c) && c->content) {
			one = c;
			count++;
		}
	if (count == 0)
		return "";
	if (count == 1) {
		*len = strlen((const char *)one->content);
		return (const char *)one->content;
	}
	if (!cap)
		return "";
	for (const xmlNode *c = n->children; c; c = c->next) {
		size_t k;

		if (!xu_is_text(c) || !c->content)
			continue;
		k = strlen((const char *)c->content);
		if (k > cap - 1 - used)
			k = cap - 1 - used;
		memcpy(buf + used, c->content, k);
		used += k;
	}
	buf[used] = '\0';
	*len = used;
	return buf;
}

const char *xu_child_text(const xmlNode *n, const char *name, char *buf,
			  size_t cap, size_t *len)
{
	return xu_text(xu_child(n, name), buf, cap, len);
}

const char *xu_attr(const xmlNode *n, const char *name)
{
	if (!n || n->type != XML_ELEMENT_NODE)
		return "";
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		if (strcmp((const char *)a->name, name))
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE &&
		    a->children->content && !a->children->next)
			return (const char *)a->children->content;
		return "";
	}
	return "";
}

long xu_line(const xmlNode *n)
{
	return n ? xmlGetLineNo(n) : 0;
}

/* Add s[0..len) when it names one country; 1 added, 0 not, -ENOMEM. */
static int xu_country_one(wl_list *l, uint32_t e, const char *s, size_t len)
{
	char cc[3];
	int rc;

	while (len && (*s == ' ' || *s == '\t' || *s == '\n'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '.' ||
		       s[len - 1] == '\n'))
		len--;
	if (!len || country_lookup(s, len, cc) < 0)
		return 0;
	rc = wl_entity_add_country(l, e, cc);
	if (rc == -ENOMEM)
		return rc;
	return rc == 0;
}

/* Length of the list separator at s (",", " and ", ...), 0 if none. */
static size_t xu_sep(const char *s, size_t left)
{
	static const char *const seps[] = { " and/or ", ",", ";", "/",
					    " and ", " or ", " & " };

	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		size_t k = strlen(seps[i]);

		if (k <= left && !memcmp(s, seps[i], k))
			return k;
	}
	return 0;
}

/*
 * Whole string first ("Korea, Democratic People's Republic of"), then
 * without a parenthetical remark, then each separated part
 * ("Ukrainian, Russian").  Returns the number of countries added.
 */
int xu_add_country(wl_list *l, uint32_t e, const char *s, size_t len)
{
	const char *paren;
	size_t i = 0, start = 0;
	int rc, added = 0;

	rc = xu_country_one(l, e, s, len);
	if (rc != 0)
		return rc;
	paren = memchr(s, '(', len);
	if (paren) {
		len = (size_t)(paren - s);
		rc = xu_country_one(l, e, s, len);
		if (rc != 0)
			return rc;
	}
	while (i <= len) {
		size_t k = (i < len) ? xu_sep(s + i, len - i) : 1;

		if (!k) {
			i++;
			continue;
		}
		if (i > start) {
			rc = xu_country_one(l, e, s + start, i - start);
			if (rc < 0)
				return rc;
			added += rc;
		}
		i += k;
		start = i;
	}
	return added;
}
