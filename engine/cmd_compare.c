/*
 * cmd_compare.c - `interdict compare [-t TYPE] NAME1 NAME2`.
 *
 * For analysts: the same pairwise scorer the screening uses, with its
 * readable alignment.  First line is machine-readable:
 * "SCORE<TAB>match|nomatch" (match when SCORE >= the review threshold).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "model.h"
#include "norm.h"
#include "score.h"

static int type_of(const char *s, wl_ent_type *t)
{
	if (!strcmp(s, "person"))
		*t = WL_ENT_PERSON;
	else if (!strcmp(s, "organization") || !strcmp(s, "organisation") ||
		 !strcmp(s, "company"))
		*t = WL_ENT_ORG;
	else if (!strcmp(s, "vessel"))
		*t = WL_ENT_VESSEL;
	else if (!strcmp(s, "any") || !strcmp(s, "unknown"))
		*t = WL_ENT_UNKNOWN;
	else
		return -1;
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	wl_ent_type type = WL_ENT_UNKNOWN;
	double threshold = 0.80, s;
	char explain[4096];
	norm_ctx *nc;
	int c;

	while ((c = getopt(argc, argv, "t:r:h")) != -1) {
		switch (c) {
		case 't':
			if (type_of(optarg, &type) < 0) {
				fprintf(stderr, "compare: -t expects person, "
						"organization, vessel or any\n");
				return 1;
			}
			break;
		case 'r':
			threshold = atof(optarg);
			break;
		default:
			fprintf(stderr, "usage: interdict compare [-t person|"
					"organization|vessel|any] [-r THRESHOLD] "
					"NAME1 NAME2\n");
			return c == 'h' ? 0 : 1;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "compare: expected two names\n");
		return 1;
	}
	nc = norm_ctx_new();
	if (!nc) {
		fprintf(stderr, "compare: out of memory\n");
		return 1;
	}
	explain[0] = '\0';
	s = score_compare(nc, argv[optind], strlen(argv[optind]),
			  argv[optind + 1], strlen(argv[optind + 1]), type,
			  explain, sizeof(explain));
	norm_ctx_free(nc);
	if (s < 0) {
		fprintf(stderr, "compare: invalid input (names must be UTF-8)\n");
		return 1;
	}
	printf("%.2f\t%s\n%s", s, s >= threshold ? "match" : "nomatch",
	       explain);
	if (explain[0] && explain[strlen(explain) - 1] != '\n')
		putchar('\n');
	return 0;
}
