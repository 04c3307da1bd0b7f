/*
 * log.c - structured log lines.
 *
 * Design: a log_t is {fd, atomic level, format}.  log_printf() formats
 * the message with vsnprintf into a stack buffer, then builds the
 * whole line (timestamp, level, component, message, '\n') in a second
 * stack buffer - escaping the message for JSON - and hands it to the
 * kernel with one write(2).  Writes of a few KiB to a pipe or file
 * are not interleaved with other writers' lines, so no lock is
 * needed; a short write (signal, full pipe) is completed in a loop,
 * which is the only case where lines could interleave.  Nothing is
 * allocated after log_new().
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

struct log {
	int fd;
	_Atomic int level;
	log_format format;
};

static const char *const level_names[] = {"debug", "info", "warn", "error"};

log_t *log_new(FILE *out, log_level level, log_format format)
{
	log_t *log = calloc(1, sizeof(*log));

	if (!log)
		return NULL;
	log->fd = out ? fileno(out) : 2;
	if (log->fd < 0)
		log->fd = 2;
	atomic_init(&log->level, (int)level);
	log->format = format;
	return log;
}

void log_free(log_t *log)
{
	free(log);
}

void log_set_level(log_t *log, log_level level)
{
	if (log)
		atomic_store_explicit(&log->level, (int)level,
				      memory_order_relaxed);
}

log_level log_get_level(const log_t *log)
{
	if (!log)
		return LOG_ERROR;
	return (log_level)atomic_load_explicit(&log->level,
					       memory_order_relaxed);
}

int log_enabled(const log_t *log, log_level level)
{
	return log && (int)level >= atomic_load_explicit(
						&log->level, memory_order_relaxed);
}

int log_parse_level(const char *s, log_level *out)
{
	for (int i = 0; i <= LOG_ERROR; i++) {
		if (s && strcmp(s, level_names[i]) == 0) {
			*out = (log_level)i;
			return 0;
		}
	}
	return -EINVAL;
}

int log_parse_format(const char *s, log_format *out)
{
	if (s && strcmp(s, "text") == 0)
		*out = LOG_FMT_TEXT;
	else if (s && strcmp(s, "json") == 0)
		*out = LOG_FMT_JSON;
	else
		return -EINVAL;
	return 0;
}

const char *log_level_name(log_level level)
{
	if ((unsigned)level > LOG_ERROR)
		return "unknown";
	return level_names[level];
}

char *log_timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	return buf;
}

/* Append JSON-escaped s to out[*pos..cap-1); stops when full. */
static void json_escape(char *out, size_t *pos, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t p = *pos;

	for (; *s && p + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[p++] = '\\';
			out[p++] = (char)c;
		} else if (c == '\n') {
			out[p++] = '\\';
			out[p++] = 'n';
		} else if (c == '\t') {
			out[p++] = '\\';
			out[p++] = 't';
		} else if (c < 0x20 || c == 0x7f) {
			memcpy(out + p, "\\u00", 4);
			out[p + 4] = hex[c >> 4];
			out[p + 5] = hex[c & 15];
			p += 6;
		} else {
			out[p++] = (char)c;
		}
	}
	*pos = p;
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Replace newlines in a text-format message so a line stays a line. */
static void flatten(char *msg)
{
	for (; *msg; msg++)
		if (*msg == '\n' || *msg == '\r')
			*msg = ' ';
}

static size_t build_text(char *line, size_t cap, const char *ts,
			 log_level level, const char *component, char *msg)
{
	int n;

	flatten(msg);
	n = snprintf(line, cap - 1, "%s %s %s: %s", ts, log_level_name(level),
		     component ? component : "-", msg);
	if (n < 0)
		n = 0;
	if ((size_t)n >= cap - 1) {
		n = (int)cap - 2;
		memcpy(line + n - 3, "...", 3);
	}
	line[n++] = '\n';
	return (size_t)n;
}

static size_t build_json(char *line, size_t cap, const char *ts,
			 log_level level, const char *component,
			 const char *msg)
{
	size_t p = 0;
	int n;

	n = snprintf(line, cap, "{\"ts\":\"%s\",\"level\":\"%s\",\"component\":\"",
		     ts, log_level_name(level));
	p = (size_t)(n > 0 ? n : 0);
	json_escape(line, &p, cap - 16, component ? component : "-");
	memcpy(line + p, "\",\"msg\":\"", 9);
	p += 9;
	json_escape(line, &p, cap - 4, msg);
	memcpy(line + p, "\"}\n", 3);
	return p + 3;
}

void log_printf(log_t *log, log_level level, const char *component,
		const char *fmt, ...)
{
	char msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 256], ts[32];
	va_list ap;
	size_t len;
	int n;

	if (!log_enabled(log, level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(msg))
		memcpy(msg + sizeof(msg) - 4, "...", 4);
	else if (n < 0)
		msg[0] = '\0';
	log_timestamp(ts, sizeof(ts));
	if (log->format == LOG_FMT_JSON)
		len = build_json(line, sizeof(line), ts, level, component, msg);
	else
		len = build_text(line, sizeof(line), ts, level, component, msg);
	write_all(log->fd, line, len);
}

int log_is_secret_key(const char *key)
{
	static const char *const words[] = {"password", "secret", "sasl.jaas",
					    "ssl.key"};

	if (!key)
		return 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(key, words[i]))
			return 1;
	return 0;
}

const char *log_mask_value(const char *key, const char *value)
{
	if (value && *value && log_is_secret_key(key))
		return "********";
	return value;
}
