/*
 * interdict-bench-match.c - `make bench-match`: how fast does one core
 * parse, screen and encode payment events with every list loaded?
 *
 * Design: the lists are built once with db_build (via cli_lists, the
 * same default set `interdict screen` uses) and the build is timed.  A
 * stream of payment events (2-3 parties with IBANs and BICs, a
 * remittance line in one of ten languages, 1% carrying a listed name
 * in disguise: typo, transliteration, Cyrillic, swapped order, legal
 * form, name in the remittance) is generated in memory as JSON bytes by
 * the load generator's code (loadgen_event.h), so no I/O or generation
 * is measured.  Two passes per configuration:
 *   throughput  screen_message + verdict_encode over the stream for
 *               --seconds, no clock per event: events/s;
 *   latency     the same with clock_gettime around every event into a
 *               hist.h histogram: p50/p99/p99.9/max.
 * Then scaling: list subsets of ~10% / ~50% / 100% of the entities
 * (nested sets of whole lists, because the shipped formats cannot be
 * cut into exact fractions without rewriting them; the real entity and
 * indexed-name counts are printed) and 1 and 2 threads (each with its
 * own screen_ctx, pinned to its own CPU, the db shared).  Memory is
 * VmRSS / VmHWM from /proc/self/status.  Targets are printed beside
 * the measurements; nothing is asserted.
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include "cli.h"
#include "hist.h"
#include "loadgen_event.h"
#include "nameidx.h"
#include "screen.h"

#define TARGET_EPS 1000000.0
#define TARGET_P99_NS 10000
#define TARGET_COMPILE_MS 1000.0
#define TARGET_RSS_MIB 256.0

typedef struct stream {
	char *bytes;
	size_t *off, *len;
	size_t n;
	uint64_t planted;
} stream;

typedef struct worker {
	pthread_t tid;
	int cpu, timed;
	const db *d;
	const stream *s;
	size_t start;
	double seconds;
	uint64_t events, hits;
	double wall;
	hist_t *h;
	int rc;
} worker;

typedef struct bopts {
	size_t events;
	double seconds;
	uint64_t seed;
	int scaling;
} bopts;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* VmRSS / VmHWM in MiB. */
static void mem_mib(double *rss, double *hwm)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];

	*rss = *hwm = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6))
			*rss = atof(line + 6) / 1024;
		else if (!strncmp(line, "VmHWM:", 6))
			*hwm = atof(line + 6) / 1024;
	}
	fclose(f);
}

/* ---- the event stream ---- */

static int make_stream(const lg_gen *g, size_t n, stream *s)
{
	lg_buf b = { 0 }, all = { 0 };
	lg_plant pl;

	memset(s, 0, sizeof(*s));
	s->off = calloc(n, sizeof(*s->off));
	s->len = calloc(n, sizeof(*s->len));
	if (!s->off || !s->len)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (lg_event(g, i, &b, &pl) < 0)
			break;
		s->off[i] = all.len;
		s->len[i] = b.len;
		lg_put(&all, b.p, b.len);
		s->planted += pl.kind != LG_NONE;
		s->n++;
	}
	lg_buf_free(&b);
	s->bytes = all.p;
	return all.oom || s->n < n ? -ENOMEM : 0;
}

static void free_stream(stream *s)
{
	free(s->bytes);
	free(s->off);
	free(s->len);
}

/* ---- workers ---- */

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void *work(void *arg)
{
	worker *w = arg;
	screen_ctx *c = screen_ctx_new();
	char *out = malloc(VERDICT_JSON_MAX);
	verdict *v = malloc(sizeof(*v));
	const char *id;
	size_t id_len, i = w->start;
	struct timespec a, b;
	double t0, deadline;

	if (!c || !out || !v) {
		w->rc = -ENOMEM;
		goto out;
	}
	pin(w->cpu);
	t0 = now_s();
	deadline = t0 + w->seconds;
	while ((w->events & 1023) || now_s() < deadline) {
		const char *msg = w->s->bytes + w->s->off[i];

		if (w->timed)
			clock_gettime(CLOCK_MONOTONIC, &a);
		screen_message(c, w->d, msg, w->s->len[i], v, &id, &id_len);
		if (verdict_encode(v, id, id_len, out, VERDICT_JSON_MAX) < 0)
			w->rc = -ENOSPC;
		if (w->timed) {
			clock_gettime(CLOCK_MONOTONIC, &b);
			hist_record(w->h, (uint64_t)((b.tv_sec - a.tv_sec) * 1000000000LL +
						     (b.tv_nsec - a.tv_nsec)));
		}
		w->hits += v->outcome == VERDICT_REVIEW || v->outcome == VERDICT_BLOCK;
		w->events++;
		if (++i == w->s->n)
			i = 0;
	}
	w->wall = now_s() - t0;
out:
	screen_ctx_free(c);
	free(out);
	free(v);
	return NULL;
}

