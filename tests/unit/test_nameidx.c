/*
 * test_nameidx.c - the name index over small hand-built lists:
 * transliterated and reordered persons are found, similar-looking
 * unrelated names are not, DOB evidence moves the score, weak aliases
 * never block, free text finds multi-word names (also with a typo) but
 * not common words, and bad input is refused without crashing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nameidx.h"

static wl_list *make_list(void)
{
	static const struct {
		const char *id, *name, *alias;
		wl_ent_type t;
		uint16_t year;
	} rows[] = {
		{"1", "AKSYONOV, Sergey Valeryevich", "AKSENOV, Sergei",
		 WL_ENT_PERSON, 1972},
		{"2", "YILDIRIM, Mehmet Ali", NULL, WL_ENT_PERSON, 1960},
		{"3", "SCHNEIDER, Mariam Hassan", NULL, WL_ENT_PERSON, 1981},
		{"4", "ZALA AERO GROUP", "ZALA", WL_ENT_ORG, 0},
		{"5", "PUTIN, Vladimir Vladimirovich", NULL, WL_ENT_PERSON,
		 1952},
		{"6", "ROSOBORONEXPORT JSC", NULL, WL_ENT_ORG, 0},
		{"7", "KALASHNIKOV CONCERN JSC", NULL, WL_ENT_ORG, 0},
		{"8", "MOHAMMED, Ali Hassan", NULL, WL_ENT_PERSON, 1970},
		{"9", "SCHNEIDER GMBH", NULL, WL_ENT_UNKNOWN, 0},
		{"10", "KONTRAKT OOO", NULL, WL_ENT_ORG, 0},
		{"11", "DANESHJOO, Kamran", NULL, WL_ENT_PERSON, 0},
		{"12", "TRADING SERVICES LLC", NULL, WL_ENT_ORG, 0},
	};
	wl_list *l = wl_list_new("test", "interdict-csv", "-");
	size_t i;

	assert_non_null(l);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int64_t e = wl_list_add_entity(l, rows[i].id,
					       strlen(rows[i].id), rows[i].t);

		assert_true(e >= 0);
		wl_entity_add_name(l, (uint32_t)e, rows[i].name,
				   strlen(rows[i].name), WL_NAME_PRIMARY);
		if (rows[i].alias)
			wl_entity_add_name(l, (uint32_t)e, rows[i].alias,
					   strlen(rows[i].alias),
					   i == 3 ? WL_NAME_WEAK :
						    WL_NAME_STRONG);
		if (rows[i].year)
			wl_entity_add_dob(l, (uint32_t)e,
					  (wl_date){rows[i].year, 0, 0});
	}
	assert_int_equal(wl_list_finish(l), 0);
	return l;
}

typedef struct fx {
	wl_list *l;
	nameidx *ix;
	nameidx_scratch *s;
} fx;

static int setup(void **state)
{
	static fx f;
	char err[128];

	f.l = make_list();
	f.ix = nameidx_build(&f.l, 1, err, sizeof(err));
	f.s = nameidx_scratch_new();
	*state = &f;
	return f.ix && f.s ? 0 : -1;
}

static int teardown(void **state)
{
	fx *f = *state;

	nameidx_free(f->ix);
	nameidx_scratch_free(f->s);
	wl_list_free(f->l);
	return 0;
}

static int match(fx *f, const char *name, wl_ent_type t, uint16_t year,
		 nameidx_hit *h)
{
	nameidx_query q = {0};

	q.name = name;
	q.len = strlen(name);
	q.type = t;
	q.dob.year = year;
	return nameidx_match(f->ix, f->s, &q, h, 8);
}

static void test_finds(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];

	assert_true(match(f, "Sergei Aksenov", WL_ENT_PERSON, 0, h) >= 1);
	assert_int_equal(h[0].entity, 0);
	assert_true(match(f, "Sergey Aksionov", WL_ENT_UNKNOWN, 0, h) >= 1);
	assert_int_equal(h[0].entity, 0);
	assert_true(match(f, "Putin Vladimir", WL_ENT_PERSON, 1952, h) >= 1);
	assert_int_equal(h[0].entity, 4);
	assert_true(h[0].flags & NAMEIDX_HF_DOB_EQUAL);
	assert_true(match(f, "Vladimir Vladimirovich Putin", WL_ENT_PERSON,
			  1952, h) >= 1);
	assert_true(h[0].flags & NAMEIDX_HF_BLOCK);
	assert_non_null(strstr(h[0].reason, "dob equal"));
	assert_true(match(f, "V. Putin", WL_ENT_PERSON, 0, h) >= 1);
	assert_int_equal(h[0].entity, 4);
	assert_true(match(f, "Rosoboroneksport", WL_ENT_ORG, 0, h) >= 1);
	assert_int_equal(h[0].entity, 5);
}

static void test_rejects(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];

	assert_int_equal(match(f, "Mehmet Yilmaz", WL_ENT_PERSON, 1985, h), 0);
	assert_int_equal(match(f, "Maria Schneider", WL_ENT_PERSON, 1990, h),
			 0);
	assert_int_equal(match(f, "John Smith", WL_ENT_PERSON, 0, h), 0);
	/* a DOB conflict lowers the score */
	{
		int a = match(f, "Sergei Aksenov", WL_ENT_PERSON, 0, h);
		float s0 = a ? h[0].score : 0;
		int b = match(f, "Sergei Aksenov", WL_ENT_PERSON, 1990, h);

		assert_true(a >= 1);
		assert_true(b == 0 || h[0].score < s0);
	}
}

