/*
 * journal_read.c - journal files: naming, listing, reading, and the
 * torn-tail recovery run by journal_open().
 *
 * Design: a reader maps the whole file read-only (files are bounded by
 * journal.max.bytes) and walks records, validating each: complete
 * header and padded body inside the file, payload at least the 16-byte
 * meta with consistent string lengths, seq exactly previous + 1 (the
 * first equals the header's first_seq), and the XXH3 check.  The first
 * failure is the torn tail: nothing after it is trusted.  Recovery cuts
 * the newest file there (ftruncate + fsync) - a crash can only tear
 * the end of the newest file because rotation happens after a
 * durable batch - and derives the next seq.  A file shorter than its
 * header (crash during creation) is rewritten with the seq that
 * follows the previous file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "journal.h"
#include "journal_int.h"

#define BASE_NAME "interdict-journal"

struct journal_reader {
	char *path;
	const uint8_t *map;
	uint64_t size;
	uint64_t off;
	uint64_t start; /* header size */
	uint64_t first_seq;
	uint64_t expect;
	int bad;
	char *topic, *version; /* NUL-terminated copies */
};

/* ---- naming ---- */

char *jrn_base(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	char *b;

	if ((n > 0 && path[n - 1] == '/') ||
	    (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		if (n > 0 && path[n - 1] == '/')
			mkdir(path, 0750);
		b = malloc(n + sizeof(BASE_NAME) + 1);
		if (b)
			sprintf(b, "%s%s" BASE_NAME, path,
				path[n - 1] == '/' ? "" : "/");
		return b;
	}
	return strdup(path);
}

void jrn_file_name(const char *base, unsigned no, char *buf, size_t len)
{
	snprintf(buf, len, "%s-%06u.log", base, no);
}

/* Number of a directory entry named PREFIX-NNNNNN.log, or 0. */
static unsigned entry_number(const char *name, const char *prefix)
{
	size_t pl = strlen(prefix), nl = strlen(name);
	unsigned v = 0;

	if (nl < pl + 6 || strncmp(name, prefix, pl) != 0 ||
	    name[pl] != '-' || strcmp(name + nl - 4, ".log") != 0)
		return 0;
	for (size_t i = pl + 1; i < nl - 4; i++) {
		if (name[i] < '0' || name[i] > '9' || v > 100000000)
			return 0;
		v = v * 10 + (unsigned)(name[i] - '0');
	}
	return v;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* Sorted file numbers for base: count or -errno; *nums malloc'd. */
static int list_numbers(const char *base, unsigned **nums)
{
	char *d1 = strdup(base), *d2 = strdup(base);
	const char *dir, *prefix;
	struct dirent *de;
	unsigned *v = NULL, *nv;
	int n = 0, cap = 0, rc = 0;
	DIR *d;

	if (!d1 || !d2) {
		rc = -ENOMEM;
		goto out;
	}
	dir = dirname(d1);
	prefix = basename(d2);
	d = opendir(dir);
	if (!d) {
		rc = errno == ENOENT ? 0 : -errno;
		goto out;
	}
	while ((de = readdir(d))) {
		unsigned no = entry_number(de->d_name, prefix);

		if (!no)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, (size_t)cap * sizeof(*v));
			if (!nv) {
				rc = -ENOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = no;
	}
	closedir(d);
	if (rc == 0 && n)
		qsort(v, (size_t)n, sizeof(*v), cmp_uint);
out:
	free(d1);
	free(d2);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*nums = v;
	return n;
}

int journal_list_files(const char *path, char ***out)
{
	char *base = jrn_base(path), **files = NULL, name[4096];
	unsigned *nums = NULL;
	int n;

	*out = NULL;
	if (!base)
		return -ENOMEM;
	n = list_numbers(base, &nums);
	if (n > 0) {
		files = calloc((size_t)n, sizeof(*files));
		for (int i = 0; files && i < n; i++) {
			jrn_file_name(base, nums[i], name, sizeof(name));
			files[i] = strdup(name);
			if (!files[i]) {
				journal_files_free(files, i);
				files = NULL;
			}
		}
		if (!files)
			n = -ENOMEM;
	}
	*out = files;
	free(nums);
	free(base);
	return n;
}

void journal_files_free(char **files, int n)
{
	for (int i = 0; files && i < n; i++)
		free(files[i]);
	free(files);
}

/* ---- reader ---- */

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static int check_header(journal_reader *r, char *err, size_t errlen)
{
	if (r->size < JOURNAL_HEADER_SIZE) {
		r->bad = 1; /* torn at creation: reads as a torn tail */
		return 0;
	}
	if (memcmp(r->map, JOURNAL_MAGIC, 8) != 0) {
		snprintf(err, errlen, "%s: not an interdict journal",
			 r->path);
		return -EINVAL;
	}
	r->start = rd32(r->map + 12);
	if (rd32(r->map + 8) != JOURNAL_VERSION ||
	    r->start < JOURNAL_HEADER_SIZE || r->start > r->size) {
		snprintf(err, errlen, "%s: unsupported journal version %u",
			 r->path, rd32(r->map + 8));
		return -EINVAL;
	}
	r->first_seq = r->expect = rd64(r->map + 16);
	r->off = r->start;
	return 0;
}

journal_reader *journal_reader_open(const char *path, char *err,
				    size_t errlen)
{
	journal_reader *r = calloc(1, sizeof(*r));
	struct stat st;
	int fd = -1;

	if (!r || !(r->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto fail;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	r->size = (uint64_t)st.st_size;
	if (r->size) {
		void *m = mmap(NULL, r->size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m == MAP_FAILED) {
			snprintf(err, errlen, "%s: mmap: %s", path,
				 strerror(errno));
			goto fail;
		}
		r->map = m;
	}
	close(fd);
	fd = -1;
	if (check_header(r, err, errlen) < 0)
		goto fail;
	return r;
fail:
	if (fd >= 0)
		close(fd);
	journal_reader_close(r);
	return NULL;
}

void journal_reader_close(journal_reader *r)
{
	if (!r)
		return;
	if (r->map)
		munmap((void *)r->map, r->size);
	free(r->path);
	free(r->topic);
	free(r->version);
	free(r);
}

static char *copy_str(char **dst, const uint8_t *src, size_t n)
{
	char *p = realloc(*dst, n + 1);

	if (!p)
		return NULL;
	memcpy(p, src, n);
	p[n] = '\0';
	*dst = p;
	return p;
}

/* Validate the record at r->off; its total size or 0 when bad. */
static uint64_t valid_record(const journal_reader *r, jrn_meta *m)
{
	const uint8_t *p = r->map + r->off;
	uint64_t left = r->size - r->off, total;
	uint32_t len;

	if (left < JOURNAL_REC_HEADER)
		return 0;
	len = rd32(p);
	total = JRN_ALIGN8(JOURNAL_REC_HEADER + (uint64_t)len);
	if (len < sizeof(*m) || total > left || rd64(p + 8) != r->expect)
		return 0;
	memcpy(m, p + JOURNAL_REC_HEADER, sizeof(*m));
	if ((uint64_t)m->topic_len + m->version_len + sizeof(*m) > len)
		return 0;
	if ((uint32_t)XXH3_64bits_withSeed(p + JOURNAL_REC_HEADER, len,
					   r->expect) != rd32(p + 4))
		return 0;
	return total;
}

int journal_reader_next(journal_reader *r, journal_rec *rec, uint64_t *seq)
{
	const uint8_t *body;
	uint64_t total;
	jrn_meta m;

	if (r->bad)
		return -EBADMSG;
	if (r->off == r->size)
		return 0;
	total = valid_record(r, &m);
	if (!total) {
		r->bad = 1;
		return -EBADMSG;
	}
	body = r->map + r->off + JOURNAL_REC_HEADER + sizeof(m);
	if (!copy_str(&r->topic, body, m.topic_len) ||
	    !copy_str(&r->version, body + m.topic_len, m.version_len))
		return -ENOMEM;
	rec->topic = r->topic;
	rec->lists_version = r->version;
	rec->partition = m.partition;
	rec->offset = m.offset;
	rec->verdict_json = (const char *)body + m.topic_len + m.version_len;
	rec->len = rd32(r->map + r->off) - sizeof(m) - m.topic_len -
		   m.version_len;
	*seq = r->expect++;
	r->off += total;
	return 1;
}

uint64_t journal_reader_offset(const journal_reader *r)
{
	return r->off;
}

uint64_t journal_reader_size(const journal_reader *r)
{
	return r->size;
}

uint64_t journal_reader_first_seq(const journal_reader *r)
{
	return r->first_seq;
}

/* ---- creation and recovery ---- */

static int fsync_dir(const char *base)
{
	char *d = strdup(base);
	int fd, rc = 0;

	if (!d)
		return -ENOMEM;
	fd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = -errno;
	if (fd >= 0)
		close(fd);
	free(d);
	return rc;
}

int jrn_create_file(const char *base, unsigned no, uint64_t first_seq,
		    int *fdp, char *err, size_t errlen)
{
	uint8_t h[JOURNAL_HEADER_SIZE] = {0};
	uint32_t ver = JOURNAL_VERSION, hs = JOURNAL_HEADER_SIZE;
	struct timespec ts;
	uint64_t created;
	char name[4096];
	int fd, rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	created = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	memcpy(h, JOURNAL_MAGIC, 8);
	memcpy(h + 8, &ver, 4);
	memcpy(h + 12, &hs, 4);
	memcpy(h + 16, &first_seq, 8);
	memcpy(h + 24, &created, 8);
	jrn_file_name(base, no, name, sizeof(name));
	fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	if (pwrite(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    fdatasync(fd) < 0)
		goto fail;
	rc = fsync_dir(base);
	if (rc < 0) {
		errno = -rc;
		goto fail;
	}
	*fdp = fd;
	return 0;
fail:
	rc = errno ? -errno : -EIO;
	snprintf(err, errlen, "%s: %s", name, strerror(-rc));
	if (fd >= 0)
		close(fd);
	return rc;
}

int jrn_reopen_append(const char *base, unsigned no, int *fd)
{
	char name[4096];

	jrn_file_name(base, no, name, sizeof(name));
	*fd = open(name, O_WRONLY | O_CLOEXEC);
	return *fd < 0 ? -errno : 0;
}

/* Scan a file: next seq after its last valid record, the valid end. */
static int scan(const char *name, uint64_t *next_seq, uint64_t *valid,
		uint64_t *size, char *err, size_t errlen)
{
	journal_reader *r = journal_reader_open(name, err, errlen);
	journal_rec rec;
	uint64_t seq;
	int rc;

	if (!r)
		return -EINVAL;
	while ((rc = journal_reader_next(r, &rec, &seq)) == 1)
		;
	*next_seq = r->expect;
	*valid = r->size < JOURNAL_HEADER_SIZE ? 0 : r->off;
	*size = r->size;
	journal_reader_close(r);
	if (rc == -ENOMEM) {
		snprintf(err, errlen, "%s: out of memory", name);
		return rc;
	}
	return 0;
}

static int repair(const char *base, unsigned *nums, int n, jrn_tail *t,
		  char *err, size_t errlen)
{
	uint64_t valid, size, prev_next = 1, dummy;
	char name[4096];
	int rc;

	jrn_file_name(base, nums[n - 1], name, sizeof(name));
	rc = scan(name, &t->next_seq, &valid, &size, err, errlen);
	if (rc < 0)
		return rc;
	t->truncated = size - valid;
	t->size = valid;
	if (valid == 0) { /* torn header */
		if (n > 1) {
			char prev[4096];

			jrn_file_name(base, nums[n - 2], prev, sizeof(prev));
			rc = scan(prev, &prev_next, &dummy, &dummy, err,
				  errlen);
			if (rc < 0)
				return rc;
		}
		t->next_seq = prev_next;
		t->size = JOURNAL_HEADER_SIZE;
		t->created = 1;
		return jrn_create_file(base, nums[n - 1], prev_next, &t->fd,
				       err, errlen);
	}
	t->fd = open(name, O_WRONLY | O_CLOEXEC);
	if (t->fd < 0 || (t->truncated && (ftruncate(t->fd, (off_t)valid) < 0 ||
					   fsync(t->fd) < 0))) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return rc;
	}
	return 0;
}

int jrn_recover(const char *base, jrn_tail *t, log_t *log, char *err,
		size_t errlen)
{
	unsigned *nums = NULL;
	int n = list_numbers(base, &nums), rc;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", base, strerror(-n));
		return n;
	}
	if (n == 0) {
		t->file_no = 1;
		t->next_seq = 1;
		t->size = JOURNAL_HEADER_SIZE;
		t->created = 1;
		rc = jrn_create_file(base, 1, 1, &t->fd, err, errlen);
	} else {
		t->file_no = nums[n - 1];
		rc = repair(base, nums, n, t, err, errlen);
	}
	free(nums);
	if (rc == 0 && t->truncated)
		log_printf(log, LOG_WARN, "journal",
			   "torn tail in file %06u: cut %llu bytes, next seq %llu",
			   t->file_no, (unsigned long long)t->truncated,
			   (unsigned long long)t->next_seq);
	return rc;
}