typedef struct result {
	double eps, wall;
	uint64_t events, hits;
	hist_t *h;
} result;

/* Run nthreads workers for seconds; merged histogram into r->h. */
static int run(const db *d, const stream *s, int nthreads, int timed,
	       double seconds, result *r)
{
	worker w[2];
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN), rc = 0;

	memset(w, 0, sizeof(w));
	r->events = r->hits = 0;
	r->wall = 0;
	hist_reset(r->h);
	for (int t = 0; t < nthreads; t++) {
		w[t] = (worker){ .cpu = t % (ncpu > 0 ? ncpu : 1), .timed = timed,
				 .d = d, .s = s, .start = s->n * (size_t)t / 2,
				 .seconds = seconds, .h = hist_new() };
		if (!w[t].h || pthread_create(&w[t].tid, NULL, work, &w[t]))
			return -ENOMEM;
	}
	for (int t = 0; t < nthreads; t++) {
		pthread_join(w[t].tid, NULL);
		hist_merge(r->h, w[t].h);
		hist_free(w[t].h);
		r->events += w[t].events;
		r->hits += w[t].hits;
		r->wall = w[t].wall > r->wall ? w[t].wall : r->wall;
		rc = w[t].rc ? w[t].rc : rc;
	}
	r->eps = r->wall > 0 ? r->events / r->wall : 0;
	return rc;
}

/* ---- lists ---- */

static const char *const subset_10[] = { "un-2026", "eu-fsf", "uk-conlist",
					 "ofac-cons", "zala", "chpl", NULL };
static const char *const subset_50[] = { "un-2026", "eu-fsf", "uk-conlist",
					 "ofac-cons", "zala", "chpl", "csl",
					 "eu_journal", NULL };

static int in_subset(const char *spec, const char *const *sub)
{
	if (!sub)
		return 1;
	for (; *sub; sub++)
		if (strstr(spec, *sub))
			return 1;
	return 0;
}

static db *build(const char *const *sub, double *wall_ms)
{
	cli_lists all, cl;
	char err[1024];
	double t0;
	db *d;

	memset(&all, 0, sizeof(all));
	memset(&cl, 0, sizeof(cl));
	cli_lists_defaults(&all);
	for (size_t i = 0; i < all.n_specs; i++)
		if (in_subset(all.specs[i], sub))
			cli_lists_add(&cl, all.specs[i]);
	t0 = now_s();
	d = cli_lists_build(&cl, err, sizeof(err));
	*wall_ms = (now_s() - t0) * 1e3;
	if (!d)
		fprintf(stderr, "interdict-bench-match: %s\n", err);
	cli_lists_release(&cl);
	cli_lists_release(&all);
	return d;
}

static uint64_t entities(const db *d)
{
	uint64_t n = 0;

	for (size_t i = 0; i < d->n_lists; i++)
		n += d->lists[i]->n_entities;
	return n;
}

static const char *mark(int ok)
{
	return ok ? "ok  " : "MISS";
}

static void print_lat(const char *what, const result *r)
{
	char buf[200];

	printf("  %-22s %10.0f events/s  %s\n", what, r->eps,
	       r->h && hist_count(r->h) ? hist_summary(r->h, buf, sizeof(buf)) : "");
}

/* ---- main parts ---- */

static int headline(const db *d, double build_ms, const stream *s,
		    const bopts *o, double rss_lists, result *tp, result *lat)
{
	double rss, hwm;
	int rc = run(d, s, 1, 0, o->seconds, tp);

	if (rc == 0)
		rc = run(d, s, 1, 1, o->seconds, lat);
	mem_mib(&rss, &hwm);
	printf("lists: %zu lists, %llu entities, %zu names indexed; load %.0f ms, "
	       "compile %.0f ms (build wall %.0f ms), lists+indexes %.1f MiB\n",
	       d->n_lists, (unsigned long long)entities(d), nameidx_names(d->names),
	       d->load_ms, d->compile_ms, build_ms, d->memory / 1048576.0);
	printf("events: %zu payment events in memory, %llu (%.2f%%) with a "
	       "planted listed name, mean %.0f bytes\n", s->n,
	       (unsigned long long)s->planted, 100.0 * s->planted / s->n,
	       s->n ? (double)(s->off[s->n - 1] + s->len[s->n - 1]) / s->n : 0);
	printf("\none core (screen_message + verdict_encode):\n");
	print_lat("throughput (no clock)", tp);
	print_lat("latency pass", lat);
	printf("  review/block verdicts: %.2f%% of events\n",
	       tp->events ? 100.0 * tp->hits / tp->events : 0);
	printf("\n%-34s %14s %14s\n", "target", "measured", "");
	printf("%-34s %14.0f %14s\n", "events/s per core  >= 1,000,000",
	       tp->eps, mark(tp->eps >= TARGET_EPS));
	printf("%-34s %11.2f us %14s\n", "p99 per event      <= 10 us",
	       hist_percentile(lat->h, 0.99) / 1e3,
	       mark(hist_percentile(lat->h, 0.99) <= TARGET_P99_NS));
	printf("%-34s %11.0f ms %14s\n", "list compile       <= 1 s",
	       d->compile_ms, mark(d->compile_ms <= TARGET_COMPILE_MS));
	printf("%-34s %10.1f MiB %14s\n", "RSS with lists     <= 256 MiB",
	       rss_lists, mark(rss_lists <= TARGET_RSS_MIB));
	printf("  (RSS now %.1f MiB, peak %.1f MiB: includes the %.0f MiB "
	       "event stream and the generator)\n", rss, hwm,
	       (s->off[s->n - 1] + s->len[s->n - 1]) / 1048576.0);
	return rc;
}

