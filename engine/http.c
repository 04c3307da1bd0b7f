/*
 * http.c - /metrics, /healthz, /readyz and POST /reload on
 * libmicrohttpd.
 *
 * Design: we create, bind and listen on the socket ourselves (so a bad
 * address or a port in use gives a precise error, and port 0 works:
 * getsockname() tells the port) and hand it to MHD with
 * MHD_OPTION_LISTEN_SOCKET; MHD runs one internal polling thread.  The
 * access handler routes on (method, url) through a small const table.
 * Request bodies (POST /reload) are read and ignored: MHD calls the
 * handler once with no data (we only mark the connection), then with
 * the body chunks, then once more to respond.  Responses are built in
 * memory; /metrics renders into an open_memstream buffer that MHD
 * frees.  All state is in the http_server handle; callbacks get the
 * user's ctx.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http.h"

struct http_server {
	struct MHD_Daemon *d;
	int fd;
	uint16_t port;
	http_handlers h;
	log_t *log;
};

typedef enum route_id { R_METRICS, R_HEALTHZ, R_READYZ, R_RELOAD } route_id;

static const struct route {
	const char *path;
	const char *method; /* GET routes also take HEAD */
	route_id id;
} routes[] = {
	{"/metrics", "GET", R_METRICS},
	{"/healthz", "GET", R_HEALTHZ},
	{"/readyz", "GET", R_READYZ},
	{"/reload", "POST", R_RELOAD},
};

/* ---- listen address ---- */

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	long v;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int split_listen(const char *listen, char *host, size_t hostlen,
			const char **port)
{
	const char *colon;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':' ||
		    (size_t)(close - listen - 1) >= hostlen)
			return -EINVAL;
		snprintf(host, hostlen, "%.*s", (int)(close - listen - 1),
			 listen + 1);
		*port = close + 2;
		return 0;
	}
	colon = strrchr(listen, ':');
	if (!colon) { /* bare port */
		snprintf(host, hostlen, "127.0.0.1");
		*port = listen;
		return 0;
	}
	if ((size_t)(colon - listen) >= hostlen || strchr(listen, ':') != colon)
		return -EINVAL;
	snprintf(host, hostlen, "%.*s", (int)(colon - listen), listen);
	if (!*host || strcmp(host, "localhost") == 0)
		snprintf(host, hostlen, "127.0.0.1");
	*port = colon + 1;
	return 0;
}

int http_parse_listen(const char *listen, struct sockaddr_storage *addr,
		      socklen_t *addrlen, char *err, size_t errlen)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
	char host[64];
	const char *ps;
	uint16_t port;

	memset(addr, 0, sizeof(*addr));
	if (!listen || !*listen || split_listen(listen, host, sizeof(host),
						&ps) < 0 ||
	    parse_port(ps, &port) < 0)
		goto bad;
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		*addrlen = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		*addrlen = sizeof(*v6);
		return 0;
	}
bad:
	snprintf(err, errlen,
		 "http.listen: bad address '%s' (want HOST:PORT, [V6]:PORT "
		 "or :PORT with a numeric HOST)",
		 listen ? listen : "");
	return -EINVAL;
}

static int open_listener(const struct sockaddr_storage *a, socklen_t alen,
			 uint16_t *port, char *err, size_t errlen)
{
	int fd = socket(a->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	struct sockaddr_storage got;
	socklen_t glen = sizeof(got);

	if (fd < 0)
		goto fail;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)a, alen) < 0 ||
	    listen(fd, 64) < 0 ||
	    getsockname(fd, (struct sockaddr *)&got, &glen) < 0)
		goto fail;
	*port = ntohs(got.ss_family == AF_INET6
			      ? ((struct sockaddr_in6 *)&got)->sin6_port
			      : ((struct sockaddr_in *)&got)->sin_port);
	return fd;
fail:
	snprintf(err, errlen, "http.listen: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

/* ---- responses ---- */

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status,
				const char *type, char *body, size_t len,
				int must_free, const char *allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, body,
		must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_MUST_COPY);
	enum MHD_Result rc;

	if (!r) {
		if (must_free)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
				 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status,
				 const char *fmt, ...)
{
	char body[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(body))
		n = sizeof(body) - 1;
	return send_buf(c, status, "text/plain; charset=utf-8", body,
			(size_t)n, 0, NULL);
}

static enum MHD_Result do_metrics(http_server *s, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = -ENOSYS;

	if (!s->h.render_metrics)
		return send_text(c, 503, "metrics unavailable\n");
	f = open_memstream(&buf, &len);
	if (!f)
		return send_text(c, 500, "out of memory\n");
	rc = s->h.render_metrics(s->h.ctx, f);
	if (fclose(f) != 0 && rc == 0)
		rc = -EIO;
	if (rc < 0) {
		free(buf);
		log_printf(s->log, LOG_WARN, "http", "metrics render failed: %s",
			   strerror(-rc));
		return send_text(c, 500, "metrics render failed: %s\n",
				 strerror(-rc));
	}
	return send_buf(c, 200, "text/plain; version=0.0.4; charset=utf-8",
			buf, len, 1, NULL);
}

