/*
 * ofac_remarks.c - turn OFAC-style "Remarks" text into typed data.
 *
 * OFAC's legacy CSV has no columns for dates of birth, passports, tax
 * numbers, IMO numbers, SWIFT codes or wallet addresses: they all sit
 * in one free-text Remarks column as "Label value (Country) issued
 * ...; Label value; ...".  Screening by id only works if those become
 * typed identifiers, so this file classifies every ';'-separated part
 * by its label through one const table (longest, most specific labels
 * first) and files the value as an id, date, country, alias or
 * attribute.  Nothing is dropped: a part whose label is unknown (job
 * titles, free prose) is kept as attr "remark" for evidence.
 *
 * Decisions (see also docs/interdict-csv.md for the loader side):
 *  - "a.k.a. 'X'" inside Remarks is how OFAC writes its low-quality
 *    ("weak") aliases; the legacy CSV never repeats them in alt.csv,
 *    so they become WL_NAME_WEAK.  "f.k.a."/"n.k.a." in Remarks are
 *    equally low-quality and are weak as well.
 *  - Russian "Tax ID No." of 10/12 digits is an INN and "Registration
 *    Number" (or "Business Registration Number") of 13/15 digits an
 *    OGRN; anything else stays a generic tax/registration id.
 *  - "DOB 1951 to 1953" adds both ends and, for spans up to ten years,
 *    every year between (year only): a range means "one of these".
 *  - "alt. " before a label only means "another value of the same
 *    kind" and is ignored.
 *
 * Pure function of its input plus builder calls; no state.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "country.h"
#include "lists/loader.h"

typedef enum rk_kind {
	RK_ID,       /* id of type arg */
	RK_TAX,      /* INN when Russian 10/12 digits, else WL_ID_TAX */
	RK_REG,      /* OGRN when Russian 13/15 digits, else REGISTRATION */
	RK_CRYPTO,   /* "Digital Currency Address - XBT addr" */
	RK_DOB,
	RK_COUNTRY,  /* nationality / citizen: country + attr */
	RK_ATTR,     /* attr with key */
	RK_NAME,     /* alias in quotes, strength arg */
} rk_kind;

typedef struct rk_rule {
	const char *label;
	unsigned char kind;  /* rk_kind */
	unsigned char arg;   /* wl_id_type or wl_name_strength */
	const char *key;     /* attr key (RK_ATTR, RK_COUNTRY) */
} rk_rule;

/* Order matters: the first label that matches wins, so specific
 * labels come before their prefixes. */
