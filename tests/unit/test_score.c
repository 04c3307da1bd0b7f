/*
 * test_score.c - scoring invariants (identity, symmetry, order
 * insensitivity, monotone in edits, numbers), transliteration keys and
 * payment-residue cleaning.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "score.h"

static double cmp(norm_ctx *nc, const char *a, const char *b, wl_ent_type t)
{
	return score_compare(nc, a, strlen(a), b, strlen(b), t, NULL, 0);
}

static void test_key(void **state)
{
	char a[64], b[64], c[64];

	(void)state;
	score_key("aksenov", 7, a, sizeof(a));
	score_key("aksyonov", 8, b, sizeof(b));
	score_key("aksionov", 8, c, sizeof(c));
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	score_key("sergei", 6, a, sizeof(a));
	score_key("sergey", 6, b, sizeof(b));
	score_key("serhiy", 6, c, sizeof(c));
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	score_key("rabinovich", 10, a, sizeof(a));
	score_key("rabinowitz", 10, b, sizeof(b));
	assert_string_equal(a, b);
	assert_int_equal(score_key("x", 1, a, 1), 0);
}

/* Reference: optimal string alignment distance, full table. */
static int osa_ref(const char *a, int n, const char *b, int m)
{
	int d[16][16], i, j;

	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

static void test_lev(void **state)
{
	(void)state;
	/* banded implementation == full dynamic programme (seeded) */
	{
		unsigned r = 12345;
		int it;

		for (it = 0; it < 20000; it++) {
			char a[12], b[12];
			int la, lb, mx, i, full;

			r = r * 1103515245u + 12345u;
			la = (int)(r >> 16) % 10;
			r = r * 1103515245u + 12345u;
			lb = (int)(r >> 16) % 10;
			for (i = 0; i < la; i++) {
				r = r * 1103515245u + 12345u;
				a[i] = (char)('a' + (r >> 16) % 3);
			}
			for (i = 0; i < lb; i++) {
				r = r * 1103515245u + 12345u;
				b[i] = (char)('a' + (r >> 16) % 3);
			}
			r = r * 1103515245u + 12345u;
			mx = (int)(r >> 16) % 6;
			full = osa_ref(a, la, b, lb);
			assert_int_equal(score_lev_bounded(a, (size_t)la, b,
							   (size_t)lb, mx),
					 full > mx ? mx + 1 : full);
		}
	}
	assert_int_equal(score_lev_bounded("kitten", 6, "sitting", 7, 5), 3);
	assert_int_equal(score_lev_bounded("abcd", 4, "abdc", 4, 3), 1);
	assert_int_equal(score_lev_bounded("abc", 3, "xyzuvw", 6, 2), 3);
	assert_int_equal(score_lev_bounded("", 0, "", 0, 0), 0);
	/* fuzz_score-lev-transposition-undercount: the transposition step
	 * read the wrong row */
	assert_int_equal(score_lev_bounded("bbabc", 5, "babac", 5, 3), 2);
	assert_int_equal(score_lev_bounded("babac", 5, "bbabc", 5, 2), 2);
}

/* The coarse phonetic key joins other romanisations of one name and
 * counts as a weaker similarity (SCORE_PHON_SIM). */
static void test_phon(void **state)
{
	static const char *const same[][2] = {
		{"vladimir", "volodymyr"}, {"vladimir", "vlagyimir"},
		{"vladimir", "wladimir"}, {"putin", "poetin"},
		{"putin", "putyin"}, {"putin", "putinas"},
		{"vladimir", "beulladimileu"}, {"putin", "pwtyn"},
	};
	char a[SCORE_KEY_MAX], b[SCORE_KEY_MAX];
	size_t i, la, lb;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		la = score_phon(same[i][0], strlen(same[i][0]), a, sizeof(a));
		lb = score_phon(same[i][1], strlen(same[i][1]), b, sizeof(b));
		assert_int_equal(la, lb);
		assert_string_equal(a, b);
	}
	la = score_phon("putin", 5, a, sizeof(a));
	lb = score_phon("martin", 6, b, sizeof(b));
	assert_true(la != lb || strcmp(a, b) != 0);
	assert_int_equal(score_phon("", 0, a, sizeof(a)), 0);
}

