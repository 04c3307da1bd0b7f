#!/bin/sh
# heavy: real broker, ~2.5-3 min of fault runs (skipped under sanitizer builds)
# faults.sh - interdict under faults, against a real Apache Kafka 3.9 broker
# (deploy/kafka/kafka.sh; one broker for all scenarios, or KAFKA_BOOTSTRAP).
#
#   1  kill -9 of the engine at random moments, FAULTS_KILLS (10) times while
#      FAULTS_EVENTS (100000) events stream in, restarting each time:
#      at-least-once -> every event has >= 1 verdict (duplicates counted);
#      exactly-once  -> exactly one committed verdict per event (read_committed).
#   2  broker stopped and restarted mid-stream (same data dir): the engine
#      waits, resumes, loses nothing.  (Skipped with KAFKA_BOOTSTRAP.)
#   3  two engines in one group, one killed -9: the survivor takes its
#      partitions, nothing lost.
#   4  a garbage list file while running: reload rejected, old version keeps
#      serving, metric + log line; POST /reload also refused; fixed file ->
#      new version live.
#   5  poison stream: truncated JSON, invalid UTF-8, over event.max.bytes,
#      10,000-deep nesting, wrong types, binary junk, empty/null values: each
#      a dead letter with its interdict-error header and an error verdict;
#      every good event screened.
#   6  journal: kill -9 during writes (plus a simulated torn tail), restart:
#      tail cut, journal readable, every committed input offset and every
#      published verdict in the journal.
#
# FAULTS_ONLY="1 4" runs a subset.  Bounded by FAULTS_LIMIT seconds (420).
# Prints counts and "faults: N passed, M failed"; exit 1 on any failure.
# FAULTS_KEEP=1 keeps the temporary directory (logs, dumps).
# Needs what kafka_interop.sh needs: java 17 + cached Kafka jars (or mvn),
# kcat, /usr/bin/python3 with confluent_kafka, curl, bash 4.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -uo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib_kafka.sh"

lk_init faults "${FAULTS_LIMIT:-420}"
N1=${FAULTS_EVENTS:-100000}
KILLS=${FAULTS_KILLS:-10}
ONLY=${FAULTS_ONLY:-1 2 3 4 5 6}
RUN=$$-$(date +%s)
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
rand_sleep() { # MIN_MS SPREAD_MS
	local ms=$(($1 + RANDOM % $2))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
}
bg() { "$@" & LK_BG="$LK_BG $!"; BGPID=$!; }
elapsed() { echo "$(($(now_ms) - $1)) ms"; }

lk_prereqs
lk_broker_start

# All topics at once (one tool JVM): t_<scenario> -> in/out/dlq names.
TOPICS=()
for s in 1a 1e 2 3 4 5 6; do
	TOPICS+=("f$s-in-$RUN" 4 "f$s-out-$RUN" 4 "f$s-dlq-$RUN" 1)
done
t0=$(now_ms)
check "created ${#TOPICS[@]} topic args in $(($(now_ms) - t0)) ms" lk_topics "${TOPICS[@]}"
topics_args() { # scenario -> engine arguments
	echo "topic.in=f$1-in-$RUN topic.out=f$1-out-$RUN topic.dlq=f$1-dlq-$RUN group.id=faults-$1-$RUN journal.path=$TMP/j$1/"
}

