/*
 * rules.c - route/country/goods rules (the "export-control" half of a
 * verdict).
 *
 * Sanctions lists name parties; export controls name places and goods.
 * Compliance teams change the places more often than code ships (a new
 * diversion hub, a region added), so the rules are data: a small line
 * format documented in deploy/rules.default, parsed into fixed-size
 * records (country sets are 676-bit bitsets over alpha-2 codes, fields
 * and regions bitmasks).  Evaluating one event is then a handful of
 * bit tests per rule plus one country_scan() per address, with no
 * allocation; the parsed set is immutable and shared by all threads.
 *
 * A rule fires once per field (route.via[1], parties[0].address...) so
 * the verdict can say exactly where the problem is.
 */
#include "rules.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "country.h"

#define RULES_MAX 64
#define RULES_MAX_TIERS 8
#define RULES_CC_WORDS 11 /* 26 * 26 bits */

enum rules_field {
	RF_ORIGIN = 1 << 0,
	RF_VIA = 1 << 1,
	RF_DEST = 1 << 2,
	RF_PARTY = 1 << 3,
	RF_NATIONALITY = 1 << 4,
	RF_ADDRESS = 1 << 5,
	RF_END_USER = 1 << 6,
	RF_FLAG = 1 << 7,
};

static const struct {
	const char *name;
	unsigned bits;
} rules_fields[] = {
	{ "origin", RF_ORIGIN },	  { "via", RF_VIA },
	{ "destination", RF_DEST },	  { "route", RF_ORIGIN | RF_VIA | RF_DEST },
	{ "party", RF_PARTY },		  { "nationality", RF_NATIONALITY },
	{ "address", RF_ADDRESS },	  { "end_user", RF_END_USER },
	{ "vessel_flag", RF_FLAG },
};

struct rule {
	char name[48];
	rules_decision decision;
	int need_goods;
	int unless_eu_outside;
	unsigned fields;
	unsigned regions; /* bit per country_region index */
	unsigned n_tiers;
	char tiers[RULES_MAX_TIERS][8];
	uint64_t cc[RULES_CC_WORDS];
};

struct rules_set {
	size_t n;
	struct rule r[RULES_MAX];
};

const char rules_default_text[] =
	"block  chpl-russia-belarus  goods=chpl countries=RU,BY "
	"in=destination,via,party,end_user\n"
	"review chpl-diversion-hub   goods=chpl "
	"countries=TR,AE,KZ,KG,AM,GE,UZ,CN,HK in=destination,via "
	"unless=end-user-outside\n"
	"block  embargo  countries=KP,IR,CU,SY "
	"regions=crimea,sevastopol,donetsk,luhansk,zaporizhzhia,kherson "
	"in=route,party,address,vessel_flag\n";

static int rules_cc_bit(const char *cc)
{
	char a = cc[0] & ~0x20, b = cc[1] & ~0x20;

	if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || cc[2])
		return -1;
	return (a - 'A') * 26 + (b - 'A');
}

static int rules_has_cc(const struct rule *r, const char *cc)
{
	int bit = cc && cc[0] && cc[1] ? rules_cc_bit(cc) : -1;

	return bit >= 0 && (r->cc[bit / 64] >> (bit % 64) & 1);
}

/* ---- parsing ---- */

struct rules_parser {
	const char *name;
	unsigned line;
	char *err;
	size_t errlen;
};

static int rules_fail(struct rules_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || !p->errlen)
		return -EINVAL;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Call item(p, r, s, n) for each comma-separated item of v. */
typedef int (*rules_item_fn)(struct rules_parser *p, struct rule *r,
			     const char *s, size_t n);

static int rules_each(struct rules_parser *p, struct rule *r, const char *v,
		      size_t len, rules_item_fn item)
{
	size_t i = 0;

	if (len == 0)
		return rules_fail(p, "empty value");
	while (i <= len) {
		size_t e = i;
		int rc;
		while (e < len && v[e] != ',')
			e++;
		if (e == i)
			return rules_fail(p, "empty item in list");
		rc = item(p, r, v + i, e - i);
		if (rc)
			return rc;
		i = e + 1;
	}
	return 0;
}

static int rules_item_cc(struct rules_parser *p, struct rule *r,
			 const char *s, size_t n)
{
	char cc[3];
	int bit;

	if (country_lookup(s, n, cc) != 0)
		return rules_fail(p, "unknown country '%.*s'", (int)n, s);
	bit = rules_cc_bit(cc);
	r->cc[bit / 64] |= (uint64_t)1 << (bit % 64);
	return 0;
}

