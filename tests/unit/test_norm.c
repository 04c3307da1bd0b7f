/*
 * test_norm.c - the shared normaliser: canonical form, scripts,
 * invalid UTF-8, buffer limits, idempotence, list-side variants,
 * person reordering and legal forms.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "norm.h"

static int setup(void **state)
{
	*state = norm_ctx_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	norm_ctx_free(*state);
	return 0;
}

static const char *N(norm_ctx *nc, const char *s)
{
	static char out[1024];
	ssize_t r = norm_text(nc, s, strlen(s), out, sizeof(out));

	assert_true(r >= 0);
	assert_int_equal((size_t)r, strlen(out));
	return out;
}

/* Canonical form: [a-z0-9]+ tokens, one space between, none outside. */
static void assert_canonical(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ')
			assert_true(i > 0 && i + 1 < len && s[i - 1] != ' ');
		else
			assert_true((c >= 'a' && c <= 'z') ||
				    (c >= '0' && c <= '9'));
	}
	assert_int_equal(s[len], '\0');
}

static void test_ascii(void **state)
{
	norm_ctx *nc = *state;

	assert_string_equal(N(nc, "AKSYONOV, Sergey Valeryevich"),
			    "aksyonov sergey valeryevich");
	assert_string_equal(N(nc, "O'Brien"), "obrien");
	assert_string_equal(N(nc, "  --Nord  Stream 2 AG--  "),
			    "nord stream 2 ag");
	assert_string_equal(N(nc, "ROSOBORONEKSPORT OAO"),
			    "rosoboroneksport oao");
	assert_string_equal(N(nc, "J.P. Morgan & Co."), "jp morgan co");
	assert_string_equal(N(nc, "!!! ..."), "");
	assert_string_equal(N(nc, ""), "");
}

static void test_latin(void **state)
{
	norm_ctx *nc = *state;

	assert_string_equal(N(nc, "Türkiye Halk Bankası A.Ş."),
			    "turkiye halk bankasi as");
	assert_string_equal(N(nc, "Straße Øresund Łódź Đorđe"),
			    "strasse oresund lodz dorde");
	assert_string_equal(N(nc, "ÆSIR Œuvre Þór Ðan Ħal Ŋa"),
			    "aesir oeuvre thor dan hal nga");
	assert_string_equal(N(nc, "İSTANBUL Ltd. Şti."), "istanbul ltd sti");
	assert_string_equal(N(nc, "ＡＢＣ　１２３ ﬁ"), "abc 123 fi");
	assert_string_equal(N(nc, "Ma\xe2\x80\x99" "arif"), "maarif");
	assert_string_equal(N(nc, "a\xc2\xad" "b\xe2\x80\x8c" "c"), "abc");
	assert_string_equal(N(nc, "٢٠٢٤ Vladímír"), "2024 vladimir");
}

static void test_cyrillic(void **state)
{
	norm_ctx *nc = *state;

	assert_string_equal(N(nc, "Сергей Валерьевич АКСЁНОВ"),
			    "sergey valerevich aksenov");
	assert_string_equal(N(nc, "Сергiй Валерiйович АКСЬОНОВ"),
			    "serhii valeriiovych aksonov");
	assert_string_equal(N(nc, "Путін Володимир Володимирович"),
			    "putin volodymyr volodymyrovych");
	assert_string_equal(N(nc, "Уладзімір Пуцін"), "uladzimir putsin");
	assert_string_equal(N(nc, "Влади́мир ПУ́ТИН"), "vladimir putin");
	/* decomposed й and ё are rebuilt before transliteration */
	assert_string_equal(N(nc, "Серге\xd0\xb8\xcc\x86 Аксе\xcc\x88нов"),
			    "sergey aksenov");
	assert_string_equal(N(nc, "Щербаков Хабаровск"),
			    "shcherbakov khabarovsk");
}

static void test_other_scripts(void **state)
{
	norm_ctx *nc = *state;

	assert_string_equal(N(nc, "Νικόλαος Παπαδόπουλος"),
			    "nikolaos papadopoulos");
	assert_string_equal(N(nc, "Βλαντίμιρ Πούτιν"), "vlantimir poutin");
	assert_string_equal(N(nc, "محمد علي"), "mhmd ali");
	assert_string_equal(N(nc, "عبد الله"), "abd allah");
	assert_string_equal(N(nc, "فلاديمير بوتين"), "fladimir butin");
	assert_string_equal(N(nc, "ولادیمیر پوتین"), "vladimir putin");
	/* presentation forms fold to base letters */
	assert_string_equal(N(nc, "\xef\xbb\xa3\xef\xbb\xa4"), N(nc, "مم"));
	/* ICU scripts */
	assert_string_equal(N(nc, "习近平"), "xi jinping");
	assert_string_equal(N(nc, "Վլադիմիր Պուտին"), "vladimir putin");
	assert_string_equal(N(nc, "व्लादिमीर पुतिन"), "vladimir putin");
	assert_string_equal(N(nc, "ウラジーミル・プーチン"), "urajimiru puchin");
	assert_string_equal(N(nc, "블라디미르 푸틴"), "beulladimileu putin");
	assert_string_equal(N(nc, "ACME 华为 Ltd"), "acme hua wei ltd");
}

