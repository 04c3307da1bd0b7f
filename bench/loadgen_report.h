/*
 * loadgen_report.h - header-only: what interdict-loadgen prints and
 * writes after a closed-loop run: the final table (stdout), the same
 * figures as one JSON object (--json), and --plot DIR: data files
 * (timeline.dat per second, percentiles.dat for the latency spectrum),
 * a gnuplot script DIR/plot.gp, and the PNGs it draws (latency.png,
 * throughput.png, spectrum.png).
 */
#ifndef INTERDICT_LOADGEN_REPORT_H
#define INTERDICT_LOADGEN_REPORT_H

#include <sys/stat.h>

#include "loadgen_kafka.h"

typedef struct lg_summary {
	double elapsed_s;      /* first produce .. last produce */
	uint64_t produced, unique, missing, dups, unknown, delivery_failed;
	uint64_t planted, found, met, false_pos;
	double offered, achieved;      /* events/s produced */
	double e2e_rate;               /* verdicts / (last verdict - start) */
	double vps_mean, vps_min, vps_max; /* verdicts/s, full seconds */
} lg_summary;

static inline char *lg_fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 10000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 10000000000ull)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

static inline void lg_summarize(lg_run *run, double elapsed, lg_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->elapsed_s = elapsed;
	s->produced = atomic_load(&run->produced);
	s->unique = atomic_load(&run->unique);
	s->missing = s->produced > s->unique ? s->produced - s->unique : 0;
	s->dups = atomic_load(&run->dups);
	s->unknown = atomic_load(&run->unknown);
	s->delivery_failed = atomic_load(&run->delivery_failed);
	for (int k = 1; k < LG__KINDS; k++) {
		s->planted += atomic_load(&run->planted[k]);
		s->found += atomic_load(&run->found[k]);
		s->met += atomic_load(&run->met[k]);
	}
	s->false_pos = atomic_load(&run->false_pos);
	s->offered = run->rate;
	s->achieved = elapsed > 0 ? s->produced / elapsed : 0;
	if (atomic_load(&run->last_recv_ns) > run->t0_ns)
		s->e2e_rate = s->unique / ((atomic_load(&run->last_recv_ns) -
					    run->t0_ns) / 1e9);
	/* verdict rate over the seconds the producer was running */
	size_t secs = (size_t)elapsed, used = 0;

	s->vps_min = 1e300;
	pthread_mutex_lock(&run->tl_lock);
	for (size_t i = 0; i < secs && i < run->n_tl; i++) {
		double v = (double)run->tl[i].recv;

		s->vps_mean += v;
		s->vps_min = v < s->vps_min ? v : s->vps_min;
		s->vps_max = v > s->vps_max ? v : s->vps_max;
		used++;
	}
	pthread_mutex_unlock(&run->tl_lock);
	s->vps_mean = used ? s->vps_mean / used : 0;
	if (!used)
		s->vps_min = 0;
}

