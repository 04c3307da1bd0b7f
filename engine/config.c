/*
 * config.c - properties file + overrides, checked against a key table.
 *
 * Design: the const table `keys` lists every known key with type,
 * default, range and doc.  A config_t is a small growable array of
 * explicitly set entries {key, value, origin file, line}; defaults are
 * never copied, config_get() falls back to the table.  With ~30 keys
 * a linear search is faster than any map and keeps the code short.
 * Every value is parsed when set (parse_value()), so the typed getters
 * cannot fail; cross-key rules live in config_validate().  Unknown
 * keys get a "did you mean" from the closest table key (edit
 * distance).  The file reader joins continuation lines, strips
 * comments and blanks and hands "key", "value", line to set_entry().
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "log.h"

#define MIB (1024.0 * 1024.0)

static const config_key keys[] = {
	{"lists", CONFIG_T_LIST, "", NULL, 0, 0,
	 "list specs [ID=]FORMAT:PATH, separated by ',' or newlines"},
	{"rules", CONFIG_T_STRING, "", NULL, 0, 0,
	 "rules file; empty = built-in rules"},
	{"threshold.review", CONFIG_T_DOUBLE, "0.80", NULL, 0, 1,
	 "score at or above which a hit asks for review"},
	{"threshold.block", CONFIG_T_DOUBLE, "0.92", NULL, 0, 1,
	 "score at or above which a hit asks for block"},
	{"id.hit", CONFIG_T_ENUM, "block", "block|review", 0, 0,
	 "verdict for an exact identifier match (IMO, LEI, INN...)"},
	{"workers", CONFIG_T_INT, "0", NULL, 0, 1024,
	 "screening threads; 0 = number of cores"},
	{"delivery", CONFIG_T_ENUM, "at-least-once",
	 "at-least-once|exactly-once", 0, 0,
	 "verdict delivery guarantee (exactly-once uses Kafka transactions)"},
	{"topic.in", CONFIG_T_STRING, "transactions", NULL, 0, 0,
	 "input topic"},
	{"topic.out", CONFIG_T_STRING, "verdicts", NULL, 0, 0,
	 "verdict topic"},
	{"topic.dlq", CONFIG_T_STRING, "transactions.dlq", NULL, 0, 0,
	 "dead-letter topic for error events; empty = none"},
	{"group.id", CONFIG_T_STRING, "interdict", NULL, 0, 0,
	 "Kafka consumer group"},
	{"commit.interval.ms", CONFIG_T_MS, "100", NULL, 1, 3600000,
	 "how often processed offsets are committed"},
	{"queue.max", CONFIG_T_INT, "10000", NULL, 1, 10000000,
	 "in-flight events per worker before partitions are paused"},
	{"journal.enabled", CONFIG_T_BOOL, "true", NULL, 0, 0,
	 "write the audit journal"},
	{"journal.path", CONFIG_T_STRING, "./interdict-journal", NULL, 0, 0,
	 "journal file prefix, or a directory"},
	{"journal.max.bytes", CONFIG_T_BYTES, "256MiB", NULL, 4096,
	 1099511627776.0, "rotate the journal file at this size"},
	{"journal.sync.interval.us", CONFIG_T_US, "1000", NULL, 1, 10000000,
	 "group-commit window: at most one fdatasync per interval"},
	{"http.listen", CONFIG_T_STRING, "127.0.0.1:9464", NULL, 0, 0,
	 "HOST:PORT of /metrics /healthz /readyz /reload; empty disables"},
	{"log.format", CONFIG_T_ENUM, "text", "text|json", 0, 0,
	 "log line format"},
	{"log.level", CONFIG_T_ENUM, "info", "debug|info|warn|error", 0, 0,
	 "lowest level logged"},
	{"reload.watch", CONFIG_T_BOOL, "true", NULL, 0, 0,
	 "reload lists when a list file changes"},
	{"reload.poll.ms", CONFIG_T_MS, "2000", NULL, 100, 86400000,
	 "how often list files are checked for changes"},
	{"event.max.bytes", CONFIG_T_BYTES, "1048576", NULL, 64, 64 * MIB,
	 "larger events are error verdicts (and dead letters)"},
	{"shutdown.timeout.ms", CONFIG_T_MS, "10000", NULL, 0, 600000,
	 "on SIGTERM/SIGINT, time allowed to drain in-flight events"},
	{NULL, 0, NULL, NULL, 0, 0, NULL},
};

typedef struct entry {
	char *key;
	char *value;
	char *file; /* NULL = command line */
	unsigned line;
} entry;

