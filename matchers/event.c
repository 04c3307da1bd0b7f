/*
 * event.c - SPEC.md section 1 events from JSON, without allocation.
 *
 * json_parse() validates the whole document (syntax, UTF-8, depth,
 * token count) into the parser's token array; then the known fields
 * are picked out and their strings decoded one after another into the
 * parser's text buffer.  Decoded JSON text is never longer than its
 * source, so a buffer of EVENT_MAX_BYTES plus one NUL per string can
 * never overflow.  Unknown fields are ignored; a known field with the
 * wrong JSON type is an error naming the field, because a payment
 * whose party name cannot be read must not silently pass.
 */
#include "event.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct event_parser {
	json_tok tok[EVENT_MAX_TOKENS];
	char text[EVENT_MAX_BYTES + EVENT_MAX_TOKENS + 16];
	size_t used;
	const char *msg;
	char *err;
	size_t errlen;
};

event_parser *event_parser_new(void)
{
	return calloc(1, sizeof(event_parser));
}

void event_parser_free(event_parser *p)
{
	free(p);
}

static int perr(event_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int perr(event_parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const event_str empty_str = { "", 0 };

/*
 * Fields that are numbers in many real feeds (ids, HS codes, IMO/MMSI,
 * account numbers, id values) may be JSON numbers, kept as their text.
 * Anything else that is screened as text (names, countries, addresses,
 * remittance) must be a string: a number there is an error event, so a
 * party can never pass unscreened because its name had the wrong type.
 */
static int number_ok(const char *field)
{
	static const char *const ok[] = { "id", "hs", "imo", "mmsi",
					  "account", "value" };
	const char *leaf = strrchr(field, '.');

	leaf = leaf ? leaf + 1 : field;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(leaf, ok[i]))
			return 1;
	return 0;
}

/* Decode token t (string, or number kept as its text) into p->text. */
static int take(event_parser *p, int t, event_str *out, const char *field)
{
	const json_tok *k = &p->tok[t];
	char *dst = p->text + p->used;
	int n;

	if (k->type == JSON_NULL) {
		*out = empty_str;
		return 0;
	}
	if (k->type == JSON_NUMBER && !number_ok(field)) {
		return perr(p, "%s: expected string", field);
	} else if (k->type == JSON_NUMBER) {
		memcpy(dst, p->msg + k->start, k->len);
		dst[k->len] = '\0';
		n = (int)k->len;
	} else if (k->type == JSON_STRING) {
		n = json_str_decode(p->msg, k, dst,
				    sizeof(p->text) - p->used);
		if (n < 0)
			return perr(p, "%s: string too long", field);
	} else {
		return perr(p, "%s: expected string", field);
	}
	out->s = dst;
	out->len = (uint32_t)n;
	p->used += (size_t)n + 1;
	return 0;
}

static int field(event_parser *p, int obj, const char *key, event_str *out,
		 const char *prefix)
{
	int v = json_obj_get(p->msg, p->tok, obj, key);
	char name[64];

	*out = empty_str;
	if (v < 0)
		return 0;
	snprintf(name, sizeof(name), "%s%s", prefix, key);
	return take(p, v, out, name);
}

static wl_ent_type party_type(const event_str *s)
{
	static const struct {
		const char *name;
		wl_ent_type t;
	} map[] = { { "person", WL_ENT_PERSON },
		    { "individual", WL_ENT_PERSON },
		    { "organization", WL_ENT_ORG },
		    { "organisation", WL_ENT_ORG },
		    { "company", WL_ENT_ORG },
		    { "entity", WL_ENT_ORG },
		    { "vessel", WL_ENT_VESSEL },
		    { "aircraft", WL_ENT_AIRCRAFT } };

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(s->s, map[i].name))
			return map[i].t;
	return WL_ENT_UNKNOWN;
}

static int parse_ids(event_parser *p, int arr, event_party *pt,
		     const char *prefix)
{
	uint32_t i = (uint32_t)arr + 1;
	char name[64];

	if (p->tok[arr].type == JSON_NULL)
		return 0;
	if (p->tok[arr].type != JSON_ARRAY)
		return perr(p, "%sids: expected array", prefix);
	if (p->tok[arr].size > EVENT_MAX_IDS)
		return perr(p, "%sids: more than %d ids", prefix, EVENT_MAX_IDS);
	for (uint32_t k = 0; k < p->tok[arr].size; k++, i = p->tok[i].end) {
		event_id *id = &pt->ids[pt->n_ids];

		snprintf(name, sizeof(name), "%sids[%u].", prefix, k);
		if (p->tok[i].type != JSON_OBJECT)
			return perr(p, "%sids[%u]: expected object", prefix, k);
		if (field(p, (int)i, "type", &id->type, name) < 0 ||
		    field(p, (int)i, "value", &id->value, name) < 0)
			return -EINVAL;
		if (!id->value.len)
			continue;
		id->wl_type = (uint8_t)wl_id_type_from_name(id->type.s,
							     id->type.len);
		pt->n_ids++;
	}
	return 0;
}

