/*
 * score.c - pairwise name scoring; contract in score.h.
 *
 * Why this shape: sanctions names differ mostly by transliteration
 * (Aksyonov/Aksenov), word order (SURNAME, Given), dropped middle
 * names, legal forms and typos, while true non-matches differ by one
 * whole content word (Steel Tubes / Steel Wires, Maru No. 8 / No. 6).
 * So the unit of comparison is the token: tokens are aligned greedily
 * by similarity regardless of order, each aligned pair contributes its
 * squared similarity times its weight, and unaligned tokens only add
 * to the denominator.  Squaring makes one-letter differences in short
 * words (Traore/Toure) cost much more than a transliteration variant.
 * Numbers must agree exactly (sister ships, vessel numerals).  A
 * concatenated-string comparison rescues missing or extra spaces
 * ("EtsDiallo", "Wirra-long") and is only used when the token counts
 * differ, so it cannot blur one-word differences.
 *
 * The transliteration key folds the spelling choices of the common
 * romanisation standards into one form; equal keys mean "the same
 * name written by another convention" and score 0.97.
 */
#include "score.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

/* ---- transliteration key ---- */

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Pass 1: consonant digraphs and letter equivalences.  Upper-case
 * letters in the key are merged sounds (C = ch/ts/cz, S = sh/sch,
 * J = zh/dzh).  Digraphs (longest first): shch sch sh sz -> S;
 * tsch tch ts tz -> C, th -> t; dzh dj -> J; ch cz -> C, ck -> k,
 * cs -> x; zh -> J; kh -> g, ks -> x; gh -> g; ph -> f.  A switch on
 * the first letter keeps this at a few ns per letter (hot path). */
static size_t key_consonants(const char *t, size_t n, char *o, size_t cap)
{
	size_t i = 0, k = 0;

	while (i < n && k + 1 < cap) {
		char c = t[i], d = i + 1 < n ? t[i + 1] : 0;
		char e = i + 2 < n ? t[i + 2] : 0, f = i + 3 < n ? t[i + 3] : 0;
		char out = c;
		size_t m = 1;

		switch (c) {
		case 's':
			if (d == 'h' && e == 'c' && f == 'h')
				out = 'S', m = 4;
			else if (d == 'c' && e == 'h')
				out = 'S', m = 3;
			else if (d == 'h' || d == 'z')
				out = 'S', m = 2;
			break;
		case 't':
			if (d == 's' && e == 'c' && f == 'h')
				out = 'C', m = 4;
			else if (d == 'c' && e == 'h')
				out = 'C', m = 3;
			else if (d == 's' || d == 'z')
				out = 'C', m = 2;
			else if (d == 'h')
				out = 't', m = 2;
			break;
		case 'd':
			if (d == 'z' && e == 'h')
				out = 'J', m = 3;
			else if (d == 'j')
				out = 'J', m = 2;
			break;
		case 'c':
			if (d == 'h' || d == 'z')
				out = 'C', m = 2;
			else if (d == 'k')
				out = 'k', m = 2;
			else if (d == 's')
				out = 'x', m = 2;
			else
				out = (d == 'e' || d == 'i' || d == 'y') ? 'C' : 'k';
			break;
		case 'z':
			if (d == 'h')
				out = 'J', m = 2;
			break;
		case 'k':
			if (d == 'h')
				out = 'g', m = 2;
			else if (d == 's')
				out = 'x', m = 2;
			break;
		case 'g':
			if (d == 'h')
				out = 'g', m = 2;
			break;
		case 'p':
			if (d == 'h')
				out = 'f', m = 2;
			break;
		case 'h': out = 'g'; break;
		case 'j': case 'y': out = 'i'; break;
		case 'w': out = 'v'; break;
		case 'q': out = 'k'; break;
		default: break;
		}
		o[k++] = out;
		i += m;
	}
	return k;
}

/* Pass 2: vowel clusters (yo/io/ie -> e, ia -> a, iu/ou/oo -> u,
 * ii -> i, ee -> i, final ei -> i, ae/oe/ue -> a/o/u), then double
 * letters collapse. */
