/*
 * test_ids.c - identifier validation, canonical keys and text scan,
 * with identifiers taken from the OFAC SDN and EU lists in ../shared.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ids.h"

static int norm(wl_id_type t, const char *s, char *out)
{
	return ids_normalize(t, s, strlen(s), out, IDS_KEY_MAX);
}

static void expect_norm(wl_id_type t, const char *s, const char *want)
{
	char out[IDS_KEY_MAX];
	int n = norm(t, s, out);

	if (n != (int)strlen(want) || strcmp(out, want) != 0)
		fail_msg("%s '%s' -> %d '%s', want '%s'", wl_id_type_name(t),
			 s, n, n > 0 ? out : "", want);
}

static void expect_invalid(wl_id_type t, const char *s)
{
	char out[IDS_KEY_MAX];
	int n = norm(t, s, out);

	if (n != -EINVAL)
		fail_msg("%s '%s' -> %d, want -EINVAL", wl_id_type_name(t), s,
			 n);
}

static void test_imo(void **state)
{
	(void)state;
	expect_norm(WL_ID_IMO, "9179842", "9179842");
	expect_norm(WL_ID_IMO, "IMO 9179842", "9179842");
	expect_norm(WL_ID_IMO, "imo9179842", "9179842");
	expect_norm(WL_ID_IMO, "IMO 9187629", "9187629"); /* SDN */
	expect_invalid(WL_ID_IMO, "9179843");
	expect_invalid(WL_ID_IMO, "917984");
	expect_invalid(WL_ID_IMO, "IMO");
	assert_true(ids_imo_valid("7406784"));
	assert_false(ids_imo_valid("740678"));
	assert_false(ids_imo_valid("74067a4"));
}

static void test_bic(void **state)
{
	char out[IDS_KEY_MAX], b8[9];

	(void)state;
	expect_norm(WL_ID_BIC, "HNRBBY2X", "HNRBBY2XXXX"); /* SDN */
	expect_norm(WL_ID_BIC, "akbk tr is", "AKBKTRISXXX");
	expect_norm(WL_ID_BIC, "SABRRUMM012", "SABRRUMM012");
	expect_invalid(WL_ID_BIC, "SABRZZMM");   /* ZZ not a country */
	expect_invalid(WL_ID_BIC, "SABRRUMM01"); /* 10 chars */
	expect_invalid(WL_ID_BIC, "SABR1UMM");
	assert_int_equal(ids_bic8("SABRRUMM012", 11, b8), 8);
	assert_string_equal(b8, "SABRRUMM");
	assert_int_equal(ids_bic8("XX", 2, b8), -EINVAL);
	/* branch and head office share the matching key */
	assert_int_equal(ids_match_key(WL_ID_BIC, "SABRRUMM012", 11, out,
				       sizeof(out), NULL), 8);
	assert_string_equal(out, "SABRRUMM");
	assert_int_equal(ids_match_key(WL_ID_BIC, "SABRRUMMXXX", 11, out,
				       sizeof(out), NULL), 8);
	assert_string_equal(out, "SABRRUMM");
}

static void test_iban(void **state)
{
	(void)state;
	expect_norm(WL_ID_IBAN, "TR33 0006 1005 1978 6457 8413 26",
		    "TR330006100519786457841326");
	expect_norm(WL_ID_IBAN, "de89-3704-0044-0532-0130-00",
		    "DE89370400440532013000");
	expect_norm(WL_ID_IBAN, "GB82WEST12345698765432",
		    "GB82WEST12345698765432");
	expect_invalid(WL_ID_IBAN, "GB82WEST12345698765433"); /* mod 97 */
	expect_invalid(WL_ID_IBAN, "DE8937040044053201300");  /* length */
	expect_invalid(WL_ID_IBAN, "US89370400440532013000"); /* no IBAN */
}

static void test_russian(void **state)
{
	(void)state;
	expect_norm(WL_ID_INN, "7707083893", "7707083893");  /* Sberbank */
	expect_norm(WL_ID_INN, "773407989940", "773407989940"); /* SDN */
	expect_invalid(WL_ID_INN, "7707083894");
	expect_invalid(WL_ID_INN, "773407989941");
	expect_invalid(WL_ID_INN, "77070838");
	expect_norm(WL_ID_OGRN, "1027700132195", "1027700132195");
	expect_norm(WL_ID_OGRN, "1147746803049", "1147746803049"); /* SDN */
	expect_invalid(WL_ID_OGRN, "1027700132196");
	expect_norm(WL_ID_OGRN, "304500116000157", "304500116000157");
	expect_invalid(WL_ID_OGRN, "304500116000158");
	expect_norm(WL_ID_KPP, "773601001", "773601001");
	expect_invalid(WL_ID_KPP, "77360100");
}

static void test_lei_mmsi(void **state)
{
	(void)state;
	expect_norm(WL_ID_LEI, "253400V1H6ART1UQ0N98", "253400V1H6ART1UQ0N98");
	expect_norm(WL_ID_LEI, "6556009fcj7o8qpftc19", "6556009FCJ7O8QPFTC19");
	expect_invalid(WL_ID_LEI, "253400V1H6ART1UQ0N99");
	expect_invalid(WL_ID_LEI, "2180068XRFK54K3Z159");
	expect_norm(WL_ID_MMSI, "273 456 789", "273456789");
	expect_invalid(WL_ID_MMSI, "27345678");
}

