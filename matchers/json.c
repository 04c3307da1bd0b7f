/*
 * json.c - strict allocation-free JSON tokenizer; see json.h.
 *
 * A recursive-descent parser over a byte range.  Recursion depth is
 * bounded by max_depth (checked before descending), so hostile input
 * such as 10,000 nested brackets fails fast with -ELOOP instead of
 * exhausting the stack.  Tokens are appended in document order and a
 * container's `end` is patched when it closes, which gives callers
 * O(1) sibling skipping without a second pass.
 */
#include "json.h"

#include <errno.h>
#include <string.h>

typedef struct jp {
	const unsigned char *s;
	size_t len, pos;
	json_tok *tok;
	uint32_t n, max;
	uint32_t depth, max_depth;
	json_err *err;
} jp;

static int fail(jp *p, int rc, const char *why)
{
	if (p->err) {
		p->err->offset = p->pos;
		p->err->reason = why;
	}
	return rc;
}

static void skip_ws(jp *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int new_tok(jp *p, json_type t, uint32_t start)
{
	json_tok *k;

	if (p->n >= p->max)
		return fail(p, -E2BIG, "too many tokens");
	k = &p->tok[p->n];
	k->start = start;
	k->len = 0;
	k->end = p->n + 1;
	k->size = 0;
	k->type = (uint8_t)t;
	k->escaped = 0;
	return (int)p->n++;
}

/* Validate one UTF-8 sequence at p->pos (first byte >= 0x80). */
static int utf8_seq(jp *p)
{
	const unsigned char *s = p->s + p->pos;
	size_t left = p->len - p->pos;
	unsigned c = s[0], cp, need;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		cp = c & 0x07;
	} else {
		return fail(p, -EILSEQ, "invalid UTF-8");
	}
	if (left <= need)
		return fail(p, -EILSEQ, "truncated UTF-8");
	for (unsigned i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return fail(p, -EILSEQ, "invalid UTF-8");
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(p, -EILSEQ, "invalid UTF-8");
	p->pos += need + 1;
	return 0;
}

static int hex4(const unsigned char *s, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	*out = v;
	return 0;
}

static int escape(jp *p)
{
	unsigned u, lo;

	if (p->pos + 1 >= p->len)
		return fail(p, -EINVAL, "unterminated string");
	switch (p->s[p->pos + 1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n':
	case 'r': case 't':
		p->pos += 2;
		return 0;
	case 'u':
		break;
	default:
		return fail(p, -EINVAL, "bad escape");
	}
	if (p->pos + 6 > p->len || hex4(p->s + p->pos + 2, &u) < 0)
		return fail(p, -EINVAL, "bad \\u escape");
	p->pos += 6;
	if (u >= 0xdc00 && u <= 0xdfff)
		return fail(p, -EILSEQ, "lone low surrogate");
	if (u >= 0xd800 && u <= 0xdbff) {
		if (p->pos + 6 > p->len || p->s[p->pos] != '\\' ||
		    p->s[p->pos + 1] != 'u' ||
		    hex4(p->s + p->pos + 2, &lo) < 0 || lo < 0xdc00 ||
		    lo > 0xdfff)
			return fail(p, -EILSEQ, "lone high surrogate");
		p->pos += 6;
	}
	return 0;
}

static int parse_string(jp *p)
{
	uint32_t start = (uint32_t)++p->pos;
	int t = new_tok(p, JSON_STRING, start), rc;

	if (t < 0)
		return t;
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c == '"') {
			p->tok[t].len = (uint32_t)(p->pos - start);
			p->pos++;
			return t;
		}
		if (c == '\\') {
			p->tok[t].escaped = 1;
			rc = escape(p);
		} else if (c < 0x20) {
			return fail(p, -EINVAL, "control character in string");
		} else if (c >= 0x80) {
			rc = utf8_seq(p);
		} else {
			p->pos++;
			rc = 0;
		}
		if (rc < 0)
			return rc;
	}
	return fail(p, -EINVAL, "unterminated string");
}

static int digits(jp *p)
{
	size_t s = p->pos;

	while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
		p->pos++;
	return p->pos > s ? 0 : -1;
}

static int parse_number(jp *p)
{
	uint32_t start = (uint32_t)p->pos;
	int t;

	if (p->s[p->pos] == '-')
		p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '0')
		p->pos++;
	else if (digits(p) < 0)
		return fail(p, -EINVAL, "bad number");
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (digits(p) < 0)
			return fail(p, -EINVAL, "bad number");
	}
	if (p->pos < p->len && (p->s[p->pos] | 0x20) == 'e') {
		p->pos++;
		if (p->pos < p->len &&
		    (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (digits(p) < 0)
			return fail(p, -EINVAL, "bad number");
	}
	t = new_tok(p, JSON_NUMBER, start);
	if (t >= 0)
		p->tok[t].len = (uint32_t)(p->pos - start);
	return t;
}

static int parse_literal(jp *p, const char *lit, json_type type)
{
	size_t n = strlen(lit);
	int t;

	if (p->len - p->pos < n || memcmp(p->s + p->pos, lit, n))
		return fail(p, -EINVAL, "unexpected character");
	t = new_tok(p, type, (uint32_t)p->pos);
	if (t >= 0)
		p->tok[t].len = (uint32_t)n;
	p->pos += n;
	return t;
}

static int parse_value(jp *p);

static int parse_container(jp *p, int is_obj)
{
	char close = is_obj ? '}' : ']';
	int t = new_tok(p, is_obj ? JSON_OBJECT : JSON_ARRAY,
			(uint32_t)p->pos);

	if (t < 0)
		return t;
	if (++p->depth > p->max_depth)
		return fail(p, -ELOOP, "nesting too deep");
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close)
		goto closed;
	for (;;) {
		int rc;

		skip_ws(p);
		if (is_obj) {
			if (p->pos >= p->len || p->s[p->pos] != '"')
				return fail(p, -EINVAL, "expected key");
			rc = parse_string(p);
			if (rc < 0)
				return rc;
			skip_ws(p);
			if (p->pos >= p->len || p->s[p->pos] != ':')
				return fail(p, -EINVAL, "expected ':'");
			p->pos++;
		}
		rc = parse_value(p);
		if (rc < 0)
			return rc;
		p->tok[t].size++;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == close)
			break;
		return fail(p, -EINVAL, p->pos >= p->len ? "truncated" :
						       "expected ',' or close");
	}
