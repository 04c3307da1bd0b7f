/*
 * chpl.c - loader for the Common High Priority Items list (CHPL):
 * a UTF-8 CSV with header "tier,hs_code,hs6,description".
 *
 * Columns are found by name so a re-ordered or extended republication
 * still loads, but all four must be there: a file without that header
 * is some other file and is refused rather than guessed at.  The HS
 * code is stored as digits only (hs6 when given, else hs_code without
 * its dots), because event goods arrive as "8542.31", "854231" or
 * "8542 31" and are compared digit-wise by prefix.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lists/csv.h"
#include "lists/loader.h"

enum { C_TIER, C_HS_CODE, C_HS6, C_DESC, C__COUNT };

static const char *const col_names[C__COUNT] = { "tier", "hs_code", "hs6",
						 "description" };

static int fail(csv_reader *r, char *errstr, size_t errlen, const char *why)
{
	snprintf(errstr, errlen, "%s:%u: %s", csv_path(r), csv_line(r), why);
	return -EINVAL;
}

/* Map header names to positions; -EINVAL when one is missing. */
static int header(char **f, size_t *n, int nf, int *col)
{
	for (int c = 0; c < C__COUNT; c++) {
		col[c] = -1;
		for (int i = 0; i < nf; i++)
			if (strlen(col_names[c]) == n[i] &&
			    !strcmp(f[i], col_names[c]))
				col[c] = i;
		if (col[c] < 0)
			return -EINVAL;
	}
	return 0;
}

/* Digits of s (dots and spaces dropped) into out[11]; 0 or -EINVAL. */
static int hs_digits(const char *s, size_t n, char out[11])
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ' ')
			continue;
		if (!isdigit((unsigned char)s[i]) || o == 10)
			return -EINVAL;
		out[o++] = s[i];
	}
	out[o] = '\0';
	return o >= 2 ? 0 : -EINVAL;
}

static int row(wl_list *l, csv_reader *r, char **f, size_t *n, const int *col,
	       char *errstr, size_t errlen)
{
	char hs[11];
	int h = n[col[C_HS6]] ? col[C_HS6] : col[C_HS_CODE];
	int rc;

	if (hs_digits(f[h], n[h], hs) < 0)
		return fail(r, errstr, errlen, "bad HS code (want 2-10 digits)");
	if (n[col[C_TIER]] >= 8)
		return fail(r, errstr, errlen, "tier longer than 7 characters");
	rc = wl_list_add_good(l, hs, f[col[C_TIER]], f[col[C_DESC]],
			      n[col[C_DESC]]);
	if (rc == -ENOMEM)
		snprintf(errstr, errlen, "%s: out of memory", csv_path(r));
	return rc;
}

int wl_load_chpl(wl_list *l, const char *path, char *errstr, size_t errlen)
{
	csv_reader *r = csv_open(path, ',', CSV_F_UTF8, errstr, errlen);
	int col[C__COUNT], nf, hdr_n = 0, rc = 0;
	char **f, why[64];
	size_t *n;

	if (!r)
		return errno ? -errno : -EIO;
	snprintf(l->id, sizeof(l->id), "chpl");
	while ((nf = csv_next(r, &f, &n)) > 0) {
		if (!hdr_n) {
			if (header(f, n, nf, col) < 0) {
				rc = fail(r, errstr, errlen,
					  "not a CHPL file: header must have "
					  "tier,hs_code,hs6,description");
				goto out;
			}
			hdr_n = nf;
			continue;
		}
		if (nf != hdr_n) {
			snprintf(why, sizeof(why), "expected %d fields, got %d",
				 hdr_n, nf);
			rc = fail(r, errstr, errlen, why);
			goto out;
		}
		rc = row(l, r, f, n, col, errstr, errlen);
		if (rc < 0)
			goto out;
	}
	if (nf < 0) {
		rc = nf;
		goto out;
	}
	if (!hdr_n) {
		snprintf(errstr, errlen, "%s: empty file", path);
		rc = -EINVAL;
	}
out:
	csv_close(r);
	return rc;
}
