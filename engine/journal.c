/*
 * journal.c - audit journal writer: lock-free append ring, one journal
 * thread doing group commit through io_uring, size rotation, torn-tail
 * repair on open.  The reader and file naming live in journal_read.c.
 *
 * Design.  The ring is a power-of-two byte array.  The write cursor is
 * ONE 64-bit atomic word packing {closed:1, next seq mod 2^31, byte
 * position mod 2^32}, so a single compare-and-swap both orders a record
 * (its seq) and reserves its bytes: the file order equals seq order by
 * construction.  Full 64-bit seqs are rebuilt from the durable seq,
 * read after the CAS: our record is not published yet, so durable <
 * ours and the difference is below the ring's record capacity (< 2^31).
 *
 * Records are 8-byte aligned in the ring exactly as on disk, so the
 * journal thread writes ring bytes verbatim (at most two iovecs when
 * the range wraps).  An appender fills check, seq and payload, then
 * publishes with a release store of the (non-zero) length word; the
 * journal thread acquire-loads length words from its read position and
 * stops at the first zero (a record still being copied).  After the
 * batch is durable it zeroes the bytes (so stale data never looks
 * published), then release-stores the tail, which appenders read to
 * know how much space is free.  The closed bit is set by the journal
 * thread with a CAS only when everything reserved has been written, so
 * no record can slip in after the last batch.
 *
 * I/O: IORING_OP_WRITEV linked to IORING_OP_FSYNC(DATASYNC), one pair
 * per batch; short writes continue; errors are retried.  If io_uring is
 * unavailable (seccomp, old kernel) pwritev + fdatasync are used and a
 * warning is logged.
 */
#define XXH_STATIC_LINKING_ONLY
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "journal.h"
#include "journal_int.h"

#define CLOSED_BIT  (1ull << 63)
#define SEQ_MASK    0x7fffffffull
#define DEF_RING    (16u << 20)
#define MAX_RING    (1u << 30)
#define CLOSE_TRIES 10

struct journal {
	_Alignas(64) _Atomic uint64_t head; /* closed | seq31 << 32 | pos */
	_Alignas(64) _Atomic uint32_t tail; /* freed up to (mod 2^32) */
	_Atomic int closing;
	_Alignas(64) _Atomic uint64_t durable;
	_Atomic int err;
	_Atomic uint64_t st_records, st_batches, st_bytes, st_files, st_errors;
	uint8_t *ring;
	uint32_t cap;
	size_t max_rec;
	journal_opts o;
	char *base;
	pthread_t thr;
	/* journal thread only (and open/close) */
	struct io_uring uring;
	int use_uring;
	int fd;
	unsigned file_no;
	uint64_t file_off;
	uint32_t rd;
};

void journal_opts_default(journal_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->path = "./interdict-journal";
	o->max_bytes = 256ull << 20;
	o->sync_interval_us = 1000;
	o->ring_bytes = DEF_RING;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sleep_until(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000ull),
			      (long)(ns % 1000000000ull)};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static void sleep_us(uint64_t us)
{
	sleep_until(now_ns() + us * 1000);
}

/* ---- append (any thread) ---- */

static _Atomic uint32_t *len_word(journal_t *j, uint32_t pos)
{
	return (_Atomic uint32_t *)(void *)(j->ring + (pos & (j->cap - 1)));
}

/* Copy n bytes into the ring at pos, wrapping. */
static uint32_t ring_put(journal_t *j, uint32_t pos, const void *src, size_t n)
{
	uint32_t at = pos & (j->cap - 1);
	size_t first = j->cap - at < n ? j->cap - at : n;

	memcpy(j->ring + at, src, first);
	if (n > first)
		memcpy(j->ring, (const uint8_t *)src + first, n - first);
	return pos + (uint32_t)n;
}

