/*
 * test_translit.c - per-standard romanisation of single words.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "translit.h"

/* Minimal UTF-8 to code points for test literals (valid input only). */
static size_t cps(const char *s, uint32_t *w, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0;

	while (*u && n < max) {
		uint32_t c = *u++;
		int k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

		if (k)
			c &= 0x3fu >> k;
		while (k-- > 0)
			c = (c << 6) | (*u++ & 0x3f);
		w[n++] = c;
	}
	return n;
}

/* Romanise UTF-8 word s under (cyr, greek, arabic) standards. */
static const char *tr(unsigned cy, unsigned gr, unsigned ar, unsigned flags,
		      const char *s)
{
	static char out[512];
	uint32_t w[128];
	translit_std std = { { (unsigned char)cy, (unsigned char)gr,
			       (unsigned char)ar } };
	size_t n = cps(s, w, 128);
	ssize_t r = translit_word(&std, flags, w, n, out, sizeof(out) - 1);

	assert_true(r >= 0);
	out[r] = '\0';
	return out;
}

static void test_russian_standards(void **state)
{
	(void)state;
	/* 0 default, 1 ICAO, 2 BGN, 3 GOST B, 4 pop yo, 5 pop io, 6 DE, 7 FR */
	assert_string_equal(tr(0, 0, 0, 0, "аксёнов"), "aksenov");
	assert_string_equal(tr(1, 0, 0, 0, "аксёнов"), "aksenov");
	assert_string_equal(tr(2, 0, 0, 0, "аксёнов"), "aksyonov");
	assert_string_equal(tr(5, 0, 0, 0, "аксёнов"), "aksionov");
	assert_string_equal(tr(6, 0, 0, 0, "аксёнов"), "aksjonow");
	assert_string_equal(tr(1, 0, 0, 0, "юлия"), "iuliia");
	assert_string_equal(tr(0, 0, 0, 0, "юлия"), "yuliya");
	assert_string_equal(tr(1, 0, 0, 0, "объект"), "obieekt");
	/* BGN: е after vowel / soft sign and at word start is ye */
	assert_string_equal(tr(2, 0, 0, 0, "валерьевич"), "valeryevich");
	assert_string_equal(tr(2, 0, 0, 0, "евгений"), "yevgeniy");
	assert_string_equal(tr(0, 0, 0, 0, "евгений"), "evgeniy");
	/* GOST 7.79 B: x, j, shh, c before i/e, cz otherwise */
	assert_string_equal(tr(3, 0, 0, 0, "щукин"), "shhukin");
	assert_string_equal(tr(3, 0, 0, 0, "цирк"), "cirk");
	assert_string_equal(tr(3, 0, 0, 0, "цапля"), "czaplya");
	assert_string_equal(tr(3, 0, 0, 0, "хабаровский"), "xabarovskij");
	/* popular -ий endings */
	assert_string_equal(tr(4, 0, 0, 0, "дмитрий"), "dmitry");
	assert_string_equal(tr(6, 0, 0, 0, "дмитрий"), "dmitri");
	/* German ss between vowels, sch, w; French ou, gu, -ine */
	assert_string_equal(tr(6, 0, 0, 0, "владимирович"), "wladimirowitsch");
	assert_string_equal(tr(6, 0, 0, 0, "горбачёв"), "gorbatschow");
	assert_string_equal(tr(7, 0, 0, 0, "путин"), "poutine");
	assert_string_equal(tr(7, 0, 0, 0, "сергей"), "serguei");
	/* out-of-range standard falls back to the default */
	assert_string_equal(tr(77, 0, 0, 0, "щука"), "shchuka");
}

static void test_ukrainian_standards(void **state)
{
	const unsigned uk = TRANSLIT_F_UK;

	(void)state;
	assert_int_equal(translit_nstd(TRANSLIT_CYR, uk), 4);
	assert_string_equal(tr(0, 0, 0, uk, "сергій"), "serhii");
	assert_string_equal(tr(1, 0, 0, uk, "сергій"), "serhiy");
	assert_string_equal(tr(2, 0, 0, uk, "сергій"), "sergii");
	assert_string_equal(tr(0, 0, 0, uk, "володимир"), "volodymyr");
	assert_string_equal(tr(0, 0, 0, uk, "їжак"), "yizhak");
	assert_string_equal(tr(0, 0, 0, uk, "київ"), "kyiv");
	assert_string_equal(tr(0, 0, 0, uk, "євген"), "yevhen");
	assert_string_equal(tr(0, 0, 0, uk, "ґанок"), "ganok");
	assert_string_equal(tr(0, 0, 0, uk, "згурський"), "zghurskyi");
	assert_string_equal(tr(0, 0, 0, uk, "пуцін"), "putsin");
	assert_string_equal(tr(3, 0, 0, uk, "ўладзімір"), "wladzimir");
	/* Latin i typed inside a Cyrillic word reads as і */
	assert_string_equal(tr(0, 0, 0, uk, "сергiй"), "serhii");
}

