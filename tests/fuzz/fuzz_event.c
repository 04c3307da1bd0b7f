/*
 * fuzz_event.c - the event parser (matchers/event.c) on arbitrary bytes.
 *
 * Checks: event_parse() never crashes or leaks; it returns 0 or a
 * negative errno with a non-empty, terminated reason; on success every
 * string slice is non-NULL, NUL-terminated at its length and valid
 * UTF-8, every count is within its EVENT_MAX_* bound and every enum in
 * range; parsing the same bytes twice gives the same result.
 *
 * The parser owns a buffer sized for the largest event, so it is built
 * once, lazily, and kept in a static (acceptable for a fuzz harness:
 * event_parse() keeps no state between calls, which the repeat check
 * verifies).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const event_str *s, const char *what)
{
	FUZZ_CHECK(s->s != NULL, "%s is NULL", what);
	FUZZ_CHECK(s->s[s->len] == '\0', "%s not terminated at len %u", what,
		   s->len);
	FUZZ_CHECK(fuzz_utf8_valid(s->s, s->len), "%s not UTF-8", what);
}

static void check_event(const event *ev)
{
	check_str(&ev->id, "id");
	check_str(&ev->timestamp, "timestamp");
	check_str(&ev->remittance, "remittance");
	check_str(&ev->route_origin, "route.origin");
	check_str(&ev->route_destination, "route.destination");
	check_str(&ev->vessel_name, "vessel.name");
	check_str(&ev->vessel_imo, "vessel.imo");
	check_str(&ev->vessel_mmsi, "vessel.mmsi");
	check_str(&ev->vessel_flag, "vessel.flag");
	FUZZ_CHECK(ev->type <= EVENT_PARTY, "type %u", ev->type);
	FUZZ_CHECK(ev->n_parties <= EVENT_MAX_PARTIES, "n_parties %u",
		   ev->n_parties);
	FUZZ_CHECK(ev->n_goods <= EVENT_MAX_GOODS, "n_goods %u", ev->n_goods);
	FUZZ_CHECK(ev->n_via <= EVENT_MAX_VIA, "n_via %u", ev->n_via);
	for (uint32_t i = 0; i < ev->n_via; i++)
		check_str(&ev->route_via[i], "route.via[]");
	for (uint32_t i = 0; i < ev->n_goods; i++) {
		check_str(&ev->goods[i].hs, "goods[].hs");
		check_str(&ev->goods[i].description, "goods[].description");
		check_str(&ev->goods[i].origin, "goods[].origin");
	}
	for (uint32_t i = 0; i < ev->n_parties; i++) {
		const event_party *p = &ev->parties[i];

		check_str(&p->role, "role");
		check_str(&p->name, "name");
		check_str(&p->country, "country");
		check_str(&p->address, "address");
		check_str(&p->nationality, "nationality");
		check_str(&p->account, "account");
		check_str(&p->bic, "bic");
		check_str(&p->dob, "dob");
		FUZZ_CHECK(p->type < WL_ENT__COUNT, "party type %u", p->type);
		FUZZ_CHECK(p->dob_date.month <= 12 && p->dob_date.day <= 31,
			   "dob_date %u-%u-%u", p->dob_date.year,
			   p->dob_date.month, p->dob_date.day);
		FUZZ_CHECK(p->n_ids <= EVENT_MAX_IDS, "n_ids %u", p->n_ids);
		for (uint32_t k = 0; k < p->n_ids; k++) {
			check_str(&p->ids[k].type, "ids[].type");
			check_str(&p->ids[k].value, "ids[].value");
			FUZZ_CHECK(p->ids[k].wl_type < WL_ID__COUNT,
				   "ids[].wl_type %u", p->ids[k].wl_type);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static event_parser *p; /* lazily built, see the comment on top */
	static event ev;        /* 40 KB: kept off the stack */
	char err[256], err2[256];
	int rc, rc2;

	if (!p && !(p = event_parser_new()))
		abort();
	memset(&ev, 0, sizeof(ev));
	memset(err, 0x55, sizeof(err));
	rc = event_parse(p, (const char *)data, size, &ev, err, sizeof(err));
	if (rc == 0) {
		check_event(&ev);
	} else {
		FUZZ_CHECK(rc < 0, "event_parse returned %d", rc);
		fuzz_check_err(err, sizeof(err));
		FUZZ_CHECK(err[0] != '\0', "error without a reason");
		if (ev.id.s)
			check_str(&ev.id, "id (error event)");
	}
	rc2 = event_parse(p, (const char *)data, size, &ev, err2,
			  sizeof(err2));
	FUZZ_CHECK(rc2 == rc, "second parse returned %d, first %d", rc2, rc);
	if (rc)
		FUZZ_CHECK(!strcmp(err, err2), "reason changed: '%s' vs '%s'",
			   err, err2);
	return 0;
}
