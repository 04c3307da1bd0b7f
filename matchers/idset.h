/*
 * idset.h - exact identifier index: (type class, canonical key) ->
 * the listed entities that carry it.
 *
 * Type classes (idset_class()): identifiers that may be written under
 * one type in a list and another in an event share a class, and only
 * keys of the same class ever match:
 *   BIC       bic (key: 8-char institution code, so branches match)
 *   ACCOUNT   iban, account
 *   IMO       imo
 *   MMSI      mmsi
 *   DOCUMENT  inn, ogrn, kpp, passport, national_id, tax_id,
 *             registration, other (lists file the same number as
 *             "Tax ID No." that events call "inn", and so on)
 *   LEI       lei
 *   CRYPTO    crypto
 *   CALLSIGN  callsign
 * A ref keeps the type the list gave, so the scorer can tell an exact
 * type match from a cross-type one.
 *
 * Lifecycle: one thread builds (idset_builder_*), idset_finish() turns
 * the builder into an immutable set, which any number of threads may
 * then read without locks; lookups never allocate.
 */
#ifndef INTERDICT_IDSET_H
#define INTERDICT_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

typedef enum idset_class_t {
	IDSET_C_BIC = 0,
	IDSET_C_ACCOUNT,
	IDSET_C_IMO,
	IDSET_C_MMSI,
	IDSET_C_DOCUMENT,
	IDSET_C_LEI,
	IDSET_C_CRYPTO,
	IDSET_C_CALLSIGN,
	IDSET_C__COUNT
} idset_class_t;

typedef struct idset_ref {
	uint32_t entity;  /* index in wl_list.entities */
	uint16_t list;    /* caller's list index */
	uint8_t type;     /* wl_id_type as listed */
	uint8_t valid;    /* 1 when the listed value passed its checksum */
} idset_ref;

typedef struct idset idset;
typedef struct idset_builder idset_builder;

idset_class_t idset_class(wl_id_type t);
const char *idset_class_name(idset_class_t c);

/* NULL on ENOMEM. */
idset_builder *idset_builder_new(void);
/* Discard an unfinished builder; accepts NULL. */
void idset_builder_free(idset_builder *b);

/* Add a listed identifier as written (normalised with
 * ids_match_key()).  0, -EINVAL (nothing usable) or -ENOMEM. */
int idset_builder_add(idset_builder *b, wl_id_type t, const char *value,
		      size_t len, uint16_t list, uint32_t entity);
/* Every identifier of every entity of a finished list.  Returns the
 * number added (>= 0) or -ENOMEM; unusable values are skipped. */
int64_t idset_builder_add_list(idset_builder *b, const wl_list *l,
			       uint16_t list);

/* Consume the builder (always freed) and return the immutable set, or
 * NULL on ENOMEM.  Duplicate refs under one key are merged. */
idset *idset_finish(idset_builder *b);
void idset_free(idset *s);

/*
 * Look up a canonical key (as ids_match_key() makes it) of type t.
 * Sets *refs to an array owned by the set and returns its length, 0
 * when absent.  No allocation; thread safe on a finished set.
 */
int idset_lookup(const idset *s, wl_id_type t, const char *key, size_t len,
		 const idset_ref **refs);
/* Same from a value as written in an event (normalised on the stack). */
int idset_lookup_value(const idset *s, wl_id_type t, const char *value,
		       size_t len, const idset_ref **refs);

size_t idset_keys(const idset *s);    /* distinct keys */
size_t idset_memory(const idset *s);  /* bytes held */

#endif
