/*
 * norm.c - the one text normalisation shared by lists and events.
 *
 * Matching quality depends on both sides reducing a name to the same
 * bytes, and the event side runs for every party of every payment, so
 * the design is a single streaming pass with no allocation: pure ASCII
 * input (most names) takes a branch-only loop that never calls
 * utf8proc; other text is decoded code point by code point, folded
 * (utf8proc NFKD + case folding, marks dropped, a small table for
 * letters that do not decompose) and gathered into words, because
 * transliteration needs word context (Russian "е" at word start,
 * Arabic article, Greek digraphs).  Words are romanised by translit.c.
 * Runs of letters no table knows (Han, Hangul, Kana, Hebrew, Indic...)
 * go through ICU's "Any-Latin; Latin-ASCII" transliterator, opened
 * lazily per norm_ctx because ICU transliterators are not thread safe;
 * the ICU output is fed back into the same pass.
 *
 * A few whole-text facts decide how words are read (Ukrainian letters
 * switch Cyrillic to Ukrainian rules, Persian letters switch Arabic to
 * Persian rules); they are found while validating the UTF-8.
 *
 * Limits: ICU's Han reading is Mandarin (Japanese kanji come out in
 * pinyin); Khmer and a few other scripts have no ICU romanisation and
 * vanish.  Han runs of 2-3 characters are written as "surname given"
 * ("习近平" -> "xi jinping"), longer runs as one token.  Word-final
 * inherent "a" of North Indian scripts is dropped (schwa deletion).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utrans.h>
#include <utf8proc.h>

#include "norm.h"
#include "translit.h"

#define NORM_WORD_MAX 256  /* code points per word before it is cut */
#define NORM_ICU_CAP  2048 /* UChars of ICU scratch */
#define NORM_RUN_MAX  (NORM_ICU_CAP / 8) /* ICU input per call */
#define NORM_VAR_CAP  2048 /* bytes per list-side variant */

#define SCRIPT_BIT(s) (1u << (s))

struct norm_ctx {
	UTransliterator *icu; /* NULL until first needed */
	int icu_failed;       /* open failed once: do not retry */
	UChar ubuf[NORM_ICU_CAP];
	char var[NORM_MAX_VARIANTS][NORM_VAR_CAP];
	char tmp[NORM_VAR_CAP];
};

/* One normalisation pass: output writer, current word, ICU run. */
typedef struct npass {
	norm_ctx *nc;
	const translit_std *std;
	unsigned flags;         /* TRANSLIT_F_* of the whole text */
	char *out;
	size_t cap, len;
	size_t mark;            /* truncation point: end of last token */
	int sep;                /* separator pending before next byte */
	int full;               /* out overflowed: ignore further bytes */
	size_t wn;              /* code points in word */
	int wide;               /* word holds a non-ASCII code point */
	size_t un;              /* UChars of the pending ICU run */
	size_t run_cps;         /* code points in the ICU run */
	int run_han;            /* run is only Han ideographs */
	uint32_t run_last;      /* last code point of the run */
	uint32_t word[NORM_WORD_MAX];
} npass;

norm_ctx *norm_ctx_new(void)
{
	return calloc(1, sizeof(norm_ctx));
}

void norm_ctx_free(norm_ctx *nc)
{
	if (!nc)
		return;
	if (nc->icu)
		utrans_close(nc->icu);
	free(nc);
}

/* ---- UTF-8 ---- */

/*
 * Decode one code point at s[*i]; advances *i.  Returns -1 for an
 * invalid, overlong, surrogate, out-of-range or truncated sequence.
 */
