#!/bin/sh
# heavy: runs in the plain build only (see tests/run-integration.sh)
# kafka_interop.sh - interdict against a real Apache Kafka broker.
#
# 1. Starts a single-node KRaft broker with deploy/kafka/kafka.sh on free
#    loopback ports in a temporary dir (or reuses the one named by
#    KAFKA_BOOTSTRAP), creates its topics (unique names per run).
# 2. Broker + clients: 1000 messages produced with kcat and 1000 with
#    Python confluent_kafka; both clients read all 2000 back.
# 3. Engine (when `bin/interdict serve` exists): `interdict serve -c
#    deploy/interdict.properties` pointed at the broker; 1000 events
#    produced with kcat and 1000 with confluent_kafka (each set holds
#    tests/data/events-sample.jsonl, 5 of them bad events); the verdict
#    topic is read with both clients and joined by message key: every
#    event has exactly one verdict, with the SPEC's headers; the sample
#    events' verdicts equal `interdict screen`'s; every error verdict
#    has a dead letter; /healthz, /readyz and /metrics answer; SIGTERM
#    stops the engine with status 0.
# Stops everything it started on exit.  Bounded: KAFKA_INTEROP_LIMIT
# seconds (default 170).  Prints "kafka_interop: N passed, M failed".
#
# Needs: java 17, mvn (first run fetches the Kafka jars), kcat, and
# Debian's python3-confluent-kafka (/usr/bin/python3; INTERDICT_PY).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
PY=${INTERDICT_PY:-/usr/bin/python3}
LIMIT=${KAFKA_INTEROP_LIMIT:-170}
N=${KAFKA_INTEROP_EVENTS:-1000}
BIN=${INTERDICT_BIN:-$ROOT/bin}/interdict
KAFKA_SH=$ROOT/deploy/kafka/kafka.sh

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   - $*"; }
bad() { fail=$((fail + 1)); echo "FAIL - $*"; }
check() { # description command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
finish() {
	echo "kafka_interop: $pass passed, $fail failed"
	[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
	exit $?
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kafka_interop.XXXXXX")
ENGINE_PID=""
OWN_BROKER=0
WATCHDOG=""
cleanup() {
	trap - EXIT
	trap "" INT TERM
	if [ -n "$WATCHDOG" ]; then pkill -P "$WATCHDOG" sleep 2>/dev/null; kill "$WATCHDOG" 2>/dev/null; fi
	if [ -n "$ENGINE_PID" ] && kill -0 "$ENGINE_PID" 2>/dev/null; then
		kill -TERM "$ENGINE_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$ENGINE_PID" 2>/dev/null
	fi
	if [ "$OWN_BROKER" = 1 ]; then
		KAFKA_STOP_TIMEOUT=15 "$KAFKA_SH" stop >/dev/null 2>&1
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "kafka_interop: interrupted or over the ${LIMIT}s limit"; bad "finished in time"; cleanup; echo "kafka_interop: $pass passed, $fail failed"; exit 1' INT TERM
(sleep "$LIMIT" && kill -TERM $$ 2>/dev/null) >/dev/null 2>&1 &
WATCHDOG=$!

# ---- prerequisites ---------------------------------------------------------
missing=""
command -v kcat >/dev/null || missing="$missing kcat"
"$PY" -c 'import confluent_kafka' 2>/dev/null || missing="$missing python3-confluent-kafka($PY)"
if [ -z "${KAFKA_BOOTSTRAP:-}" ]; then
	command -v java >/dev/null || [ -n "${JAVA_HOME:-}" ] || missing="$missing java"
	[ -f "${KAFKA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/interdict-kafka/${KAFKA_VERSION:-3.9.2}}/libs/.complete" ] ||
		command -v mvn >/dev/null || missing="$missing maven"
fi
if [ -n "$missing" ]; then
	bad "prerequisites missing:$missing (sh deploy/install-deps.sh --bench; apt-get install kcat python3-confluent-kafka)"
	finish
fi

# ---- broker ----------------------------------------------------------------
free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
if [ -n "${KAFKA_BOOTSTRAP:-}" ]; then
	BOOT=$KAFKA_BOOTSTRAP
	echo "# reusing broker at $BOOT"
else
	export KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_DIR=$TMP/kafka KAFKA_FRESH=1
	KAFKA_PORT=$(free_port)
	KAFKA_CONTROLLER_PORT=$(free_port)
	while [ "$KAFKA_CONTROLLER_PORT" = "$KAFKA_PORT" ]; do KAFKA_CONTROLLER_PORT=$(free_port); done
	BOOT=127.0.0.1:$KAFKA_PORT
	t0=$(date +%s%N)
	OWN_BROKER=1
	if "$KAFKA_SH" start; then
		ok "broker started on $BOOT in $((($(date +%s%N) - t0) / 1000000)) ms"
	else
		bad "broker start"
		finish
	fi
fi

RUN=$$-$(date +%s)
T_RAW=interop-raw-$RUN
T_IN=interop-in-$RUN
T_OUT=interop-out-$RUN
T_DLQ=interop-dlq-$RUN
GROUP=interdict-interop-$RUN

# Topic creation through the Kafka tools when we own the broker, else through
# the Python admin client (KAFKA_BOOTSTRAP may be any broker).
create_topics() { # name partitions ...
	if [ "$OWN_BROKER" = 1 ]; then
		"$KAFKA_SH" topic "$@" 2>&1 | sed 's/^/# /'
		return "${PIPESTATUS[0]}"
	fi
	"$PY" - "$BOOT" "$@" <<'PY'
import sys
from confluent_kafka.admin import AdminClient, NewTopic
a = AdminClient({"bootstrap.servers": sys.argv[1]})
args = sys.argv[2:]
fs = a.create_topics([NewTopic(args[i], int(args[i + 1]), 1) for i in range(0, len(args), 2)])
for f in fs.values():
    f.result(30)
PY
}
check "topics created" create_topics "$T_RAW" 3 "$T_IN" 4 "$T_OUT" 4 "$T_DLQ" 1

# ---- broker + clients ----------------------------------------------------
# kcat: key<TAB>value lines; Python: its own keys; both read everything.
for i in $(seq -w 0 $((N - 1))); do
	printf 'kc-%s\t{"n":"%s","from":"kcat"}\n' "$i" "$i"
done >"$TMP/raw-kcat.txt"
check "kcat produced $N messages" timeout 60 kcat -b "$BOOT" -P -t "$T_RAW" -K "$(printf '\t')" -z lz4 <"$TMP/raw-kcat.txt"

produce_py() { # topic prefix file|-
	"$PY" - "$BOOT" "$@" <<'PY'
import json, sys
from confluent_kafka import Producer
boot, topic, prefix, src, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
p = Producer({"bootstrap.servers": boot, "enable.idempotence": True, "linger.ms": 5})
errs = []
def dr(err, msg):
    if err: errs.append(err)
if src == "-":
    vals = [json.dumps({"n": i, "from": "python"}).encode() for i in range(n)]
    keys = ["%s-%04d" % (prefix, i) for i in range(n)]
else:
    keys, vals = [], []
    for line in open(src, "rb"):
        k, v = line.rstrip(b"\n").split(b"\t", 1)
        keys.append(k.decode()); vals.append(v)
for k, v in zip(keys, vals):
    while True:
        try:
            p.produce(topic, key=k.encode(), value=v, on_delivery=dr,
                      headers=[("producer", b"confluent-kafka-python")])
            break
        except BufferError:
            p.poll(0.1)
    p.poll(0)
left = p.flush(30)
if errs or left:
    print("python producer: %d errors, %d undelivered" % (len(errs), left), file=sys.stderr)
    sys.exit(1)
PY
}
check "confluent_kafka produced $N messages" produce_py "$T_RAW" py - "$N"

# consume_py TOPIC EXPECTED OUTFILE: key<TAB>headers-json<TAB>value lines,
# until EXPECTED distinct keys arrived (or 60 s); assign()ed, so no group.
consume_py() {
	"$PY" - "$BOOT" "$@" <<'PY'
import json, sys, time
from confluent_kafka import Consumer, TopicPartition
boot, topic, want, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = Consumer({"bootstrap.servers": boot, "group.id": "interop-reader",
              "enable.auto.commit": False})
md = c.list_topics(topic, timeout=10)
c.assign([TopicPartition(topic, p, 0) for p in md.topics[topic].partitions])
seen, rows, t0 = set(), [], time.time()
while len(seen) < want and time.time() - t0 < 60:
    for m in c.consume(500, 0.5):
        if m.error():
            continue
        k = (m.key() or b"").decode("utf-8", "replace")
        seen.add(k)
        h = {hk: (hv or b"").decode("utf-8", "replace") for hk, hv in (m.headers() or [])}
        rows.append("%s\t%s\t%s" % (k, json.dumps(h), m.value().decode("utf-8", "replace").replace("\n", "\\n")))
# a little longer: duplicates would show up here
end = time.time() + 1.0
while time.time() < end:
    for m in c.consume(500, 0.2):
        if not m.error():
            rows.append("%s\t{}\t%s" % ((m.key() or b"").decode("utf-8", "replace"), m.value().decode("utf-8", "replace")))
c.close()
open(out, "w").write("".join(r + "\n" for r in rows))
print("%d messages, %d keys in %.1fs" % (len(rows), len(seen), time.time() - t0), file=sys.stderr)
PY
}

consume_kcat() { # topic outfile: key<TAB>value lines, to the current end
	timeout 60 kcat -b "$BOOT" -C -t "$1" -o beginning -e -q \
		-f '%k\t%h\t%s\n' >"$2"
}

count_keys() { # file prefix-regex -> distinct matching keys
	cut -f1 "$1" | grep -E "^($2)" | sort -u | wc -l
}
consume_py "$T_RAW" $((2 * N)) "$TMP/raw-py.out"
check "confluent_kafka read all $((2 * N)) messages" test "$(count_keys "$TMP/raw-py.out" 'kc-|py-')" -eq $((2 * N))
consume_kcat "$T_RAW" "$TMP/raw-kcat.out"
check "kcat read all $((2 * N)) messages" test "$(count_keys "$TMP/raw-kcat.out" 'kc-|py-')" -eq $((2 * N))
check "header set by confluent_kafka seen by kcat" grep -q 'producer=confluent-kafka-python' "$TMP/raw-kcat.out"

# ---- engine ----------------------------------------------------------------
if ! { "$BIN" serve --help >/dev/null 2>&1 || "$BIN" serve --help-config >/dev/null 2>&1; }; then
	echo "# SKIP engine part: '$BIN serve --help' fails (engine not built or has no serve)"
	finish
fi

# Event sets: events-sample.jsonl (keys <prefix>-sNN) then synthetic
# payments (keys <prefix>-NNNN, id = key), N in all per client.
SAMPLE=tests/data/events-sample.jsonl
NS=$(wc -l <"$SAMPLE")
gen_events() { # prefix -> key<TAB>event lines
	"$PY" - "$1" "$SAMPLE" "$N" <<'PY'
import json, sys
prefix, sample, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = sys.stdout.buffer
lines = open(sample, "rb").read().split(b"\n")
lines = [l for l in lines if l]
for i, l in enumerate(lines):
    out.write(b"%s-s%02d\t%s\n" % (prefix.encode(), i + 1, l))
names = ["Maria Schneider", "Hans Mueller", "Acme GmbH", "Nord Logistics LLC",
         "BANCO NACIONAL DE CUBA", "Sergei Aksenov", "Blue Sea Trading FZE"]
for i in range(n - len(lines)):
    k = "%s-%04d" % (prefix, i)
    ev = {"id": k, "type": "payment",
          "timestamp": "2026-11-27T10:00:00.%06dZ" % i,
          "amount": {"value": "%d.00" % (100 + i), "currency": "EUR"},
          "parties": [{"role": "debtor", "type": "person", "name": names[i % 2], "country": "DE"},
                      {"role": "creditor", "type": "unknown", "name": names[i % len(names)], "country": "AT"}],
          "remittance": "invoice %d" % i}
    out.write(k.encode() + b"\t" + json.dumps(ev, ensure_ascii=False).encode() + b"\n")
PY
}
gen_events kc >"$TMP/ev-kcat.txt"
gen_events py >"$TMP/ev-py.txt"

# The engine's config: deploy/interdict.properties (paths relative to the
# repo root), its `lists` replaced by KAFKA_INTEROP_LISTS (comma-separated
# specs) when that is set.
CONF=$TMP/interdict.properties
"$PY" - deploy/interdict.properties "$CONF" "${KAFKA_INTEROP_LISTS:-}" <<'PY'
import sys
src, dst, lists = sys.argv[1], sys.argv[2], sys.argv[3]
out, skip = [], False
for line in open(src, encoding="utf-8"):
    s = line.strip()
    if lists and not skip and s.split("=", 1)[0].split(":", 1)[0].strip() == "lists":
        skip = True
    if skip:
        skip = s.endswith("\\")
        continue
    out.append(line)
if lists:
    out.append("lists = %s\n" % lists)
open(dst, "w", encoding="utf-8").write("".join(out))
PY
HTTP_PORT=$(free_port)
mkdir -p "$TMP/journal"
"$BIN" serve -c "$CONF" \
	kafka.bootstrap.servers="$BOOT" topic.in="$T_IN" topic.out="$T_OUT" \
	topic.dlq="$T_DLQ" group.id="$GROUP" http.listen=127.0.0.1:"$HTTP_PORT" \
	journal.path="$TMP/journal/j" log.level=info reload.watch=false \
	>"$TMP/engine.log" 2>&1 &
ENGINE_PID=$!
t0=$(date +%s%N)
ready=0
for _ in $(seq 600); do
	kill -0 "$ENGINE_PID" 2>/dev/null || break
	if curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; then ready=1; break; fi
	sleep 0.1
done
if [ "$ready" = 1 ]; then
	ok "engine ready (/readyz) in $((($(date +%s%N) - t0) / 1000000)) ms"
else
	if kill -0 "$ENGINE_PID" 2>/dev/null; then bad "engine ready (/readyz) within 60 s"
	else bad "engine ready: it exited during start"; fi
	tail -n 30 "$TMP/engine.log" | sed 's/^/# /'
	finish
fi
check "/healthz answers 200" curl -sf "http://127.0.0.1:$HTTP_PORT/healthz" -o /dev/null

t0=$(date +%s%N)
check "kcat produced $N events" timeout 60 kcat -b "$BOOT" -P -t "$T_IN" -K "$(printf '\t')" <"$TMP/ev-kcat.txt"
check "confluent_kafka produced $N events" produce_py "$T_IN" py "$TMP/ev-py.txt" "$N"

consume_py "$T_OUT" $((2 * N)) "$TMP/v-py.out"
echo "# $((2 * N)) events to verdicts (confluent_kafka reader): $((($(date +%s%N) - t0) / 1000000)) ms"
consume_kcat "$T_OUT" "$TMP/v-kcat.out"
consume_kcat "$T_DLQ" "$TMP/dlq-kcat.out"
curl -sf "http://127.0.0.1:$HTTP_PORT/metrics" >"$TMP/metrics.txt" 2>/dev/null
"$BIN" screen -c "$CONF" "$SAMPLE" >"$TMP/screen.out" 2>"$TMP/screen.err"

# Joins and checks in one place; prints "ok|FAIL<TAB>text" lines.
"$PY" - "$TMP" "$N" "$NS" >"$TMP/checks.txt" <<'PY'
import json, sys, collections
tmp, n, ns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def res(ok, text): print("%s\t%s" % ("ok" if ok else "FAIL", text))
def rows(path, cols):
    out = []
    for line in open(path, encoding="utf-8", errors="replace"):
        p = line.rstrip("\n").split("\t", cols - 1)
        if len(p) == cols: out.append(p)
    return out
produced = {}
for src in ("kcat", "py"):
    for line in open("%s/ev-%s.txt" % (tmp, src), "rb"):
        k, v = line.rstrip(b"\n").split(b"\t", 1)
        produced[k.decode()] = v
screen = [json.loads(l) for l in open(tmp + "/screen.out")] if ns else []
for reader, path in (("confluent_kafka", "v-py.out"), ("kcat", "v-kcat.out")):
    vs = collections.defaultdict(list)
    hdr_bad = 0
    for k, h, v in rows(tmp + "/" + path, 3):
        if not (k.startswith("kc-") or k.startswith("py-")): continue
        try: vs[k].append(json.loads(v))
        except ValueError: vs[k].append({"verdict": "<unparseable>"})
        if reader == "confluent_kafka" and h != "{}":
            hd = json.loads(h)
            if not hd.get("interdict-lists-version") or not hd.get("interdict-latency-ns", "").isdigit():
                hdr_bad += 1
        if reader == "kcat" and ("interdict-lists-version=" not in h or "interdict-latency-ns=" not in h):
            hdr_bad += 1
    missing = [k for k in produced if k not in vs]
    dup = [k for k, l in vs.items() if len(l) > 1]
    extra = [k for k in vs if k not in produced]
    res(not missing, "%s: every one of %d events has a verdict (missing %d%s)" % (reader, len(produced), len(missing), (": " + ", ".join(sorted(missing)[:5])) if missing else ""))
    res(not dup, "%s: no event has two verdicts (%d duplicated)" % (reader, len(dup)))
    res(not extra, "%s: no verdict for an unknown key (%d)" % (reader, len(extra)))
    res(hdr_bad == 0, "%s: every verdict has interdict-lists-version and interdict-latency-ns headers (%d without)" % (reader, hdr_bad))
    if reader != "confluent_kafka": continue
    wrong_id = [k for k, l in vs.items() if "-s" not in k and l[0].get("id") != k]
    res(not wrong_id, "verdict id equals event id for synthetic events (%d wrong)" % len(wrong_id))
    outcomes = collections.Counter(l[0].get("verdict") for l in vs.values())
    res(set(outcomes) <= {"pass", "review", "block", "error"}, "verdicts are pass|review|block|error: %s" % dict(outcomes))
    # the sample events: streaming verdict == batch verdict
    diff = []
    for prefix in ("kc", "py"):
        for i, sv in enumerate(screen):
            kv = vs.get("%s-s%02d" % (prefix, i + 1), [{}])[0]
            a = (kv.get("verdict"), round(float(kv.get("score", 0)), 3), sorted(h.get("kind") for h in kv.get("hits", [])))
            b = (sv.get("verdict"), round(float(sv.get("score", 0)), 3), sorted(h.get("kind") for h in sv.get("hits", [])))
            if a != b: diff.append("%s-s%02d serve=%s screen=%s" % (prefix, i + 1, a, b))
    res(len(screen) == ns and not diff, "sample events: serve verdicts equal screen's (%d differ%s)" % (len(diff), ("; " + "; ".join(diff[:3])) if diff else ""))
    errors = sum(1 for l in vs.values() if l[0].get("verdict") == "error")
    dlq = [r for r in rows(tmp + "/dlq-kcat.out", 3) if r[0].startswith(("kc-", "py-"))]
    res(len(dlq) == errors and errors > 0, "every error verdict has a dead letter (%d errors, %d dead letters)" % (errors, len(dlq)))
    dlq_keys = {r[0] for r in dlq}
    err_keys = {k for k, l in vs.items() if l[0].get("verdict") == "error"}
    res(dlq_keys == err_keys, "dead letters keyed like their events")
m = {}
for line in open(tmp + "/metrics.txt"):
    if line.startswith("interdict_") and " " in line:
        name, val = line.rsplit(" ", 1)
        try: m[name] = float(val)
        except ValueError: pass
res(m.get("interdict_events_total", 0) >= 2 * n, "metrics: interdict_events_total >= %d (%s)" % (2 * n, m.get("interdict_events_total")))
res(m.get("interdict_ready") == 1, "metrics: interdict_ready 1")
PY
while IFS=$(printf '\t') read -r st text; do
	if [ "$st" = ok ]; then ok "$text"; else bad "$text"; fi
done <"$TMP/checks.txt"
[ -s "$TMP/checks.txt" ] || bad "verdict checks ran"

# graceful stop
kill -TERM "$ENGINE_PID"
rc=124
for _ in $(seq 300); do
	if ! kill -0 "$ENGINE_PID" 2>/dev/null; then wait "$ENGINE_PID"; rc=$?; break; fi
	sleep 0.1
done
ENGINE_PID=""
check "engine exits 0 on SIGTERM within 30 s (status $rc)" test "$rc" -eq 0
[ "$fail" -gt 0 ] && { echo "# engine log (tail):"; tail -n 20 "$TMP/engine.log" | sed 's/^/# /'; }
finish
