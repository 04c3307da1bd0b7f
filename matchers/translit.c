/*
 * translit.c - per-standard romanisation tables for Cyrillic, Greek and
 * Arabic words.
 *
 * Names on sanctions lists are romanised by whoever wrote them, under
 * whichever standard their office used: OFAC prints "AKSYONOV, Sergey
 * Valeryevich" (BGN/PCGN), a passport says "AKSENOV SERGEI" (ICAO),
 * the German press "Aksjonow".  A watchlist written in Cyrillic must
 * therefore produce each of these spellings, and an event written in
 * Cyrillic one sensible default.  Each standard is a full letter table
 * plus a few context rules (word-initial forms, "-ий" endings, GOST's
 * c/cz, Greek digraphs, the Arabic article) so that variants are
 * enumerated per standard, never per letter combination.
 *
 * Letters are looked up in flat const tables indexed by code point
 * offset; there is no state, every function is reentrant.
 */
#include <errno.h>
#include <string.h>

#include "translit.h"

/* ---- Cyrillic ---- */

/*
 * Table index of the Cyrillic letters with per-standard spellings:
 * а..я (0..31), then ё і ї є ґ ў.
 */
enum {
	CY_A = 0, CY_G = 3, CY_E = 5, CY_Z = 7, CY_I = 8, CY_J = 9,
	CY_N = 13, CY_S = 17, CY_TS = 22, CY_HARD = 26, CY_Y = 27,
	CY_SOFT = 28, CY_YU = 30, CY_YA = 31, CY_YO = 32, CY_II = 33,
	CY_YI = 34, CY_IE = 35, CY_GG = 36, CY_W = 37, CY__N = 38
};

#define CR_INIT_START 0x01u /* init[] at the start of a word */
#define CR_INIT_VOWEL 0x02u /* init[] also after a vowel, ъ or ь */
#define CR_IY_Y       0x04u /* word-final ий/ый -> y */
#define CR_IY_I       0x08u /* word-final ий -> i */
#define CR_GOST_C     0x10u /* ц -> c before е и ы й (GOST 7.79 B) */
#define CR_GU         0x20u /* г -> gu before е и (French) */
#define CR_SS         0x40u /* с between vowels -> ss */
#define CR_INE        0x80u /* word-final ин -> ine (French) */
#define CR_ZGH        0x100u /* зг -> zgh (Ukrainian KMU 2010) */
#define CR_YO_SIB     0x200u /* ё -> o after ж ч ш щ (Gorbatschow) */

typedef struct cyr_std {
	const char *map[CY__N];
	const char *init[CY__N]; /* NULL: same as map */
	unsigned rules;
} cyr_std;

#define CY_COMMON_A "a", "b"
#define CY_MID "k", "l", "m", "n", "o", "p", "r", "s", "t"

