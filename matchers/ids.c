/*
 * ids.c - identifier validation and canonical keys.
 *
 * An identifier hit is the strongest evidence a screener has, so the
 * same number must produce the same key however it was written: the
 * list's "IMO 9179842" and the event's "9179842", an IBAN with group
 * spaces and one without, a branch BIC and its head office.  Checksums
 * matter twice: they tell a typo from a different identifier, and in
 * free text they are what separates an IMO number from an invoice
 * number.  Lists do carry invalid numbers, though, so validation never
 * hides a value: ids_key_raw() gives a forgiving key for those.
 *
 * Everything here is pure computation on caller buffers: no state, no
 * allocation, safe from any thread.
 *
 * The text scanner walks tokens (runs of letters and digits) once,
 * remembering whether the previous token was a keyword ("IMO", "BIC",
 * "INN", "ИНН"...).  Without a keyword it only reports what carries
 * its own proof: a checksum (IBAN, IMO) or an unmistakable shape (ETH,
 * bech32, a capitalised BIC with a real country code).
 */
#include "ids.h"

#include <errno.h>
#include <string.h>

#include "country.h"

static int ids_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int ids_is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int ids_is_alnum(char c)
{
	return ids_is_digit(c) || ids_is_upper(c) || (c >= 'a' && c <= 'z');
}

static char ids_upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
}

static char ids_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static int ids_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ids_is_digit(s[i]))
			return 0;
	return n > 0;
}

/* Upper-case alphanumerics of s into out; length or -ENOSPC. */
static int ids_alnum_upper(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (!ids_is_alnum(s[i]))
			continue;
		if (n + 1 >= cap)
			return -ENOSPC;
		out[n++] = ids_upper(s[i]);
	}
	if (cap)
		out[n] = '\0';
	return cap ? (int)n : -ENOSPC;
}

int ids_imo_valid(const char *d)
{
	int sum = 0;

	if (!ids_all_digits(d, 7))
		return 0;
	for (int i = 0; i < 6; i++)
		sum += (d[i] - '0') * (7 - i);
	return sum % 10 == d[6] - '0';
}

static int ids_weighted(const char *d, const int *w, int n)
{
	int sum = 0;

	for (int i = 0; i < n; i++)
		sum += (d[i] - '0') * w[i];
	return sum % 11 % 10;
}

int ids_inn_valid(const char *d, size_t n)
{
	static const int w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };

	if (!ids_all_digits(d, n))
		return 0;
	if (n == 10)
		return ids_weighted(d, w10, 9) == d[9] - '0';
	if (n == 12)
		return ids_weighted(d, w11, 10) == d[10] - '0' &&
		       ids_weighted(d, w12, 11) == d[11] - '0';
	return 0;
}

int ids_ogrn_valid(const char *d, size_t n)
{
	unsigned long long v = 0;
	unsigned mod;

	if (!ids_all_digits(d, n) || (n != 13 && n != 15))
		return 0;
	for (size_t i = 0; i + 1 < n; i++)
		v = v * 10 + (unsigned)(d[i] - '0');
	mod = n == 13 ? 11 : 13;
	return (int)(v % mod % 10) == d[n - 1] - '0';
}

/* ISO 7064 mod 97-10 over letters (A=10..Z=35) and digits. */
static int ids_mod97(const char *s, size_t n)
{
	unsigned r = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (ids_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else if (ids_is_upper(c))
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
		else
			return -1;
	}
	return (int)r;
}

/* IBAN lengths by country (SWIFT IBAN registry), "CCnn" sorted. */
static const char ids_iban_len[] =
	"AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24"
	"DE22DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27"
	"GT28HR21HU28IE22IL23IQ23IS26IT27JO30KW30KZ20LB28LC32LI21LT20LU20"
	"LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24PL28"
	"PS29PT25QA29RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28"
	"TL23TN24TR26UA29VA22VG24XK20YE30";

