/*
 * model_util.c - small parsers and name tables shared by every loader:
 * partial dates as lists write them, the script of a name, and the
 * printable names of the model's enums.  Pure functions, no state.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "model.h"

static const char *const months[12] = { "jan", "feb", "mar", "apr",
					"may", "jun", "jul", "aug",
					"sep", "oct", "nov", "dec" };

static int month_of(const char *s, size_t len)
{
	if (len < 3)
		return 0;
	for (int i = 0; i < 12; i++)
		if (!strncasecmp(s, months[i], 3))
			return i + 1;
	return 0;
}

/* Split into up to 3 tokens of digits or letters. */
typedef struct dtok {
	const char *p;
	size_t len;
	int num; /* value when all digits, else -1 */
} dtok;

static int date_tokens(const char *s, size_t len, dtok *t, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		size_t j;

		if (!isalnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		j = i;
		if (isdigit((unsigned char)s[i])) {
			while (j < len && isdigit((unsigned char)s[j]))
				j++;
		} else {
			while (j < len && isalpha((unsigned char)s[j]))
				j++;
		}
		if (n == max)
			return -1;
		t[n].p = s + i;
		t[n].len = j - i;
		t[n].num = -1;
		if (isdigit((unsigned char)s[i]) && j - i <= 4) {
			t[n].num = 0;
			for (size_t k = i; k < j; k++)
				t[n].num = t[n].num * 10 + (s[k] - '0');
		}
		n++;
		i = j;
	}
	return n;
}

static int date_ok(wl_date *d)
{
	if (d->year < 1800 || d->year > 2100 || d->month > 12 || d->day > 31)
		return -EINVAL;
	if (d->day && !d->month)
		return -EINVAL;
	return 0;
}

int wl_date_parse(const char *s, size_t len, wl_date *out)
{
	dtok t[4];
	int n, skip = 0;
	wl_date d = { 0, 0, 0 };

	n = date_tokens(s, len, t, 4);
	if (n <= 0)
		return -EINVAL;
	/* Leading qualifiers: "circa 1972", "approximately 1970". */
	while (skip < n && t[skip].num < 0 && !month_of(t[skip].p, t[skip].len))
		skip++;
	n -= skip;
	memmove(t, t + skip, (size_t)n * sizeof(*t));
	if (n == 1 && t[0].len == 4 && t[0].num >= 0) {
		d.year = (uint16_t)t[0].num;
	} else if (n == 2 && t[0].len == 4 && t[1].num > 0) {
		d.year = (uint16_t)t[0].num; /* 1972-11 */
		d.month = (uint8_t)t[1].num;
	} else if (n == 2 && t[1].len == 4 && t[1].num >= 0) {
		int m = t[0].num >= 0 ? t[0].num : month_of(t[0].p, t[0].len);

		d.year = (uint16_t)t[1].num; /* Nov 1972, 11.1972 */
		d.month = (uint8_t)m;
		if (!m)
			return -EINVAL;
	} else if (n == 3 && t[0].len == 4 && t[0].num >= 0) {
		d.year = (uint16_t)t[0].num; /* 1972-11-26 */
		d.month = (uint8_t)(t[1].num >= 0 ? t[1].num :
						    month_of(t[1].p, t[1].len));
		d.day = (uint8_t)(t[2].num >= 0 ? t[2].num : 0);
	} else if (n == 3 && t[2].len == 4 && t[2].num >= 0) {
		int m = t[1].num >= 0 ? t[1].num : month_of(t[1].p, t[1].len);

		if (t[0].num < 0) { /* "Nov 26 1972"? */
			m = month_of(t[0].p, t[0].len);
			d.day = (uint8_t)(t[1].num > 0 ? t[1].num : 0);
		} else {
			d.day = (uint8_t)t[0].num; /* 26 Nov 1972, 26.11.1972 */
		}
		d.year = (uint16_t)t[2].num;
		d.month = (uint8_t)m;
	} else {
		return -EINVAL;
	}
	if (date_ok(&d) < 0)
		return -EINVAL;
	*out = d;
	return 0;
}

