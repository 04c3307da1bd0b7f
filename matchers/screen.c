/*
 * screen.c - screen one event against one list version (screen.h).
 *
 * Each kind of evidence has its own small function: party names,
 * party identifiers, vessel, free text, goods, and the route/country
 * rules.  All of them add hits to the one verdict; the verdict keeps
 * the strongest decision.  Suppression by the allow list happens when
 * a hit is added, so a suppressed hit stays visible but cannot raise
 * the verdict.
 *
 * Everything used per event lives in screen_ctx (parser, name-index
 * scratch, normaliser, small buffers), created once per thread.
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "goods.h"
#include "ids.h"
#include "idset.h"
#include "nameidx.h"
#include "norm.h"
#include "rules.h"
#include "screen_internal.h"

screen_ctx *screen_ctx_new(void)
{
	screen_ctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->parser = event_parser_new();
	c->names = nameidx_scratch_new();
	c->norm = norm_ctx_new();
	c->ev = calloc(1, sizeof(*c->ev));
	if (!c->parser || !c->names || !c->norm || !c->ev) {
		screen_ctx_free(c);
		return NULL;
	}
	return c;
}

void screen_ctx_free(screen_ctx *c)
{
	if (!c)
		return;
	event_parser_free(c->parser);
	nameidx_scratch_free(c->names);
	norm_ctx_free(c->norm);
	free(c->ev);
	free(c);
}

void screen_message(screen_ctx *c, const db *d, const char *msg,
		    size_t len, verdict *out, const char **id, size_t *id_len)
{
	char err[160];

	verdict_reset(out, d->version);
	if (event_parse(c->parser, msg, len, c->ev, err, sizeof(err)) < 0) {
		verdict_set_error(out, "%s", err);
		*id = c->ev->id.s;
		*id_len = c->ev->id.len;
		return;
	}
	*id = c->ev->id.s;
	*id_len = c->ev->id.len;
	screen_event(c, d, c->ev, out);
}

void screen_event(screen_ctx *c, const db *d, const event *ev, verdict *out)
{
	char field[48];

	verdict_reset(out, d->version);
	c->n_rg = 0;
	for (uint32_t i = 0; i < ev->n_parties; i++) {
		const event_party *p = &ev->parties[i];

		screen_party_name(c, d, p, i, out);
		screen_party_ids(c, d, p, i, out);
		if (p->address.len) {
			snprintf(field, sizeof(field), "parties[%u].address", i);
			screen_text(c, d, p->address.s, p->address.len, field,
				    out);
		}
	}
	if (ev->remittance.len)
		screen_text(c, d, ev->remittance.s, ev->remittance.len,
			    "remittance", out);
	for (uint32_t i = 0; i < ev->n_goods; i++) {
		const event_str *s = &ev->goods[i].description;

		if (!s->len)
			continue;
		snprintf(field, sizeof(field), "goods[%u].description", i);
		screen_text(c, d, s->s, s->len, field, out);
	}
	if (ev->has_vessel)
		screen_vessel(c, d, ev, out);
	screen_goods_and_rules(c, d, ev, out);
}
