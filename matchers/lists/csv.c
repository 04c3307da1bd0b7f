/*
 * csv.c - RFC 4180 reader for list files; see csv.h for the contract.
 *
 * Lists are a few MiB at most, so the whole file is read into one
 * buffer and records are cut out of it in place: no per-field
 * allocation, and a field is just a pointer into the buffer with its
 * separator overwritten by NUL.  Doubled quotes shrink a field, so the
 * unescaped text always fits where the raw text was.
 *
 * Windows-1252 input (OFAC's legacy files) is converted to UTF-8 once,
 * up front, into a new buffer; UTF-8 input is validated record by
 * record so that the error can name the exact line.  Parsing is
 * lenient where real files are sloppy (spaces after a closing quote,
 * lone CR line ends) and strict where data would be lost (a quote that
 * never closes, bytes that are not UTF-8, NUL bytes).
 */
#include "csv.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FILE (256u << 20) /* refuse absurd inputs */

struct csv_reader {
	int truncated;   /* the last record ended inside a quoted field */
	char path[512];
	char *buf;       /* whole file, UTF-8, NUL-terminated */
	size_t len;      /* bytes in buf (without the NUL) */
	size_t pos;      /* parse position */
	unsigned line;   /* current line (1-based) at pos */
	unsigned rec_line; /* line on which the last record started */
	unsigned flags;
	char sep;
	char **fields;
	size_t *lens;
	size_t cap;      /* capacity of fields/lens */
	size_t bad_off;  /* first bad byte (SIZE_MAX: none) */
	unsigned bad_line;
	const char *bad_why;
	char *errstr;    /* caller's buffer for csv_next() errors */
	size_t errlen;
};

/* Unicode code points of Windows-1252 bytes 0x80..0x9F; the five
 * undefined bytes map to the C1 control of the same value. */
static const uint16_t cp1252_hi[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178
};

/* Read a whole file; returns a malloc'd NUL-terminated buffer or NULL
 * with errno set. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		return NULL;
	errno = 0;
	for (;;) {
		size_t got;

		if (n + 1 >= cap) {
			size_t ncap = cap ? cap * 2 : 1 << 16;
			char *nb;

			if (ncap > CSV_MAX_FILE) {
				errno = EFBIG;
				goto fail;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				errno = ENOMEM;
				goto fail;
			}
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				if (!errno)
					errno = EIO;
				goto fail;
			}
			break;
		}
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

/* Convert Windows-1252 to UTF-8; returns a new buffer or NULL. */
static char *cp1252_to_utf8(const char *in, size_t len, size_t *out_len)
{
	char *out = malloc(len * 3 + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)in[i];

		if (c >= 0x80 && c < 0xa0)
			c = cp1252_hi[c - 0x80];
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | (c >> 6));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xe0 | (c >> 12));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* Length of the valid UTF-8 sequence at s, or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Find the first NUL byte, or invalid UTF-8 when required, so that
 * csv_next() can fail on the record holding it with its exact line. */
static void find_bad(csv_reader *r)
{
	const unsigned char *b = (const unsigned char *)r->buf;
	unsigned line = 1;

	r->bad_off = SIZE_MAX;
	for (size_t i = 0; i < r->len;) {
		size_t n = 1;

		if (b[i] == '\0') {
			r->bad_why = "NUL byte";
		} else if (b[i] >= 0x80 && (r->flags & CSV_F_UTF8)) {
			n = utf8_seq(b + i, r->len - i);
			if (!n)
				r->bad_why = "invalid UTF-8";
		}
		if (r->bad_why) {
			r->bad_off = i;
			r->bad_line = line;
			return;
		}
		if (b[i] == '\n' || (b[i] == '\r' && b[i + 1] != '\n'))
			line++;
		i += n;
	}
}

