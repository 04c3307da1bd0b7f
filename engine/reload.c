/*
 * reload.c - the reloader thread; see reload.h.
 *
 * The thread sleeps on a condition variable for poll_ms (or until a
 * request), then compares a fingerprint of the watched files (a hash
 * of every file's path, mtime in ns and size; directories one level
 * deep) with the one of the last build.  A change, or a request,
 * triggers a build through ops->build and, on success, ops->publish.
 * A change is acted on only once the fingerprint has been stable for
 * one poll interval, so a list being copied in is not read half
 * written.
 */
#include "reload.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct reloader {
	reloader_ops ops;
	char **paths;
	size_t n_paths;
	int poll_ms;
	log_t *log;
	pthread_t tid;
	int started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int requested; /* under lock */
	int stop;      /* under lock */
	_Atomic uint64_t attempts;
};

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	while (*s)
		h = mix(h, (unsigned char)*s++);
	return h;
}

static uint64_t mix_stat(uint64_t h, const char *path, const struct stat *st)
{
	h = mix_str(h, path);
	h = mix(h, (uint64_t)st->st_mtim.tv_sec * 1000000000ull +
			   (uint64_t)st->st_mtim.tv_nsec);
	return mix(h, (uint64_t)st->st_size);
}

static uint64_t dir_fingerprint(uint64_t h, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[4096];
	struct stat st;

	if (!d)
		return h;
	/* order-independent: add the per-file hashes */
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			h += mix_stat(1, path, &st);
	}
	closedir(d);
	return h;
}

uint64_t reloader_fingerprint(const char *const *paths, size_t n_paths)
{
	uint64_t h = 0;
	struct stat st;

	for (size_t i = 0; i < n_paths; i++) {
		if (stat(paths[i], &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			h = mix(h, dir_fingerprint(0, paths[i]));
		else
			h = mix_stat(h, paths[i], &st);
	}
	return h;
}

static void build_and_publish(reloader *r, const char *why)
{
	char err[512];
	db *d;

	log_printf(r->log, LOG_INFO, "reload", "rebuilding lists (%s)", why);
	err[0] = '\0';
	d = r->ops.build(r->ops.ctx, err, sizeof(err));
	if (!d) {
		log_printf(r->log, LOG_ERROR, "reload",
			   "list rebuild failed, keeping the current "
			   "version: %s", err);
		if (r->ops.result)
			r->ops.result(r->ops.ctx, 0, err);
	} else {
		r->ops.publish(r->ops.ctx, d);
		if (r->ops.result)
			r->ops.result(r->ops.ctx, 1, NULL);
	}
	atomic_fetch_add(&r->attempts, 1);
}

static int wait_tick(reloader *r, int *requested)
{
	struct timespec ts;
	int ms = r->poll_ms > 0 ? r->poll_ms : 1000;
	int stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&r->lock);
	if (!r->requested && !r->stop)
		pthread_cond_timedwait(&r->cond, &r->lock, &ts);
	*requested = r->requested;
	r->requested = 0;
	stop = r->stop;
	pthread_mutex_unlock(&r->lock);
	return !stop;
}

static void *reloader_main(void *arg)
{
	reloader *r = arg;
	const char *const *paths = (const char *const *)r->paths;
	uint64_t built = reloader_fingerprint(paths, r->n_paths);
	uint64_t seen = built;
	int requested;

	while (wait_tick(r, &requested)) {
		uint64_t now = r->poll_ms > 0 ?
				       reloader_fingerprint(paths, r->n_paths) :
				       built;

		if (requested) {
			built = seen = now;
			build_and_publish(r, "requested");
		} else if (now != built && now == seen) {
			built = now;
			build_and_publish(r, "list files changed");
		} else {
			seen = now; /* changed: wait until stable */
		}
	}
	return NULL;
}

reloader *reloader_new(const reloader_ops *ops, const char *const *paths,
		       size_t n_paths, int poll_ms, log_t *log, char *err,
		       size_t errlen)
{
	reloader *r = calloc(1, sizeof(*r));
	int rc;

	if (!r)
		goto oom;
	r->ops = *ops;
	r->poll_ms = poll_ms;
	r->log = log;
	r->paths = calloc(n_paths + 1, sizeof(*r->paths));
	if (!r->paths)
		goto oom;
	for (size_t i = 0; i < n_paths; i++) {
		r->paths[i] = strdup(paths[i]);
		if (!r->paths[i])
			goto oom;
		r->n_paths++;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	rc = pthread_create(&r->tid, NULL, reloader_main, r);
	if (rc) {
		snprintf(err, errlen, "reload thread: %s", strerror(rc));
		reloader_free(r);
		return NULL;
	}
	r->started = 1;
	return r;
oom:
	snprintf(err, errlen, "out of memory");
	reloader_free(r);
	return NULL;
}

void reloader_request(reloader *r)
{
	pthread_mutex_lock(&r->lock);
	r->requested = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

uint64_t reloader_attempts(const reloader *r)
{
	return atomic_load(&r->attempts);
}

void reloader_free(reloader *r)
{
	if (!r)
		return;
	if (r->started) {
		pthread_mutex_lock(&r->lock);
		r->stop = 1;
		pthread_cond_signal(&r->cond);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->tid, NULL);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->cond);
	}
	for (size_t i = 0; r->paths && i < r->n_paths; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r);
}
