/*
 * test_csl.c - the US Consolidated Screening List loader: a small
 * hand-made file checks every column mapping, the real 2023 file checks
 * counts, and one fixture per failure mode checks "file:line: reason"
 * and -EINVAL.  The shared csl.csv ends in a record cut off inside a
 * quoted field, so the loader must refuse it; the counts are checked on
 * a temporary copy without that last record, made at test time.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lists/loader.h"

#define CSL_REAL "../shared/data/lists/us-csl-2023/csl.csv"

static wl_list *load(const char *path, int *rc, char *err, size_t errlen)
{
	wl_list *l = wl_list_new("", "csl-csv", path);

	assert_non_null(l);
	err[0] = '\0';
	*rc = wl_load_csl(l, path, err, errlen);
	if (*rc == 0)
		assert_int_equal(wl_list_finish(l), 0);
	return l;
}

static const wl_entity *find(const wl_list *l, const char *id)
{
	for (uint32_t i = 0; i < l->n_entities; i++)
		if (!strcmp(l->entities[i].id, id))
			return &l->entities[i];
	fail_msg("entity %s missing", id);
	return NULL;
}

static int has_name(const wl_entity *e, const char *t, wl_name_strength s)
{
	for (uint32_t i = 0; i < e->n_names; i++)
		if (!strcmp(e->names[i].text, t) && e->names[i].strength == s)
			return 1;
	return 0;
}

static int has_id(const wl_entity *e, wl_id_type t, const char *v)
{
	for (uint32_t i = 0; i < e->n_ids; i++)
		if (e->ids[i].type == t && !strcmp(e->ids[i].value, v))
			return 1;
	return 0;
}

static int has_cc(const wl_entity *e, const char *cc)
{
	for (uint32_t i = 0; i < e->n_countries; i++)
		if (!strcmp(e->countries[i], cc))
			return 1;
	return 0;
}

static unsigned count_attr(const wl_entity *e, const char *k, const char *v)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < e->n_attrs; i++)
		if (!strcmp(e->attrs[i].key, k) &&
		    (!v || !strncmp(e->attrs[i].value, v, strlen(v))))
			n++;
	return n;
}

static void test_small(void **state)
{
	char err[512];
	int rc;
	wl_list *l = load("tests/data/csl-small.csv", &rc, err, sizeof(err));
	const wl_entity *e;

	(void)state;
	assert_int_equal(rc, 0);
	assert_string_equal(l->id, "us-csl");
	assert_int_equal(l->n_entities, 3); /* T1 twice = one entity */
	assert_int_equal(l->warnings, 2);   /* repeated header, bad DOB */

	e = find(l, "T1");
	assert_int_equal(e->type, WL_ENT_ORG); /* later row gave the type */
	assert_string_equal(e->names[0].text, "Acme Optics Ltd");
	assert_int_equal(e->names[0].strength, WL_NAME_PRIMARY);
	assert_true(has_name(e, "Acme Optical", WL_NAME_STRONG)); /* "and" */
	assert_true(has_name(e, "ACME OPTICS LTD", WL_NAME_STRONG));
	assert_string_equal(e->programs, "EL; MEU");
	assert_int_equal(count_attr(e, "source", NULL), 2);
	assert_int_equal(count_attr(e, "address", NULL), 1); /* deduped */
	assert_true(has_cc(e, "RU"));

	e = find(l, "T2");
	assert_int_equal(e->type, WL_ENT_PERSON);
	assert_string_equal(e->names[0].text, "DOE, John");
	assert_true(has_name(e, "DOE, Johnny", WL_NAME_STRONG));
	assert_string_equal(e->programs, "SDGT; SDN");
	assert_true(has_id(e, WL_ID_PASSPORT, "A123456"));
	assert_true(has_id(e, WL_ID_BIC, "ABCDIRTH"));
	assert_true(has_id(e, WL_ID_CRYPTO, "1AbCdEf"));
	assert_int_equal(e->n_ids, 3); /* Gender, Website are not ids */
	assert_int_equal(count_attr(e, "gender", "Male"), 1);
	assert_int_equal(count_attr(e, "info", "Website"), 1);
	assert_int_equal(e->n_dobs, 2);
	assert_int_equal(e->dobs[0].year, 1970);
	assert_int_equal(e->dobs[0].month, 5);
	assert_int_equal(e->dobs[0].day, 1);
	assert_int_equal(e->dobs[1].year, 1968);
	assert_int_equal(count_attr(e, "dob_text", "sometime"), 1);
	assert_true(has_cc(e, "IR")); /* citizenship and address "Iran" */
	assert_true(has_cc(e, "RU")); /* nationality */

	e = find(l, "T3");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_true(has_id(e, WL_ID_IMO, "1234567")); /* "IMO " stripped */
	assert_true(has_id(e, WL_ID_MMSI, "273000000"));
	assert_true(has_id(e, WL_ID_CALLSIGN, "CALL1"));
	assert_true(has_cc(e, "PA")); /* flag */
	wl_list_free(l);
}

/* Copy of the real file without its last (cut-off) record. */
static char *trimmed_copy(void)
{
	FILE *in = fopen(CSL_REAL, "rb");
	char *buf, *path = strdup("/tmp/test_csl_XXXXXX");
	long n;
	size_t cut;
	int fd;

	assert_non_null(in);
	assert_non_null(path);
	assert_int_equal(fseek(in, 0, SEEK_END), 0);
	n = ftell(in);
	rewind(in);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, in), (size_t)n);
	fclose(in);
	for (cut = (size_t)n - 1; cut > 0; cut--)
		if (buf[cut - 1] == '\n' && buf[cut] == '"')
			break; /* start of the last record */
	assert_true(cut > 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, cut), (ssize_t)cut);
	close(fd);
	free(buf);
	return path;
}