struct config {
	entry *e;
	size_t n, cap;
};

const config_key *config_keys(void)
{
	return keys;
}

const config_key *config_key_find(const char *key)
{
	for (const config_key *k = keys; k->name; k++)
		if (strcmp(k->name, key) == 0)
			return k;
	return NULL;
}

static int is_passthrough(const char *key)
{
	return strncmp(key, "kafka.", 6) == 0 && key[6] != '\0';
}

config_t *config_new(void)
{
	return calloc(1, sizeof(config_t));
}

void config_free(config_t *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->e[i].key);
		free(cfg->e[i].value);
		free(cfg->e[i].file);
	}
	free(cfg->e);
	free(cfg);
}

static entry *find(const config_t *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->n; i++)
		if (strcmp(cfg->e[i].key, key) == 0)
			return &cfg->e[i];
	return NULL;
}

/* ---- value parsing ---- */

static int parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || errno || !isfinite(*out))
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -EINVAL : 0;
}

/* Number with an optional unit suffix, scaled by the unit's factor. */
typedef struct unit {
	const char *name;
	double factor;
} unit;

static const unit dur_units[] = {
	{"us", 1e-3}, {"ms", 1}, {"s", 1e3}, {"m", 60e3}, {"h", 3600e3},
	{NULL, 0},
};

static const unit byte_units[] = {
	{"b", 1},          {"k", 1024},       {"kb", 1024}, {"kib", 1024},
	{"m", MIB},        {"mb", MIB},       {"mib", MIB}, {"g", MIB * 1024},
	{"gb", MIB * 1024}, {"gib", MIB * 1024}, {NULL, 0},
};

static int parse_scaled(const char *s, const unit *units, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (*end) {
		const unit *u = units;

		while (u->name && strcasecmp(u->name, end) != 0)
			u++;
		if (!u->name)
			return -EINVAL;
		v *= u->factor;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const t[] = {"true", "yes", "on", "1"};
	static const char *const f[] = {"false", "no", "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, t[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(s, f[i]) == 0)
			return *out = 0, 0;
	}
	return -EINVAL;
}

static int enum_index(const char *choices, const char *s)
{
	size_t len = strlen(s);
	int idx = 0;

	for (const char *p = choices; *p; idx++) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && strncmp(p, s, n) == 0)
			return idx;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

/* Each item non-empty and shaped [ID=]FORMAT:PATH. */
static int check_list(const char *s, char *why, size_t len)
{
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, ",\n");
		const char *a = p, *b = p + n;

		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (a < b && !memchr(a, ':', (size_t)(b - a))) {
			snprintf(why, len, "list spec '%.*s' is not FORMAT:PATH",
				 (int)(b - a), a);
			return -EINVAL;
		}
		p += n + (p[n] != '\0');
	}
	return 0;
}

static int in_range(const config_key *k, double v, char *why, size_t len)
{
	if (v >= k->min && v <= k->max)
		return 0;
	snprintf(why, len, "%g is out of range [%g, %g]", v, k->min, k->max);
	return -EINVAL;
}

static int parse_value(const config_key *k, const char *s, double *num,
		       char *why, size_t len)
{
	int b;

	*num = 0;
	switch (k->type) {
	case CONFIG_T_STRING:
		return 0;
	case CONFIG_T_LIST:
		return check_list(s, why, len);
	case CONFIG_T_BOOL:
		if (parse_bool(s, &b) == 0)
			return *num = b, 0;
		snprintf(why, len, "expected true or false");
		return -EINVAL;
	case CONFIG_T_ENUM:
		if (enum_index(k->choices, s) >= 0)
			return 0;
		snprintf(why, len, "expected one of %s", k->choices);
		return -EINVAL;
	case CONFIG_T_INT:
	case CONFIG_T_DOUBLE:
		if (parse_double(s, num) < 0 ||
		    (k->type == CONFIG_T_INT && *num != floor(*num))) {
			snprintf(why, len, "expected %s",
				 k->type == CONFIG_T_INT ? "an integer"
							 : "a number");
			return -EINVAL;
		}
		return in_range(k, *num, why, len);
	case CONFIG_T_MS:
	case CONFIG_T_US:
		if (parse_scaled(s, dur_units, num) < 0) {
			snprintf(why, len,
				 "expected a duration (e.g. 100, 500ms, 2s)");
			return -EINVAL;
		}
		/* dur_units are in ms: unit-less values are in the key's unit */
		if (k->type == CONFIG_T_US)
			*num = isdigit((unsigned char)s[strlen(s) - 1])
				       ? *num
				       : *num * 1e3;
		return in_range(k, *num, why, len);
	case CONFIG_T_BYTES:
		if (parse_scaled(s, byte_units, num) < 0 ||
		    *num != floor(*num)) {
			snprintf(why, len, "expected a size (e.g. 4096, 64KiB, 256MiB)");
			return -EINVAL;
		}
		return in_range(k, *num, why, len);
	}
	return -EINVAL;
}