static int nop_cb(void *ctx, const char *v, size_t vlen)
{
	(void)ctx;
	(void)v;
	(void)vlen;
	return 0;
}

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong 3-byte */
		"\xf0\x80\x80\xaf", /* overlong 4-byte */
		"\xed\xa0\x80",     /* surrogate D800 */
		"\xed\xbf\xbf",     /* surrogate DFFF */
		"abc\xe2\x82",      /* truncated */
		"\xf4\x90\x80\x80", /* > U+10FFFF */
		"\x80",             /* lone continuation */
		"\xff",
		"Серге\xd0",
	};
	norm_ctx *nc = *state;
	char out[64];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t l = strlen(bad[i]);

		assert_false(norm_utf8_valid(bad[i], l));
		assert_int_equal(norm_text(nc, bad[i], l, out, sizeof(out)),
				 -EILSEQ);
		assert_int_equal(norm_variants(nc, bad[i], l, nop_cb, NULL),
				 -EILSEQ);
		assert_int_equal(norm_person_reorder(nc, bad[i], l, out,
						     sizeof(out)),
				 -EILSEQ);
	}
	assert_true(norm_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
	assert_true(norm_utf8_valid("\xed\x9f\xbf", 3));     /* U+D7FF */
	assert_true(norm_utf8_valid("", 0));
}

static void test_enospc(void **state)
{
	norm_ctx *nc = *state;
	char out[64];

	assert_int_equal(norm_text(nc, "alpha beta gamma", 16, out, 12),
			 -ENOSPC);
	assert_string_equal(out, "alpha beta");
	assert_int_equal(norm_text(nc, "alpha beta", 10, out, 11), 10);
	assert_int_equal(norm_text(nc, "alpha beta", 10, out, 10), -ENOSPC);
	assert_string_equal(out, "alpha");
	assert_int_equal(norm_text(nc, "alpha", 5, out, 5), -ENOSPC);
	assert_string_equal(out, "");
	assert_int_equal(norm_text(nc, "alpha", 5, out, 0), -ENOSPC);
	assert_int_equal(norm_text(nc, "Сергей Аксёнов", strlen("Сергей Аксёнов"),
				   out, 10),
			 -ENOSPC);
	assert_string_equal(out, "sergey");
	assert_int_equal(norm_text(nc, NULL, 3, out, sizeof(out)), -EINVAL);
}

static void test_idempotent(void **state)
{
	static const char *const samples[] = {
		"AKSYONOV, Sergey Valeryevich", "Türkiye Halk Bankası A.Ş.",
		"Сергей Валерьевич АКСЁНОВ", "Сергiй Валерiйович АКСЬОНОВ",
		"Νικόλαος Παπαδόπουλος", "محمد علي", "习近平", "김정은",
		"Sp. z o.o.", "ＡＢＣ　１２３",
	};
	norm_ctx *nc = *state;
	char a[512], b[512], line[512];
	FILE *f;
	int lines = 0;

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		ssize_t r = norm_text(nc, samples[i], strlen(samples[i]), a,
				      sizeof(a));

		assert_true(r >= 0);
		assert_canonical(a, (size_t)r);
		assert_int_equal(norm_text(nc, a, (size_t)r, b, sizeof(b)), r);
		assert_string_equal(a, b);
	}
	f = fopen("../shared/eval/putin_names.txt", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		size_t l = strcspn(line, "\r\n");
		ssize_t r = norm_text(nc, line, l, a, sizeof(a));

		assert_true(r >= 0);
		assert_canonical(a, (size_t)r);
		assert_int_equal(norm_text(nc, a, (size_t)r, b, sizeof(b)), r);
		assert_string_equal(a, b);
		lines++;
	}
	fclose(f);
	assert_true(lines >= 50);
}

/* Pseudo-random byte strings never crash and stay canonical. */
static void test_random_bytes(void **state)
{
	norm_ctx *nc = *state;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	char in[48], out[256];

	for (int it = 0; it < 20000; it++) {
		size_t len = (size_t)(x % sizeof(in)), i;
		ssize_t r;

		for (i = 0; i < len; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			in[i] = (char)(x & 0xff);
			if ((x >> 20) % 3 == 0) /* bias towards valid 2-byte */
				in[i] = (char)(i % 2 ? 0x80 | (x & 0x3f)
						     : 0xd0 | (x & 0x03));
		}
		r = norm_text(nc, in, len, out, sizeof(out));
		assert_true(r >= 0 || r == -EILSEQ);
		if (r >= 0)
			assert_canonical(out, (size_t)r);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	}
}