static int scaling(const stream *s, const bopts *o, const db *full,
		   result *r)
{
	const char *const *subs[3] = { subset_10, subset_50, NULL };
	uint64_t full_ent = entities(full);
	int rc = 0;

	printf("\nscaling (throughput pass events/s; latency pass p50/p99/p99.9):\n");
	printf("%-6s %8s %7s %9s %9s %8s %12s %9s %9s %9s\n", "lists",
	       "entities", "share", "names", "compile", "threads", "events/s",
	       "p50", "p99", "p99.9");
	for (int k = 0; k < 3 && rc == 0; k++) {
		double ms;
		db *d = subs[k] ? build(subs[k], &ms) : (db *)full;

		if (!d)
			return -EINVAL;
		for (int t = 1; t <= 2 && rc == 0; t++) {
			double eps;

			rc = run(d, s, t, 0, o->seconds / 2, r);
			eps = r->eps;
			if (rc == 0)
				rc = run(d, s, t, 1, o->seconds / 2, r);
			printf("%-6s %8llu %6.0f%% %9zu %7.0fms %8d %12.0f %7.2fus "
			       "%7.2fus %7.2fus\n",
			       k == 0 ? "~10%" : k == 1 ? "~50%" : "100%",
			       (unsigned long long)entities(d),
			       100.0 * entities(d) / full_ent, nameidx_names(d->names),
			       d->compile_ms, t, eps,
			       hist_percentile(r->h, 0.5) / 1e3,
			       hist_percentile(r->h, 0.99) / 1e3,
			       hist_percentile(r->h, 0.999) / 1e3);
		}
		if (d != full)
			db_free(d);
	}
	return rc;
}

static int parse(bopts *o, int argc, char **argv)
{
	o->events = 100000;
	o->seconds = 5;
	o->seed = 1;
	o->scaling = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--events") && i + 1 < argc)
			o->events = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			o->seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			o->seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--no-scaling"))
			o->scaling = 0;
		else
			return -EINVAL;
	}
	return o->events > 0 && o->seconds > 0 ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	bopts o = { 0 };
	lg_gen g = { 0 };
	stream s = { 0 };
	result tp = { 0 }, lat = { 0 };
	double build_ms, rss_lists, hwm;
	char neg[1024], err[1200];
	const char *data = getenv("INTERDICT_DATA");
	db *d;
	int rc = 1;

	if (parse(&o, argc, argv) < 0) {
		fprintf(stderr, "usage: interdict-bench-match [--events N] "
			"[--seconds S] [--seed N] [--no-scaling]\n");
		return 1;
	}
	d = build(NULL, &build_ms);
	if (!d)
		return 1;
	mem_mib(&rss_lists, &hwm);
	snprintf(neg, sizeof(neg), "%s/../eval/negatives_us.csv",
		 data && *data ? data : "../shared/data");
	tp.h = hist_new();
	lat.h = hist_new();
	if (!tp.h || !lat.h ||
	    lg_gen_init(&g, d, neg, o.seed, 0.01, 0.0, LG_NAME_KINDS, err,
			sizeof(err)) < 0) {
		fprintf(stderr, "interdict-bench-match: %s\n", err);
		goto out;
	}
	if (make_stream(&g, o.events, &s) < 0) {
		fprintf(stderr, "interdict-bench-match: out of memory\n");
		goto out;
	}
	if (headline(d, build_ms, &s, &o, rss_lists, &tp, &lat) == 0 &&
	    (!o.scaling || scaling(&s, &o, d, &tp) == 0))
		rc = 0;
out:
	lg_gen_free(&g);
	free_stream(&s);
	hist_free(tp.h);
	hist_free(lat.h);
	db_free(d);
	return rc;
}
