/*
 * demo.c - `interdict demo` (`make run`): the streaming engine on
 * librdkafka's in-process mock cluster, fed by a load generator.
 *
 * Without kafka.bootstrap.servers, a 3-broker mock cluster is created
 * in-process (rd_kafka_mock_cluster_new) with the input, verdict and
 * dead-letter topics; with it, the real cluster is used (topics must
 * exist or be auto-created).  The engine is the same code `serve`
 * runs (engine_new/engine_run on a thread).  Two more threads:
 *
 *   generator  produces events at a steady rate: payments between
 *              people from the negatives corpus (not listed), some
 *              with a listed person ("Sergei Aksenov"), a listed
 *              vessel IMO, CHPL goods "8542.31" routed US-TR-RU, and
 *              about 2% malformed messages (dead letters).  The send
 *              time of event N is kept in sent_ns[N] for the
 *              end-to-end latency.
 *   reader     consumes the verdict and dead-letter topics, counts
 *              outcomes, keeps a few hit samples, and records the
 *              end-to-end latency (produce -> verdict read).
 *
 * The main thread prints a progress line per second and the summary.
 * Configuration: -c FILE, else deploy/interdict.properties when it
 * exists; key=value arguments override; `lists` defaults to every list
 * in ../shared/data (cli.h).  Exit 0 when every event got a verdict.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "cli.h"
#include "commands.h"
#include "hist.h"
#include "serve.h"

#define DEMO_PARTS   6
#define DEMO_NAMES   4000
#define DEMO_SAMPLES 4
#define NEGATIVES    "/eval/negatives_us.csv"

typedef struct demo {
	config_t *cfg;
	log_t *log;
	engine *e;
	char topic_in[256], topic_out[256], topic_dlq[256];
	char boot[512];
	rd_kafka_t *mock_rk;
	rd_kafka_mock_cluster_t *mock;
	int duration_s;
	int rate;
	/* generator */
	char **names;
	size_t n_names;
	uint64_t *sent_ns;
	size_t max_events;
	_Atomic uint64_t produced, malformed;
	_Atomic int gen_stop;
	/* reader */
	_Atomic uint64_t verdicts, by_outcome[4], dead_letters;
	_Atomic int read_stop;
	hist_t *e2e;
	pthread_mutex_t sample_lock;
	char samples[DEMO_SAMPLES][400];
	int n_samples;
	int engine_rc;
	char journal_dir[64];
} demo;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- names corpus ---- */

static void load_names(demo *d)
{
	const char *data = getenv("INTERDICT_DATA");
	char path[1024], *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/..%s",
		 data && *data ? data : "../shared/data", NEGATIVES);
	d->names = calloc(DEMO_NAMES, sizeof(*d->names));
	f = fopen(path, "r");
	if (!f || !d->names)
		goto fallback;
	while (d->n_names < DEMO_NAMES && getline(&line, &cap, f) > 0) {
		size_t n = strcspn(line, ",\"\\");

		if (line[n] != ',' || n == 0 || !strncmp(line, "full_name", 9))
			continue;
		d->names[d->n_names] = strndup(line, n);
		if (d->names[d->n_names])
			d->n_names++;
	}
	free(line);
	fclose(f);
fallback:
	if (d->names && d->n_names == 0) {
		d->names[0] = strdup("Ingeborg Abrahamsen");
		d->names[1] = strdup("Kathryn Barr");
		d->n_names = 2;
	}
}

/* ---- generator ---- */

static const char *const countries[] = { "US", "GB", "DE", "FR", "NL",
					 "CH", "SG", "AE", "TR", "JP" };

static const char *pick_name(demo *d, uint64_t n)
{
	return d->names[(n * 2654435761u) % d->n_names];
}

