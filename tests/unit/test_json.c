/* test_json.c - the JSON tokenizer: structure, validation, limits. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"

static int parse(const char *s, json_tok *t, uint32_t max, uint32_t depth)
{
	json_err e;

	return json_parse(s, strlen(s), t, max, depth, &e);
}

static void test_structure(void **state)
{
	json_tok t[32];
	const char *s = "{\"a\": [1, 2, {\"b\": null}], \"c\": \"x\\u00e9\"}";
	int n = parse(s, t, 32, 8), a, c;
	char buf[16];

	(void)state;
	assert_int_equal(n, 10);
	assert_int_equal(t[0].type, JSON_OBJECT);
	assert_int_equal(t[0].size, 2);
	a = json_obj_get(s, t, 0, "a");
	assert_int_equal(t[a].type, JSON_ARRAY);
	assert_int_equal(t[a].size, 3);
	c = json_obj_get(s, t, 0, "c");
	assert_true(c > a);
	assert_int_equal(json_str_decode(s, &t[c], buf, sizeof(buf)), 3);
	assert_string_equal(buf, "x\xc3\xa9");
	assert_int_equal(json_obj_get(s, t, 0, "zz"), -1);
}

static void test_invalid(void **state)
{
	static const char *bad[] = {
		"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "01", "1.", "-",
		"\"abc", "tru", "{} x", "\"\\x\"", "\"\\ud800\"", "[1 2]",
		"{\"a\":1,}", "\"a\tb\"",
	};
	json_tok t[16];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_true(parse(bad[i], t, 16, 8) < 0);
}

static void test_utf8(void **state)
{
	json_tok t[4];

	(void)state;
	assert_int_equal(parse("\"\xc3\xa9\"", t, 4, 4), 1);
	assert_int_equal(parse("\"\xc3\"", t, 4, 4), -EILSEQ);
	assert_int_equal(parse("\"\xc0\xaf\"", t, 4, 4), -EILSEQ); /* overlong */
	assert_int_equal(parse("\"\xed\xa0\x80\"", t, 4, 4), -EILSEQ); /* surrogate */
	assert_int_equal(parse("\"\xff\"", t, 4, 4), -EILSEQ);
}

static void test_limits(void **state)
{
	char deep[20001];
	json_tok *t = calloc(20000, sizeof(*t));

	(void)state;
	memset(deep, '[', 10000);
	memset(deep + 10000, ']', 10000);
	deep[20000] = '\0';
	assert_int_equal(parse(deep, t, 20000, 16), -ELOOP);
	assert_int_equal(parse("[1,2,3,4,5]", t, 3, 16), -E2BIG);
	free(t);
}

static void test_escape(void **state)
{
	char out[64];
	int n = json_escape("a\"b\\\n\x01", 6, out, sizeof(out));

	(void)state;
	assert_int_equal(n, 14);
	out[n] = '\0';
	assert_string_equal(out, "a\\\"b\\\\\\n\\u0001");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure), cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_utf8), cmocka_unit_test(test_limits),
		cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