static int rules_item_region(struct rules_parser *p, struct rule *r,
			     const char *s, size_t n)
{
	int reg = country_region_lookup(s, n);

	if (reg < 0)
		return rules_fail(p, "unknown region '%.*s'", (int)n, s);
	r->regions |= 1u << reg;
	return 0;
}

static int rules_item_field(struct rules_parser *p, struct rule *r,
			    const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(rules_fields) / sizeof(*rules_fields);
	     i++)
		if (strlen(rules_fields[i].name) == n &&
		    !strncmp(rules_fields[i].name, s, n)) {
			r->fields |= rules_fields[i].bits;
			return 0;
		}
	return rules_fail(p, "unknown field '%.*s'", (int)n, s);
}

static int rules_item_tier(struct rules_parser *p, struct rule *r,
			   const char *s, size_t n)
{
	if (r->n_tiers >= RULES_MAX_TIERS || n >= sizeof(r->tiers[0]))
		return rules_fail(p, "too many or too long tiers");
	memcpy(r->tiers[r->n_tiers], s, n);
	r->tiers[r->n_tiers++][n] = '\0';
	return 0;
}

static int rules_is_key(const char *k, size_t kn, const char *want)
{
	return strlen(want) == kn && !strncmp(k, want, kn);
}

static int rules_option(struct rules_parser *p, struct rule *r,
			const char *t, size_t n)
{
	const char *eq = memchr(t, '=', n);
	size_t kn, vn;

	if (!eq)
		return rules_fail(p, "expected key=value, got '%.*s'", (int)n,
				  t);
	kn = (size_t)(eq - t);
	vn = n - kn - 1;
	if (rules_is_key(t, kn, "countries"))
		return rules_each(p, r, eq + 1, vn, rules_item_cc);
	if (rules_is_key(t, kn, "regions"))
		return rules_each(p, r, eq + 1, vn, rules_item_region);
	if (rules_is_key(t, kn, "in"))
		return rules_each(p, r, eq + 1, vn, rules_item_field);
	if (rules_is_key(t, kn, "tiers"))
		return rules_each(p, r, eq + 1, vn, rules_item_tier);
	if (rules_is_key(t, kn, "goods")) {
		if (vn == 4 && !strncmp(eq + 1, "chpl", 4))
			return r->need_goods = 1, 0;
		if (vn == 3 && !strncmp(eq + 1, "any", 3))
			return r->need_goods = 0, 0;
		return rules_fail(p, "goods= takes chpl or any");
	}
	if (rules_is_key(t, kn, "unless")) {
		if (vn == 16 && !strncmp(eq + 1, "end-user-outside", 16))
			return r->unless_eu_outside = 1, 0;
		return rules_fail(p, "unless= takes end-user-outside");
	}
	return rules_fail(p, "unknown key '%.*s'", (int)kn, t);
}

static int rules_check(struct rules_parser *p, const struct rules_set *s,
		       const struct rule *r)
{
	int any_cc = 0;

	for (int i = 0; i < RULES_CC_WORDS; i++)
		any_cc |= r->cc[i] != 0;
	if (!any_cc && !r->regions)
		return rules_fail(p, "rule '%s' has no countries= or regions=",
				  r->name);
	if (!r->fields)
		return rules_fail(p, "rule '%s' has no in=", r->name);
	if (r->regions && !(r->fields & RF_ADDRESS))
		return rules_fail(p, "regions= needs in=address");
	if (r->n_tiers && !r->need_goods)
		return rules_fail(p, "tiers= needs goods=chpl");
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].name, r->name))
			return rules_fail(p, "duplicate rule name '%s'",
					  r->name);
	return 0;
}

/* Next whitespace-separated token of line[*i..n); 0 at the end. */
static size_t rules_token(const char *line, size_t n, size_t *i,
			  const char **tok)
{
	size_t b;

	while (*i < n && (line[*i] == ' ' || line[*i] == '\t' ||
			  line[*i] == '\r'))
		(*i)++;
	b = *i;
	while (*i < n && line[*i] != ' ' && line[*i] != '\t' &&
	       line[*i] != '\r')
		(*i)++;
	*tok = line + b;
	return *i - b;
}

/* A rule name is [a-z0-9_-]+.  The token is not NUL-terminated (it may
 * end the caller's buffer), so look at its tn bytes only. */
static int rules_name_ok(const char *t, size_t tn)
{
	for (size_t i = 0; i < tn; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		      (t[i] >= '0' && t[i] <= '9') || t[i] == '-' ||
		      t[i] == '_'))
			return 0;
	return 1;
}