static size_t key_vowels(const char *t, size_t n, char *o, size_t cap)
{
	size_t i = 0, k = 0;

	while (i < n && k + 1 < cap) {
		char a = t[i], b = i + 1 < n ? t[i + 1] : 0, out = a;
		int two = 1;

		if (a == 'i' && b == 'a')
			out = 'a';
		else if (a == 'i' && (b == 'e' || b == 'o'))
			out = 'e';
		else if ((a == 'i' || a == 'o') && b == 'u')
			out = 'u';
		else if (a == 'o' && b == 'o')
			out = 'u';
		else if (a == 'e' && b == 'e')
			out = 'i';
		else if (a == 'e' && b == 'i' && i + 2 == n)
			out = 'i';
		else if ((a == 'a' || a == 'o' || a == 'u') && b == 'e' &&
			 i > 0 && !is_vowel(t[i - 1]))
			out = a;
		else
			two = 0;
		i += two ? 2 : 1;
		if (k > 0 && o[k - 1] == out)
			continue; /* double letters */
		o[k++] = out;
	}
	return k;
}

size_t score_key(const char *tok, size_t len, char *out, size_t cap)
{
	char tmp[256];
	size_t n;

	if (cap == 0)
		return 0;
	if (len > sizeof(tmp) - 1)
		len = sizeof(tmp) - 1;
	n = key_consonants(tok, len, tmp, sizeof(tmp));
	n = key_vowels(tmp, n, out, cap);
	out[n] = '\0';
	return n;
}

/* 1 - distance / longer length, or 0 when below minsim. */
static float lev_sim(const char *a, size_t al, const char *b, size_t bl,
		     float minsim)
{
	size_t m = al > bl ? al : bl;
	int max = (int)((1.0f - minsim) * (float)m), d;

	if (m == 0)
		return 1.0f;
	d = score_lev_bounded(a, al, b, bl, max);
	if (d > max)
		return 0.0f;
	return 1.0f - (float)d / (float)m;
}

float score_tok_sim(const score_tok *a, const score_tok *b,
		    wl_ent_type type)
{
	return score_tok_sim_min(a, b, type, 0.5f);
}

float score_tok_sim_min(const score_tok *a, const score_tok *b,
			wl_ent_type type, float minsim)
{
	float s = score_tok_sim_nophon(a, b, type, minsim);

	/* the same consonant skeleton: another romanisation or script
	 * ("Poetin", "Vlagyimir", "wldymyr") - a weaker signal */
	if (s < SCORE_PHON_SIM && a->len >= 4 && b->len >= 4 &&
	    !((a->flags | b->flags) & (SCORE_TF_NUMERIC | SCORE_TF_INITIAL))) {
		char pa[SCORE_KEY_MAX], pb[SCORE_KEY_MAX];
		size_t la = score_phon(a->s, a->len, pa, sizeof(pa));

		if (la >= 3 && score_phon(b->s, b->len, pb, sizeof(pb)) == la &&
		    memcmp(pa, pb, la) == 0)
			s = SCORE_PHON_SIM;
	}
	return s;
}

float score_tok_sim_nophon(const score_tok *a, const score_tok *b,
			   wl_ent_type type, float minsim)
{
	float s, k;

	if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0)
		return 1.0f;
	if ((a->flags | b->flags) & SCORE_TF_NUMERIC)
		return 0.0f; /* numbers agree exactly or not at all */
	if ((a->flags & SCORE_TF_INITIAL) || (b->flags & SCORE_TF_INITIAL)) {
		if (a->s[0] != b->s[0])
			return 0.0f;
		if ((a->flags & b->flags & SCORE_TF_INITIAL))
			return 1.0f;
		return type == WL_ENT_PERSON || type == WL_ENT_UNKNOWN ?
			       0.9f : 0.6f;
	}
	if (a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0)
		return 0.97f;
	if (minsim < 0.5f)
		minsim = 0.5f;
	s = lev_sim(a->s, a->len, b->s, b->len, minsim);
	k = lev_sim(a->key, a->klen, b->key, b->klen, minsim / 0.98f);
	/* keys fold transliteration noise: a one-edit key difference is
	 * worth a bit less than the same text difference */
	k = k * 0.98f;
	if (s < k)
		s = k;
	return s;
}

/* ---- token tables ---- */

static int in_table(const char *const *tab, size_t n, const char *s,
		    size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (tab[i][0] == s[0] && strncmp(tab[i], s, len) == 0 &&
		    tab[i][len] == '\0')
			return 1;
	return 0;
}

