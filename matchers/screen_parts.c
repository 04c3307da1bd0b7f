/*
 * screen_parts.c - one function per kind of evidence (see screen.c).
 *
 * Decisions:
 *   name     block when the name index says so (score >= block
 *            threshold and not a weak alias alone) and, for a listed
 *            person, a date of birth or country agrees: a person's
 *            name alone (namesakes are common) asks for review
 *   id       identifier equality is strong evidence: db->id_hit_decision
 *            (block unless configured otherwise)
 *   text     a listed name inside free text: review (text around it is
 *            noise, an analyst decides); identifiers found in text
 *            count as identifier hits
 *   vessel   IMO/MMSI equality blocks; a vessel name alone reviews
 *   goods, route, country: what the rules file decides
 * An allow-listed pair is added as suppressed.
 */
#include <stdio.h>
#include <string.h>

#include "goods.h"
#include "ids.h"
#include "idset.h"
#include "screen_internal.h"

static const wl_entity *entity_of(const db *d, uint32_t list, uint32_t e)
{
	return &d->lists[list]->entities[e];
}

static const char *primary_name(const wl_entity *e)
{
	return e->n_names ? e->names[0].text : e->id;
}

/* Copy at most cap-1 bytes without splitting a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap) {
		len = cap - 1;
		while (len && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static void cc2(char out[3], const event_str *s)
{
	out[0] = '\0';
	if (s->len == 2) {
		out[0] = (char)(s->s[0] & ~0x20);
		out[1] = (char)(s->s[1] & ~0x20);
		out[2] = '\0';
	}
}

static void add_name_hit(screen_ctx *c, const db *d, const nameidx_hit *h,
			 verdict_hit_kind kind, verdict_outcome max,
			 const char *field, const char *party_norm,
			 const char *account, verdict *out)
{
	const wl_entity *e = entity_of(d, h->list, h->entity);
	const char *list = d->lists[h->list]->id, *why = NULL;
	verdict_outcome dec = (h->flags & NAMEIDX_HF_BLOCK) ? VERDICT_BLOCK :
							      VERDICT_REVIEW;
	int supp = d->n_allows &&
		   db_allowed(d, list, e->id, party_norm, account, &why);
	verdict_hit *vh;

	(void)c;
	if (dec == VERDICT_BLOCK && e->type == WL_ENT_PERSON &&
	    !(h->flags & (NAMEIDX_HF_DOB_EQUAL | NAMEIDX_HF_COUNTRY_EQUAL)))
		dec = VERDICT_REVIEW;
	if (dec > max)
		dec = max;
	vh = verdict_add_hit(out, kind, dec, h->score, supp);
	if (!vh)
		return;
	snprintf(vh->field, sizeof(vh->field), "%s", field);
	vh->list = list;
	vh->entry = e->id;
	vh->entry_name = primary_name(e);
	snprintf(vh->matched, sizeof(vh->matched), "%s", h->matched);
	if (supp)
		snprintf(vh->reason, sizeof(vh->reason), "%s; allow-listed: %s",
			 h->reason, why);
	else
		snprintf(vh->reason, sizeof(vh->reason), "%s", h->reason);
}

void screen_party_name(screen_ctx *c, const db *d, const event_party *p,
		       uint32_t i, verdict *out)
{
	nameidx_query q;
	char field[48], acct[128] = "";
	const char *pn = "";
	int n;

	if (!p->name.len)
		return;
	memset(&q, 0, sizeof(q));
	q.name = p->name.s;
	q.len = p->name.len;
	q.type = (wl_ent_type)p->type;
	q.dob = p->dob_date;
	cc2(q.country, &p->country);
	cc2(q.nationality, &p->nationality);
	n = nameidx_match(d->names, c->names, &q, c->nh, SCREEN_NAME_HITS);
	if (n <= 0)
		return;
	if (d->n_allows) {
		ssize_t k = norm_text(c->norm, p->name.s, p->name.len,
				      c->norm_buf, sizeof(c->norm_buf));

		pn = k > 0 ? c->norm_buf : "";
		if (p->account.len &&
		    ids_key_raw(WL_ID_ACCOUNT, p->account.s, p->account.len,
				acct, sizeof(acct)) < 0)
			acct[0] = '\0';
	}
	snprintf(field, sizeof(field), "parties[%u].name", i);
	for (int k = 0; k < n; k++)
		add_name_hit(c, d, &c->nh[k],
			     p->type == WL_ENT_VESSEL ? HIT_VESSEL : HIT_NAME,
			     VERDICT_BLOCK, field, pn, acct, out);
}

/* Identifier hits for every ref of (type, value). */
static void id_hits(const db *d, wl_id_type t, const char *value,
		    size_t len, int from_key, verdict_hit_kind kind,
		    const char *field, verdict *out)
{
	const idset_ref *refs;
	int n = from_key ? idset_lookup(d->ids, t, value, len, &refs) :
			   idset_lookup_value(d->ids, t, value, len, &refs);

	for (int k = 0; k < n; k++) {
		const wl_entity *e = entity_of(d, refs[k].list, refs[k].entity);
		verdict_hit *vh = verdict_add_hit(
			out, kind, (verdict_outcome)d->id_hit_decision, 1.0f, 0);

		if (!vh)
			continue;
		snprintf(vh->field, sizeof(vh->field), "%s", field);
		vh->list = d->lists[refs[k].list]->id;
		vh->entry = e->id;
		vh->entry_name = primary_name(e);
		copy_utf8(vh->matched, sizeof(vh->matched), value, len);
		snprintf(vh->reason, sizeof(vh->reason), "%s %.*s listed as %s",
			 wl_id_type_name(t), (int)(len > 64 ? 64 : len), value,
			 wl_id_type_name((wl_id_type)refs[k].type));
	}
}

