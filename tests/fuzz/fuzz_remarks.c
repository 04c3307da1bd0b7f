/*
 * fuzz_remarks.c - the free-text Remarks parser (wl_remarks_parse() in
 * matchers/lists/ofac_remarks.c, used by the OFAC, UN, EU and UK
 * loaders) and the date parser wl_date_parse() (matchers/model_util.c).
 *
 * Loaders hand the Remarks parser UTF-8 text, so invalid UTF-8 inputs
 * only go to wl_date_parse().  Checks: wl_remarks_parse() returns >= 0
 * and never crashes or leaks; the finished list still holds the
 * invariants of fuzz_check_list() (in particular no name or id cut
 * inside a UTF-8 sequence, countries alpha-2); a parsed date has
 * month <= 12, day <= 31 and no day without a month.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "lists/loader.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	wl_date d = { 0, 0, 0 };
	wl_list *l;
	int64_t e;
	int rc;

	if (wl_date_parse(s, size, &d) == 0)
		FUZZ_CHECK(d.month <= 12 && d.day <= 31 &&
				   (d.day == 0 || d.month != 0),
			   "wl_date_parse gave %u-%u-%u", d.year, d.month,
			   d.day);
	if (!fuzz_utf8_valid(s, size))
		return 0;

	l = wl_list_new("fuzz", "ofac-csv", "fuzz");
	if (!l)
		return 0;
	e = wl_list_add_entity(l, "1", 1, (wl_ent_type)(size % 3));
	if (e >= 0 && wl_entity_add_name(l, (uint32_t)e, "TEST ENTITY", 11,
					 WL_NAME_PRIMARY) >= 0) {
		rc = wl_remarks_parse(l, (uint32_t)e, s, size);
		FUZZ_CHECK(rc >= 0 || rc == -ENOMEM,
			   "wl_remarks_parse returned %d", rc);
		if (rc >= 0 && wl_list_finish(l) == 0)
			fuzz_check_list(l);
	}
	wl_list_free(l);
	return 0;
}
