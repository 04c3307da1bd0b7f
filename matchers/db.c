/*
 * db.c - build one immutable list version (see db.h).
 *
 * Order matters for the "never half-loads" promise: every list is
 * loaded first and any failure aborts the whole version (the running
 * one stays in place in the engine); only then are the indexes
 * compiled.  The version hash covers the bytes of every list file and
 * the rules file, so two engines that loaded the same files report
 * the same hash whatever the time of the build.
 */
#include "db.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "goods.h"
#include "idset.h"
#include "lists/loader.h"
#include "ids.h"
#include "nameidx.h"
#include "norm.h"
#include "rules.h"

#define DB_DEFAULT_REVIEW 0.80f
#define DB_DEFAULT_BLOCK  0.92f

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void hash_file(XXH3_state_t *st, const char *path)
{
	struct stat sb;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0) {
		m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			XXH3_64bits_update(st, m, (size_t)sb.st_size);
			munmap(m, (size_t)sb.st_size);
		}
	}
	close(fd);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list path is a file or (OFAC) a folder: hash its files sorted. */
static void hash_path(XXH3_state_t *st, const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	char *names[64], full[1024];
	size_t n = 0;

	if (stat(path, &sb) < 0)
		return;
	if (!S_ISDIR(sb.st_mode)) {
		hash_file(st, path);
		return;
	}
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (names[i]) {
			snprintf(full, sizeof(full), "%s/%s", path, names[i]);
			XXH3_64bits_update(st, names[i], strlen(names[i]));
			hash_file(st, full);
		}
		free(names[i]);
	}
}

static void make_version(db *d, const db_config *cfg)
{
	XXH3_state_t *st = XXH3_createState();
	uint64_t h = 0;
	time_t now = time(NULL);
	struct tm tm;
	char ts[32];

	if (st) {
		XXH3_64bits_reset(st);
		for (size_t i = 0; i < d->n_lists; i++) {
			XXH3_64bits_update(st, d->lists[i]->id,
					   strlen(d->lists[i]->id));
			hash_path(st, d->lists[i]->path);
		}
		if (cfg->rules_path)
			hash_path(st, cfg->rules_path);
		h = XXH3_64bits_digest(st);
		XXH3_freeState(st);
	}
	gmtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(d->version, sizeof(d->version), "%s/%08x", ts,
		 (unsigned)(h & 0xffffffffu));
}

