/*
 * test_idset.c - identifier set: classes, branch BICs, duplicates,
 * cross-type document numbers, and every IMO number of the OFAC SDN
 * 2024 list found again.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "idset.h"
#include "ids.h"

#define SDN "../shared/data/lists/ofac-sdn-2024/sdn.csv"

static int look(const idset *s, wl_id_type t, const char *v,
		const idset_ref **r)
{
	return idset_lookup_value(s, t, v, strlen(v), r);
}

static void add(idset_builder *b, wl_id_type t, const char *v, uint16_t l,
		uint32_t e)
{
	assert_int_equal(idset_builder_add(b, t, v, strlen(v), l, e), 0);
}

static void test_classes(void **state)
{
	(void)state;
	assert_int_equal(idset_class(WL_ID_INN), IDSET_C_DOCUMENT);
	assert_int_equal(idset_class(WL_ID_TAX), IDSET_C_DOCUMENT);
	assert_int_equal(idset_class(WL_ID_PASSPORT), IDSET_C_DOCUMENT);
	assert_int_equal(idset_class(WL_ID_IBAN), IDSET_C_ACCOUNT);
	assert_int_equal(idset_class(WL_ID_ACCOUNT), IDSET_C_ACCOUNT);
	assert_int_not_equal(idset_class(WL_ID_IMO), idset_class(WL_ID_MMSI));
	assert_string_equal(idset_class_name(IDSET_C_BIC), "bic");
}

static void test_basic(void **state)
{
	idset_builder *b = idset_builder_new();
	const idset_ref *r;
	idset *s;

	(void)state;
	assert_non_null(b);
	add(b, WL_ID_BIC, "SABRRUMM", 0, 10);
	add(b, WL_ID_IMO, "IMO 9179842", 0, 11);
	add(b, WL_ID_IMO, "9179842", 1, 3);      /* same ship, other list */
	add(b, WL_ID_IMO, "9179842", 1, 3);      /* duplicate */
	add(b, WL_ID_TAX, "7707083893", 0, 12);  /* "Tax ID No." */
	add(b, WL_ID_IBAN, "DE89 3704 0044 0532 0130 00", 2, 7);
	add(b, WL_ID_CRYPTO, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", 0,
	    13);
	assert_int_equal(idset_builder_add(b, WL_ID_PASSPORT, " -- ", 4, 0, 1),
			 -EINVAL);
	s = idset_finish(b);
	assert_non_null(s);
	assert_int_equal(idset_keys(s), 5);
	assert_true(idset_memory(s) > 0);

	/* branch BIC finds its institution */
	assert_int_equal(look(s, WL_ID_BIC, "SABRRUMM012", &r), 1);
	assert_int_equal(r[0].entity, 10);
	assert_int_equal(look(s, WL_ID_BIC, "sabrrummxxx", &r), 1);
	assert_int_equal(look(s, WL_ID_BIC, "SABRRUM2", &r), 0);
	assert_null(r);

	assert_int_equal(look(s, WL_ID_IMO, "9179842", &r), 2);
	assert_int_equal(r[0].list, 0);
	assert_int_equal(r[1].list, 1);
	assert_int_equal(r[1].entity, 3);
	assert_int_equal(r[0].valid, 1);
	/* an IMO number is not an MMSI */
	assert_int_equal(look(s, WL_ID_MMSI, "9179842", &r), 0);

	/* inn in an event finds a listed tax id, type kept in the ref */
	assert_int_equal(look(s, WL_ID_INN, "7707083893", &r), 1);
	assert_int_equal(r[0].type, WL_ID_TAX);
	assert_int_equal(look(s, WL_ID_REGISTRATION, "7707083893", &r), 1);

	assert_int_equal(look(s, WL_ID_ACCOUNT, "DE89370400440532013000", &r),
			 1);
	assert_int_equal(r[0].list, 2);
	assert_int_equal(look(s, WL_ID_CRYPTO,
			      "0x098b716b8aaf21512996dc57eb0615e2383e2f96", &r),
			 1);
	assert_int_equal(idset_lookup(s, WL_ID_IMO, "", 0, &r), 0);
	assert_int_equal(idset_lookup(NULL, WL_ID_IMO, "9179842", 7, &r), 0);
	idset_free(s);
}

static void test_empty(void **state)
{
	idset *s = idset_finish(idset_builder_new());
	const idset_ref *r;

	(void)state;
	assert_non_null(s);
	assert_int_equal(look(s, WL_ID_IMO, "9179842", &r), 0);
	idset_free(s);
	idset_builder_free(NULL);
	idset_free(NULL);
}

/* Every "IMO nnnnnnn" in the SDN remarks, valid check digit or not. */
static void test_sdn_imos(void **state)
{
	FILE *f = fopen(SDN, "rb");
	idset_builder *b = idset_builder_new();
	static char imos[4000][8];
	char line[8192];
	size_t n = 0, found = 0;
	const idset_ref *r;
	idset *s;

	(void)state;
	if (!f)
		skip();
	while (fgets(line, sizeof(line), f) && n < 4000) {
		for (char *p = strstr(line, "IMO "); p; p = strstr(p + 4, "IMO ")) {
			if (strspn(p + 4, "0123456789") != 7)
				continue;
			memcpy(imos[n], p + 4, 7);
			imos[n][7] = '\0';
			add(b, WL_ID_IMO, imos[n], 0, (uint32_t)n);
			n++;
		}
	}
	fclose(f);
	s = idset_finish(b);
	assert_non_null(s);
	assert_true(n > 900);
	for (size_t i = 0; i < n; i++) {
		int k = look(s, WL_ID_IMO, imos[i], &r);
		found += k > 0;
	}
	assert_int_equal(found, n);
	assert_int_equal(look(s, WL_ID_IMO, "0000000", &r), 0);
	idset_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_sdn_imos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
