/*
 * score_phon.c - token-level string measures split out of score.c: the
 * coarse phonetic key (score_phon) and the banded optimal-string-
 * alignment distance (score_lev_bounded).  Contracts in score.h.
 */
#include <stddef.h>
#include <string.h>

#include "score.h"

/* ---- coarse phonetic key ---- */

static int ph_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	       c == 'y';
}

/*
 * Consonant skeleton in classes: labials P (b p f v w ph), dentals T
 * (t d th, Greek "nt"), velars K (k g c q ck kh gh), sibilants S (s z
 * ts tz dz, c before e/i), palatals J (ch sh sch zh j dj cz sz cs zs
 * tsch tsj), liquids L (l r), M, N; vowels, h and vowel-like y/w (w
 * inside a word and next to no vowel: Hebrew vav) dropped; Hungarian gy/ty/ny before
 * a vowel are d/t/n; a Baltic ending (-as -is -us -ys -s) is cut from
 * words of six letters or more; doubles collapse.
 */
size_t score_phon(const char *t, size_t n, char *o, size_t cap)
{
	size_t i = 0, k = 0;

	if (cap == 0)
		return 0;
	if (n >= 6 && t[n - 1] == 's') {
		n--;
		if (n >= 6 && (t[n - 1] == 'a' || t[n - 1] == 'i' ||
			       t[n - 1] == 'u' || t[n - 1] == 'y'))
			n--;
	}
	while (i < n && k + 1 < cap) {
		char a = t[i], b = i + 1 < n ? t[i + 1] : 0,
		     c = i + 2 < n ? t[i + 2] : 0, out = 0;
		size_t m = 1;

		switch (a) {
		case 'b': case 'p': case 'f': case 'v':
			out = 'P';
			if (a == 'p' && b == 'h')
				m = 2;
			break;
		case 'w':
			if (i == 0 || ph_vowel(t[i - 1]) || ph_vowel(b))
				out = 'P';
			break;
		case 't':
			if (b == 's' && c == 'c' && i + 3 < n && t[i + 3] == 'h')
				out = 'J', m = 4;
			else if (b == 's' && c == 'j')
				out = 'J', m = 3;
			else if (b == 'c' && c == 'h')
				out = 'J', m = 3;
			else if (b == 's' || b == 'z')
				out = 'S', m = 2;
			else if (b == 'y' && ph_vowel(c))
				out = 'T', m = 2;
			else
				out = 'T', m = b == 'h' ? 2 : 1;
			break;
		case 'd':
			if (b == 'z' && c == 'h')
				out = 'J', m = 3;
			else if (b == 'j')
				out = 'J', m = 2;
			else if (b == 'z')
				out = 'S', m = 2;
			else
				out = 'T', m = b == 't' ? 2 : 1;
			break;
		case 'n':
			if (b == 't' && i > 0 && ph_vowel(t[i - 1]) && ph_vowel(c))
				out = 'T', m = 2; /* Greek ντ */
			else if (b == 'y' && ph_vowel(c))
				out = 'N', m = 2;
			else
				out = 'N';
			break;
		case 'g':
			if (b == 'y' && ph_vowel(c))
				out = 'T', m = 2; /* Hungarian gy */
			else
				out = 'K', m = b == 'h' ? 2 : 1;
			break;
		case 'k': case 'q':
			out = 'K', m = b == 'h' ? 2 : 1;
			break;
		case 'x':
			out = 'K';
			if (k + 2 < cap && (k == 0 || o[k - 1] != 'K'))
				o[k++] = 'K';
			out = 'S';
			break;
		case 'c':
			if (b == 'h' || b == 'z' || b == 's')
				out = 'J', m = 2;
			else if (b == 'k')
				out = 'K', m = 2;
			else
				out = (b == 'e' || b == 'i' || b == 'y') ? 'S' : 'K';
			break;
		case 's':
			if (b == 'c' && c == 'h')
				out = 'J', m = 3;
			else if (b == 'h' || b == 'z')
				out = 'J', m = 2;
			else
				out = 'S';
			break;
		case 'z':
			out = (b == 'h' || b == 's') ? 'J' : 'S';
			m = (b == 'h' || b == 's') ? 2 : 1;
			break;
		case 'j': out = 'J'; break;
		case 'l': case 'r': out = 'L'; break;
		case 'm': out = 'M'; break;
		default: break; /* vowels, y, h, digits */
		}
		i += m;
		if (!out || (k > 0 && o[k - 1] == out))
			continue;
		o[k++] = out;
	}
	o[k] = '\0';
	return k;
}

/* ---- edit distance ---- */

/*
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions), banded to |i - j| <= max.  Three rows: the
 * transposition step reads D[i-2][j-2] (an earlier version read
 * D[i-1][j-1] and undercounted: "bbabc"/"babac" gave 1, not 2).
 */
int score_lev_bounded(const char *a, size_t alen, const char *b,
		      size_t blen, int max)
{
	int rows[3][66], *r0 = rows[0], *r1 = rows[1], *r2 = rows[2];
	int i, j, cap;

	if (alen > 64)
		alen = 64;
	if (blen > 64)
		blen = 64;
	if (max < 0)
		return max + 1;
	if ((int)(alen > blen ? alen - blen : blen - alen) > max)
		return max + 1;
	cap = max + 1;
	for (j = 0; j <= (int)blen + 1; j++) {
		r1[j] = j <= max ? j : cap;
		r0[j] = cap;
	}
	for (i = 1; i <= (int)alen; i++) {
		int lo_j = i - max > 1 ? i - max : 1;
		int hi_j = i + max < (int)blen ? i + max : (int)blen;
		int lo = cap, *t;

		r2[lo_j - 1] = lo_j == 1 ? (i <= max ? i : cap) : cap;
		if (lo_j == 1)
			lo = r2[0];
		for (j = lo_j; j <= hi_j; j++) {
			int v = r1[j - 1] + (a[i - 1] != b[j - 1]);

			if (r1[j] + 1 < v)
				v = r1[j] + 1;
			if (r2[j - 1] + 1 < v)
				v = r2[j - 1] + 1;
			/* adjacent transposition costs one */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && r0[j - 2] + 1 < v)
				v = r0[j - 2] + 1;
			if (v > cap)
				v = cap;
			r2[j] = v;
			if (v < lo)
				lo = v;
		}
		if (hi_j < (int)blen)
			r2[hi_j + 1] = cap;
		if (lo > max)
			return cap;
		t = r0;
		r0 = r1;
		r1 = r2;
		r2 = t;
	}
	return r1[blen] > max ? cap : r1[blen];
}

