/*
 * country.c - country codes, names and sanctioned regions.
 *
 * Screening asks two questions about countries on the hot path: "what
 * code is this field?" (an event's country may be "RU", "RUS",
 * "Russian Federation" or "Russian") and "which countries or
 * sanctioned regions does this address name?".  Both are answered from
 * const tables generated into country_data.h: sorted arrays searched
 * by binary search, so there is no start-up work, no allocation and
 * no shared mutable state; any thread may call anything at any time.
 *
 * Matching compares folded keys: ASCII lower case, the Latin-1 and
 * Latin Extended-A letters reduced to ASCII (ü->u, ı->i, ş->s...),
 * apostrophes and dots dropped, any other punctuation a single space.
 * The fold is our own twenty lines rather than the norm module because
 * it must stay byte-identical to the generator that sorted the table.
 *
 * The scanner matches whole words and prefers the longest name
 * ("Papua New Guinea" over "Guinea", "DPR Korea" over "DPR").  Names
 * that are ordinary words in addresses ("Georgia", "Jordan", "Chad",
 * adjectives) are lookup-only; the table marks them.
 */
#include "country.h"

#include <errno.h>
#include <string.h>

struct cc_row {
	char a2[3];
	char a3[4];
	const char *name;
};

struct cc_a3 {
	char a3[4];
	char a2[3];
};

struct cc_name {
	const char *key;  /* folded */
	char cc[3];
	signed char scan; /* 1: may be found by country_scan() */
	signed char region; /* index in cc_regions, -1 for a country */
};

#include "country_data.h"

/* Display names of the regions, indexed by cc_name.region; the rules
 * engine refers to them case-insensitively. */
static const char *const cc_regions[] = {
	"Crimea", "Sevastopol", "Donetsk", "Luhansk", "Zaporizhzhia", "Kherson",
};

#define CC_NROWS (sizeof(cc_rows) / sizeof(cc_rows[0]))
#define CC_NA3 (sizeof(cc_a3_rows) / sizeof(cc_a3_rows[0]))
#define CC_NNAMES (sizeof(cc_names) / sizeof(cc_names[0]))
#define CC_NREGIONS (sizeof(cc_regions) / sizeof(cc_regions[0]))
#define CC_WORD_MAX 40
#define CC_PHRASE_MAX 96
#define CC_PHRASE_WORDS 7

/*
 * Fold one character at s[0..left): writes up to 2 lower-case ASCII
 * bytes to out, returns how many (0 = separator).  *used receives the
 * bytes consumed.  Apostrophes and dots return -1 (dropped, joining).
 * Non-Latin letters fold to '~' so that they never match a name but
 * still belong to a word.
 */
static int cc_fold_char(const unsigned char *s, size_t left, char out[2],
			size_t *used)
{
	unsigned c = s[0];

	*used = 1;
	if (c < 0x80) {
		if (c >= 'A' && c <= 'Z') {
			out[0] = (char)(c - 'A' + 'a');
			return 1;
		}
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[0] = (char)c;
			return 1;
		}
		return (c == '\'' || c == '.' || c == '`') ? -1 : 0;
	}
	if (c >= 0xC2 && c <= 0xDF && left >= 2 && (s[1] & 0xC0) == 0x80) {
		unsigned cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		*used = 2;
		if (cp >= 0xC0 && cp < 0x180) {
			const char *f = cc_latin_fold[cp - 0xC0];
			size_t n = strlen(f);
			memcpy(out, f, n);
			return (int)n;
		}
		if (cp == 0x2BC)
			return -1;
		if (cp < 0xC0)
			return 0; /* Latin-1 punctuation, nbsp */
		out[0] = '~';
		return 1;
	}
	if (c == 0xE2 && left >= 3 && s[1] == 0x80) {
		*used = 3;
		/* U+2018/2019 quotes are dropped, other punctuation spaces */
		return (s[2] == 0x98 || s[2] == 0x99) ? -1 : 0;
	}
	/* other multi-byte character: skip continuation bytes */
	while (*used < left && (s[*used] & 0xC0) == 0x80)
		(*used)++;
	if (c < 0xC0)
		return 0; /* stray continuation byte */
	out[0] = '~';
	return 1;
}