static inline double lg_pct(uint64_t a, uint64_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static inline void lg_print_table(lg_run *run, const lg_summary *s, FILE *o)
{
	static const double q[] = { 0.5, 0.9, 0.99, 0.999 };
	static const char *const qn[] = { "p50", "p90", "p99", "p99.9" };
	char b[32];

	fprintf(o, "events       %llu in %.1f s: offered %s/s, achieved %.0f/s\n",
		(unsigned long long)s->produced, s->elapsed_s,
		s->offered > 0 ? (snprintf(b, sizeof(b), "%.0f", s->offered), b)
			       : "max", s->achieved);
	fprintf(o, "verdicts     %llu unique, %llu missing, %llu duplicate, "
		"%llu unknown id, %llu delivery failures\n",
		(unsigned long long)s->unique, (unsigned long long)s->missing,
		(unsigned long long)s->dups, (unsigned long long)s->unknown,
		(unsigned long long)s->delivery_failed);
	fprintf(o, "outcomes     pass %llu  review %llu  block %llu  error %llu  "
		"(no verdict field: %llu)\n",
		(unsigned long long)atomic_load(&run->by_outcome[0]),
		(unsigned long long)atomic_load(&run->by_outcome[1]),
		(unsigned long long)atomic_load(&run->by_outcome[2]),
		(unsigned long long)atomic_load(&run->by_outcome[3]),
		(unsigned long long)atomic_load(&run->by_outcome[4]));
	fprintf(o, "verdicts/s   mean %.0f  min %.0f  max %.0f (per full second "
		"of sending); all verdicts in %.0f/s\n",
		s->vps_mean, s->vps_min, s->vps_max, s->e2e_rate);
	fprintf(o, "e2e latency ");
	for (int i = 0; i < 4; i++)
		fprintf(o, " %s %s", qn[i],
			lg_fmt_ns(hist_percentile(run->lat, q[i]), b, sizeof(b)));
	fprintf(o, "  max %s  (n=%llu)\n", lg_fmt_ns(hist_max(run->lat), b, sizeof(b)),
		(unsigned long long)hist_count(run->lat));
	fprintf(o, "recall       %-9s %8s %8s %8s %8s\n", "kind", "planted",
		"found", "recall", "expected");
	for (int k = 1; k < LG__KINDS; k++) {
		uint64_t p = atomic_load(&run->planted[k]);

		if (p)
			fprintf(o, "             %-9s %8llu %8llu %7.1f%% %7.1f%%\n",
				lg_kind_names[k], (unsigned long long)p,
				(unsigned long long)atomic_load(&run->found[k]),
				lg_pct(atomic_load(&run->found[k]), p),
				lg_pct(atomic_load(&run->met[k]), p));
	}
	fprintf(o, "             %-9s %8llu %8llu %7.1f%% %7.1f%%\n", "all",
		(unsigned long long)s->planted, (unsigned long long)s->found,
		lg_pct(s->found, s->planted), lg_pct(s->met, s->planted));
	fprintf(o, "false pos.   %llu innocent events got review/block (%.3f%%)\n",
		(unsigned long long)s->false_pos,
		lg_pct(s->false_pos, s->unique > s->planted ? s->unique - s->planted : 0));
}

static inline void lg_print_json(lg_run *run, const lg_summary *s,
				 const char *sut, FILE *o)
{
	fprintf(o, "{\"sut\":\"%s\",\"offered\":%.0f,\"achieved\":%.1f,"
		"\"elapsed_s\":%.3f,\"produced\":%llu,\"verdicts\":%llu,"
		"\"missing\":%llu,\"duplicates\":%llu,\"unknown\":%llu,"
		"\"delivery_failed\":%llu,\"verdicts_per_s\":{\"mean\":%.1f,"
		"\"min\":%.0f,\"max\":%.0f,\"overall\":%.1f},",
		sut, s->offered, s->achieved, s->elapsed_s,
		(unsigned long long)s->produced, (unsigned long long)s->unique,
		(unsigned long long)s->missing, (unsigned long long)s->dups,
		(unsigned long long)s->unknown,
		(unsigned long long)s->delivery_failed, s->vps_mean, s->vps_min,
		s->vps_max, s->e2e_rate);
	fprintf(o, "\"latency_ns\":{\"n\":%llu,\"p50\":%llu,\"p90\":%llu,"
		"\"p99\":%llu,\"p999\":%llu,\"max\":%llu},",
		(unsigned long long)hist_count(run->lat),
		(unsigned long long)hist_percentile(run->lat, 0.5),
		(unsigned long long)hist_percentile(run->lat, 0.9),
		(unsigned long long)hist_percentile(run->lat, 0.99),
		(unsigned long long)hist_percentile(run->lat, 0.999),
		(unsigned long long)hist_max(run->lat));
	fprintf(o, "\"outcomes\":{\"pass\":%llu,\"review\":%llu,\"block\":%llu,"
		"\"error\":%llu,\"none\":%llu},\"recall\":{",
		(unsigned long long)atomic_load(&run->by_outcome[0]),
		(unsigned long long)atomic_load(&run->by_outcome[1]),
		(unsigned long long)atomic_load(&run->by_outcome[2]),
		(unsigned long long)atomic_load(&run->by_outcome[3]),
		(unsigned long long)atomic_load(&run->by_outcome[4]));
	for (int k = 1; k < LG__KINDS; k++)
		fprintf(o, "\"%s\":{\"planted\":%llu,\"found\":%llu,\"met\":%llu},",
			lg_kind_names[k],
			(unsigned long long)atomic_load(&run->planted[k]),
			(unsigned long long)atomic_load(&run->found[k]),
			(unsigned long long)atomic_load(&run->met[k]));
	fprintf(o, "\"all\":{\"planted\":%llu,\"found\":%llu,\"met\":%llu}},"
		"\"false_positives\":%llu}\n",
		(unsigned long long)s->planted, (unsigned long long)s->found,
		(unsigned long long)s->met, (unsigned long long)s->false_pos);
}

static const char lg_plot_script[] =
	"set terminal png size 1000,560\n"
	"set grid\n"
	"set key top left\n"
	"set output dir.'/latency.png'\n"
	"set title 'End-to-end latency per second ('.sut.')'\n"
	"set xlabel 'time (s)'\nset ylabel 'latency (us)'\nset logscale y\n"
	"plot dir.'/timeline.dat' u 1:4 w lp t 'p50', '' u 1:5 w lp t 'p90',"
	" '' u 1:6 w lp t 'p99', '' u 1:7 w lp t 'p99.9', '' u 1:8 w l t 'max'\n"
	"unset logscale y\n"
	"set output dir.'/throughput.png'\n"
	"set title 'Throughput over time ('.sut.')'\n"
	"set ylabel 'events/s'\n"
	"plot dir.'/timeline.dat' u 1:2 w lp t 'produced', '' u 1:3 w lp t 'verdicts'\n"
	"set output dir.'/spectrum.png'\n"
	"set title 'Latency by percentile ('.sut.')'\n"
	"set xlabel 'percentile'\nset ylabel 'latency (us)'\n"
	"set logscale x\nset logscale y\n"
	"set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000)\n"
	"plot dir.'/percentiles.dat' u 2:3 w lp t sut\n";

static inline int lg_write_plot(lg_run *run, const char *dir, const char *sut)
{
	static const double q[] = { 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999,
				    0.9995, 0.9999 };
	char path[1024], cmd[2200];
	FILE *f;

	mkdir(dir, 0777);
	snprintf(path, sizeof(path), "%s/timeline.dat", dir);
	if (!(f = fopen(path, "w")))
		return -errno;
	fprintf(f, "# sec produced verdicts p50_us p90_us p99_us p999_us max_us\n");
	pthread_mutex_lock(&run->tl_lock);
	for (size_t i = 0; i < run->n_tl; i++) {
		const lg_sec *r = &run->tl[i];

		fprintf(f, "%zu %llu %llu %.1f %.1f %.1f %.1f %.1f\n", i,
			(unsigned long long)r->sent, (unsigned long long)r->recv,
			r->p50 / 1e3, r->p90 / 1e3, r->p99 / 1e3, r->p999 / 1e3,
			r->max / 1e3);
	}
	pthread_mutex_unlock(&run->tl_lock);
	fclose(f);
	snprintf(path, sizeof(path), "%s/percentiles.dat", dir);
	if (!(f = fopen(path, "w")))
		return -errno;
	fprintf(f, "# quantile 1/(1-q) latency_us\n");
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		fprintf(f, "%g %g %.1f\n", q[i], 1 / (1 - q[i]),
			hist_percentile(run->lat, q[i]) / 1e3);
	fclose(f);
	snprintf(path, sizeof(path), "%s/plot.gp", dir);
	if (!(f = fopen(path, "w")))
		return -errno;
	fputs(lg_plot_script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gnuplot -e \"dir='%s'; sut='%s'\" '%s/plot.gp'",
		 dir, sut, dir);
	return system(cmd) == 0 ? 0 : -EIO;
}

#endif