static int32_t utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	size_t p = *i, n, k;
	uint32_t c = s[p], min;

	if (c < 0x80) {
		*i = p + 1;
		return (int32_t)c;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1, c &= 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2, c &= 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3, c &= 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (len - p <= n)
		return -1;
	for (k = 1; k <= n; k++) {
		if ((s[p + k] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[p + k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*i = p + n + 1;
	return (int32_t)c;
}

int norm_utf8_valid(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	if (!s)
		return len == 0;
	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (utf8_next(u, len, &i) < 0)
			return 0;
	}
	return 1;
}

static int is_ascii(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++)
		if (u[i] >= 0x80)
			return 0;
	return 1;
}

static int is_cyr_letter(int32_t c)
{
	return c >= 0x400 && c <= 0x4ff;
}

/*
 * Validate and collect whole-text facts: TRANSLIT_F_* reading flags
 * and the set of table scripts present.  0 or -EILSEQ.
 */
static int scan(const char *s, size_t len, unsigned *flags,
		unsigned *scripts)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int32_t c, prev = 0;

	*flags = 0;
	*scripts = 0;
	while (i < len) {
		int sc;

		c = utf8_next(u, len, &i);
		if (c < 0)
			return -EILSEQ;
		*flags |= translit_flags_of((uint32_t)c);
		/* "Сергiй": a Latin i typed for Ukrainian і */
		if (((c == 'i' || c == 'I') && is_cyr_letter(prev)) ||
		    ((prev == 'i' || prev == 'I') && is_cyr_letter(c)) ||
		    (c == 0x306 && (prev == 0x443 || prev == 0x423)))
			*flags |= TRANSLIT_F_UK;
		sc = translit_script_of((uint32_t)c);
		if (c >= 0x1f00 && c <= 0x1fff)
			sc = TRANSLIT_GREEK;
		else if ((c >= 0xfb50 && c <= 0xfdff) ||
			 (c >= 0xfe70 && c <= 0xfeff))
			sc = TRANSLIT_ARABIC;
		if (sc >= 0)
			*scripts |= SCRIPT_BIT(sc);
		prev = c;
	}
	return 0;
}

/* ---- ASCII fast path ---- */

/*
 * Letters lower-cased, digits kept, ' . ` deleted, anything else one
 * separator.  Same contract as norm_text().
 */
static ssize_t ascii_norm(const char *s, size_t len, char *out, size_t cap)
{
	size_t o = 0, mark = 0;
	int sep = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((unsigned)(c - 'A') < 26u)
			c |= 0x20;
		else if ((unsigned)(c - 'a') >= 26u &&
			 (unsigned)(c - '0') >= 10u) {
			if (c != '\'' && c != '.' && c != '`')
				sep = o > 0;
			continue;
		}
		if (sep) {
			mark = o;
			sep = 0;
			if (o + 2 >= cap)
				goto full;
			out[o++] = ' ';
		} else if (o + 1 >= cap) {
			goto full;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (ssize_t)o;
full:
	out[mark] = '\0';
	return -ENOSPC;
}

/* ---- general pass: writer ---- */

static void w_byte(npass *p, char c)
{
	size_t need;

	if (p->full)
		return;
	if (c == ' ') {
		p->sep = p->len > 0;
		return;
	}
	need = p->sep ? 2 : 1;
	if (p->sep || p->len == 0)
		p->mark = p->len;
	if (p->len + need >= p->cap) {
		p->full = 1;
		p->len = p->mark;
		return;
	}
	if (p->sep)
		p->out[p->len++] = ' ';
	p->sep = 0;
	p->out[p->len++] = c;
}

/* Romanise the gathered word and write it. */
static void word_flush(npass *p)
{
	char buf[NORM_WORD_MAX * 8 + 8];
	ssize_t r, i;

	if (!p->wn)
		return;
	if (!p->wide) {
		for (i = 0; i < (ssize_t)p->wn; i++)
			w_byte(p, (char)p->word[i]);
		p->wn = 0;
		return;
	}
	r = translit_word(p->std, p->flags, p->word, p->wn, buf, sizeof(buf));
	for (i = 0; i < r; i++)
		w_byte(p, buf[i]);
	p->wn = 0;
	p->wide = 0;
}

static void word_push(npass *p, uint32_t c)
{
	if (p->wn == NORM_WORD_MAX)
		word_flush(p); /* overlong word: cut, token continues */
	p->word[p->wn++] = c;
	p->wide |= c >= 0x80;
}

static void word_push_str(npass *p, const char *s)
{
	while (*s)
		word_push(p, (unsigned char)*s++);
}

static void separator(npass *p)
{
	word_flush(p);
	w_byte(p, ' ');
}

/* ---- folding ---- */

/* Latin letters without a decomposition, after case folding. */
static const char *latin_fold(uint32_t c)
{
	switch (c) {
	case 0xe6: return "ae";   case 0xf0: return "d";
	case 0xf8: return "o";    case 0xfe: return "th";
	case 0x111: return "d";   case 0x127: return "h";
	case 0x131: return "i";   case 0x138: return "q";
	case 0x142: return "l";   case 0x14b: return "ng";
	case 0x153: return "oe";  case 0x167: return "t";
	case 0x180: return "b";   case 0x183: return "b";
	case 0x188: return "c";   case 0x18c: return "d";
	case 0x192: return "f";   case 0x199: return "k";
	case 0x19a: return "l";   case 0x19e: return "n";
	case 0x1a5: return "p";   case 0x1ad: return "t";
	case 0x1b4: return "y";   case 0x1b6: return "z";
	case 0x1dd: return "e";   case 0x1e5: return "g";
	case 0x223: return "ou";  case 0x253: return "b";
	case 0x254: return "o";   case 0x256: return "d";
	case 0x257: return "d";   case 0x259: return "e";
	case 0x25b: return "e";   case 0x260: return "g";
	case 0x263: return "g";   case 0x268: return "i";
	case 0x269: return "i";   case 0x272: return "n";
	case 0x275: return "o";   case 0x280: return "r";
	case 0x283: return "sh";  case 0x288: return "t";
	case 0x289: return "u";   case 0x28b: return "v";
	case 0x292: return "zh";  case 0x294: return "";
	default: return NULL;
	}
}

/* Apostrophe-like characters: deleted, never separators. */
static int is_apostrophe(uint32_t c)
{
	switch (c) {
	case 0x27: case 0x60: case 0xb4: case 0x2b9: case 0x2ba:
	case 0x2bb: case 0x2bc: case 0x2bd: case 0x2c8: case 0x2018:
	case 0x2019: case 0x201b: case 0x2032: case 0x2035: case 0x55a:
	case 0x5f3: case 0x5f4: case 0xff07:
		return 1;
	default:
		return 0;
	}
}

static int is_mark(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);

	return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC ||
	       k == UTF8PROC_CATEGORY_ME;
}

static int is_letter(uint32_t c)
{
	utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);

	return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static int is_han(uint32_t c)
{
	return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
	       (c >= 0xf900 && c <= 0xfaff) ||
	       (c >= 0x20000 && c <= 0x3134f);
}

/* Consonants of scripts whose word-final inherent vowel is silent. */
static int is_indic_consonant(uint32_t c)
{
	return (c >= 0x915 && c <= 0x939) || (c >= 0x958 && c <= 0x95f) ||
	       (c >= 0x995 && c <= 0x9b9) || (c >= 0x9dc && c <= 0x9df) ||
	       (c >= 0xa15 && c <= 0xa39) || (c >= 0xa59 && c <= 0xa5e) ||
	       (c >= 0xa95 && c <= 0xab9);
}

/* A folded code point the built-in tables can write. */
static int handled(uint32_t c)
{
	return c < 0x80 || latin_fold(c) || translit_known(c);
}

/* A combining mark after a Cyrillic letter: rebuild й ё ї ў. */
static int cyr_compose(npass *p, uint32_t m)
{
	uint32_t *last;

	if (!p->wn || !is_cyr_letter((int32_t)p->word[p->wn - 1]))
		return 0;
	last = &p->word[p->wn - 1];
	if (m == 0x306 && *last == 0x438)
		*last = 0x439;
	else if (m == 0x306 && *last == 0x443)
		*last = 0x45e;
	else if (m == 0x308 && *last == 0x435)
		*last = 0x451;
	else if (m == 0x308 && *last == 0x456)
		*last = 0x457;
	return 1; /* other marks on Cyrillic (stress) are dropped */
}

/* Write one folded code point (no ICU). */
static void emit_folded(npass *p, uint32_t c)
{
	const char *f;
	int32_t d;

	if (c < 0x80) {
		if ((c | 0x20) - 'a' < 26u)
			word_push(p, c | 0x20);
		else if (c - '0' < 10u)
			word_push(p, c);
		else if (c != '.' && !is_apostrophe(c))
			separator(p);
		return;
	}
	if (is_mark(c)) {
		return;
	} else if ((f = latin_fold(c))) {
		word_push_str(p, f);
	} else if (translit_known(c)) {
		word_push(p, c);
	} else if ((d = u_charDigitValue((UChar32)c)) >= 0 && d <= 9) {
		word_push(p, '0' + (uint32_t)d);
	} else if (!is_letter(c) && !is_apostrophe(c) &&
		   utf8proc_category((utf8proc_int32_t)c) !=
			   UTF8PROC_CATEGORY_CF) {
		separator(p);
	}
	/* marks, format characters, unknown letters: deleted */
}

/* ---- ICU runs ---- */

static UTransliterator *icu_get(norm_ctx *nc)
{
	static const UChar id[] = u"Any-Latin";
	UErrorCode st = U_ZERO_ERROR;

	if (nc->icu || nc->icu_failed)
		return nc->icu;
	nc->icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st)) {
		if (nc->icu)
			utrans_close(nc->icu);
		nc->icu = NULL;
		nc->icu_failed = 1;
	}
	return nc->icu;
}