static int load_lists(db *d, const db_config *cfg, char *errstr,
		      size_t errlen)
{
	d->lists = calloc(cfg->n_specs ? cfg->n_specs : 1, sizeof(*d->lists));
	if (!d->lists) {
		snprintf(errstr, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < cfg->n_specs; i++) {
		int rc = wl_load_spec(cfg->specs[i], &d->lists[i], errstr,
				      errlen);

		if (rc < 0)
			return rc;
		d->n_lists++;
		d->load_ms += d->lists[i]->load_ms;
		d->memory += wl_list_memory(d->lists[i]);
	}
	/* Two lists with one id would make hits ambiguous: suffix them. */
	for (size_t i = 0; i < d->n_lists; i++)
		for (size_t j = 0; j < i; j++)
			if (!strcmp(d->lists[i]->id, d->lists[j]->id)) {
				size_t n = strlen(d->lists[i]->id);

				if (n > sizeof(d->lists[i]->id) - 4)
					n = sizeof(d->lists[i]->id) - 4;
				snprintf(d->lists[i]->id + n, 4, "-%u",
					 (unsigned)(i % 100));
			}
	return 0;
}

static int build_ids(db *d, char *errstr, size_t errlen)
{
	idset_builder *b = idset_builder_new();

	if (!b)
		goto oom;
	for (size_t i = 0; i < d->n_lists; i++)
		if (idset_builder_add_list(b, d->lists[i], (uint16_t)i) < 0)
			goto oom;
	d->ids = idset_finish(b); /* consumes b */
	if (!d->ids)
		goto oom_nob;
	return 0;
oom:
	idset_builder_free(b);
oom_nob:
	snprintf(errstr, errlen, "identifier set: out of memory");
	return -ENOMEM;
}

static char *norm_dup(norm_ctx *nc, const char *s)
{
	char buf[512];
	ssize_t n = norm_text(nc, s, strlen(s), buf, sizeof(buf));

	return strdup(n > 0 ? buf : "");
}

static int build_allows(db *d, char *errstr, size_t errlen)
{
	norm_ctx *nc = NULL;
	size_t n = 0, k = 0;

	for (size_t i = 0; i < d->n_lists; i++)
		n += d->lists[i]->n_allows;
	if (!n)
		return 0;
	d->allows = calloc(n, sizeof(*d->allows));
	nc = norm_ctx_new();
	if (!d->allows || !nc)
		goto oom;
	for (size_t i = 0; i < d->n_lists; i++) {
		for (uint32_t j = 0; j < d->lists[i]->n_allows; j++) {
			const wl_allow *a = &d->lists[i]->allows[j];
			db_allow *o = &d->allows[k++];
			char key[128];
			int kl = ids_key_raw(WL_ID_ACCOUNT, a->account,
					     strlen(a->account), key, sizeof(key));

			d->n_allows = k;
			o->name = norm_dup(nc, a->party_name);
			o->account = strdup(kl > 0 ? key : "");
			if (!o->name || !o->account)
				goto oom;
			o->list = a->list;
			o->entry = a->entry;
			o->reason = a->reason;
		}
	}
	norm_ctx_free(nc);
	return 0;
oom:
	norm_ctx_free(nc);
	snprintf(errstr, errlen, "allow list: out of memory");
	return -ENOMEM;
}

int db_allowed(const db *d, const char *list_id, const char *entry_id,
	       const char *name_norm, const char *account,
	       const char **reason)
{
	for (size_t i = 0; i < d->n_allows; i++) {
		const db_allow *a = &d->allows[i];

		if (strcmp(a->entry, entry_id) ||
		    (a->list[0] && strcmp(a->list, list_id)))
			continue;
		if (a->name[0] && strcmp(a->name, name_norm))
			continue;
		if (a->account[0] && strcmp(a->account, account))
			continue;
		if (!a->name[0] && !a->account[0])
			continue; /* a pair needs a party side */
		*reason = a->reason;
		return 1;
	}
	return 0;
}

static int compile(db *d, const db_config *cfg, char *errstr, size_t errlen)
{
	double t0 = now_ms();

	nameidx_config nc;

	nameidx_config_default(&nc);
	nc.review = d->review_threshold;
	nc.block = d->block_threshold;
	d->names = nameidx_build_cfg(d->lists, d->n_lists, &nc, errstr,
				     errlen);
	if (!d->names)
		return -EINVAL;
	if (build_ids(d, errstr, errlen) < 0 ||
	    build_allows(d, errstr, errlen) < 0)
		return -ENOMEM;
	d->goods = goods_table_build((const wl_list *const *)d->lists,
				     d->n_lists);
	if (!d->goods) {
		snprintf(errstr, errlen, "goods table: out of memory");
		return -ENOMEM;
	}
	d->rules = cfg->rules_path ? rules_load(cfg->rules_path, errstr, errlen) :
				     rules_default(errstr, errlen);
	if (!d->rules)
		return -EINVAL;
	d->compile_ms = now_ms() - t0;
	d->memory += nameidx_memory(d->names) + idset_memory(d->ids);
	return 0;
}

db *db_build(const db_config *cfg, char *errstr, size_t errlen)
{
	db *d = calloc(1, sizeof(*d));

	if (!d) {
		snprintf(errstr, errlen, "out of memory");
		return NULL;
	}
	d->review_threshold = cfg->review_threshold > 0 ?
				      cfg->review_threshold : DB_DEFAULT_REVIEW;
	d->block_threshold = cfg->block_threshold > 0 ? cfg->block_threshold :
							DB_DEFAULT_BLOCK;
	d->id_hit_decision = cfg->id_hit_decision ? cfg->id_hit_decision : 2;
	if (load_lists(d, cfg, errstr, errlen) < 0 ||
	    compile(d, cfg, errstr, errlen) < 0) {
		db_free(d);
		return NULL;
	}
	make_version(d, cfg);
	return d;
}

void db_free(db *d)
{
	if (!d)
		return;
	nameidx_free(d->names);
	idset_free(d->ids);
	goods_table_free(d->goods);
	rules_free(d->rules);
	for (size_t i = 0; i < d->n_allows; i++) {
		free(d->allows[i].name);
		free(d->allows[i].account);
	}
	free(d->allows);
	for (size_t i = 0; i < d->n_lists; i++)
		wl_list_free(d->lists[i]);
	free(d->lists);
	free(d);
}