csv_reader *csv_open(const char *path, char sep, unsigned flags,
		     char *errstr, size_t errlen)
{
	csv_reader *r = calloc(1, sizeof(*r));
	char *eof;

	if (!r) {
		snprintf(errstr, errlen, "%s: out of memory", path);
		return NULL;
	}
	snprintf(r->path, sizeof(r->path), "%s", path);
	r->sep = sep;
	r->flags = flags;
	r->line = 1;
	r->errstr = errstr;
	r->errlen = errlen;
	r->buf = slurp(path, &r->len);
	if (!r->buf) {
		snprintf(errstr, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	eof = memchr(r->buf, 0x1a, r->len); /* DOS end-of-file marker */
	if (eof) {
		*eof = '\0';
		r->len = (size_t)(eof - r->buf);
	}
	if (flags & CSV_F_CP1252) {
		size_t n;
		char *u = cp1252_to_utf8(r->buf, r->len, &n);

		if (!u) {
			snprintf(errstr, errlen, "%s: out of memory", path);
			goto fail;
		}
		free(r->buf);
		r->buf = u;
		r->len = n;
	}
	if (r->len >= 3 && !memcmp(r->buf, "\xef\xbb\xbf", 3))
		r->pos = 3;
	find_bad(r);
	return r;
fail:
	csv_close(r);
	return NULL;
}

void csv_close(csv_reader *r)
{
	if (!r)
		return;
	free(r->buf);
	free(r->fields);
	free(r->lens);
	free(r);
}

static int push_field(csv_reader *r, size_t n, char *start, size_t len)
{
	if (n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 32;
		char **f = realloc(r->fields, cap * sizeof(*f));
		size_t *l;

		if (!f)
			return -ENOMEM;
		r->fields = f;
		l = realloc(r->lens, cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		r->lens = l;
		r->cap = cap;
	}
	r->fields[n] = start;
	r->lens[n] = len;
	return 0;
}

/* Parse a quoted field starting after its opening quote at r->pos;
 * unescapes in place into *w.  Returns 0 or -EINVAL (never closed). */
static int quoted(csv_reader *r, char **w)
{
	char *b = r->buf;

	for (;;) {
		if (r->pos >= r->len)
			return -EINVAL;
		if (b[r->pos] == '"') {
			if (r->pos + 1 < r->len && b[r->pos + 1] == '"') {
				*(*w)++ = '"';
				r->pos += 2;
				continue;
			}
			r->pos++;
			return 0;
		}
		if (b[r->pos] == '\n' ||
		    (b[r->pos] == '\r' && b[r->pos + 1] != '\n'))
			r->line++;
		*(*w)++ = b[r->pos++];
	}
}

/* True at a line end; consumes it and counts the line. */
static int eat_eol(csv_reader *r)
{
	char c = r->buf[r->pos];

	if (c == '\n') {
		r->pos++;
		r->line++;
		return 1;
	}
	if (c == '\r') {
		r->pos++;
		if (r->pos < r->len && r->buf[r->pos] == '\n')
			r->pos++;
		r->line++;
		return 1;
	}
	return 0;
}

/* Parse one record; returns the field count or -errno. */
static int record(csv_reader *r)
{
	char *b = r->buf;
	size_t n = 0;

	for (;;) {
		char *start = b + r->pos, *w = start;
		int was_quoted = 0;

		if (r->pos < r->len && b[r->pos] == '"') {
			was_quoted = 1;
			r->pos++;
			if (quoted(r, &w) < 0)
				return -EINVAL;
		}
		/* Unquoted text, or anything after a closing quote. */
		while (r->pos < r->len && b[r->pos] != r->sep &&
		       b[r->pos] != '\n' && b[r->pos] != '\r') {
			if (was_quoted && b[r->pos] == ' ') {
				r->pos++;
				continue;
			}
			*w++ = b[r->pos++];
		}
		if (push_field(r, n, start, (size_t)(w - start)) < 0)
			return -ENOMEM;
		n++;
		if (r->pos < r->len && b[r->pos] == r->sep) {
			*w = '\0';
			r->pos++;
			continue;
		}
		if (r->pos < r->len)
			eat_eol(r);
		*w = '\0';
		return (int)n;
	}
}

int csv_next(csv_reader *r, char ***fields, size_t **lens)
{
	size_t from;
	int n;

	while (r->pos < r->len && eat_eol(r))
		; /* blank lines */
	if (r->pos >= r->len)
		return 0;
	from = r->pos;
	r->rec_line = r->line;
	n = record(r);
	if (n == -EINVAL) {
		r->truncated = 1;
		snprintf(r->errstr, r->errlen,
			 "%s:%u: quoted field never closed (truncated file?)",
			 r->path, r->rec_line);
		return n;
	}
	if (n < 0)
		return n;
	if (r->bad_off >= from && r->bad_off < r->pos) {
		snprintf(r->errstr, r->errlen, "%s:%u: %s", r->path,
			 r->bad_line, r->bad_why);
		return -EINVAL;
	}
	*fields = r->fields;
	*lens = r->lens;
	return n;
}

unsigned csv_line(const csv_reader *r)
{
	return r->rec_line;
}

const char *csv_path(const csv_reader *r)
{
	return r->path;
}

int csv_truncated(const csv_reader *r)
{
	return r->truncated;
}
