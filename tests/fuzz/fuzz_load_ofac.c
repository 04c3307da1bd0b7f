/*
 * fuzz_load_ofac.c - the ofac-csv loader (matchers/lists/ofac.c and the
 * Remarks parser ofac_remarks.c) on arbitrary bytes.
 *
 * The input is split on the byte 0x1E (ASCII record separator) into up
 * to four parts written as sdn.csv, add.csv, alt.csv and
 * sdn_comments.csv of a temp folder; fewer parts leave files missing.
 * With five or more parts the cons_prim/cons_add/cons_alt/
 * cons_comments names are used instead and the fifth part is ignored.
 * Odd-length inputs load with "skip-truncated-tail".  Checks
 * (fuzz_util.h): never a crash or a leak; on success a finished list
 * whose names are UTF-8 and countries alpha-2; on failure no list and a
 * non-empty reason.
 *
 * The temp folder (mkdtemp under /tmp) is made once per process, kept
 * in a static and removed at exit: acceptable global state for a fuzz
 * harness, its files are rewritten on every input.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"

#define SEP 0x1e

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[2][4] = {
	{ "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv" },
	{ "cons_prim.csv", "cons_add.csv", "cons_alt.csv",
	  "cons_comments.csv" },
};

static char dir[64]; /* per-process temp folder, see the comment on top */

static void cleanup(void)
{
	char p[128];

	for (int s = 0; s < 2; s++)
		for (int f = 0; f < 4; f++) {
			snprintf(p, sizeof(p), "%s/%s", dir, names[s][f]);
			unlink(p);
		}
	rmdir(dir);
}

static int write_file(const char *path, const uint8_t *d, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (n) {
		ssize_t w = write(fd, d, n);

		if (w <= 0)
			break;
		d += w;
		n -= (size_t)w;
	}
	close(fd);
	return n ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *part[5], *end = data + size, *p = data;
	size_t len[5], n = 0;
	char path[128], err[512];
	wl_list *l = NULL;
	int set, rc;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/interdict-fuzz-ofac-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	while (n < 5) {
		const uint8_t *q = memchr(p, SEP, (size_t)(end - p));

		part[n] = p;
		len[n] = (size_t)((q ? q : end) - p);
		n++;
		if (!q)
			break;
		p = q + 1;
	}
	set = n == 5;
	for (int s = 0; s < 2; s++)
		for (int f = 0; f < 4; f++) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[s][f]);
			unlink(path);
		}
	for (size_t f = 0; f < n && f < 4; f++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[set][f]);
		if (write_file(path, part[f], len[f]) < 0)
			return 0;
	}

	rc = wl_load(NULL, size & 1 ? "ofac-csv+skip-truncated-tail" :
		     "ofac-csv", dir, &l, err, sizeof(err));
	fuzz_check_err(err, sizeof(err));
	if (rc == 0) {
		FUZZ_CHECK(l != NULL, "wl_load returned 0 but no list");
		fuzz_check_list(l);
		wl_list_free(l);
	} else {
		FUZZ_CHECK(l == NULL, "wl_load failed (%d) but set a list", rc);
		FUZZ_CHECK(err[0] != '\0', "wl_load failed (%d) silently", rc);
	}
	return 0;
}
