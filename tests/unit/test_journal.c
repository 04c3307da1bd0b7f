/*
 * test_journal.c - the audit journal: concurrent appends read back in
 * seq order, group commit, durable seq, torn-tail repair (garbage,
 * cut record, flipped byte, torn header), rotation, back-pressure,
 * limits, and the `interdict journal` command output.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "commands.h"
#include "journal.h"

#define PER_THREAD 20000

typedef struct fixture {
	char dir[64];
	char path[128]; /* prefix: DIR/j */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/interdict-jt-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/j", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static journal_t *open_j(const fixture *f, uint64_t max_bytes,
			 size_t ring_bytes, uint64_t *cut)
{
	journal_opts o;
	char err[256] = "";
	journal_t *j;

	journal_opts_default(&o);
	o.path = f->path;
	o.max_bytes = max_bytes;
	o.ring_bytes = ring_bytes;
	o.sync_interval_us = 500;
	j = journal_open(&o, cut, err, sizeof(err));
	if (!j)
		fail_msg("journal_open: %s", err);
	return j;
}

static int append_one(journal_t *j, unsigned tid, unsigned i, uint64_t *seq)
{
	char json[128];
	journal_rec r = {"transactions", (int32_t)tid, (int64_t)i,
			 "2026-11-27T09:00:00Z/3f2a9c1e", json, 0};

	r.len = (size_t)snprintf(json, sizeof(json),
				 "{\"id\":\"tx-%u-%u\",\"verdict\":\"pass\"}\n",
				 tid, i);
	return journal_append(j, &r, seq);
}

/* Read every record of every file; check seq continuity and, when
 * want_tid is given, that each record matches its writer. */
static uint64_t read_all(const fixture *f, int *nfiles)
{
	char **files, err[256], want[128];
	uint64_t next = 1, seq;
	journal_rec rec;
	int n = journal_list_files(f->path, &files), rc;

	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		journal_reader *r = journal_reader_open(files[i], err,
							sizeof(err));

		assert_non_null(r);
		assert_int_equal(journal_reader_first_seq(r), next);
		while ((rc = journal_reader_next(r, &rec, &seq)) == 1) {
			assert_int_equal(seq, next);
			next++;
			snprintf(want, sizeof(want),
				 "{\"id\":\"tx-%d-%lld\",\"verdict\":\"pass\"}",
				 rec.partition, (long long)rec.offset);
			assert_int_equal(rec.len, strlen(want));
			assert_memory_equal(rec.verdict_json, want, rec.len);
			assert_string_equal(rec.topic, "transactions");
			assert_string_equal(rec.lists_version,
					    "2026-11-27T09:00:00Z/3f2a9c1e");
		}
		assert_int_equal(rc, 0);
		journal_reader_close(r);
	}
	journal_files_free(files, n);
	if (nfiles)
		*nfiles = n;
	return next - 1;
}

typedef struct worker_arg {
	journal_t *j;
	unsigned tid;
	unsigned n;
	uint64_t last_seq;
	int failed;
} worker_arg;