/* Reserve size bytes: returns the packed cursor before the CAS. */
static int reserve(journal_t *j, uint32_t size, uint64_t *old)
{
	uint64_t h = atomic_load_explicit(&j->head, memory_order_relaxed);
	unsigned spins = 0;

	for (;;) {
		uint32_t pos = (uint32_t)h, seq = (uint32_t)(h >> 32) & SEQ_MASK;
		uint32_t used = pos - atomic_load_explicit(
					      &j->tail, memory_order_acquire);
		uint64_t nh;

		if (h & CLOSED_BIT)
			return -ESHUTDOWN;
		if (j->cap - used < size) {
			if (++spins < 64)
				sched_yield();
			else
				sleep_us(50);
			h = atomic_load_explicit(&j->head,
						 memory_order_relaxed);
			continue;
		}
		nh = ((uint64_t)((seq + 1) & SEQ_MASK) << 32) |
		     (uint32_t)(pos + size);
		if (atomic_compare_exchange_weak_explicit(
			    &j->head, &h, nh, memory_order_acq_rel,
			    memory_order_relaxed)) {
			*old = h;
			return 0;
		}
	}
}

/* Full seq from its low 31 bits and a smaller seq within 2^31. */
static uint64_t rebuild_seq(uint64_t ref, uint32_t lo)
{
	return ref + (((uint64_t)lo - ref) & SEQ_MASK);
}

static uint32_t record_check(const jrn_meta *m, const char *topic,
			     const char *ver, const journal_rec *rec,
			     size_t jlen, uint64_t seq)
{
	XXH3_state_t st;

	XXH3_INITSTATE(&st);
	XXH3_64bits_reset_withSeed(&st, seq);
	XXH3_64bits_update(&st, m, sizeof(*m));
	XXH3_64bits_update(&st, topic, m->topic_len);
	XXH3_64bits_update(&st, ver, m->version_len);
	XXH3_64bits_update(&st, rec->verdict_json, jlen);
	return (uint32_t)XXH3_64bits_digest(&st);
}

int journal_append(journal_t *j, const journal_rec *rec, uint64_t *seqp)
{
	const char *topic = rec->topic ? rec->topic : "";
	const char *ver = rec->lists_version ? rec->lists_version : "";
	size_t tl = strlen(topic), vl = strlen(ver), jl = rec->len, len;
	static const uint8_t zeros[8];
	jrn_meta m;
	uint64_t old, seq;
	uint32_t pos, size, hdr[2];
	int rc;

	if (jl > 0 && rec->verdict_json[jl - 1] == '\n')
		jl--;
	if (tl > 65535 || vl > 65535)
		return -EINVAL;
	len = sizeof(m) + tl + vl + jl;
	if (JOURNAL_REC_HEADER + len > j->max_rec)
		return -EMSGSIZE;
	size = (uint32_t)JRN_ALIGN8(JOURNAL_REC_HEADER + len);
	rc = reserve(j, size, &old);
	if (rc < 0)
		return rc;
	seq = rebuild_seq(atomic_load_explicit(&j->durable,
					       memory_order_acquire),
			  (uint32_t)(old >> 32) & SEQ_MASK);
	m = (jrn_meta){rec->offset, rec->partition, (uint16_t)tl,
		       (uint16_t)vl};
	pos = (uint32_t)old;
	hdr[1] = record_check(&m, topic, ver, rec, jl, seq);
	ring_put(j, pos + 4, &hdr[1], 4);
	ring_put(j, pos + 8, &seq, 8);
	pos = ring_put(j, pos + JOURNAL_REC_HEADER, &m, sizeof(m));
	pos = ring_put(j, pos, topic, tl);
	pos = ring_put(j, pos, ver, vl);
	pos = ring_put(j, pos, rec->verdict_json, jl);
	ring_put(j, pos, zeros, (uint32_t)old + size - pos);
	hdr[0] = (uint32_t)len;
	atomic_store_explicit(len_word(j, (uint32_t)old), hdr[0],
			      memory_order_release);
	if (seqp)
		*seqp = seq;
	return 0;
}

uint64_t journal_durable_seq(const journal_t *j)
{
	return atomic_load_explicit(&j->durable, memory_order_acquire);
}

