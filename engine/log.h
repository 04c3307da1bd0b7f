/*
 * log.h - structured log lines, text or JSON, one write() per line.
 *
 * Text:  2026-11-28T03:00:00.123Z info engine: message key=value
 * JSON:  {"ts":"2026-11-28T03:00:00.123Z","level":"info",
 *         "component":"engine","msg":"message key=value"}
 *
 * The message is printf-formatted into a stack buffer (lines longer
 * than LOG_LINE_MAX are cut and end in "..."), so logging allocates
 * nothing; JSON output escapes the message.  Each line is emitted
 * with a single write(2) on the file descriptor of the FILE* given
 * to log_new() (stdio buffering is bypassed), so lines from several
 * threads never interleave.
 *
 * Secrets: values of keys whose name contains "password", "secret",
 * "sasl.jaas" or "ssl.key" (case-insensitive) must never be logged;
 * use log_mask_value() when printing configuration.
 *
 * Thread: every function may be called from any thread; the level
 * can be changed at run time (atomic).  A NULL log_t* is valid and
 * logs nothing.
 */
#ifndef INTERDICT_LOG_H
#define INTERDICT_LOG_H

#include <stddef.h>
#include <stdio.h>

typedef enum log_level {
	LOG_DEBUG = 0,
	LOG_INFO,
	LOG_WARN,
	LOG_ERROR,
} log_level;

typedef enum log_format {
	LOG_FMT_TEXT = 0,
	LOG_FMT_JSON,
} log_format;

#define LOG_LINE_MAX 4096

typedef struct log log_t;

/* Log to out (usually stderr; not closed by log_free).  NULL on ENOMEM. */
log_t *log_new(FILE *out, log_level level, log_format format);
void log_free(log_t *log);

void log_set_level(log_t *log, log_level level);
log_level log_get_level(const log_t *log);
/* True when a line at this level would be written. */
int log_enabled(const log_t *log, log_level level);

/* "debug"|"info"|"warn"|"error" -> 0 and *out, else -EINVAL. */
int log_parse_level(const char *s, log_level *out);
/* "text"|"json" -> 0 and *out, else -EINVAL. */
int log_parse_format(const char *s, log_format *out);
const char *log_level_name(log_level level);

void log_printf(log_t *log, log_level level, const char *component,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Non-zero when the key names a secret (see above). */
int log_is_secret_key(const char *key);

/*
 * The value to print for key: value itself, or "********" when the
 * key is secret (and the value non-empty).  Never allocates.
 */
const char *log_mask_value(const char *key, const char *value);

/*
 * Format the current time as "2026-11-28T03:00:00.123Z" into buf
 * (at least 25 bytes).  Returns buf.
 */
char *log_timestamp(char *buf, size_t len);

#endif