/* Regression: a person must not meet an organisation on one surname;
 * an untyped entity with a legal form (CSL "Schneider GMBH") is an
 * organisation. */
static void test_person_vs_company(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];
	nameidx_query q = {0};
	int n, i;

	q.name = "Maria Schneider";
	q.len = strlen(q.name);
	q.type = WL_ENT_PERSON;
	memcpy(q.country, "DE", 3);
	n = nameidx_match(f->ix, f->s, &q, h, 8);
	for (i = 0; i < n; i++)
		assert_int_not_equal(h[i].entity, 8);
	assert_int_equal(n, 0);
	/* the company itself is still found */
	assert_true(match(f, "Schneider GmbH", WL_ENT_ORG, 0, h) >= 1);
	assert_int_equal(h[0].entity, 8);
}

/* Regression: a typo that changes a digraph moves the transliteration
 * key far ("danesdjoo" / "daneshjoo"); the text neighbourhood finds it. */
static void test_typo_digraph(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];

	assert_true(match(f, "Danesdjoo Kamran", WL_ENT_PERSON, 0, h) >= 1);
	assert_int_equal(h[0].entity, 10);
	assert_true(match(f, "Kamran Daneshjo", WL_ENT_PERSON, 0, h) >= 1);
	assert_int_equal(h[0].entity, 10);
}

/* Every listed name screened as itself finds its entity near 1. */
static void test_self(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];
	static const char *const names[] = {
		"AKSYONOV, Sergey Valeryevich", "YILDIRIM, Mehmet Ali",
		"ZALA AERO GROUP", "PUTIN, Vladimir Vladimirovich",
		"KALASHNIKOV CONCERN JSC", "SCHNEIDER GMBH",
	};
	static const uint32_t ent[] = {0, 1, 3, 4, 6, 8};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n = match(f, names[i], WL_ENT_UNKNOWN, 0, h), k, ok = 0;

		for (k = 0; k < n; k++)
			ok |= h[k].entity == ent[i] && h[k].score >= 0.95f;
		assert_true(ok);
	}
}

static void test_weak(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];
	int n = match(f, "Zala", WL_ENT_ORG, 0, h);

	/* the weak alias alone may be reviewed, never blocked */
	if (n > 0) {
		assert_true(h[0].flags & NAMEIDX_HF_WEAK);
		assert_false(h[0].flags & NAMEIDX_HF_BLOCK);
	}
}