uint64_t journal_last_seq(const journal_t *j)
{
	uint64_t h = atomic_load_explicit(&j->head, memory_order_acquire);
	uint64_t d = atomic_load_explicit(&j->durable, memory_order_acquire);

	return rebuild_seq(d, (uint32_t)(h >> 32) & SEQ_MASK) - 1;
}

int journal_wait(journal_t *j, uint64_t seq, int timeout_ms)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000ull;

	while (journal_durable_seq(j) < seq) {
		if (now_ns() >= end)
			return -ETIMEDOUT;
		sleep_us(100);
	}
	return 0;
}

int journal_error(const journal_t *j)
{
	return atomic_load_explicit(&j->err, memory_order_relaxed);
}

void journal_get_stats(const journal_t *j, journal_stats *out)
{
	out->records = atomic_load(&j->st_records);
	out->batches = atomic_load(&j->st_batches);
	out->bytes = atomic_load(&j->st_bytes);
	out->files = atomic_load(&j->st_files);
	out->errors = atomic_load(&j->st_errors);
}

/* ---- journal thread ---- */

typedef struct batch {
	uint32_t bytes;
	uint32_t records;
	uint64_t last_seq;
	int rotate;
} batch;

/* Published records from rd, stopping where the file must rotate. */
static void collect(journal_t *j, batch *b)
{
	uint32_t pos = j->rd;

	memset(b, 0, sizeof(*b));
	while (b->bytes < j->cap) {
		uint32_t len = atomic_load_explicit(len_word(j, pos),
						    memory_order_acquire);
		uint32_t sz = (uint32_t)JRN_ALIGN8(JOURNAL_REC_HEADER + len);
		uint64_t fill = j->file_off + b->bytes;

		if (len == 0)
			break;
		if (j->o.max_bytes && fill + sz > j->o.max_bytes &&
		    fill > JOURNAL_HEADER_SIZE) {
			b->rotate = 1;
			break;
		}
		memcpy(&b->last_seq, j->ring + ((pos + 8) & (j->cap - 1)), 8);
		b->bytes += sz;
		b->records++;
		pos += sz;
	}
}

/* The ring range [rd, rd+bytes) minus its first skip bytes. */
static int range_iov(journal_t *j, uint32_t bytes, uint32_t skip,
		     struct iovec *iov)
{
	uint32_t at = (j->rd + skip) & (j->cap - 1), n = bytes - skip;
	uint32_t first = j->cap - at < n ? j->cap - at : n;

	iov[0] = (struct iovec){j->ring + at, first};
	iov[1] = (struct iovec){j->ring, n - first};
	return n > first ? 2 : 1;
}

/* One write of iov at off, then fdatasync: bytes written or -errno. */
static int write_uring(journal_t *j, struct iovec *iov, int niov,
		       uint64_t off, int *synced)
{
	struct io_uring_sqe *w = io_uring_get_sqe(&j->uring);
	struct io_uring_sqe *f = io_uring_get_sqe(&j->uring);
	struct io_uring_cqe *cqe;
	int res[2] = {-ECANCELED, -ECANCELED}, rc;

	if (!w || !f)
		return -EBUSY;
	io_uring_prep_writev(w, j->fd, iov, (unsigned)niov, off);
	w->flags |= IOSQE_IO_LINK;
	io_uring_sqe_set_data64(w, 0);
	io_uring_prep_fsync(f, j->fd, IORING_FSYNC_DATASYNC);
	io_uring_sqe_set_data64(f, 1);
	rc = io_uring_submit_and_wait(&j->uring, 2);
	if (rc < 0)
		return rc;
	for (int i = 0; i < 2; i++) {
		rc = io_uring_wait_cqe(&j->uring, &cqe);
		if (rc < 0)
			return rc;
		res[io_uring_cqe_get_data64(cqe) & 1] = cqe->res;
		io_uring_cqe_seen(&j->uring, cqe);
	}
	*synced = res[1] == 0;
	if (res[1] < 0 && res[1] != -ECANCELED)
		return res[1];
	return res[0];
}