/* Decode one UTF-8 code point; returns its length or 1 on bad input. */
static size_t cp_next(const unsigned char *s, size_t len, unsigned *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0 && len >= 2) {
		*cp = ((unsigned)(s[0] & 0x1f) << 6) | (s[1] & 0x3f);
		return 2;
	}
	if ((s[0] & 0xf0) == 0xe0 && len >= 3) {
		*cp = ((unsigned)(s[0] & 0x0f) << 12) |
		      ((unsigned)(s[1] & 0x3f) << 6) | (s[2] & 0x3f);
		return 3;
	}
	if ((s[0] & 0xf8) == 0xf0 && len >= 4) {
		*cp = ((unsigned)(s[0] & 0x07) << 18) |
		      ((unsigned)(s[1] & 0x3f) << 12) |
		      ((unsigned)(s[2] & 0x3f) << 6) | (s[3] & 0x3f);
		return 4;
	}
	*cp = 0xfffd;
	return 1;
}

static wl_script script_of_cp(unsigned cp)
{
	if (cp < 0x250 || (cp >= 0x1e00 && cp < 0x1f00))
		return WL_SCRIPT_LATIN;
	if (cp >= 0x370 && cp < 0x400)
		return WL_SCRIPT_GREEK;
	if (cp >= 0x400 && cp < 0x530)
		return WL_SCRIPT_CYRILLIC;
	if ((cp >= 0x600 && cp < 0x700) || (cp >= 0x750 && cp < 0x780) ||
	    (cp >= 0xfb50 && cp < 0xfe00) || (cp >= 0xfe70 && cp < 0xff00))
		return WL_SCRIPT_ARABIC;
	if ((cp >= 0x3040 && cp < 0x3100) || (cp >= 0x3400 && cp < 0xa000) ||
	    (cp >= 0xac00 && cp < 0xd7b0) || (cp >= 0x1100 && cp < 0x1200) ||
	    (cp >= 0x3130 && cp < 0x3190) || (cp >= 0xf900 && cp < 0xfb00))
		return WL_SCRIPT_CJK;
	if (cp >= 0x2000 && cp < 0x2070)
		return WL_SCRIPT_LATIN; /* punctuation */
	return WL_SCRIPT_OTHER;
}

wl_script wl_script_of(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned cp;
		wl_script sc;

		i += cp_next(p + i, len - i, &cp);
		if (cp < 0x80)
			continue;
		sc = script_of_cp(cp);
		if (sc != WL_SCRIPT_LATIN)
			return sc;
	}
	return WL_SCRIPT_LATIN;
}

static const char *const ent_names[WL_ENT__COUNT] = {
	"unknown", "person", "organization", "vessel", "aircraft", "wallet"
};

const char *wl_ent_type_name(wl_ent_type t)
{
	return (unsigned)t < WL_ENT__COUNT ? ent_names[t] : "unknown";
}

static const char *const id_names[WL_ID__COUNT] = {
	"other", "bic", "iban", "account", "imo", "mmsi", "inn", "ogrn",
	"kpp", "lei", "passport", "national_id", "tax_id", "registration",
	"crypto", "call_sign"
};

const char *wl_id_type_name(wl_id_type t)
{
	return (unsigned)t < WL_ID__COUNT ? id_names[t] : "other";
}

wl_id_type wl_id_type_from_name(const char *s, size_t len)
{
	for (int i = 0; i < WL_ID__COUNT; i++)
		if (strlen(id_names[i]) == len && !strncasecmp(s, id_names[i], len))
			return (wl_id_type)i;
	if (len == 5 && !strncasecmp(s, "swift", 5))
		return WL_ID_BIC;
	if (len == 3 && !strncasecmp(s, "tax", 3))
		return WL_ID_TAX;
	return WL_ID_OTHER;
}

static const char *const strength_names[WL_NAME__COUNT] = {
	"primary", "strong", "weak", "former"
};

const char *wl_name_strength_name(wl_name_strength s)
{
	return (unsigned)s < WL_NAME__COUNT ? strength_names[s] : "weak";
}
