/*
 * http.h - the operations endpoint (libmicrohttpd, internal polling
 * thread): /metrics, /healthz, /readyz, POST /reload.
 *
 * Routes:
 *   GET  /metrics  200 text/plain; version=0.0.4, body from
 *                  render_metrics (500 when it fails)
 *   GET  /healthz  200 "ok" when healthy() says so (or it is NULL),
 *                  else 503 with the reason
 *   GET  /readyz   200 "ready" when ready() returns 1, else 503 with
 *                  the reason it wrote
 *   POST /reload   202 {"status":"accepted","message":"..."} when
 *                  reload() returns 0, else 503 {"status":"error",...}
 *   anything else  404; a known path with the wrong method 405 with an
 *                  Allow header.  HEAD is accepted where GET is.
 *
 * listen: "HOST:PORT", "[V6ADDR]:PORT" or ":PORT" (= 127.0.0.1:PORT);
 * HOST must be a numeric address (no DNS).  PORT 0 picks a free port
 * (http_port() tells which).  An empty string means disabled: callers
 * should not call http_start() then (it returns NULL with -EINVAL).
 *
 * Thread: http_start/http_stop on one thread; the callbacks run on
 * the MHD thread (one request at a time) and must be thread safe with
 * respect to the engine.  http_stop() returns after the MHD thread is
 * gone, so no callback runs after it.
 */
#ifndef INTERDICT_HTTP_H
#define INTERDICT_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "log.h"

typedef struct http_handlers {
	/* Write the Prometheus text to out; 0 or -errno. */
	int (*render_metrics)(void *ctx, FILE *out);
	/* 1 healthy; 0 not, with a reason in why.  NULL = always 1. */
	int (*healthy)(void *ctx, char *why, size_t len);
	/* 1 ready; 0 not, with a reason in why.  NULL = always 0. */
	int (*ready)(void *ctx, char *why, size_t len);
	/* Start a reload (asynchronously); 0 accepted or -errno, with a
	 * short message in msg either way.  NULL = 503. */
	int (*reload)(void *ctx, char *msg, size_t len);
	void *ctx;
} http_handlers;

typedef struct http_server http_server;

/* Parse listen into addr.  0 or -EINVAL with a message. */
int http_parse_listen(const char *listen, struct sockaddr_storage *addr,
		      socklen_t *addrlen, char *err, size_t errlen);

/* Bind and start serving; NULL + err on error.  h is copied. */
http_server *http_start(const char *listen, const http_handlers *h,
			log_t *log, char *err, size_t errlen);
/* The bound port (useful with port 0). */
uint16_t http_port(const http_server *s);
/* Stop and free; s may be NULL. */
void http_stop(http_server *s);

#endif