/* Expected IBAN length for a country, 0 when it has no IBAN. */
static int ids_iban_length(const char *cc)
{
	for (size_t i = 0; i + 4 <= sizeof(ids_iban_len) - 1; i += 4)
		if (ids_iban_len[i] == cc[0] && ids_iban_len[i + 1] == cc[1])
			return (ids_iban_len[i + 2] - '0') * 10 +
			       ids_iban_len[i + 3] - '0';
	return 0;
}

int ids_iban_valid(const char *s, size_t n)
{
	char cc[3];
	unsigned r = 0;
	int a, b;

	if (n < 15 || n > 34 || !ids_is_upper(s[0]) || !ids_is_upper(s[1]) ||
	    !ids_is_digit(s[2]) || !ids_is_digit(s[3]))
		return 0;
	cc[0] = s[0];
	cc[1] = s[1];
	cc[2] = '\0';
	if ((size_t)ids_iban_length(cc) != n)
		return 0;
	/* rearranged: BBAN then country and check digits */
	a = ids_mod97(s + 4, n - 4);
	b = ids_mod97(s, 4);
	if (a < 0 || b < 0)
		return 0;
	r = (unsigned)a;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		if (ids_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return r == 1;
}

int ids_lei_valid(const char *s, size_t n)
{
	if (n != 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!ids_is_digit(s[i]) && !ids_is_upper(s[i]))
			return 0;
	if (!ids_is_digit(s[18]) || !ids_is_digit(s[19]))
		return 0;
	return ids_mod97(s, n) == 1;
}

/* BIC structure on an upper-case alphanumeric key of length n. */
static int ids_bic_shape(const char *k, size_t n)
{
	char cc[3] = { k[4], k[5], '\0' };

	if (n != 8 && n != 11)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!ids_is_upper(k[i]) && !ids_is_digit(k[i]))
			return 0;
	if (!ids_is_upper(k[4]) || !ids_is_upper(k[5]) || !country_valid(cc))
		return 0;
	for (size_t i = 6; i < n; i++)
		if (!ids_is_upper(k[i]) && !ids_is_digit(k[i]))
			return 0;
	return 1;
}

int ids_bic8(const char *s, size_t len, char out[9])
{
	char k[IDS_KEY_MAX];
	int n = ids_alnum_upper(s, len, k, sizeof(k));

	if (n < 0 || !ids_bic_shape(k, (size_t)n))
		return -EINVAL;
	memcpy(out, k, 8);
	out[8] = '\0';
	return 8;
}

static const char ids_b58[] =
	"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
