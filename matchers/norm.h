/*
 * norm.h - the one normalisation used on both sides of every match.
 *
 * List names and event names go through the same function, so a name
 * can only match if it normalises the same way.  The canonical form is
 * lower-case ASCII letters and digits, tokens separated by exactly one
 * space, no leading/trailing space:
 *
 *   "AKSYONOV, Sergey Valeryevich"  -> "aksyonov sergey valeryevich"
 *   "Türkiye Halk Bankası A.Ş."     -> "turkiye halk bankasi as"
 *   "Сергей Аксёнов"                -> "sergey aksenov"  (default standard)
 *
 * Steps: UTF-8 validation; NFKD decomposition and case folding
 * (utf8proc); combining marks removed; letters that do not decompose
 * folded (ß->ss ø->o ł->l đ->d ı->i æ->ae œ->oe þ->th ...); Cyrillic
 * (Russian, Ukrainian, Belarusian), Greek and Arabic transliterated by
 * built-in tables; other scripts (Han, Hangul, Kana, Hebrew, ...)
 * through ICU's Any-Latin; apostrophes and periods deleted inside
 * tokens ("O'Brien" -> "obrien", "A.Ş." -> "as"); any other
 * punctuation or space becomes one token separator.
 *
 * Transliteration standards: the event side uses one default standard
 * (norm_text).  The list side calls norm_variants(), which yields every
 * distinct result of the common standards (ICAO 9303, BGN/PCGN,
 * GOST 7.79 / scholarly, and the default), so "Аксёнов" on a list
 * yields "aksyonov", "aksenov", "aksionov"... and an event written in
 * any of them meets one exactly.  Latin input has exactly one variant.
 *
 * Thread: a norm_ctx is owned by one thread (it caches an ICU
 * transliterator and scratch space).  Functions never allocate after
 * norm_ctx_new() except inside ICU for non-table scripts.
 */
#ifndef INTERDICT_NORM_H
#define INTERDICT_NORM_H

#include <stddef.h>
#include <sys/types.h>

#define NORM_MAX_VARIANTS 8

typedef struct norm_ctx norm_ctx;

/* Constructor / destructor.  NULL on ENOMEM. */
norm_ctx *norm_ctx_new(void);
void norm_ctx_free(norm_ctx *nc);

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int norm_utf8_valid(const char *s, size_t len);

/*
 * Normalise s[0..len) into out (cap bytes, NUL-terminated).  Returns
 * the length written (may be 0 for all-punctuation input), -EILSEQ on
 * invalid UTF-8, -ENOSPC when out is too small (out then holds a
 * truncated, still well-formed prefix ending at a token boundary).
 */
ssize_t norm_text(norm_ctx *nc, const char *s, size_t len, char *out,
		  size_t cap);

/*
 * List side: every distinct normalisation of s under the supported
 * transliteration standards, the norm_text() result first.  Calls
 * cb(ctx, variant, vlen) for each; returns the number of variants or
 * -errno.  At most NORM_MAX_VARIANTS.
 */
typedef int (*norm_variant_cb)(void *ctx, const char *v, size_t vlen);
int norm_variants(norm_ctx *nc, const char *s, size_t len,
		  norm_variant_cb cb, void *ctx);

/*
 * Legal forms.  norm_legal_form() tells whether the normalised token
 * sequence starting at tok (tokens separated by single spaces, length
 * len) begins with a legal-form designator such as "ooo", "llc", "ltd
 * sti", "limited liability company", "as", "gmbh", "fze", "pjsc",
 * "obshchestvo s ogranichennoy otvetstvennostyu"...  Returns the
 * number of bytes it spans (0 when none) and sets *kind to a canonical
 * family (NORM_LF_*) so that "OOO" and "LLC" compare equal.
 */
enum norm_lf_kind {
	NORM_LF_NONE = 0,
	NORM_LF_LLC,      /* ooo, llc, ltd, gmbh, sarl, sp zoo, tov ... */
	NORM_LF_JSC,      /* ao, zao, oao, jsc, cjsc, ojsc, as, ag, sa ... */
	NORM_LF_PJSC,     /* pao, pjsc, plc */
	NORM_LF_STATE,    /* fgup, gup, sue (state unitary enterprise) */
	NORM_LF_FREEZONE, /* fze, fzco, fzc, fz llc */
	NORM_LF_PARTNER,  /* llp, lp, kg, sti (Turkish partnerships) */
	NORM_LF_OTHER,    /* inc, corp, co, company, bv, nv, oy, ab, ... */
	NORM_LF__COUNT
};
size_t norm_legal_form(const char *tok, size_t len, enum norm_lf_kind *kind);

/*
 * "SURNAME, Given Names" (a single comma, as lists write persons):
 * writes "given names surname" normalised into out.  Returns length,
 * 0 when s has no such comma, or -errno as norm_text().
 */
ssize_t norm_person_reorder(norm_ctx *nc, const char *s, size_t len,
			    char *out, size_t cap);

#endif