# ---- 1: kill -9 x KILLS during a stream ------------------------------------
scenario1() { # mode alo|eos
	local mode=$1 s=1${1:0:1} k t0 ev p rc line
	local -a args
	read -ra args <<<"$(topics_args "$s")"
	# Static membership: a restarted engine takes its partitions back at
	# once instead of waiting for the dead member's session to expire.
	args+=(kafka.consumer.group.instance.id="faults-$s-$RUN")
	[ "$mode" = eos ] && args+=(delivery=exactly-once kafka.producer.transactional.id="faults-$s-$RUN")
	echo "# -- scenario 1 ($mode): $N1 events produced at ~$((N1 / 15))/s, $KILLS x kill -9"
	t0=$(now_ms)
	bg lkpy produce "$BOOT" "f$s-in-$RUN" "$TMP/s1.txt" $((N1 / 15)) 2>"$TMP/s1$mode-prod.log"
	p=$BGPID
	for ((k = 1; k <= KILLS; k++)); do
		lk_engine_start "e$s" "${args[@]}"
		if ! lk_engine_ready "e$s" 30; then
			bad "1 $mode: engine ready after restart $k"
			lk_tail "e$s"
			lk_engine_kill9 "e$s"
			continue
		fi
		rand_sleep 300 1500
		ev=$(lk_metric "e$s" interdict_events_total)
		lk_engine_kill9 "e$s"
		note "kill -9 #$k at $(elapsed "$t0"): that run had screened ${ev:-?} events"
	done
	lk_engine_start "e$s" "${args[@]}"
	check "1 $mode: engine ready after the last kill" lk_engine_ready "e$s" 30
	wait "$p"
	rc=$?
	check "1 $mode: producer delivered all $N1 events ($(tail -n 1 "$TMP/s1$mode-prod.log"))" test "$rc" -eq 0
	line=$(lkpy wait-committed "$BOOT" "faults-$s-$RUN" "f$s-in-$RUN" 120 "$N1")
	check "1 $mode: consumer group committed every offset ($line)" test $? -eq 0
	lk_engine_term "e$s"
	rc=$?
	check "1 $mode: SIGTERM exit status 0 ($rc)" test "$rc" -eq 0
	note "1 $mode: stream + $KILLS kills + drain took $(elapsed "$t0")"
	lkpy read "$BOOT" "f$s-out-$RUN" "$TMP/s1$mode-out.jsonl" read_committed 90 2>&1 | sed 's/^/# /'
	lkpy count "$TMP/s1.txt" "$TMP/s1$mode-out.jsonl" "$mode" >"$TMP/s1$mode-count.txt"
	sed '$d' "$TMP/s1$mode-count.txt" | sed "s/^/# 1 $mode: /"
	set -- $(tail -n 1 "$TMP/s1$mode-count.txt")
	if [ "$mode" = alo ]; then
		check "1 alo: every one of $N1 events has >= 1 verdict (missing $3; $4 duplicated, $5 extra verdicts)" test "$2" = ok
	else
		check "1 eos: exactly one committed verdict per event (missing $3, duplicated $4)" test "$2" = ok
		lkpy read "$BOOT" "f$s-out-$RUN" "$TMP/s1eos-unc.jsonl" read_uncommitted 90 2>/dev/null
		note "1 eos: read_uncommitted sees $(wc -l <"$TMP/s1eos-unc.jsonl") verdict records ($(($(wc -l <"$TMP/s1eos-unc.jsonl") - $(wc -l <"$TMP/s1eos-out.jsonl"))) in aborted transactions)"
	fi
	if [ "$fail" -gt 0 ] && [ -n "${FAULTS_VERBOSE:-}" ]; then lk_tail "e$s" 30; fi
}

if want 1; then
	lkpy gen s1 "$N1" "$TMP/s1.txt"
	for m in ${FAULTS_S1_MODES:-alo eos}; do scenario1 "$m"; done
fi

