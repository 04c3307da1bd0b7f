/*
 * reload.h - rebuilding the list version while the engine runs.
 *
 * A reloader thread rebuilds the db on request (SIGHUP, POST /reload:
 * reloader_request()) and when a list file changes (mtime/size of the
 * files named by the list specs, polled every poll_ms; 0 disables
 * polling).  The build runs on the reloader thread through the
 * caller's build() callback, so workers never wait; on success the
 * publish() callback swaps it in (RCU: rcu_xchg_pointer, then
 * synchronize_rcu, then db_free of the old version).  A failed build
 * keeps the old version, logs why and counts a failure; the same
 * files are not retried until they change again or a reload is
 * requested.
 *
 * Thread: reloader_new/free on the engine's main thread;
 * reloader_request from any thread; the callbacks run on the reloader
 * thread, which is not an RCU reader.
 */
#ifndef INTERDICT_RELOAD_H
#define INTERDICT_RELOAD_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "log.h"

typedef struct reloader reloader;

typedef struct reloader_ops {
	/* Build a new version; NULL with a reason in err. */
	db *(*build)(void *ctx, char *err, size_t errlen);
	/* Make d live (takes ownership). */
	void (*publish)(void *ctx, db *d);
	/* Count the outcome (ok 1/0) for metrics; may be NULL. */
	void (*result)(void *ctx, int ok, const char *why);
	void *ctx;
} reloader_ops;

/*
 * paths: files or directories whose contents make up the lists (a
 * directory is watched one level deep).  Copied.
 */
reloader *reloader_new(const reloader_ops *ops, const char *const *paths,
		       size_t n_paths, int poll_ms, log_t *log, char *err,
		       size_t errlen);
/* Ask for a rebuild (asynchronous, coalesced). */
void reloader_request(reloader *r);
/* Number of finished attempts (ok + failed), for tests. */
uint64_t reloader_attempts(const reloader *r);
/* Stop the thread (waits for a build in progress) and free. */
void reloader_free(reloader *r);

/* Fingerprint of the paths' mtimes and sizes (0 when none exist). */
uint64_t reloader_fingerprint(const char *const *paths, size_t n_paths);

#endif