static void scan(fx *f, const char *t, int want_ent)
{
	nameidx_hit h[8];
	int n = nameidx_scan_text(f->ix, f->s, t, strlen(t), h, 8);

	if (want_ent < 0) {
		assert_int_equal(n, 0);
		return;
	}
	assert_true(n >= 1);
	assert_int_equal(h[0].entity, (uint32_t)want_ent);
	assert_true(h[0].flags & NAMEIDX_HF_TEXT);
}

static void test_text(void **state)
{
	fx *f = *state;

	scan(f, "payment for drones, supplier Zala Aero Group, Izhevsk", 3);
	scan(f, "invoice 77 kalashnikof concern jsc spare parts", 6);
	scan(f, "consulting fee to Sergey Aksyonov per contract", 0);
	scan(f, "payment for 500 pcs STM32F407 per invoice 77", -1);
	scan(f, "group aero services", -1);
}

/* Regression: one very rare long word of a company name may fire in
 * free text, as review only; ordinary remittance words never do (also
 * when their transliteration key equals a listed word: "contract" /
 * KONTRAKT OOO). */
static void test_text_single_word(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];
	static const char *const quiet[] = {
		"payment for services invoice 4471 dated 12.03",
		"advance payment per contract 44 consulting services",
		"trading services fee, invoice 2024-118",
		"transportation and logistics, spare parts, customs clearance",
		"salary march 2024 employee 1182",
		"refund of deposit, order 55812, trading company",
		"payment under contract 7781, contracts attached",
	};
	const char *t = "advance for ROSOBORONEXPORT spare parts contract 44";
	size_t i;
	int n = nameidx_scan_text(f->ix, f->s, t, strlen(t), h, 8);

	assert_int_equal(n, 1);
	assert_int_equal(h[0].entity, 5);
	assert_true(h[0].flags & NAMEIDX_HF_TEXT);
	assert_false(h[0].flags & NAMEIDX_HF_BLOCK);
	assert_non_null(strstr(h[0].reason, "single rare word"));
	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		scan(f, quiet[i], -1);
}

static void test_bad_input(void **state)
{
	fx *f = *state;
	nameidx_hit h[8];
	nameidx_query q = {0};

	q.name = "\xc3\x28";
	q.len = 2;
	assert_int_equal(nameidx_match(f->ix, f->s, &q, h, 8), -EILSEQ);
	assert_int_equal(nameidx_match(NULL, f->s, &q, h, 8), -EINVAL);
	q.name = "";
	q.len = 0;
	assert_int_equal(nameidx_match(f->ix, f->s, &q, h, 8), 0);
	q.name = "Putin";
	q.len = 5;
	assert_true(nameidx_match(f->ix, f->s, &q, NULL, 0) == 0);
	assert_int_equal(nameidx_scan_text(f->ix, f->s, "\xff", 1, h, 8),
			 -EILSEQ);
	assert_int_equal(nameidx_scan_text(f->ix, f->s, "", 0, h, 8), 0);
	assert_true(nameidx_memory(f->ix) > 0);
	assert_true(nameidx_names(f->ix) >= 8);
}

static void test_empty_index(void **state)
{
	char err[64];
	nameidx *ix = nameidx_build(NULL, 0, err, sizeof(err));
	nameidx_scratch *s = nameidx_scratch_new();
	nameidx_hit h[4];
	nameidx_query q = {0};

	(void)state;
	assert_non_null(ix);
	q.name = "anything";
	q.len = 8;
	assert_int_equal(nameidx_match(ix, s, &q, h, 4), 0);
	assert_int_equal(nameidx_scan_text(ix, s, "a b c", 5, h, 4), 0);
	nameidx_free(ix);
	nameidx_scratch_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finds),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_weak),
		cmocka_unit_test(test_person_vs_company),
		cmocka_unit_test(test_typo_digraph),
		cmocka_unit_test(test_self),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_single_word),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_empty_index),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
