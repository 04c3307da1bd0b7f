/*
 * cli.c - list options shared by the one-shot subcommands; see cli.h.
 *
 * The properties parsing here is deliberately tiny: it reads only the
 * keys that decide *what* is screened (lists, rules, thresholds), so
 * `interdict screen -c engine.properties` screens exactly like the
 * engine configured by the same file.  The full, validated
 * configuration of the streaming engine lives in config.c.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_specs[] = {
	"ofac-csv:%s/lists/ofac-sdn-2024",
	"ofac-csv:%s/lists/ofac-cons-2025",
	"un-xml:%s/lists/un-2026/consolidated.xml",
	"eu-xml:%s/lists/eu-fsf-2016/eu_fsf_whole_2016-02-11.xml",
	"uk-csv:%s/lists/uk-conlist-2016/sanctionsconlist_2016.csv",
	/* The shared CSL excerpt ends inside a quoted field (its last
	 * record is cut): load the rest, say so, rather than refuse it. */
	"csl-csv+skip-truncated-tail:%s/lists/us-csl-2023/csl.csv",
	"ftm:%s/lists/opensanctions/eu_journal_russia_belarus.ftm.json",
	"ftm:%s/lists/opensanctions/zala_entities.ftm.json",
	"chpl-csv:%s/goods/chpl-2024-02-23.csv",
};

static char *own(cli_lists *cl, char *s)
{
	if (s && cl->n_owned < sizeof(cl->owned) / sizeof(cl->owned[0]))
		cl->owned[cl->n_owned++] = s;
	else if (s) {
		free(s);
		return NULL;
	}
	return s;
}

int cli_lists_add(cli_lists *cl, const char *spec)
{
	char *s;

	if (cl->n_specs >= CLI_MAX_SPECS)
		return -E2BIG;
	s = own(cl, strdup(spec));
	if (!s)
		return -ENOMEM;
	cl->specs[cl->n_specs++] = s;
	return 0;
}

int cli_lists_defaults(cli_lists *cl)
{
	const char *data = getenv("INTERDICT_DATA");
	char buf[1024];

	if (!data || !*data)
		data = "../shared/data";
	for (size_t i = 0; i < sizeof(default_specs) / sizeof(*default_specs);
	     i++) {
		int rc;

		snprintf(buf, sizeof(buf), default_specs[i], data);
		rc = cli_lists_add(cl, buf);
		if (rc < 0)
			return rc;
	}
	return 0;
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

/* lists=a,b  (commas or whitespace; a trailing backslash continues) */
static int add_list_value(cli_lists *cl, char *v)
{
	char *save = NULL;

	for (char *t = strtok_r(v, ", \t\\", &save); t;
	     t = strtok_r(NULL, ", \t\\", &save))
		if (cli_lists_add(cl, t) < 0)
			return -E2BIG;
	return 0;
}

static int config_line(cli_lists *cl, char *line, const char *path,
		       unsigned ln, char *err, size_t errlen)
{
	char *k = trim(line), *v, *sep;

	if (!*k || *k == '#' || *k == '!')
		return 0;
	sep = k + strcspn(k, "=:");
	if (!*sep) {
		snprintf(err, errlen, "%s:%u: expected key=value", path, ln);
		return -EINVAL;
	}
	*sep = '\0';
	v = trim(sep + 1);
	k = trim(k);
	if (!strcmp(k, "lists"))
		return add_list_value(cl, v);
	if (!strcmp(k, "rules") && *v)
		cl->rules_path = own(cl, strdup(v));
	else if (!strcmp(k, "threshold.review"))
		cl->review = strtof(v, NULL);
	else if (!strcmp(k, "threshold.block"))
		cl->block = strtof(v, NULL);
	return 0;
}

int cli_lists_config(cli_lists *cl, const char *path, char *err,
		     size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *acc = NULL;
	size_t cap = 0, acc_len = 0;
	unsigned ln = 0;
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	cl->config_path = path;
	while (rc == 0 && getline(&line, &cap, f) >= 0) {
		size_t n = strlen(line);
		char *na;

		ln++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		na = realloc(acc, acc_len + n + 2);
		if (!na) {
			rc = -ENOMEM;
			break;
		}
		acc = na;
		memcpy(acc + acc_len, line, n + 1);
		acc_len += n;
		if (n && line[n - 1] == '\\') { /* continuation */
			acc[acc_len - 1] = ' ';
			continue;
		}
		rc = config_line(cl, acc, path, ln, err, errlen);
		acc_len = 0;
	}
	if (rc == 0 && acc_len)
		rc = config_line(cl, acc, path, ln, err, errlen);
	free(line);
	free(acc);
	fclose(f);
	return rc;
}

db *cli_lists_build(cli_lists *cl, char *err, size_t errlen)
{
	db_config cfg;

	if (cl->n_specs == 0 && cli_lists_defaults(cl) < 0) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.specs = (const char *const *)cl->specs;
	cfg.n_specs = cl->n_specs;
	cfg.rules_path = cl->rules_path;
	cfg.review_threshold = cl->review;
	cfg.block_threshold = cl->block;
	return db_build(&cfg, err, errlen);
}

void cli_lists_release(cli_lists *cl)
{
	for (size_t i = 0; i < cl->n_owned; i++)
		free(cl->owned[i]);
	memset(cl, 0, sizeof(*cl));
}
