#!/usr/bin/env bash
# kafka.sh - a real, single-node Apache Kafka (KRaft, broker+controller in
# one JVM) on 127.0.0.1, run from its Maven Central jars.  For integration
# tests and local runs; see deploy/kafka/README.md.
#
#   deploy/kafka/kafka.sh start            fetch jars once, format, start, wait
#   deploy/kafka/kafka.sh stop             SIGTERM, SIGKILL after a timeout
#   deploy/kafka/kafka.sh status           exit 0 when running
#   deploy/kafka/kafka.sh logs [-f] [N]    the broker's log
#   deploy/kafka/kafka.sh topic NAME PARTITIONS [NAME PARTITIONS]...
#   deploy/kafka/kafka.sh topics           list topics
#   deploy/kafka/kafka.sh bootstrap        print host:port
#   deploy/kafka/kafka.sh fetch            only download the jars
#   deploy/kafka/kafka.sh reset            stop and delete the data dir
#
# Environment (defaults in brackets):
#   KAFKA_VERSION          [3.9.2]   Apache Kafka release (pom.xml property)
#   KAFKA_HOST             [127.0.0.1]
#   KAFKA_PORT             [19092]   client (PLAINTEXT) listener
#   KAFKA_CONTROLLER_PORT  [19093]   KRaft controller listener
#   KAFKA_DIR              [${TMPDIR:-/tmp}/interdict-kafka-$KAFKA_PORT]
#                                    state: server.properties, data/, server.log, pid
#   KAFKA_CACHE            [${XDG_CACHE_HOME:-~/.cache}/interdict-kafka/$KAFKA_VERSION]
#                                    jars in $KAFKA_CACHE/libs, fetched once
#   KAFKA_HEAP_OPTS        [-Xms256m -Xmx512m]
#   KAFKA_AUTO_CREATE      [false]   auto.create.topics.enable
#   KAFKA_FRESH            [0]       1: wipe the data dir before starting
#   KAFKA_START_TIMEOUT    [90]      seconds to wait for readiness
#   KAFKA_STOP_TIMEOUT     [30]      seconds before SIGKILL
#   KAFKA_EXTRA_PROPS      []        extra server.properties lines (newline-separated)
#   JAVA_HOME / JAVA       [java on PATH]
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KAFKA_VERSION=${KAFKA_VERSION:-3.9.2}
KAFKA_HOST=${KAFKA_HOST:-127.0.0.1}
KAFKA_PORT=${KAFKA_PORT:-19092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
KAFKA_DIR=${KAFKA_DIR:-${TMPDIR:-/tmp}/interdict-kafka-$KAFKA_PORT}
KAFKA_CACHE=${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/interdict-kafka/$KAFKA_VERSION}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}
KAFKA_AUTO_CREATE=${KAFKA_AUTO_CREATE:-false}
KAFKA_FRESH=${KAFKA_FRESH:-0}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
KAFKA_STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
KAFKA_EXTRA_PROPS=${KAFKA_EXTRA_PROPS:-}
if [ -n "${JAVA:-}" ]; then :
elif [ -n "${JAVA_HOME:-}" ]; then JAVA=$JAVA_HOME/bin/java
else JAVA=java; fi

LIBS=$KAFKA_CACHE/libs
PIDFILE=$KAFKA_DIR/kafka.pid
LOG=$KAFKA_DIR/server.log
PROPS=$KAFKA_DIR/server.properties
BOOTSTRAP=$KAFKA_HOST:$KAFKA_PORT