/* Spelt-out and national legal forms compare as their abbreviations. */
static void test_legal_forms_spelt(void **state)
{
	norm_ctx *nc = norm_ctx_new();
	static const char *const pairs[][2] = {
		{"PT Sinar Kenari Abadi", "Perseroan Terbatas Sinar Kenari Abadi"},
		{"Harum Manis Bakery Sdn Bhd", "Harum Manis Bakery Sendirian Berhad"},
		{"Tisza Kereskedelmi Kft", "Tisza Kereskedelmi Korlatolt Felelossegu Tarsasag"},
		{"Bursztynowa Przystan Sp z oo", "Bursztynowa Przystan Spolka z ograniczona odpowiedzialnoscia"},
		{"Lodzi Wytwornia Sp j", "Lodzi Wytwornia Spolka Jawna"},
		{"CV Cahaya Bintang", "Commanditaire Vennootschap Cahaya Bintang"},
		{"Torva Puidutoo OU", "Torva Puidutoo Ltd"},
		{"Halvern Rail Limited Company", "Halvern Rail LLC"},
	};
	size_t i;

	(void)state;
	assert_non_null(nc);
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_true(cmp(nc, pairs[i][0], pairs[i][1], WL_ENT_ORG) >= 0.9);
	norm_ctx_free(nc);
}

/* Regression: stacked trailing legal forms are all cut ("... Joint
 * Stock Company Ltd"), and score_tok_sim_min agrees with score_tok_sim
 * above its floor. */
static void test_legal_forms_stacked(void **state)
{
	norm_ctx *nc = norm_ctx_new();
	score_name a, b;

	(void)state;
	assert_true(cmp(nc, "VTB Leasing Joint Stock Company Ltd",
			"VTB LEASING JOINT STOCK COMPANY", WL_ENT_ORG) >= 0.9);
	assert_true(cmp(nc, "Yamalgazinvest ZAO Co Ltd", "YAMALGAZINVEST, ZAO",
			WL_ENT_ORG) >= 0.9);
	score_name_parse(&a, "kontsern orion oao ooo", 22);
	assert_int_equal(a.n, 2);
	score_name_parse(&a, "maria taylor aksenov", 20);
	score_name_parse(&b, "mario tailor aksyonov", 21);
	for (int i = 0; i < 3; i++)
		for (int j = 0; j < 3; j++) {
			float s = score_tok_sim(&a.tok[i], &b.tok[j],
						WL_ENT_PERSON);
			float m = score_tok_sim_min(&a.tok[i], &b.tok[j],
						    WL_ENT_PERSON, 0.72f);

			if (s >= 0.72f)
				assert_true(s == m);
			else
				assert_true(m < 0.72f);
		}
	norm_ctx_free(nc);
}