static void feed(npass *p, uint32_t c, int allow_icu);

/*
 * Transliterate the pending run and feed the Latin result back.  Han
 * runs of 2-3 ideographs keep only the first syllable break, longer
 * ones none; a final inherent "a" after an Indic consonant is dropped.
 */
static void run_flush(npass *p)
{
	UTransliterator *t;
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = (int32_t)p->un, lim = len, i = 0, spaces = 0;

	if (!p->un)
		return;
	p->un = 0;
	t = icu_get(p->nc);
	if (!t)
		return;
	utrans_transUChars(t, p->nc->ubuf, &len, NORM_ICU_CAP, 0, &lim, &st);
	if (U_FAILURE(st) || len > NORM_ICU_CAP)
		return;
	if (is_indic_consonant(p->run_last) && len > 1 &&
	    p->nc->ubuf[len - 1] == 'a')
		len--;
	while (i < len) {
		UChar32 c;

		U16_NEXT(p->nc->ubuf, i, len, c);
		if (c == ' ' && p->run_han &&
		    (p->run_cps > 3 || spaces++ > 0))
			continue;
		feed(p, (uint32_t)c, 0);
	}
}

static void run_add(npass *p, uint32_t c)
{
	if (p->un + 2 > NORM_RUN_MAX)
		run_flush(p);
	if (!p->un) {
		p->run_cps = 0;
		p->run_han = 1;
	}
	if (c > 0xffff) {
		p->nc->ubuf[p->un++] = (UChar)U16_LEAD(c);
		p->nc->ubuf[p->un++] = (UChar)U16_TRAIL(c);
	} else {
		p->nc->ubuf[p->un++] = (UChar)c;
	}
	p->run_cps++;
	p->run_han &= is_han(c);
	p->run_last = c;
}