static int event_payment(demo *d, uint64_t n, char *buf, size_t cap,
			 const char *debtor, const char *dob)
{
	return snprintf(
		buf, cap,
		"{\"id\":\"tx-%" PRIu64 "\",\"type\":\"payment\","
		"\"amount\":{\"value\":\"%" PRIu64 ".00\",\"currency\":\"USD\"},"
		"\"parties\":[{\"role\":\"debtor\",\"type\":\"person\","
		"\"name\":\"%s\",\"country\":\"%s\"%s%s%s},"
		"{\"role\":\"creditor\",\"type\":\"person\",\"name\":\"%s\","
		"\"country\":\"%s\",\"account\":\"GB29NWBK601613319%05" PRIu64
		"\"}],\"remittance\":\"invoice %" PRIu64 "\"}",
		n, 100 + n % 90000, debtor, countries[n % 10],
		dob ? ",\"dob\":\"" : "", dob ? dob : "", dob ? "\"" : "",
		pick_name(d, n + 7), countries[(n / 10) % 10], n % 100000, n);
}

static int event_vessel(uint64_t n, char *buf, size_t cap)
{
	int eu = n % 2;

	return snprintf(
		buf, cap,
		"{\"id\":\"tx-%" PRIu64 "\",\"type\":\"trade\",\"parties\":["
		"{\"role\":\"shipper\",\"type\":\"organization\",\"name\":"
		"\"Blue Ocean Logistics Ltd\",\"country\":\"AE\"},"
		"{\"role\":\"carrier\",\"type\":\"vessel\",\"name\":\"%s\"}],"
		"\"vessel\":{\"name\":\"%s\",\"imo\":\"%s\"}}",
		n, eu ? "CAROLINE BEZENGI" : "ARTAVIL",
		eu ? "CAROLINE BEZENGI" : "ARTAVIL", eu ? "9224439" : "9187629");
}

static int event_goods(demo *d, uint64_t n, char *buf, size_t cap)
{
	return snprintf(
		buf, cap,
		"{\"id\":\"tx-%" PRIu64 "\",\"type\":\"trade\",\"parties\":["
		"{\"role\":\"consignor\",\"type\":\"organization\",\"name\":"
		"\"Anatolia Elektronik Ticaret AS\",\"country\":\"TR\"},"
		"{\"role\":\"consignee\",\"type\":\"organization\",\"name\":"
		"\"%s Trading LLC\",\"country\":\"RU\"}],"
		"\"remittance\":\"payment for 500 pcs STM32F407 per invoice %"
		PRIu64 "\",\"goods\":[{\"hs\":\"8542.31\",\"description\":"
		"\"microcontrollers\",\"origin\":\"US\",\"quantity\":500}],"
		"\"route\":{\"origin\":\"US\",\"via\":[\"TR\"],"
		"\"destination\":\"RU\"}}",
		n, pick_name(d, n), n);
}

static int event_bad(uint64_t n, char *buf, size_t cap)
{
	switch (n % 3) {
	case 0:
		return snprintf(buf, cap, "{\"id\":\"tx-%" PRIu64 "\",\"parties"
				"\":[{\"name\": }", n);
	case 1:
		return snprintf(buf, cap, "{\"type\":\"payment\",\"amount\":"
				"{\"value\":\"1\"}}");
	default:
		return snprintf(buf, cap, "{\"id\":\"tx-%" PRIu64 "\",\"remit"
				"tance\":\"\xff\xfe bad bytes\"}", n);
	}
}

/* One event; *key set ("" = no key).  Returns length. */
static int make_event(demo *d, uint64_t n, char *buf, size_t cap,
		      char *key, size_t kcap, int *bad)
{
	unsigned r = (unsigned)((n * 2246822519u) % 1000);

	*bad = 0;
	key[0] = '\0';
	if (r < 20) {
		*bad = 1;
		snprintf(key, kcap, "bad-%" PRIu64, n);
		return event_bad(n, buf, cap);
	}
	if (n % 2 == 0)
		snprintf(key, kcap, "acct-%" PRIu64, n % 997);
	if (r < 60)
		return event_payment(d, n, buf, cap, "Sergei Aksenov",
				     "1972-11-26");
	if (r < 80)
		return event_vessel(n, buf, cap);
	if (r < 120)
		return event_goods(d, n, buf, cap);
	return event_payment(d, n, buf, cap, pick_name(d, n), NULL);
}