static int rules_line(struct rules_parser *p, struct rules_set *s,
		      const char *line, size_t n)
{
	struct rule r;
	const char *t;
	size_t i = 0, tn;
	int rc;

	if (memchr(line, '#', n))
		n = (size_t)((const char *)memchr(line, '#', n) - line);
	tn = rules_token(line, n, &i, &t);
	if (tn == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	if (tn == 5 && !strncmp(t, "block", 5))
		r.decision = RULES_BLOCK;
	else if (tn == 6 && !strncmp(t, "review", 6))
		r.decision = RULES_REVIEW;
	else
		return rules_fail(p, "expected review or block, got '%.*s'",
				  (int)tn, t);
	tn = rules_token(line, n, &i, &t);
	if (tn == 0 || tn >= sizeof(r.name) || !rules_name_ok(t, tn))
		return rules_fail(p, "expected a rule name ([a-z0-9-])");
	memcpy(r.name, t, tn);
	while ((tn = rules_token(line, n, &i, &t)) > 0)
		if ((rc = rules_option(p, &r, t, tn)) != 0)
			return rc;
	if ((rc = rules_check(p, s, &r)) != 0)
		return rc;
	if (s->n >= RULES_MAX)
		return rules_fail(p, "more than %d rules", RULES_MAX);
	s->r[s->n++] = r;
	return 0;
}

rules_set *rules_parse(const char *text, size_t len, const char *name,
		       char *err, size_t errlen)
{
	struct rules_parser p = { name ? name : "rules", 0, err, errlen };
	struct rules_set *s = calloc(1, sizeof(*s));
	size_t i = 0;

	if (!s) {
		rules_fail(&p, "out of memory");
		return NULL;
	}
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		p.line++;
		if (memchr(text + i, '\0', e - i)) {
			rules_fail(&p, "NUL byte");
			goto fail;
		}
		if (rules_line(&p, s, text + i, e - i) != 0)
			goto fail;
		i = e + 1;
	}
	return s;
fail:
	free(s);
	return NULL;
}

rules_set *rules_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	rules_set *s = NULL;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 4096 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);
			if (!nb || cap > (1u << 24)) {
				free(nb ? nb : buf);
				buf = NULL;
				snprintf(err, errlen, "%s: file too large", path);
				goto out;
			}
			buf = nb;
		}
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (k == 0)
			break;
	}
	if (ferror(f))
		snprintf(err, errlen, "%s: read error", path);
	else
		s = rules_parse(buf, n, path, err, errlen);
out:
	free(buf);
	fclose(f);
	return s;
}

rules_set *rules_default(char *err, size_t errlen)
{
	return rules_parse(rules_default_text, strlen(rules_default_text),
			   "rules.default", err, errlen);
}

void rules_free(rules_set *r)
{
	free(r);
}

size_t rules_count(const rules_set *r)
{
	return r ? r->n : 0;
}

/* ---- evaluation ---- */

struct rules_ev {
	const rules_input *in;
	const struct rule *r;
	const rules_good *good; /* the good that qualified, or NULL */
	rules_hit *out;
	size_t max, n;
	unsigned party;         /* address being scanned */
	int party_hit;
};

static void rules_emit(struct rules_ev *ev, const char *field,
		       const char *fmt, ...)
{
	rules_hit *h;
	size_t k;
	va_list ap;

	for (size_t i = 0; i < ev->n && i < ev->max; i++)
		if (ev->out[i].rule == ev->r->name &&
		    !strcmp(ev->out[i].field, field))
			return;
	if (ev->n++ >= ev->max)
		return;
	h = &ev->out[ev->n - 1];
	h->rule = ev->r->name;
	h->decision = ev->r->decision;
	h->goods = (uint8_t)(ev->r->need_goods != 0);
	snprintf(h->field, sizeof(h->field), "%s", field);
	if (ev->good)
		snprintf(h->reason, sizeof(h->reason), "CHPL tier %s good %s ",
			 ev->good->tier, ev->good->hs);
	else
		snprintf(h->reason, sizeof(h->reason), "%s: ", ev->r->name);
	k = strlen(h->reason);
	va_start(ap, fmt);
	vsnprintf(h->reason + k, sizeof(h->reason) - k, fmt, ap);
	va_end(ap);
}

