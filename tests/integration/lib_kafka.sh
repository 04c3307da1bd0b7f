# lib_kafka.sh - helpers for the fault tests against a real Kafka broker
# (tests/integration/faults.sh).  Sourced, not run.  kafka_interop.sh does
# not use it.
#
#   lk_init NAME LIMIT          counters, temp dir, traps, watchdog, lk.py
#   ok/bad/check/lk_finish      results; lk_finish prints "NAME: N passed, M failed"
#   lk_prereqs                  kcat, python3-confluent-kafka, java/maven
#   lk_broker_start             own broker on free ports (or KAFKA_BOOTSTRAP)
#   lk_broker_stop/lk_broker_up stop / restart the own broker, same data dir
#   lk_topics NAME PARTS ...    create topics
#   lk_engine_start ID ARGS...  `interdict serve` in the background (ID: a name;
#                               FAULTS_ENGINE_ARGS: more key=value for every engine)
#   lk_engine_ready ID [SECS]   wait for /readyz
#   lk_engine_kill9 ID / lk_engine_term ID
#   lk_metric ID REGEX          a metric value from /metrics
#   lkpy SUBCOMMAND ...         the Python helper (gen, produce, read, committed,
#                               wait-committed, count), see LK_PY below
#
# Needs bash 4 (associative arrays).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${INTERDICT_PY:-/usr/bin/python3}
BIN=${INTERDICT_BIN:-$ROOT/bin}/interdict
KAFKA_SH=$ROOT/deploy/kafka/kafka.sh
# A tiny list set: the engine starts in well under a second.
LK_LISTS=${FAULTS_LISTS:-interdict-csv:tests/data/screen/block.csv,chpl-csv:../shared/data/goods/chpl-2024-02-23.csv}

pass=0
fail=0
LK_NAME=lk
TMP=""
WATCHDOG=""
OWN_BROKER=0
BOOT=""
declare -A EPID=() EPORT=()
LK_BG=""