static void test_invariants(void **state)
{
	norm_ctx *nc = norm_ctx_new();
	const char *names[] = {"Vladimir Putin", "Rosneft Trading SA",
			       "Kipkorir Cereals Ltd", "Mehmet Yilmaz"};
	size_t i;

	(void)state;
	assert_non_null(nc);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_true(cmp(nc, names[i], names[i], WL_ENT_UNKNOWN) > 0.999);
	/* symmetry */
	assert_true(cmp(nc, "Aksenov Sergei", "Aksyonov Sergey Valeryevich",
			WL_ENT_PERSON) ==
		    cmp(nc, "Aksyonov Sergey Valeryevich", "Aksenov Sergei",
			WL_ENT_PERSON));
	/* order insensitive */
	assert_true(cmp(nc, "Putin Vladimir", "Vladimir Putin",
			WL_ENT_PERSON) > 0.999);
	/* monotone in edits */
	{
		double e1 = cmp(nc, "Alexandrov Technologies",
				"Alexandrow Technologies", WL_ENT_ORG);
		double e2 = cmp(nc, "Alexandrov Technologies",
				"Alxandrow Technologies", WL_ENT_ORG);
		double e3 = cmp(nc, "Alexandrov Technologies",
				"Alxandrw Technologies", WL_ENT_ORG);

		assert_true(e1 >= e2 && e2 >= e3);
	}
	/* numbers must agree */
	assert_true(cmp(nc, "Hoshikaze Maru No. 8", "Hoshikaze Maru No. 6",
			WL_ENT_VESSEL) < SCORE_MATCH_THRESHOLD);
	/* a different content word is not a match */
	assert_true(cmp(nc, "Brennock Steel Tubes Ltd",
			"Brennock Steel Wires Ltd", WL_ENT_ORG) <
		    SCORE_MATCH_THRESHOLD);
	/* transliteration, initials, dropped middle name */
	assert_true(cmp(nc, "Sergei Aksenov", "AKSYONOV, Sergey Valeryevich",
			WL_ENT_PERSON) >= SCORE_MATCH_THRESHOLD);
	assert_true(cmp(nc, "V. Putin", "Vladimir Putin", WL_ENT_PERSON) >=
		    SCORE_MATCH_THRESHOLD);
	assert_true(cmp(nc, "EtsDiallo", "Ets Diallo", WL_ENT_ORG) >=
		    SCORE_MATCH_THRESHOLD);
	/* residue: labels and former names */
	assert_true(cmp(nc, "BENEFICIARY: Kalliosaari Trading OY",
			"Kalliosaari Trading Oy", WL_ENT_ORG) >= 0.9);
	assert_true(cmp(nc, "Ocean Pioneer (ex-Cape Diamond)", "Cape Diamond",
			WL_ENT_VESSEL) >= 0.9);
	/* bad input never crashes */
	assert_true(cmp(nc, "\xff\xfe", "x", WL_ENT_ORG) < 0);
	assert_true(cmp(nc, "", "", WL_ENT_ORG) == 0);
	assert_true(cmp(nc, "...", "Putin", WL_ENT_ORG) == 0);
	norm_ctx_free(nc);
}

static void test_explain(void **state)
{
	norm_ctx *nc = norm_ctx_new();
	char buf[1024];
	double s;

	(void)state;
	s = score_compare(nc, "PUTIN, Vladimir", 15, "Vladimir Putin", 14,
			  WL_ENT_PERSON, buf, sizeof(buf));
	assert_true(s > 0.99);
	assert_non_null(strstr(buf, "putin = putin"));
	s = score_compare(nc, "a b", 3, "c d", 3, WL_ENT_PERSON, buf, 8);
	assert_true(strlen(buf) < 8);
	norm_ctx_free(nc);
}

static void test_clean(void **state)
{
	char buf[512];
	const char *v[SCORE_MAX_VARIANTS];
	size_t vl[SCORE_MAX_VARIANTS];
	const char *in = "Coastline Agro Supplies Ltd - Malindi Branch";
	int n;

	(void)state;
	n = score_clean_variants(in, strlen(in), WL_ENT_ORG, buf, sizeof(buf),
				 v, vl, SCORE_MAX_VARIANTS);
	assert_int_equal(n, 2);
	assert_int_equal(vl[1], strlen("Coastline Agro Supplies Ltd"));
	in = "AKSYONOV, Sergey";
	n = score_clean_variants(in, strlen(in), WL_ENT_PERSON, buf,
				 sizeof(buf), v, vl, SCORE_MAX_VARIANTS);
	assert_int_equal(n, 1);
	n = score_clean_variants(in, strlen(in), WL_ENT_ORG, buf, 4, v, vl,
				 SCORE_MAX_VARIANTS);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_lev),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_legal_forms_stacked),
		cmocka_unit_test(test_legal_forms_spelt),
		cmocka_unit_test(test_phon),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