static const rk_rule rules[] = {
	{ "a.k.a.", RK_NAME, WL_NAME_WEAK, NULL },
	{ "f.k.a.", RK_NAME, WL_NAME_WEAK, NULL },
	{ "n.k.a.", RK_NAME, WL_NAME_WEAK, NULL },
	{ "DOB", RK_DOB, 0, NULL },
	{ "POB", RK_ATTR, 0, "pob" },
	{ "nationality", RK_COUNTRY, 0, "nationality" },
	{ "citizen", RK_COUNTRY, 0, "citizenship" },
	{ "Gender", RK_ATTR, 0, "gender" },
	{ "Vessel Registration Identification IMO", RK_ID, WL_ID_IMO, NULL },
	{ "Identification Number IMO", RK_ID, WL_ID_IMO, NULL },
	{ "Company Number IMO", RK_ID, WL_ID_IMO, NULL },
	{ "IMO", RK_ID, WL_ID_IMO, NULL },
	{ "MMSI", RK_ID, WL_ID_MMSI, NULL },
	{ "SWIFT/BIC", RK_ID, WL_ID_BIC, NULL },
	{ "Digital Currency Address", RK_CRYPTO, WL_ID_CRYPTO, NULL },
	{ "Legal Entity Number", RK_ID, WL_ID_LEI, NULL },
	{ "LEI", RK_ID, WL_ID_LEI, NULL },
	{ "Tax ID No.", RK_TAX, WL_ID_TAX, NULL },
	{ "Registration Number", RK_REG, WL_ID_REGISTRATION, NULL },
	{ "Business Registration Number", RK_REG, WL_ID_REGISTRATION, NULL },
	{ "Registration ID", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Government Gazette Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Business Registration Document #", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Company Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "UK Company Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Commercial Registry Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Folio Mercantil No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Matricula Mercantil No", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "C.R. No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Trade License No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Unified Social Credit Code (USCC)", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Chamber of Commerce Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Economic Register Number (CBLS)", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Public Registration Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Central Registration System Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Istanbul Chamber of Comm. No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Business Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Certificate of Incorporation Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Aircraft Tail Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "D-U-N-S Number", RK_ID, WL_ID_OTHER, NULL },
	{ "License", RK_ID, WL_ID_OTHER, NULL },
	{ "BIK (RU)", RK_ID, WL_ID_OTHER, NULL },
	{ "Aircraft Manufacturer's Serial Number (MSN)", RK_ID, WL_ID_OTHER, NULL },
	{ "Aircraft Mode S Transponder Code", RK_ID, WL_ID_OTHER, NULL },
	{ "Passport", RK_ID, WL_ID_PASSPORT, NULL },
	{ "Diplomatic Passport", RK_ID, WL_ID_PASSPORT, NULL },
	{ "National ID No.", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "National Foreign ID Number", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Identification Number", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Personal ID Card", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Cedula No.", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "D.N.I.", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Credencial electoral", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Electoral Registry No.", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Birth Certificate Number", RK_ID, WL_ID_OTHER, NULL },
	{ "Driver's License No.", RK_ID, WL_ID_OTHER, NULL },
	{ "Cartilla de Servicio Militar Nacional", RK_ID, WL_ID_OTHER, NULL },
	{ "NIT #", RK_ID, WL_ID_TAX, NULL },
	{ "RUC #", RK_ID, WL_ID_TAX, NULL },
	{ "RIF #", RK_ID, WL_ID_TAX, NULL },
	{ "R.F.C.", RK_ID, WL_ID_TAX, NULL },
	{ "C.U.I.T.", RK_ID, WL_ID_TAX, NULL },
	{ "C.U.R.P.", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "V.A.T. Number", RK_ID, WL_ID_TAX, NULL },
	{ "Italian Fiscal Code", RK_ID, WL_ID_TAX, NULL },
	{ "Email Address", RK_ATTR, 0, "email" },
	{ "Website", RK_ATTR, 0, "website" },
	{ "Phone Number", RK_ATTR, 0, "phone" },
	{ "Telephone", RK_ATTR, 0, "phone" },
	{ "Fax", RK_ATTR, 0, "fax" },
	{ "Linked To", RK_ATTR, 0, "linked_to" },
	{ "Organization Established Date", RK_ATTR, 0, "established" },
	{ "Organization Type", RK_ATTR, 0, "org_type" },
	{ "Target Type", RK_ATTR, 0, "target_type" },
	{ "Former Vessel Flag", RK_ATTR, 0, "former_flag" },
	{ "Vessel Year of Build", RK_ATTR, 0, "year_built" },
	{ "Nationality of Registration", RK_ATTR, 0, "registration_country" },
	{ "Aircraft Model", RK_ATTR, 0, "aircraft_model" },
	{ "Aircraft Manufacture Date", RK_ATTR, 0, "built" },
	{ "Aircraft Operator", RK_ATTR, 0, "operator" },
	{ "Aircraft Construction Number", RK_ATTR, 0, "construction_number" },
	{ "Additional Sanctions Information", RK_ATTR, 0, "sanctions_info" },
	{ "Secondary sanctions risk", RK_ATTR, 0, "sanctions_info" },
	{ "Transactions Prohibited For", RK_ATTR, 0, "sanctions_info" },
	{ "Executive Order", RK_ATTR, 0, "sanctions_info" },
	{ "CAATSA Section", RK_ATTR, 0, "sanctions_info" },
	{ "Listing Date", RK_ATTR, 0, "sanctions_info" },
	{ "Effective Date", RK_ATTR, 0, "sanctions_info" },
	{ "Purchase/Sales For Divestment", RK_ATTR, 0, "sanctions_info" },
	{ "For more information", RK_ATTR, 0, "sanctions_info" },
	{ "all offices worldwide", RK_ATTR, 0, "sanctions_info" },
	{ "Enterprise Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Branch Unit Number", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Registered Charity No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Dubai Chamber of Commerce Membership No.", RK_ID, WL_ID_REGISTRATION, NULL },
	{ "Permit Number", RK_ID, WL_ID_OTHER, NULL },
	{ "C.U.I.", RK_ID, WL_ID_TAX, NULL },
	{ "US FEIN", RK_ID, WL_ID_TAX, NULL },
	{ "SSN", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Residency Number", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Turkish Identification Number", RK_ID, WL_ID_NATIONAL_ID, NULL },
	{ "Chinese Commercial Code", RK_ATTR, 0, "chinese_commercial_code" },
	{ "Other Vessel Flag", RK_ATTR, 0, "other_flag" },
	{ "Other Vessel Call Sign", RK_ID, WL_ID_CALLSIGN, NULL },
	{ "Other Vessel Type", RK_ATTR, 0, "vessel_type" },
	{ "Previous Aircraft Tail Number", RK_ID, WL_ID_REGISTRATION, NULL },
	/* Positions held: evidence for reviewers, not identifiers. */
	{ "Member of", RK_ATTR, 0, "position" },
	{ "Minister of", RK_ATTR, 0, "position" },
	{ "Minister for", RK_ATTR, 0, "position" },
	{ "Deputy Minister", RK_ATTR, 0, "position" },
	{ "Former Minister", RK_ATTR, 0, "position" },
	{ "Director of", RK_ATTR, 0, "position" },
	{ "Managing Director", RK_ATTR, 0, "position" },
	{ "Head of", RK_ATTR, 0, "position" },
	{ "President of", RK_ATTR, 0, "position" },
	{ "Chairman of", RK_ATTR, 0, "position" },
	{ "Chief of", RK_ATTR, 0, "position" },
	{ "Commander of", RK_ATTR, 0, "position" },
	{ "First Deputy", RK_ATTR, 0, "position" },
	{ "Vice-Chairperson", RK_ATTR, 0, "position" },
	{ "Major General", RK_ATTR, 0, "position" },
	{ "Brigadier General", RK_ATTR, 0, "position" },
	{ "Colonel", RK_ATTR, 0, "position" },
	{ "Scientific Studies and Research Center", RK_ATTR, 0, "position" },
	{ "ICTY indictee", RK_ATTR, 0, "sanctions_info" },
	{ "ISIN", RK_ATTR, 0, "isin" },
	{ "Equity Ticker", RK_ATTR, 0, "ticker" },
	{ "Issuer Name", RK_ATTR, 0, "issuer" },
};

typedef struct span {
	const char *p;
	size_t n;
} span;

static void sp_trim(span *s)
{
	while (s->n && isspace((unsigned char)s->p[0])) {
		s->p++;
		s->n--;
	}
	while (s->n && isspace((unsigned char)s->p[s->n - 1]))
		s->n--;
}

/* Case-insensitive label at the start of s, ending at a word edge;
 * returns the rest after the label. */
static int label_at(span s, const char *label, span *rest)
{
	size_t n;

	if (!s.n || tolower((unsigned char)s.p[0]) !=
			    tolower((unsigned char)label[0]))
		return 0; /* cheap reject: most rules fail here */
	n = strlen(label);
	if (s.n < n || strncasecmp(s.p, label, n))
		return 0;
	if (s.n > n && isalnum((unsigned char)s.p[n]) &&
	    isalnum((unsigned char)label[n - 1]))
		return 0;
	rest->p = s.p + n;
	rest->n = s.n - n;
	/* separators OFAC puts between label and value */
	while (rest->n && (isspace((unsigned char)*rest->p) ||
			   *rest->p == ':' || *rest->p == '#' ||
			   *rest->p == '-'))
		rest->p++, rest->n--;
	return 1;
}

static const char *find(span s, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= s.n; i++)
		if (!memcmp(s.p + i, needle, k))
			return s.p + i;
	return NULL;
}

/* Split "VALUE (Country) issued ..." into value and country. */
static void id_value(span rest, span *val, span *country)
{
	static const char *const stops[] = { " (", " issued", ", issued",
					     " expires", " - " };
	const char *end = rest.p + rest.n, *open;

	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		const char *f = find(rest, stops[i]);

		if (f && f < end)
			end = f;
	}
	val->p = rest.p;
	val->n = (size_t)(end - rest.p);
	sp_trim(val);
	country->p = NULL;
	country->n = 0;
	open = find(rest, "(");
	if (open) {
		const char *close = memchr(open, ')', rest.n - (size_t)(open - rest.p));

		if (close) {
			country->p = open + 1;
			country->n = (size_t)(close - open - 1);
		}
	}
}