static rd_kafka_t *client(demo *d, rd_kafka_type_t type)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[512];
	rd_kafka_t *rk;

	rd_kafka_conf_set(c, "bootstrap.servers", d->boot, err, sizeof(err));
	rd_kafka_conf_set(c, "log_level", "3", err, sizeof(err));
	if (type == RD_KAFKA_PRODUCER) {
		rd_kafka_conf_set(c, "linger.ms", "0", err, sizeof(err));
	} else {
		rd_kafka_conf_set(c, "group.id", "interdict-demo-reader", err,
				  sizeof(err));
		rd_kafka_conf_set(c, "enable.auto.commit", "false", err,
				  sizeof(err));
		rd_kafka_conf_set(c, "fetch.wait.max.ms", "5", err,
				  sizeof(err));
	}
	rk = rd_kafka_new(type, c, err, sizeof(err));
	if (!rk)
		fprintf(stderr, "demo: %s\n", err);
	return rk;
}

static void produce_one(demo *d, rd_kafka_t *p, uint64_t n, char *buf)
{
	char key[32];
	int bad, len = make_event(d, n, buf, 2048, key, sizeof(key), &bad);
	rd_kafka_resp_err_t err;

	d->sent_ns[n] = now_ns();
	do {
		err = rd_kafka_producev(
			p, RD_KAFKA_V_TOPIC(d->topic_in),
			RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
			RD_KAFKA_V_KEY(key[0] ? key : NULL, strlen(key)),
			RD_KAFKA_V_VALUE(buf, (size_t)len), RD_KAFKA_V_END);
		if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
			rd_kafka_poll(p, 5);
	} while (err == RD_KAFKA_RESP_ERR__QUEUE_FULL);
	if (bad)
		atomic_fetch_add(&d->malformed, 1);
	atomic_store_explicit(&d->produced, n + 1, memory_order_release);
}

static void *generator(void *arg)
{
	demo *d = arg;
	rd_kafka_t *p = client(d, RD_KAFKA_PRODUCER);
	uint64_t start = now_ns(), n = 0;
	char buf[2048];

	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_t *rkt;

	if (!p)
		return NULL;
	/* connect and learn the topic before the clock starts */
	rkt = rd_kafka_topic_new(p, d->topic_in, NULL);
	if (rd_kafka_metadata(p, 0, rkt, &md, 10000) == 0)
		rd_kafka_metadata_destroy(md);
	rd_kafka_topic_destroy(rkt);
	start = now_ns();
	while (!atomic_load(&d->gen_stop) && n < d->max_events) {
		uint64_t due = (now_ns() - start) * (uint64_t)d->rate /
			       1000000000u;

		while (n < due && n < d->max_events)
			produce_one(d, p, n++, buf);
		rd_kafka_poll(p, 0);
		usleep(1000);
	}
	rd_kafka_flush(p, 10000);
	rd_kafka_destroy(p);
	return NULL;
}

/* ---- reader ---- */

static int outcome_of(const char *json, size_t len)
{
	static const char *const names[] = { "\"verdict\":\"pass\"",
					     "\"verdict\":\"review\"",
					     "\"verdict\":\"block\"",
					     "\"verdict\":\"error\"" };

	for (int i = 0; i < 4; i++)
		if (memmem(json, len, names[i], strlen(names[i])))
			return i;
	return 3;
}

/* Event number from the key "bad-N" or the verdict's "id":"tx-N". */
static int64_t event_no(const rd_kafka_message_t *m)
{
	const char *p;

	if (m->key_len > 4 && !memcmp(m->key, "bad-", 4))
		return strtoll((const char *)m->key + 4, NULL, 10);
	p = memmem(m->payload, m->len, "\"id\":\"tx-", 9);
	return p ? strtoll(p + 9, NULL, 10) : -1;
}