/* Connectors, articles, honorifics and titles in the languages lists
 * and payments use; they carry almost no identity. */
static const char *const stop_words[] = {
	"and", "et", "e", "y", "und", "i", "in", "of", "the", "de", "del",
	"della", "di", "da", "das", "do", "dos", "du", "des", "la", "le",
	"les", "el", "al", "van", "von", "der", "den", "wa", "ve", "va",
	"mr", "mrs", "ms", "miss", "dr", "prof", "messrs", "sheikh",
	"shaikh", "sir", "president", "presidente", "prasident",
	"predsjednik", "presedintele", "presiden", "prezident",
	"prezydent", "elnok", "prezidentas", "no", "nr", "for", "to",
};

/* Business and geography words shared by many unrelated names. */
static const char *const generic_words[] = {
	"trading", "trade", "traders", "company", "group", "groupe",
	"holding", "holdings", "international", "industries", "industry",
	"industrial", "enterprises", "enterprise", "services", "service",
	"logistics", "shipping", "marine", "maritime", "import", "export",
	"general", "bank", "investment", "investments", "development",
	"construction", "engineering", "products", "supplies", "supply",
	"solutions", "technology", "technologies", "systems",
	"management", "manufacturing", "global", "national", "federal",
	"state", "center", "centre", "institute", "research",
	"production", "plant", "factory", "zavod", "ministry", "agency",
	"brothers", "sons", "associates", "partners", "commerce",
	"commercial", "petroleum", "oil", "gas", "energy", "chemicals",
	"mining", "electronics", "machinery", "equipment", "transport",
	"ocean", "sea", "air", "airlines", "foundation", "organization",
	"organisation", "association", "society", "union", "office",
	"scientific", "joint", "stock", "open", "closed", "public",
	"private", "limited", "llc", "ltd", "co", "inc", "corp",
	"corporation", "network", "consulting", "finance", "financial",
	"capital", "fund", "authority", "committee", "department",
	"university", "academy", "navigation", "line", "lines",
	"express", "star", "first", "new", "east", "west", "north",
	"south", "middle", "central", "russian", "iranian",
};

/* Roman numerals and number words: ship and SPV numbering. */
static const char *const number_words[] = {
	"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "one",
	"two", "three", "four", "five", "six", "seven", "eight", "nine",
	"ten", "eleven", "twelve",
};

/* Common company-word abbreviations, expanded so both spellings meet. */
static const char *const abbrev[][2] = {
	{"intl", "international"}, {"svcs", "services"},
	{"svc", "service"}, {"mgmt", "management"},
	{"assoc", "associates"}, {"bros", "brothers"},
	{"mfg", "manufacturing"}, {"engg", "engineering"},
	{"eng", "engineering"}, {"ind", "industria"},
	{"com", "comercio"}, {"cia", "compania"}, {"flli", "fratelli"},
	{"comm", "commendator"}, {"natl", "national"},
	{"tech", "technology"}, {"dept", "department"},
	{"univ", "university"}, {"inst", "institute"},
	{"industria", "industria"}, {"industrias", "industria"},
	{"comercial", "comercio"}, {"compania", "compania"},
	{"st", "saint"}, {"ste", "sainte"}, {"mt", "mount"},
};

/* All word tables in one open-addressing set, built once: a token is
 * looked up with one hash instead of scanning ~250 strings. */
enum { WT_STOP = 1, WT_GENERIC = 2, WT_NUMBER = 4 };
#define WT_CAP 1024
typedef struct wt_slot {
	const char *w;
	uint8_t len, what;
	int16_t abbrev;   /* index into abbrev[] or -1 */
} wt_slot;
static wt_slot wt[WT_CAP];
static pthread_once_t wt_once = PTHREAD_ONCE_INIT;

static wt_slot *wt_find(const char *s, size_t len, int insert)
{
	size_t i = (size_t)XXH3_64bits(s, len) & (WT_CAP - 1);

	while (wt[i].w) {
		if (wt[i].len == len && memcmp(wt[i].w, s, len) == 0)
			return &wt[i];
		i = (i + 1) & (WT_CAP - 1);
	}
	if (!insert)
		return NULL;
	wt[i].w = s;
	wt[i].len = (uint8_t)len;
	wt[i].abbrev = -1;
	return &wt[i];
}

