/*
 * test_config.c - properties parsing, the key table, typed getters,
 * unit suffixes, errors naming file:line, kafka.* passthrough, list
 * splitting, cross-key validation, masked dump and help.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "log.h"

/* Write text to a temp file; returns its path (static buffer per call
 * site is enough: tests are sequential). */
static const char *write_tmp(char *path, size_t len, const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, len, "/tmp/interdict-cfg-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static int load(config_t *cfg, const char *text, char *err, size_t errlen)
{
	char path[64];
	int rc;

	write_tmp(path, sizeof(path), text);
	rc = config_load_file(cfg, path, err, errlen);
	unlink(path);
	return rc;
}

static void test_defaults(void **state)
{
	config_t *cfg = config_new();

	(void)state;
	assert_string_equal(config_get(cfg, "topic.in"), "transactions");
	assert_string_equal(config_get(cfg, "topic.out"), "verdicts");
	assert_string_equal(config_get(cfg, "topic.dlq"), "transactions.dlq");
	assert_string_equal(config_get(cfg, "group.id"), "interdict");
	assert_true(config_get_double(cfg, "threshold.review") == 0.80);
	assert_true(config_get_double(cfg, "threshold.block") == 0.92);
	assert_int_equal(config_get_int(cfg, "workers"), 0);
	assert_int_equal(config_get_ms(cfg, "commit.interval.ms"), 100);
	assert_int_equal(config_get_int(cfg, "queue.max"), 10000);
	assert_true(config_get_bool(cfg, "journal.enabled"));
	assert_int_equal(config_get_bytes(cfg, "journal.max.bytes"),
			 256u << 20);
	assert_int_equal(config_get_us(cfg, "journal.sync.interval.us"), 1000);
	assert_string_equal(config_get(cfg, "http.listen"), "127.0.0.1:9464");
	assert_int_equal(config_get_enum(cfg, "log.level"), 1); /* info */
	assert_int_equal(config_get_enum(cfg, "delivery"), 0);
	assert_int_equal(config_get_ms(cfg, "reload.poll.ms"), 2000);
	assert_int_equal(config_get_bytes(cfg, "event.max.bytes"), 1048576);
	assert_null(config_get(cfg, "kafka.bootstrap.servers"));
	assert_null(config_get(cfg, "no.such.key"));
	assert_false(config_is_set(cfg, "workers"));
	/* every table key has a doc and a default that parses */
	for (const config_key *k = config_keys(); k->name; k++) {
		char err[256];

		assert_non_null(k->doc);
		assert_int_equal(config_set(cfg, k->name, k->def, err,
					    sizeof(err)),
				 0);
	}
	config_free(cfg);
}

static void test_file_syntax(void **state)
{
	config_t *cfg = config_new();
	char err[256] = "";

	(void)state;
	assert_int_equal(
		load(cfg,
		     "# comment\n"
		     "! also a comment\n"
		     "\n"
		     "   topic.in = payments   \n"
		     "topic.out: out-topic\n"
		     "workers=4\r\n"
		     "lists = ofac=ofac-csv:/data/ofac, \\\n"
		     "        un-xml:/data/un.xml\n"
		     "http.listen=\"\"\n"
		     "kafka.bootstrap.servers=b1:9092,b2:9092\n"
		     "kafka.sasl.password=hunter2\n"
		     "workers=6\n",
		     err, sizeof(err)),
		0);
	assert_string_equal(config_get(cfg, "topic.in"), "payments");
	assert_string_equal(config_get(cfg, "topic.out"), "out-topic");
	assert_int_equal(config_get_int(cfg, "workers"), 6); /* last wins */
	assert_string_equal(config_get(cfg, "lists"),
			    "ofac=ofac-csv:/data/ofac, un-xml:/data/un.xml");
	assert_string_equal(config_get(cfg, "http.listen"), "");
	assert_string_equal(config_get(cfg, "kafka.bootstrap.servers"),
			    "b1:9092,b2:9092");
	assert_true(config_is_set(cfg, "workers"));
	config_free(cfg);
}

static void test_units(void **state)
{
	config_t *cfg = config_new();
	char err[256];

	(void)state;
	assert_int_equal(config_set(cfg, "commit.interval.ms", "2s", err,
				    sizeof(err)),
			 0);
	assert_int_equal(config_get_ms(cfg, "commit.interval.ms"), 2000);
	assert_int_equal(config_get_us(cfg, "commit.interval.ms"), 2000000);
	assert_int_equal(config_set(cfg, "journal.sync.interval.us", "2ms",
				    err, sizeof(err)),
			 0);
	assert_int_equal(config_get_us(cfg, "journal.sync.interval.us"), 2000);
	assert_int_equal(config_set(cfg, "journal.sync.interval.us", "250",
				    err, sizeof(err)),
			 0);
	assert_int_equal(config_get_us(cfg, "journal.sync.interval.us"), 250);
	assert_int_equal(config_set(cfg, "journal.max.bytes", "64MiB", err,
				    sizeof(err)),
			 0);
	assert_int_equal(config_get_bytes(cfg, "journal.max.bytes"), 64 << 20);
	assert_int_equal(config_set(cfg, "event.max.bytes", "16k", err,
				    sizeof(err)),
			 0);
	assert_int_equal(config_get_bytes(cfg, "event.max.bytes"), 16384);
	assert_int_equal(config_set(cfg, "journal.enabled", "off", err,
				    sizeof(err)),
			 0);
	assert_false(config_get_bool(cfg, "journal.enabled"));
	assert_int_equal(config_set(cfg, "reload.poll.ms", "1m", err,
				    sizeof(err)),
			 0);
	assert_int_equal(config_get_ms(cfg, "reload.poll.ms"), 60000);
	config_free(cfg);
}

static void expect_bad(const char *key, const char *value, const char *what)
{
	config_t *cfg = config_new();
	char err[256] = "";

	assert_int_equal(config_set(cfg, key, value, err, sizeof(err)),
			 -EINVAL);
	if (!strstr(err, what) || !strstr(err, "command line"))
		fail_msg("%s=%s: got '%s', want '%s'", key, value, err, what);
	config_free(cfg);
}

static void test_bad_values(void **state)
{
	(void)state;
	expect_bad("threshold.review", "high", "expected a number");
	expect_bad("threshold.block", "1.5", "out of range");
	expect_bad("workers", "2.5", "expected an integer");
	expect_bad("workers", "-1", "out of range");
	expect_bad("id.hit", "pass", "expected one of block|review");
	expect_bad("delivery", "at-most-once", "at-least-once|exactly-once");
	expect_bad("journal.enabled", "maybe", "expected true or false");
	expect_bad("commit.interval.ms", "fast", "expected a duration");
	expect_bad("commit.interval.ms", "0", "out of range");
	expect_bad("journal.max.bytes", "12 parsecs", "expected a size");
	expect_bad("journal.max.bytes", "100", "out of range");
	expect_bad("log.level", "INFO", "debug|info|warn|error");
	expect_bad("lists", "ofac-csv", "not FORMAT:PATH");
}

static void test_file_errors(void **state)
{
	config_t *cfg = config_new();
	char err[256] = "", path[64];

	(void)state;
	assert_int_equal(load(cfg, "workers=2\n# x\ntopic.inn=foo\n", err,
			      sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, ":3: unknown key 'topic.inn'"));
	assert_non_null(strstr(err, "did you mean 'topic.in'"));
	assert_int_equal(load(cfg, "\n\nqueue.max = lots\n", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, ":3: queue.max: bad value 'lots'"));
	assert_int_equal(load(cfg, "workers 4\n", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, ":1: expected key=value"));
	/* continuation: error reported at the logical line's first line */
	assert_int_equal(load(cfg, "a=1\\\n 2\n", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, ":1: unknown key 'a'"));
	assert_int_equal(load(cfg, "bootstrap.servers=x\n", err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "'kafka.' prefix"));
	assert_int_equal(config_load_file(cfg, "/nonexistent/x.properties",
					  err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/x.properties: "));
	/* cross-key check names the offending line */
	write_tmp(path, sizeof(path),
		  "threshold.block=0.7\nthreshold.review=0.9\n");
	assert_int_equal(config_load_file(cfg, path, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, ":2: threshold.review must not exceed"));
	assert_non_null(strstr(err, path));
	unlink(path);
	config_free(cfg);
}

typedef struct kv {
	char out[512];
	int n;
} kv;

static int collect(void *ctx, const char *k, const char *v)
{
	kv *c = ctx;

	c->n++;
	snprintf(c->out + strlen(c->out), sizeof(c->out) - strlen(c->out),
		 "%s=%s;", k, v);
	return 0;
}

static int collect_item(void *ctx, const char *item)
{
	return collect(ctx, item, "");
}

static int stop_at_two(void *ctx, const char *k, const char *v)
{
	(void)k;
	(void)v;
	return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_passthrough_and_lists(void **state)
{
	config_t *cfg = config_new();
	char err[256];
	kv c = {"", 0};
	int stops = 0;

	(void)state;
	assert_int_equal(config_set_arg(cfg, "kafka.bootstrap.servers=k:9092",
					err, sizeof(err)),
			 0);
	assert_int_equal(config_set_arg(cfg, "kafka.linger.ms = 5", err,
					sizeof(err)),
			 0);
	assert_int_equal(config_set_arg(cfg, "workers=3", err, sizeof(err)), 0);
	assert_int_equal(config_set_arg(cfg, "workers", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "not key=value"));
	assert_int_equal(config_set_arg(cfg, "kafka.=x", err, sizeof(err)),
			 -ENOENT);
	assert_int_equal(config_foreach_prefix(cfg, "kafka.", collect, &c), 0);
	assert_string_equal(c.out, "bootstrap.servers=k:9092;linger.ms=5;");
	assert_int_equal(config_foreach_prefix(cfg, "kafka.", stop_at_two,
					       &stops),
			 42);
	assert_int_equal(config_set(cfg, "lists",
				    " ofac-csv:/a ,\nun-xml:/b.xml,, eu=eu-xml:/c ",
				    err, sizeof(err)),
			 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(config_foreach_item(cfg, "lists", collect_item, &c),
			 3);
	assert_string_equal(c.out, "ofac-csv:/a=;un-xml:/b.xml=;eu=eu-xml:/c=;");
	config_free(cfg);
}

static void test_validate(void **state)
{
	config_t *cfg = config_new();
	char err[256] = "", where[64];

	(void)state;
	assert_int_equal(config_validate(cfg, 0, err, sizeof(err)), 0);
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "no lists configured"));
	config_set(cfg, "lists", "ofac-csv:/x", err, sizeof(err));
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "kafka.bootstrap.servers is required"));
	config_set(cfg, "kafka.bootstrap.servers", "h:1", err, sizeof(err));
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), 0);
	config_set(cfg, "journal.path", "", err, sizeof(err));
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "command line: journal.path is empty"));
	config_set(cfg, "journal.enabled", "false", err, sizeof(err));
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), 0);
	config_set(cfg, "topic.in", "", err, sizeof(err));
	assert_int_equal(config_validate(cfg, 1, err, sizeof(err)), -EINVAL);
	assert_string_equal(config_where(cfg, "topic.in", where, sizeof(where)),
			    "command line");
	assert_string_equal(config_where(cfg, "workers", where, sizeof(where)),
			    "default");
	config_free(cfg);
}

