/*
 * journal.h - the audit journal: an append-only, checksummed record of
 * every verdict, written with io_uring and group commit.
 *
 * Files: with path P, files are "P-000001.log", "P-000002.log", ...;
 * when P is an existing directory (or ends in '/'), they are
 * "P/interdict-journal-000001.log", ...  A file is rotated (the next
 * number started) when the next record would take it beyond max_bytes
 * (a single larger record still gets written, alone).  Format in
 * docs/journal.md: a 32-byte header {magic "IDJOURNL", version, header
 * size, first seq, creation time}, then 8-byte aligned records
 * {u32 len, u32 check, u64 seq, payload[len], zero pad}; check is the
 * low 32 bits of XXH3_64bits_withSeed(payload, len, seed = seq).
 * Integers are little-endian.
 *
 * Open: the newest file is scanned; a torn tail (short header, short
 * record, bad check, out-of-sequence seq, non-zero garbage) is cut off
 * with ftruncate + fsync and reported (bytes cut).  Appending then
 * continues in that file, seq = last seq + 1 (seq starts at 1).
 *
 * Append (worker threads, lock-free): a record is reserved in a byte
 * ring by one compare-and-swap on a packed {seq, position} word, copied
 * in, then published by a release store of its length.  No allocation,
 * no lock, no syscall.  When the ring is full the appender spins with
 * sched_yield/short sleeps until the journal thread frees space
 * (back-pressure) or the journal is closing (-ESHUTDOWN).
 *
 * Journal thread: owns the io_uring.  It waits at most sync_interval_us
 * for records, takes every published record in order (stopping at the
 * first one still being copied), submits them as one IORING_OP_WRITEV
 * linked (IOSQE_IO_LINK) to IORING_OP_FSYNC with IORING_FSYNC_DATASYNC,
 * waits for both, then frees the ring space and publishes the highest
 * durable seq (release store) and calls on_durable.  So there is one
 * fdatasync per batch, never one per record, and at most one per
 * sync_interval_us while records keep coming.  On a write or fsync
 * error it logs, counts (journal_error()), and retries the same batch
 * after sync_interval (durable seq stops advancing, so the engine
 * stops committing offsets: fail-safe).
 *
 * Thread notes: journal_open/close on one (main) thread; every
 * journal_append() must have returned before journal_close() starts
 * (stop the workers first);
 * journal_append/journal_durable_seq/journal_wait from any thread;
 * on_durable runs on the journal thread (keep it short, no journal
 * calls except journal_durable_seq).
 */
#ifndef INTERDICT_JOURNAL_H
#define INTERDICT_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

#define JOURNAL_MAGIC       "IDJOURNL"
#define JOURNAL_VERSION     1
#define JOURNAL_HEADER_SIZE 32
#define JOURNAL_REC_HEADER  16

/* One audit record.  topic and lists_version are NUL-terminated (at
 * most 65535 bytes each, else -EINVAL); NULL is stored as empty.
 * verdict_json has a length and need not be terminated; one trailing
 * '\n' is not stored.  From the reader, every string points into
 * reader memory and verdict_json is not NUL-terminated. */
typedef struct journal_rec {
	const char *topic;         /* input topic (or file name) */
	int32_t partition;         /* -1 when not from Kafka */
	int64_t offset;            /* input offset / line number */
	const char *lists_version;
	const char *verdict_json;  /* the verdict JSON (without '\n' ok) */
	size_t len;                /* bytes of verdict_json */
} journal_rec;

typedef struct journal_opts {
	const char *path;            /* prefix or directory (see above) */
	uint64_t max_bytes;          /* rotate size; 0 = never rotate */
	uint32_t sync_interval_us;   /* group-commit window */
	size_t ring_bytes;           /* append ring, power of two; 0 = 16 MiB */
	log_t *log;                  /* may be NULL */
	/* Called on the journal thread after each durable batch. */
	void (*on_durable)(void *ctx, uint64_t durable_seq);
	void *ctx;
} journal_opts;

typedef struct journal journal_t;

/* Defaults: max 256 MiB, 1000 us, 16 MiB ring, rest NULL/0. */
void journal_opts_default(journal_opts *o);

/*
 * Open (creating the first file and directory entries as needed),
 * repair a torn tail, start the journal thread.  *truncated (may be
 * NULL) gets the bytes cut from the newest file.  NULL + err on error.
 */
journal_t *journal_open(const journal_opts *o, uint64_t *truncated, char *err,
			size_t errlen);

/*
 * Flush and fdatasync everything appended, stop the thread, close.
 * Returns 0 or the last write error (-errno).  j may be NULL.
 */
int journal_close(journal_t *j);

/*
 * Append a record.  *seq (may be NULL) gets its sequence number.
 * 0, -EMSGSIZE (record larger than ring_bytes/4), -EINVAL (topic or
 * version too long) or -ESHUTDOWN (closing, or the journal thread
 * gave up after repeated write errors during close).
 * Thread safe, lock-free, allocation-free; may wait when the ring is
 * full.
 */
int journal_append(journal_t *j, const journal_rec *rec, uint64_t *seq);

/* Highest seq known durable (all seqs <= it are on disk).  0 = none. */
uint64_t journal_durable_seq(const journal_t *j);
/* Highest seq handed out so far. */
uint64_t journal_last_seq(const journal_t *j);

/* Wait until seq is durable or timeout_ms passes: 0 or -ETIMEDOUT. */
int journal_wait(journal_t *j, uint64_t seq, int timeout_ms);

/* Last write/fsync error (-errno) since open, 0 when none. */
int journal_error(const journal_t *j);

/* Counters for metrics and tests. */
typedef struct journal_stats {
	uint64_t records;  /* written and synced */
	uint64_t batches;  /* write+fdatasync pairs */
	uint64_t bytes;    /* bytes written (records + headers) */
	uint64_t files;    /* files created by this journal */
	uint64_t errors;   /* failed batches (retried) */
} journal_stats;
void journal_get_stats(const journal_t *j, journal_stats *out);

/* ---- reading (the `interdict journal` command, tests) ---- */

typedef struct journal_reader journal_reader;

/* Open one journal file.  NULL + "path: reason" on error (including
 * a bad magic / version; a short header reads as a torn tail). */
journal_reader *journal_reader_open(const char *path, char *err,
				    size_t errlen);
void journal_reader_close(journal_reader *r);

/*
 * Next record: 1 and *rec, *seq filled (pointers valid until the next
 * call), 0 at a clean end of file, -EBADMSG at a torn tail or corrupt
 * record (journal_reader_offset() is where it starts; the rest of the
 * file is not read).
 */
int journal_reader_next(journal_reader *r, journal_rec *rec, uint64_t *seq);
/* Byte offset of the next record (or of the bad one after -EBADMSG). */
uint64_t journal_reader_offset(const journal_reader *r);
uint64_t journal_reader_size(const journal_reader *r);
uint64_t journal_reader_first_seq(const journal_reader *r);

/*
 * The journal files for a path prefix/directory, sorted by number:
 * *out is a malloc'd array of malloc'd strings (journal_files_free()).
 * Returns the count (0 when none) or -errno.
 */
int journal_list_files(const char *path, char ***out);
void journal_files_free(char **files, int n);

#endif