# ---- 2: broker stop/start mid-stream ------------------------------------------
scenario2() {
	local -a args
	local n=20000 p rc t0 line hz rz
	read -ra args <<<"$(topics_args 2)"
	echo "# -- scenario 2: broker stopped and restarted while $n events stream in"
	lkpy gen s2 "$n" "$TMP/s2.txt"
	lk_engine_start e2 "${args[@]}"
	check "2: engine ready" lk_engine_ready e2 30
	bg lkpy produce "$BOOT" "f2-in-$RUN" "$TMP/s2.txt" 1000 2>"$TMP/s2-prod.log"
	p=$BGPID
	sleep 4
	note "2: before the stop the engine screened $(lk_metric e2 interdict_events_total) events"
	t0=$(now_ms)
	lk_broker_stop 20
	check "2: broker stopped (kafka.sh stop: SIGTERM, controlled shutdown) in $(elapsed "$t0")" test $? -eq 0
	sleep 4
	hz=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${EPORT[e2]}/healthz")
	rz=$(curl -s -w ' %{http_code}' "http://127.0.0.1:${EPORT[e2]}/readyz" | tr -s '\n' ' ')
	check "2: engine still running while the broker is down (/healthz $hz, /readyz '$rz')" lk_engine_alive e2
	t0=$(now_ms)
	check "2: broker restarted with the same data dir" lk_broker_up
	note "2: broker restart took $(elapsed "$t0")"
	wait "$p"
	rc=$?
	check "2: producer delivered all $n events ($(tail -n 1 "$TMP/s2-prod.log"))" test "$rc" -eq 0
	line=$(lkpy wait-committed "$BOOT" "faults-2-$RUN" "f2-in-$RUN" 90 "$n")
	check "2: engine resumed and committed every offset ($line)" test $? -eq 0
	note "2: engine log while the broker was away: $(grep -c ' warn ' "$TMP/e2.log") warn, $(grep -c ' error ' "$TMP/e2.log") error lines; e.g.: $(grep -m1 -E ' (warn|error) ' "$TMP/e2.log" | cut -c1-160)"
	lk_engine_term e2
	rc=$?
	check "2: SIGTERM exit status 0 ($rc)" test "$rc" -eq 0
	lkpy read "$BOOT" "f2-out-$RUN" "$TMP/s2-out.jsonl" read_committed 60 2>&1 | sed 's/^/# /'
	lkpy count "$TMP/s2.txt" "$TMP/s2-out.jsonl" alo >"$TMP/s2-count.txt"
	sed '$d' "$TMP/s2-count.txt" | sed 's/^/# 2: /'
	set -- $(tail -n 1 "$TMP/s2-count.txt")
	check "2: every one of $n events has >= 1 verdict (missing $3; $4 duplicated)" test "$2" = ok
	[ "$fail" -gt 0 ] && lk_tail e2 20
}
if want 2; then
	if [ "$OWN_BROKER" = 1 ]; then scenario2; else note "SKIP 2: the broker is not ours (KAFKA_BOOTSTRAP)"; fi
fi

# ---- 3: two engines, one killed ----------------------------------------------
scenario3() {
	local -a args
	local n=30000 p rc i t0 before line
	read -ra args <<<"$(topics_args 3)"
	args+=(kafka.consumer.session.timeout.ms=6000 kafka.consumer.heartbeat.interval.ms=1000)
	echo "# -- scenario 3: engines A and B in one group, B killed -9 mid-stream ($n events)"
	lkpy gen s3 "$n" "$TMP/s3.txt"
	lk_engine_start e3a "${args[@]}" journal.path="$TMP/j3a/"
	check "3: engine A ready" lk_engine_ready e3a 30
	lk_engine_start e3b "${args[@]}" journal.path="$TMP/j3b/"
	check "3: engine B ready" lk_engine_ready e3b 30
	for ((i = 0; i < 200; i++)); do
		grep -q 'assigned [1-9]' "$TMP/e3b.log" && grep -q 'now 2' "$TMP/e3a.log" && break
		sleep 0.1
	done
	check "3: the partitions are shared (A: $(grep -o 'now [0-9]*' "$TMP/e3a.log" | tail -n1), B: $(grep -o 'now [0-9]*' "$TMP/e3b.log" | tail -n1))" \
		grep -q 'now 2' "$TMP/e3a.log"
	bg lkpy produce "$BOOT" "f3-in-$RUN" "$TMP/s3.txt" 3000 2>"$TMP/s3-prod.log"
	p=$BGPID
	sleep 3
	note "3: B screened $(lk_metric e3b interdict_events_total) events, A $(lk_metric e3a interdict_events_total); kill -9 B"
	before=$(grep -c 'now 4' "$TMP/e3a.log")
	lk_engine_kill9 e3b
	t0=$(now_ms)
	for ((i = 0; i < 400; i++)); do
		[ "$(grep -c 'now 4' "$TMP/e3a.log")" -gt "$before" ] && break
		sleep 0.1
	done
	check "3: survivor A took all 4 partitions $(elapsed "$t0") after the kill (session.timeout.ms=6000)" \
		test "$(grep -c 'now 4' "$TMP/e3a.log")" -gt "$before"
	wait "$p"
	rc=$?
	check "3: producer delivered all $n events" test "$rc" -eq 0
	line=$(lkpy wait-committed "$BOOT" "faults-3-$RUN" "f3-in-$RUN" 90 "$n")
	check "3: group committed every offset ($line)" test $? -eq 0
	lk_engine_term e3a
	rc=$?
	check "3: A SIGTERM exit status 0 ($rc)" test "$rc" -eq 0
	lkpy read "$BOOT" "f3-out-$RUN" "$TMP/s3-out.jsonl" read_committed 60 2>&1 | sed 's/^/# /'
	lkpy count "$TMP/s3.txt" "$TMP/s3-out.jsonl" alo >"$TMP/s3-count.txt"
	sed '$d' "$TMP/s3-count.txt" | sed 's/^/# 3: /'
	set -- $(tail -n 1 "$TMP/s3-count.txt")
	check "3: every one of $n events has >= 1 verdict (missing $3; $4 duplicated)" test "$2" = ok
	[ "$fail" -gt 0 ] && lk_tail e3a 20
}
want 3 && scenario3