static void test_crypto_docs(void **state)
{
	char out[IDS_KEY_MAX];

	(void)state;
	expect_norm(WL_ID_CRYPTO, "0x098B716B8Aaf21512996dC57EB0615e2383E2f96",
		    "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
	expect_invalid(WL_ID_CRYPTO, "0x098B716B8Aaf21512996dC57EB0615e2383E2fZZ");
	expect_norm(WL_ID_CRYPTO, "BC1QV7K70U2ZYNVEM59U88CTDLAW7HC735D8XEP9RQ",
		    "bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq");
	expect_norm(WL_ID_CRYPTO, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
		    "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
	expect_invalid(WL_ID_CRYPTO, "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH0O");
	expect_norm(WL_ID_PASSPORT, "no. 71 1234-567", "NO711234567");
	expect_norm(WL_ID_TAX, " ab-12/34 ", "AB1234");
	expect_invalid(WL_ID_PASSPORT, " -/ ");
	/* raw key survives a bad checksum */
	assert_int_equal(ids_key_raw(WL_ID_IMO, "IMO 1142781", 11, out,
				     sizeof(out)), 7);
	assert_string_equal(out, "1142781");
	int valid = 1;
	assert_int_equal(ids_match_key(WL_ID_IMO, "IMO 1142781", 11, out,
				       sizeof(out), &valid), 7);
	assert_false(valid);
	assert_int_equal(ids_normalize(WL_ID_IBAN, "DE89370400440532013000",
				       22, out, 8), -ENOSPC);
	assert_int_equal(ids_normalize(WL_ID__COUNT + 3, "x1", 2, out,
				       sizeof(out)), 2);
}

struct found {
	int n;
	wl_id_type t[8];
	char key[8][IDS_KEY_MAX];
	size_t off[8], len[8];
};

static void collect(void *ctx, wl_id_type t, const char *key, size_t klen,
		    size_t off, size_t len)
{
	struct found *f = ctx;

	if (f->n >= 8)
		return;
	f->t[f->n] = t;
	memcpy(f->key[f->n], key, klen);
	f->key[f->n][klen] = '\0';
	f->off[f->n] = off;
	f->len[f->n] = len;
	f->n++;
}

static struct found scan(const char *s)
{
	struct found f;
	int rc;

	memset(&f, 0, sizeof(f));
	rc = ids_scan_text(s, strlen(s), collect, &f);
	assert_int_equal(rc, f.n);
	return f;
}

static void expect_one(const char *text, wl_id_type t, const char *key)
{
	struct found f = scan(text);

	if (f.n != 1 || f.t[0] != t || strcmp(f.key[0], key) != 0)
		fail_msg("'%s': %d hits, first %s '%s'; want %s '%s'", text,
			 f.n, f.n ? wl_id_type_name(f.t[0]) : "-",
			 f.n ? f.key[0] : "", wl_id_type_name(t), key);
}

static void test_scan(void **state)
{
	const char *t = "freight ANGARA IMO: 9179842, invoice 77";
	struct found f;

	(void)state;
	f = scan(t);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.t[0], WL_ID_IMO);
	assert_string_equal(f.key[0], "9179842");
	assert_int_equal(f.off[0], strstr(t, "9179842") - t);
	assert_int_equal(f.len[0], 7);
	expect_one("vessel imo9187629 charter", WL_ID_IMO, "9187629");
	expect_one("ref 9187629 charter", WL_ID_IMO, "9187629");
	assert_int_equal(scan("ref 9187628 charter").n, 0);
	assert_int_equal(scan("amount 1.9187629 EUR").n, 0);
	expect_one("pay to TR33 0006 1005 1978 6457 8413 26 thanks",
		   WL_ID_IBAN, "TR330006100519786457841326");
	expect_one("IBAN DE89370400440532013000", WL_ID_IBAN,
		   "DE89370400440532013000");
	assert_int_equal(scan("IBAN DE89370400440532013001").n, 0);
	expect_one("via SWIFT code: sabrrumm012", WL_ID_BIC, "SABRRUMM");
	expect_one("bank HNRBBY2X Minsk", WL_ID_BIC, "HNRBBY2X");
	assert_int_equal(scan("bank hnrbby2x Minsk").n, 0);
	assert_int_equal(scan("CONTRACT INVOICES").n, 0);
	/* a capitalised word can look like a BIC ("SHIP ME NT"): it is
	 * only a lookup key, reported so the caller may look it up */
	expect_one("SHIPMENT", WL_ID_BIC, "SHIPMENT");
	expect_one("ООО Ромашка ИНН 7707083893", WL_ID_INN, "7707083893");
	expect_one("INN: 7707083893", WL_ID_INN, "7707083893");
	assert_int_equal(scan("INN: 7707083894").n, 0);
	expect_one("OGRN No. 1027700132195", WL_ID_OGRN, "1027700132195");
	expect_one("to 0x098B716B8Aaf21512996dC57EB0615e2383E2f96 now",
		   WL_ID_CRYPTO, "0x098b716b8aaf21512996dc57eb0615e2383e2f96");
	expect_one("btc bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq",
		   WL_ID_CRYPTO, "bc1qv7k70u2zynvem59u88ctdlaw7hc735d8xep9rq");
	expect_one("btc 12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", WL_ID_CRYPTO,
		   "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
	assert_int_equal(scan("payment for 500 pcs STM32F407 per invoice 77").n,
			 0);
	assert_int_equal(scan("").n, 0);
	assert_int_equal(ids_scan_text(NULL, 4, collect, NULL), 0);
	assert_int_equal(scan("IMO \xff\xfe\xc3").n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_imo),	  cmocka_unit_test(test_bic),
		cmocka_unit_test(test_iban),	  cmocka_unit_test(test_russian),
		cmocka_unit_test(test_lei_mmsi), cmocka_unit_test(test_crypto_docs),
		cmocka_unit_test(test_scan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