static int parse_party(event_parser *p, int obj, event_party *pt,
		       unsigned idx)
{
	char pre[32];
	event_str type;
	int ids;

	memset(pt, 0, sizeof(*pt));
	snprintf(pre, sizeof(pre), "parties[%u].", idx);
	if (p->tok[obj].type != JSON_OBJECT)
		return perr(p, "parties[%u]: expected object", idx);
	if (field(p, obj, "role", &pt->role, pre) < 0 ||
	    field(p, obj, "type", &type, pre) < 0 ||
	    field(p, obj, "name", &pt->name, pre) < 0 ||
	    field(p, obj, "country", &pt->country, pre) < 0 ||
	    field(p, obj, "address", &pt->address, pre) < 0 ||
	    field(p, obj, "dob", &pt->dob, pre) < 0 ||
	    field(p, obj, "nationality", &pt->nationality, pre) < 0 ||
	    field(p, obj, "account", &pt->account, pre) < 0 ||
	    field(p, obj, "bic", &pt->bic, pre) < 0)
		return -EINVAL;
	pt->type = (uint8_t)party_type(&type);
	if (pt->dob.len && wl_date_parse(pt->dob.s, pt->dob.len,
					 &pt->dob_date) < 0)
		memset(&pt->dob_date, 0, sizeof(pt->dob_date));
	ids = json_obj_get(p->msg, p->tok, obj, "ids");
	return ids < 0 ? 0 : parse_ids(p, ids, pt, pre);
}

/* Iterate array field `key` of obj: returns first element index in
 * *first and count, 0 when absent, -EINVAL on wrong type / too many. */
static int array(event_parser *p, int obj, const char *key, uint32_t max,
		 uint32_t *first, uint32_t *count)
{
	int a = json_obj_get(p->msg, p->tok, obj, key);

	*count = 0;
	if (a < 0 || p->tok[a].type == JSON_NULL)
		return 0;
	if (p->tok[a].type != JSON_ARRAY)
		return perr(p, "%s: expected array", key);
	if (p->tok[a].size > max)
		return perr(p, "%s: more than %u elements", key, max);
	*first = (uint32_t)a + 1;
	*count = p->tok[a].size;
	return 0;
}

static int parse_goods(event_parser *p, event *ev)
{
	uint32_t i, n;

	if (array(p, 0, "goods", EVENT_MAX_GOODS, &i, &n) < 0)
		return -EINVAL;
	for (uint32_t k = 0; k < n; k++, i = p->tok[i].end) {
		event_good *g = &ev->goods[ev->n_goods++];
		char pre[32];

		snprintf(pre, sizeof(pre), "goods[%u].", k);
		if (p->tok[i].type != JSON_OBJECT)
			return perr(p, "goods[%u]: expected object", k);
		if (field(p, (int)i, "hs", &g->hs, pre) < 0 ||
		    field(p, (int)i, "description", &g->description, pre) < 0 ||
		    field(p, (int)i, "origin", &g->origin, pre) < 0)
			return -EINVAL;
	}
	return 0;
}

static int parse_route(event_parser *p, event *ev)
{
	int r = json_obj_get(p->msg, p->tok, 0, "route");
	int via;
	uint32_t i;

	if (r < 0 || p->tok[r].type == JSON_NULL)
		return 0;
	if (p->tok[r].type != JSON_OBJECT)
		return perr(p, "route: expected object");
	if (field(p, r, "origin", &ev->route_origin, "route.") < 0 ||
	    field(p, r, "destination", &ev->route_destination, "route.") < 0)
		return -EINVAL;
	via = json_obj_get(p->msg, p->tok, r, "via");
	if (via < 0 || p->tok[via].type == JSON_NULL)
		return 0;
	if (p->tok[via].type == JSON_STRING) /* "via": "TR" */
		return take(p, via, &ev->route_via[ev->n_via++], "route.via");
	if (p->tok[via].type != JSON_ARRAY)
		return perr(p, "route.via: expected array");
	if (p->tok[via].size > EVENT_MAX_VIA)
		return perr(p, "route.via: more than %d elements",
			    EVENT_MAX_VIA);
	i = (uint32_t)via + 1;
	for (uint32_t k = 0; k < p->tok[via].size; k++, i = p->tok[i].end)
		if (take(p, (int)i, &ev->route_via[ev->n_via++],
			 "route.via[]") < 0)
			return -EINVAL;
	return 0;
}