static const char ids_bech32[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

static int ids_in_set(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return 0;
	return 1;
}

/*
 * Crypto address shape: returns 1 and writes the canonical form when
 * s (already trimmed of non-alphanumerics) is a recognised shape.
 */
static int ids_crypto_shape(const char *s, size_t n, char *out)
{
	if (n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (size_t i = 0; i < n; i++) {
			out[i] = ids_lower(s[i]);
			if (i >= 2 && !strchr("0123456789abcdef", out[i]))
				return 0;
		}
		return 1;
	}
	if (n >= 14 && n <= 90) {
		size_t hrp = 0;
		for (size_t i = 0; i < n; i++)
			out[i] = ids_lower(s[i]);
		if (!strncmp(out, "bc1", 3) || !strncmp(out, "tb1", 3))
			hrp = 3;
		else if (!strncmp(out, "ltc1", 4))
			hrp = 4;
		if (hrp && ids_in_set(out + hrp, n - hrp, ids_bech32))
			return 1;
	}
	memcpy(out, s, n);
	if (n >= 25 && n <= 106 && ids_in_set(s, n, ids_b58))
		return 1; /* BTC 1/3, TRX T, LTC L/M, XMR 4/8, DASH X... */
	return 0;
}

int ids_key_raw(wl_id_type t, const char *s, size_t len, char *out,
		size_t cap)
{
	size_t n = 0;
	int r;

	if (!s || !cap)
		return cap ? 0 : -ENOSPC;
	if (t != WL_ID_CRYPTO) {
		r = ids_alnum_upper(s, len, out, cap);
		if (r > 3 && t == WL_ID_IMO && !strncmp(out, "IMO", 3)) {
			memmove(out, out + 3, (size_t)r - 2);
			r -= 3;
		}
		return r;
	}
	for (size_t i = 0; i < len; i++) {
		if (!ids_is_alnum(s[i]))
			continue;
		if (n + 1 >= cap)
			return -ENOSPC;
		out[n++] = s[i];
	}
	out[n] = '\0';
	if (n > 2 && out[0] == '0' && (out[1] == 'x' || out[1] == 'X'))
		for (size_t i = 0; i < n; i++)
			out[i] = ids_lower(out[i]);
	return (int)n;
}

/* Type-specific check of a raw key k (length n, upper case except
 * crypto); may rewrite k in place. Returns the canonical length or
 * -EINVAL. */
static int ids_check(wl_id_type t, char *k, size_t n, size_t cap)
{
	char tmp[IDS_KEY_MAX];

	switch (t) {
	case WL_ID_BIC:
		if (!ids_bic_shape(k, n))
			return -EINVAL;
		if (n == 8) {
			if (cap < 12)
				return -ENOSPC;
			memcpy(k + 8, "XXX", 4);
			n = 11;
		}
		return (int)n;
	case WL_ID_IBAN:
		return ids_iban_valid(k, n) ? (int)n : -EINVAL;
	case WL_ID_IMO:
		return n == 7 && ids_imo_valid(k) ? 7 : -EINVAL;
	case WL_ID_MMSI:
		return n == 9 && ids_all_digits(k, n) ? 9 : -EINVAL;
	case WL_ID_INN:
		return ids_inn_valid(k, n) ? (int)n : -EINVAL;
	case WL_ID_OGRN:
		return ids_ogrn_valid(k, n) ? (int)n : -EINVAL;
	case WL_ID_KPP:
		if (n != 9 || !ids_all_digits(k, 4) ||
		    !ids_all_digits(k + 6, 3))
			return -EINVAL;
		return 9;
	case WL_ID_LEI:
		return ids_lei_valid(k, n) ? 20 : -EINVAL;
	case WL_ID_CRYPTO:
		if (n >= sizeof(tmp) || !ids_crypto_shape(k, n, tmp))
			return -EINVAL;
		memcpy(k, tmp, n);
		return (int)n;
	default:
		return n > 0 ? (int)n : -EINVAL;
	}
}

int ids_normalize(wl_id_type t, const char *s, size_t len, char *out,
		  size_t cap)
{
	int n;

	if ((unsigned)t >= WL_ID__COUNT)
		t = WL_ID_OTHER;
	n = ids_key_raw(t, s, len, out, cap);
	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	return ids_check(t, out, (size_t)n, cap);
}

int ids_match_key(wl_id_type t, const char *s, size_t len, char *out,
		  size_t cap, int *valid)
{
	int n = ids_normalize(t, s, len, out, cap);

	if (valid)
		*valid = n > 0;
	if (n == -ENOSPC)
		return n;
	if (n < 0)
		n = ids_key_raw(t, s, len, out, cap);
	if (n <= 0)
		return n < 0 ? n : -EINVAL;
	if (t == WL_ID_BIC && n >= 8) {
		out[8] = '\0';
		n = 8;
	}
	return n;
}

enum ids_kw {
	IDS_KW_NONE = 0,
	IDS_KW_FILLER,
	IDS_KW_IMO,
	IDS_KW_BIC,
	IDS_KW_INN,
	IDS_KW_OGRN,
	IDS_KW_KPP,
};

struct ids_kwdef {
	const char *word; /* upper case (Cyrillic as both cases) */
	enum ids_kw kw;
};

static const struct ids_kwdef ids_keywords[] = {
	{ "IMO", IDS_KW_IMO },	   { "BIC", IDS_KW_BIC },
	{ "SWIFT", IDS_KW_BIC },   { "SWIFTBIC", IDS_KW_BIC },
	{ "INN", IDS_KW_INN },	   { "OGRN", IDS_KW_OGRN },
	{ "OGRNIP", IDS_KW_OGRN }, { "KPP", IDS_KW_KPP },
	{ "ИНН", IDS_KW_INN },	   { "инн", IDS_KW_INN },
	{ "ОГРН", IDS_KW_OGRN },   { "огрн", IDS_KW_OGRN },
	{ "ОГРНИП", IDS_KW_OGRN }, { "КПП", IDS_KW_KPP },
	{ "CODE", IDS_KW_FILLER }, { "NO", IDS_KW_FILLER },
	{ "NR", IDS_KW_FILLER },   { "NUMBER", IDS_KW_FILLER },
	{ "NUM", IDS_KW_FILLER },  { "ID", IDS_KW_FILLER },
};

static enum ids_kw ids_keyword(const char *s, size_t n)
{
	char up[16];

	if (n >= sizeof(up))
		return IDS_KW_NONE;
	for (size_t i = 0; i < n; i++)
		up[i] = ids_upper(s[i]);
	up[n] = '\0';
	for (size_t i = 0; i < sizeof(ids_keywords) / sizeof(ids_keywords[0]);
	     i++)
		if (!strcmp(up, ids_keywords[i].word))
			return ids_keywords[i].kw;
	return IDS_KW_NONE;
}

struct ids_scan {
	const char *text;
	size_t len;
	ids_scan_cb cb;
	void *ctx;
	int found;
};

static void ids_emit(struct ids_scan *sc, wl_id_type t, const char *s,
		     size_t n, size_t off, size_t end)
{
	char key[IDS_KEY_MAX];
	int valid, k = ids_match_key(t, s, n, key, sizeof(key), &valid);

	if (k <= 0 || !valid)
		return;
	if (sc->cb)
		sc->cb(sc->ctx, t, key, (size_t)k, off, end - off);
	sc->found++;
}

static int ids_tok_char(unsigned char c)
{
	return ids_is_alnum((char)c) || c >= 0x80;
}

/*
 * An IBAN starting at off, group spaces or dashes allowed: copies its
 * characters to out and returns the source end, or 0.
 */
static size_t ids_scan_iban(const struct ids_scan *sc, size_t off, char *out)
{
	char cc[3] = { ids_upper(sc->text[off]), ids_upper(sc->text[off + 1]),
		       '\0' };
	int want = ids_iban_length(cc);
	size_t i = off;
	int n = 0;

	if (!want)
		return 0;
	while (i < sc->len && n < want) {
		char c = sc->text[i];
		if (ids_is_alnum(c)) {
			out[n++] = ids_upper(c);
			i++;
		} else if ((c == ' ' || c == '-') && i + 1 < sc->len &&
			   ids_is_alnum(sc->text[i + 1]) && n % 4 == 0) {
			i++;
		} else {
			break;
		}
	}
	if (n != want || (i < sc->len && ids_is_alnum(sc->text[i])))
		return 0;
	return ids_iban_valid(out, (size_t)n) ? i : 0;
}

/* 1 when a digit token is glued to a number by '.', ',' or '/'. */
static int ids_in_number(const struct ids_scan *sc, size_t off, size_t end)
{
	const char *t = sc->text;

	if (off >= 2 && strchr(".,/-", t[off - 1]) && ids_is_digit(t[off - 2]))
		return 1;
	return end + 1 < sc->len && strchr(".,/-", t[end]) &&
	       ids_is_digit(t[end + 1]);
}

static int ids_caps_token(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!ids_is_upper(s[i]) && !ids_is_digit(s[i]))
			return 0;
	for (size_t i = 0; i < 6; i++)
		if (!ids_is_upper(s[i]))
			return 0;
	return 1;
}

