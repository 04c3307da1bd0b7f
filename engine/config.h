/*
 * config.h - the engine configuration: a Kafka-style properties file
 * plus command-line overrides, checked against a table of known keys.
 *
 * File syntax (java.util.Properties subset): one "key=value" or
 * "key: value" per line, key and value trimmed; lines starting with
 * '#' or '!' are comments; blank lines are ignored; a line ending in
 * an odd number of '\' continues on the next line (the backslash and
 * the next line's leading blanks are dropped, a ',' is NOT inserted).
 * A key given twice: the last one wins.
 *
 * Every key is in a const table (config_print_help() prints it) with
 * a type, a default and a one-line description.  Keys starting with
 * "kafka." are not checked here: they are passed to librdkafka with
 * the prefix removed (config_foreach_prefix()).  Any other unknown
 * key, or a value that does not parse for its type, is an error that
 * names where it came from: "FILE:LINE: reason" for the file,
 * "command line: reason" for overrides.
 *
 * Value syntax per type:
 *   string    anything (may be empty)
 *   int       decimal integer, range checked per key
 *   double    decimal number, range checked per key
 *   bool      true|false|yes|no|on|off|1|0 (case-insensitive)
 *   enum      one of the listed words (exact, lower case)
 *   ms / us   duration: bare number in the key's unit, or with a
 *             suffix us|ms|s|m|h ("2s", "500ms", "1m")
 *   bytes     bare number of bytes or with suffix k|m|g (KiB, MiB,
 *             GiB; "KiB", "MB" etc. accepted, all binary)
 *   list      list specs "[ID=]FORMAT:PATH" separated by ',' or
 *             newlines (continuation lines); each item non-empty and
 *             containing ':'
 *
 * Errors: functions returning int give 0 or -errno (-ENOENT unknown
 * key, -EINVAL bad value or syntax, other -errno from I/O) and write
 * a message to err (may be NULL when errlen is 0).
 *
 * Thread: a config is built on one thread (load, set, validate) and
 * then only read; readers on any number of threads are safe as long
 * as nobody calls config_set()/config_load_file() concurrently.
 * Pointers returned by config_get() stay valid until the key is set
 * again or the config is freed.
 */
#ifndef INTERDICT_CONFIG_H
#define INTERDICT_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct config config_t;

typedef enum config_type {
	CONFIG_T_STRING = 0,
	CONFIG_T_INT,
	CONFIG_T_DOUBLE,
	CONFIG_T_BOOL,
	CONFIG_T_ENUM,
	CONFIG_T_MS,    /* duration, unit milliseconds */
	CONFIG_T_US,    /* duration, unit microseconds */
	CONFIG_T_BYTES,
	CONFIG_T_LIST,  /* list specs */
} config_type;

/* One row of the key table (read-only, static storage). */
typedef struct config_key {
	const char *name;
	config_type type;
	const char *def;     /* default, as text */
	const char *choices; /* enum: "a|b|c"; else NULL */
	double min, max;     /* int/double/ms/us/bytes range (inclusive) */
	const char *doc;     /* one line */
} config_key;

/* The key table, terminated by a row with name == NULL. */
const config_key *config_keys(void);
/* The table row for key, or NULL (also NULL for kafka.* keys). */
const config_key *config_key_find(const char *key);

/* A config holding every default.  NULL on out of memory. */
config_t *config_new(void);
void config_free(config_t *cfg);

/*
 * Parse a properties file and set each key in order (as config_set()
 * would, but errors say "PATH:LINE: reason").  Stops at the first
 * error.  Then runs config_validate(cfg, 0, ...) (the checks that do
 * not need Kafka); serve calls config_validate(cfg, 1, ...) again after
 * the command-line overrides.
 */
int config_load_file(config_t *cfg, const char *path, char *err,
		     size_t errlen);

/*
 * Set one key: checks that the key is known (or kafka.*) and that the
 * value parses for its type and range.  Errors name "command line".
 */
int config_set(config_t *cfg, const char *key, const char *value, char *err,
	       size_t errlen);

/* "key=value" (a command-line override).  -EINVAL without '='. */
int config_set_arg(config_t *cfg, const char *arg, char *err, size_t errlen);

/*
 * Cross-key checks, after everything is set: threshold.review <=
 * threshold.block, journal.path non-empty when journal.enabled,
 * topics and group non-empty; with need_kafka (serve) also lists
 * non-empty and kafka.bootstrap.servers (or kafka.test.mock.*) set.
 * Messages name the file:line of the offending key when it came from
 * a file.
 */
int config_validate(const config_t *cfg, int need_kafka, char *err,
		    size_t errlen);

/*
 * Raw value (the default when unset), NULL for an unknown key or an
 * unset kafka.* key.  The typed getters parse the stored value (which
 * config_set() already checked) and return 0 / false for unknown keys
 * - asking for an unknown key is a programming error, so they also
 * assert in debug builds.
 */
const char *config_get(const config_t *cfg, const char *key);
int64_t config_get_int(const config_t *cfg, const char *key);
double config_get_double(const config_t *cfg, const char *key);
int config_get_bool(const config_t *cfg, const char *key);
int64_t config_get_ms(const config_t *cfg, const char *key);
int64_t config_get_us(const config_t *cfg, const char *key);
uint64_t config_get_bytes(const config_t *cfg, const char *key);
/* Index of the value in the key's choices ("a|b|c": a=0), or -1. */
int config_get_enum(const config_t *cfg, const char *key);

/* Was the key set explicitly (file or override) rather than default? */
int config_is_set(const config_t *cfg, const char *key);

/*
 * Where the key's value came from: "FILE:LINE", "command line" or
 * "default".  Writes into buf and returns it (for error messages of
 * later stages, e.g. librdkafka rejecting a kafka.* value).
 */
const char *config_where(const config_t *cfg, const char *key, char *buf,
			 size_t len);

/*
 * Call cb for every explicitly set key starting with prefix, in the
 * order the keys were first set; suffix is the key with the prefix
 * removed ("kafka.bootstrap.servers" -> "bootstrap.servers").  A
 * non-zero return from cb stops the walk and is returned.
 */
typedef int (*config_foreach_fn)(void *ctx, const char *suffix,
				 const char *value);
int config_foreach_prefix(const config_t *cfg, const char *prefix,
			  config_foreach_fn cb, void *ctx);

/*
 * Split a list-type value (e.g. "lists") into trimmed items separated
 * by ',' or newlines and call cb(ctx, item) for each non-empty item.
 * Returns the number of items or cb's non-zero return.
 */
typedef int (*config_item_fn)(void *ctx, const char *item);
int config_foreach_item(const config_t *cfg, const char *key,
			config_item_fn cb, void *ctx);

/*
 * Print every key as "key=value" (known keys in table order, then
 * kafka.* keys), values of secret keys (log_is_secret_key()) masked.
 */
void config_dump(const config_t *cfg, FILE *out);

/* Print the key table: key, type, default, doc. */
void config_print_help(FILE *out);

#endif