/* Samples: a blocked name, vessel and goods hit, and one review. */
static void keep_sample(demo *d, const rd_kafka_message_t *m, int outcome)
{
	static const char *const kinds[DEMO_SAMPLES] = {
		"\"kind\":\"name\"", "\"kind\":\"vessel\"",
		"\"kind\":\"goods\"", "\"verdict\":\"review\""
	};

	pthread_mutex_lock(&d->sample_lock);
	for (int i = 0; i < DEMO_SAMPLES; i++) {
		if (d->samples[i][0] || (i < 3 && outcome != 2) ||
		    !memmem(m->payload, m->len, kinds[i], strlen(kinds[i])))
			continue;
		snprintf(d->samples[i], sizeof(d->samples[i]), "%.*s%s",
			 (int)(m->len < 360 ? m->len : 360),
			 (const char *)m->payload, m->len < 360 ? "" : "...");
		d->n_samples++;
		break;
	}
	pthread_mutex_unlock(&d->sample_lock);
}

static void on_verdict(demo *d, const rd_kafka_message_t *m)
{
	int o = outcome_of(m->payload, m->len);
	int64_t n = event_no(m);
	uint64_t produced = atomic_load_explicit(&d->produced,
						 memory_order_acquire);

	atomic_fetch_add(&d->by_outcome[o], 1);
	atomic_fetch_add(&d->verdicts, 1);
	if (n >= 0 && (uint64_t)n < produced)
		hist_record(d->e2e, now_ns() - d->sent_ns[n]);
	if (o == 1 || o == 2)
		keep_sample(d, m, o);
}

static int assign_all(demo *d, rd_kafka_t *c)
{
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_topic_partition_list_t *l =
		rd_kafka_topic_partition_list_new(16);
	const char *topics[] = { d->topic_out, d->topic_dlq };
	int64_t start = d->mock ? RD_KAFKA_OFFSET_BEGINNING
				: RD_KAFKA_OFFSET_END;
	rd_kafka_resp_err_t err;

	for (int t = 0; t < 2; t++) {
		rd_kafka_topic_t *rkt = rd_kafka_topic_new(c, topics[t], NULL);

		err = rd_kafka_metadata(c, 0, rkt, &md, 10000);
		if (!err && md->topic_cnt == 1)
			for (int p = 0; p < md->topics[0].partition_cnt; p++)
				rd_kafka_topic_partition_list_add(
					l, topics[t], p)->offset = start;
		if (md)
			rd_kafka_metadata_destroy(md);
		md = NULL;
		rd_kafka_topic_destroy(rkt);
	}
	err = l->cnt ? rd_kafka_assign(c, l) : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
	rd_kafka_topic_partition_list_destroy(l);
	return err ? -ENOENT : 0;
}

static void *reader(void *arg)
{
	demo *d = arg;
	rd_kafka_t *c = client(d, RD_KAFKA_CONSUMER);

	if (!c || assign_all(d, c) < 0) {
		fprintf(stderr, "demo: cannot read %s / %s\n", d->topic_out,
			d->topic_dlq);
		if (c)
			rd_kafka_destroy(c);
		return NULL;
	}
	while (!atomic_load(&d->read_stop)) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 50);

		if (!m)
			continue;
		if (!m->err && !strcmp(rd_kafka_topic_name(m->rkt),
				       d->topic_dlq))
			atomic_fetch_add(&d->dead_letters, 1);
		else if (!m->err)
			on_verdict(d, m);
		rd_kafka_message_destroy(m);
	}
	rd_kafka_consumer_close(c);
	rd_kafka_destroy(c);
	return NULL;
}

/* ---- setup ---- */

static int set(demo *d, const char *k, const char *v)
{
	char err[512];

	if (config_set(d->cfg, k, v, err, sizeof(err)) < 0) {
		fprintf(stderr, "demo: %s\n", err);
		return -EINVAL;
	}
	return 0;
}

/* lists default: every list shipped in the shared data folder */
static int default_lists(demo *d)
{
	cli_lists cl;
	char *v = NULL;
	size_t len = 0;
	int rc;

	if (config_is_set(d->cfg, "lists") && *config_get(d->cfg, "lists"))
		return 0;
	memset(&cl, 0, sizeof(cl));
	rc = cli_lists_defaults(&cl);
	for (size_t i = 0; rc == 0 && i < cl.n_specs; i++) {
		size_t n = strlen(cl.specs[i]);
		char *nv = realloc(v, len + n + 2);

		if (!nv) {
			rc = -ENOMEM;
			break;
		}
		v = nv;
		memcpy(v + len, cl.specs[i], n);
		len += n;
		v[len++] = ',';
		v[len] = '\0';
	}
	if (rc == 0 && v)
		rc = set(d, "lists", v);
	free(v);
	cli_lists_release(&cl);
	return rc;
}

