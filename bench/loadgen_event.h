/*
 * loadgen_event.h - header-only: one generated event as JSON bytes.
 *
 * lg_event(g, n, buf, plant) writes event number n of the stream
 * defined by g (seed, hit rate, trade share) into buf.  It draws from
 * a private RNG seeded with (seed, n), so events can be generated in
 * any order, by any number of threads, and always come out the same.
 * Payments look like ISO 20022 pacs.008 reduced to the SPEC.md event:
 * debtor and creditor (people or companies) with IBANs and BICs,
 * sometimes an intermediary bank, an amount and a remittance line in
 * one of ten languages.  Trade shipments carry consignor, consignee
 * and notify party, goods with HS codes, a route with via countries
 * and a vessel with a valid, unlisted IMO number.
 */
#ifndef INTERDICT_LOADGEN_EVENT_H
#define INTERDICT_LOADGEN_EVENT_H

#include <time.h>

#include "loadgen_plant.h"

#define LG_NAME_KINDS ((1u << LG_EXACT) | (1u << LG_TYPO) | \
		       (1u << LG_TRANSLIT) | (1u << LG_CYRILLIC) | \
		       (1u << LG_SWAP) | (1u << LG_LEGAL) | (1u << LG_TEXT))
#define LG_ALL_KINDS (LG_NAME_KINDS | (1u << LG_IMO) | (1u << LG_BIC) | \
		      (1u << LG_CHPL))

typedef struct lg_gen {
	lg_corpus corpus;
	lg_pool pool;
	uint64_t seed;
	double hit_rate;        /* share of events carrying a plant */
	double trade_share;     /* share of trade shipments */
	char prefix[48];        /* event id = prefix + number */
	uint8_t kinds[LG__KINDS];
	unsigned n_kinds;
} lg_gen;

static inline size_t lg_pool_size(const lg_pool *p, int k)
{
	switch (k) {
	case LG_CYRILLIC: return p->cyr.n;
	case LG_SWAP: return p->persons.n;
	case LG_LEGAL: return p->legal.n;
	case LG_IMO: return p->vessels.n;
	case LG_BIC: return p->bics.n;
	case LG_CHPL: return p->n_goods;
	default: return p->persons.n + p->orgs.n;
	}
}

static inline void lg_gen_free(lg_gen *g)
{
	lg_corpus_free(&g->corpus);
	lg_pool_free(&g->pool);
}

/*
 * Set up a generator over db d.  kinds: bit mask of enum lg_kind
 * (LG_ALL_KINDS); kinds whose pool is empty are left out.  0 or -errno
 * with a message; call lg_gen_free() in every case.
 */
static inline int lg_gen_init(lg_gen *g, const db *d, const char *negatives,
			      uint64_t seed, double hit_rate,
			      double trade_share, unsigned kinds, char *err,
			      size_t errlen)
{
	int rc;

	memset(g, 0, sizeof(*g));
	g->seed = seed;
	g->hit_rate = hit_rate;
	g->trade_share = trade_share;
	snprintf(g->prefix, sizeof(g->prefix), "tx-%08llx-",
		 (unsigned long long)(seed & 0xffffffffu));
	rc = lg_corpus_load(&g->corpus, negatives);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", negatives, strerror(-rc));
		return rc;
	}
	rc = lg_pool_build(&g->pool, d);
	if (rc < 0) {
		snprintf(err, errlen, "listed pool: %s", strerror(-rc));
		return rc;
	}
	for (int k = LG_EXACT; k < LG__KINDS; k++)
		if ((kinds & (1u << k)) && lg_pool_size(&g->pool, k))
			g->kinds[g->n_kinds++] = (uint8_t)k;
	if (hit_rate > 0 && !g->n_kinds) {
		snprintf(err, errlen, "no listed entity usable for planting");
		return -ENODATA;
	}
	return 0;
}

/* ---- plants ---- */

