/*
 * csv.h - RFC 4180 reader for list files, with line numbers for errors.
 *
 * Reads a whole file into memory (lists are small: the largest is a
 * few MiB), optionally converts Windows-1252 to UTF-8 first, strips a
 * UTF-8 BOM, stops at a 0x1A (DOS end-of-file) byte, and then yields
 * records.  Quoted fields may contain separators, doubled quotes and
 * newlines.  Fields are NUL-terminated and unescaped in place; they
 * stay valid until the next csv_next() call (or csv_close()).
 *
 * Errors: csv_open() returns NULL and writes "path: reason" to errstr;
 * csv_next() returns -EINVAL for malformed input (unterminated quote,
 * invalid UTF-8 when not converting) and writes "path:line: reason".
 *
 * Thread: a reader is used by one thread.
 */
#ifndef INTERDICT_CSV_H
#define INTERDICT_CSV_H

#include <stddef.h>

typedef struct csv_reader csv_reader;

#define CSV_F_CP1252 0x1 /* input is Windows-1252: convert to UTF-8 */
#define CSV_F_UTF8   0x2 /* input must be valid UTF-8 (checked) */

/* sep is ',' normally. */
csv_reader *csv_open(const char *path, char sep, unsigned flags,
		     char *errstr, size_t errlen);
void csv_close(csv_reader *r);

/* Next record.  Returns the number of fields (>= 1), 0 at end of file,
 * or -errno.  *fields[i] is NUL-terminated, lens[i] its length.  Blank
 * lines are skipped. */
int csv_next(csv_reader *r, char ***fields, size_t **lens);

/* 1-based line on which the last record started. */
unsigned csv_line(const csv_reader *r);
const char *csv_path(const csv_reader *r);

/* 1 after csv_next() failed because the file ended inside a quoted
 * field: the last record is cut (an interrupted download, typically). */
int csv_truncated(const csv_reader *r);
#endif
