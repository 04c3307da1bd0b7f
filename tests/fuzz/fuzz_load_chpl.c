/*
 * fuzz_load_chpl.c - the chpl-csv loader (matchers/lists/chpl.c) on arbitrary bytes:
 * Common High Priority Items CSV.
 *
 * The input is written to a memfd and loaded through wl_load() by its
 * /proc/self/fd path, with the "skip-truncated-tail" option when the
 * input length is odd.  Checks (fuzz_util.h): never a crash or a leak;
 * on success a finished list whose names are UTF-8, countries alpha-2
 * and HS codes 2..10 digits; on failure no list and a non-empty reason.
 */
#include <stdint.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_load_one(size & 1 ? "chpl-csv+skip-truncated-tail" : "chpl-csv", data,
		      size);
	return 0;
}
