/*
 * goods.c - HS code parsing and the controlled-goods prefix table.
 *
 * Export controls list goods by HS code at the 6-digit international
 * level (the CHPL) or as whole headings, while invoices and customs
 * data carry national 8- or 10-digit codes written with dots, spaces
 * or prefixes.  So codes are reduced to their digits and matched by
 * prefix: a listed code controls everything below it.  The table is a
 * sorted array of digit strings; a lookup binary-searches each prefix
 * of the event's code (at most ten searches over a few hundred lines),
 * which needs no allocation and no index beyond the array.
 *
 * Free text only yields a code after an explicit keyword ("HS",
 * "tariff code"...): a bare "8542.31" in remittance text is as likely
 * an amount as a code.
 */
#include "goods.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct goods_entry {
	char hs[GOODS_HS_MAX + 1];
	uint8_t len;
	uint16_t list;
	const wl_good *good;
};

struct goods_table {
	struct goods_entry *e;
	size_t n;
};

/* Words that may introduce an HS code (lower case). */
static const char *const goods_keywords[] = {
	"hs", "hts", "h", "s", "code", "codes", "tariff", "commodity", "no",
	"nr", "number", "cn", "taric", "hscode", "heading", "subheading",
};

static int goods_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int goods_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int goods_keyword(const char *s, size_t n)
{
	char w[16];

	if (n == 0 || n >= sizeof(w))
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)(s[i] | 0x20);
	w[n] = '\0';
	for (size_t i = 0; i < sizeof(goods_keywords) / sizeof(*goods_keywords);
	     i++)
		if (!strcmp(w, goods_keywords[i]))
			return 1;
	return 0;
}

/*
 * Read a code's digits at s[i..len): digit groups joined by one '.',
 * ' ' or '-'.  Returns the end offset, *nd the digit count (capped
 * beyond GOODS_HS_MAX to signal overflow).
 */
static size_t goods_read_digits(const char *s, size_t i, size_t len,
				char *out, size_t *nd)
{
	*nd = 0;
	while (i < len) {
		if (goods_is_digit(s[i])) {
			if (*nd < GOODS_HS_MAX)
				out[*nd] = s[i];
			(*nd)++;
			i++;
		} else if ((s[i] == '.' || s[i] == ' ' || s[i] == '-') &&
			   i + 1 < len && goods_is_digit(s[i + 1]) && *nd) {
			i++;
		} else {
			break;
		}
	}
	out[*nd < GOODS_HS_MAX ? *nd : GOODS_HS_MAX] = '\0';
	return i;
}

int goods_hs_digits(const char *s, size_t len, char out[GOODS_HS_MAX + 1])
{
	size_t i = 0, nd;

	out[0] = '\0';
	if (!s)
		return -EINVAL;
	/* optional keyword prefix: known words and ":#." */
	while (i < len && !goods_is_digit(s[i])) {
		if (goods_is_alpha(s[i])) {
			size_t w = i;
			while (i < len && goods_is_alpha(s[i]))
				i++;
			if (!goods_keyword(s + w, i - w))
				return -EINVAL;
		} else if (strchr(" \t.:#-", s[i])) {
			i++;
		} else {
			return -EINVAL;
		}
	}
	i = goods_read_digits(s, i, len, out, &nd);
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '.'))
		i++;
	if (i != len || nd < 2 || nd > GOODS_HS_MAX) {
		out[0] = '\0';
		return -EINVAL;
	}
	return (int)nd;
}

static int goods_entry_cmp(const void *a, const void *b)
{
	const struct goods_entry *x = a, *y = b;
	int c = strcmp(x->hs, y->hs);

	if (c)
		return c;
	return (int)x->list - (int)y->list;
}

static int goods_add(struct goods_table *t, const wl_good *g, uint16_t list)
{
	struct goods_entry *e = &t->e[t->n];
	size_t n = strnlen(g->hs, sizeof(g->hs));

	if (n < 2 || n > GOODS_HS_MAX || strspn(g->hs, "0123456789") != n)
		return 0; /* not a usable code; skip */
	memcpy(e->hs, g->hs, n);
	e->hs[n] = '\0';
	e->len = (uint8_t)n;
	e->list = list;
	e->good = g;
	t->n++;
	return 1;
}

