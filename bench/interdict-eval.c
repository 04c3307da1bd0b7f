/*
 * interdict-eval.c - `make eval`: how good is the name matcher?
 *
 * Why a program and not a test: the figures (precision, recall, false
 * positives, speed) are measurements to watch, not pass/fail facts.
 * It loads every shared list, builds the name index (time, memory),
 * then reports: the cascade pairs (score_compare, per category), the
 * cross-script pairs, every Putin spelling screened as a party name,
 * the false-positive rate of 50,000 synthetic unlisted people, and
 * recall on seeded random variants of real list names (typos,
 * transliterations, swapped and dropped words, legal-form changes).
 * Run from the repository root (data at ../shared).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "country.h"
#include "lists/csv.h"
#include "lists/loader.h"
#include "nameidx.h"
#include "norm.h"
#include "score.h"

#define EVAL "../shared/eval/"
#define MAXHIT 32

static const char *const specs[] = {
	"ofac-csv:../shared/data/lists/ofac-sdn-2024",
	"ofac-csv:../shared/data/lists/ofac-cons-2025",
	"un-xml:../shared/data/lists/un-2026/consolidated.xml",
	"eu-xml:../shared/data/lists/eu-fsf-2016/eu_fsf_whole_2016-02-11.xml",
	"uk-csv:../shared/data/lists/uk-conlist-2016/sanctionsconlist_2016.csv",
	"csl-csv+skip-truncated-tail:../shared/data/lists/us-csl-2023/csl.csv",
	"ftm:../shared/data/lists/opensanctions/eu_journal_russia_belarus.ftm.json",
	"ftm:../shared/data/lists/opensanctions/zala_entities.ftm.json",
};
#define N_SPECS (sizeof(specs) / sizeof(specs[0]))

/* Thread CPU time: the machine is shared, and wall time measures the
 * neighbours' load more than the matcher. */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct prf {
	char cat[48];
	int tp, fp, fn, tn;
} prf;

static void prf_print(const prf *p)
{
	double P = p->tp + p->fp ? (double)p->tp / (p->tp + p->fp) : 1;
	double R = p->tp + p->fn ? (double)p->tp / (p->tp + p->fn) : 1;
	double F = P + R > 0 ? 2 * P * R / (P + R) : 0;

	printf("  %-34s n=%3d  P %.3f  R %.3f  F1 %.3f\n", p->cat,
	       p->tp + p->fp + p->fn + p->tn, P, R, F);
}

static void prf_add(prf *p, int truth, int pred)
{
	p->tp += truth && pred;
	p->fp += !truth && pred;
	p->fn += truth && !pred;
	p->tn += !truth && !pred;
}

static void eval_cascade(norm_ctx *nc, int verbose)
{
	char err[256], **f;
	size_t *l;
	prf all = {"ALL", 0, 0, 0, 0}, cats[128];
	int nc_ = 0, n, i;
	csv_reader *r = csv_open(EVAL "cascade-name-pairs.csv", ',',
				 CSV_F_UTF8, err, sizeof(err));

	if (!r) {
		printf("cascade: %s\n", err);
		return;
	}
	csv_next(r, &f, &l); /* header */
	while ((n = csv_next(r, &f, &l)) > 0) {
		wl_ent_type t;
		double s;
		int truth, pred;

		if (n < 7)
			continue;
		t = strcmp(f[1], "Vessel") == 0 ? WL_ENT_VESSEL :
		    strcmp(f[1], "Person") == 0 ? WL_ENT_PERSON : WL_ENT_ORG;
		s = score_compare(nc, f[2], l[2], f[3], l[3], t, NULL, 0);
		truth = strcmp(f[4], "true") == 0;
		pred = s >= SCORE_MATCH_THRESHOLD;
		prf_add(&all, truth, pred);
		for (i = 0; i < nc_; i++)
			if (strcmp(cats[i].cat, f[6]) == 0)
				break;
		if (i == nc_ && nc_ < 128) {
			memset(&cats[nc_], 0, sizeof(cats[0]));
			snprintf(cats[nc_].cat, sizeof(cats[0].cat), "%s",
				 f[6][0] ? f[6] : "(none)");
			nc_++;
		}
		if (i < 128)
			prf_add(&cats[i], truth, pred);
		if (verbose && truth != pred)
			printf("    %s %.3f [%s] %s | %s\n",
			       truth ? "FN" : "FP", s, f[6], f[2], f[3]);
	}
	csv_close(r);
	printf("cascade-name-pairs (threshold %.2f):\n",
	       SCORE_MATCH_THRESHOLD);
	prf_print(&all);
	if (verbose)
		for (i = 0; i < nc_; i++)
			prf_print(&cats[i]);
}

