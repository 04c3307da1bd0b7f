/*
 * country.h - ISO 3166-1 countries: codes, names, adjectives, and the
 * sub-national regions sanctions single out (Crimea, Donetsk,
 * Luhansk, Zaporizhzhia, Kherson, Sevastopol).
 *
 * The tables are const; every function is pure and thread safe.
 */
#ifndef INTERDICT_COUNTRY_H
#define INTERDICT_COUNTRY_H

#include <stddef.h>

/* Region codes outside ISO used for occupied regions of Ukraine. */
#define COUNTRY_REGION_NONE 0

/*
 * Resolve an alpha-2 code ("RU"), alpha-3 ("RUS"), English or common
 * local name ("Russia", "Russian Federation", "Türkiye", "Turkey",
 * "Turkiye", "UAE", "Korea, North"), or a nationality adjective
 * ("Russian", "Iranian") into an upper-case alpha-2 code in out[3].
 * Case and diacritics insensitive, surrounding spaces and punctuation
 * ignored.  Returns 0 or -ENOENT.
 */
int country_lookup(const char *s, size_t len, char out[3]);

/* English short name for an alpha-2 code, or NULL. */
const char *country_name(const char *cc);

/* 1 when cc (alpha-2, any case) is a valid assigned code. */
int country_valid(const char *cc);

/*
 * Scan free text (an address) for country names and sanctioned
 * regions.  For each found, calls cb(ctx, cc, region, offset, len)
 * where region is NULL for a country and e.g. "Crimea" for a region
 * (cc then is "UA").  Returns the number of matches.
 */
typedef void (*country_scan_cb)(void *ctx, const char *cc,
				const char *region, size_t off, size_t len);
int country_scan(const char *text, size_t len, country_scan_cb cb,
		 void *ctx);

/*
 * Fold text the way the tables are keyed: lower-case ASCII, Latin
 * diacritics removed (ü->u, ı->i, ß->ss), apostrophes and dots dropped,
 * other punctuation one space, trimmed.  Returns the length written to
 * out (NUL-terminated) or -ENOSPC.
 */
int country_fold(const char *s, size_t len, char *out, size_t cap);

/* ISO alpha-3 code for an alpha-2 code (any case), or NULL. */
const char *country_alpha3(const char *cc);

/*
 * Regions: small integers 0..country_region_count()-1 naming the
 * occupied regions of Ukraine ("Crimea", "Sevastopol", "Donetsk",
 * "Luhansk", "Zaporizhzhia", "Kherson").  country_region_lookup()
 * accepts the display name or any spelling the scanner knows ("Krym",
 * "DNR", "Lugansk"...) and returns the index or -ENOENT.
 */
int country_region_lookup(const char *s, size_t len);
const char *country_region_name(int region);
int country_region_count(void);

/* Consistency of the const tables (sorted, folded); 0 when fine.  For
 * the unit test. */
int country_selfcheck(void);

#endif