static void rules_route(struct rules_ev *ev)
{
	const rules_input *in = ev->in;
	const struct rule *r = ev->r;
	char f[40];

	if ((r->fields & RF_ORIGIN) && rules_has_cc(r, in->origin))
		rules_emit(ev, "route.origin", "from %s (origin)", in->origin);
	for (unsigned i = 0; (r->fields & RF_VIA) && i < in->n_via &&
			     i < RULES_MAX_VIA; i++)
		if (rules_has_cc(r, in->via[i])) {
			snprintf(f, sizeof(f), "route.via[%u]", i);
			rules_emit(ev, f, "via %s (%s)", in->via[i], f);
		}
	if ((r->fields & RF_DEST) && rules_has_cc(r, in->destination))
		rules_emit(ev, "route.destination", "to %s (destination)",
			   in->destination);
	if ((r->fields & RF_FLAG) && rules_has_cc(r, in->vessel_flag))
		rules_emit(ev, "vessel.flag", "vessel flag %s",
			   in->vessel_flag);
	if ((r->fields & RF_END_USER) && rules_has_cc(r, in->end_user))
		rules_emit(ev, "end_user", "end user in %s", in->end_user);
}

static const char *rules_role(const rules_party *p)
{
	return p->role && p->role[0] ? p->role : "party";
}

static void rules_addr_cb(void *ctx, const char *cc, const char *region,
			  size_t off, size_t len)
{
	struct rules_ev *ev = ctx;
	const rules_party *p = &ev->in->parties[ev->party];
	int reg = region ? country_region_lookup(region, strlen(region)) : -1;
	char f[40];

	(void)off;
	(void)len;
	if (ev->party_hit)
		return;
	if (region ? !(reg >= 0 && (ev->r->regions >> reg & 1))
		   : !rules_has_cc(ev->r, cc))
		return;
	ev->party_hit = 1;
	snprintf(f, sizeof(f), "parties[%u].address", ev->party);
	if (region)
		rules_emit(ev, f, "%s address names %s (%s)", rules_role(p),
			   region, cc);
	else
		rules_emit(ev, f, "%s address names %s", rules_role(p), cc);
}

static void rules_parties(struct rules_ev *ev)
{
	const struct rule *r = ev->r;
	char f[40];

	for (unsigned i = 0; ev->in->parties && i < ev->in->n_parties; i++) {
		const rules_party *p = &ev->in->parties[i];
		if ((r->fields & RF_PARTY) && rules_has_cc(r, p->country)) {
			snprintf(f, sizeof(f), "parties[%u].country", i);
			rules_emit(ev, f, "%s in %s", rules_role(p), p->country);
		}
		if ((r->fields & RF_NATIONALITY) &&
		    rules_has_cc(r, p->nationality)) {
			snprintf(f, sizeof(f), "parties[%u].nationality", i);
			rules_emit(ev, f, "%s national of %s", rules_role(p),
				   p->nationality);
		}
		if ((r->fields & RF_ADDRESS) && p->address) {
			ev->party = i;
			ev->party_hit = 0;
			country_scan(p->address, p->address_len, rules_addr_cb,
				     ev);
		}
	}
}

static int rules_is_end_user(const rules_party *p)
{
	const char *r = p->role;

	return r && (!strcasecmp(r, "end_user") || !strcasecmp(r, "end-user") ||
		     !strcasecmp(r, "enduser"));
}

/* 1 when the event names an end user whose country is outside the
 * rule's countries. */
static int rules_eu_outside(const struct rule *r, const rules_input *in)
{
	if (in->end_user[0] && !rules_has_cc(r, in->end_user))
		return 1;
	for (unsigned i = 0; in->parties && i < in->n_parties; i++) {
		const rules_party *p = &in->parties[i];
		if (rules_is_end_user(p) && p->country[0] &&
		    !rules_has_cc(r, p->country))
			return 1;
	}
	return 0;
}

/* The first controlled good that satisfies the rule's tiers. */
static const rules_good *rules_good_for(const struct rule *r,
					const rules_input *in)
{
	for (unsigned i = 0; in->goods && i < in->n_goods; i++) {
		if (!r->n_tiers)
			return &in->goods[i];
		for (unsigned t = 0; t < r->n_tiers; t++)
			if (!strcmp(r->tiers[t], in->goods[i].tier))
				return &in->goods[i];
	}
	return NULL;
}

size_t rules_eval(const rules_set *s, const rules_input *in, rules_hit *out,
		  size_t max)
{
	struct rules_ev ev = { .in = in, .out = out, .max = out ? max : 0 };

	if (!s || !in)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct rule *r = &s->r[i];
		ev.r = r;
		ev.good = NULL;
		if (r->need_goods && !(ev.good = rules_good_for(r, in)))
			continue;
		if (r->unless_eu_outside && rules_eu_outside(r, in))
			continue;
		rules_route(&ev);
		rules_parties(&ev);
	}
	return ev.n < ev.max ? ev.n : ev.max;
}