/* ---- the pass ---- */

/* Decompose c; send it to ICU when it holds a letter no table knows. */
static void feed_decomposed(npass *p, uint32_t c, int allow_icu)
{
	utf8proc_int32_t d[32];
	int bc = 0, need_icu = 0;
	utf8proc_ssize_t n, k;

	n = utf8proc_decompose_char((utf8proc_int32_t)c, d, 32,
				    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
					    UTF8PROC_CASEFOLD,
				    &bc);
	if (n <= 0 || n > 32) {
		separator(p);
		return;
	}
	for (k = 0; k < n && allow_icu; k++)
		if (!handled((uint32_t)d[k]) && is_letter((uint32_t)d[k]))
			need_icu = 1;
	if (need_icu) {
		for (k = 0; k < n; k++)
			run_add(p, (uint32_t)d[k]);
		return;
	}
	run_flush(p);
	for (k = 0; k < n; k++)
		emit_folded(p, (uint32_t)d[k]);
}

/* Lower case of a Cyrillic letter (U+0400..U+052F, marks excluded). */
static uint32_t cyr_lower(uint32_t c)
{
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	if (c >= 0x430 && c <= 0x45f)
		return c;
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
}

static void feed(npass *p, uint32_t c, int allow_icu)
{
	if (c < 0x80) {
		if (p->un)
			run_flush(p);
		emit_folded(p, c);
	} else if (c >= 0x400 && c <= 0x52f && (c < 0x483 || c > 0x489)) {
		if (p->un)
			run_flush(p);
		c = cyr_lower(c);
		if (translit_known(c))
			word_push(p, c);
	} else if (is_apostrophe(c)) {
		return;
	} else if (c >= 0xac00 && c <= 0xd7a3 && allow_icu) {
		run_add(p, c); /* Hangul syllable: ICU reads it whole */
	} else if (is_mark(c)) {
		if (p->un && allow_icu)
			run_add(p, c);
		else
			cyr_compose(p, c);
	} else if (utf8proc_category((utf8proc_int32_t)c) ==
		   UTF8PROC_CATEGORY_CF) {
		return; /* ZWNJ, soft hyphen, BOM: deleted */
	} else {
		feed_decomposed(p, c, allow_icu);
	}
}