/* ---- setting ---- */

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], i, j;

	if (lb >= 64 || la >= 64)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

static void unknown_key(const char *key, char *why, size_t len)
{
	const char *best = NULL;
	size_t bd = 4;

	for (const config_key *k = keys; k->name; k++) {
		size_t d = edit_distance(key, k->name);

		if (d < bd)
			bd = d, best = k->name;
	}
	if (best)
		snprintf(why, len, "unknown key '%s' (did you mean '%s'?)", key,
			 best);
	else
		snprintf(why, len,
			 "unknown key '%s' (librdkafka settings need the "
			 "'kafka.' prefix)",
			 key);
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int store(config_t *cfg, const char *key, const char *value,
		 const char *file, unsigned line)
{
	entry *e = find(cfg, key);
	char *v = strdup(value), *f = xstrdup(file);

	if (!v || (file && !f))
		goto nomem;
	if (!e) {
		if (cfg->n == cfg->cap) {
			size_t cap = cfg->cap ? cfg->cap * 2 : 16;
			entry *ne = realloc(cfg->e, cap * sizeof(*ne));

			if (!ne)
				goto nomem;
			cfg->e = ne;
			cfg->cap = cap;
		}
		e = &cfg->e[cfg->n];
		e->key = strdup(key);
		if (!e->key)
			goto nomem;
		e->value = e->file = NULL;
		cfg->n++;
	}
	free(e->value);
	free(e->file);
	e->value = v;
	e->file = f;
	e->line = line;
	return 0;
nomem:
	free(v);
	free(f);
	return -ENOMEM;
}

static int set_entry(config_t *cfg, const char *key, const char *value,
		     const char *file, unsigned line, char *err, size_t errlen)
{
	const config_key *k = config_key_find(key);
	char why[256], where[512];
	double num;
	int rc = 0;

	if (file)
		snprintf(where, sizeof(where), "%s:%u", file, line);
	else
		snprintf(where, sizeof(where), "command line");
	if (!*key) {
		snprintf(why, sizeof(why), "empty key");
		rc = -EINVAL;
	} else if (!k && !is_passthrough(key)) {
		unknown_key(key, why, sizeof(why));
		rc = -ENOENT;
	} else if (k && parse_value(k, value, &num, why, sizeof(why)) < 0) {
		char shown[64];

		snprintf(shown, sizeof(shown), "%s", value);
		snprintf(where + strlen(where), sizeof(where) - strlen(where),
			 ": %s: bad value '%s'", key, shown);
		rc = -EINVAL;
	}
	if (rc == 0)
		rc = store(cfg, key, value, file, line);
	if (rc == -ENOMEM)
		snprintf(why, sizeof(why), "out of memory");
	if (rc < 0 && err && errlen)
		snprintf(err, errlen, "%s: %s", where, why);
	return rc;
}

int config_set(config_t *cfg, const char *key, const char *value, char *err,
	       size_t errlen)
{
	return set_entry(cfg, key, value ? value : "", NULL, 0, err, errlen);
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Strip one pair of surrounding double quotes: http.listen="" */
static char *unquote(char *v)
{
	size_t n = strlen(v);

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return v + 1;
	}
	return v;
}

int config_set_arg(config_t *cfg, const char *arg, char *err, size_t errlen)
{
	char *copy = strdup(arg), *eq;
	int rc;

	if (!copy)
		return -ENOMEM;
	eq = strchr(copy, '=');
	if (!eq) {
		snprintf(err, errlen, "command line: '%s' is not key=value",
			 arg);
		free(copy);
		return -EINVAL;
	}
	*eq = '\0';
	rc = set_entry(cfg, trim(copy), unquote(trim(eq + 1)), NULL, 0, err,
		       errlen);
	free(copy);
	return rc;
}

/* ---- file ---- */

/* Does the line end with an odd number of backslashes? */
static int continues(const char *s, size_t n)
{
	size_t k = 0;

	while (k < n && s[n - 1 - k] == '\\')
		k++;
	return k % 2 == 1;
}

static int parse_line(config_t *cfg, char *text, const char *path,
		      unsigned line, char *err, size_t errlen)
{
	char *s = trim(text), *sep;

	if (!*s || *s == '#' || *s == '!')
		return 0;
	sep = s + strcspn(s, "=:");
	if (!*sep) {
		snprintf(err, errlen, "%s:%u: expected key=value, got '%.60s'",
			 path, line, s);
		return -EINVAL;
	}
	*sep = '\0';
	return set_entry(cfg, trim(s), unquote(trim(sep + 1)), path, line, err,
			 errlen);
}

/* Append a physical line to the logical line being built. */
static int join(char **buf, size_t *len, const char *s, size_t n)
{
	char *nb = realloc(*buf, *len + n + 1);

	if (!nb)
		return -ENOMEM;
	memcpy(nb + *len, s, n);
	*len += n;
	nb[*len] = '\0';
	*buf = nb;
	return 0;
}

static int read_lines(config_t *cfg, FILE *f, const char *path, char *err,
		      size_t errlen)
{
	char *phys = NULL, *logical = NULL;
	size_t pcap = 0, llen = 0;
	unsigned lineno = 0, start = 0;
	ssize_t n;
	int rc = 0;

	while (rc == 0 && (n = getline(&phys, &pcap, f)) >= 0) {
		const char *p = phys;
		int more;

		lineno++;
		while (n > 0 && (phys[n - 1] == '\n' || phys[n - 1] == '\r'))
			phys[--n] = '\0';
		if (llen == 0) {
			start = lineno;
		} else {
			while (*p == ' ' || *p == '\t')
				p++;
		}
		more = continues(p, strlen(p));
		rc = join(&logical, &llen, p, strlen(p) - (size_t)more);
		if (rc == 0 && !more) {
			rc = parse_line(cfg, logical, path, start, err, errlen);
			llen = 0;
		}
	}
	if (rc == 0 && llen > 0)
		rc = parse_line(cfg, logical, path, start, err, errlen);
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	free(phys);
	free(logical);
	return rc;
}

int config_load_file(config_t *cfg, const char *path, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "r");
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		return rc;
	}
	rc = read_lines(cfg, f, path, err, errlen);
	if (rc == 0 && ferror(f)) {
		rc = -EIO;
		snprintf(err, errlen, "%s: read error", path);
	}
	fclose(f);
	if (rc == 0)
		rc = config_validate(cfg, 0, err, errlen);
	return rc;
}