static void test_greek(void **state)
{
	(void)state;
	assert_int_equal(translit_nstd(TRANSLIT_GREEK, 0), 3);
	assert_string_equal(tr(0, 0, 0, 0, "πουτιν"), "poutin");
	assert_string_equal(tr(0, 1, 0, 0, "πουτιν"), "putin");
	assert_string_equal(tr(0, 0, 0, 0, "βλαντιμιρ"), "vlantimir");
	assert_string_equal(tr(0, 1, 0, 0, "βλαντιμιρ"), "vlandimir");
	assert_string_equal(tr(0, 2, 0, 0, "βλαντιμιρ"), "vladimir");
	assert_string_equal(tr(0, 0, 0, 0, "μπαμπης"), "bampis");
	assert_string_equal(tr(0, 0, 0, 0, "ευθυμιος"), "efthymios");
	assert_string_equal(tr(0, 0, 0, 0, "ευαγγελος"), "evangelos");
	assert_string_equal(tr(0, 0, 0, 0, "χρηστος"), "christos");
	assert_string_equal(tr(0, 1, 0, 0, "χρηστος"), "khristos");
}

static void test_arabic(void **state)
{
	(void)state;
	assert_int_equal(translit_nstd(TRANSLIT_ARABIC, 0), 4);
	assert_string_equal(tr(0, 0, 0, 0, "محمد"), "mhmd");
	assert_string_equal(tr(0, 0, 0, 0, "علي"), "ali");
	assert_string_equal(tr(0, 0, 0, 0, "بوتين"), "butin");
	assert_string_equal(tr(0, 0, 0, 0, "وليد"), "wlid");
	assert_string_equal(tr(0, 0, 0, 0, "الحسن"), "al hsn");
	assert_string_equal(tr(0, 0, 1, 0, "الحسن"), "el hsn");
	assert_string_equal(tr(0, 0, 2, 0, "الحسن"), "alhsn");
	assert_string_equal(tr(0, 0, 0, 0, "الله"), "allah");
	assert_string_equal(tr(0, 0, 0, 0, "عبدالله"), "abdallah");
	assert_string_equal(tr(0, 0, 0, 0, "موسى"), "musa");
	/* Persian reading: consonantal waw is v */
	assert_string_equal(tr(0, 0, 0, TRANSLIT_F_FA, "ولادیمیر"),
			    "vladimir");
	assert_string_equal(tr(0, 0, 3, 0, "وليد"), "vlid");
}

static void test_classification(void **state)
{
	(void)state;
	assert_int_equal(translit_script_of(0x416), TRANSLIT_CYR);
	assert_int_equal(translit_script_of(0x3b1), TRANSLIT_GREEK);
	assert_int_equal(translit_script_of(0x645), TRANSLIT_ARABIC);
	assert_int_equal(translit_script_of('a'), -1);
	assert_int_equal(translit_script_of(0x4e00), -1);
	assert_true(translit_known(0x436));
	assert_true(translit_known(0x45e));
	assert_true(translit_known(0x458)); /* Serbian ј */
	assert_false(translit_known(0x3e2)); /* Coptic */
	assert_false(translit_known(0x4e00));
	assert_int_equal(translit_flags_of(0x456), TRANSLIT_F_UK);
	assert_int_equal(translit_flags_of(0x6cc), TRANSLIT_F_FA);
	assert_int_equal(translit_flags_of(0x430), 0);
}

static void test_enospc(void **state)
{
	uint32_t w[16];
	char out[4];
	size_t n = cps("щукин", w, 16);

	(void)state;
	assert_int_equal(translit_word(NULL, 0, w, n, out, sizeof(out)),
			 -ENOSPC);
	assert_int_equal(translit_word(NULL, 0, w, 0, out, sizeof(out)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_russian_standards),
		cmocka_unit_test(test_ukrainian_standards),
		cmocka_unit_test(test_greek),
		cmocka_unit_test(test_arabic),
		cmocka_unit_test(test_classification),
		cmocka_unit_test(test_enospc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