closed:
	p->pos++;
	p->depth--;
	p->tok[t].len = (uint32_t)(p->pos - p->tok[t].start);
	p->tok[t].end = p->n;
	return t;
}

static int parse_value(jp *p)
{
	skip_ws(p);
	if (p->pos >= p->len)
		return fail(p, -EINVAL, "truncated");
	switch (p->s[p->pos]) {
	case '{':
		return parse_container(p, 1);
	case '[':
		return parse_container(p, 0);
	case '"':
		return parse_string(p);
	case 't':
		return parse_literal(p, "true", JSON_TRUE);
	case 'f':
		return parse_literal(p, "false", JSON_FALSE);
	case 'n':
		return parse_literal(p, "null", JSON_NULL);
	default:
		if (p->s[p->pos] == '-' ||
		    (p->s[p->pos] >= '0' && p->s[p->pos] <= '9'))
			return parse_number(p);
		return fail(p, -EINVAL, "unexpected character");
	}
}

int json_parse(const char *buf, size_t len, json_tok *tok, uint32_t max_tok,
	       uint32_t max_depth, json_err *err)
{
	jp p = { (const unsigned char *)buf, len, 0, tok, 0, max_tok, 0,
		 max_depth, err };
	int rc;

	if (len > UINT32_MAX - 1)
		return fail(&p, -E2BIG, "document too large");
	rc = parse_value(&p);
	if (rc < 0)
		return rc;
	skip_ws(&p);
	if (p.pos != len)
		return fail(&p, -EINVAL, "trailing characters");
	return (int)p.n;
}

int json_str_eq(const char *buf, const json_tok *t, const char *s)
{
	size_t n = strlen(s);

	if (t->type != JSON_STRING)
		return 0;
	if (!t->escaped)
		return t->len == n && !memcmp(buf + t->start, s, n);
	{
		char tmp[1024];
		int m;

		/* Decoding shrinks text by at most 6x (a \uXXXX escape per
		 * byte): a raw string longer than 6n+6 cannot equal s. */
		if (t->len > 6 * n + 6)
			return 0;
		if (t->len >= sizeof(tmp))
			return 0; /* keys this long are not looked up */
		m = json_str_decode(buf, t, tmp, sizeof(tmp));
		return m >= 0 && (size_t)m == n && !memcmp(tmp, s, n);
	}
}

int json_obj_get(const char *buf, const json_tok *tok, int obj,
		 const char *key)
{
	uint32_t i, k;

	if (obj < 0 || tok[obj].type != JSON_OBJECT)
		return -1;
	for (i = (uint32_t)obj + 1, k = 0; k < tok[obj].size; k++) {
		if (json_str_eq(buf, &tok[i], key))
			return (int)i + 1;
		i = tok[i + 1].end; /* skip key and value subtree */
	}
	return -1;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int json_str_decode(const char *buf, const json_tok *t, char *out,
		    size_t cap)
{
	const unsigned char *s = (const unsigned char *)buf + t->start;
	size_t i = 0, o = 0;

	if (cap < (size_t)t->len + 1 && t->escaped == 0)
		return -ENOSPC;
	while (i < t->len) {
		unsigned cp = 0, lo = 0;

		if (o + 1 >= cap)
			return -ENOSPC;
		if (s[i] != '\\') {
			out[o++] = (char)s[i++];
			continue;
		}
		switch (s[i + 1]) {
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'n': out[o++] = '\n'; break;
		case 'r': out[o++] = '\r'; break;
		case 't': out[o++] = '\t'; break;
		case 'u':
			hex4(s + i + 2, &cp);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				hex4(s + i + 8, &lo);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				     (lo - 0xdc00);
				i += 6;
			}
			if (o + 4 >= cap)
				return -ENOSPC;
			o += put_utf8(out + o, cp);
			i += 6;
			continue;
		default: out[o++] = (char)s[i + 1]; break;
		}
		i += 2;
	}
	if (o >= cap)
		return -ENOSPC;
	out[o] = '\0';
	return (int)o;
}

int json_escape(const char *s, size_t len, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (o + 7 > cap)
			return -ENOSPC;
		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (c == '\r') {
			out[o++] = '\\';
			out[o++] = 'r';
		} else if (c < 0x20) {
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[c >> 4];
			out[o + 5] = hex[c & 15];
			o += 6;
		} else {
			out[o++] = (char)c;
		}
	}
	return (int)o;
}