/* ---- reading ---- */

const char *config_get(const config_t *cfg, const char *key)
{
	const entry *e = find(cfg, key);
	const config_key *k;

	if (e)
		return e->value;
	k = config_key_find(key);
	return k ? k->def : NULL;
}

static double get_num(const config_t *cfg, const char *key)
{
	const config_key *k = config_key_find(key);
	const char *v = config_get(cfg, key);
	char why[128];
	double num = 0;

	assert(k && "unknown config key");
	if (!k || !v || parse_value(k, v, &num, why, sizeof(why)) < 0)
		return 0;
	return num;
}

int64_t config_get_int(const config_t *cfg, const char *key)
{
	return (int64_t)get_num(cfg, key);
}

double config_get_double(const config_t *cfg, const char *key)
{
	return get_num(cfg, key);
}

int config_get_bool(const config_t *cfg, const char *key)
{
	return get_num(cfg, key) != 0;
}

int64_t config_get_ms(const config_t *cfg, const char *key)
{
	const config_key *k = config_key_find(key);
	double v = get_num(cfg, key);

	return (int64_t)(k && k->type == CONFIG_T_US ? v / 1e3 : v);
}

int64_t config_get_us(const config_t *cfg, const char *key)
{
	const config_key *k = config_key_find(key);
	double v = get_num(cfg, key);

	return (int64_t)(k && k->type == CONFIG_T_MS ? v * 1e3 : v);
}

uint64_t config_get_bytes(const config_t *cfg, const char *key)
{
	return (uint64_t)get_num(cfg, key);
}

int config_get_enum(const config_t *cfg, const char *key)
{
	const config_key *k = config_key_find(key);
	const char *v = config_get(cfg, key);

	if (!k || k->type != CONFIG_T_ENUM || !v)
		return -1;
	return enum_index(k->choices, v);
}

