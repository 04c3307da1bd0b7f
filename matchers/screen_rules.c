/*
 * screen_rules.c - controlled goods, route and country evidence.
 *
 * The goods matcher says which of the event's goods are on a
 * controlled list (CHPL); the rules decide what that means given the
 * route and the parties' countries and addresses.  A controlled good
 * alone is not a hit: it becomes one (kind "goods") when a rule about
 * goods fires, carrying that rule's decision, so the verdict shows
 * both the good and the rule that made it matter.
 */
#include <stdio.h>
#include <string.h>

#include "goods.h"
#include "screen_internal.h"

static void cc2(char out[3], const event_str *s)
{
	out[0] = '\0';
	if (s->len == 2) {
		out[0] = (char)(s->s[0] & ~0x20);
		out[1] = (char)(s->s[1] & ~0x20);
		out[2] = '\0';
	}
}

static void event_goods(screen_ctx *c, const db *d, const event *ev)
{
	for (uint32_t i = 0; i < ev->n_goods; i++) {
		char digits[GOODS_HS_MAX + 1];
		goods_match m;
		int n;

		if (!ev->goods[i].hs.len ||
		    c->n_rg >= sizeof(c->rg) / sizeof(c->rg[0]))
			continue;
		n = goods_hs_digits(ev->goods[i].hs.s, ev->goods[i].hs.len,
				    digits);
		if (n <= 0 || !goods_lookup(d->goods, digits, (size_t)n, &m))
			continue;
		snprintf(c->rg[c->n_rg].hs, sizeof(c->rg[0].hs), "%s", digits);
		snprintf(c->rg[c->n_rg].tier, sizeof(c->rg[0].tier), "%s",
			 m.good->tier);
		snprintf(c->rg_field[c->n_rg], sizeof(c->rg_field[0]),
			 "goods[%u].hs", i);
		c->n_rg++;
	}
}

static void fill_input(screen_ctx *c, const event *ev, rules_input *in)
{
	memset(in, 0, sizeof(*in));
	cc2(in->origin, &ev->route_origin);
	cc2(in->destination, &ev->route_destination);
	for (uint32_t i = 0; i < ev->n_via && i < RULES_MAX_VIA; i++)
		cc2(in->via[in->n_via++], &ev->route_via[i]);
	for (uint32_t i = 0; i < ev->n_parties; i++) {
		const event_party *p = &ev->parties[i];
		rules_party *rp = &c->rp[i];

		rp->role = p->role.len ? p->role.s : NULL;
		cc2(rp->country, &p->country);
		cc2(rp->nationality, &p->nationality);
		rp->address = p->address.len ? p->address.s : NULL;
		rp->address_len = p->address.len;
	}
	in->parties = c->rp;
	in->n_parties = ev->n_parties;
	in->goods = c->rg;
	in->n_goods = c->n_rg;
	if (ev->has_vessel)
		cc2(in->vessel_flag, &ev->vessel_flag);
}

static verdict_hit_kind kind_of(const rules_hit *h)
{
	if (!strncmp(h->field, "route", 5))
		return HIT_ROUTE;
	return HIT_COUNTRY;
}

static void goods_hits(screen_ctx *c, const db *d, rules_decision dec,
		       const char *rule, verdict *out)
{
	for (unsigned g = 0; g < c->n_rg; g++) {
		goods_match m;
		verdict_hit *vh;

		if (!goods_lookup(d->goods, c->rg[g].hs, strlen(c->rg[g].hs),
				  &m))
			continue;
		vh = verdict_add_hit(out, HIT_GOODS, (verdict_outcome)dec, 1.0f,
				     0);
		if (!vh)
			continue;
		snprintf(vh->field, sizeof(vh->field), "%s", c->rg_field[g]);
		vh->list = d->lists[m.list]->id;
		vh->entry = m.good->hs;
		vh->entry_name = m.good->description;
		snprintf(vh->matched, sizeof(vh->matched), "%s", c->rg[g].hs);
		snprintf(vh->reason, sizeof(vh->reason),
			 "controlled good, tier %s; rule %s", m.good->tier, rule);
	}
}

void screen_goods_and_rules(screen_ctx *c, const db *d, const event *ev,
			    verdict *out)
{
	rules_input in;
	rules_decision goods_dec = 0;
	const char *goods_rule = "";
	size_t n;

	event_goods(c, d, ev);
	fill_input(c, ev, &in);
	n = rules_eval(d->rules, &in, c->rh, SCREEN_RULE_HITS);
	for (size_t k = 0; k < n; k++) {
		const rules_hit *h = &c->rh[k];
		verdict_hit *vh = verdict_add_hit(out, kind_of(h),
						  (verdict_outcome)h->decision,
						  1.0f, 0);

		if (h->goods && h->decision > goods_dec) {
			goods_dec = h->decision;
			goods_rule = h->rule;
		}
		if (!vh)
			continue;
		snprintf(vh->field, sizeof(vh->field), "%s", h->field);
		vh->list = "rules";
		vh->entry = h->rule;
		vh->entry_name = h->rule;
		vh->matched[0] = '\0';
		snprintf(vh->reason, sizeof(vh->reason), "%s", h->reason);
	}
	if (goods_dec)
		goods_hits(c, d, goods_dec, goods_rule, out);
}