static void wt_init(void)
{
	size_t i;

	for (i = 0; i < sizeof(stop_words) / sizeof(stop_words[0]); i++)
		wt_find(stop_words[i], strlen(stop_words[i]), 1)->what |= WT_STOP;
	for (i = 0; i < sizeof(generic_words) / sizeof(generic_words[0]); i++)
		wt_find(generic_words[i], strlen(generic_words[i]), 1)->what |=
			WT_GENERIC;
	for (i = 0; i < sizeof(number_words) / sizeof(number_words[0]); i++)
		wt_find(number_words[i], strlen(number_words[i]), 1)->what |=
			WT_NUMBER;
	for (i = 0; i < sizeof(abbrev) / sizeof(abbrev[0]); i++) {
		wt_slot *w = wt_find(abbrev[i][0], strlen(abbrev[i][0]), 1);

		if (w->abbrev < 0)
			w->abbrev = (int16_t)i;
	}
}

static const wt_slot *wt_get(const char *s, size_t len)
{
	pthread_once(&wt_once, wt_init);
	if (len == 0 || len > 32)
		return NULL;
	return wt_find(s, len, 0);
}

static const char *expand_abbrev(const char *s, size_t len, size_t *olen)
{
	const wt_slot *w = wt_get(s, len);

	if (!w || w->abbrev < 0)
		return NULL;
	*olen = strlen(abbrev[w->abbrev][1]);
	return abbrev[w->abbrev][1];
}

float score_default_weight(const char *tok, size_t len, uint8_t *flags)
{
	size_t i;
	uint8_t f = 0;
	float w;
	const wt_slot *ws = wt_get(tok, len);

	for (i = 0; i < len; i++)
		if (tok[i] >= '0' && tok[i] <= '9')
			f |= SCORE_TF_NUMERIC;

	if (len == 1 && !(f & SCORE_TF_NUMERIC))
		f |= SCORE_TF_INITIAL;
	if (ws && (ws->what & WT_NUMBER))
		f = SCORE_TF_NUMERIC;
	if (ws && (ws->what & WT_STOP))
		f |= SCORE_TF_STOP;
	else if (ws && (ws->what & WT_GENERIC))
		f |= SCORE_TF_GENERIC;
	if (f & SCORE_TF_STOP)
		w = 0.05f;
	else if (f & SCORE_TF_INITIAL)
		w = 0.3f;
	else if (f & SCORE_TF_NUMERIC)
		w = 0.8f;
	else if (f & SCORE_TF_GENERIC)
		w = 0.6f;
	else
		w = len <= 2 ? 0.5f : len == 3 ? 0.75f : 1.0f;
	if (flags)
		*flags = f;
	return w;
}

/* ---- parsing ---- */

/* Token boundaries of norm text: offsets of up to max tokens. */
static int split(const char *s, size_t len, size_t *off, size_t *tl,
		 int max)
{
	size_t i = 0;
	int n = 0;

	while (i < len && n < max) {
		size_t j = i;

		while (j < len && s[j] != ' ')
			j++;
		if (j > i) {
			off[n] = i;
			tl[n] = j - i;
			n++;
		}
		i = j + 1;
	}
	return n;
}

/*
 * norm_legal_form() scans its whole pattern table (~1 us a call), and
 * a parse asks it at every token.  Its answer depends only on the next
 * LF_SPAN tokens (no designator is longer), so answers are memoised in
 * a small per-thread direct-mapped cache keyed by a hash of that text:
 * list names and payment streams repeat their suffixes constantly.
 */
#define LF_SPAN 10
#define LF_MEMO 4096
typedef struct lf_memo {
	uint64_t h;
	uint16_t sp;
	uint8_t kind;
} lf_memo;
static _Thread_local lf_memo lf_cache[LF_MEMO];

static size_t lf_at(const char *s, size_t len, enum norm_lf_kind *kind)
{
	size_t cut = 0, r;
	int sp = 0;
	uint64_t h;
	lf_memo *m;

	while (cut < len && !(s[cut] == ' ' && ++sp == LF_SPAN))
		cut++;
	h = XXH3_64bits(s, cut) | 1;
	m = &lf_cache[h & (LF_MEMO - 1)];
	if (m->h == h) {
		*kind = (enum norm_lf_kind)m->kind;
		return m->sp;
	}
	r = norm_legal_form(s, cut, kind);
	m->h = h;
	m->sp = (uint16_t)r;
	m->kind = (uint8_t)*kind;
	return r;
}

