/*
 * translit.h - built-in romanisation of Cyrillic, Greek and Arabic
 * script words, one function per word, several standards per script.
 *
 * norm.c decodes, case folds and splits text into words; it hands each
 * word here as code points that are already lower case: ASCII letters
 * and digits, Cyrillic (U+0400..U+052F, lower case, not decomposed so
 * that й ё ї ў survive), Greek base letters (accents removed) and
 * Arabic-script letters.  translit_word() writes lower-case ASCII.
 *
 * Standards are numbered per script; index 0 is the default used on
 * the event side (norm_text), the others are enumerated on the list
 * side (norm_variants):
 *
 *   Russian     0 simplified BGN/PCGN  1 ICAO 9303  2 BGN/PCGN
 *               3 GOST 7.79 B  4 popular yo  5 popular io
 *               6 German (Duden)  7 French
 *   Ukrainian / Belarusian (TRANSLIT_F_UK)
 *               0 KMU 2010 national  1 BGN/PCGN  2 ICAO 9303
 *               3 Russian-style reading (g for г)
 *   Greek       0 ELOT 743 / ISO 843  1 phonetic  2 phonetic, b/d
 *               for μπ/ντ everywhere (foreign names)
 *   Arabic      0 "al " article  1 "el " article  2 article joined
 *               3 Persian reading (و as v, ه final as e)
 *
 * Arabic is written without short vowels, so the result is a consonant
 * skeleton with the long vowels ا و ي as a u i ("محمد" -> "mhmd"):
 * matching Arabic-script names relies mainly on the listed Latin
 * aliases.  Pure functions, const tables only.
 */
#ifndef INTERDICT_TRANSLIT_H
#define INTERDICT_TRANSLIT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Whole-text reading modes, detected by the caller over the text. */
#define TRANSLIT_F_UK 1u /* Ukrainian/Belarusian letters present */
#define TRANSLIT_F_FA 2u /* Persian/Urdu letters present */

enum translit_script {
	TRANSLIT_CYR = 0,
	TRANSLIT_GREEK,
	TRANSLIT_ARABIC,
	TRANSLIT__NSCRIPT
};

/* One standard per script; {0, 0, 0} is the default everywhere. */
typedef struct translit_std {
	unsigned char idx[TRANSLIT__NSCRIPT];
} translit_std;

/* Number of standards for script s under flags (at least 1). */
unsigned translit_nstd(enum translit_script s, unsigned flags);

/* Script of a (lower-case, decomposed) code point, or -1 for none. */
int translit_script_of(uint32_t cp);

/* Nonzero when translit_word() can romanise cp. */
int translit_known(uint32_t cp);

/* TRANSLIT_F_* flags that the presence of cp implies (0 for most). */
unsigned translit_flags_of(uint32_t cp);

/*
 * Romanise the word w[0..n) into dst (cap bytes, not NUL-terminated).
 * Output is lower-case ASCII letters and digits and, for the Arabic
 * article, single spaces splitting tokens.  Code points that are not
 * known are skipped.  Returns bytes written or -ENOSPC; cap >= 8 * n
 * + 8 always suffices.  Standards out of range fall back to 0.
 */
ssize_t translit_word(const translit_std *std, unsigned flags,
		      const uint32_t *w, size_t n, char *dst, size_t cap);

#endif