static int all_digits(span s)
{
	for (size_t i = 0; i < s.n; i++)
		if (!isdigit((unsigned char)s.p[i]))
			return 0;
	return s.n > 0;
}

static int is_russia(span c)
{
	return c.n == 6 && !strncasecmp(c.p, "Russia", 6);
}

static int do_id(wl_list *l, uint32_t e, const rk_rule *r, span rest)
{
	span val, ctry;
	wl_id_type t = (wl_id_type)r->arg;

	id_value(rest, &val, &ctry);
	if (r->kind == RK_TAX && is_russia(ctry) && all_digits(val) &&
	    (val.n == 10 || val.n == 12))
		t = WL_ID_INN;
	if (r->kind == RK_REG && is_russia(ctry) && all_digits(val) &&
	    (val.n == 13 || val.n == 15))
		t = WL_ID_OGRN;
	return wl_entity_add_id(l, e, t, val.p, val.n);
}

/* "XBT 1ABC..." -> the address; the currency goes to an attr. */
static int do_crypto(wl_list *l, uint32_t e, span rest)
{
	const char *sp = memchr(rest.p, ' ', rest.n);
	span addr = rest;
	int rc;

	if (sp) {
		rc = wl_entity_add_attr(l, e, "crypto_currency", rest.p,
					(size_t)(sp - rest.p));
		if (rc < 0)
			return rc;
		addr.p = sp + 1;
		addr.n = rest.n - (size_t)(sp + 1 - rest.p);
	}
	sp_trim(&addr);
	return wl_entity_add_id(l, e, WL_ID_CRYPTO, addr.p, addr.n);
}