static int mock_cluster(demo *d)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[256];

	rd_kafka_conf_set(c, "log_level", "3", err, sizeof(err));
	d->mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, c, err, sizeof(err));
	if (!d->mock_rk) {
		fprintf(stderr, "demo: %s\n", err);
		return -EINVAL;
	}
	d->mock = rd_kafka_mock_cluster_new(d->mock_rk, 3);
	if (!d->mock)
		return -EINVAL;
	rd_kafka_mock_topic_create(d->mock, d->topic_in, DEMO_PARTS, 1);
	rd_kafka_mock_topic_create(d->mock, d->topic_out, DEMO_PARTS, 1);
	rd_kafka_mock_topic_create(d->mock, d->topic_dlq, 1, 1);
	snprintf(d->boot, sizeof(d->boot), "%s",
		 rd_kafka_mock_cluster_bootstraps(d->mock));
	return set(d, "kafka.bootstrap.servers", d->boot);
}

static int demo_config(demo *d, const char *path, int argc, char **argv)
{
	char err[1024];
	const char *b;

	if (!path && access("deploy/interdict.properties", R_OK) == 0)
		path = "deploy/interdict.properties";
	if (serve_load_config(d->cfg, path, argc, argv, 0, err, sizeof(err))) {
		fprintf(stderr, "demo: %s\n", err);
		return -EINVAL;
	}
	if (!config_is_set(d->cfg, "log.level") && set(d, "log.level", "warn"))
		return -EINVAL;
	if (!config_is_set(d->cfg, "http.listen") &&
	    set(d, "http.listen", "127.0.0.1:0"))
		return -EINVAL;
	if (!config_is_set(d->cfg, "journal.path")) {
		snprintf(d->journal_dir, sizeof(d->journal_dir),
			 "/tmp/interdict-demo-XXXXXX");
		if (!mkdtemp(d->journal_dir) ||
		    set(d, "journal.path", d->journal_dir))
			return -EINVAL;
	}
	if (default_lists(d))
		return -EINVAL;
	snprintf(d->topic_in, sizeof(d->topic_in), "%s",
		 config_get(d->cfg, "topic.in"));
	snprintf(d->topic_out, sizeof(d->topic_out), "%s",
		 config_get(d->cfg, "topic.out"));
	snprintf(d->topic_dlq, sizeof(d->topic_dlq), "%s",
		 config_get(d->cfg, "topic.dlq"));
	b = config_get(d->cfg, "kafka.bootstrap.servers");
	if (b && *b)
		snprintf(d->boot, sizeof(d->boot), "%s", b);
	else if (mock_cluster(d))
		return -EINVAL;
	if (config_validate(d->cfg, 1, err, sizeof(err))) {
		fprintf(stderr, "demo: %s\n", err);
		return -EINVAL;
	}
	return 0;
}

/* ---- output ---- */