/* Where the name ends once trailing legal forms are cut: the smallest
 * i > lo such that tokens i..hi-1 are a sequence of whole legal forms
 * (stacked forms: "Joint Stock Company" + "Ltd"); *kind gets the
 * family of the form right after the name. */
static int peel(const char *text, const size_t *off, const size_t *tl,
		int lo, int hi, enum norm_lf_kind *kind)
{
	uint8_t ok[SCORE_MAX_TOK + 9];
	enum norm_lf_kind kk[SCORE_MAX_TOK + 9];
	int i, k, from = hi - 2 * LF_SPAN > lo + 1 ? hi - 2 * LF_SPAN : lo + 1;
	size_t end;

	*kind = NORM_LF_NONE;
	if (hi - lo <= 1)
		return hi; /* a name is never all legal form */
	end = off[hi - 1] + tl[hi - 1];
	ok[hi] = 1;
	for (i = hi - 1; i >= from; i--) {
		size_t sp = lf_at(text + off[i], end - off[i], &kk[i]);

		ok[i] = 0;
		if (!sp)
			continue;
		for (k = i; k < hi && off[k] + tl[k] < off[i] + sp; k++)
			;
		/* the form must end on a token boundary */
		if (k < hi && off[k] + tl[k] == off[i] + sp && ok[k + 1])
			ok[i] = 1;
	}
	for (i = from; i < hi; i++)
		if (ok[i]) {
			*kind = kk[i];
			return i;
		}
	return hi;
}

/* Vessel designators written before a ship's name ("M/V" -> "m v"). */
static int vessel_prefix(const char *s, size_t *off, size_t *tl, int n)
{
	static const char *const one[] = {"mv", "mt", "ss", "msv", "nm",
					  "tb", "my", "mts", "sy"};
	static const char *const two[] = {"m v", "m t", "n m", "t b", "m y"};
	size_t i;

	if (n >= 3 && tl[0] == 1 && tl[1] == 1) {
		char p[4] = {s[off[0]], ' ', s[off[1]], 0};

		for (i = 0; i < sizeof(two) / sizeof(two[0]); i++)
			if (strcmp(p, two[i]) == 0)
				return 2;
	}
	if (n >= 2 && in_table(one, sizeof(one) / sizeof(one[0]),
			       s + off[0], tl[0]))
		return 1;
	return 0;
}

static void add_tok(score_name *n, const char *s, size_t len, size_t *kb)
{
	score_tok *t = &n->tok[n->n];
	size_t el = 0, room = sizeof(n->keybuf) - *kb;
	const char *ex = expand_abbrev(s, len, &el);

	if (ex) {
		s = ex;
		len = el;
	}
	if (room < 2)
		room = 0;
	t->s = s;
	t->len = (uint16_t)len;
	t->w = score_default_weight(s, len, &t->flags);
	t->key = n->keybuf + *kb;
	t->klen = room ? (uint16_t)score_key(s, len, n->keybuf + *kb,
					     room > 24 ? 24 : room) : 0;
	*kb += t->klen + 1;
	if (*kb > sizeof(n->keybuf))
		*kb = sizeof(n->keybuf);
	n->n++;
}

int score_name_parse(score_name *n, const char *norm, size_t len)
{
	return score_name_parse_opt(n, norm, len, 0);
}