static inline void lg_plant_src(const lg_gen *g, const lg_ref *ref,
				lg_plant *pl)
{
	const wl_list *l = g->pool.db->lists[ref->list];
	const wl_entity *e = lg_ent(&g->pool, ref);

	snprintf(pl->list, sizeof(pl->list), "%s", l->id);
	snprintf(pl->entry, sizeof(pl->entry), "%s", e->id);
	lg_copy(pl->entry_name, sizeof(pl->entry_name),
		e->n_names ? e->names[0].text : "");
}

static inline const lg_ref *lg_pick_party(const lg_gen *g, lg_rng *r,
					  int persons_only)
{
	const lg_pool *p = &g->pool;
	size_t n = persons_only ? p->persons.n : p->persons.n + p->orgs.n;
	uint32_t i = lg_below(r, (uint32_t)n);

	return i < p->persons.n ? &p->persons.v[i]
				: &p->orgs.v[i - p->persons.n];
}

/* Disguised listed name for kind k into pl->text.  0 or -1. */
static inline int lg_disguise(const lg_gen *g, lg_rng *r, int k,
			      lg_plant *pl, wl_ent_type *type)
{
	const lg_pool *p = &g->pool;
	const lg_ref *ref;
	const wl_entity *e;
	char base[200];

	if (k == LG_CYRILLIC)
		ref = &p->cyr.v[lg_below(r, (uint32_t)p->cyr.n)];
	else if (k == LG_LEGAL)
		ref = &p->legal.v[lg_below(r, (uint32_t)p->legal.n)];
	else
		ref = lg_pick_party(g, r, k == LG_SWAP);
	e = lg_ent(p, ref);
	*type = (wl_ent_type)e->type;
	lg_plant_src(g, ref, pl);
	if (k == LG_CYRILLIC) {
		lg_copy(pl->text, sizeof(pl->text), e->names[ref->name].text);
		return 0;
	}
	if (e->type == WL_ENT_PERSON)
		lg_person_form(e->names[0].text, k == LG_SWAP, base, sizeof(base));
	else
		lg_copy(base, sizeof(base), e->names[0].text);
	switch (k) {
	case LG_TYPO: return lg_typo(r, base, pl->text, sizeof(pl->text));
	case LG_TRANSLIT: return lg_translit(r, base, pl->text, sizeof(pl->text));
	case LG_LEGAL: return lg_legal(base, pl->text, sizeof(pl->text));
	default:
		lg_copy(pl->text, sizeof(pl->text), base);
		return 0;
	}
}

/* Choose and prepare the plant of one event; pl->kind LG_NONE if none. */
static inline void lg_plant_pick(const lg_gen *g, lg_rng *r, lg_plant *pl,
				 wl_ent_type *type)
{
	memset(pl, 0, sizeof(*pl));
	if (!g->n_kinds || !lg_chance(r, g->hit_rate))
		return;
	int k = g->kinds[lg_below(r, g->n_kinds)];

	pl->kind = (uint8_t)k;
	pl->expect = VERDICT_REVIEW;
	if (k == LG_IMO || k == LG_BIC || k == LG_CHPL) {
		pl->expect = VERDICT_BLOCK;
		return;
	}
	for (int tries = 0; tries < 32; tries++)
		if (lg_disguise(g, r, k, pl, type) == 0)
			return;
	pl->kind = LG_NONE; /* no entity took the disguise */
}

/* ---- JSON pieces ---- */