/* One date, "A to B" or "YYYY-YYYY"; 0 when at least one date was understood. */
static int do_dob(wl_list *l, uint32_t e, span rest)
{
	const char *to = find(rest, " to ");
	size_t skip = 4;
	wl_date a, b;
	int rc;

	if (!to && rest.n >= 9 && rest.p[rest.n - 5] == '-' &&
	    all_digits((span){ rest.p + rest.n - 4, 4 }) &&
	    all_digits((span){ rest.p + rest.n - 9, 4 })) {
		to = rest.p + rest.n - 5; /* "circa 1979-1982" */
		skip = 1;
	}
	if (!to)
		return wl_date_parse(rest.p, rest.n, &a) < 0 ?
			       -EINVAL : wl_entity_add_dob(l, e, a);
	if (wl_date_parse(rest.p, (size_t)(to - rest.p), &a) < 0 ||
	    wl_date_parse(to + skip, rest.n - (size_t)(to + skip - rest.p),
			  &b) < 0)
		return -EINVAL;
	rc = wl_entity_add_dob(l, e, a);
	if (!rc)
		rc = wl_entity_add_dob(l, e, b);
	if (!rc && b.year > a.year && b.year - a.year <= 10) {
		for (unsigned y = a.year + 1u; y < b.year && !rc; y++) {
			wl_date d = { (uint16_t)y, 0, 0 };

			rc = wl_entity_add_dob(l, e, d);
		}
	}
	return rc;
}

