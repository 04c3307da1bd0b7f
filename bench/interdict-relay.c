/*
 * interdict-relay.c - the baseline for end-to-end benchmarks: consume
 * the input topic and produce every message unchanged (same key) to
 * the verdict topic, with no parsing and no screening.
 *
 * Design: the point is to measure what Kafka alone costs on this
 * machine, so the relay uses the librdkafka settings the engine uses
 * (engine/kafka_conf.c: producer linger.ms=0, idempotence on; consumer
 * fetch.wait.max.ms=5, fetch.min.bytes=1, manual offset store and
 * commit, cooperative-sticky, read_committed) and commits like the
 * engine's default (every 100 ms).  One thread: poll, produce a copy,
 * store the offset; the engine's extra work over this loop is parsing,
 * screening, encoding, the journal and its worker hand-offs.  Message
 * values keep their "id" first field, so interdict-loadgen joins the
 * relayed events to what it sent exactly as it joins verdicts.
 *
 * usage: interdict-relay --brokers H:P [--in T] [--out T] [--group G]
 *                        [-X key=value]...
 * Runs until SIGINT/SIGTERM (the only global is that flag).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#define MAX_PROPS 32
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static volatile sig_atomic_t stop;

typedef struct relay_opts {
	const char *brokers, *in, *out, *group;
	const char *props[MAX_PROPS];
	int n_props;
} relay_opts;

static const char *const both_defaults[][2] = {
	{ "socket.nagle.disable", "true" },
	{ "client.id", "interdict-relay" },
	{ "log_level", "3" },
};
static const char *const producer_defaults[][2] = {
	{ "linger.ms", "0" },
	{ "enable.idempotence", "true" },
	{ "message.max.bytes", "2097152" },
};
static const char *const consumer_defaults[][2] = {
	{ "fetch.wait.max.ms", "5" },
	{ "fetch.min.bytes", "1" },
	{ "enable.auto.commit", "false" },
	{ "enable.auto.offset.store", "false" },
	{ "partition.assignment.strategy", "cooperative-sticky" },
	{ "isolation.level", "read_committed" },
	{ "auto.offset.reset", "earliest" },
};

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int set(rd_kafka_conf_t *c, const char *k, const char *v)
{
	char err[256];

	if (rd_kafka_conf_set(c, k, v, err, sizeof(err)) == RD_KAFKA_CONF_OK)
		return 0;
	fprintf(stderr, "interdict-relay: %s=%s: %s\n", k, v, err);
	return -EINVAL;
}

static int set_table(rd_kafka_conf_t *c, const char *const (*t)[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set(c, t[i][0], t[i][1]))
			return -EINVAL;
	return 0;
}

static int set_props(rd_kafka_conf_t *c, const relay_opts *o)
{
	char kv[512], *eq;

	for (int i = 0; i < o->n_props; i++) {
		snprintf(kv, sizeof(kv), "%s", o->props[i]);
		eq = strchr(kv, '=');
		if (!eq) {
			fprintf(stderr, "interdict-relay: -X %s: want key=value\n", kv);
			return -EINVAL;
		}
		*eq = '\0';
		if (set(c, kv, eq + 1))
			return -EINVAL;
	}
	return 0;
}

static rd_kafka_t *client(const relay_opts *o, rd_kafka_type_t type)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char err[512];
	int rc = set(c, "bootstrap.servers", o->brokers);

	rc = rc ? rc : set_table(c, both_defaults, N_OF(both_defaults));
	if (type == RD_KAFKA_PRODUCER)
		rc = rc ? rc : set_table(c, producer_defaults, N_OF(producer_defaults));
	else
		rc = rc ? rc : set_table(c, consumer_defaults, N_OF(consumer_defaults));
	if (type == RD_KAFKA_CONSUMER)
		rc = rc ? rc : set(c, "group.id", o->group);
	rc = rc ? rc : set_props(c, o);
	if (rc) {
		rd_kafka_conf_destroy(c);
		return NULL;
	}
	rd_kafka_t *rk = rd_kafka_new(type, c, err, sizeof(err));

	if (!rk)
		fprintf(stderr, "interdict-relay: %s\n", err);
	return rk;
}

static int forward(rd_kafka_t *p, const char *topic,
		   const rd_kafka_message_t *m)
{
	rd_kafka_resp_err_t err;

	for (;;) {
		err = rd_kafka_producev(p, RD_KAFKA_V_TOPIC(topic),
					RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
					RD_KAFKA_V_KEY(m->key, m->key_len),
					RD_KAFKA_V_VALUE(m->payload, m->len),
					RD_KAFKA_V_END);
		if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || stop)
			break;
		rd_kafka_poll(p, 1);
	}
	return err ? -EIO : 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int relay(const relay_opts *o, rd_kafka_t *c, rd_kafka_t *p)
{
	rd_kafka_topic_partition_list_t *topics =
		rd_kafka_topic_partition_list_new(1);
	uint64_t last_commit = now_ms(), n = 0, failed = 0;
	rd_kafka_resp_err_t err;

	rd_kafka_topic_partition_list_add(topics, o->in, RD_KAFKA_PARTITION_UA);
	err = rd_kafka_subscribe(c, topics);
	rd_kafka_topic_partition_list_destroy(topics);
	if (err) {
		fprintf(stderr, "interdict-relay: subscribe %s: %s\n", o->in,
			rd_kafka_err2str(err));
		return -EIO;
	}
	while (!stop) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 50);

		if (m && !m->err) {
			if (forward(p, o->out, m) < 0)
				failed++;
			rd_kafka_offset_store(m->rkt, m->partition, m->offset + 1);
			n++;
		}
		if (m)
			rd_kafka_message_destroy(m);
		rd_kafka_poll(p, 0);
		if (now_ms() - last_commit >= 100) {
			rd_kafka_commit(c, NULL, 1);
			last_commit = now_ms();
		}
	}
	rd_kafka_flush(p, 10000);
	rd_kafka_commit(c, NULL, 0);
	fprintf(stderr, "interdict-relay: %llu messages relayed, %llu failed\n",
		(unsigned long long)n, (unsigned long long)failed);
	return 0;
}

static int parse(relay_opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "brokers", 1, 0, 'b' }, { "in", 1, 0, 'i' },
		{ "out", 1, 0, 'o' }, { "group", 1, 0, 'g' }, { 0, 0, 0, 0 },
	};
	int c;

	o->in = "transactions";
	o->out = "verdicts";
	o->group = "interdict-relay";
	while ((c = getopt_long(argc, argv, "b:i:o:g:X:", lo, NULL)) != -1) {
		if (c == 'b') o->brokers = optarg;
		else if (c == 'i') o->in = optarg;
		else if (c == 'o') o->out = optarg;
		else if (c == 'g') o->group = optarg;
		else if (c == 'X' && o->n_props < MAX_PROPS)
			o->props[o->n_props++] = optarg;
		else
			return -EINVAL;
	}
	return o->brokers ? 0 : -EINVAL;
}

int main(int argc, char **argv)
{
	relay_opts o = { 0 };
	rd_kafka_t *c = NULL, *p = NULL;
	int rc = 1;

	if (parse(&o, argc, argv) < 0) {
		fprintf(stderr, "usage: interdict-relay --brokers H:P [--in T] "
			"[--out T] [--group G] [-X key=value]...\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	c = client(&o, RD_KAFKA_CONSUMER);
	p = client(&o, RD_KAFKA_PRODUCER);
	if (c && p) {
		rd_kafka_poll_set_consumer(c);
		rc = relay(&o, c, p) < 0;
		rd_kafka_consumer_close(c);
	}
	if (p)
		rd_kafka_destroy(p);
	if (c)
		rd_kafka_destroy(c);
	return rc;
}
