/*
 * cli.h - list options shared by `screen`, `lists` and `demo`:
 * -l SPEC (repeatable), -c CONFIG (its `lists`, `rules` and
 * `threshold.*` keys), and the built-in default list set used when
 * neither names a list.
 *
 * The default set is every list shipped in the shared data folder,
 * found at $INTERDICT_DATA or ../shared/data relative to the working
 * directory (the layout of a checkout).
 */
#ifndef INTERDICT_CLI_H
#define INTERDICT_CLI_H

#include <stddef.h>

#include "db.h"

#define CLI_MAX_SPECS 64

typedef struct cli_lists {
	char *specs[CLI_MAX_SPECS];
	size_t n_specs;
	const char *config_path;
	char *rules_path;
	float review, block;
	char *owned[CLI_MAX_SPECS + 1]; /* strings to free */
	size_t n_owned;
} cli_lists;

/* Fill out with the default specs (strings owned by cl). */
int cli_lists_defaults(cli_lists *cl);
/* Add one "-l" spec (copied).  0 or -E2BIG. */
int cli_lists_add(cli_lists *cl, const char *spec);
/* Read lists/rules/thresholds from a properties file. */
int cli_lists_config(cli_lists *cl, const char *path, char *err,
		     size_t errlen);
/* Build the db from the collected options (defaults if none). */
db *cli_lists_build(cli_lists *cl, char *err, size_t errlen);
void cli_lists_release(cli_lists *cl);

#endif
