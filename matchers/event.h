/*
 * event.h - the transaction event of SPEC.md section 1, parsed.
 *
 * event_parse() validates one JSON document and fills a fixed-size
 * `event` whose strings are slices of decoded text held in the
 * parser's buffer.  No allocation happens per event: the parser owns a
 * token array and a decode buffer sized for the largest allowed event,
 * so a parser is per thread and an event is valid until the next
 * event_parse() on the same parser.
 *
 * Limits (an event that breaks one is an error event, never
 * truncated silently): EVENT_MAX_BYTES, EVENT_MAX_DEPTH,
 * EVENT_MAX_TOKENS, and the array sizes below.
 */
#ifndef INTERDICT_EVENT_H
#define INTERDICT_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define EVENT_MAX_BYTES   (1u << 20)
#define EVENT_MAX_DEPTH   16
#define EVENT_MAX_TOKENS  16384
#define EVENT_MAX_PARTIES 32
#define EVENT_MAX_IDS     16 /* per party */
#define EVENT_MAX_GOODS   64
#define EVENT_MAX_VIA     8

typedef struct event_str {
	const char *s; /* NUL-terminated, UTF-8 (validated); "" when absent */
	uint32_t len;
} event_str;

typedef enum event_type {
	EVENT_PAYMENT = 0,
	EVENT_TRADE,
	EVENT_PARTY
} event_type;

typedef struct event_id {
	event_str type; /* as written: "inn", "imo"... */
	event_str value;
	uint8_t wl_type; /* wl_id_type resolved from type */
} event_id;

typedef struct event_party {
	event_str role, name, country, address, nationality, account, bic,
		dob;
	uint8_t type;   /* wl_ent_type: person, organization, vessel, unknown */
	wl_date dob_date; /* zero when absent or unparsable */
	event_id ids[EVENT_MAX_IDS];
	uint32_t n_ids;
} event_party;

typedef struct event_good {
	event_str hs, description, origin;
} event_good;

typedef struct event {
	event_str id;
	uint8_t type; /* event_type */
	event_str timestamp;
	event_party parties[EVENT_MAX_PARTIES];
	uint32_t n_parties;
	event_str remittance;
	event_good goods[EVENT_MAX_GOODS];
	uint32_t n_goods;
	event_str route_origin, route_destination;
	event_str route_via[EVENT_MAX_VIA];
	uint32_t n_via;
	int has_vessel;
	event_str vessel_name, vessel_imo, vessel_mmsi, vessel_flag;
} event;

typedef struct event_parser event_parser;

/* Constructor (NULL on ENOMEM) and destructor. */
event_parser *event_parser_new(void);
void event_parser_free(event_parser *p);

/*
 * Parse msg[0..len) into ev.  Returns 0, or -errno with a one-line
 * reason in err (e.g. "invalid JSON at byte 17: expected ':'",
 * "invalid UTF-8", "missing id", "event larger than 1048576 bytes",
 * "nesting deeper than 16", "parties[2].name: expected string").
 * ev->id is set whenever the id could be read, even on error, so the
 * error verdict can carry it.
 */
int event_parse(event_parser *p, const char *msg, size_t len, event *ev,
		char *err, size_t errlen);

#endif