static char *fmt_ns(uint64_t ns, char *buf, size_t len)
{
	if (ns < 10000)
		snprintf(buf, len, "%" PRIu64 "ns", ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", ns / 1e6);
	return buf;
}

static void progress(demo *d, int t, uint64_t *last)
{
	engine_stats_t s;
	uint64_t v = atomic_load(&d->verdicts);
	char a[32], b[32];

	engine_get_stats(d->e, &s);
	printf("[%3ds] produced %" PRIu64 "  verdicts %" PRIu64
	       " (pass %" PRIu64 " review %" PRIu64 " block %" PRIu64
	       " error %" PRIu64 ")  %" PRIu64 "/s  in-engine p50 %s p99 %s\n",
	       t, atomic_load(&d->produced), v, atomic_load(&d->by_outcome[0]),
	       atomic_load(&d->by_outcome[1]), atomic_load(&d->by_outcome[2]),
	       atomic_load(&d->by_outcome[3]), v - *last,
	       fmt_ns(s.lat_p50_ns, a, sizeof(a)),
	       fmt_ns(s.lat_p99_ns, b, sizeof(b)));
	fflush(stdout);
	*last = v;
}

static void summary(demo *d)
{
	engine_stats_t s;
	char a[32], b[32], c[32], m[32], ver[64];
	uint64_t produced = atomic_load(&d->produced);

	engine_get_stats(d->e, &s);
	engine_lists_version(d->e, ver, sizeof(ver));
	printf("\n== interdict demo summary ==\n");
	printf("cluster:       %s (%s)\n", d->mock ? "mock, 3 brokers" : "real",
	       d->boot);
	printf("lists version: %s  (reloads %" PRIu64 ", failed %" PRIu64
	       ")\n", ver, s.reloads, s.reload_failed);
	printf("events:        %" PRIu64 " produced (%" PRIu64
	       " malformed), %" PRIu64 " screened\n",
	       produced, atomic_load(&d->malformed), s.screened);
	printf("verdicts:      %" PRIu64 "  pass %" PRIu64 "  review %" PRIu64
	       "  block %" PRIu64 "  error %" PRIu64 "\n",
	       atomic_load(&d->verdicts), atomic_load(&d->by_outcome[0]),
	       atomic_load(&d->by_outcome[1]), atomic_load(&d->by_outcome[2]),
	       atomic_load(&d->by_outcome[3]));
	printf("dead letters:  %" PRIu64 "\n", atomic_load(&d->dead_letters));
	printf("in-engine latency (worker took event -> producev): n=%" PRIu64
	       " p50 %s  p99 %s  p99.9 %s  max %s\n",
	       s.lat_count, fmt_ns(s.lat_p50_ns, a, sizeof(a)),
	       fmt_ns(s.lat_p99_ns, b, sizeof(b)),
	       fmt_ns(s.lat_p999_ns, c, sizeof(c)),
	       fmt_ns(s.lat_max_ns, m, sizeof(m)));
	printf("end-to-end latency (produce -> verdict read): n=%" PRIu64
	       " p50 %s  p99 %s  p99.9 %s  max %s\n",
	       hist_count(d->e2e),
	       fmt_ns(hist_percentile(d->e2e, 0.5), a, sizeof(a)),
	       fmt_ns(hist_percentile(d->e2e, 0.99), b, sizeof(b)),
	       fmt_ns(hist_percentile(d->e2e, 0.999), c, sizeof(c)),
	       fmt_ns(hist_max(d->e2e), m, sizeof(m)));
	printf("kafka:         %" PRIu64 " commits, %" PRIu64
	       " pauses, %" PRIu64 " rebalances, %" PRIu64
	       " failed deliveries\n",
	       s.commits, s.pauses, s.rebalances, s.delivery_failed);
	printf("sample hits:\n");
	for (int i = 0; i < DEMO_SAMPLES; i++)
		if (d->samples[i][0])
			printf("  %s\n", d->samples[i]);
	printf("result:        %s\n",
	       atomic_load(&d->verdicts) == produced &&
				       atomic_load(&d->dead_letters) ==
					       atomic_load(&d->malformed) ?
		       "OK every event got exactly one verdict" :
		       "MISMATCH");
}

/* ---- run ---- */

static void *engine_thread(void *arg)
{
	demo *d = arg;

	d->engine_rc = engine_run(d->e);
	return NULL;
}

/* Start the load once the group has assigned the engine partitions. */
static void wait_assigned(demo *d)
{
	uint64_t end = now_ns() + 30000000000ull;
	engine_stats_t s;

	do {
		usleep(20000);
		engine_get_stats(d->e, &s);
	} while (s.assigned == 0 && now_ns() < end);
	printf("interdict demo: engine joined group, %" PRIu64
	       " partition(s) assigned; starting load\n", s.assigned);
	fflush(stdout);
	usleep(1000000); /* warm-up: let the fetchers reach the topics */
}

/* Seconds of load with a progress line each; 1 when interrupted. */
static int load_phase(demo *d, const sigset_t *sigs)
{
	struct timespec one = { 1, 0 };
	uint64_t last = 0;

	for (int t = 1; t <= d->duration_s; t++) {
		int sig = sigtimedwait(sigs, NULL, &one);

		if (sig == SIGINT || sig == SIGTERM)
			return 1;
		progress(d, t, &last);
	}
	return 0;
}

static void drain_phase(demo *d)
{
	uint64_t end = now_ns() + 15000000000ull;

	while (now_ns() < end &&
	       atomic_load(&d->verdicts) < atomic_load(&d->produced))
		usleep(10000);
	usleep(200000); /* late dead letters */
}

static int demo_run(demo *d)
{
	pthread_t et, gt, rt;
	sigset_t sigs;
	char err[1024];

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	printf("interdict demo: building lists...\n");
	fflush(stdout);
	d->e = engine_new(d->cfg, d->log, err, sizeof(err));
	if (!d->e) {
		fprintf(stderr, "demo: %s\n", err);
		return 1;
	}
	engine_lists_version(d->e, err, sizeof(err));
	printf("interdict demo: lists %s; %s cluster %s; %d events/s for %d s"
	       "; metrics on http://127.0.0.1:%u/metrics\n",
	       err, d->mock ? "mock" : "real", d->boot, d->rate, d->duration_s,
	       engine_http_port(d->e));
	fflush(stdout);
	pthread_create(&et, NULL, engine_thread, d);
	pthread_create(&rt, NULL, reader, d);
	wait_assigned(d);
	if (!d->mock)
		sleep(2); /* the reader starts at the end of the topics */
	pthread_create(&gt, NULL, generator, d);
	load_phase(d, &sigs);
	atomic_store(&d->gen_stop, 1);
	pthread_join(gt, NULL);
	drain_phase(d);
	engine_stop(d->e);
	pthread_join(et, NULL);
	atomic_store(&d->read_stop, 1);
	pthread_join(rt, NULL);
	summary(d);
	return d->engine_rc == 0 &&
			       atomic_load(&d->verdicts) ==
				       atomic_load(&d->produced) ?
		       0 :
		       1;
}

static void demo_free(demo *d)
{
	char cmd[128];

	engine_free(d->e);
	if (d->mock)
		rd_kafka_mock_cluster_destroy(d->mock);
	if (d->mock_rk)
		rd_kafka_destroy(d->mock_rk);
	for (size_t i = 0; i < d->n_names; i++)
		free(d->names[i]);
	free(d->names);
	free(d->sent_ns);
	hist_free(d->e2e);
	log_free(d->log);
	config_free(d->cfg);
	if (d->journal_dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->journal_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "demo: could not remove %s\n",
				d->journal_dir);
	}
	pthread_mutex_destroy(&d->sample_lock);
}