/* Identifier announced by a keyword; 1 when one was reported. */
static int ids_after_keyword(struct ids_scan *sc, enum ids_kw kw,
			     const char *s, size_t n, size_t off)
{
	static const wl_id_type map[] = {
		[IDS_KW_IMO] = WL_ID_IMO,   [IDS_KW_BIC] = WL_ID_BIC,
		[IDS_KW_INN] = WL_ID_INN,   [IDS_KW_OGRN] = WL_ID_OGRN,
		[IDS_KW_KPP] = WL_ID_KPP,
	};
	int before = sc->found;

	if (kw < IDS_KW_IMO)
		return 0;
	ids_emit(sc, map[kw], s, n, off, off + n);
	return sc->found > before;
}

/* Self-proving identifiers in one token; returns where to continue. */
static size_t ids_token(struct ids_scan *sc, const char *s, size_t n,
			size_t off)
{
	char buf[40];
	size_t end = off + n;

	if (n >= 4 && ids_is_alnum(s[0]) && !ids_is_digit(s[0]) &&
	    !ids_is_digit(s[1]) && ids_is_digit(s[2]) && ids_is_digit(s[3])) {
		size_t e = ids_scan_iban(sc, off, buf);
		if (e) {
			ids_emit(sc, WL_ID_IBAN, buf, (size_t)ids_iban_length(
				(char[3]){ buf[0], buf[1], 0 }), off, e);
			return e;
		}
	}
	if (n == 10 && ids_keyword(s, 3) == IDS_KW_IMO) {
		ids_emit(sc, WL_ID_IMO, s + 3, 7, off, end);
	} else if (n == 7 && ids_all_digits(s, 7)) {
		if (ids_imo_valid(s) && !ids_in_number(sc, off, end))
			ids_emit(sc, WL_ID_IMO, s, 7, off, end);
	} else if ((n == 8 || n == 11) && ids_caps_token(s, n)) {
		ids_emit(sc, WL_ID_BIC, s, n, off, end);
	} else if (n == 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		ids_emit(sc, WL_ID_CRYPTO, s, n, off, end);
	} else if (n >= 42 && n <= 62 &&
		   (!strncmp(s, "bc1", 3) || !strncmp(s, "BC1", 3))) {
		ids_emit(sc, WL_ID_CRYPTO, s, n, off, end);
	} else if ((((s[0] == '1' || s[0] == '3') && n >= 26 && n <= 35) ||
		    (s[0] == 'T' && n == 34)) && ids_in_set(s, n, ids_b58)) {
		ids_emit(sc, WL_ID_CRYPTO, s, n, off, end);
	}
	return end;
}

int ids_scan_text(const char *text, size_t len, ids_scan_cb cb, void *ctx)
{
	struct ids_scan sc = { text, len, cb, ctx, 0 };
	enum ids_kw pending = IDS_KW_NONE;
	size_t i = 0;

	if (!text)
		return 0;
	while (i < len) {
		const unsigned char *u = (const unsigned char *)text;
		size_t off, n;
		enum ids_kw kw;

		if (!ids_tok_char(u[i])) {
			i++;
			continue;
		}
		off = i;
		while (i < len && ids_tok_char(u[i]))
			i++;
		n = i - off;
		kw = ids_keyword(text + off, n);
		if (kw == IDS_KW_FILLER && pending != IDS_KW_NONE)
			continue;
		if (kw >= IDS_KW_IMO) {
			pending = kw;
			continue;
		}
		if (ids_after_keyword(&sc, pending, text + off, n, off)) {
			pending = IDS_KW_NONE;
			continue;
		}
		pending = IDS_KW_NONE;
		i = ids_token(&sc, text + off, n, off);
	}
	return sc.found;
}