static const cyr_std cyr_ru[] = {
	{ /* 0: simplified BGN/PCGN (event-side default) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "y", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "yu", "ya", "e", "i", "yi", "ye", "g", "w" },
	  { 0 }, 0 },
	{ /* 1: ICAO 9303 (2015) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "i", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
	    "iu", "ia", "e", "i", "i", "ie", "g", "u" },
	  { 0 }, 0 },
	{ /* 2: BGN/PCGN (ë written yo) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "y", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "yu", "ya", "yo", "i", "yi", "ye", "g", "w" },
	  { [CY_E] = "ye", [CY_YO] = "yo" }, CR_INIT_START | CR_INIT_VOWEL },
	{ /* 3: GOST 7.79-2000 system B */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "j", CY_MID,
	    "u", "f", "x", "cz", "ch", "sh", "shh", "", "y", "", "e",
	    "yu", "ya", "yo", "i", "yi", "ye", "g", "u" },
	  { 0 }, CR_GOST_C },
	{ /* 4: popular: yo, -iy -> y (Aksyonov, Dmitry) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "y", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "yu", "ya", "yo", "i", "yi", "ye", "g", "w" },
	  { 0 }, CR_IY_Y },
	{ /* 5: popular ICAO-like with io (Aksionov, Sergei) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "i", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "iu", "ia", "io", "i", "i", "ie", "g", "u" },
	  { 0 }, 0 },
	{ /* 6: German (Duden): Wladimirowitsch, Aksjonow */
	  { CY_COMMON_A, "w", "g", "d", "e", "sch", "s", "i", "i", CY_MID,
	    "u", "f", "ch", "z", "tsch", "sch", "schtsch", "", "y", "", "e",
	    "ju", "ja", "jo", "i", "ji", "je", "g", "w" },
	  { [CY_E] = "je", [CY_YO] = "jo" },
	  CR_INIT_START | CR_INIT_VOWEL | CR_IY_I | CR_SS | CR_YO_SIB },
	{ /* 7: French: Poutine, Sergueï, Vladimirovitch */
	  { CY_COMMON_A, "v", "g", "d", "e", "j", "z", "i", "i", CY_MID,
	    "ou", "f", "kh", "ts", "tch", "ch", "chtch", "", "y", "", "e",
	    "iou", "ia", "io", "i", "i", "ie", "g", "ou" },
	  { 0 }, CR_GU | CR_SS | CR_IY_I | CR_INE | CR_YO_SIB },
};

