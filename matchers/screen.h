/*
 * screen.h - screen one event against one list version.
 *
 * screen_message() is the whole per-event hot path: parse the JSON,
 * look up identifiers, names, free text, vessel, goods, route and
 * countries, and fill a verdict.  It never fails: a bad message
 * becomes an error verdict with a reason.  It allocates nothing: all
 * working memory lives in the per-thread screen_ctx.
 *
 * Thread: a screen_ctx belongs to one thread; the db is shared and
 * read-only.  The verdict's hit strings point into the db, so the
 * caller must keep the db alive until the verdict is encoded.
 */
#ifndef INTERDICT_SCREEN_H
#define INTERDICT_SCREEN_H

#include <stddef.h>

#include "db.h"
#include "event.h"
#include "verdict.h"

typedef struct screen_ctx screen_ctx;

screen_ctx *screen_ctx_new(void);
void screen_ctx_free(screen_ctx *c);

/*
 * Screen raw bytes.  On return out is complete; *id and *id_len give the
 * event id to key the verdict with ("" when the message had none).
 */
void screen_message(screen_ctx *c, const db *d, const char *msg,
		    size_t len, verdict *out, const char **id,
		    size_t *id_len);

/* Screen an already parsed event. */
void screen_event(screen_ctx *c, const db *d, const event *ev,
		  verdict *out);

#endif