static void json_escape(char *out, size_t cap, const char *s)
{
	size_t p = 0;

	for (; *s && p + 7 < cap; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			out[p++] = '\\';
			out[p++] = (char)ch;
		} else if (ch < 0x20) {
			p += (size_t)snprintf(out + p, cap - p, "\\u%04x", ch);
		} else {
			out[p++] = (char)ch;
		}
	}
	out[p] = '\0';
}

static enum MHD_Result do_reload(http_server *s, struct MHD_Connection *c)
{
	char msg[256] = "", esc[600];
	int rc = -ENOSYS;

	if (s->h.reload)
		rc = s->h.reload(s->h.ctx, msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "reload not supported");
	json_escape(esc, sizeof(esc), msg);
	log_printf(s->log, LOG_INFO, "http", "POST /reload: %s%s%s",
		   rc == 0 ? "accepted" : "refused", *msg ? ": " : "", msg);
	if (rc == 0)
		return send_text(c, 202,
				 "{\"status\":\"accepted\",\"message\":\"%s\"}\n",
				 esc);
	return send_text(c, 503, "{\"status\":\"error\",\"message\":\"%s\"}\n",
			 esc);
}

static enum MHD_Result do_probe(struct MHD_Connection *c,
				int (*fn)(void *, char *, size_t), void *ctx,
				int dflt, const char *good)
{
	char why[256] = "";
	int ok = fn ? fn(ctx, why, sizeof(why)) : dflt;

	if (ok == 1)
		return send_text(c, 200, "%s\n", good);
	return send_text(c, 503, "not %s%s%s\n", good, *why ? ": " : "", why);
}

static enum MHD_Result dispatch(http_server *s, struct MHD_Connection *c,
				route_id id)
{
	switch (id) {
	case R_METRICS:
		return do_metrics(s, c);
	case R_HEALTHZ:
		return do_probe(c, s->h.healthy, s->h.ctx, 1, "ok");
	case R_READYZ:
		return do_probe(c, s->h.ready, s->h.ctx, 0, "ready");
	case R_RELOAD:
		return do_reload(s, c);
	}
	return send_text(c, 500, "internal error\n");
}

static int method_ok(const struct route *r, const char *method)
{
	return strcmp(method, r->method) == 0 ||
	       (strcmp(r->method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c,
			       const char *url, const char *method,
			       const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	static const int started = 1; /* address used as a marker only */
	http_server *s = cls;

	(void)version;
	(void)upload;
	if (!*con_cls) {
		*con_cls = (void *)&started;
		return MHD_YES;
	}
	if (*upload_size) {
		*upload_size = 0; /* bodies are ignored */
		return MHD_YES;
	}
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];

		if (strcmp(url, r->path) != 0)
			continue;
		if (!method_ok(r, method))
			return send_buf(c, 405, "text/plain; charset=utf-8",
					"method not allowed\n", 19, 0,
					strcmp(r->method, "GET") == 0
						? "GET, HEAD"
						: r->method);
		return dispatch(s, c, r->id);
	}
	return send_text(c, 404, "not found\n");
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_printf(cls, LOG_WARN, "http", "%s", msg);
}

/* ---- start / stop ---- */

http_server *http_start(const char *listen, const http_handlers *h,
			log_t *log, char *err, size_t errlen)
{
	struct sockaddr_storage addr;
	socklen_t alen;
	http_server *s;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
			 MHD_USE_ERROR_LOG;

	if (http_parse_listen(listen, &addr, &alen, err, errlen) < 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "http: out of memory");
		return NULL;
	}
	s->h = *h;
	s->log = log;
	s->fd = open_listener(&addr, alen, &s->port, err, errlen);
	if (s->fd < 0)
		goto fail;
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* The logger must be the first option, or MHD logs the options
	 * before it through its own stderr logger. */
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s,
				MHD_OPTION_EXTERNAL_LOGGER, mhd_log, log,
				MHD_OPTION_LISTEN_SOCKET, s->fd,
				MHD_OPTION_CONNECTION_LIMIT, 64u,
				MHD_OPTION_CONNECTION_TIMEOUT, 10u,
				MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "http: cannot start server on %s",
			 listen);
		goto fail;
	}
	log_printf(log, LOG_INFO, "http", "listening on %s (port %u)", listen,
		   s->port);
	return s;
fail:
	if (s->fd >= 0)
		close(s->fd);
	free(s);
	return NULL;
}

uint16_t http_port(const http_server *s)
{
	return s ? s->port : 0;
}

void http_stop(http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d); /* joins the thread; closes the socket */
	free(s);
}