static void *appender(void *p)
{
	worker_arg *a = p;
	uint64_t seq, prev = 0;

	for (unsigned i = 0; i < a->n; i++) {
		if (append_one(a->j, a->tid, i, &seq) != 0 || seq <= prev)
			a->failed++;
		prev = seq;
	}
	a->last_seq = prev;
	return NULL;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_threads(journal_t *j, unsigned nthreads, unsigned per,
			worker_arg *args)
{
	pthread_t th[8];

	for (unsigned t = 0; t < nthreads; t++) {
		args[t] = (worker_arg){j, t, per, 0, 0};
		assert_int_equal(pthread_create(&th[t], NULL, appender,
						&args[t]),
				 0);
	}
	for (unsigned t = 0; t < nthreads; t++) {
		pthread_join(th[t], NULL);
		assert_int_equal(args[t].failed, 0);
	}
}

static void test_two_threads(void **state)
{
	fixture *f = *state;
	uint64_t cut = 99, last;
	journal_t *j = open_j(f, 0, 0, &cut);
	journal_stats st;
	worker_arg args[2];
	double t0 = now_s(), dt;

	assert_int_equal(cut, 0);
	run_threads(j, 2, PER_THREAD, args);
	last = args[0].last_seq > args[1].last_seq ? args[0].last_seq
						   : args[1].last_seq;
	assert_int_equal(last, 2 * PER_THREAD);
	assert_int_equal(journal_last_seq(j), 2 * PER_THREAD);
	assert_int_equal(journal_wait(j, last, 10000), 0);
	dt = now_s() - t0;
	assert_true(journal_durable_seq(j) >= last);
	journal_get_stats(j, &st);
	assert_int_equal(st.records, 2 * PER_THREAD);
	/* group commit: far fewer fdatasyncs than records */
	assert_true(st.batches * 10 < st.records);
	print_message("journal: %u appends in %.3fs (%.0f/s durable), "
		      "%llu batches\n",
		      2 * PER_THREAD, dt, 2 * PER_THREAD / dt,
		      (unsigned long long)st.batches);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(read_all(f, NULL), 2 * PER_THREAD);
}

static void on_durable(void *ctx, uint64_t seq)
{
	*(uint64_t *)ctx = seq; /* journal thread only; read after close */
}

static void test_reopen_continues(void **state)
{
	fixture *f = *state;
	journal_opts o;
	uint64_t seq = 0, cb_seq = 0;
	char err[256];
	journal_t *j;

	journal_opts_default(&o);
	o.path = f->path;
	o.on_durable = on_durable;
	o.ctx = &cb_seq;
	j = journal_open(&o, NULL, err, sizeof(err));
	assert_non_null(j);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(append_one(j, 0, i, &seq), 0);
	assert_int_equal(seq, 10);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(cb_seq, 10);
	j = open_j(f, 0, 0, NULL);
	assert_int_equal(journal_durable_seq(j), 10);
	assert_int_equal(append_one(j, 0, 10, &seq), 0);
	assert_int_equal(seq, 11);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(read_all(f, NULL), 11);
}

static void write_n(const fixture *f, unsigned n)
{
	journal_t *j = open_j(f, 0, 0, NULL);

	for (unsigned i = 0; i < n; i++)
		assert_int_equal(append_one(j, 0, i, NULL), 0);
	assert_int_equal(journal_close(j), 0);
}

static off_t file_size(const char *p)
{
	struct stat st;

	assert_int_equal(stat(p, &st), 0);
	return st.st_size;
}

static void reopen_expect(const fixture *f, uint64_t want_cut,
			  uint64_t want_records)
{
	uint64_t cut = 0, seq = 0;
	journal_t *j = open_j(f, 0, 0, &cut);

	assert_int_equal(cut, want_cut);
	assert_int_equal(append_one(j, 0, (unsigned)want_records, &seq), 0);
	assert_int_equal(seq, want_records + 1);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(read_all(f, NULL), want_records + 1);
}

static void test_torn_garbage(void **state)
{
	fixture *f = *state;
	char name[160];
	FILE *fp;

	write_n(f, 100);
	snprintf(name, sizeof(name), "%s-000001.log", f->path);
	fp = fopen(name, "ab");
	assert_non_null(fp);
	fwrite("\x17garbage-after-crash-0123456789abcdef", 1, 37, fp);
	fclose(fp);
	reopen_expect(f, 37, 100);
}

static void test_torn_cut_record(void **state)
{
	fixture *f = *state;
	char name[160];
	off_t size;
	int fd;

	write_n(f, 100);
	snprintf(name, sizeof(name), "%s-000001.log", f->path);
	size = file_size(name);
	fd = open(name, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size - 5), 0); /* cut record 100 */
	close(fd);
	/* every record here has the same padded size */
	reopen_expect(f, (uint64_t)((size - 32) / 100 - 5), 99);
}

static void test_torn_flipped_byte(void **state)
{
	fixture *f = *state;
	char name[160], c;
	off_t size;
	int fd;

	write_n(f, 50);
	snprintf(name, sizeof(name), "%s-000001.log", f->path);
	size = file_size(name);
	fd = open(name, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, size - 12), 1);
	c ^= 0x20;
	assert_int_equal(pwrite(fd, &c, 1, size - 12), 1);
	close(fd);
	reopen_expect(f, (uint64_t)((size - 32) / 50), 49);
}

static void test_rotation(void **state)
{
	fixture *f = *state;
	uint64_t seq = 0;
	journal_t *j = open_j(f, 4096, 0, NULL);
	journal_stats st;
	int nfiles = 0;
	char name[160];

	for (unsigned i = 0; i < 500; i++)
		assert_int_equal(append_one(j, 1, i, &seq), 0);
	assert_int_equal(journal_wait(j, seq, 10000), 0);
	journal_get_stats(j, &st);
	assert_true(st.files > 5);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(read_all(f, &nfiles), 500);
	assert_true(nfiles > 5);
	snprintf(name, sizeof(name), "%s-000002.log", f->path);
	assert_true(file_size(name) <= 4096);
	/* a torn header in the newest file: rewritten, seq continues */
	snprintf(name, sizeof(name), "%s-%06d.log", f->path, nfiles + 1);
	FILE *fp = fopen(name, "wb");
	assert_non_null(fp);
	fwrite("IDJOU", 1, 5, fp);
	fclose(fp);
	reopen_expect(f, 5, 500);
}