static unsigned rows_of(const wl_list *l, const char *source)
{
	unsigned n = 0;

	for (uint32_t i = 0; i < l->n_entities; i++)
		n += count_attr(&l->entities[i], "source", source);
	return n;
}

static void test_real_truncated(void **state)
{
	char err[512];
	int rc;
	wl_list *l = load(CSL_REAL, &rc, err, sizeof(err));

	(void)state;
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err, "csl.csv:4233: "));
	assert_non_null(strstr(err, "never closed"));
	wl_list_free(l);
}

static void test_real_counts(void **state)
{
	char err[512], *path = trimmed_copy();
	int rc, types[WL_ENT__COUNT] = { 0 };
	struct timespec a, b;
	wl_list *l;
	const wl_entity *e;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	l = load(path, &rc, err, sizeof(err));
	clock_gettime(CLOCK_MONOTONIC, &b);
	unlink(path);
	free(path);
	assert_int_equal(rc, 0);
	printf("csl: %u entities, %u warnings, load+finish %.1f ms, %zu KiB\n",
	       l->n_entities, l->warnings,
	       (double)(b.tv_sec - a.tv_sec) * 1e3 +
		       (double)(b.tv_nsec - a.tv_nsec) / 1e6,
	       wl_list_memory(l) / 1024);
	/* 4,227 rows listed, the last cut off: 4,226 rows, and 7 _ids
	 * sit on two lists (SSI + NS-MBS, SDN + PLC). */
	assert_int_equal(rows_of(l, ""), 4226);
	assert_int_equal(l->n_entities, 4219);
	assert_int_equal(rows_of(l, "Entity List (EL)"), 919);
	assert_int_equal(rows_of(l, "Denied Persons List (DPL)"), 577);
	assert_int_equal(rows_of(l, "Specially Designated Nationals"), 1737);
	assert_int_equal(rows_of(l, "Sectoral Sanctions"), 288);
	for (uint32_t i = 0; i < l->n_entities; i++)
		types[l->entities[i].type]++;
	assert_int_equal(types[WL_ENT_PERSON], 1122);
	assert_int_equal(types[WL_ENT_ORG], 1055);
	assert_int_equal(types[WL_ENT_VESSEL], 3);
	assert_int_equal(types[WL_ENT_UNKNOWN], 2039); /* BIS/State rows */

	e = find(l, "17013");
	assert_string_equal(e->names[0].text,
			    "VTB BANK PUBLIC JOINT STOCK COMPANY");
	assert_true(has_name(e, "VNESHTORGBANK", WL_NAME_STRONG));
	assert_true(has_id(e, WL_ID_BIC, "VTBRRUMM"));
	assert_true(has_id(e, WL_ID_TAX, "7702070139"));
	assert_true(has_id(e, WL_ID_REGISTRATION, "1027739609391"));
	assert_true(has_id(e, WL_ID_LEI, "253400V1H6ART1UQ0N98"));
	assert_true(has_cc(e, "RU"));
	assert_non_null(strstr(e->programs, "RUSSIA-EO14024"));

	e = find(l, "17014"); /* on SSI and NS-MBS: one entity */
	assert_int_equal(count_attr(e, "source", NULL), 2);
	assert_non_null(strstr(e->programs, "SSI"));
	assert_non_null(strstr(e->programs, "NS-MBS List"));

	e = find(l, "4243");
	assert_int_equal(e->type, WL_ENT_VESSEL);
	assert_string_equal(e->names[0].text, "EBANO");
	assert_true(has_id(e, WL_ID_IMO, "7406784"));
	assert_true(has_cc(e, "PA"));
	wl_list_free(l);
}

static void expect_fail(const char *path, int want, const char *msg)
{
	char err[512];
	int rc;
	wl_list *l = load(path, &rc, err, sizeof(err));

	assert_int_equal(rc, want);
	if (!strstr(err, msg))
		fail_msg("%s: got \"%s\", want \"%s\"", path, err, msg);
	wl_list_free(l);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	expect_fail("tests/data/no-such-csl.csv", -ENOENT,
		    "tests/data/no-such-csl.csv: ");
	expect_fail("../shared/data/lists/uk-conlist-2016/"
		    "sanctionsconlist_2016.csv", -EINVAL,
		    "sanctionsconlist_2016.csv:1: not a CSL file");
	expect_fail("tests/data/csl-wronghdr.csv", -EINVAL,
		    "csl-wronghdr.csv:1: not a CSL file: no \"entity_number\"");
	expect_fail("tests/data/csl-badcols.csv", -EINVAL,
		    "csl-badcols.csv:3: 6 fields, header has 29");
	expect_fail("tests/data/csl-unclosed.csv", -EINVAL,
		    "csl-unclosed.csv:3: quoted field never closed");
	expect_fail("tests/data/csl-badutf8.csv", -EINVAL,
		    "csl-badutf8.csv:3: ");
	expect_fail("tests/data/csl-emptyid.csv", -EINVAL,
		    "csl-emptyid.csv:2: empty _id");
	expect_fail("/dev/null", -EINVAL, "/dev/null: empty file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small),
		cmocka_unit_test(test_real_truncated),
		cmocka_unit_test(test_real_counts),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