int country_fold(const char *s, size_t len, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0;
	int space = 0;

	if (!cap)
		return -ENOSPC;
	while (i < len) {
		char f[2];
		size_t used;
		int k = cc_fold_char(p + i, len - i, f, &used);

		i += used;
		if (k < 0)
			continue;
		if (k == 0) {
			space = n > 0;
			continue;
		}
		if (n + (size_t)space + (size_t)k + 1 > cap)
			return -ENOSPC;
		if (space)
			out[n++] = ' ';
		space = 0;
		memcpy(out + n, f, (size_t)k);
		n += (size_t)k;
	}
	out[n] = '\0';
	return (int)n;
}

/* First index whose key is >= key (bytewise). */
static size_t cc_lower_bound(const char *key)
{
	size_t lo = 0, hi = CC_NNAMES;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(cc_names[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct cc_name *cc_find_name(const char *key)
{
	size_t i = cc_lower_bound(key);

	if (i < CC_NNAMES && strcmp(cc_names[i].key, key) == 0)
		return &cc_names[i];
	return NULL;
}

/* 1 when some key is key itself or continues it with another word. */
static int cc_has_prefix(const char *key, size_t n)
{
	size_t first = cc_lower_bound(key);

	for (size_t i = first; i < CC_NNAMES && i < first + 2; i++) {
		const char *k = cc_names[i].key;
		if (strncmp(k, key, n) != 0)
			return 0;
		if (k[n] == '\0' || k[n] == ' ')
			return 1;
	}
	return 0;
}

static const struct cc_row *cc_find_a2(const char *cc)
{
	size_t lo = 0, hi = CC_NROWS;
	char k[3];

	if (!cc || !cc[0] || !cc[1] || cc[2])
		return NULL;
	k[0] = (char)(cc[0] & ~0x20);
	k[1] = (char)(cc[1] & ~0x20);
	k[2] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cc_rows[mid].a2, k);
		if (c == 0)
			return &cc_rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const struct cc_a3 *cc_find_a3(const char *k)
{
	size_t lo = 0, hi = CC_NA3;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cc_a3_rows[mid].a3, k);
		if (c == 0)
			return &cc_a3_rows[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int country_lookup(const char *s, size_t len, char out[3])
{
	char key[CC_PHRASE_MAX], up[4];
	const struct cc_name *nm;
	int n;

	if (!s)
		return -ENOENT;
	n = country_fold(s, len, key, sizeof(key));
	if (n <= 0)
		return -ENOENT;
	if (n == 2 || n == 3) {
		for (int i = 0; i < n; i++)
			up[i] = (char)(key[i] >= 'a' ? key[i] - 32 : key[i]);
		up[n] = '\0';
		if (n == 2 && cc_find_a2(up)) {
			memcpy(out, up, 3);
			return 0;
		}
		if (n == 3 && cc_find_a3(up)) {
			memcpy(out, cc_find_a3(up)->a2, 3);
			return 0;
		}
	}
	nm = cc_find_name(key);
	if (!nm || nm->region >= 0)
		return -ENOENT;
	memcpy(out, nm->cc, 3);
	return 0;
}

const char *country_name(const char *cc)
{
	const struct cc_row *r = cc_find_a2(cc);

	return r ? r->name : NULL;
}

const char *country_alpha3(const char *cc)
{
	const struct cc_row *r = cc_find_a2(cc);

	return r ? r->a3 : NULL;
}

int country_valid(const char *cc)
{
	return cc_find_a2(cc) != NULL;
}

int country_region_lookup(const char *s, size_t len)
{
	char key[CC_PHRASE_MAX];
	const struct cc_name *nm;

	if (!s || country_fold(s, len, key, sizeof(key)) <= 0)
		return -ENOENT;
	for (size_t i = 0; i < CC_NREGIONS; i++) {
		char rk[CC_WORD_MAX];
		if (country_fold(cc_regions[i], strlen(cc_regions[i]), rk,
				 sizeof(rk)) > 0 && strcmp(rk, key) == 0)
			return (int)i;
	}
	nm = cc_find_name(key);
	return (nm && nm->region >= 0) ? nm->region : -ENOENT;
}

const char *country_region_name(int region)
{
	if (region < 0 || (size_t)region >= CC_NREGIONS)
		return NULL;
	return cc_regions[region];
}

int country_region_count(void)
{
	return (int)CC_NREGIONS;
}

/* A word of free text: folded bytes plus its span in the source. */
struct cc_word {
	char f[CC_WORD_MAX];
	size_t flen;
	size_t off, end;
};

/*
 * Read the next word at or after *pos.  Dots separate words here
 * (unlike country_fold) so "Simferopol.Crimea" is two words.  Returns
 * 0 at the end of the text.  Over-long words are truncated to a form
 * no key has ('~').
 */
static int cc_next_word(const char *text, size_t len, size_t *pos,
			struct cc_word *w)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = *pos;

	w->flen = 0;
	while (i < len) {
		char f[2];
		size_t used;
		int k = cc_fold_char(p + i, len - i, f, &used);

		if (k < 0 && p[i] == '.')
			k = 0;
		if (k == 0 || (k < 0 && w->flen == 0)) {
			i += used;
			if (w->flen)
				break;
			continue;
		}
		if (w->flen == 0)
			w->off = i;
		i += used;
		w->end = i;
		if (k < 0)
			continue;
		if (w->flen + (size_t)k < CC_WORD_MAX - 1) {
			memcpy(w->f + w->flen, f, (size_t)k);
			w->flen += (size_t)k;
		} else {
			w->f[0] = '~';
		}
	}
	*pos = i;
	w->f[w->flen] = '\0';
	return w->flen > 0;
}

/*
 * Try the longest name starting with word w at *pos.  On a match sets
 * *best and *best_end and returns where scanning continues.
 */
static size_t cc_match_at(const char *text, size_t len, const struct cc_word *w,
			  size_t pos, const struct cc_name **best,
			  size_t *best_end)
{
	char phrase[CC_PHRASE_MAX];
	size_t plen = w->flen, resume = pos;
	struct cc_word nx = { .end = 0 };

	*best = NULL;
	memcpy(phrase, w->f, plen + 1);
	if (!cc_has_prefix(phrase, plen))
		return pos;
	for (int k = 1;; k++) {
		const struct cc_name *nm = cc_find_name(phrase);
		if (nm) {
			*best = nm;
			*best_end = k == 1 ? w->end : nx.end;
			resume = pos;
		}
		if (k >= CC_PHRASE_WORDS || !cc_next_word(text, len, &pos, &nx))
			break;
		if (plen + 1 + nx.flen + 1 > sizeof(phrase))
			break;
		phrase[plen++] = ' ';
		memcpy(phrase + plen, nx.f, nx.flen + 1);
		plen += nx.flen;
		if (!cc_has_prefix(phrase, plen))
			break;
	}
	return resume;
}

int country_scan(const char *text, size_t len, country_scan_cb cb, void *ctx)
{
	size_t pos = 0;
	struct cc_word w;
	int found = 0;

	if (!text)
		return 0;
	while (cc_next_word(text, len, &pos, &w)) {
		const struct cc_name *nm;
		size_t end = 0, next;

		next = cc_match_at(text, len, &w, pos, &nm, &end);
		if (!nm)
			continue;
		pos = next;
		if (!nm->scan)
			continue;
		if (cb)
			cb(ctx, nm->cc,
			   nm->region >= 0 ? cc_regions[nm->region] : NULL,
			   w.off, end - w.off);
		found++;
	}
	return found;
}

/* For tests: the tables' own consistency (sorted, folded, valid). */
int country_selfcheck(void)
{
	char buf[CC_PHRASE_MAX];

	for (size_t i = 0; i < CC_NNAMES; i++) {
		const char *k = cc_names[i].key;
		if (i && strcmp(cc_names[i - 1].key, k) >= 0)
			return -(int)i - 1;
		if (country_fold(k, strlen(k), buf, sizeof(buf)) < 0 ||
		    strcmp(buf, k) != 0 || !cc_find_a2(cc_names[i].cc))
			return -(int)i - 1;
	}
	for (size_t i = 1; i < CC_NROWS; i++)
		if (strcmp(cc_rows[i - 1].a2, cc_rows[i].a2) >= 0)
			return -1;
	for (size_t i = 1; i < CC_NA3; i++)
		if (strcmp(cc_a3_rows[i - 1].a3, cc_a3_rows[i].a3) >= 0)
			return -1;
	return 0;
}