int score_name_parse_opt(score_name *n, const char *norm, size_t len,
			 unsigned opt)
{
	size_t off[SCORE_MAX_TOK + 8], tl[SCORE_MAX_TOK + 8], kb = 0;
	int nt, lo = 0, hi, i;
	enum norm_lf_kind kind = NORM_LF_NONE;

	if (len >= sizeof(n->text))
		len = sizeof(n->text) - 1;
	memmove(n->text, norm, len);
	n->text[len] = '\0';
	n->text_len = len;
	n->n = 0;
	n->lf = NORM_LF_NONE;
	nt = split(n->text, len, off, tl, SCORE_MAX_TOK + 8);
	hi = nt;
	lo = vessel_prefix(n->text, off, tl, nt);
	/* leading legal forms ("OOO X", "SARL X") */
	while (!(opt & SCORE_PARSE_PERSON) && lo < hi - 1) {
		size_t sp = lf_at(n->text + off[lo], len - off[lo], &kind);
		int k = lo;

		if (sp == 0)
			break;
		while (k < hi && off[k] < off[lo] + sp)
			k++;
		if (k >= hi)
			break;
		n->lf = (uint8_t)kind;
		lo = k;
	}
	/* trailing legal forms ("X Co Ltd", "X Sp z oo Sp k"), repeatedly:
	 * payment fields stack them ("X Joint Stock Company Ltd"). */
	if (!(opt & SCORE_PARSE_PERSON)) {
		int h = peel(n->text, off, tl, lo, hi, &kind);

		if (h < hi && n->lf == NORM_LF_NONE)
			n->lf = (uint8_t)kind;
		hi = h;
	}
	for (i = lo; i < hi && n->n < SCORE_MAX_TOK; i++)
		add_tok(n, n->text + off[i], tl[i], &kb);
	return n->n;
}

/* ---- alignment ---- */

static double join_score(const score_name *a, const score_name *b)
{
	char ja[SCORE_TEXT_MAX], jb[SCORE_TEXT_MAX];
	char ka[SCORE_TEXT_MAX], kb[SCORE_TEXT_MAX];
	size_t la = 0, lb = 0, i, kla, klb;
	float s;

	for (i = 0; i < a->text_len; i++)
		if (a->text[i] != ' ')
			ja[la++] = a->text[i];
	for (i = 0; i < b->text_len; i++)
		if (b->text[i] != ' ')
			jb[lb++] = b->text[i];
	if (la == 0 || lb == 0 || la * 4 < lb * 3 || lb * 4 < la * 3)
		return 0;
	kla = score_key(ja, la, ka, 64);
	klb = score_key(jb, lb, kb, 64);
	if (kla * 10 < klb * 9 || klb * 10 < kla * 9)
		return 0; /* lengths alone rule out 0.9 */
	s = lev_sim(ka, kla, kb, klb, 0.9f);
	if (s < 0.9f)
		return 0;
	/* digits must agree */
	{
		char da[32], db[32];
		size_t na = 0, nb = 0;

		for (i = 0; i < la && na < sizeof(da); i++)
			if (ja[i] >= '0' && ja[i] <= '9')
				da[na++] = ja[i];
		for (i = 0; i < lb && nb < sizeof(db); i++)
			if (jb[i] >= '0' && jb[i] <= '9')
				db[nb++] = jb[i];
		if (na != nb || memcmp(da, db, na) != 0)
			return 0;
	}
	return (double)s * s * 0.98;
}

/* Factor applied to the weight of an unaligned token. */
static float miss_factor(const score_tok *t, wl_ent_type type)
{
	if (t->flags & SCORE_TF_STOP)
		return 1.0f;
	if (type == WL_ENT_PERSON)
		return 0.6f;
	if (type == WL_ENT_UNKNOWN)
		return 0.8f;
	return 1.0f;
}

