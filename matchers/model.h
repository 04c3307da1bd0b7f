/*
 * model.h - the one in-memory model every watchlist loader fills.
 *
 * A wl_list is one loaded list (OFAC SDN, UN, an FtM file, the CHPL,
 * an in-house list...).  It owns an arena holding every string and
 * array of its entities, so freeing a list is one arena release.
 *
 * Loaders build a list through the wl_list_add_* / wl_entity_add_*
 * builder calls in any order (OFAC's alt.csv arrives long after
 * sdn.csv), then call wl_list_finish(), which groups the attribute
 * records per entity.  After finish the list is immutable and may be
 * read by any number of threads without locks.
 *
 * Strings are stored as written in the source (converted to UTF-8);
 * normalisation happens when indexes are compiled (db.c), so that the
 * same function normalises list names and event names.
 *
 * Error convention: builder calls return 0 or -ENOMEM; loaders return
 * 0 or -errno and write "file:line: reason" into errstr.
 */
#ifndef INTERDICT_MODEL_H
#define INTERDICT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef enum wl_ent_type {
	WL_ENT_UNKNOWN = 0,
	WL_ENT_PERSON,
	WL_ENT_ORG,      /* organisation, company, legal entity */
	WL_ENT_VESSEL,
	WL_ENT_AIRCRAFT,
	WL_ENT_WALLET,   /* crypto wallet entity (FtM CryptoWallet) */
	WL_ENT__COUNT
} wl_ent_type;

typedef enum wl_name_strength {
	WL_NAME_PRIMARY = 0,
	WL_NAME_STRONG,  /* a.k.a., strong alias */
	WL_NAME_WEAK,    /* weak alias: never blocks alone */
	WL_NAME_FORMER,  /* f.k.a., previous name */
	WL_NAME__COUNT
} wl_name_strength;

typedef enum wl_script {
	WL_SCRIPT_LATIN = 0,
	WL_SCRIPT_CYRILLIC,
	WL_SCRIPT_GREEK,
	WL_SCRIPT_ARABIC,
	WL_SCRIPT_CJK,     /* Han, Kana, Hangul */
	WL_SCRIPT_OTHER,
	WL_SCRIPT__COUNT
} wl_script;

typedef enum wl_id_type {
	WL_ID_OTHER = 0,
	WL_ID_BIC,
	WL_ID_IBAN,
	WL_ID_ACCOUNT,
	WL_ID_IMO,
	WL_ID_MMSI,
	WL_ID_INN,
	WL_ID_OGRN,
	WL_ID_KPP,
	WL_ID_LEI,
	WL_ID_PASSPORT,
	WL_ID_NATIONAL_ID,
	WL_ID_TAX,
	WL_ID_REGISTRATION,
	WL_ID_CRYPTO,
	WL_ID_CALLSIGN,
	WL_ID__COUNT
} wl_id_type;

/* Partial date: month/day 0 when unknown (e.g. "1972" or "1972-11"). */
typedef struct wl_date {
	uint16_t year;
	uint8_t month;
	uint8_t day;
} wl_date;

typedef struct wl_name {
	const char *text;  /* UTF-8, as listed */
	uint8_t strength;  /* wl_name_strength */
	uint8_t script;    /* wl_script, derived from text by the builder */
} wl_name;

typedef struct wl_ident {
	const char *value; /* as listed (raw, trimmed) */
	uint8_t type;      /* wl_id_type */
} wl_ident;

/* Free-form key/value facts kept for evidence and display (POB,
 * gender, vessel flag/owner/type, addresses, remarks...). */
typedef struct wl_attr {
	const char *key;
	const char *value;
} wl_attr;

typedef struct wl_entity {
	uint32_t idx;          /* position in list->entities */
	uint8_t type;          /* wl_ent_type */
	const char *id;        /* the list's own id for the entry */
	const char *programs;  /* "; "-joined programs, or "" */

	const wl_name *names;  /* names[0] is the primary name */
	uint32_t n_names;
	const wl_ident *ids;
	uint32_t n_ids;
	const wl_date *dobs;
	uint32_t n_dobs;
	const char (*countries)[3]; /* ISO alpha-2 + NUL, upper case */
	uint32_t n_countries;
	const wl_attr *attrs;
	uint32_t n_attrs;
} wl_entity;

/* One line of the Common High Priority Items list (or an in-house
 * controlled-goods line). */
typedef struct wl_good {
	char hs[11];        /* digits only, 2..10 of them */
	char tier[8];       /* "1", "3.A", ... */
	const char *description;
} wl_good;

