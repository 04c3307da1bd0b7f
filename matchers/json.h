/*
 * json.h - a strict, allocation-free JSON tokenizer (RFC 8259).
 *
 * Like jsmn, it writes a flat array of tokens into caller memory and
 * never allocates, so the event hot path can parse with a per-thread
 * token pool.  Unlike jsmn it validates fully: UTF-8, escapes
 * (including surrogate pairs), numbers, literals, nesting depth, and
 * nothing after the top-level value but whitespace.
 *
 * Token tree: tokens are in document order; a container token's
 * `size` is its number of children (object: number of keys; each key
 * token is followed by its value subtree); `end` is the index one past
 * its last descendant, so siblings are reached by jumping to `end`.
 *
 * Thread: pure functions over caller memory.
 */
#ifndef INTERDICT_JSON_H
#define INTERDICT_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef enum json_type {
	JSON_NULL = 0,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
} json_type;

typedef struct json_tok {
	uint32_t start;  /* byte offset of the value (strings: after the quote) */
	uint32_t len;    /* byte length (strings: raw, escapes not decoded) */
	uint32_t end;    /* index of the next token after this subtree */
	uint32_t size;   /* children (containers) */
	uint8_t type;    /* json_type */
	uint8_t escaped; /* string contains backslash escapes */
} json_tok;

typedef struct json_err {
	size_t offset;      /* byte where parsing failed */
	const char *reason; /* static string */
} json_err;

/*
 * Parse buf[0..len).  Returns the number of tokens (>= 1) or a negative
 * errno: -EINVAL malformed (err says where and why), -EILSEQ invalid
 * UTF-8, -E2BIG more than max_tok tokens, -ELOOP deeper than
 * max_depth.  The buffer need not be NUL-terminated.
 */
int json_parse(const char *buf, size_t len, json_tok *tok, uint32_t max_tok,
	       uint32_t max_depth, json_err *err);

/* Index of the value for key in object token obj, or -1. */
int json_obj_get(const char *buf, const json_tok *tok, int obj,
		 const char *key);

/* 1 when string token t equals the C string s (escapes decoded). */
int json_str_eq(const char *buf, const json_tok *t, const char *s);

/*
 * Decode string token t into out (cap bytes, NUL-terminated).  Returns
 * the decoded length or -ENOSPC.  Decoding never grows the text, so
 * cap = t->len + 1 always suffices.
 */
int json_str_decode(const char *buf, const json_tok *t, char *out,
		    size_t cap);

/* Append s[0..len) to out as a JSON string body (no quotes), escaping
 * as needed.  Returns bytes written or -ENOSPC. */
int json_escape(const char *s, size_t len, char *out, size_t cap);

#endif