# ---- 4: a bad list pushed while running ---------------------------------------
s4_verdicts() { # FILE-with-key<TAB>event -> waits for their verdicts, prints "key verdict version hitentries"
	local src=$1 out=$2 n
	n=$(wc -l <"$src")
	timeout 30 kcat -b "$BOOT" -P -t "f4-in-$RUN" -K "$(printf '\t')" <"$src" || return 1
	lkpy wait-committed "$BOOT" "faults-4-$RUN" "f4-in-$RUN" 30 >/dev/null || return 1
	lkpy read "$BOOT" "f4-out-$RUN" "$TMP/s4-all.jsonl" read_committed 30 2>/dev/null
	"$PY" - "$src" "$TMP/s4-all.jsonl" >"$out" <<'PY'
import json, sys
keys = [l.split("\t", 1)[0] for l in open(sys.argv[1])]
got = {}
for l in open(sys.argv[2]):
    r = json.loads(l)
    if r["k"] in keys:
        v = json.loads(r["v"])
        got[r["k"]] = "%s %s %s %s %s" % (r["k"], v["verdict"], v["lists_version"],
            r["h"].get("interdict-lists-version", "-"),
            ",".join(h["entry"] for h in v.get("hits", [])) or "-")
for k in keys:
    print(got.get(k, "%s MISSING - - -" % k))
PY
}
scenario4() {
	local -a args
	local L=$TMP/s4-block.csv v1 v2 e0 e1 o1 rc i code
	read -ra args <<<"$(topics_args 4)"
	echo "# -- scenario 4: garbage list file pushed while running, then fixed"
	cp tests/data/screen/block.csv "$L"
	LK_LISTS="interdict-csv:$L,chpl-csv:../shared/data/goods/chpl-2024-02-23.csv" \
		lk_engine_start e4 "${args[@]}" reload.watch=true reload.poll.ms=200ms
	check "4: engine ready" lk_engine_ready e4 30
	# a sanctioned name of block.csv (T-2), a new name (T-9 after the fix), a clean one
	mk4() { # batch
		printf '%s\t{"id":"%s","type":"payment","parties":[{"role":"creditor","type":"organization","name":"%s","country":"RU"}]}\n' \
			"s4-$1-old" "s4-$1-old" "Volga Precision Machining LLC" \
			"s4-$1-new" "s4-$1-new" "Quorvex Dynamics Holding" \
			"s4-$1-clean" "s4-$1-clean" "Maria Schneider"
	}
	mk4 a >"$TMP/s4a.txt"
	s4_verdicts "$TMP/s4a.txt" "$TMP/s4a.out"
	sed 's/^/# 4: before: /' "$TMP/s4a.out"
	v1=$(awk '{print $3; exit}' "$TMP/s4a.out")
	check "4: version V1=$v1 blocks the listed name, not the new one" \
		grep -q '^s4-a-old block .* T-2$' "$TMP/s4a.out"
	e0=$(lk_metric e4 'interdict_reloads_total{result="error"}')
	# garbage over the live file (unclosed quote, invalid UTF-8, binary)
	printf 'entry,type,name,strength\n"T-1,person,"\377\376 unclosed\n\001\002\003garbage\n' >"$L"
	for ((i = 0; i < 100; i++)); do
		e1=$(lk_metric e4 'interdict_reloads_total{result="error"}')
		[ "${e1:-0}" -gt "${e0:-0}" ] && break
		sleep 0.1
	done
	check "4: garbage file rejected: interdict_reloads_total{result=\"error\"} $e0 -> $e1" test "${e1:-0}" -gt "${e0:-0}"
	check "4: log line says so: $(grep -m1 'reload.*failed' "$TMP/e4.log" | cut -c1-200)" grep -q 'list rebuild failed, keeping the current version' "$TMP/e4.log"
	check "4: /readyz still 200 with the old version" curl -sf "http://127.0.0.1:${EPORT[e4]}/readyz" -o /dev/null
	o1=$(lk_metrics e4 | grep -o 'interdict_lists_version_info{version="[^"]*"}' | head -n1)
	check "4: metric still labels V1 ($o1)" test "$o1" = "interdict_lists_version_info{version=\"$v1\"}"
	mk4 b >"$TMP/s4b.txt"
	s4_verdicts "$TMP/s4b.txt" "$TMP/s4b.out"
	sed 's/^/# 4: broken file: /' "$TMP/s4b.out"
	check "4: events screened after the bad push carry V1 (body and header) and still block" \
		test "$(awk -v v="$v1" '$2 != "MISSING" && $3 == v && $4 == v' "$TMP/s4b.out" | wc -l)" -eq 3 -a \
		"$(grep -c '^s4-b-old block' "$TMP/s4b.out")" -eq 1
	e0=$(lk_metric e4 'interdict_reloads_total{result="error"}')
	code=$(curl -s -o "$TMP/s4-post.txt" -w '%{http_code}' -X POST "http://127.0.0.1:${EPORT[e4]}/reload")
	for ((i = 0; i < 50; i++)); do
		e1=$(lk_metric e4 'interdict_reloads_total{result="error"}')
		[ "${e1:-0}" -gt "${e0:-0}" ] && break
		sleep 0.1
	done
	check "4: POST /reload with the broken file: HTTP $code, reload fails ($e0 -> $e1), V1 kept" \
		test "${e1:-0}" -gt "${e0:-0}" -a "$(lk_metrics e4 | grep -c "version=\"$v1\"")" -ge 1
	# fix: the old entries plus a new one
	{ cat tests/data/screen/block.csv; echo 'T-9,organization,Quorvex Dynamics Holding,,,,RU,,TEST'; } >"$L.tmp"
	mv "$L.tmp" "$L"
	for ((i = 0; i < 100; i++)); do
		v2=$(lk_metrics e4 | grep -o 'interdict_lists_version_info{version="[^"]*"}' | sed 's/.*version="\([^"]*\)".*/\1/' | head -n1)
		[ -n "$v2" ] && [ "$v2" != "$v1" ] && break
		sleep 0.1
	done
	check "4: fixed file -> new version V2=$v2, reloads ok=$(lk_metric e4 'interdict_reloads_total{result="ok"}')" test -n "$v2" -a "$v2" != "$v1"
	mk4 c >"$TMP/s4c.txt"
	s4_verdicts "$TMP/s4c.txt" "$TMP/s4c.out"
	sed 's/^/# 4: fixed: /' "$TMP/s4c.out"
	check "4: events after the fix carry V2 and hit the new entry T-9" \
		test "$(awk -v v="$v2" '$3 == v && $4 == v' "$TMP/s4c.out" | wc -l)" -eq 3 -a \
		"$(grep -c '^s4-c-new [a-z]* .* T-9$' "$TMP/s4c.out")" -eq 1
	lk_engine_term e4
	rc=$?
	check "4: SIGTERM exit status 0 ($rc)" test "$rc" -eq 0
	[ "$fail" -gt 0 ] && lk_tail e4 20
}
want 4 && scenario4

