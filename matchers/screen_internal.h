/*
 * screen_internal.h - what the screen_*.c files share: the per-thread
 * context and one function per kind of evidence.  Not part of the
 * library's API.
 */
#ifndef INTERDICT_SCREEN_INTERNAL_H
#define INTERDICT_SCREEN_INTERNAL_H

#include "event.h"
#include "nameidx.h"
#include "norm.h"
#include "rules.h"
#include "screen.h"

#define SCREEN_NAME_HITS 8
#define SCREEN_RULE_HITS 32
#define SCREEN_TEXT_GOODS 16

struct screen_ctx {
	event_parser *parser;
	nameidx_scratch *names;
	norm_ctx *norm;
	event *ev;
	nameidx_hit nh[SCREEN_NAME_HITS];
	rules_party rp[EVENT_MAX_PARTIES];
	rules_good rg[EVENT_MAX_GOODS + SCREEN_TEXT_GOODS];
	unsigned n_rg;
	char rg_field[EVENT_MAX_GOODS + SCREEN_TEXT_GOODS][40];
	rules_hit rh[SCREEN_RULE_HITS];
	char norm_buf[512];
	const char *field; /* field being scanned, for text callbacks */
	const db *d;
	verdict *out;
};

void screen_party_name(screen_ctx *c, const db *d, const event_party *p,
		       uint32_t i, verdict *out);
void screen_party_ids(screen_ctx *c, const db *d, const event_party *p,
		      uint32_t i, verdict *out);
void screen_text(screen_ctx *c, const db *d, const char *text, size_t len,
		 const char *field, verdict *out);
void screen_vessel(screen_ctx *c, const db *d, const event *ev,
		   verdict *out);
void screen_goods_and_rules(screen_ctx *c, const db *d, const event *ev,
			    verdict *out);

#endif
