/*
 * verdict.c - build and encode verdicts (SPEC.md section 2).
 *
 * Hits are kept in a small fixed array; when more than
 * VERDICT_MAX_HITS arrive the weakest is replaced, so the worst
 * evidence is always shown.  Encoding writes JSON by hand into a
 * caller buffer: a verdict is on the hot path of every event and must
 * not allocate.
 */
#include "verdict.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "norm.h"

static const char *const outcome_names[VERDICT__COUNT] = { "pass", "review",
							   "block", "error" };
static const char *const kind_names[HIT__COUNT] = {
	"name", "id", "text", "goods", "route", "vessel", "country"
};

const char *verdict_outcome_name(verdict_outcome o)
{
	return (unsigned)o < VERDICT__COUNT ? outcome_names[o] : "error";
}

const char *verdict_hit_kind_name(verdict_hit_kind k)
{
	return (unsigned)k < HIT__COUNT ? kind_names[k] : "name";
}

void verdict_reset(verdict *v, const char *lists_version)
{
	v->outcome = VERDICT_PASS;
	v->score = 0;
	v->n_hits = 0;
	v->hits_dropped = 0;
	v->lists_version = lists_version ? lists_version : "";
	v->error[0] = '\0';
}

/* Rank: unsuppressed before suppressed, then decision, then score. */
static int weaker(const verdict_hit *a, uint8_t dec, float score, int supp)
{
	if (a->suppressed != (supp != 0))
		return a->suppressed;
	if (a->decision != dec)
		return a->decision < dec;
	return a->score < score;
}

verdict_hit *verdict_add_hit(verdict *v, verdict_hit_kind kind,
			     verdict_outcome decision, float score,
			     int suppressed)
{
	verdict_hit *h;

	if (v->n_hits < VERDICT_MAX_HITS) {
		h = &v->hits[v->n_hits++];
	} else {
		uint32_t w = 0;

		for (uint32_t i = 1; i < VERDICT_MAX_HITS; i++)
			if (weaker(&v->hits[i], v->hits[w].decision,
				   v->hits[w].score, v->hits[w].suppressed))
				w = i;
		v->hits_dropped++;
		if (!weaker(&v->hits[w], (uint8_t)decision, score, suppressed))
			return NULL;
		h = &v->hits[w];
	}
	memset(h, 0, sizeof(*h));
	h->kind = (uint8_t)kind;
	h->decision = (uint8_t)decision;
	h->score = score;
	h->suppressed = suppressed ? 1 : 0;
	h->list = h->entry = h->entry_name = "";
	if (!suppressed) {
		if (decision > v->outcome && v->outcome != VERDICT_ERROR)
			v->outcome = (uint8_t)decision;
		if (score > v->score)
			v->score = score;
	}
	return h;
}

void verdict_set_error(verdict *v, const char *fmt, ...)
{
	va_list ap;

	v->outcome = VERDICT_ERROR;
	v->score = 0;
	v->n_hits = 0;
	va_start(ap, fmt);
	vsnprintf(v->error, sizeof(v->error), fmt, ap);
	va_end(ap);
}

typedef struct out {
	char *p;
	size_t n, cap;
	int full;
} out;

static void put(out *o, const char *s, size_t len)
{
	if (o->full || o->n + len >= o->cap) {
		o->full = 1;
		return;
	}
	memcpy(o->p + o->n, s, len);
	o->n += len;
}

static void puts_(out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A JSON string; bytes that are not valid UTF-8 become '?'. */
static void putstr(out *o, const char *s, size_t len)
{
	char tmp[1024];

	put(o, "\"", 1);
	while (len && !o->full) {
		size_t chunk = len > 128 ? 128 : len;
		int n;

		/* Do not split a UTF-8 sequence between chunks. */
		while (chunk < len && chunk > 0 &&
		       ((unsigned char)s[chunk] & 0xc0) == 0x80)
			chunk--;
		if (chunk == 0)
			chunk = len > 128 ? 128 : len;
		if (!norm_utf8_valid(s, chunk)) {
			char safe[128];

			for (size_t i = 0; i < chunk; i++)
				safe[i] = (unsigned char)s[i] < 0x80 ? s[i] : '?';
			n = json_escape(safe, chunk, tmp, sizeof(tmp));
		} else {
			n = json_escape(s, chunk, tmp, sizeof(tmp));
		}
		if (n < 0) {
			o->full = 1;
			return;
		}
		put(o, tmp, (size_t)n);
		s += chunk;
		len -= chunk;
	}
	put(o, "\"", 1);
}

static void putkv(out *o, const char *key, const char *val)
{
	put(o, "\"", 1);
	puts_(o, key);
	puts_(o, "\":");
	putstr(o, val, strlen(val));
}

static void putscore(out *o, float s)
{
	char b[16];
	int n = snprintf(b, sizeof(b), "%.2f", (double)s);

	put(o, b, (size_t)n);
}

static void put_hit(out *o, const verdict_hit *h)
{
	puts_(o, "{");
	putkv(o, "kind", verdict_hit_kind_name((verdict_hit_kind)h->kind));
	puts_(o, ",");
	putkv(o, "field", h->field);
	puts_(o, ",");
	putkv(o, "list", h->list);
	puts_(o, ",");
	putkv(o, "entry", h->entry);
	puts_(o, ",");
	putkv(o, "entry_name", h->entry_name);
	puts_(o, ",");
	putkv(o, "matched", h->matched);
	puts_(o, ",\"score\":");
	putscore(o, h->score);
	puts_(o, ",");
	putkv(o, "decision", verdict_outcome_name((verdict_outcome)h->decision));
	if (h->suppressed)
		puts_(o, ",\"suppressed\":true");
	puts_(o, ",");
	putkv(o, "reason", h->reason);
	puts_(o, "}");
}

int verdict_encode(const verdict *v, const char *id, size_t id_len,
		   char *buf, size_t cap)
{
	out o = { buf, 0, cap, 0 };

	puts_(&o, "{\"id\":");
	putstr(&o, id, id_len);
	puts_(&o, ",");
	putkv(&o, "verdict", verdict_outcome_name((verdict_outcome)v->outcome));
	puts_(&o, ",\"score\":");
	putscore(&o, v->score);
	puts_(&o, ",\"hits\":[");
	for (uint32_t i = 0; i < v->n_hits; i++) {
		if (i)
			puts_(&o, ",");
		put_hit(&o, &v->hits[i]);
	}
	puts_(&o, "],");
	if (v->hits_dropped) {
		char b[48];
		int n = snprintf(b, sizeof(b), "\"hits_dropped\":%u,",
				 v->hits_dropped);

		put(&o, b, (size_t)n);
	}
	putkv(&o, "lists_version", v->lists_version ? v->lists_version : "");
	if (v->outcome == VERDICT_ERROR) {
		puts_(&o, ",");
		putkv(&o, "error", v->error);
	}
	puts_(&o, "}\n");
	if (o.full)
		return -ENOSPC;
	buf[o.n] = '\0';
	return (int)o.n;
}
