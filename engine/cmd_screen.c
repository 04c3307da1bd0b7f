/*
 * cmd_screen.c - `interdict screen`: JSONL events in, verdicts out.
 *
 * Output order equals input order whatever -j is: lines are read in
 * batches, the batch is split among the threads by index (thread t
 * takes lines t, t+N, ...), each thread encodes its verdicts into its
 * own output slab, and the main thread writes the batch out in line
 * order.  Each thread owns its screen_ctx, so screening allocates
 * nothing per event; the slabs grow only when a batch needs more
 * than ever before.
 *
 * A line that is not an event (bad JSON, invalid UTF-8, no id, too
 * large, too deep) gets an error verdict and the next line goes on;
 * per-event problems never change the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "screen.h"

#define BATCH 2048

typedef struct line {
	char *s;
	size_t len, cap;
	size_t out_off, out_len; /* into the owning thread's slab */
} line;

typedef struct worker {
	pthread_t tid;
	screen_ctx *ctx;
	verdict v;
	char *slab;
	size_t slab_len, slab_cap;
	int idx, n_threads;
	const db *d;
	line *lines;
	size_t n_lines;
	int failed;
} worker;

static int slab_reserve(worker *w, size_t need)
{
	if (w->slab_len + need <= w->slab_cap)
		return 0;
	size_t cap = w->slab_cap ? w->slab_cap : 1 << 20;

	while (cap < w->slab_len + need)
		cap *= 2;
	char *n = realloc(w->slab, cap);

	if (!n)
		return -ENOMEM;
	w->slab = n;
	w->slab_cap = cap;
	return 0;
}

static void *worker_run(void *arg)
{
	worker *w = arg;

	w->slab_len = 0;
	for (size_t i = (size_t)w->idx; i < w->n_lines; i += (size_t)w->n_threads) {
		line *l = &w->lines[i];
		const char *id;
		size_t id_len;
		int n;

		if (slab_reserve(w, VERDICT_JSON_MAX) < 0) {
			w->failed = 1;
			return NULL;
		}
		screen_message(w->ctx, w->d, l->s, l->len, &w->v, &id, &id_len);
		n = verdict_encode(&w->v, id, id_len, w->slab + w->slab_len,
				   w->slab_cap - w->slab_len);
		if (n < 0) { /* cannot happen within VERDICT_JSON_MAX */
			w->failed = 1;
			return NULL;
		}
		l->out_off = w->slab_len;
		l->out_len = (size_t)n;
		w->slab_len += (size_t)n;
	}
	return NULL;
}

static int blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* Read up to BATCH non-blank lines; returns count (0 at EOF). */
static size_t read_batch(FILE *in, line *lines)
{
	size_t n = 0;

	while (n < BATCH) {
		ssize_t r = getline(&lines[n].s, &lines[n].cap, in);

		if (r < 0)
			break;
		if (r && lines[n].s[r - 1] == '\n')
			r--;
		if (blank(lines[n].s, (size_t)r))
			continue;
		lines[n].len = (size_t)r;
		n++;
	}
	return n;
}

static int run_batches(FILE *in, worker *w, int n_threads, line *lines)
{
	size_t n;

	while ((n = read_batch(in, lines)) > 0) {
		for (int t = 0; t < n_threads; t++) {
			w[t].lines = lines;
			w[t].n_lines = n;
			if (n_threads == 1)
				worker_run(&w[t]);
			else if (pthread_create(&w[t].tid, NULL, worker_run, &w[t]))
				return -EAGAIN;
		}
		for (int t = 0; n_threads > 1 && t < n_threads; t++)
			pthread_join(w[t].tid, NULL);
		for (int t = 0; t < n_threads; t++)
			if (w[t].failed)
				return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			worker *o = &w[i % (size_t)n_threads];

			fwrite(o->slab + lines[i].out_off, 1, lines[i].out_len,
			       stdout);
		}
	}
	return ferror(in) ? -EIO : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: interdict screen [-l SPEC]... [-c FILE] "
			"[-j THREADS] [IN.jsonl|-]\n");
	return 1;
}

static int screen_stream(FILE *in, const db *d, int n_threads)
{
	worker *w = calloc((size_t)n_threads, sizeof(*w));
	line *lines = calloc(BATCH, sizeof(*lines));
	int rc = -ENOMEM;

	if (!w || !lines)
		goto out;
	for (int t = 0; t < n_threads; t++) {
		w[t].idx = t;
		w[t].n_threads = n_threads;
		w[t].d = d;
		w[t].ctx = screen_ctx_new();
		if (!w[t].ctx)
			goto out;
	}
	rc = run_batches(in, w, n_threads, lines);
out:
	for (int t = 0; w && t < n_threads; t++) {
		screen_ctx_free(w[t].ctx);
		free(w[t].slab);
	}
	for (size_t i = 0; lines && i < BATCH; i++)
		free(lines[i].s);
	free(lines);
	free(w);
	return rc;
}

int cmd_screen(int argc, char **argv)
{
	cli_lists cl = { 0 };
	char err[1024];
	int c, threads = 1, rc = 1;
	FILE *in = stdin;
	db *d = NULL;

	while ((c = getopt(argc, argv, "l:c:j:h")) != -1) {
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
		case 'j':
			threads = atoi(optarg);
			if (threads < 1 || threads > 256) {
				fprintf(stderr, "screen: -j expects 1..256\n");
				goto out;
			}
			break;
		default:
			usage();
			goto out;
		}
	}
	if (argc - optind > 1) {
		usage();
		goto out;
	}
	if (argc - optind == 1 && strcmp(argv[optind], "-")) {
		in = fopen(argv[optind], "r");
		if (!in) {
			fprintf(stderr, "interdict: %s: %s\n", argv[optind],
				strerror(errno));
			goto out;
		}
	}
	d = cli_lists_build(&cl, err, sizeof(err));
	if (!d) {
		fprintf(stderr, "interdict: %s\n", err);
		goto out;
	}
	if (screen_stream(in, d, threads) < 0) {
		fprintf(stderr, "interdict: screening failed: out of memory "
				"or read error\n");
		goto out;
	}
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	if (in && in != stdin)
		fclose(in);
	db_free(d);
	cli_lists_release(&cl);
	return rc;
}