# ---- 5: poison stream ------------------------------------------------------------
scenario5() {
	local -a args
	local rc
	read -ra args <<<"$(topics_args 5)"
	echo "# -- scenario 5: poison stream (event.max.bytes=64KiB) between 300 good events"
	"$PY" - "$TMP/s5.jsonl" <<'PY'
import json, random, sys
good = lambda k, i: json.dumps({"id": k, "type": "payment", "amount": {"value": "%d.00" % i, "currency": "EUR"},
        "parties": [{"role": "debtor", "type": "person", "name": "Hans Mueller", "country": "DE"},
                    {"role": "creditor", "type": "organization", "name": "Nord Logistics LLC", "country": "AT"}]}).encode()
rnd = random.Random(5)
poison = [
    ("p-truncated", b'{"id":"p-truncated","type":"payment","parties":[{"role":"debtor","na'),
    ("p-utf8-invalid", b'{"id":"p-utf8-invalid","type":"payment","remittance":"caf\xe9 \xff\xfe"}'),
    ("p-utf8-overlong", b'{"id":"p-utf8-overlong","remittance":"\xc0\xaf\xe0\x80\xaf"}'),
    ("p-utf8-surrogate", b'{"id":"p-utf8-surrogate","remittance":"\xed\xa0\x80"}'),
    ("p-utf8-in-key", b'{"\xff\xfe":1,"id":"p-utf8-in-key"}'),
    ("p-oversize", json.dumps({"id": "p-oversize", "type": "payment", "remittance": "x" * 100000}).encode()),
    ("p-deep-array", b'{"id":"p-deep-array","x":' + b"[" * 10000 + b"]" * 10000 + b"}"),
    ("p-deep-object", b'{"id":"p-deep-object","x":' + b'{"a":' * 10000 + b"1" + b"}" * 10000 + b"}"),
    ("p-deep-unclosed", b"[" * 10000),
    ("p-type-parties", b'{"id":"p-type-parties","type":"payment","parties":"Ivan Petrov"}'),
    ("p-type-party", b'{"id":"p-type-party","type":"payment","parties":[42]}'),
    ("p-type-goods", b'{"id":"p-type-goods","goods":{"hs":"8542.31"}}'),
    ("p-type-vessel", b'{"id":"p-type-vessel","vessel":"ANGARA"}'),
    ("p-not-object", b'[1,2,3]'),
    ("p-string", b'"just a string"'),
    ("p-missing-id", b'{"type":"payment","parties":[]}'),
    ("p-trailing", b'{"id":"p-trailing"} {"id":"again"}'),
    ("p-nan", b'{"id":"p-nan","amount":{"value":NaN}}'),
    ("p-raw-control", b'{"id":"p-raw-control","remittance":"a\x00b\x01c"}'),
    ("p-binary", bytes(rnd.randrange(256) for _ in range(2048))),
    ("p-binary-gzip", b"\x1f\x8b\x08\x00" + bytes(rnd.randrange(256) for _ in range(300))),
    ("p-empty", b""),
    ("p-null", None),
]
rows = []
gi = 0
for k, v in poison:
    for _ in range(13):
        rows.append(("g-%04d" % gi, good("g-%04d" % gi, gi))); gi += 1
    rows.append((k, v))
while gi < 300:
    rows.append(("g-%04d" % gi, good("g-%04d" % gi, gi))); gi += 1
with open(sys.argv[1], "w") as f:
    for k, v in rows:
        f.write(json.dumps({"k": k, "v_hex": None if v is None else v.hex()}) + "\n")
PY
	lk_engine_start e5 "${args[@]}" event.max.bytes=64KiB
	check "5: engine ready" lk_engine_ready e5 30
	check "5: produced $(wc -l <"$TMP/s5.jsonl") messages (23 poison)" lkpy produce-raw "$BOOT" "f5-in-$RUN" "$TMP/s5.jsonl"
	lkpy wait-committed "$BOOT" "faults-5-$RUN" "f5-in-$RUN" 60 >/dev/null
	check "5: engine committed every offset, still running" lk_engine_alive e5
	lk_metrics e5 >"$TMP/s5-metrics.txt"
	lk_engine_term e5
	rc=$?
	check "5: SIGTERM exit status 0 ($rc)" test "$rc" -eq 0
	lkpy read "$BOOT" "f5-out-$RUN" "$TMP/s5-out.jsonl" read_committed 30 2>/dev/null
	lkpy read "$BOOT" "f5-dlq-$RUN" "$TMP/s5-dlq.jsonl" read_committed 30 2>/dev/null
	"$PY" - "$TMP" >"$TMP/s5-checks.txt" <<'PY'
import json, sys
tmp = sys.argv[1]
res = lambda ok, t: print("%s\t%s" % ("ok" if ok else "FAIL", t))
sent = [json.loads(l) for l in open(tmp + "/s5.jsonl")]
out = {}
for l in open(tmp + "/s5-out.jsonl"):
    r = json.loads(l); out.setdefault(r["k"], []).append(r)
dlq = {}
for l in open(tmp + "/s5-dlq.jsonl"):
    r = json.loads(l); dlq.setdefault(r["k"], []).append(r)
bad_list, good_bad = [], []
for s in sent:
    k = s["k"]
    vs = out.get(k, [])
    v = json.loads(vs[0]["v"]) if vs else {}
    if k.startswith("p-"):
        d = dlq.get(k, [])
        orig = s["v_hex"] or ""
        got = (d[0].get("v_hex") or (d[0]["v"] or "").encode("utf-8").hex()) if d else None
        err = d[0]["h"].get("interdict-error", "") if d else ""
        print("#   %-18s verdict=%-6s dlq=%d error=%s" % (k, v.get("verdict", "MISSING"), len(d), err[:70]))
        if not (v.get("verdict") == "error" and v.get("error") and len(d) == 1 and err and got == orig
                and d[0]["h"].get("interdict-original-offset", "").isdigit()):
            bad_list.append("%s(verdict=%s dlq=%d header=%r same-bytes=%s)" % (k, v.get("verdict"), len(d), err[:40], got == orig))
    else:
        if len(vs) != 1 or v.get("verdict") not in ("pass", "review", "block") or k in dlq:
            good_bad.append(k)
np = sum(1 for s in sent if s["k"].startswith("p-"))
res(not bad_list, "every one of %d poison messages: an error verdict + exactly one dead letter with the original bytes and an interdict-error header (%d wrong%s)"
    % (np, len(bad_list), ": " + "; ".join(bad_list[:6]) if bad_list else ""))
ng = len(sent) - np
res(not good_bad, "every one of %d good events screened once, none dead-lettered (%d wrong: %s)" % (ng, len(good_bad), ", ".join(good_bad[:5])))
extra = [k for k in dlq if not k.startswith("p-")]
res(not extra, "no other dead letters (%d)" % len(extra))
m = {}
for line in open(tmp + "/s5-metrics.txt"):
    if line.startswith("interdict_"):
        n, _, val = line.rstrip("\n").rpartition(" ")
        m[n] = val
res(m.get("interdict_dead_letters_total") == str(np) and m.get('interdict_verdicts_total{outcome="error"}') == str(np),
    "metrics: dead_letters_total %s, verdicts_total{outcome=error} %s (want %d)"
    % (m.get("interdict_dead_letters_total"), m.get('interdict_verdicts_total{outcome="error"}'), np))
PY
	while IFS=$(printf '\t') read -r st text; do
		case $st in ok) ok "5: $text" ;; FAIL) bad "5: $text" ;; *) echo "$st" ;; esac
	done <"$TMP/s5-checks.txt"
	[ -s "$TMP/s5-checks.txt" ] || bad "5: checks ran"
	[ "$fail" -gt 0 ] && lk_tail e5 10
}
want 5 && scenario5