double score_names(const score_name *a, const score_name *b,
		   wl_ent_type type, score_detail *d)
{
	float sim[SCORE_MAX_TOK][SCORE_MAX_TOK];
	int used_a[SCORE_MAX_TOK] = {0}, used_b[SCORE_MAX_TOK] = {0};
	double num = 0, den = 0, s;
	int i, j, num_a = 0, num_b = 0;
	score_detail local;

	if (!d)
		d = &local;
	memset(d, 0, sizeof(*d));
	if (a->n == 0 || b->n == 0)
		return 0;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			sim[i][j] = score_tok_sim(&a->tok[i], &b->tok[j], type);
	for (;;) {
		float best = 0.55f;
		int bi = -1, bj = -1;

		for (i = 0; i < a->n; i++) {
			if (used_a[i])
				continue;
			for (j = 0; j < b->n; j++)
				if (!used_b[j] && sim[i][j] > best) {
					best = sim[i][j];
					bi = i;
					bj = j;
				}
		}
		if (bi < 0)
			break;
		used_a[bi] = used_b[bj] = 1;
		num += (double)best * best * (a->tok[bi].w + b->tok[bj].w);
		den += a->tok[bi].w + b->tok[bj].w;
		d->pair[d->n_pair].a = (int8_t)bi;
		d->pair[d->n_pair].b = (int8_t)bj;
		d->pair[d->n_pair++].sim = best;
	}
	for (i = 0; i < a->n; i++) {
		if (used_a[i])
			continue;
		den += a->tok[i].w * miss_factor(&a->tok[i], type);
		num_a += !!(a->tok[i].flags & SCORE_TF_NUMERIC);
		d->pair[d->n_pair].a = (int8_t)i;
		d->pair[d->n_pair].b = -1;
		d->pair[d->n_pair++].sim = 0;
	}
	for (j = 0; j < b->n; j++) {
		if (used_b[j])
			continue;
		den += b->tok[j].w * miss_factor(&b->tok[j], type);
		num_b += !!(b->tok[j].flags & SCORE_TF_NUMERIC);
		d->pair[d->n_pair].a = -1;
		d->pair[d->n_pair].b = (int8_t)j;
		d->pair[d->n_pair++].sim = 0;
	}
	s = den > 0 ? num / den : 0;
	/* an extra content word in a company or ship name usually names
	 * another entity (holding, subsidiary, sister ship) */
	if (type != WL_ENT_PERSON)
		for (i = 0; i < d->n_pair; i++) {
			const score_pair *p = &d->pair[i];
			const score_tok *t = p->a >= 0 ? &a->tok[p->a] :
					      &b->tok[p->b];

			if ((p->a < 0 || p->b < 0) &&
			    !(t->flags & (SCORE_TF_STOP | SCORE_TF_INITIAL)))
				s *= type == WL_ENT_UNKNOWN ? 0.95 : 0.9;
		}
	if (num_a && num_b)
		s *= 0.6; /* different numbers: sister ship, other branch */
	d->token_score = s;
	if (a->n != b->n) {
		d->join_score = join_score(a, b);
		if (d->join_score > s)
			s = d->join_score;
	}
	if (a->lf != NORM_LF_NONE && b->lf != NORM_LF_NONE) {
		d->lf_agree = a->lf == b->lf ? 1 : -1;
		if (a->lf != b->lf)
			s *= (a->lf == NORM_LF_OTHER ||
			      b->lf == NORM_LF_OTHER) ? 0.95 : 0.92;
	}
	return s < 0 ? 0 : s > 1 ? 1 : s;
}

/* ---- explanation ---- */

static void app(char *buf, size_t cap, size_t *n, const char *fmt,
		const char *s1, int l1, const char *s2, int l2, double v)
{
	int r;

	if (*n >= cap)
		return;
	if (s2)
		r = snprintf(buf + *n, cap - *n, fmt, l1, s1, l2, s2, v);
	else
		r = snprintf(buf + *n, cap - *n, fmt, l1, s1, v);
	if (r > 0)
		*n = *n + (size_t)r >= cap ? cap - 1 : *n + (size_t)r;
}

size_t score_explain(const score_name *a, const score_name *b,
		     const score_detail *d, double score, char *buf,
		     size_t cap)
{
	static const char *const lf[] = {"-", "llc", "jsc", "pjsc",
					  "state", "free-zone", "partnership",
					  "other"};
	size_t n = 0;
	int i;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	for (i = 0; i < d->n_pair; i++) {
		const score_pair *p = &d->pair[i];

		if (p->a >= 0 && p->b >= 0)
			app(buf, cap, &n, "  %.*s = %.*s  %.2f\n",
			    a->tok[p->a].s, a->tok[p->a].len,
			    b->tok[p->b].s, b->tok[p->b].len, p->sim);
		else if (p->a >= 0)
			app(buf, cap, &n, "  %.*s = (none)  w%.2f\n",
			    a->tok[p->a].s, a->tok[p->a].len, NULL, 0,
			    a->tok[p->a].w);
		else
			app(buf, cap, &n, "  (none) = %.*s  w%.2f\n",
			    b->tok[p->b].s, b->tok[p->b].len, NULL, 0,
			    b->tok[p->b].w);
	}
	if (n < cap) {
		int r = snprintf(buf + n, cap - n,
				 "  tokens %.3f; joined %.3f; legal form %s/%s"
				 "; score %.3f\n",
				 d->token_score, d->join_score,
				 lf[a->lf < 8 ? a->lf : 7],
				 lf[b->lf < 8 ? b->lf : 7], score);
		if (r > 0)
			n = n + (size_t)r >= cap ? cap - 1 : n + (size_t)r;
	}
	return n;
}
