/*
 * test_country.c - codes, names, adjectives, fold and the address
 * scanner of country.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "country.h"

static void expect_cc(const char *s, const char *cc)
{
	char out[3] = "";
	int rc = country_lookup(s, strlen(s), out);

	if (rc != 0 || strcmp(out, cc) != 0)
		fail_msg("'%s' -> rc %d '%s', want %s", s, rc, out, cc);
}

static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(country_selfcheck(), 0);
}

static void test_codes(void **state)
{
	char out[3];

	(void)state;
	expect_cc("RU", "RU");
	expect_cc("ru", "RU");
	expect_cc(" RUS ", "RU");
	expect_cc("XK", "XK");
	expect_cc("PRK", "KP");
	expect_cc("ARE", "AE");
	assert_int_equal(country_lookup("ZZ", 2, out), -ENOENT);
	assert_int_equal(country_lookup("QQQ", 3, out), -ENOENT);
	assert_int_equal(country_lookup("", 0, out), -ENOENT);
	assert_int_equal(country_lookup(NULL, 0, out), -ENOENT);
	assert_true(country_valid("tr"));
	assert_false(country_valid("TRK"));
	assert_false(country_valid(NULL));
	assert_string_equal(country_name("RU"), "Russia");
	assert_string_equal(country_name("TR"), "Türkiye");
	assert_null(country_name("ZZ"));
	assert_string_equal(country_alpha3("by"), "BLR");
}

static void test_names(void **state)
{
	(void)state;
	expect_cc("Russia", "RU");
	expect_cc("Russian Federation", "RU");
	expect_cc("RUSSIAN FEDERATION.", "RU");
	expect_cc("Türkiye", "TR");
	expect_cc("Turkiye", "TR");
	expect_cc("Turkey", "TR");
	expect_cc("UAE", "AE");
	expect_cc("U.A.E.", "AE");
	expect_cc("United Arab Emirates", "AE");
	expect_cc("Korea, North", "KP");
	expect_cc("North Korea", "KP");
	expect_cc("DPRK", "KP");
	expect_cc("Korea, Democratic People's Republic of", "KP");
	expect_cc("Korea, South", "KR");
	expect_cc("Iran", "IR");
	expect_cc("Islamic Republic of Iran", "IR");
	expect_cc("Iran (Islamic Republic of)", "IR");
	expect_cc("Syria", "SY");
	expect_cc("Syrian Arab Republic", "SY");
	expect_cc("Burma", "MM");
	expect_cc("Myanmar", "MM");
	expect_cc("Hong Kong", "HK");
	expect_cc("Macau", "MO");
	expect_cc("Macao", "MO");
	expect_cc("Kosovo", "XK");
	expect_cc("Palestine", "PS");
	expect_cc("Côte d'Ivoire", "CI");
	expect_cc("Cote d’Ivoire", "CI");
	expect_cc("Curaçao", "CW");
	expect_cc("Åland Islands", "AX");
	expect_cc("Réunion", "RE");
	expect_cc("Saint Barthélemy", "BL");
	expect_cc("Czech Republic", "CZ");
}

static void test_adjectives(void **state)
{
	(void)state;
	expect_cc("Russian", "RU");
	expect_cc("Belarusian", "BY");
	expect_cc("Iranian", "IR");
	expect_cc("Syrian", "SY");
	expect_cc("Cuban", "CU");
	expect_cc("North Korean", "KP");
	expect_cc("Turkish", "TR");
	expect_cc("Emirati", "AE");
	expect_cc("Chinese", "CN");
	expect_cc("Ukrainian", "UA");
	expect_cc("Kyrgyz", "KG");
}

static void test_fold(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(country_fold("  Türkiye  ", 11 + 1, out, sizeof(out)),
			 7);
	assert_string_equal(out, "turkiye");
	country_fold("IŞIK Çağ Gök Éire", strlen("IŞIK Çağ Gök Éire"), out,
		     sizeof(out));
	assert_string_equal(out, "isik cag gok eire");
	country_fold("ı", strlen("ı"), out, sizeof(out));
	assert_string_equal(out, "i");
	country_fold("People's, Republic", 18, out, sizeof(out));
	assert_string_equal(out, "peoples republic");
	assert_int_equal(country_fold("abcdef", 6, out, 4), -ENOSPC);
	/* invalid UTF-8 never crashes and never matches */
	assert_int_not_equal(country_lookup("\xff\xfe", 2, out), 0);
	assert_int_not_equal(country_lookup("\xc3", 1, out), 0);
}