static int demo_usage(void)
{
	fprintf(stderr, "usage: interdict demo [--duration S] [--rate N] "
			"[-c FILE] [key=value]...\n");
	return 1;
}

int cmd_demo(int argc, char **argv)
{
	demo d;
	const char *path = NULL;
	int i, rc = 1;

	memset(&d, 0, sizeof(d));
	d.duration_s = 20;
	d.rate = 2000;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--duration") && i + 1 < argc)
			d.duration_s = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
			d.rate = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-c") && i + 1 < argc)
			path = argv[++i];
		else
			return demo_usage();
	}
	if (d.duration_s < 1 || d.rate < 1)
		return demo_usage();
	pthread_mutex_init(&d.sample_lock, NULL);
	d.cfg = config_new();
	d.e2e = hist_new();
	d.max_events = (size_t)d.rate * (size_t)(d.duration_s + 2) + 1024;
	d.sent_ns = calloc(d.max_events, sizeof(*d.sent_ns));
	if (!d.cfg || !d.e2e || !d.sent_ns) {
		fprintf(stderr, "demo: out of memory\n");
		goto out;
	}
	load_names(&d);
	if (demo_config(&d, path, argc - i, argv + i) < 0)
		goto out;
	d.log = serve_log_new(d.cfg);
	rc = demo_run(&d);
out:
	demo_free(&d);
	return rc;
}