static const cyr_std cyr_uk[] = {
	{ /* 0: Ukrainian national KMU 2010 (passports) */
	  { CY_COMMON_A, "v", "h", "d", "e", "zh", "z", "y", "i", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "iu", "ia", "io", "i", "i", "ie", "g", "u" },
	  { [CY_J] = "y", [CY_YU] = "yu", [CY_YA] = "ya", [CY_YO] = "yo",
	    [CY_YI] = "yi", [CY_IE] = "ye" },
	  CR_INIT_START | CR_ZGH },
	{ /* 1: BGN/PCGN Ukrainian */
	  { CY_COMMON_A, "v", "h", "d", "e", "zh", "z", "y", "y", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "yu", "ya", "yo", "i", "yi", "ye", "g", "u" },
	  { 0 }, 0 },
	{ /* 2: ICAO 9303 */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "i", "i", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e",
	    "iu", "ia", "e", "i", "i", "ie", "g", "u" },
	  { 0 }, 0 },
	{ /* 3: Russian-style reading (Sergiy, Volodymyr) */
	  { CY_COMMON_A, "v", "g", "d", "e", "zh", "z", "y", "y", CY_MID,
	    "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
	    "yu", "ya", "yo", "i", "yi", "ye", "g", "w" },
	  { 0 }, 0 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Index into cyr_std tables, or -1. */
static int cyr_idx(uint32_t cp)
{
	if (cp >= 0x430 && cp <= 0x44f)
		return (int)(cp - 0x430);
	switch (cp) {
	case 0x451: return CY_YO;
	case 0x456: return CY_II;
	case 0x457: return CY_YI;
	case 0x454: return CY_IE;
	case 0x491: return CY_GG;
	case 0x45e: return CY_W;
	default: return -1;
	}
}

/* Letters of other Cyrillic alphabets, one spelling for all standards. */
static const char *cyr_other(uint32_t cp)
{
	switch (cp) {
	case 0x450: return "e";   /* ѐ */
	case 0x452: return "dj";  /* ђ */
	case 0x453: return "gj";  /* ѓ */
	case 0x455: return "dz";  /* ѕ */
	case 0x458: return "j";   /* ј */
	case 0x459: return "lj";  /* љ */
	case 0x45a: return "nj";  /* њ */
	case 0x45b: return "c";   /* ћ */
	case 0x45c: return "kj";  /* ќ */
	case 0x45d: return "i";   /* ѝ */
	case 0x45f: return "dz";  /* џ */
	case 0x463: return "e";   /* ѣ */
	case 0x473: return "f";   /* ѳ */
	case 0x475: return "i";   /* ѵ */
	case 0x493: return "gh";  /* ғ */
	case 0x497: return "zh";  /* җ */
	case 0x49b: return "q";   /* қ */
	case 0x49d: return "k";   /* ҝ */
	case 0x4a3: return "ng";  /* ң */
	case 0x4af: return "u";   /* ү */
	case 0x4b1: return "u";   /* ұ */
	case 0x4b3: return "kh";  /* ҳ */
	case 0x4b7: return "ch";  /* ҷ */
	case 0x4bb: return "h";   /* һ */
	case 0x4cf: return "";    /* ӏ palochka */
	case 0x4d9: return "a";   /* ә */
	case 0x4e3: return "i";   /* ӣ */
	case 0x4e9: return "o";   /* ө */
	case 0x4ef: return "u";   /* ӯ */
	default: return NULL;
	}
}

static int cyr_vowel(int x)
{
	switch (x) {
	case 0: case CY_E: case CY_I: case 14: case 19: case CY_Y: case 29:
	case CY_YU: case CY_YA: case CY_YO: case CY_II: case CY_YI:
	case CY_IE:
		return 1;
	default:
		return 0;
	}
}

/* Latin look-alike of a Cyrillic lower-case letter, as typed by mistake. */
static uint32_t cyr_homoglyph(uint32_t c)
{
	switch (c) {
	case 'a': return 0x430;
	case 'c': return 0x441;
	case 'e': return 0x435;
	case 'i': return 0x456;
	case 'o': return 0x43e;
	case 'p': return 0x440;
	case 'x': return 0x445;
	case 'y': return 0x443;
	default: return c;
	}
}

/* Output sink: dst[0..cap), *len advanced; -ENOSPC when full. */
typedef struct tsink {
	char *dst;
	size_t cap;
	size_t len;
	int err;
} tsink;

static void putc1(tsink *o, char c)
{
	if (o->len >= o->cap) {
		o->err = -ENOSPC;
		return;
	}
	o->dst[o->len++] = c;
}

static void put(tsink *o, const char *s)
{
	while (*s && !o->err)
		putc1(o, *s++);
}

/* Table index of w[i] when inside the word and Cyrillic, else -1. */
static int cidx_at(const uint32_t *w, size_t n, size_t i)
{
	return i < n ? cyr_idx(w[i]) : -1;
}

/*
 * Romanise the Cyrillic letter w[i] under st; returns how many code
 * points were consumed (1 or 2).
 */
static size_t cyr_step(const cyr_std *st, const uint32_t *w, size_t n,
		       size_t i, tsink *o)
{
	int x = cyr_idx(w[i]);
	int prev = i ? cyr_idx(w[i - 1]) : -1;
	int next = cidx_at(w, n, i + 1);
	int start = (i == 0);
	const char *s;

	if (x < 0) {
		s = cyr_other(w[i]);
		put(o, s ? s : "");
		return 1;
	}
	if ((st->rules & (CR_IY_Y | CR_IY_I)) && i + 2 == n &&
	    (x == CY_I || x == CY_Y) && next == CY_J) {
		put(o, x == CY_Y || (st->rules & CR_IY_Y) ? "y" : "i");
		return 2;
	}
	if ((st->rules & CR_INE) && i + 2 == n && x == CY_I && next == CY_N) {
		put(o, "ine");
		return 2;
	}
	s = st->map[x];
	if (st->init[x] &&
	    (((st->rules & CR_INIT_START) && start) ||
	     ((st->rules & CR_INIT_VOWEL) && !start &&
	      (prev == CY_HARD || prev == CY_SOFT || cyr_vowel(prev)))))
		s = st->init[x];
	if ((st->rules & CR_GOST_C) && x == CY_TS &&
	    (next == CY_E || next == CY_I || next == CY_Y || next == CY_J))
		s = "c";
	if ((st->rules & CR_GU) && x == CY_G && (next == CY_E || next == CY_I))
		s = "gu";
	if ((st->rules & CR_SS) && x == CY_S && cyr_vowel(prev) &&
	    cyr_vowel(next))
		s = "ss";
	if ((st->rules & CR_YO_SIB) && x == CY_YO &&
	    (prev == 6 || (prev >= 23 && prev <= 25)))
		s = "o";
	if ((st->rules & CR_ZGH) && x == CY_G && prev == CY_Z)
		s = "gh";
	put(o, s);
	return 1;
}

/* ---- Greek ---- */

#define GR_PHON 1u /* phonetic: υ i, ου u, χ kh, αι e, ει/οι i */
#define GR_BD   2u /* μπ b, ντ d, γκ g everywhere */

static const unsigned gr_std_rules[] = { 0, GR_PHON, GR_PHON | GR_BD };

/* α..ω (U+03B1..U+03C9, ς included); υ and χ depend on the standard. */
static const char *const gr_map[25] = {
	"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n",
	"x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o"
};

enum {
	GA = 0x3b1, GG = 0x3b3, GE = 0x3b5, GH = 0x3b7, GI = 0x3b9,
	GK = 0x3ba, GM = 0x3bc, GN = 0x3bd, GX = 0x3be, GO = 0x3bf,
	GP = 0x3c0, GT = 0x3c4, GU = 0x3c5, GCH = 0x3c7
};

static int gr_voiceless(uint32_t c)
{
	switch (c) {
	case 0x3b8: case GK: case GX: case GP: case 0x3c2: case 0x3c3:
	case GT: case 0x3c6: case GCH: case 0x3c8:
		return 1;
	default:
		return 0;
	}
}

/* Two-letter Greek combinations; returns 2 when one was written. */
static size_t gr_digraph(unsigned r, const uint32_t *w, size_t n, size_t i,
			 tsink *o)
{
	uint32_t c = w[i], d = i + 1 < n ? w[i + 1] : 0;
	int start = (i == 0);

	if (d == GU && (c == GA || c == GE || c == GH)) {
		int f = i + 2 >= n || gr_voiceless(w[i + 2]);

		putc1(o, c == GA ? 'a' : c == GE ? 'e' : 'i');
		putc1(o, f ? 'f' : 'v');
		return 2;
	}
	if (c == GO && d == GU) {
		put(o, (r & GR_PHON) ? "u" : "ou");
		return 2;
	}
	if ((r & GR_PHON) && d == GI && (c == GA || c == GE || c == GO)) {
		put(o, c == GA ? "e" : "i");
		return 2;
	}
	if (c == GM && d == GP) {
		put(o, start || (r & GR_BD) ? "b" : (r & GR_PHON) ? "mb" : "mp");
		return 2;
	}
	if (c == GN && d == GT) {
		put(o, start || (r & GR_BD) ? "d" : (r & GR_PHON) ? "nd" : "nt");
		return 2;
	}
	if (c == GG && d == GK) {
		put(o, start || (r & GR_BD) ? "g" : (r & GR_PHON) ? "ng" : "gk");
		return 2;
	}
	if (c == GG && (d == GG || d == GX || d == GCH)) {
		put(o, d == GG ? "ng" : d == GX ? "nx" :
			(r & GR_PHON) ? "nkh" : "nch");
		return 2;
	}
	return 0;
}

static size_t gr_step(unsigned r, const uint32_t *w, size_t n, size_t i,
		      tsink *o)
{
	size_t k = gr_digraph(r, w, n, i, o);

	if (k)
		return k;
	if (w[i] == GU)
		put(o, (r & GR_PHON) ? "i" : "y");
	else if (w[i] == GCH)
		put(o, (r & GR_PHON) ? "kh" : "ch");
	else if (w[i] >= 0x3b1 && w[i] <= 0x3c9)
		put(o, gr_map[w[i] - 0x3b1]);
	return 1;
}

/* ---- Arabic ---- */

enum {
	AR_ALEF = 0x627, AR_LAM = 0x644, AR_HEH = 0x647, AR_WAW = 0x648,
	AR_YEH = 0x64a, AR_MAKSURA = 0x649, AR_AIN = 0x639, FA_YEH = 0x6cc
};

/* Consonants and letters with one fixed spelling; NULL if unknown. */
static const char *ar_fixed(uint32_t c)
{
	static const char *const base[] = {
		/* 0621 */ "", "a", "a", "", "a", "", "a", "b", "a", "t",
		/* 062b */ "th", "j", "h", "kh", "d", "dh", "r", "z", "s",
		/* 0634 */ "sh", "s", "d", "t", "z", "", "gh"
	};

	if (c >= 0x621 && c <= 0x63a)
		return base[c - 0x621];
	switch (c) {
	case 0x640: return "";   /* tatweel */
	case 0x641: return "f";
	case 0x642: return "q";
	case 0x643: return "k";
	case 0x644: return "l";
	case 0x645: return "m";
	case 0x646: return "n";
	case 0x647: return "h";
	case 0x671: return "a";
	case 0x679: return "t";
	case 0x67e: return "p";
	case 0x686: return "ch";
	case 0x688: return "d";
	case 0x691: return "r";
	case 0x698: return "zh";
	case 0x6a4: return "v";
	case 0x6a9: return "k";
	case 0x6af: return "g";
	case 0x6ba: return "n";
	case 0x6be: return "h";
	case 0x6c1: return "h";
	case 0x6c3: return "a";
	case 0x6d2: return "e";
	default: return NULL;
	}
}

static int ar_yeh(uint32_t c)
{
	return c == AR_YEH || c == FA_YEH || c == AR_MAKSURA;
}

static int ar_vowel(uint32_t c)
{
	return c == AR_ALEF || c == 0x622 || c == AR_WAW || ar_yeh(c);
}

/*
 * One Arabic letter at w[i]; s is where the word proper starts (after
 * the article).  Waw and yeh are consonants at the start, after a
 * vowel letter or before alef, long vowels otherwise.
 */
static void ar_step(int persian, const uint32_t *w, size_t n, size_t s,
		    size_t i, tsink *o)
{
	uint32_t c = w[i], next = i + 1 < n ? w[i + 1] : 0;
	int cons = i == s || ar_vowel(w[i - 1]) || next == AR_ALEF ||
		   (ar_yeh(c) && next == AR_WAW);
	const char *f;

	if (c == AR_WAW)
		put(o, cons ? (persian ? "v" : "w") : "u");
	else if (c == AR_MAKSURA && i + 1 == n && !persian)
		put(o, "a");
	else if (ar_yeh(c))
		put(o, cons ? "y" : "i");
	else if (c == AR_AIN)
		put(o, i == s && !ar_vowel(next) ? "a" : "");
	else if ((f = ar_fixed(c)))
		put(o, f);
}

/* w[i..i+4) is "الله" (the name of God, inside Abdullah, Hezbollah). */
static int ar_allah(const uint32_t *w, size_t n, size_t i)
{
	return i + 4 == n && w[i] == AR_ALEF && w[i + 1] == AR_LAM &&
	       w[i + 2] == AR_LAM && w[i + 3] == AR_HEH;
}

/* Article "ال": standard 0 "al ", 1 "el ", 2 "al" joined, 3 as 0. */
static size_t ar_article(unsigned std, const uint32_t *w, size_t n,
			 size_t i, tsink *o)
{
	if (i != 0 || n < 4 || w[0] != AR_ALEF || w[1] != AR_LAM ||
	    ar_allah(w, n, 0))
		return 0;
	put(o, std == 1 ? "el" : "al");
	if (std != 2)
		putc1(o, ' ');
	return 2;
}

/* ---- dispatch ---- */

int translit_script_of(uint32_t cp)
{
	if (cp >= 0x400 && cp <= 0x52f)
		return TRANSLIT_CYR;
	if (cp >= 0x370 && cp <= 0x3ff)
		return TRANSLIT_GREEK;
	if ((cp >= 0x600 && cp <= 0x6ff) || (cp >= 0x750 && cp <= 0x77f))
		return TRANSLIT_ARABIC;
	return -1;
}

int translit_known(uint32_t cp)
{
	switch (translit_script_of(cp)) {
	case TRANSLIT_CYR:
		return cyr_idx(cp) >= 0 || cyr_other(cp) != NULL;
	case TRANSLIT_GREEK:
		return cp >= 0x3b1 && cp <= 0x3c9;
	case TRANSLIT_ARABIC:
		return cp == AR_WAW || ar_yeh(cp) || ar_fixed(cp) != NULL;
	default:
		return 0;
	}
}

unsigned translit_flags_of(uint32_t cp)
{
	switch (cp) {
	case 0x456: case 0x457: case 0x454: case 0x491: case 0x45e:
	case 0x406: case 0x407: case 0x404: case 0x490: case 0x40e:
		return TRANSLIT_F_UK;
	case 0x67e: case 0x686: case 0x698: case 0x6a9: case 0x6af:
	case 0x6cc: case 0x679: case 0x688: case 0x691: case 0x6ba:
	case 0x6be: case 0x6c1: case 0x6d2:
		return TRANSLIT_F_FA;
	default:
		return 0;
	}
}

unsigned translit_nstd(enum translit_script s, unsigned flags)
{
	switch (s) {
	case TRANSLIT_CYR:
		return (flags & TRANSLIT_F_UK) ? NELEM(cyr_uk) : NELEM(cyr_ru);
	case TRANSLIT_GREEK:
		return NELEM(gr_std_rules);
	case TRANSLIT_ARABIC:
		return 4;
	default:
		return 1;
	}
}

/* When Cyrillic dominates a word, map Latin look-alikes into it. */
static const uint32_t *fix_homoglyphs(const uint32_t *w, size_t n,
				      uint32_t *buf, size_t bufn)
{
	size_t i, cyr = 0, lat = 0;

	for (i = 0; i < n; i++) {
		if (w[i] >= 'a' && w[i] <= 'z')
			lat++;
		else if (cyr_idx(w[i]) >= 0)
			cyr++;
	}
	if (!cyr || !lat || lat > cyr || n > bufn)
		return w;
	for (i = 0; i < n; i++)
		buf[i] = cyr_homoglyph(w[i]);
	return buf;
}

ssize_t translit_word(const translit_std *std, unsigned flags,
		      const uint32_t *w, size_t n, char *dst, size_t cap)
{
	uint32_t fixed[256];
	tsink o = { dst, cap, 0, 0 };
	unsigned ci = std ? std->idx[TRANSLIT_CYR] : 0;
	unsigned gi = std ? std->idx[TRANSLIT_GREEK] : 0;
	unsigned ai = std ? std->idx[TRANSLIT_ARABIC] : 0;
	const cyr_std *cs;
	size_t i = 0, s = 0;

	if (ci >= translit_nstd(TRANSLIT_CYR, flags))
		ci = 0;
	if (gi >= NELEM(gr_std_rules))
		gi = 0;
	if (ai >= translit_nstd(TRANSLIT_ARABIC, flags))
		ai = 0;
	cs = (flags & TRANSLIT_F_UK) ? &cyr_uk[ci] : &cyr_ru[ci];
	w = fix_homoglyphs(w, n, fixed, NELEM(fixed));
	while (i < n && !o.err) {
		uint32_t c = w[i];
		size_t k;

		if (c < 0x80) {
			putc1(&o, (char)c);
			i++;
			continue;
		}
		switch (translit_script_of(c)) {
		case TRANSLIT_CYR:
			i += cyr_step(cs, w, n, i, &o);
			break;
		case TRANSLIT_GREEK:
			i += gr_step(gr_std_rules[gi], w, n, i, &o);
			break;
		case TRANSLIT_ARABIC:
			if ((k = ar_article(ai, w, n, i, &o))) {
				i = s = k;
			} else if (ar_allah(w, n, i)) {
				put(&o, "allah");
				i = n;
			} else {
				ar_step(ai == 3 || (flags & TRANSLIT_F_FA),
					w, n, s, i, &o);
				i++;
			}
			break;
		default:
			i++;
		}
	}
	return o.err ? o.err : (ssize_t)o.len;
}
