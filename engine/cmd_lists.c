/*
 * cmd_lists.c - `interdict lists`: load, compile, and account for
 * every list: entities by type, names by strength, identifiers by
 * type, goods and allow pairs, load time and memory; then the compile
 * time, memory and version of the whole set.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static void print_list(const wl_list *l)
{
	unsigned ents[WL_ENT__COUNT] = { 0 }, names[WL_NAME__COUNT] = { 0 };
	unsigned ids[WL_ID__COUNT] = { 0 }, n_names = 0, n_ids = 0, dobs = 0;

	for (uint32_t e = 0; e < l->n_entities; e++) {
		const wl_entity *en = &l->entities[e];

		ents[en->type < WL_ENT__COUNT ? en->type : 0]++;
		for (uint32_t i = 0; i < en->n_names; i++, n_names++)
			names[en->names[i].strength % WL_NAME__COUNT]++;
		for (uint32_t i = 0; i < en->n_ids; i++, n_ids++)
			ids[en->ids[i].type % WL_ID__COUNT]++;
		dobs += en->n_dobs;
	}
	printf("%-26s %-13s entities %6u  names %6u  ids %5u  load %7.1f ms  "
	       "mem %6.1f MiB\n",
	       l->id, l->format, l->n_entities, n_names, n_ids, l->load_ms,
	       wl_list_memory(l) / 1048576.0);
	printf("    by type:");
	for (int t = 0; t < WL_ENT__COUNT; t++)
		if (ents[t])
			printf(" %s %u", wl_ent_type_name((wl_ent_type)t), ents[t]);
	printf("\n    names:");
	for (int s = 0; s < WL_NAME__COUNT; s++)
		printf(" %s %u", wl_name_strength_name((wl_name_strength)s),
		       names[s]);
	printf("  dates of birth %u\n", dobs);
	if (n_ids) {
		printf("    ids:");
		for (int t = 0; t < WL_ID__COUNT; t++)
			if (ids[t])
				printf(" %s %u", wl_id_type_name((wl_id_type)t),
				       ids[t]);
		printf("\n");
	}
	if (l->n_goods)
		printf("    controlled goods %u\n", l->n_goods);
	if (l->n_allows)
		printf("    allow pairs %u\n", l->n_allows);
	if (l->warnings)
		printf("    warnings %u (see stderr)\n", l->warnings);
}

int cmd_lists(int argc, char **argv)
{
	cli_lists cl = { 0 };
	char err[1024];
	int c, rc = 1;
	db *d = NULL;

	while ((c = getopt(argc, argv, "l:c:h")) != -1) {
		switch (c) {
		case 'l':
			if (cli_lists_add(&cl, optarg) < 0)
				goto out;
			break;
		case 'c':
			if (cli_lists_config(&cl, optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "interdict: %s\n", err);
				goto out;
			}
			break;
		default:
			fprintf(stderr, "usage: interdict lists [-l SPEC]... "
					"[-c FILE]\n");
			goto out;
		}
	}
	d = cli_lists_build(&cl, err, sizeof(err));
	if (!d) {
		fprintf(stderr, "interdict: %s\n", err);
		goto out;
	}
	for (size_t i = 0; i < d->n_lists; i++)
		print_list(d->lists[i]);
	printf("total: %zu lists, load %.1f ms, compile %.1f ms, memory "
	       "%.1f MiB\nversion %s\n",
	       d->n_lists, d->load_ms, d->compile_ms, d->memory / 1048576.0,
	       d->version);
	rc = 0;
out:
	db_free(d);
	cli_lists_release(&cl);
	return rc;
}