static int write_plain(journal_t *j, struct iovec *iov, int niov,
		       uint64_t off, int *synced)
{
	ssize_t n = pwritev(j->fd, iov, niov, (off_t)off);
	size_t want = iov[0].iov_len + (niov > 1 ? iov[1].iov_len : 0);

	if (n < 0)
		return -errno;
	*synced = (size_t)n == want && fdatasync(j->fd) == 0;
	if ((size_t)n == want && !*synced)
		return -errno;
	return (int)n;
}

/* Write and sync the batch at file_off; short writes continue. */
static int write_batch(journal_t *j, const batch *b)
{
	uint32_t done = 0;
	struct iovec iov[2];
	int synced = 0;

	while (!synced) {
		int niov = range_iov(j, b->bytes, done, iov), n;

		n = j->use_uring ? write_uring(j, iov, niov, j->file_off + done,
					       &synced)
				 : write_plain(j, iov, niov,
					       j->file_off + done, &synced);
		if (n < 0)
			return n;
		done += (uint32_t)n;
		if (done == b->bytes && !synced && fdatasync(j->fd) < 0)
			return -errno;
		synced = synced || done == b->bytes;
	}
	return 0;
}

/* Zero the written bytes and hand the space back to appenders. */
static void release(journal_t *j, const batch *b)
{
	struct iovec iov[2];
	int n = range_iov(j, b->bytes, 0, iov);

	for (int i = 0; i < n; i++)
		memset(iov[i].iov_base, 0, iov[i].iov_len);
	j->rd += b->bytes;
	j->file_off += b->bytes;
	atomic_store_explicit(&j->tail, j->rd, memory_order_release);
	atomic_store_explicit(&j->durable, b->last_seq, memory_order_release);
	atomic_fetch_add(&j->st_records, b->records);
	atomic_fetch_add(&j->st_batches, 1);
	atomic_fetch_add(&j->st_bytes, b->bytes);
	if (j->o.on_durable)
		j->o.on_durable(j->o.ctx, b->last_seq);
}

static int rotate(journal_t *j)
{
	char err[256];
	int rc;

	close(j->fd);
	j->fd = -1;
	rc = jrn_create_file(j->base, j->file_no + 1,
			     atomic_load(&j->durable) + 1, &j->fd, err,
			     sizeof(err));
	if (rc < 0) {
		log_printf(j->o.log, LOG_ERROR, "journal", "rotate: %s", err);
		jrn_reopen_append(j->base, j->file_no, &j->fd);
		return rc;
	}
	j->file_no++;
	j->file_off = JOURNAL_HEADER_SIZE;
	atomic_fetch_add(&j->st_files, 1);
	atomic_fetch_add(&j->st_bytes, JOURNAL_HEADER_SIZE);
	log_printf(j->o.log, LOG_INFO, "journal", "rotated to file %06u",
		   j->file_no);
	return 0;
}

/* One batch: bytes written (0 = nothing ready) or -errno. */
static int flush_once(journal_t *j)
{
	batch b;
	int rc;

	collect(j, &b);
	if (b.bytes == 0 && b.rotate) {
		rc = rotate(j);
		if (rc < 0)
			return rc;
		collect(j, &b);
	}
	if (b.bytes == 0)
		return 0;
	rc = write_batch(j, &b);
	if (rc < 0)
		return rc;
	release(j, &b);
	return (int)b.bytes;
}

/* Closing and nothing reserved beyond rd: set the closed bit. */
static int try_close(journal_t *j)
{
	uint64_t h = atomic_load_explicit(&j->head, memory_order_acquire);

	if ((uint32_t)h != j->rd)
		return 0;
	return atomic_compare_exchange_strong(&j->head, &h, h | CLOSED_BIT);
}

static void on_error(journal_t *j, int rc, unsigned fails)
{
	atomic_store(&j->err, rc);
	atomic_fetch_add(&j->st_errors, 1);
	if (fails == 1 || fails % 100 == 0)
		log_printf(j->o.log, LOG_ERROR, "journal",
			   "write failed (attempt %u), retrying: %s", fails,
			   strerror(-rc));
}