static int parse_vessel(event_parser *p, event *ev)
{
	int v = json_obj_get(p->msg, p->tok, 0, "vessel");

	if (v < 0 || p->tok[v].type == JSON_NULL)
		return 0;
	if (p->tok[v].type != JSON_OBJECT)
		return perr(p, "vessel: expected object");
	ev->has_vessel = 1;
	if (field(p, v, "name", &ev->vessel_name, "vessel.") < 0 ||
	    field(p, v, "imo", &ev->vessel_imo, "vessel.") < 0 ||
	    field(p, v, "mmsi", &ev->vessel_mmsi, "vessel.") < 0 ||
	    field(p, v, "flag", &ev->vessel_flag, "vessel.") < 0)
		return -EINVAL;
	return 0;
}

static int parse_body(event_parser *p, event *ev)
{
	event_str type;
	uint32_t i, n;

	if (field(p, 0, "type", &type, "") < 0 ||
	    field(p, 0, "timestamp", &ev->timestamp, "") < 0 ||
	    field(p, 0, "remittance", &ev->remittance, "") < 0)
		return -EINVAL;
	if (!type.len || !strcmp(type.s, "payment"))
		ev->type = EVENT_PAYMENT;
	else if (!strcmp(type.s, "trade"))
		ev->type = EVENT_TRADE;
	else if (!strcmp(type.s, "party"))
		ev->type = EVENT_PARTY;
	else
		return perr(p, "type: expected payment, trade or party");
	if (array(p, 0, "parties", EVENT_MAX_PARTIES, &i, &n) < 0)
		return -EINVAL;
	for (uint32_t k = 0; k < n; k++, i = p->tok[i].end)
		if (parse_party(p, (int)i, &ev->parties[ev->n_parties++], k) < 0)
			return -EINVAL;
	if (parse_goods(p, ev) < 0 || parse_route(p, ev) < 0 ||
	    parse_vessel(p, ev) < 0)
		return -EINVAL;
	return 0;
}

static void reset(event *ev)
{
	ev->id = empty_str;
	ev->type = EVENT_PAYMENT;
	ev->timestamp = ev->remittance = empty_str;
	ev->route_origin = ev->route_destination = empty_str;
	ev->vessel_name = ev->vessel_imo = ev->vessel_mmsi = empty_str;
	ev->vessel_flag = empty_str;
	ev->n_parties = ev->n_goods = ev->n_via = 0;
	ev->has_vessel = 0;
}

static int json_error(event_parser *p, int rc, const json_err *je)
{
	switch (rc) {
	case -EILSEQ:
		return perr(p, "invalid UTF-8 at byte %zu", je->offset);
	case -ELOOP:
		return perr(p, "nesting deeper than %d", EVENT_MAX_DEPTH);
	case -E2BIG:
		return perr(p, "more than %d JSON values", EVENT_MAX_TOKENS);
	default:
		return perr(p, "invalid JSON at byte %zu: %s", je->offset,
			    je->reason ? je->reason : "malformed");
	}
}

int event_parse(event_parser *p, const char *msg, size_t len, event *ev,
		char *err, size_t errlen)
{
	json_err je = { 0, NULL };
	int rc, id;

	p->err = err;
	p->errlen = errlen;
	p->msg = msg;
	p->used = 0;
	reset(ev);
	if (len > EVENT_MAX_BYTES)
		return perr(p, "event larger than %u bytes", EVENT_MAX_BYTES);
	rc = json_parse(msg, len, p->tok, EVENT_MAX_TOKENS, EVENT_MAX_DEPTH,
			&je);
	if (rc < 0) {
		json_error(p, rc, &je);
		return rc == -EILSEQ ? -EILSEQ : -EINVAL;
	}
	if (p->tok[0].type != JSON_OBJECT)
		return perr(p, "event is not a JSON object");
	id = json_obj_get(msg, p->tok, 0, "id");
	if (id < 0)
		return perr(p, "missing id");
	if (p->tok[id].type != JSON_STRING && p->tok[id].type != JSON_NUMBER)
		return perr(p, "id: expected string");
	if (take(p, id, &ev->id, "id") < 0)
		return -EINVAL;
	if (!ev->id.len)
		return perr(p, "missing id");
	return parse_body(p, ev);
}