/* Normalise valid UTF-8 s under std into out; norm_text() contract. */
static ssize_t run_pass(norm_ctx *nc, const translit_std *std,
			unsigned flags, const char *s, size_t len, char *out,
			size_t cap)
{
	npass *p, local;
	size_t i = 0;

	p = &local;
	memset(p, 0, offsetof(npass, word));
	p->nc = nc;
	p->std = std;
	p->flags = flags;
	p->out = out;
	p->cap = cap;
	while (i < len && !p->full) {
		int32_t c = utf8_next((const unsigned char *)s, len, &i);

		if (c < 0)
			return -EILSEQ;
		feed(p, (uint32_t)c, 1);
	}
	run_flush(p);
	word_flush(p);
	out[p->len] = '\0';
	return p->full ? -ENOSPC : (ssize_t)p->len;
}

ssize_t norm_text(norm_ctx *nc, const char *s, size_t len, char *out,
		  size_t cap)
{
	static const translit_std def = { { 0 } };
	unsigned flags, scripts;
	int r;

	if ((!s && len) || !out)
		return -EINVAL;
	if (!cap)
		return -ENOSPC;
	if (is_ascii(s, len))
		return ascii_norm(s, len, out, cap);
	if (!nc)
		return -EINVAL;
	r = scan(s, len, &flags, &scripts);
	if (r < 0) {
		out[0] = '\0';
		return r;
	}
	return run_pass(nc, &def, flags, s, len, out, cap);
}

/* ---- list side ---- */

/* Number of standards to enumerate for the scripts present. */
static unsigned n_standards(unsigned flags, unsigned scripts)
{
	unsigned n = 1, s;

	for (s = 0; s < TRANSLIT__NSCRIPT; s++)
		if ((scripts & SCRIPT_BIT(s)) &&
		    translit_nstd((enum translit_script)s, flags) > n)
			n = translit_nstd((enum translit_script)s, flags);
	return n > NORM_MAX_VARIANTS ? NORM_MAX_VARIANTS : n;
}

int norm_variants(norm_ctx *nc, const char *s, size_t len,
		  norm_variant_cb cb, void *ctx)
{
	unsigned flags = 0, scripts = 0, n, i, j, sc;
	size_t vlen[NORM_MAX_VARIANTS];
	int count = 0, r;

	if (!nc || (!s && len) || !cb)
		return -EINVAL;
	if (!is_ascii(s, len) && (r = scan(s, len, &flags, &scripts)) < 0)
		return r;
	n = n_standards(flags, scripts);
	for (i = 0; i < n; i++) {
		translit_std std;
		ssize_t l;

		for (sc = 0; sc < TRANSLIT__NSCRIPT; sc++)
			std.idx[sc] = (unsigned char)
				(i < translit_nstd((enum translit_script)sc,
						   flags) ? i : 0);
		l = scripts ? run_pass(nc, &std, flags, s, len, nc->var[i],
				       NORM_VAR_CAP)
			    : norm_text(nc, s, len, nc->var[i], NORM_VAR_CAP);
		if (l < 0)
			return (int)l;
		vlen[i] = (size_t)l;
		for (j = 0; j < i; j++)
			if (vlen[j] == vlen[i] &&
			    !memcmp(nc->var[j], nc->var[i], vlen[i]))
				break;
		if (j < i || !l)
			continue;
		r = cb(ctx, nc->var[i], vlen[i]);
		if (r)
			return r < 0 ? r : -ECANCELED;
		count++;
	}
	return count;
}

/* ---- persons ---- */

ssize_t norm_person_reorder(norm_ctx *nc, const char *s, size_t len,
			    char *out, size_t cap)
{
	const char *comma = NULL;
	ssize_t g, f;
	size_t i;

	if (!nc || (!s && len) || !out)
		return -EINVAL;
	if (!norm_utf8_valid(s, len))
		return -EILSEQ;
	for (i = 0; i < len; i++) {
		if (s[i] != ',')
			continue;
		if (comma)
			return 0;
		comma = s + i;
	}
	if (!comma)
		return 0;
	g = norm_text(nc, comma + 1, len - (size_t)(comma + 1 - s), out, cap);
	if (g < 0)
		return g;
	f = norm_text(nc, s, (size_t)(comma - s), nc->tmp, sizeof(nc->tmp));
	if (f < 0)
		return f;
	if (!f)
		return g;
	if ((size_t)g + (g ? 1 : 0) + (size_t)f + 1 > cap)
		return -ENOSPC;
	if (g)
		out[g++] = ' ';
	memcpy(out + g, nc->tmp, (size_t)f + 1);
	return g + f;
}
