/*
 * main.c - `interdict` entry point: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
} cmds[] = {
	{ "screen", cmd_screen, "[-l SPEC]... [-c FILE] [-j N] [IN.jsonl|-]  screen events to verdicts" },
	{ "compare", cmd_compare, "[-t person|organization|vessel|any] NAME1 NAME2" },
	{ "lists", cmd_lists, "[-l SPEC]... [-c FILE]  load lists and print statistics" },
	{ "serve", cmd_serve, "-c FILE [key=value]...  the streaming engine" },
	{ "demo", cmd_demo, "[--duration S]  engine + load generator on the mock cluster" },
	{ "journal", cmd_journal, "FILE...  print an audit journal as JSONL" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: interdict COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  interdict %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\nSPEC is [ID=]FORMAT:PATH with FORMAT one of ofac-csv un-xml "
		   "eu-xml uk-csv csl-csv ftm chpl-csv interdict-csv.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "interdict: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 1;
}
