/*
 * loadgen_gen.h - header-only part of the load generator: seeded RNG,
 * a growable byte buffer with JSON string escaping, the innocent-name
 * corpus (../shared/eval/negatives_us.csv plus a generator of people
 * from several cultures and companies with legal forms) and valid
 * identifiers (IBAN with mod-97 check digits, BIC, IMO with its check
 * digit).
 *
 * Header-only because every bench/NAME.c is one program (Makefile);
 * interdict-loadgen and interdict-bench-match both include it.  All
 * functions are `static inline` so a program that uses only some of
 * them still builds with -Werror.  Nothing here has global mutable
 * state: the RNG is a value (splitmix64) the caller seeds per event
 * (seed ^ event number), so event N is a pure function of (seed, N)
 * and output is byte-identical across runs and thread counts.
 */
#ifndef INTERDICT_LOADGEN_GEN_H
#define INTERDICT_LOADGEN_GEN_H

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "country.h"
#include "ids.h"

/* ---- RNG ---- */

typedef struct lg_rng {
	uint64_t s;
} lg_rng;

static inline uint64_t lg_u64(lg_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline lg_rng lg_rng_for(uint64_t seed, uint64_t n)
{
	lg_rng r = { seed * 0x2545f4914f6cdd1dull ^ (n + 1) * 0x9e3779b97f4a7c15ull };

	lg_u64(&r);
	return r;
}

/* Uniform in [0, n); n > 0. */
static inline uint32_t lg_below(lg_rng *r, uint32_t n)
{
	return (uint32_t)(((lg_u64(r) >> 32) * (uint64_t)n) >> 32);
}

static inline int lg_chance(lg_rng *r, double p)
{
	return (double)(lg_u64(r) >> 11) * 0x1.0p-53 < p;
}

#define LG_PICK(r, arr) ((arr)[lg_below((r), sizeof(arr) / sizeof((arr)[0]))])

/* ---- buffer ---- */

typedef struct lg_buf {
	char *p;
	size_t len, cap;
	int oom;
} lg_buf;

static inline int lg_reserve(lg_buf *b, size_t more)
{
	size_t want = b->len + more + 1;
	char *np;

	if (want <= b->cap)
		return 0;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (want < 256)
		want = 256;
	np = realloc(b->p, want);
	if (!np) {
		b->oom = 1;
		return -ENOMEM;
	}
	b->p = np;
	b->cap = want;
	return 0;
}

static inline void lg_put(lg_buf *b, const char *s, size_t n)
{
	if (lg_reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static inline void lg_puts(lg_buf *b, const char *s)
{
	lg_put(b, s, strlen(s));
}

static inline void lg_printf(lg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static inline void lg_printf(lg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || lg_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* "s" as a JSON string (quotes included); UTF-8 passes through. */
static inline void lg_json_str(lg_buf *b, const char *s)
{
	lg_put(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			lg_put(b, e, 2);
		} else if (c < 0x20) {
			lg_printf(b, "\\u%04x", c);
		} else {
			lg_put(b, s, 1);
		}
	}
	lg_put(b, "\"", 1);
}

/* ,"key":"value" */
static inline void lg_kv(lg_buf *b, const char *key, const char *value)
{
	lg_printf(b, ",\"%s\":", key);
	lg_json_str(b, value);
}

static inline void lg_buf_free(lg_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* Copy src into dst[cap], truncated at a UTF-8 character boundary. */
static inline void lg_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--; /* src[n] now starts a character: cut before it */
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ---- identifiers ---- */

/* mod 97 of the IBAN's rearranged digits (letters A=10..Z=35). */
static inline unsigned lg_iban_mod(const char *bban, const char *cc)
{
	char tmp[64];
	unsigned m = 0;

	snprintf(tmp, sizeof(tmp), "%s%s00", bban, cc);
	for (const char *p = tmp; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			m = (m * 100 + (unsigned)(*p - 'A' + 10)) % 97;
		else
			m = (m * 10 + (unsigned)(*p - '0')) % 97;
	}
	return m;
}

typedef struct lg_iban_fmt {
	const char *cc;
	const char *shape; /* BBAN: 'n' digit, 'a' letter, 'c' alnum */
} lg_iban_fmt;

static const lg_iban_fmt lg_iban_fmts[] = {
	{ "DE", "nnnnnnnnnnnnnnnnnn" }, { "GB", "aaaannnnnnnnnnnnnn" },
	{ "FR", "nnnnnnnnnnnnnnnnnnnnnnn" }, { "NL", "aaaannnnnnnnnn" },
	{ "ES", "nnnnnnnnnnnnnnnnnnnn" }, { "IT", "annnnnnnnnnnnnnnnnnnnnn" },
	{ "CH", "nnnnnnnnnnnnnnnnn" }, { "AT", "nnnnnnnnnnnnnnnn" },
	{ "BE", "nnnnnnnnnnnn" }, { "TR", "nnnnn0nnnnnnnnnnnnnnnn" },
	{ "AE", "nnnnnnnnnnnnnnnnnnn" }, { "PL", "nnnnnnnnnnnnnnnnnnnnnnnn" },
	{ "SE", "nnnnnnnnnnnnnnnnnnnn" }, { "DK", "nnnnnnnnnnnnnn" },
};

/* A valid IBAN of country fmt into out (>= 35 bytes). */
static inline void lg_iban(lg_rng *r, const lg_iban_fmt *f, char *out)
{
	char bban[32];
	size_t i, n = strlen(f->shape);
	unsigned check;

	for (i = 0; i < n && i < sizeof(bban) - 1; i++) {
		char k = f->shape[i];

		if (k == 'n')
			bban[i] = (char)('0' + lg_below(r, 10));
		else if (k == 'a')
			bban[i] = (char)('A' + lg_below(r, 26));
		else
			bban[i] = k;
	}
	bban[i] = '\0';
	check = 98 - lg_iban_mod(bban, f->cc);
	snprintf(out, 35, "%s%02u%s", f->cc, check, bban);
}

/* A structurally valid BIC of country cc (8 or 11 chars). */
static inline void lg_bic(lg_rng *r, const char *cc, char *out)
{
	static const char alnum[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	int i;

	for (i = 0; i < 4; i++)
		out[i] = (char)('A' + lg_below(r, 26));
	out[4] = cc[0];
	out[5] = cc[1];
	out[6] = alnum[lg_below(r, sizeof(alnum) - 1)];
	out[7] = alnum[lg_below(r, sizeof(alnum) - 1)];
	if (lg_chance(r, 0.3)) {
		memcpy(out + 8, "XXX", 3);
		out[11] = '\0';
	} else {
		out[8] = '\0';
	}
}

/* IMO check digit over the first six digits. */
static inline int lg_imo_check(const char *d6)
{
	int s = 0;

	for (int i = 0; i < 6; i++)
		s += (d6[i] - '0') * (7 - i);
	return s % 10;
}

static inline void lg_imo(lg_rng *r, char *out)
{
	out[0] = (char)('9' - lg_below(r, 2)); /* 8xxxxxx/9xxxxxx */
	for (int i = 1; i < 6; i++)
		out[i] = (char)('0' + lg_below(r, 10));
	out[6] = (char)('0' + lg_imo_check(out));
	out[7] = '\0';
}

/* ---- innocent names ---- */

typedef struct lg_person {
	const char *name;
	char dob[11];  /* "" when unknown */
	char cc[3];    /* nationality alpha-2, "" when unknown */
} lg_person;

typedef struct lg_corpus {
	char *blob;
	lg_person *people;
	size_t n_people;
} lg_corpus;

static inline int lg_embargoed(const char *cc)
{
	return !strcmp(cc, "KP") || !strcmp(cc, "IR") || !strcmp(cc, "CU") ||
	       !strcmp(cc, "SY") || !strcmp(cc, "RU") || !strcmp(cc, "BY");
}

/* One CSV line "full,first,middle,last,gender,dob,place,nationality",
 * parsed in place (commas become NULs). */
static inline void lg_corpus_line(lg_corpus *c, char *line)
{
	char *f[8];
	int n = 0;
	lg_person *p = &c->people[c->n_people];

	if (strchr(line, '"') || !strncmp(line, "full_name,", 10))
		return;
	for (char *s = line; n < 8; n++) {
		f[n] = s;
		s = strchr(s, ',');
		if (!s) {
			n++;
			break;
		}
		*s++ = '\0';
	}
	if (n < 8 || !*f[0])
		return;
	f[7][strcspn(f[7], "\r")] = '\0';
	p->name = f[0];
	snprintf(p->dob, sizeof(p->dob), "%.10s", f[5]);
	if (country_lookup(f[7], strlen(f[7]), p->cc) < 0 ||
	    lg_embargoed(p->cc))
		p->cc[0] = '\0';
	c->n_people++;
}

/* Load the whole negatives corpus.  0 or -errno. */
static inline int lg_corpus_load(lg_corpus *c, const char *path)
{
	FILE *f = fopen(path, "r");
	long size;
	size_t lines = 1;
	char *s;

	memset(c, 0, sizeof(*c));
	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		goto io;
	c->blob = malloc((size_t)size + 1);
	if (!c->blob || fread(c->blob, 1, (size_t)size, f) != (size_t)size)
		goto io;
	c->blob[size] = '\0';
	for (s = c->blob; (s = strchr(s, '\n')); s++)
		lines++;
	c->people = calloc(lines, sizeof(*c->people));
	if (!c->people)
		goto io;
	for (s = c->blob; s && *s;) {
		char *nl = strchr(s, '\n');

		if (nl)
			*nl = '\0';
		lg_corpus_line(c, s);
		s = nl ? nl + 1 : NULL;
	}
	fclose(f);
	return c->n_people ? 0 : -ENODATA;
io:
	fclose(f);
	return -EIO;
}

static inline void lg_corpus_free(lg_corpus *c)
{
	free(c->blob);
	free(c->people);
	memset(c, 0, sizeof(*c));
}

/* Given names x surnames of several cultures (ASCII + UTF-8). */
static const char *const lg_given[][12] = {
	{ "James", "Emily", "Oliver", "Charlotte", "William", "Sophie",
	  "Thomas", "Grace", "Daniel", "Hannah", "Michael", "Laura" },
	{ "Lukas", "Anna", "Jonas", "Marie", "Felix", "Lena", "Matthias",
	  "Katharina", "Jürgen", "Sabine", "Tobias", "Ute" },
	{ "José", "María", "Javier", "Lucía", "Alejandro", "Carmen", "Pablo",
	  "Isabel", "Diego", "Sofía", "Andrés", "Elena" },
	{ "Mehmet", "Ayşe", "Mustafa", "Fatma", "Emre", "Zeynep", "Burak",
	  "Elif", "Can", "Selin", "Oğuz", "Büşra" },
	{ "Wei", "Li", "Jing", "Hao", "Xiaoming", "Mei", "Jun", "Yan",
	  "Tao", "Lan", "Zhiwei", "Fang" },
	{ "Ahmed", "Fatima", "Omar", "Layla", "Khalid", "Noura", "Yousef",
	  "Mariam", "Hassan", "Amal", "Tariq", "Huda" },
	{ "Priya", "Rahul", "Ananya", "Vikram", "Deepa", "Arjun", "Kavya",
	  "Sanjay", "Meera", "Rohan", "Lakshmi", "Aditya" },
	{ "Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Takumi", "Sakura",
	  "Kenji", "Yuki", "Daiki", "Mio" },
	{ "Piotr", "Agnieszka", "Krzysztof", "Małgorzata", "Tomasz",
	  "Katarzyna", "Paweł", "Joanna", "Marek", "Ewa", "Łukasz", "Zofia" },
};
static const char *const lg_surname[][12] = {
	{ "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies", "Evans",
	  "Walker", "Wright", "Thompson", "Hughes", "Clarke" },
	{ "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
	  "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter" },
	{ "García", "Fernández", "González", "Rodríguez", "López", "Martínez",
	  "Sánchez", "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno" },
	{ "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım",
	  "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan" },
	{ "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu",
	  "Zhou", "Xu", "Sun", "Ma" },
	{ "Al-Mansouri", "Haddad", "Nasser", "Khoury", "Saleh", "Hamdan",
	  "Farouk", "Aziz", "Qasim", "Rahman", "Mahmoud", "Suleiman" },
	{ "Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Mehta",
	  "Banerjee", "Kulkarni", "Rao", "Chatterjee", "Joshi" },
	{ "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito",
	  "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada" },
	{ "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk",
	  "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak",
	  "Dąbrowski", "Kozłowski" },
};
static const char *const lg_culture_cc[] = { "GB", "DE", "ES", "TR", "CN",
					     "AE", "IN", "JP", "PL" };

static const char *const lg_stem[] = {
	"Nordwind", "Alpenblick", "Pacific Crest", "Golden Harvest",
	"Silverline", "Blue River", "Sunrise", "Hanseatic", "Meridian",
	"Baltic Amber", "Riverside", "Northgate", "Evergreen", "Cedar Point",
	"Bosphorus", "Anatolia", "Iberia Sol", "Lakeshore", "Kestrel",
	"Harborview", "Maple Leaf", "Danube", "Crescent Bay", "Highland",
};
static const char *const lg_sector[] = {
	"Logistics", "Trading", "Textiles", "Foods", "Engineering",
	"Software", "Shipping", "Consulting", "Pharma", "Metals", "Agro",
	"Packaging", "Furniture", "Ceramics", "Components", "Holdings",
};
static const char *const lg_form[] = {
	"GmbH", "Ltd", "LLC", "SA", "AG", "BV", "S.r.l.", "A.Ş.",
	"Ltd. Şti.", "FZE", "Pte Ltd", "Co., Ltd.", "Inc.", "SARL", "Oy",
	"AB", "Sp. z o.o.", "S.L.", "Kft.", "s.r.o.",
};

/* An innocent person; dob and cc may be set to "" when unknown. */
static inline void lg_person_name(lg_rng *r, const lg_corpus *c, char *out,
				  size_t cap, char dob[11], char cc[3])
{
	dob[0] = cc[0] = '\0';
	if (c->n_people && lg_chance(r, 0.5)) {
		const lg_person *p = &c->people[lg_below(r, (uint32_t)c->n_people)];

		snprintf(out, cap, "%s", p->name);
		if (lg_chance(r, 0.3))
			snprintf(dob, 11, "%s", p->dob);
		snprintf(cc, 3, "%s", p->cc);
		return;
	}
	uint32_t k = lg_below(r, sizeof(lg_given) / sizeof(lg_given[0]));

	snprintf(out, cap, "%s %s", lg_given[k][lg_below(r, 12)],
		 lg_surname[k][lg_below(r, 12)]);
	snprintf(cc, 3, "%s", lg_culture_cc[k]);
}

static inline void lg_company_name(lg_rng *r, char *out, size_t cap)
{
	snprintf(out, cap, "%s %s %s", LG_PICK(r, lg_stem),
		 LG_PICK(r, lg_sector), LG_PICK(r, lg_form));
}

static const char *const lg_safe_cc[] = {
	"US", "GB", "DE", "FR", "NL", "CH", "SG", "JP", "IT", "ES",
	"BE", "AT", "SE", "DK", "PL", "CA", "AU", "KR", "BR", "MX",
};

/* ---- remittance lines, several languages ---- */

static inline void lg_remittance(lg_rng *r, uint64_t n, lg_buf *b)
{
	unsigned inv = (unsigned)(n % 900000) + 1000;
	unsigned d = 1 + lg_below(r, 28), m = 1 + lg_below(r, 12);

	switch (lg_below(r, 10)) {
	case 0:
		lg_printf(b, "Invoice %u consulting services %02u/2026", inv, m);
		break;
	case 1:
		lg_printf(b, "Rechnung Nr. %u vom %02u.%02u.2026 Miete Büro", inv,
			  d, m);
		break;
	case 2:
		lg_printf(b, "Facture %u règlement prestation de transport", inv);
		break;
	case 3:
		lg_printf(b, "Pago factura %u servicios de mantenimiento", inv);
		break;
	case 4:
		lg_printf(b, "Fatura %u ödemesi yazılım hizmeti", inv);
		break;
	case 5:
		lg_printf(b, "Оплата по счету №%u за услуги связи", inv);
		break;
	case 6:
		lg_printf(b, "货款 发票 %u 号", inv);
		break;
	case 7:
		lg_printf(b, "دفعة فاتورة رقم %u", inv);
		break;
	case 8:
		lg_printf(b, "Fattura %u saldo fornitura ricambi", inv);
		break;
	default:
		lg_printf(b, "PO %u/%02u shipment of spare parts, 50%% prepayment",
			  inv, m);
		break;
	}
}

/* Innocent goods: HS codes that are not on the CHPL. */
typedef struct lg_good {
	const char *hs, *desc;
} lg_good;

static const lg_good lg_goods[] = {
	{ "6109.10", "cotton t-shirts" },   { "0901.21", "roasted coffee" },
	{ "9403.60", "wooden furniture" },  { "6403.99", "leather footwear" },
	{ "3004.90", "medicaments" },       { "8703.23", "passenger cars" },
	{ "0803.90", "fresh bananas" },     { "4819.10", "cartons" },
	{ "7208.51", "hot-rolled steel" },  { "8418.10", "refrigerators" },
	{ "2204.21", "wine" },              { "3926.90", "plastic articles" },
};

#endif