typedef struct vcoll {
	int n;
	char v[NORM_MAX_VARIANTS + 1][256];
	int stop_after;
} vcoll;

static int collect(void *ctx, const char *v, size_t vlen)
{
	vcoll *c = ctx;

	assert_true(c->n < NORM_MAX_VARIANTS);
	assert_true(vlen < sizeof(c->v[0]));
	assert_canonical(v, vlen);
	memcpy(c->v[c->n], v, vlen);
	c->v[c->n++][vlen] = '\0';
	return c->stop_after && c->n >= c->stop_after ? -EINTR : 0;
}

static int has(const vcoll *c, const char *s)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], s))
			return 1;
	return 0;
}

static vcoll *variants(norm_ctx *nc, const char *s)
{
	static vcoll c;
	int r;

	memset(&c, 0, sizeof(c));
	r = norm_variants(nc, s, strlen(s), collect, &c);
	assert_int_equal(r, c.n);
	for (int i = 0; i < c.n; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(c.v[i], c.v[j]);
	if (c.n)
		assert_string_equal(c.v[0], N(nc, s));
	return &c;
}

static void test_variants(void **state)
{
	norm_ctx *nc = *state;
	vcoll *c, stop;

	c = variants(nc, "Аксёнов");
	assert_true(has(c, "aksenov") && has(c, "aksyonov") &&
		    has(c, "aksionov"));
	c = variants(nc, "Сергей");
	assert_true(has(c, "sergey") && has(c, "sergei") && has(c, "sergej"));
	c = variants(nc, "Сергей Валерьевич АКСЁНОВ");
	assert_true(has(c, "sergey valeryevich aksyonov")); /* OFAC's */
	assert_true(c->n >= 4 && c->n <= NORM_MAX_VARIANTS);
	c = variants(nc, "Дмитрий");
	assert_true(has(c, "dmitriy") && has(c, "dmitrii") &&
		    has(c, "dmitry"));
	c = variants(nc, "Сергій");
	assert_true(has(c, "serhii") && has(c, "serhiy") &&
		    has(c, "sergii"));
	c = variants(nc, "Πούτιν");
	assert_true(has(c, "poutin") && has(c, "putin"));
	c = variants(nc, "الحسن");
	assert_true(has(c, "al hsn") && has(c, "el hsn") && has(c, "alhsn"));
	c = variants(nc, "Vladimir PUTIN");
	assert_int_equal(c->n, 1);
	c = variants(nc, "Türkiye");
	assert_int_equal(c->n, 1);
	c = variants(nc, "...");
	assert_int_equal(c->n, 0);

	memset(&stop, 0, sizeof(stop));
	stop.stop_after = 2;
	assert_int_equal(norm_variants(nc, "Аксёнов", strlen("Аксёнов"),
				       collect, &stop),
			 -EINTR);
	assert_int_equal(stop.n, 2);
}

static void test_person_reorder(void **state)
{
	norm_ctx *nc = *state;
	char out[128];
	const char *s;

	s = "AKSYONOV, Sergey Valeryevich";
	assert_int_equal(norm_person_reorder(nc, s, strlen(s), out,
					     sizeof(out)),
			 27);
	assert_string_equal(out, "sergey valeryevich aksyonov");
	s = "АКСЁНОВ, Сергей";
	assert_true(norm_person_reorder(nc, s, strlen(s), out,
					sizeof(out)) > 0);
	assert_string_equal(out, "sergey aksenov");
	s = "Vladimir Putin";
	assert_int_equal(norm_person_reorder(nc, s, strlen(s), out, 64), 0);
	s = "A, B, C";
	assert_int_equal(norm_person_reorder(nc, s, strlen(s), out, 64), 0);
	s = "PUTIN, ";
	assert_int_equal(norm_person_reorder(nc, s, strlen(s), out, 64), 5);
	assert_string_equal(out, "putin");
	s = "AKSYONOV, Sergey";
	assert_int_equal(norm_person_reorder(nc, s, strlen(s), out, 10),
			 -ENOSPC);
}

static size_t lf(const char *s, enum norm_lf_kind *k)
{
	return norm_legal_form(s, strlen(s), k);
}

static void test_legal_forms(void **state)
{
	static const struct {
		const char *in;
		size_t span;
		enum norm_lf_kind kind;
	} t[] = {
		{ "ooo rosoboroneksport", 3, NORM_LF_LLC },
		{ "llc", 3, NORM_LF_LLC },
		{ "ltd", 3, NORM_LF_LLC },
		{ "limited", 7, NORM_LF_LLC },
		{ "gmbh", 4, NORM_LF_LLC },
		{ "sarl x", 4, NORM_LF_LLC },
		{ "srl", 3, NORM_LF_LLC },
		{ "sp z oo", 7, NORM_LF_LLC },
		{ "tov", 3, NORM_LF_LLC },
		{ "too", 3, NORM_LF_LLC },
		{ "ltd sti", 7, NORM_LF_LLC },
		{ "co ltd", 6, NORM_LF_LLC },
		{ "limited liability company abc", 25, NORM_LF_LLC },
		{ "obshchestvo s ogranichennoy otvetstvennostyu romashka", 44,
		  NORM_LF_LLC },
		{ "obshhestvo s ogranichennoj otvetstvennostyu", 43,
		  NORM_LF_LLC },
		{ "obshchestvo s ogranichennoi otvetstvennostiu", 44,
		  NORM_LF_LLC },
		{ "ao", 2, NORM_LF_JSC },
		{ "zao", 3, NORM_LF_JSC },
		{ "oao", 3, NORM_LF_JSC },
		{ "jsc", 3, NORM_LF_JSC },
		{ "cjsc", 4, NORM_LF_JSC },
		{ "ojsc", 4, NORM_LF_JSC },
		{ "as", 2, NORM_LF_JSC },
		{ "ag", 2, NORM_LF_JSC },
		{ "sa", 2, NORM_LF_JSC },
		{ "sas", 3, NORM_LF_JSC },
		{ "spa", 3, NORM_LF_JSC },
		{ "joint stock company", 19, NORM_LF_JSC },
		{ "closed joint stock company", 26, NORM_LF_JSC },
		{ "aktsionernoe obshchestvo", 24, NORM_LF_JSC },
		{ "zakrytoye aktsionernoye obshchestvo", 35, NORM_LF_JSC },
		{ "pao", 3, NORM_LF_PJSC },
		{ "pjsc", 4, NORM_LF_PJSC },
		{ "plc", 3, NORM_LF_PJSC },
		{ "publichnoe aktsionernoe obshchestvo", 35, NORM_LF_PJSC },
		{ "fgup", 4, NORM_LF_STATE },
		{ "gup", 3, NORM_LF_STATE },
		{ "federalnoe gosudarstvennoe unitarnoe predpriyatie", 49,
		  NORM_LF_STATE },
		{ "fze", 3, NORM_LF_FREEZONE },
		{ "fzco", 4, NORM_LF_FREEZONE },
		{ "fz llc", 6, NORM_LF_FREEZONE },
		{ "llp", 3, NORM_LF_PARTNER },
		{ "lp", 2, NORM_LF_PARTNER },
		{ "gmbh co kg", 10, NORM_LF_PARTNER },
		{ "inc", 3, NORM_LF_OTHER },
		{ "corp", 4, NORM_LF_OTHER },
		{ "co", 2, NORM_LF_OTHER },
		{ "bv", 2, NORM_LF_OTHER },
		{ "nv", 2, NORM_LF_OTHER },
	};
	enum norm_lf_kind k, k2;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		k = NORM_LF__COUNT;
		assert_int_equal(lf(t[i].in, &k), t[i].span);
		assert_int_equal(k, t[i].kind);
	}
	/* not designators: partial tokens, ordinary words */
	assert_int_equal(lf("oooo", &k), 0);
	assert_int_equal(k, NORM_LF_NONE);
	assert_int_equal(lf("ltdx", &k), 0);
	assert_int_equal(lf("rosneft", &k), 0);
	assert_int_equal(lf("", &k), 0);
	assert_int_equal(norm_legal_form(NULL, 5, &k), 0);
	/* OOO and LLC are one family, as are the long forms */
	lf("ooo", &k);
	lf("limited liability company", &k2);
	assert_int_equal(k, k2);
	/* the normalised forms of real designators are recognised */
	assert_int_equal(lf(N(*state, "A.Ş."), &k), 2);
	assert_int_equal(lf(N(*state, "Sp. z o.o."), &k), 7);
	assert_int_equal(lf(N(*state, "FZ-LLC"), &k), 6);
	assert_int_equal(lf(N(*state, "Ltd. Şti."), &k), 7);
	assert_int_equal(k, NORM_LF_LLC);
	assert_true(lf(N(*state, "ООО"), &k) == 3 && k == NORM_LF_LLC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_latin),
		cmocka_unit_test(test_cyrillic),
		cmocka_unit_test(test_other_scripts),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_enospc),
		cmocka_unit_test(test_idempotent),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_person_reorder),
		cmocka_unit_test(test_legal_forms),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