static void eval_cross(norm_ctx *nc, int verbose)
{
	FILE *fp = fopen(EVAL "cross_script_pairs.csv", "r");
	char line[1024];
	int ok = 0, total = 0;

	if (!fp) {
		printf("cross-script: %s\n", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *c1 = strchr(line, ','), *c2;
		double s;

		if (line[0] == '#' || !c1 || !(c2 = strchr(c1 + 1, ',')))
			continue;
		s = score_compare(nc, line, (size_t)(c1 - line), c1 + 1,
				  (size_t)(c2 - c1 - 1), WL_ENT_PERSON, NULL, 0);
		total++;
		ok += s >= SCORE_MATCH_THRESHOLD;
		if (verbose && s < SCORE_MATCH_THRESHOLD)
			printf("    miss %.3f %.*s\n", s, (int)(c2 - line), line);
	}
	fclose(fp);
	printf("cross-script pairs: %d/%d match\n", ok, total);
}

/* 1 when entity e of list l has a name token exactly "putin". */
static int is_putin(norm_ctx *nc, const wl_list *l, uint32_t e)
{
	const wl_entity *en = &l->entities[e];
	char out[512];
	uint32_t i;

	for (i = 0; i < en->n_names; i++) {
		ssize_t r = norm_text(nc, en->names[i].text,
				      strlen(en->names[i].text), out,
				      sizeof(out));
		char *p = out;

		if (r <= 0)
			continue;
		while ((p = strstr(p, "putin"))) {
			if ((p == out || p[-1] == ' ') &&
			    (p[5] == ' ' || p[5] == 0))
				return 1;
			p++;
		}
	}
	return 0;
}

static void eval_putin(const nameidx *ix, nameidx_scratch *s, norm_ctx *nc,
		       wl_list **lists, int verbose)
{
	FILE *fp = fopen(EVAL "putin_names.txt", "r");
	char line[512];
	nameidx_hit h[MAXHIT];
	int ok = 0, total = 0;

	if (!fp) {
		printf("putin: %s\n", strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), fp)) {
		nameidx_query q = {0};
		size_t len = strcspn(line, "\r\n");
		int n, i, found = 0;

		if (len == 0)
			continue;
		q.name = line;
		q.len = len;
		n = nameidx_match(ix, s, &q, h, MAXHIT);
		for (i = 0; i < n && !found; i++)
			found = is_putin(nc, lists[h[i].list], h[i].entity);
		total++;
		ok += found;
		if (verbose && !found)
			printf("    miss %.*s\n", (int)len, line);
	}
	fclose(fp);
	printf("putin spellings found: %d/%d\n", ok, total);
}