goods_table *goods_table_build(const wl_list *const *lists, size_t n)
{
	struct goods_table *t = calloc(1, sizeof(*t));
	size_t total = 0;

	if (!t)
		return NULL;
	for (size_t i = 0; i < n; i++)
		total += lists[i] ? lists[i]->n_goods : 0;
	t->e = calloc(total ? total : 1, sizeof(*t->e));
	if (!t->e) {
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		for (uint32_t j = 0; lists[i] && j < lists[i]->n_goods; j++)
			goods_add(t, &lists[i]->goods[j], (uint16_t)i);
	qsort(t->e, t->n, sizeof(*t->e), goods_entry_cmp);
	return t;
}

goods_table *goods_table_build_goods(const wl_good *goods, size_t n)
{
	wl_list l;
	const wl_list *lp = &l;

	memset(&l, 0, sizeof(l));
	l.goods = (wl_good *)goods; /* read only below */
	l.n_goods = (uint32_t)n;
	return goods_table_build(&lp, 1);
}

void goods_table_free(goods_table *t)
{
	if (!t)
		return;
	free(t->e);
	free(t);
}

size_t goods_table_size(const goods_table *t)
{
	return t ? t->n : 0;
}

/* First entry whose code is >= key. */
static size_t goods_lower_bound(const goods_table *t, const char *key)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->e[mid].hs, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int goods_lookup(const goods_table *t, const char *digits, size_t n,
		 goods_match *m)
{
	char key[GOODS_HS_MAX + 1];
	size_t i;

	if (!t || !digits || n < 2 || n > GOODS_HS_MAX ||
	    strspn(digits, "0123456789") < n)
		return 0;
	memcpy(key, digits, n);
	for (size_t k = n; k >= 2; k--) {
		key[k] = '\0';
		i = goods_lower_bound(t, key);
		if (i < t->n && !strcmp(t->e[i].hs, key)) {
			*m = (goods_match){ t->e[i].good, t->e[i].list, 0 };
			return 1;
		}
	}
	key[n] = '\0';
	memcpy(key, digits, n);
	i = goods_lower_bound(t, key);
	if (i < t->n && !strncmp(t->e[i].hs, key, n)) {
		*m = (goods_match){ t->e[i].good, t->e[i].list, 1 };
		return 1;
	}
	return 0;
}

/* Words that alone announce a code ("code", "no" only connect). */
static int goods_strong(const char *w, size_t n)
{
	static const char *const strong[] = {
		"hs", "hts", "tariff", "commodity", "hscode", "taric", "cn",
		"heading", "subheading",
	};

	for (size_t i = 0; i < sizeof(strong) / sizeof(*strong); i++)
		if (strlen(strong[i]) == n && !strncasecmp(w, strong[i], n))
			return 1;
	return 0;
}

/* 1 when the code at offset i follows a keyword run with at least one
 * strong word ("HS", "HS code:", "H.S. No.", "tariff code"). */
static int goods_announced(const char *s, size_t i)
{
	int words = 0, saw_s = 0;

	while (i > 0 && words < 4) {
		size_t e = i, b;
		while (e > 0 && strchr(" \t.:#-", s[e - 1]))
			e--;
		b = e;
		while (b > 0 && goods_is_alpha(s[b - 1]))
			b--;
		if (b == e || !goods_keyword(s + b, e - b))
			return 0;
		if (goods_strong(s + b, e - b))
			return 1;
		if (e - b == 1 && (s[b] | 0x20) == 'h' && saw_s)
			return 1; /* "H.S." */
		saw_s = e - b == 1 && (s[b] | 0x20) == 's';
		i = b;
		words++;
	}
	return 0;
}

int goods_scan_text(const char *text, size_t len, goods_scan_cb cb,
		    void *ctx)
{
	int found = 0;
	size_t i = 0;

	if (!text)
		return 0;
	while (i < len) {
		char d[GOODS_HS_MAX + 1];
		size_t nd, end;

		if (!goods_is_digit(text[i]) ||
		    (i > 0 && (goods_is_digit(text[i - 1]) ||
			       goods_is_alpha(text[i - 1])))) {
			i++;
			continue;
		}
		end = goods_read_digits(text, i, len, d, &nd);
		if (nd >= 4 && nd <= GOODS_HS_MAX &&
		    (end == len || !goods_is_alpha(text[end])) &&
		    goods_announced(text, i)) {
			if (cb)
				cb(ctx, d, nd, i, end - i);
			found++;
		}
		i = end > i ? end : i + 1;
	}
	return found;
}