static inline void lg_head(const lg_gen *g, lg_rng *r, uint64_t n,
			   const char *type, lg_buf *b)
{
	static const char *const cur[] = { "EUR", "USD", "GBP", "CHF", "JPY",
					   "SGD", "TRY", "AED", "PLN", "SEK" };
	time_t t = (time_t)(1795737600 + n * 37 / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	lg_printf(b, "{\"id\":\"%s%llu\",\"type\":\"%s\",\"timestamp\":"
		  "\"%04d-%02d-%02dT%02d:%02d:%02d.%03uZ\",\"amount\":"
		  "{\"value\":\"%u.%02u\",\"currency\":\"%s\"}",
		  g->prefix, (unsigned long long)n, type, tm.tm_year + 1900,
		  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		  (unsigned)(n * 37 % 1000), 10 + lg_below(r, 250000),
		  lg_below(r, 100), LG_PICK(r, cur));
}

typedef struct lg_party {
	const char *role, *type, *name, *cc, *dob, *account, *bic;
} lg_party;

static inline void lg_party_json(lg_buf *b, const lg_party *p, int first)
{
	lg_printf(b, "%s{\"role\":\"%s\",\"type\":\"%s\",\"name\":",
		  first ? "" : ",", p->role, p->type);
	lg_json_str(b, p->name);
	if (p->cc && *p->cc)
		lg_kv(b, "country", p->cc);
	if (p->dob && *p->dob)
		lg_kv(b, "dob", p->dob);
	if (p->account && *p->account)
		lg_kv(b, "account", p->account);
	if (p->bic && *p->bic)
		lg_kv(b, "bic", p->bic);
	lg_put(b, "}", 1);
}

/* An innocent party (person or company) with a bank account. */
typedef struct lg_pbuf {
	char name[200], dob[11], cc[3], iban[36], bic[12];
} lg_pbuf;

static inline void lg_innocent(const lg_gen *g, lg_rng *r, int company,
			       lg_pbuf *pb, lg_party *p)
{
	const lg_iban_fmt *f = &LG_PICK(r, lg_iban_fmts);

	memset(pb, 0, sizeof(*pb));
	if (company) {
		lg_company_name(r, pb->name, sizeof(pb->name));
		snprintf(pb->cc, sizeof(pb->cc), "%s", f->cc);
	} else {
		lg_person_name(r, &g->corpus, pb->name, sizeof(pb->name),
			       pb->dob, pb->cc);
	}
	lg_iban(r, f, pb->iban);
	lg_bic(r, f->cc, pb->bic);
	p->type = company ? "organization" : "person";
	p->name = pb->name;
	p->cc = pb->cc;
	p->dob = pb->dob;
	p->account = pb->iban;
	p->bic = pb->bic;
}

/* Put a name plant into party p (field parties[idx].name). */
static inline void lg_plant_party(lg_plant *pl, wl_ent_type type, int idx,
				  lg_party *p)
{
	p->name = pl->text;
	p->type = type == WL_ENT_PERSON ? "person" : "organization";
	p->dob = "";
	snprintf(pl->field, sizeof(pl->field), "parties[%d].name", idx);
}

static inline int lg_is_name_kind(int k)
{
	return k >= LG_EXACT && k <= LG_LEGAL;
}

static inline void lg_payment(const lg_gen *g, lg_rng *r, uint64_t n,
			      lg_plant *pl, wl_ent_type type, lg_buf *b)
{
	lg_pbuf pb[3];
	lg_party p[3] = { { .role = "debtor" }, { .role = "creditor" },
			  { .role = "intermediary" } };
	int np = lg_chance(r, 0.3) ? 3 : 2, slot = (int)lg_below(r, 2);

	lg_head(g, r, n, "payment", b);
	for (int i = 0; i < np; i++)
		lg_innocent(g, r, i == 2 || lg_chance(r, 0.4), &pb[i], &p[i]);
	if (np == 3) { /* the intermediary is a bank: BIC only */
		snprintf(pb[2].name, sizeof(pb[2].name), "%s Bank", LG_PICK(r, lg_stem));
		p[2].account = "";
		p[2].dob = "";
	}
	if (lg_is_name_kind(pl->kind))
		lg_plant_party(pl, type, slot, &p[slot]);
	if (pl->kind == LG_BIC) {
		const lg_ref *ref = &g->pool.bics.v[lg_below(r, (uint32_t)g->pool.bics.n)];

		lg_plant_src(g, ref, pl);
		snprintf(pl->text, sizeof(pl->text), "%s", ref->id);
		p[1].bic = pl->text;
		snprintf(pl->field, sizeof(pl->field), "parties[1].bic");
	}
	lg_puts(b, ",\"parties\":[");
	for (int i = 0; i < np; i++)
		lg_party_json(b, &p[i], i == 0);
	lg_puts(b, "],\"remittance\":");
	if (pl->kind == LG_TEXT) {
		char line[300];

		snprintf(line, sizeof(line), "Payment to %s per contract %llu",
			 pl->text, (unsigned long long)(n % 100000));
		lg_json_str(b, line);
		snprintf(pl->field, sizeof(pl->field), "remittance");
	} else {
		lg_buf t = { 0 };

		lg_remittance(r, n, &t);
		lg_json_str(b, t.p ? t.p : "");
		lg_buf_free(&t);
	}
	lg_put(b, "}", 1);
}

static const char *const lg_ship_a[] = { "NORDIC", "BALTIC", "OCEAN",
	"PACIFIC", "ATLANTIC", "GOLDEN", "SILVER", "NORTHERN", "CAPE",
	"STAR", "MARE", "SEA" };
static const char *const lg_ship_b[] = { "AURORA", "HARMONY", "PIONEER",
	"HORIZON", "SPIRIT", "VOYAGER", "DAWN", "LIBERTY", "TRIUMPH",
	"SERENITY", "FALCON", "MERIDIAN", "PEARL", "ISLANDER" };

/* Goods, route and vessel of a shipment (plants chpl / imo). */
static inline void lg_cargo(const lg_gen *g, lg_rng *r, lg_plant *pl,
			    const char *from, const char *to, lg_buf *b)
{
	const lg_good *ig = &LG_PICK(r, lg_goods);
	char hs[16], imo[8], vname[64], desc[80];
	const char *via = LG_PICK(r, lg_safe_cc);

	snprintf(hs, sizeof(hs), "%s", ig->hs);
	snprintf(desc, sizeof(desc), "%s", ig->desc);
	if (pl->kind == LG_CHPL) {
		const wl_good *cg = g->pool.goods[lg_below(r, (uint32_t)g->pool.n_goods)];

		snprintf(hs, sizeof(hs), "%.4s.%.2s", cg->hs, cg->hs + 4);
		lg_copy(desc, 61, cg->description);
		via = lg_chance(r, 0.5) ? "TR" : "AE";
		snprintf(pl->list, sizeof(pl->list), "chpl");
		snprintf(pl->entry, sizeof(pl->entry), "%s", cg->hs);
		lg_copy(pl->entry_name, sizeof(pl->entry_name), desc);
		snprintf(pl->text, sizeof(pl->text), "%s via %s to RU", hs, via);
		snprintf(pl->field, sizeof(pl->field), "goods[0].hs");
	}
	lg_puts(b, ",\"goods\":[{\"hs\":");
	lg_json_str(b, hs);
	lg_kv(b, "description", desc);
	lg_printf(b, ",\"origin\":\"%s\",\"quantity\":%u}]", from,
		  1 + lg_below(r, 5000));
	lg_printf(b, ",\"route\":{\"origin\":\"%s\",\"via\":[\"%s\"],"
		  "\"destination\":\"%s\"}", from, via, to);
	do
		lg_imo(r, imo);
	while (lg_imo_listed(&g->pool, imo));
	snprintf(vname, sizeof(vname), "%s %s", LG_PICK(r, lg_ship_a),
		 LG_PICK(r, lg_ship_b));
	if (pl->kind == LG_IMO) {
		const lg_ref *ref = &g->pool.vessels.v[lg_below(r, (uint32_t)g->pool.vessels.n)];

		lg_plant_src(g, ref, pl);
		snprintf(imo, sizeof(imo), "%.7s", ref->id);
		snprintf(pl->text, sizeof(pl->text), "%s renamed %s", imo, vname);
		snprintf(pl->field, sizeof(pl->field), "vessel.imo");
	}
	lg_puts(b, ",\"vessel\":{\"name\":");
	lg_json_str(b, vname);
	lg_printf(b, ",\"imo\":\"%s\",\"flag\":\"%s\"}", imo, LG_PICK(r, lg_safe_cc));
}

static inline void lg_trade(const lg_gen *g, lg_rng *r, uint64_t n,
			    lg_plant *pl, wl_ent_type type, lg_buf *b)
{
	static const char *const from_chpl[] = { "US", "DE", "JP", "NL", "KR" };
	lg_pbuf pb[3];
	lg_party p[3] = { { .role = "consignor" }, { .role = "consignee" },
			  { .role = "notify" } };
	const char *from = LG_PICK(r, lg_safe_cc), *to = LG_PICK(r, lg_safe_cc);
	int slot = (int)lg_below(r, 2);

	if (pl->kind == LG_CHPL) {
		from = LG_PICK(r, from_chpl);
		to = "RU";
	}
	lg_head(g, r, n, "trade", b);
	for (int i = 0; i < 3; i++) {
		lg_innocent(g, r, i < 2 || lg_chance(r, 0.5), &pb[i], &p[i]);
		p[i].account = p[i].bic = "";
	}
	p[0].cc = from;
	p[1].cc = to;
	if (lg_is_name_kind(pl->kind))
		lg_plant_party(pl, type, slot, &p[slot]);
	lg_puts(b, ",\"parties\":[");
	for (int i = 0; i < 3; i++)
		lg_party_json(b, &p[i], i == 0);
	lg_put(b, "]", 1);
	lg_cargo(g, r, pl, from, to, b);
	lg_puts(b, ",\"remittance\":");
	if (pl->kind == LG_TEXT) {
		char line[300];

		snprintf(line, sizeof(line), "Goods for %s, B/L %llu", pl->text,
			 (unsigned long long)n);
		lg_json_str(b, line);
		snprintf(pl->field, sizeof(pl->field), "remittance");
	} else {
		lg_printf(b, "\"B/L %llu freight prepaid\"", (unsigned long long)n);
	}
	lg_put(b, "}", 1);
}

/*
 * Event n into b (b->len reset to 0).  pl (may be NULL) gets the plant;
 * pl->kind is LG_NONE for an innocent event.  Returns the length or
 * -ENOMEM.
 */
static inline int lg_event(const lg_gen *g, uint64_t n, lg_buf *b,
			   lg_plant *pl)
{
	lg_rng r = lg_rng_for(g->seed, n);
	lg_plant local;
	wl_ent_type type = WL_ENT_PERSON;
	int trade;

	if (!pl)
		pl = &local;
	b->len = 0;
	lg_plant_pick(g, &r, pl, &type);
	trade = lg_chance(&r, g->trade_share);
	if (pl->kind == LG_IMO || pl->kind == LG_CHPL)
		trade = 1;
	else if (pl->kind == LG_BIC)
		trade = 0;
	if (trade)
		lg_trade(g, &r, n, pl, type, b);
	else
		lg_payment(g, &r, n, pl, type, b);
	return b->oom ? -ENOMEM : (int)b->len;
}

/* The planted record as one JSON line (no newline) into b. */
static inline void lg_plant_json(const lg_gen *g, uint64_t n,
				 const lg_plant *pl, lg_buf *b)
{
	lg_printf(b, "{\"id\":\"%s%llu\",\"kind\":\"%s\",\"expect\":\"%s\"",
		  g->prefix, (unsigned long long)n, lg_kind_names[pl->kind],
		  verdict_outcome_name((verdict_outcome)pl->expect));
	lg_kv(b, "field", pl->field);
	lg_kv(b, "list", pl->list);
	lg_kv(b, "entry", pl->entry);
	lg_kv(b, "entry_name", pl->entry_name);
	lg_kv(b, "planted", pl->text);
	lg_put(b, "}", 1);
}

#endif