static void test_backpressure_small_ring(void **state)
{
	fixture *f = *state;
	journal_t *j = open_j(f, 0, 65536, NULL);
	worker_arg args[4];

	run_threads(j, 4, 5000, args); /* ~2 MB through a 64 KiB ring */
	assert_int_equal(journal_last_seq(j), 20000);
	assert_int_equal(journal_close(j), 0);
	assert_int_equal(read_all(f, NULL), 20000);
}

static void test_limits(void **state)
{
	fixture *f = *state;
	journal_t *j = open_j(f, 0, 65536, NULL);
	static char big[20000], topic[70000];
	journal_rec r = {"t", 0, 0, "v", big, sizeof(big)};

	memset(big, 'x', sizeof(big));
	assert_int_equal(journal_append(j, &r, NULL), -EMSGSIZE);
	memset(topic, 'a', sizeof(topic) - 1);
	r = (journal_rec){topic, 0, 0, "v", "{}", 2};
	assert_int_equal(journal_append(j, &r, NULL), -EINVAL);
	r = (journal_rec){NULL, -1, 7, NULL, "{}", 2};
	assert_int_equal(journal_append(j, &r, NULL), 0);
	assert_int_equal(journal_close(j), 0);
}

static void test_bad_file(void **state)
{
	fixture *f = *state;
	char name[160], err[256] = "";
	journal_opts o;
	FILE *fp;

	snprintf(name, sizeof(name), "%s-000001.log", f->path);
	fp = fopen(name, "wb");
	assert_non_null(fp);
	fputs("this is not a journal file, it is text long enough\n", fp);
	fclose(fp);
	assert_null(journal_reader_open(name, err, sizeof(err)));
	assert_non_null(strstr(err, "not an interdict journal"));
	journal_opts_default(&o);
	o.path = f->path;
	assert_null(journal_open(&o, NULL, err, sizeof(err)));
}

/* Run cmd_journal with stdout/stderr captured into files. */
static int run_cmd(const fixture *f, char *out, size_t outlen, char *errb,
		   size_t errlen)
{
	char o[160], e[160], *argv[] = {"journal", (char *)f->path, NULL};
	int so = dup(1), se = dup(2), fo, fe, rc;
	ssize_t n;

	snprintf(o, sizeof(o), "%s/out", f->dir);
	snprintf(e, sizeof(e), "%s/err", f->dir);
	fo = open(o, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fe = open(e, O_RDWR | O_CREAT | O_TRUNC, 0600);
	fflush(stdout);
	dup2(fo, 1);
	dup2(fe, 2);
	rc = cmd_journal(2, argv);
	fflush(stdout);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	n = pread(fo, out, outlen - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	n = pread(fe, errb, errlen - 1, 0);
	errb[n > 0 ? n : 0] = '\0';
	close(fo);
	close(fe);
	return rc;
}

static void test_cmd(void **state)
{
	fixture *f = *state;
	static char out[8192], errb[1024];
	char name[160];
	FILE *fp;

	write_n(f, 3);
	assert_int_equal(run_cmd(f, out, sizeof(out), errb, sizeof(errb)), 0);
	assert_non_null(strstr(out,
		"{\"seq\":1,\"topic\":\"transactions\",\"partition\":0,"
		"\"offset\":0,\"lists_version\":\"2026-11-27T09:00:00Z/"
		"3f2a9c1e\",\"verdict\":{\"id\":\"tx-0-0\",\"verdict\":"
		"\"pass\"}}\n"));
	assert_non_null(strstr(out, "\"seq\":3,"));
	assert_string_equal(errb, "");
	snprintf(name, sizeof(name), "%s-000001.log", f->path);
	fp = fopen(name, "ab");
	fwrite("\1\0\0", 1, 3, fp);
	fclose(fp);
	assert_int_equal(run_cmd(f, out, sizeof(out), errb, sizeof(errb)), 0);
	assert_non_null(strstr(out, "\"seq\":3,"));
	assert_non_null(strstr(errb, "torn tail at byte"));
	assert_non_null(strstr(errb, "3 bytes not read"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_two_threads, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reopen_continues, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_garbage, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_cut_record, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_torn_flipped_byte, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backpressure_small_ring,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmd, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