static double lat[50000];

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void eval_negatives(const nameidx *ix, nameidx_scratch *s,
			   int verbose)
{
	char err[256], **f;
	size_t *l;
	nameidx_hit h[MAXHIT];
	int n, total = 0, fp = 0, shown = 0, tfp = 0;
	double t0, t = 0;
	csv_reader *r = csv_open(EVAL "negatives_us.csv", ',', CSV_F_UTF8,
				 err, sizeof(err));

	if (!r) {
		printf("negatives: %s\n", err);
		return;
	}
	csv_next(r, &f, &l);
	while ((n = csv_next(r, &f, &l)) > 0) {
		nameidx_query q = {0};
		int k;

		if (n < 8)
			continue;
		q.name = f[0];
		q.len = l[0];
		q.type = WL_ENT_PERSON;
		wl_date_parse(f[5], l[5], &q.dob);
		if (country_lookup(f[7], l[7], q.nationality) < 0)
			q.nationality[0] = '\0';
		t0 = now_ms();
		k = nameidx_match(ix, s, &q, h, MAXHIT);
		t0 = now_ms() - t0;
		t += t0;
		lat[total < 50000 ? total : 49999] = t0;
		if (verbose && t0 > 0.2)
			printf("    slow %.0f us %s\n", t0 * 1e3, f[0]);
		{
			char line[600];
			int tl = snprintf(line, sizeof(line),
					  "payment to %s for services invoice 1734",
					  f[0]);

			if (tl > 0 && tl < (int)sizeof(line) &&
			    nameidx_scan_text(ix, s, line, (size_t)tl, h,
					      MAXHIT) > 0) {
				tfp++;
				if (verbose && tfp < 10)
					printf("    text fp %s -> %s\n", line,
					       h[0].matched);
			}
		}
		total++;
		if (k > 0) {
			fp++;
			if (verbose && shown++ < 15)
				printf("    fp %.3f %s -> %s (%s)\n", h[0].score,
				       f[0],
				       ix ? h[0].matched : "", h[0].reason);
		}
	}
	csv_close(r);
	qsort(lat, (size_t)(total < 50000 ? total : 50000), sizeof(double),
	      cmp_dbl);
	printf("negatives in remittance text: %d/%d flagged = %.3f%%\n", tfp,
	       total, total ? 100.0 * tfp / total : 0);
	printf("negatives: %d/%d flagged = %.3f%% false positives "
	       "(goal <= 0.5%%); %.2f us per name (p50 %.2f, p99 %.1f us)\n",
	       fp, total, total ? 100.0 * fp / total : 0,
	       total ? t * 1e3 / total : 0,
	       total ? lat[total / 2] * 1e3 : 0,
	       total ? lat[(int)(total * 0.99)] * 1e3 : 0);
}

/* The normaliser's share of the per-name cost (norm_text only), over
 * all negatives and over the Latin-script ones. */
static void eval_norm_cost(norm_ctx *nc)
{
	char err[256], **f, out[512];
	size_t *l;
	int n, total = 0, latin = 0;
	double t0, t = 0, tl = 0;
	csv_reader *r = csv_open(EVAL "negatives_us.csv", ',', CSV_F_UTF8,
				 err, sizeof(err));

	if (!r)
		return;
	csv_next(r, &f, &l);
	while ((n = csv_next(r, &f, &l)) > 0) {
		int ascii_ish = 1;
		size_t k;
		double d;

		if (n < 1)
			continue;
		for (k = 0; k < l[0]; k++)
			if ((unsigned char)f[0][k] >= 0xE0)
				ascii_ish = 0; /* 3-byte UTF-8: CJK etc. */
		t0 = now_ms();
		(void)norm_text(nc, f[0], l[0], out, sizeof(out));
		d = now_ms() - t0;
		t += d;
		total++;
		if (ascii_ish) {
			tl += d;
			latin++;
		}
	}
	csv_close(r);
	printf("normaliser alone: %.2f us per name (%.2f us Latin/Cyrillic, "
	       "%d of %d names)\n", total ? t * 1e3 / total : 0,
	       latin ? tl * 1e3 / latin : 0, latin, total);
}

/* ---- generated variants ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void copy_trunc(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Apply one random edit to name (lower-case ASCII words); returns the
 * kind. */