/* One allow-list pair: a party (by normalisable name and/or account)
 * that is known not to be the listed entry. */
typedef struct wl_allow {
	const char *party_name; /* may be "" */
	const char *account;    /* may be "" */
	const char *list;       /* list id the entry belongs to, "" = any */
	const char *entry;      /* list's own id for the entry */
	const char *reason;
} wl_allow;

/* List spec options ("FORMAT+OPTION:PATH"). */
#define WL_LOAD_SKIP_TRUNCATED_TAIL 0x1 /* "skip-truncated-tail": a file
	whose LAST record is cut (quote never closed at end of file) loads
	without that record, with a warning, instead of failing */

typedef struct wl_list_priv wl_list_priv;

typedef struct wl_list {
	char id[32];            /* "ofac-sdn", "un", "eu", "os-eu-journal"... */
	char format[16];        /* SPEC format name: "ofac-csv"... */
	char path[512];         /* file or folder it came from */
	arena mem;              /* owns everything below */

	wl_entity *entities;
	uint32_t n_entities;
	wl_good *goods;
	uint32_t n_goods;
	wl_allow *allows;
	uint32_t n_allows;

	uint32_t warnings;      /* non-fatal problems (e.g. orphan rows) */
	unsigned load_flags;    /* WL_LOAD_* options from the list spec */
	double load_ms;         /* wall time spent in the loader */

	wl_list_priv *priv;     /* builder state; NULL after finish */
} wl_list;

/* Constructor: NULL on ENOMEM. id/format are copied (truncated). */
wl_list *wl_list_new(const char *id, const char *format, const char *path);
/* Destructor; accepts NULL. */
void wl_list_free(wl_list *l);

/* ---- builder (single thread, before wl_list_finish) ---- */

/* Add an entity; returns its index (>= 0) or -ENOMEM.  The id string
 * is copied.  Entity indexes are dense and stable. */
int64_t wl_list_add_entity(wl_list *l, const char *id, size_t id_len,
			   wl_ent_type type);
/* Index of the entity with this list id, or -1 (hash lookup). */
int64_t wl_list_find(const wl_list *l, const char *id, size_t id_len);
/* Change the type of an entity (e.g. when a later row tells). */
void wl_entity_set_type(wl_list *l, uint32_t e, wl_ent_type type);

/* Attribute adders: every string is copied and trimmed; empty values
 * are ignored (return 0).  Duplicate names/ids/countries of one
 * entity are kept once. */
int wl_entity_add_name(wl_list *l, uint32_t e, const char *s, size_t len,
		       wl_name_strength strength);
int wl_entity_add_id(wl_list *l, uint32_t e, wl_id_type type,
		     const char *s, size_t len);
int wl_entity_add_dob(wl_list *l, uint32_t e, wl_date d);
/* Accepts an ISO alpha-2 code; anything else returns -EINVAL. */
int wl_entity_add_country(wl_list *l, uint32_t e, const char *cc);
int wl_entity_add_program(wl_list *l, uint32_t e, const char *s,
			  size_t len);
int wl_entity_add_attr(wl_list *l, uint32_t e, const char *key,
		       const char *value, size_t len);

int wl_list_add_good(wl_list *l, const char *hs_digits, const char *tier,
		     const char *desc, size_t desc_len);
int wl_list_add_allow(wl_list *l, const wl_allow *a);

/* Group attributes per entity and drop builder state.  Primary name
 * first in every entity.  0 or -ENOMEM. */
int wl_list_finish(wl_list *l);

/* ---- helpers shared by loaders ---- */

/* Parse "1972-11-26", "1972-11", "1972", "26 Nov 1972", "26.11.1972",
 * "Nov 1972", "circa 1972".  0 on success, -EINVAL otherwise. */
int wl_date_parse(const char *s, size_t len, wl_date *out);
/* Script of a UTF-8 string: the first non-Latin script seen, else Latin. */
wl_script wl_script_of(const char *s, size_t len);

const char *wl_ent_type_name(wl_ent_type t);  /* "person"... */
const char *wl_id_type_name(wl_id_type t);    /* "bic", "imo"... */
/* Inverse of wl_id_type_name, also accepts SPEC.md event id types;
 * WL_ID_OTHER when unknown. */
wl_id_type wl_id_type_from_name(const char *s, size_t len);
const char *wl_name_strength_name(wl_name_strength s);

/* Bytes the list holds (arena). */
size_t wl_list_memory(const wl_list *l);

#endif
