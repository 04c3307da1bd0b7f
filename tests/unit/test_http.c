/*
 * test_http.c - the operations endpoint over real loopback sockets:
 * every route, status codes, 404/405, callbacks' results, bind errors
 * and listen-address parsing.  A tiny HTTP/1.0 client lives here.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "http.h"

/* Atomic: written by the test, read on the MHD thread. */
typedef struct app {
	_Atomic int ready;
	_Atomic int healthy;
	_Atomic int reloads;
	_Atomic int reload_rc;
} app;

static int render(void *ctx, FILE *out)
{
	app *a = ctx;

	fprintf(out, "# TYPE interdict_reloads gauge\ninterdict_reloads %d\n",
		(int)a->reloads);
	return 0;
}

static int healthy(void *ctx, char *why, size_t len)
{
	app *a = ctx;

	if (!a->healthy)
		snprintf(why, len, "main loop stalled");
	return a->healthy;
}

static int ready(void *ctx, char *why, size_t len)
{
	app *a = ctx;

	if (!a->ready)
		snprintf(why, len, "no list version");
	return a->ready;
}

static int reload(void *ctx, char *msg, size_t len)
{
	app *a = ctx;

	a->reloads++;
	snprintf(msg, len, "reload \"%d\" queued", (int)a->reloads);
	return a->reload_rc;
}

/* One request; returns the status code, body copied into body. */
static int request(uint16_t port, const char *method, const char *path,
		   char *body, size_t bodylen)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	char req[256], resp[8192];
	size_t got = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;
	const char *hdr_end;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	n = snprintf(req, sizeof(req),
		     "%s %s HTTP/1.0\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s",
		     method, path, strcmp(method, "POST") == 0 ? 2 : 0,
		     strcmp(method, "POST") == 0 ? "{}" : "");
	assert_int_equal(write(fd, req, (size_t)n), n);
	while ((n = read(fd, resp + got, sizeof(resp) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	resp[got] = '\0';
	sscanf(resp, "HTTP/1.%*d %d", &status);
	hdr_end = strstr(resp, "\r\n\r\n");
	snprintf(body, bodylen, "%s", hdr_end ? hdr_end + 4 : "");
	if (strstr(resp, "Allow: "))
		snprintf(body, bodylen, "%s", strstr(resp, "Allow: "));
	return status;
}

static void test_routes(void **state)
{
	app a = {.healthy = 1};
	http_handlers h = {render, healthy, ready, reload, &a};
	char err[256] = "", body[4096];
	http_server *s = http_start("127.0.0.1:0", &h, NULL, err, sizeof(err));
	uint16_t port;

	(void)state;
	assert_non_null(s);
	port = http_port(s);
	assert_true(port > 0);

	assert_int_equal(request(port, "GET", "/healthz", body, sizeof(body)),
			 200);
	assert_string_equal(body, "ok\n");
	a.healthy = 0;
	assert_int_equal(request(port, "GET", "/healthz", body, sizeof(body)),
			 503);
	assert_string_equal(body, "not ok: main loop stalled\n");

	assert_int_equal(request(port, "GET", "/readyz", body, sizeof(body)),
			 503);
	assert_string_equal(body, "not ready: no list version\n");
	a.ready = 1;
	assert_int_equal(request(port, "GET", "/readyz", body, sizeof(body)),
			 200);

	assert_int_equal(request(port, "POST", "/reload", body, sizeof(body)),
			 202);
	assert_string_equal(body, "{\"status\":\"accepted\",\"message\":"
				  "\"reload \\\"1\\\" queued\"}\n");
	a.reload_rc = -EBUSY;
	assert_int_equal(request(port, "POST", "/reload", body, sizeof(body)),
			 503);
	assert_non_null(strstr(body, "\"status\":\"error\""));
	assert_int_equal(a.reloads, 2);

	assert_int_equal(request(port, "GET", "/metrics", body, sizeof(body)),
			 200);
	assert_non_null(strstr(body, "interdict_reloads 2\n"));
	assert_int_equal(request(port, "HEAD", "/metrics", body, sizeof(body)),
			 200);

	assert_int_equal(request(port, "GET", "/reload", body, sizeof(body)),
			 405);
	assert_non_null(strstr(body, "Allow: POST"));
	assert_int_equal(request(port, "POST", "/metrics", body, sizeof(body)),
			 405);
	assert_non_null(strstr(body, "Allow: GET, HEAD"));
	assert_int_equal(request(port, "GET", "/nope", body, sizeof(body)),
			 404);
	assert_int_equal(a.reloads, 2);
	http_stop(s);
}

static int render_fail(void *ctx, FILE *out)
{
	(void)ctx;
	(void)out;
	return -EIO;
}

static void test_defaults_and_errors(void **state)
{
	http_handlers h = {render_fail, NULL, NULL, NULL, NULL};
	char err[256] = "", body[1024];
	http_server *s = http_start(":0", &h, NULL, err, sizeof(err)), *s2;
	uint16_t port;

	(void)state;
	assert_non_null(s);
	port = http_port(s);
	assert_int_equal(request(port, "GET", "/healthz", body, sizeof(body)),
			 200);
	assert_int_equal(request(port, "GET", "/readyz", body, sizeof(body)),
			 503);
	assert_int_equal(request(port, "GET", "/metrics", body, sizeof(body)),
			 500);
	assert_int_equal(request(port, "POST", "/reload", body, sizeof(body)),
			 503);
	/* same port again: a clear bind error */
	snprintf(body, sizeof(body), "127.0.0.1:%u", port);
	s2 = http_start(body, &h, NULL, err, sizeof(err));
	assert_null(s2);
	assert_non_null(strstr(err, "Address already in use"));
	http_stop(s);
	http_stop(NULL);
}

static void test_parse_listen(void **state)
{
	struct sockaddr_storage a;
	socklen_t len;
	char err[256];

	(void)state;
	assert_int_equal(http_parse_listen("127.0.0.1:9464", &a, &len, err,
					   sizeof(err)),
			 0);
	assert_int_equal(a.ss_family, AF_INET);
	assert_int_equal(ntohs(((struct sockaddr_in *)&a)->sin_port), 9464);
	assert_int_equal(http_parse_listen("[::1]:80", &a, &len, err,
					   sizeof(err)),
			 0);
	assert_int_equal(a.ss_family, AF_INET6);
	assert_int_equal(http_parse_listen(":1234", &a, &len, err, sizeof(err)),
			 0);
	assert_int_equal(((struct sockaddr_in *)&a)->sin_addr.s_addr,
			 htonl(INADDR_LOOPBACK));
	assert_int_equal(http_parse_listen("0.0.0.0:1", &a, &len, err,
					   sizeof(err)),
			 0);
	assert_int_equal(http_parse_listen("", &a, &len, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(http_parse_listen("host.example:80", &a, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "http.listen"));
	assert_int_equal(http_parse_listen("1.2.3.4:70000", &a, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_int_equal(http_parse_listen("1.2.3.4:", &a, &len, err,
					   sizeof(err)),
			 -EINVAL);
	assert_int_equal(http_parse_listen("::1:80", &a, &len, err,
					   sizeof(err)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_defaults_and_errors),
		cmocka_unit_test(test_parse_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