static const char *mutate(char *b, size_t cap, wl_ent_type type)
{
	static const char *const tr[][2] = {
		{"v", "w"}, {"y", "i"}, {"ks", "x"}, {"kh", "h"},
		{"ou", "u"}, {"i", "y"}, {"sh", "sch"}, {"e", "ye"},
		{"ch", "tch"}, {"j", "y"}, {"f", "ph"}, {"c", "k"},
	};
	char w[16][64], tmp[1024];
	int nw = 0, i, kind = (int)rnd(5);
	char *p = b, *save;

	for (p = strtok_r(b, " ", &save); p && nw < 16;
	     p = strtok_r(NULL, " ", &save))
		copy_trunc(w[nw++], sizeof(w[0]), p);
	if (nw < 2)
		kind = kind == 1 || kind == 2 ? 0 : kind;
	if (kind == 3 && type == WL_ENT_PERSON && nw >= 3) {
		for (i = 1; i < nw - 1; i++) /* drop a middle name */
			memcpy(w[i], w[i + 1], sizeof(w[0]));
		nw--;
	} else if (kind == 3) {
		kind = 4;
	}
	if (kind == 0) { /* typo in the longest word */
		int m = 0;
		size_t len;

		for (i = 1; i < nw; i++)
			if (strlen(w[i]) > strlen(w[m]))
				m = i;
		len = strlen(w[m]);
		if (len >= 5) {
			size_t k = 1 + rnd((uint32_t)len - 2);

			switch (rnd(3)) {
			case 0: w[m][k] = (char)('a' + rnd(26)); break;
			case 1: memmove(w[m] + k, w[m] + k + 1, len - k); break;
			default: {
				char c = w[m][k];

				w[m][k] = w[m][k + 1];
				w[m][k + 1] = c;
			}
			}
		}
	} else if (kind == 1) { /* swap two words */
		char t[64];
		int a = (int)rnd((uint32_t)nw), c = (a + 1) % nw;

		memcpy(t, w[a], sizeof(t));
		memcpy(w[a], w[c], sizeof(t));
		memcpy(w[c], t, sizeof(t));
	} else if (kind == 2 || kind == 4) {
		if (type == WL_ENT_ORG && kind == 4) {
			static const char *const lf[] = {"llc", "ltd", "ooo",
							 "limited", "co ltd"};

			if (nw < 15)
				snprintf(w[nw++], sizeof(w[0]), "%s",
					 lf[rnd(5)]);
		} else { /* transliteration swap */
			int m = (int)rnd((uint32_t)nw), k;

			for (k = 0; k < 12; k++) {
				const char *f = tr[(k + (int)rnd(12)) % 12][0];
				const char *to = NULL;
				char *at = strstr(w[m], f);
				int t;

				for (t = 0; t < 12; t++)
					if (tr[t][0] == f)
						to = tr[t][1];
				if (at && strlen(w[m]) + 3 < sizeof(w[0])) {
					snprintf(tmp, sizeof(tmp), "%.*s%s%s",
						 (int)(at - w[m]), w[m], to,
						 at + strlen(f));
					copy_trunc(w[m], sizeof(w[0]), tmp);
					break;
				}
			}
		}
	}
	b[0] = '\0';
	for (i = 0; i < nw; i++) {
		size_t bl = strlen(b);

		if (i && bl + 1 < cap)
			b[bl++] = ' ';
		copy_trunc(b + bl, cap - bl, w[i]);
	}
	return (const char *[]){"typo", "swap", "translit", "drop-middle",
				"legal-form"}[kind];
}

static void eval_variants(const nameidx *ix, nameidx_scratch *s,
			  norm_ctx *nc, wl_list **lists, size_t n_lists,
			  int verbose)
{
	static const char *const kinds[] = {"typo", "swap", "translit",
					    "drop-middle", "legal-form"};
	int ok[5] = {0}, tot[5] = {0}, k, trial, shown = 0;
	nameidx_hit h[MAXHIT];

	for (trial = 0; trial < 3000; trial++) {
		const wl_list *l = lists[rnd((uint32_t)n_lists)];
		const wl_entity *en;
		char b[1024];
		const char *kind;
		nameidx_query q = {0};
		ssize_t r;
		int n, i, found = 0;

		if (!l->n_entities)
			continue;
		en = &l->entities[rnd(l->n_entities)];
		if (!en->n_names || (en->type != WL_ENT_PERSON &&
				     en->type != WL_ENT_ORG))
			continue;
		r = norm_text(nc, en->names[0].text,
			      strlen(en->names[0].text), b, sizeof(b));
		if (r <= 0 || !strchr(b, ' ') || r < 8)
			continue;
		kind = mutate(b, sizeof(b), (wl_ent_type)en->type);
		q.name = b;
		q.len = strlen(b);
		n = nameidx_match(ix, s, &q, h, MAXHIT);
		for (i = 0; i < n && !found; i++)
			found = lists[h[i].list] == l &&
				&l->entities[h[i].entity] == en;
		for (k = 0; k < 5; k++)
			if (strcmp(kinds[k], kind) == 0) {
				tot[k]++;
				ok[k] += found;
			}
		if (verbose && !found && shown++ < 25)
			printf("    miss [%s] %s <- %s\n", kind, b,
			       en->names[0].text);
	}
	printf("generated variants (seeded):");
	{
		int so = 0, st = 0;

		for (k = 0; k < 5; k++) {
			printf(" %s %d/%d", kinds[k], ok[k], tot[k]);
			so += ok[k];
			st += tot[k];
		}
		printf("; recall %.3f (goal >= 0.98)\n",
		       st ? (double)so / st : 0);
	}
}