say() { echo "kafka.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# ---- jars ---------------------------------------------------------------

# The cache is keyed by version and by pom.xml's content: editing the pom
# (another dependency) fetches again.
stamp() { echo "$KAFKA_VERSION $(cksum <"$HERE/pom.xml")"; }

fetch() {
	[ -f "$LIBS/.complete" ] && [ "$(cat "$LIBS/.complete")" = "$(stamp)" ] && return 0
	command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
	command -v "$JAVA" >/dev/null || die "java not found (apt-get install openjdk-17-jre-headless)"
	say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (once)"
	mkdir -p "$KAFKA_CACHE"
	local tmp
	tmp=$(mktemp -d "$KAFKA_CACHE/libs.tmp.XXXXXX")
	if ! mvn -q -B -f "$HERE/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
		dependency:copy-dependencies -DincludeScope=runtime \
		-DoutputDirectory="$tmp" >"$tmp.mvn.log" 2>&1; then
		cat "$tmp.mvn.log" >&2
		rm -rf "$tmp" "$tmp.mvn.log"
		die "maven could not fetch the Kafka $KAFKA_VERSION jars"
	fi
	rm -f "$tmp.mvn.log"
	ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 ||
		die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
	stamp >"$tmp/.complete"
	rm -rf "$LIBS"
	mv "$tmp" "$LIBS"
}

# A short-lived tool JVM: C1 only and a small heap start faster.
run_tool() {
	"$JAVA" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
		-Dlog4j.configuration="file:$KAFKA_DIR/tools-log4j.properties" \
		-cp "$LIBS/*" "$@"
}

# ---- state --------------------------------------------------------------

pid() {
	[ -f "$PIDFILE" ] || return 1
	local p
	p=$(cat "$PIDFILE" 2>/dev/null) || return 1
	[ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 1
	echo "$p"
}

port_open() { # host port
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

write_config() {
	mkdir -p "$KAFKA_DIR/data"
	cat >"$PROPS" <<EOF
# Written by deploy/kafka/kafka.sh - single node KRaft for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
# Tests create their topics explicitly; a typo must fail, not create a topic.
auto.create.topics.enable=$KAFKA_AUTO_CREATE
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
delete.topic.enable=true
$KAFKA_EXTRA_PROPS
EOF
	cat >"$KAFKA_DIR/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
EOF
	cat >"$KAFKA_DIR/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

format_storage() {
	[ -f "$KAFKA_DIR/data/meta.properties" ] && return 0
	# A cluster id is a base64url UUID without padding (22 characters).
	local id
	id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
	run_tool kafka.tools.StorageTool format -t "$id" -c "$PROPS" \
		--ignore-formatted >"$KAFKA_DIR/format.log" 2>&1 || {
		cat "$KAFKA_DIR/format.log" >&2
		die "storage format failed"
	}
}

# ---- commands -----------------------------------------------------------

cmd_start() {
	local p t0
	t0=$(date +%s%N)
	if p=$(pid); then
		say "already running (pid $p) on $BOOTSTRAP"
		return 0
	fi
	fetch
	port_open "$KAFKA_HOST" "$KAFKA_PORT" &&
		die "$BOOTSTRAP is already in use by another process (set KAFKA_PORT)"
	port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT" &&
		die "$KAFKA_HOST:$KAFKA_CONTROLLER_PORT is already in use (set KAFKA_CONTROLLER_PORT)"
	[ "$KAFKA_FRESH" = 1 ] && rm -rf "$KAFKA_DIR/data"
	write_config
	format_storage
	: >"$LOG"
	# setsid: the broker outlives the calling shell's job control; `stop`
	# (or the caller's trap) ends it by pid.
	# shellcheck disable=SC2086
	setsid "$JAVA" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC \
		-XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
		-XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
		-Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
		-Dkafka.logs.dir="$KAFKA_DIR" \
		-cp "$LIBS/*" kafka.Kafka "$PROPS" >>"$LOG" 2>&1 </dev/null &
	p=$!
	echo "$p" >"$PIDFILE"
	local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
	while :; do
		if ! kill -0 "$p" 2>/dev/null; then
			tail -n 40 "$LOG" >&2
			rm -f "$PIDFILE"
			die "broker exited during start (log: $LOG)"
		fi
		if grep -q "Kafka Server started" "$LOG" &&
			port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
			break
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			tail -n 40 "$LOG" >&2
			cmd_stop || true
			die "broker not ready after ${KAFKA_START_TIMEOUT}s (log: $LOG)"
		fi
		sleep 0.2
	done
	say "Apache Kafka $KAFKA_VERSION ready on $BOOTSTRAP (pid $p, $(((($(date +%s%N) - t0) / 1000000)))ms, dir $KAFKA_DIR)"
}

cmd_stop() {
	local p i
	if ! p=$(pid); then
		rm -f "$PIDFILE"
		say "not running"
		return 0
	fi
	kill -TERM "$p" 2>/dev/null || true
	for ((i = 0; i < KAFKA_STOP_TIMEOUT * 10; i++)); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$p" 2>/dev/null; then
		say "still running after ${KAFKA_STOP_TIMEOUT}s, SIGKILL"
		kill -KILL "$p" 2>/dev/null || true
		sleep 0.2
	fi
	rm -f "$PIDFILE"
	say "stopped (pid $p)"
}

cmd_status() {
	local p
	if p=$(pid); then
		echo "running pid=$p bootstrap=$BOOTSTRAP version=$KAFKA_VERSION dir=$KAFKA_DIR"
		return 0
	fi
	echo "stopped bootstrap=$BOOTSTRAP dir=$KAFKA_DIR"
	return 3
}

cmd_logs() {
	[ -f "$LOG" ] || die "no log at $LOG"
	if [ "${1:-}" = "-f" ]; then
		exec tail -n "${2:-100}" -F "$LOG"
	fi
	tail -n "${1:-100}" "$LOG"
}

cmd_topic() {
	[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] ||
		die "usage: kafka.sh topic NAME PARTITIONS [NAME PARTITIONS]..."
	pid >/dev/null || die "not running (kafka.sh start)"
	fetch
	while [ $# -ge 2 ]; do
		run_tool org.apache.kafka.tools.TopicCommand \
			--bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
			--topic "$1" --partitions "$2" --replication-factor 1 >/dev/null ||
			die "could not create topic $1"
		say "topic $1 ($2 partitions)"
		shift 2
	done
}

cmd_topics() {
	pid >/dev/null || die "not running (kafka.sh start)"
	run_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" --list
}

cmd_reset() {
	cmd_stop
	rm -rf "$KAFKA_DIR"
	say "removed $KAFKA_DIR"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
restart) cmd_stop; cmd_start ;;
status) cmd_status ;;
logs) shift; cmd_logs "$@" ;;
topic) shift; cmd_topic "$@" ;;
topics) cmd_topics ;;
bootstrap) echo "$BOOTSTRAP" ;;
fetch) fetch; say "jars in $LIBS" ;;
reset) cmd_reset ;;
*)
	sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