static void test_dump_and_help(void **state)
{
	config_t *cfg = config_new();
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	config_set(cfg, "kafka.sasl.password", "hunter2", err, sizeof(err));
	config_set(cfg, "kafka.sasl.jaas.config", "user=x pass=y", err,
		   sizeof(err));
	config_set(cfg, "kafka.ssl.key.password", "k", err, sizeof(err));
	config_set(cfg, "kafka.client.id", "me", err, sizeof(err));
	f = open_memstream(&buf, &len);
	config_dump(cfg, f);
	fclose(f);
	assert_null(strstr(buf, "hunter2"));
	assert_null(strstr(buf, "pass=y"));
	assert_non_null(strstr(buf, "kafka.sasl.password=********\n"));
	assert_non_null(strstr(buf, "kafka.client.id=me\n"));
	assert_non_null(strstr(buf, "topic.in=transactions\n"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	config_print_help(f);
	fclose(f);
	for (const config_key *k = config_keys(); k->name; k++)
		assert_non_null(strstr(buf, k->name));
	assert_non_null(strstr(buf, "kafka.*"));
	free(buf);
	config_free(cfg);
}

/* Log to a temp file and return what was written. */
static void log_capture(log_format fmt, char *out, size_t outlen)
{
	FILE *f = tmpfile();
	log_t *log = log_new(f, LOG_INFO, fmt);
	size_t n;

	assert_non_null(log);
	log_printf(log, LOG_DEBUG, "engine", "hidden %d", 1);
	log_printf(log, LOG_INFO, "engine", "started workers=%d", 4);
	log_printf(log, LOG_ERROR, "kafka", "bad \"quote\"\nnext\tline");
	log_set_level(log, LOG_DEBUG);
	assert_int_equal(log_get_level(log), LOG_DEBUG);
	log_printf(log, LOG_DEBUG, "journal", "now visible");
	log_free(log);
	rewind(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	fclose(f);
}

static void test_log(void **state)
{
	char out[2048], big[LOG_LINE_MAX * 2];
	log_level lv;
	log_format lf;
	FILE *f;
	log_t *log;
	size_t n;

	(void)state;
	log_capture(LOG_FMT_TEXT, out, sizeof(out));
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, "Z info engine: started workers=4\n"));
	assert_non_null(strstr(out, "Z error kafka: bad \"quote\" next\tline\n"));
	assert_non_null(strstr(out, "Z debug journal: now visible\n"));
	assert_true(out[4] == '-' && out[10] == 'T' && out[23] == 'Z');
	log_capture(LOG_FMT_JSON, out, sizeof(out));
	assert_non_null(strstr(out, "\",\"level\":\"info\",\"component\":"
				    "\"engine\",\"msg\":\"started workers=4\"}\n"));
	assert_non_null(strstr(out, "\"msg\":\"bad \\\"quote\\\"\\nnext\\tline\"}"));
	assert_int_equal(strncmp(out, "{\"ts\":\"", 7), 0);
	/* long lines are cut, still one line */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = tmpfile();
	log = log_new(f, LOG_INFO, LOG_FMT_JSON);
	log_printf(log, LOG_WARN, "t", "%s", big);
	log_free(log);
	rewind(f);
	n = fread(big, 1, sizeof(big) - 1, f);
	fclose(f);
	big[n] = '\0';
	assert_true(n > LOG_LINE_MAX - 10 && n < LOG_LINE_MAX + 256);
	assert_ptr_equal(strchr(big, '\n'), big + n - 1);
	assert_non_null(strstr(big, "xx...\"}\n"));
	log_printf(NULL, LOG_ERROR, "t", "no crash"); /* NULL log: no-op */
	assert_int_equal(log_parse_level("warn", &lv), 0);
	assert_int_equal(lv, LOG_WARN);
	assert_int_equal(log_parse_level("verbose", &lv), -EINVAL);
	assert_int_equal(log_parse_format("json", &lf), 0);
	assert_int_equal(lf, LOG_FMT_JSON);
	assert_int_equal(log_parse_format("xml", &lf), -EINVAL);
	assert_true(log_is_secret_key("kafka.sasl.password"));
	assert_true(log_is_secret_key("kafka.SASL.JAAS.config"));
	assert_true(log_is_secret_key("kafka.ssl.key.pem"));
	assert_true(log_is_secret_key("client.secret"));
	assert_false(log_is_secret_key("kafka.bootstrap.servers"));
	assert_string_equal(log_mask_value("x.password", "p"), "********");
	assert_string_equal(log_mask_value("x.password", ""), "");
	assert_string_equal(log_mask_value("topic.in", "t"), "t");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_file_syntax),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_passthrough_and_lists),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_dump_and_help),
		cmocka_unit_test(test_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