void screen_party_ids(screen_ctx *c, const db *d, const event_party *p,
		      uint32_t i, verdict *out)
{
	char field[48];

	(void)c;
	if (p->bic.len) {
		snprintf(field, sizeof(field), "parties[%u].bic", i);
		id_hits(d, WL_ID_BIC, p->bic.s, p->bic.len, 0, HIT_ID, field,
			out);
	}
	if (p->account.len) {
		char key[IDS_KEY_MAX];
		wl_id_type t = ids_normalize(WL_ID_IBAN, p->account.s,
					     p->account.len, key,
					     sizeof(key)) > 0 ?
				       WL_ID_IBAN :
				       WL_ID_ACCOUNT;

		snprintf(field, sizeof(field), "parties[%u].account", i);
		id_hits(d, t, p->account.s, p->account.len, 0, HIT_ID, field,
			out);
	}
	for (uint32_t k = 0; k < p->n_ids; k++) {
		const event_id *id = &p->ids[k];

		snprintf(field, sizeof(field), "parties[%u].ids[%u]", i, k);
		id_hits(d, (wl_id_type)id->wl_type, id->value.s, id->value.len,
			0,
			id->wl_type == WL_ID_IMO || id->wl_type == WL_ID_MMSI ?
				HIT_VESSEL :
				HIT_ID,
			field, out);
	}
}

static void text_id_cb(void *ctx, wl_id_type t, const char *key,
		       size_t key_len, size_t off, size_t len)
{
	screen_ctx *c = ctx;

	(void)off;
	(void)len;
	id_hits(c->d, t, key, key_len, 1, HIT_ID, c->field, c->out);
}

static void text_goods_cb(void *ctx, const char *digits, size_t n,
			  size_t off, size_t len)
{
	screen_ctx *c = ctx;
	goods_match m;

	(void)off;
	(void)len;
	if (c->n_rg >= sizeof(c->rg) / sizeof(c->rg[0]) ||
	    !goods_lookup(c->d->goods, digits, n, &m))
		return;
	copy_utf8(c->rg[c->n_rg].hs, sizeof(c->rg[c->n_rg].hs), digits, n);
	snprintf(c->rg[c->n_rg].tier, sizeof(c->rg[c->n_rg].tier), "%s",
		 m.good->tier);
	snprintf(c->rg_field[c->n_rg], sizeof(c->rg_field[0]), "%s", c->field);
	c->n_rg++;
}

void screen_text(screen_ctx *c, const db *d, const char *text, size_t len,
		 const char *field, verdict *out)
{
	int n = nameidx_scan_text(d->names, c->names, text, len, c->nh,
				  SCREEN_NAME_HITS);

	for (int k = 0; k < n; k++)
		add_name_hit(c, d, &c->nh[k], HIT_TEXT, VERDICT_REVIEW, field,
			     "", "", out);
	c->d = d;
	c->out = out;
	c->field = field;
	ids_scan_text(text, len, text_id_cb, c);
	goods_scan_text(text, len, text_goods_cb, c);
}

void screen_vessel(screen_ctx *c, const db *d, const event *ev,
		   verdict *out)
{
	if (ev->vessel_imo.len)
		id_hits(d, WL_ID_IMO, ev->vessel_imo.s, ev->vessel_imo.len, 0,
			HIT_VESSEL, "vessel.imo", out);
	if (ev->vessel_mmsi.len)
		id_hits(d, WL_ID_MMSI, ev->vessel_mmsi.s, ev->vessel_mmsi.len,
			0, HIT_VESSEL, "vessel.mmsi", out);
	if (ev->vessel_name.len) {
		nameidx_query q;
		int n;

		memset(&q, 0, sizeof(q));
		q.name = ev->vessel_name.s;
		q.len = ev->vessel_name.len;
		q.type = WL_ENT_VESSEL;
		n = nameidx_match(d->names, c->names, &q, c->nh,
				  SCREEN_NAME_HITS);
		for (int k = 0; k < n; k++)
			add_name_hit(c, d, &c->nh[k], HIT_VESSEL, VERDICT_REVIEW,
				     "vessel.name", "", "", out);
	}
}