struct hits {
	int n;
	char cc[8][3];
	const char *region[8];
	size_t off[8], len[8];
};

static void collect(void *ctx, const char *cc, const char *region,
		    size_t off, size_t len)
{
	struct hits *h = ctx;

	if (h->n >= 8)
		return;
	memcpy(h->cc[h->n], cc, 3);
	h->region[h->n] = region;
	h->off[h->n] = off;
	h->len[h->n] = len;
	h->n++;
}

static struct hits scan(const char *s)
{
	struct hits h;

	int rc;

	memset(&h, 0, sizeof(h));
	rc = country_scan(s, strlen(s), collect, &h);
	assert_int_equal(rc, h.n);
	return h;
}

static void test_scan_countries(void **state)
{
	const char *t = "Buyukdere Cd. 100, Istanbul, Türkiye";
	struct hits h;

	(void)state;
	h = scan(t);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.cc[0], "TR");
	assert_null(h.region[0]);
	assert_int_equal(h.off[0], strstr(t, "Türkiye") - t);
	assert_int_equal(h.len[0], strlen("Türkiye"));

	h = scan("Pyongyang, Democratic People's Republic of Korea");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.cc[0], "KP");

	h = scan("Port Moresby, Papua New Guinea");
	assert_int_equal(h.n, 1);
	assert_string_equal(h.cc[0], "PG");

	h = scan("Tverskaya 1, Moscow, Russian Federation; branch in Minsk, Belarus");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.cc[0], "RU");
	assert_string_equal(h.cc[1], "BY");

	/* word boundaries and ambiguous words */
	assert_int_equal(scan("Irano-Hind Shipping").n, 0);
	assert_int_equal(scan("Cubanos street 5").n, 0);
	assert_int_equal(scan("1 Peachtree St, Atlanta, Georgia 30303").n, 0);
	assert_int_equal(scan("Russian Standard Bank").n, 0);
	assert_int_equal(scan("").n, 0);
	assert_int_equal(country_scan(NULL, 5, collect, NULL), 0);
}

static void test_scan_regions(void **state)
{
	struct hits h;

	(void)state;
	h = scan("ul. Lenina 5, Simferopol, Republic of Crimea");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.cc[0], "UA");
	assert_string_equal(h.region[0], "Crimea");
	assert_string_equal(h.region[1], "Crimea");

	h = scan("Donetsk People's Republic, Donetsk");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.region[0], "Donetsk");

	h = scan("Lugansk, LNR");
	assert_int_equal(h.n, 2);
	assert_string_equal(h.region[0], "Luhansk");
	assert_string_equal(h.region[1], "Luhansk");

	h = scan("SEVASTOPOL; Zaporozhye; Kherson; Krym");
	assert_int_equal(h.n, 4);
	assert_string_equal(h.region[0], "Sevastopol");
	assert_string_equal(h.region[1], "Zaporizhzhia");
	assert_string_equal(h.region[2], "Kherson");
	assert_string_equal(h.region[3], "Crimea");

	assert_int_equal(scan("Crimeans Road 4").n, 0);
	assert_int_equal(country_region_lookup("krym", 4), 0);
	assert_int_equal(country_region_lookup("DNR", 3), 2);
	assert_int_equal(country_region_lookup("luhansk", 7), 3);
	assert_int_equal(country_region_lookup("Moscow", 6), -ENOENT);
	assert_string_equal(country_region_name(5), "Kherson");
	assert_null(country_region_name(6));
	assert_int_equal(country_region_count(), 6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_adjectives),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_scan_countries),
		cmocka_unit_test(test_scan_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