static int do_country(wl_list *l, uint32_t e, const rk_rule *r, span rest)
{
	char cc[3];
	int rc = wl_entity_add_attr(l, e, r->key, rest.p, rest.n);

	if (rc < 0)
		return rc;
	if (country_lookup(rest.p, rest.n, cc) == 0)
		rc = wl_entity_add_country(l, e, cc);
	return rc == -EINVAL ? 0 : rc;
}

/* "'NAME'" -> NAME, between the first and the last quote. */
static int do_name(wl_list *l, uint32_t e, const rk_rule *r, span rest)
{
	const char *a = memchr(rest.p, '\'', rest.n);
	const char *b = rest.n ? rest.p + rest.n - 1 : rest.p;

	while (a && b > a && *b != '\'')
		b--;
	if (a && b > a)
		return wl_entity_add_name(l, e, a + 1, (size_t)(b - a - 1),
					  (wl_name_strength)r->arg);
	return wl_entity_add_name(l, e, rest.p, rest.n,
				  (wl_name_strength)r->arg);
}

/* Classify one part; 1 when a rule took it, 0 when kept as "remark",
 * -ENOMEM on allocation failure. */
static int part(wl_list *l, uint32_t e, span s)
{
	span body = s, rest;
	int rc;

	if (s.n > 5 && !strncasecmp(s.p, "alt. ", 5)) {
		body.p += 5;
		body.n -= 5;
	}
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const rk_rule *r = &rules[i];

		if (!label_at(body, r->label, &rest))
			continue;
		switch ((rk_kind)r->kind) {
		case RK_ID:
		case RK_TAX:
		case RK_REG:
			rc = do_id(l, e, r, rest);
			break;
		case RK_CRYPTO:
			rc = do_crypto(l, e, rest);
			break;
		case RK_DOB:
			rc = do_dob(l, e, rest);
			if (rc == -EINVAL)
				goto remark; /* unreadable date: keep text */
			break;
		case RK_COUNTRY:
			rc = do_country(l, e, r, rest);
			break;
		case RK_NAME:
			rc = do_name(l, e, r, rest);
			break;
		default:
			rc = wl_entity_add_attr(l, e, r->key, rest.p, rest.n);
			break;
		}
		return rc < 0 ? rc : 1;
	}
remark:
	rc = wl_entity_add_attr(l, e, "remark", s.p, s.n);
	return rc < 0 ? rc : 0;
}

/* Parentheses are balanced in the whole text? Then ';' inside them
 * does not split. */
static int parens_balanced(const char *t, size_t len)
{
	int d = 0;

	for (size_t i = 0; i < len; i++) {
		d += t[i] == '(';
		d -= t[i] == ')';
		if (d < 0)
			return 0;
	}
	return d == 0;
}

/*
 * Contract: parses text[0, len) (UTF-8, need not be NUL-terminated)
 * into entity e of l.  Returns the number of ';'-parts a rule
 * classified (>= 0; unclassified parts are kept as attr "remark"), or
 * -ENOMEM.  Never fails on odd text.
 */
int wl_remarks_parse(wl_list *l, uint32_t e, const char *text, size_t len)
{
	int use_parens = parens_balanced(text, len), depth = 0, hits = 0;
	size_t start = 0;

	while (len && (isspace((unsigned char)text[len - 1]) ||
		       text[len - 1] == '.'))
		len--; /* the closing full stop of the whole text */
	for (size_t i = 0; i <= len; i++) {
		span s;
		int rc;

		if (i < len && use_parens)
			depth += (text[i] == '(') - (text[i] == ')');
		if (i < len && (text[i] != ';' || depth > 0))
			continue;
		s.p = text + start;
		s.n = i - start;
		start = i + 1;
		sp_trim(&s);
		if (!s.n)
			continue;
		rc = part(l, e, s);
		if (rc < 0)
			return rc;
		hits += rc;
	}
	return hits;
}