ok() { pass=$((pass + 1)); echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*"; }
note() { echo "# $*"; }
check() { # description command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
lk_ms() { echo $((($(date +%s%N) - LK_T0) / 1000000)); }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

lk_finish() {
	echo "$LK_NAME: $pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
	exit $?
}

lk_cleanup() {
	trap - EXIT
	trap "" INT TERM
	if [ -n "$WATCHDOG" ]; then
		pkill -P "$WATCHDOG" sleep 2>/dev/null
		kill "$WATCHDOG" 2>/dev/null
	fi
	local id p
	for p in $LK_BG; do kill "$p" 2>/dev/null; done
	for id in "${!EPID[@]}"; do
		p=${EPID[$id]}
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
	if [ "$OWN_BROKER" = 1 ]; then
		KAFKA_STOP_TIMEOUT=15 "$KAFKA_SH" stop >/dev/null 2>&1
	fi
	if [ -n "${FAULTS_KEEP:-}" ]; then
		echo "# kept $TMP"
	else
		rm -rf "$TMP"
	fi
}

lk_init() { # NAME LIMIT-SECONDS
	LK_NAME=$1
	LK_LIMIT=$2
	LK_T0=$(date +%s%N)
	cd "$ROOT" || exit 1
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/$LK_NAME.XXXXXX")
	trap lk_cleanup EXIT
	trap 'echo "$LK_NAME: interrupted or over the ${LK_LIMIT}s limit"; bad "finished in time"; echo "$LK_NAME: $pass passed, $fail failed"; lk_cleanup; exit 1' INT TERM
	(sleep "$LK_LIMIT" && kill -TERM $$ 2>/dev/null) >/dev/null 2>&1 &
	WATCHDOG=$!
	printf '%s' "$LK_PY" >"$TMP/lk.py"
}

lk_prereqs() {
	local missing=""
	command -v kcat >/dev/null || missing="$missing kcat"
	command -v curl >/dev/null || missing="$missing curl"
	"$PY" -c 'import confluent_kafka' 2>/dev/null || missing="$missing python3-confluent-kafka($PY)"
	[ -x "$BIN" ] || missing="$missing $BIN(make)"
	if [ -z "${KAFKA_BOOTSTRAP:-}" ]; then
		command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || missing="$missing java"
		[ -f "${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/interdict-kafka/${KAFKA_VERSION:-3.9.2}}/libs/.complete" ] ||
			command -v mvn >/dev/null || missing="$missing maven"
	fi
	if [ -n "$missing" ]; then
		bad "prerequisites missing:$missing (sh deploy/install-deps.sh --bench; apt-get install kcat python3-confluent-kafka)"
		lk_finish
	fi
}

free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

lkpy() { "$PY" "$TMP/lk.py" "$@"; }

# ---- broker ----------------------------------------------------------------
lk_broker_start() {
	if [ -n "${KAFKA_BOOTSTRAP:-}" ]; then
		BOOT=$KAFKA_BOOTSTRAP
		note "reusing broker at $BOOT"
		return 0
	fi
	export KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_DIR=$TMP/kafka
	KAFKA_PORT=$(free_port)
	KAFKA_CONTROLLER_PORT=$(free_port)
	while [ "$KAFKA_CONTROLLER_PORT" = "$KAFKA_PORT" ]; do KAFKA_CONTROLLER_PORT=$(free_port); done
	BOOT=127.0.0.1:$KAFKA_PORT
	local t0
	t0=$(now_ms)
	OWN_BROKER=1
	if KAFKA_FRESH=1 "$KAFKA_SH" start; then
		ok "broker started on $BOOT in $(($(now_ms) - t0)) ms"
	else
		bad "broker start"
		lk_finish
	fi
}
lk_broker_stop() { KAFKA_STOP_TIMEOUT=${1:-30} "$KAFKA_SH" stop; }
lk_broker_up() { KAFKA_FRESH=0 "$KAFKA_SH" start; }

lk_topics() { # name partitions ...
	if [ "$OWN_BROKER" = 1 ]; then
		"$KAFKA_SH" topic "$@" 2>&1 | sed 's/^/# /'
		return "${PIPESTATUS[0]}"
	fi
	lkpy create-topics "$BOOT" "$@"
}

# ---- engine ----------------------------------------------------------------
# lk_engine_start ID key=value...: deploy/interdict.properties with the tiny
# list set, this broker, a fresh free HTTP port; log appended to $TMP/ID.log.
lk_engine_start() {
	local id=$1
	shift
	local port
	port=$(free_port)
	EPORT[$id]=$port
	echo "--- start $(date +%T.%N) ---" >>"$TMP/$id.log"
	"$BIN" serve -c deploy/interdict.properties lists="$LK_LISTS" \
		kafka.bootstrap.servers="$BOOT" http.listen=127.0.0.1:"$port" \
		log.level=info reload.watch=false workers=2 "$@" ${FAULTS_ENGINE_ARGS:-} \
		>>"$TMP/$id.log" 2>&1 &
	EPID[$id]=$!
}

lk_engine_ready() { # ID [seconds]
	local id=$1 n=$((${2:-30} * 10)) i
	for ((i = 0; i < n; i++)); do
		kill -0 "${EPID[$id]}" 2>/dev/null || return 1
		curl -sf "http://127.0.0.1:${EPORT[$id]}/readyz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

lk_engine_alive() { [ -n "${EPID[$1]:-}" ] && kill -0 "${EPID[$1]}" 2>/dev/null; }

lk_engine_kill9() {
	local p=${EPID[$1]:-}
	[ -n "$p" ] || return 0
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	EPID[$1]=""
}

# SIGTERM, wait up to $2 seconds (30); returns the exit status (124: timeout).
lk_engine_term() {
	local p=${EPID[$1]:-} i rc=124
	[ -n "$p" ] || return 125
	kill -TERM "$p" 2>/dev/null
	for ((i = 0; i < ${2:-30} * 10; i++)); do
		if ! kill -0 "$p" 2>/dev/null; then
			wait "$p"
			rc=$?
			break
		fi
		sleep 0.1
	done
	[ "$rc" = 124 ] && kill -KILL "$p" 2>/dev/null
	EPID[$1]=""
	return "$rc"
}

lk_metrics() { curl -sf "http://127.0.0.1:${EPORT[$1]}/metrics" 2>/dev/null; }
lk_metric() { # ID 'name{labels}' (exact series name) -> value or empty
	lk_metrics "$1" | awk -v n="$2" '$1 == n { print $2; exit }'
}

lk_tail() { # ID [N]: an engine's log, indented
	tail -n "${2:-15}" "$TMP/$1.log" | sed 's/^/#   /'
}

# ---- the Python helper -----------------------------------------------------
LK_PY=$(
	cat <<'PY'
import json, os, random, sys, time
from confluent_kafka import Consumer, Producer, TopicPartition

def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)

NAMES = ["Maria Schneider", "Hans Mueller", "Acme GmbH", "Nord Logistics LLC",
         "Blue Sea Trading FZE", "Volga Precision Machining LLC", "Ivan Petrov"]

def event(key, i, creditor=None):
    return {"id": key, "type": "payment",
            "timestamp": "2026-11-27T10:%02d:%02d.%06dZ" % (i // 60 % 60, i % 60, i % 1000000),
            "amount": {"value": "%d.00" % (100 + i), "currency": "EUR"},
            "parties": [{"role": "debtor", "type": "person", "name": NAMES[i % 2], "country": "DE"},
                        {"role": "creditor", "type": "unknown",
                         "name": creditor or NAMES[i % len(NAMES)], "country": "AT"}],
            "remittance": "invoice %d" % i}

def cmd_gen(prefix, n, out, creditor=""):
    """key<TAB>event lines, keys PREFIX-NNNNNN, id = key."""
    with open(out, "w") as f:
        for i in range(int(n)):
            k = "%s-%06d" % (prefix, i)
            f.write(k + "\t" + json.dumps(event(k, i, creditor or None)) + "\n")

def read_kv(path):
    with open(path, "rb") as f:
        for line in f:
            k, v = line.rstrip(b"\n").split(b"\t", 1)
            yield k, v

def cmd_produce(boot, topic, path, rate="0"):
    """Idempotent producer; RATE events/s (0: as fast as possible); waits up
    to 180 s for delivery (the broker may be down for a while)."""
    rate = float(rate)
    p = Producer({"bootstrap.servers": boot, "enable.idempotence": True,
                  "linger.ms": 5, "message.timeout.ms": 180000})
    errs = []
    def dr(err, msg):
        if err: errs.append(str(err))
    t0, n = time.time(), 0
    for k, v in read_kv(path):
        while True:
            try:
                p.produce(topic, key=k, value=v, on_delivery=dr)
                break
            except BufferError:
                p.poll(0.05)
        n += 1
        if rate and n % 100 == 0:
            ahead = n / rate - (time.time() - t0)
            if ahead > 0: time.sleep(ahead)
        p.poll(0)
    left = p.flush(180)
    print("produced %d to %s in %.1fs (%d errors, %d undelivered)" %
          (n, topic, time.time() - t0, len(errs), left), file=sys.stderr)
    if errs or left:
        print("first errors: %s" % errs[:3], file=sys.stderr)
        sys.exit(1)

def cmd_produce_raw(boot, topic, path):
    """JSON lines {"k": key, "v_hex": hex or null}: exact bytes, null values."""
    p = Producer({"bootstrap.servers": boot, "enable.idempotence": True,
                  "message.max.bytes": 4000000})
    errs = []
    def dr(err, msg):
        if err: errs.append(str(err))
    n = 0
    for line in open(path):
        r = json.loads(line)
        v = None if r["v_hex"] is None else bytes.fromhex(r["v_hex"])
        p.produce(topic, key=r["k"].encode(), value=v, on_delivery=dr)
        n += 1
        p.poll(0)
    left = p.flush(60)
    if errs or left:
        die("produce-raw: %d errors %s, %d undelivered" % (len(errs), errs[:3], left))

def watermarks(c, topic):
    md = c.list_topics(topic, timeout=20)
    if topic not in md.topics or md.topics[topic].error:
        die("no topic %s" % topic)
    parts = sorted(md.topics[topic].partitions)
    return {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=20) for p in parts}

def cmd_read(boot, topic, out, isolation="read_committed", timeout="60"):
    """Everything in TOPIC from the beginning up to its end, as JSON lines
    {"k","p","o","h":{..},"v"} (v: text, or v_hex when not UTF-8)."""
    c = Consumer({"bootstrap.servers": boot, "group.id": "faults-reader",
                  "enable.auto.commit": False, "isolation.level": isolation,
                  "enable.partition.eof": True, "fetch.max.bytes": 52428800})
    wm = watermarks(c, topic)
    c.assign([TopicPartition(topic, p, 0) for p in wm])
    eof, n, t0 = set(), 0, time.time()
    with open(out, "w") as f:
        while time.time() - t0 < float(timeout):
            msgs = c.consume(1000, 0.5)
            for m in msgs:
                if m.error():
                    if m.error().code() == -191:  # _PARTITION_EOF
                        eof.add(m.partition())
                    continue
                r = {"k": (m.key() or b"").decode("utf-8", "replace"), "p": m.partition(),
                     "o": m.offset(),
                     "h": {hk: (hv or b"").decode("utf-8", "replace") for hk, hv in (m.headers() or [])}}
                v = m.value()
                if v is None:
                    r["v"] = None
                else:
                    try: r["v"] = v.decode("utf-8")
                    except UnicodeDecodeError: r["v_hex"] = v.hex()
                f.write(json.dumps(r) + "\n")
                n += 1
            if not msgs and len(eof) == len(wm):
                # every partition reached its end (read_committed: its LSO)
                pos = c.position([TopicPartition(topic, p) for p in wm])
                hw = watermarks(c, topic)
                # (an empty partition has no position: its low = high mark)
                if all(tp.offset >= hw[tp.partition][1] or
                       (tp.offset < 0 and hw[tp.partition][0] >= hw[tp.partition][1])
                       for tp in pos):
                    break
    c.close()
    print("read %d records from %s (%s) in %.1fs" % (n, topic, isolation, time.time() - t0), file=sys.stderr)

def committed(boot, group, topic):
    c = Consumer({"bootstrap.servers": boot, "group.id": group, "enable.auto.commit": False})
    wm = watermarks(c, topic)
    com = c.committed([TopicPartition(topic, p) for p in wm], timeout=20)
    c.close()
    return {tp.partition: (max(tp.offset, 0), wm[tp.partition][1]) for tp in com}

def cmd_committed(boot, group, topic):
    """partition committed high-watermark lines"""
    for p, (co, hw) in sorted(committed(boot, group, topic).items()):
        print(p, co, hw)

def cmd_wait_committed(boot, group, topic, timeout="90", want=""):
    """Until the group committed every partition's high watermark (and the
    topic holds WANT messages, when given)."""
    t0 = time.time()
    while True:
        cm = committed(boot, group, topic)
        co = sum(v[0] for v in cm.values())
        hw = sum(v[1] for v in cm.values())
        if co >= hw and (not want or hw >= int(want)):
            print("%d/%d committed after %.1fs" % (co, hw, time.time() - t0))
            return
        if time.time() - t0 > float(timeout):
            print("%d/%d committed after %.1fs (timeout)" % (co, hw, time.time() - t0))
            sys.exit(1)
        time.sleep(0.5)

def load_read(path):
    return [json.loads(l) for l in open(path)]

def cmd_count(events, verdicts, mode):
    """Join verdicts (a `read` dump) with the produced keys.  MODE alo: every
    key >= 1 verdict; eos: exactly one.  Prints a summary and a last line
    'RESULT ok|fail'."""
    keys = [k.decode() for k, _ in read_kv(events)]
    kset = set(keys)
    per = {}
    bad_json = 0
    for r in load_read(verdicts):
        per[r["k"]] = per.get(r["k"], 0) + 1
        try:
            v = json.loads(r.get("v") or "")
            if v.get("id") != r["k"]: bad_json += 1
        except ValueError:
            bad_json += 1
    missing = [k for k in keys if k not in per]
    dup = sorted(k for k, n in per.items() if n > 1 and k in kset)
    extra_copies = sum(per[k] - 1 for k in dup)
    unknown = [k for k in per if k not in kset]
    total = sum(per.values())
    print("events %d, verdicts %d, missing %d, duplicated %d keys (%d extra verdicts), unknown %d, id!=key %d"
          % (len(keys), total, len(missing), len(dup), extra_copies, len(unknown), bad_json))
    if missing: print("missing e.g. %s" % ", ".join(missing[:8]))
    if dup: print("duplicated e.g. %s" % ", ".join("%s x%d" % (k, per[k]) for k in dup[:8]))
    okk = not missing and not unknown and not bad_json and (mode == "alo" or not dup)
    print("RESULT %s %d %d %d" % ("ok" if okk else "fail", len(missing), len(dup), extra_copies))

def cmd_create_topics(boot, *args):
    from confluent_kafka.admin import AdminClient, NewTopic
    a = AdminClient({"bootstrap.servers": boot})
    fs = a.create_topics([NewTopic(args[i], int(args[i + 1]), 1) for i in range(0, len(args), 2)])
    for f in fs.values():
        f.result(30)

if __name__ == "__main__":
    cmd = sys.argv[1].replace("-", "_")
    globals()["cmd_" + cmd](*sys.argv[2:])
PY
)