int main(int argc, char **argv)
{
	wl_list *lists[N_SPECS];
	size_t n_lists = 0, i, ents = 0;
	char err[512];
	int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	int build_only = argc > 1 && strcmp(argv[1], "-b") == 0;
	const char *one = argc > 2 && strcmp(argv[1], "-q") == 0 ? argv[2] :
								   NULL;
	norm_ctx *nc = norm_ctx_new();
	nameidx_scratch *s = nameidx_scratch_new();
	nameidx *ix;
	double t0;

	if (!nc || !s)
		return 1;
	if (one)
		build_only = 2;
	if (!build_only) {
		eval_cascade(nc, verbose);
		eval_cross(nc, verbose);
	}
	for (i = 0; i < N_SPECS; i++) {
		if (wl_load_spec(specs[i], &lists[n_lists], err,
				 sizeof(err)) < 0) {
			printf("load %s: %s (skipped)\n", specs[i], err);
			continue;
		}
		ents += lists[n_lists]->n_entities;
		n_lists++;
	}
	t0 = now_ms();
	ix = nameidx_build(lists, n_lists, err, sizeof(err));
	if (!ix) {
		printf("build: %s\n", err);
		return 1;
	}
	printf("index: %zu lists, %zu entities, %zu names, %zu tokens; "
	       "built in %.0f ms; %.1f MiB\n",
	       n_lists, ents, nameidx_names(ix), nameidx_tokens(ix),
	       now_ms() - t0, nameidx_memory(ix) / 1048576.0);
	if (one) { /* -q NAME [TYPE]: the hits of one party name */
		nameidx_query q = {0};
		nameidx_hit h[MAXHIT];
		int n, k;

		q.name = one;
		q.len = strlen(one);
		q.type = argc > 3 ? (wl_ent_type)atoi(argv[3]) : WL_ENT_UNKNOWN;
		n = nameidx_match(ix, s, &q, h, MAXHIT);
		if (argc > 4) { /* -q NAME TYPE REPEAT: time it */
			int rep = atoi(argv[4]);

			t0 = now_ms();
			for (k = 0; k < rep; k++)
				nameidx_match(ix, s, &q, h, MAXHIT);
			printf("%.3f us per call\n", (now_ms() - t0) * 1e3 / rep);
		}
		for (k = 0; k < n; k++)
			printf("  %.3f %s %s [%s] %s\n", h[k].score,
			       lists[h[k].list]->entities[h[k].entity].id,
			       lists[h[k].list]->entities[h[k].entity]
				       .names[h[k].name].text,
			       h[k].matched, h[k].reason);
		n = nameidx_scan_text(ix, s, one, strlen(one), h, MAXHIT);
		for (k = 0; k < n; k++)
			printf("  text %.3f %s %s [%s] %s\n", h[k].score,
			       lists[h[k].list]->entities[h[k].entity].id,
			       lists[h[k].list]->entities[h[k].entity]
				       .names[h[k].name].text,
			       h[k].matched, h[k].reason);
		goto out;
	}
	if (build_only) {
		for (i = 0; i < 4; i++) {
			nameidx_free(ix);
			t0 = now_ms();
			ix = nameidx_build(lists, n_lists, err, sizeof(err));
			printf("rebuild %zu: %.0f ms\n", i, now_ms() - t0);
		}
		goto out;
	}
	eval_putin(ix, s, nc, lists, verbose);
	eval_variants(ix, s, nc, lists, n_lists, verbose);
	eval_negatives(ix, s, verbose);
	eval_norm_cost(nc);
out:
	nameidx_free(ix);
	for (i = 0; i < n_lists; i++)
		wl_list_free(lists[i]);
	nameidx_scratch_free(s);
	norm_ctx_free(nc);
	return 0;
}