int config_is_set(const config_t *cfg, const char *key)
{
	return find(cfg, key) != NULL;
}

const char *config_where(const config_t *cfg, const char *key, char *buf,
			 size_t len)
{
	const entry *e = find(cfg, key);

	if (!e)
		snprintf(buf, len, "default");
	else if (e->file)
		snprintf(buf, len, "%s:%u", e->file, e->line);
	else
		snprintf(buf, len, "command line");
	return buf;
}

int config_foreach_prefix(const config_t *cfg, const char *prefix,
			  config_foreach_fn cb, void *ctx)
{
	size_t pl = strlen(prefix);

	for (size_t i = 0; i < cfg->n; i++) {
		int rc;

		if (strncmp(cfg->e[i].key, prefix, pl) != 0)
			continue;
		rc = cb(ctx, cfg->e[i].key + pl, cfg->e[i].value);
		if (rc)
			return rc;
	}
	return 0;
}

int config_foreach_item(const config_t *cfg, const char *key,
			config_item_fn cb, void *ctx)
{
	const char *v = config_get(cfg, key);
	char item[4096];
	int count = 0;

	while (v && *v) {
		size_t n = strcspn(v, ",\n");
		const char *a = v, *b = v + n;

		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (a < b) {
			int rc;

			snprintf(item, sizeof(item), "%.*s", (int)(b - a), a);
			rc = cb(ctx, item);
			if (rc)
				return rc;
			count++;
		}
		v += n + (v[n] != '\0');
	}
	return count;
}

/* ---- validation and printing ---- */

static int fail(const config_t *cfg, const char *key, char *err,
		size_t errlen, const char *why)
{
	char where[300];

	snprintf(err, errlen, "%s: %s", config_where(cfg, key, where,
						      sizeof(where)),
		 why);
	return -EINVAL;
}

int config_validate(const config_t *cfg, int need_kafka, char *err,
		    size_t errlen)
{
	const char *jp = config_get(cfg, "journal.path");

	if (config_get_double(cfg, "threshold.review") >
	    config_get_double(cfg, "threshold.block"))
		return fail(cfg, "threshold.review", err, errlen,
			    "threshold.review must not exceed threshold.block");
	if (config_get_bool(cfg, "journal.enabled") && (!jp || !*jp))
		return fail(cfg, "journal.path", err, errlen,
			    "journal.path is empty but journal.enabled=true");
	if (!*config_get(cfg, "topic.in") || !*config_get(cfg, "topic.out") ||
	    !*config_get(cfg, "group.id"))
		return fail(cfg, !*config_get(cfg, "topic.in")    ? "topic.in"
				 : !*config_get(cfg, "topic.out") ? "topic.out"
								  : "group.id",
			    err, errlen, "must not be empty");
	if (!need_kafka)
		return 0;
	if (!*config_get(cfg, "lists"))
		return fail(cfg, "lists", err, errlen,
			    "no lists configured (set lists=FORMAT:PATH,...)");
	if (!config_get(cfg, "kafka.bootstrap.servers") &&
	    !config_get(cfg, "kafka.test.mock.num.brokers"))
		return fail(cfg, "kafka.bootstrap.servers", err, errlen,
			    "kafka.bootstrap.servers is required");
	return 0;
}

void config_dump(const config_t *cfg, FILE *out)
{
	for (const config_key *k = keys; k->name; k++)
		fprintf(out, "%s=%s\n", k->name,
			log_mask_value(k->name, config_get(cfg, k->name)));
	for (size_t i = 0; i < cfg->n; i++)
		if (!config_key_find(cfg->e[i].key))
			fprintf(out, "%s=%s\n", cfg->e[i].key,
				log_mask_value(cfg->e[i].key, cfg->e[i].value));
}

static const char *type_name(const config_key *k)
{
	static const char *const names[] = {
		"string", "int", "number", "bool", "enum",
		"duration(ms)", "duration(us)", "bytes", "list"};

	if (k->type == CONFIG_T_ENUM)
		return k->choices;
	return names[k->type];
}

void config_print_help(FILE *out)
{
	for (const config_key *k = keys; k->name; k++)
		fprintf(out, "%-26s %-28s default %s\n    %s\n", k->name,
			type_name(k), *k->def ? k->def : "\"\"", k->doc);
	fprintf(out, "%-26s %-28s\n    %s\n", "kafka.*", "string",
		"passed to librdkafka without the 'kafka.' prefix");
}
