/*
 * hist.h - log-linear latency histogram (HDR-style), fixed memory.
 *
 * Values are nanoseconds.  0..127 get one bucket each (exact); above
 * that each power of two [2^e, 2^(e+1)) is split into 128 equal
 * sub-buckets, so a bucket is at most 1/128 (0.78%) of its values
 * wide.  The top range ends at 2^37 ns (~137 s); larger values land in
 * the last bucket (hist_max() still reports them exactly).
 * HIST_BUCKETS counters of 8 bytes: 32 KiB per histogram.
 *
 * Percentiles return the upper edge of the bucket holding the rank
 * (clamped to the exact min/max), so they over-estimate by < 0.8%.
 *
 * Thread: hist_record() is for ONE writer per histogram (relaxed
 * atomic load+store, no locked instruction): give each worker its own
 * histogram and merge them on read.  hist_record_shared() allows
 * several writers (atomic add).  hist_merge() and the read functions
 * may run concurrently with writers: they see every counter, possibly
 * a few records apart from each other (count vs buckets), never torn
 * values.  hist_reset() must not race with a writer.  Nothing here
 * allocates except hist_new().
 */
#ifndef INTERDICT_HIST_H
#define INTERDICT_HIST_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define HIST_SUB_BITS 7
#define HIST_SUB      (1u << HIST_SUB_BITS)       /* 128 */
#define HIST_MAX_EXP  37                          /* top range 2^36..2^37 */
#define HIST_BUCKETS  (HIST_SUB * (HIST_MAX_EXP - HIST_SUB_BITS + 1))
#define HIST_LIMIT    ((uint64_t)1 << HIST_MAX_EXP) /* first clamped value */

typedef struct hist {
	_Atomic uint64_t count;
	_Atomic uint64_t sum;  /* ns, wraps after ~584 years of latency */
	_Atomic uint64_t min;  /* UINT64_MAX when empty */
	_Atomic uint64_t max;
	_Atomic uint64_t b[HIST_BUCKETS];
} hist_t;

/* Initialise in place (empty).  The struct may be embedded/static. */
void hist_init(hist_t *h);
hist_t *hist_new(void); /* NULL on ENOMEM */
void hist_free(hist_t *h);
void hist_reset(hist_t *h);

/* Single writer per histogram; lock-free, wait-free. */
void hist_record(hist_t *h, uint64_t ns);
/* Any number of writers (atomic read-modify-write). */
void hist_record_shared(hist_t *h, uint64_t ns);

/* dst += src.  dst must have no concurrent writer; src may. */
void hist_merge(hist_t *dst, const hist_t *src);

uint64_t hist_count(const hist_t *h);
uint64_t hist_sum(const hist_t *h);
uint64_t hist_min(const hist_t *h); /* 0 when empty */
uint64_t hist_max(const hist_t *h); /* 0 when empty */
double hist_mean(const hist_t *h);  /* 0 when empty */
/* Value at quantile q in [0,1] (0.5, 0.9, 0.99, 0.999); 0 when empty. */
uint64_t hist_percentile(const hist_t *h, double q);

/* Bucket index of a value, and the bucket's [lo, hi] value range. */
size_t hist_bucket_of(uint64_t ns);
uint64_t hist_bucket_lo(size_t i);
uint64_t hist_bucket_hi(size_t i);

/*
 * "n=… p50=… p90=… p99=… p99.9=… max=…" with human units (ns/us/ms/s)
 * into buf.  Returns buf.
 */
char *hist_summary(const hist_t *h, char *buf, size_t len);

/*
 * Prometheus histogram exposition in SECONDS at the fixed boundaries
 * hist_prom_bounds_ns() (1us .. 10s, 1-2.5-5 steps, then +Inf):
 *   NAME_bucket{LABELS,le="0.001"} N   (cumulative)
 *   NAME_sum{LABELS} S
 *   NAME_count{LABELS} N
 * labels is "" or e.g. "worker=\"1\"" (without braces).  A value is
 * counted under le=B when its bucket's upper edge is <= B, so bucket
 * counts are exact up to the 0.8% bucket width.  No HELP/TYPE lines
 * (the caller writes them once per metric).  Returns 0 or -EIO.
 */
int hist_prom_write(const hist_t *h, FILE *out, const char *name,
		    const char *labels);
/* The boundaries in ns, *n set to their count (without +Inf). */
const uint64_t *hist_prom_bounds_ns(size_t *n);

#endif
