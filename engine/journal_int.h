/*
 * journal_int.h - internals shared by journal.c (writer) and
 * journal_read.c (reader, file naming, recovery).  Not for other
 * modules: use journal.h.
 *
 * On-disk record payload (after the 16-byte record header):
 *   jrn_meta (16 bytes) | topic | lists_version | verdict JSON
 */
#ifndef INTERDICT_JOURNAL_INT_H
#define INTERDICT_JOURNAL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "journal.h"
#include "log.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the journal format is little-endian; add byte swapping"
#endif

#define JRN_ALIGN8(n) (((size_t)(n) + 7) & ~(size_t)7)

typedef struct jrn_meta {
	int64_t offset;
	int32_t partition;
	uint16_t topic_len;
	uint16_t version_len;
} jrn_meta;

_Static_assert(sizeof(jrn_meta) == 16, "jrn_meta is 16 bytes on disk");

/* The newest file after recovery, open for writing at size. */
typedef struct jrn_tail {
	int fd;
	unsigned file_no;
	uint64_t size;      /* valid bytes = next write offset */
	uint64_t next_seq;
	uint64_t truncated; /* bytes cut */
	int created;        /* a file was created */
} jrn_tail;

/* File prefix for a journal path (malloc'd; NULL on ENOMEM). */
char *jrn_base(const char *path);
void jrn_file_name(const char *base, unsigned no, char *buf, size_t len);

/* Create (or truncate) file no with a header; fsyncs file and dir. */
int jrn_create_file(const char *base, unsigned no, uint64_t first_seq,
		    int *fd, char *err, size_t errlen);
/* Reopen file no for writing (after a failed rotation). */
int jrn_reopen_append(const char *base, unsigned no, int *fd);

/* Find, scan and repair the newest file (creating the first one). */
int jrn_recover(const char *base, jrn_tail *t, log_t *log, char *err,
		size_t errlen);

#endif