static void *journal_thread(void *arg)
{
	journal_t *j = arg;
	unsigned fails = 0;

	for (;;) {
		uint64_t t0 = now_ns();
		int closing = atomic_load(&j->closing), rc = flush_once(j);

		if (rc < 0) {
			on_error(j, rc, ++fails);
			if (closing && fails >= CLOSE_TRIES)
				break;
			sleep_us(closing ? 10000 : 100000);
			continue;
		}
		fails = 0;
		if (closing && rc == 0 && try_close(j))
			return NULL;
		if (closing)
			sleep_us(rc ? 0 : 20);
		else
			sleep_until(t0 + (uint64_t)j->o.sync_interval_us * 1000);
	}
	log_printf(j->o.log, LOG_ERROR, "journal",
		   "giving up at close: records after seq %llu are not durable",
		   (unsigned long long)atomic_load(&j->durable));
	atomic_fetch_or(&j->head, CLOSED_BIT);
	return NULL;
}

/* ---- open / close ---- */

static uint32_t ring_size(size_t want)
{
	uint32_t cap = 1u << 16;

	if (want == 0)
		want = DEF_RING;
	while (cap < want && cap < MAX_RING)
		cap <<= 1;
	return cap;
}

static int setup_ring(journal_t *j, char *err, size_t errlen)
{
	j->cap = ring_size(j->o.ring_bytes);
	j->max_rec = j->cap / 4;
	j->ring = aligned_alloc(4096, j->cap);
	if (!j->ring) {
		snprintf(err, errlen, "journal: out of memory (ring)");
		return -ENOMEM;
	}
	memset(j->ring, 0, j->cap);
	j->use_uring = io_uring_queue_init(8, &j->uring, 0) == 0;
	if (!j->use_uring)
		log_printf(j->o.log, LOG_WARN, "journal",
			   "io_uring unavailable, using pwritev+fdatasync");
	return 0;
}

static void journal_free(journal_t *j)
{
	if (j->use_uring)
		io_uring_queue_exit(&j->uring);
	if (j->fd >= 0)
		close(j->fd);
	free(j->ring);
	free(j->base);
	free(j);
}

journal_t *journal_open(const journal_opts *o, uint64_t *truncated, char *err,
			size_t errlen)
{
	journal_t *j = calloc(1, sizeof(*j));
	jrn_tail tail;

	if (!j) {
		snprintf(err, errlen, "journal: out of memory");
		return NULL;
	}
	j->o = *o;
	j->fd = -1;
	if (!o->path || !*o->path) {
		snprintf(err, errlen, "journal: empty path");
		goto fail;
	}
	j->base = jrn_base(o->path);
	if (!j->base || setup_ring(j, err, errlen) < 0)
		goto fail;
	if (jrn_recover(j->base, &tail, o->log, err, errlen) < 0)
		goto fail;
	j->fd = tail.fd;
	j->file_no = tail.file_no;
	j->file_off = tail.size;
	if (tail.created)
		atomic_store(&j->st_files, 1);
	if (truncated)
		*truncated = tail.truncated;
	atomic_store(&j->durable, tail.next_seq - 1);
	atomic_store(&j->head, (tail.next_seq & SEQ_MASK) << 32);
	if (pthread_create(&j->thr, NULL, journal_thread, j) != 0) {
		snprintf(err, errlen, "journal: cannot start thread");
		goto fail;
	}
	return j;
fail:
	journal_free(j);
	return NULL;
}

int journal_close(journal_t *j)
{
	int rc;

	if (!j)
		return 0;
	atomic_store(&j->closing, 1);
	pthread_join(j->thr, NULL);
	rc = atomic_load(&j->err);
	if (journal_durable_seq(j) == journal_last_seq(j))
		rc = 0; /* errors were retried successfully */
	else if (rc == 0)
		rc = -EIO;
	journal_free(j);
	return rc;
}