# ---- 6: journal: kill -9 during writes ---------------------------------------------
scenario6() {
	local -a args
	local n=30000 J=$TMP/j6 p k rc t0 line newest cut
	read -ra args <<<"$(topics_args 6)"
	args+=(kafka.consumer.group.instance.id="faults-6-$RUN" journal.max.bytes=2MiB)
	echo "# -- scenario 6: journal under kill -9 ($n events, 4 kills, one simulated torn tail)"
	lkpy gen s6 "$n" "$TMP/s6.txt"
	bg lkpy produce "$BOOT" "f6-in-$RUN" "$TMP/s6.txt" 4000 2>"$TMP/s6-prod.log"
	p=$BGPID
	t0=$(now_ms)
	for ((k = 1; k <= 4; k++)); do
		lk_engine_start e6 "${args[@]}"
		if ! lk_engine_ready e6 30; then bad "6: engine ready (start $k)"; lk_tail e6; fi
		rand_sleep 500 1200
		lk_engine_kill9 e6
		"$BIN" journal -q "$J" 2>"$TMP/s6-j$k.err"
		rc=$?
		note "6: kill -9 #$k at $(elapsed "$t0"): journal $(ls "$J" | wc -l) file(s), $(du -sb "$J" | cut -f1) bytes, read status $rc$( [ -s "$TMP/s6-j$k.err" ] && echo ": $(head -c 150 "$TMP/s6-j$k.err")")"
		if [ "$k" = 2 ]; then
			newest=$(ls "$J"/interdict-journal-*.log | sort | tail -n 1)
			# a record header announcing 200 bytes, then 40 of them: a torn write
			"$PY" -c 'import struct,sys; open(sys.argv[1],"ab").write(struct.pack("<IIQ",200,0xdeadbeef,999999)+b"x"*40)' "$newest"
			"$BIN" journal -q "$newest" 2>"$TMP/s6-torn.err"
			check "6: simulated torn tail seen by 'interdict journal' ($(head -c 120 "$TMP/s6-torn.err"))" grep -q 'torn tail' "$TMP/s6-torn.err"
		fi
	done
	lk_engine_start e6 "${args[@]}"
	check "6: engine ready after the kills" lk_engine_ready e6 30
	cut=$(grep -o 'torn tail in file [0-9]*: cut [0-9]* bytes[^"]*' "$TMP/e6.log" | tr '\n' ';')
	check "6: restart cut the torn tail(s) ($cut)" grep -qE 'torn tail in file [0-9]+: cut ([5-9][0-9]|[0-9]{3,}) bytes' "$TMP/e6.log"
	wait "$p"
	check "6: producer delivered all $n events" test $? -eq 0
	line=$(lkpy wait-committed "$BOOT" "faults-6-$RUN" "f6-in-$RUN" 90 "$n")
	check "6: group committed every offset ($line)" test $? -eq 0
	lk_engine_kill9 e6 # the last one too: the journal must still cover every commit
	lkpy committed "$BOOT" "faults-6-$RUN" "f6-in-$RUN" >"$TMP/s6-committed.txt"
	"$BIN" journal "$J" >"$TMP/s6-journal.jsonl" 2>"$TMP/s6-journal.err"
	rc=$?
	check "6: 'interdict journal' reads all $(ls "$J" | wc -l) files, status $rc$( [ -s "$TMP/s6-journal.err" ] && echo ", stderr: $(head -c 120 "$TMP/s6-journal.err")")" test "$rc" -eq 0
	lkpy read "$BOOT" "f6-out-$RUN" "$TMP/s6-out.jsonl" read_committed 60 2>/dev/null
	"$PY" - "$TMP" "f6-in-$RUN" >"$TMP/s6-checks.txt" <<'PY'
import json, sys
tmp, topic = sys.argv[1], sys.argv[2]
res = lambda ok, t: print("%s\t%s" % ("ok" if ok else "FAIL", t))
recs = [json.loads(l) for l in open(tmp + "/s6-journal.jsonl")]
seqs = [r["seq"] for r in recs]
res(seqs == list(range(1, len(seqs) + 1)), "journal seq contiguous 1..%d across files and restarts" % len(seqs))
have = set((r["partition"], r["offset"]) for r in recs if r["topic"] == topic)
missing, committed = [], 0
for line in open(tmp + "/s6-committed.txt"):
    p, co, hw = map(int, line.split())
    committed += co
    missing += [(p, o) for o in range(co) if (p, o) not in have]
dups = len(recs) - len(have)
res(committed > 0 and not missing, "every committed input offset (%d) has a journal record (missing %d%s); %d records, %d re-journaled after kills"
    % (committed, len(missing), (": " + str(missing[:5])) if missing else "", len(recs), dups))
# A verdict published by a run killed before its journal record was durable
# is journaled again by the next run - identical except lists_version, whose
# build time changes at every start.
def nover(v):
    v = dict(v); v.pop("lists_version", None)
    return json.dumps(v, sort_keys=True)
jv, jn = {}, {}
for r in recs:
    jv.setdefault(r["verdict"]["id"], set()).add(json.dumps(r["verdict"], sort_keys=True))
    jn.setdefault(r["verdict"]["id"], set()).add(nover(r["verdict"]))
out_missing, other_run, differ, n = [], 0, [], 0
for l in open(tmp + "/s6-out.jsonl"):
    r = json.loads(l); n += 1
    v = json.loads(r["v"])
    if v["id"] not in jv: out_missing.append(v["id"])
    elif json.dumps(v, sort_keys=True) in jv[v["id"]]: pass
    elif nover(v) in jn[v["id"]]: other_run += 1
    else: differ.append(v["id"])
res(n > 0 and not out_missing and not differ,
    "every published verdict (%d) is in the journal (missing %d, different %d%s); %d published copies came from a killed run "
    "before their record was durable and are journaled as the next run's identical verdict (only lists_version's build time differs)"
    % (n, len(out_missing), len(differ), (": " + ", ".join(differ[:5])) if differ else "", other_run))
PY
	while IFS=$(printf '\t') read -r st text; do
		case $st in ok) ok "6: $text" ;; FAIL) bad "6: $text" ;; *) echo "$st" ;; esac
	done <"$TMP/s6-checks.txt"
	[ -s "$TMP/s6-checks.txt" ] || bad "6: checks ran"
	[ "$fail" -gt 0 ] && lk_tail e6 15
}
want 6 && scenario6

note "total $(lk_ms) ms"
lk_finish
