#!/bin/sh
# bench/run-bench.sh - `make bench`: every benchmark, results and plots
# into bench/out/ (gitignored), a summary on stdout and in
# bench/out/summary.txt.
#
#   (a) bin/interdict-bench-match   one core, all lists: events/s, latency,
#                                    compile time, memory (+ list/thread scaling)
#   (b) end to end through Kafka    interdict versus bin/interdict-relay
#                                    (consume+produce, no screening) at the
#                                    same offered rates; throughput ratio and
#                                    both latency distributions
#   (c) bin/interdict-bench-text    free-text scan versus Hyperscan
#   (d) scaling                     list size and threads (from (a)); end to
#                                    end with engine workers=1 and 2 at max rate
#
# Environment:
#   BROKERS=host:port  a real Kafka (topics are created per run; the engine is
#                      started as `bin/interdict serve`, the relay as a
#                      process); default: librdkafka's mock cluster inside
#                      interdict-loadgen, the engine in-process
#   RATES="1000 10000 50000 max"   offered rates (events/s)
#   DURATION=10        seconds per paced run;  MAX_COUNT=50000 events per max run
#   WARMUP=2           seconds at the start of each run left out of latency
#   OUT=bench/out      SKIP="match text e2e scaling" to leave parts out
set -u
OUT=${OUT:-bench/out}
RATES=${RATES:-1000 10000 50000 max}
DURATION=${DURATION:-10}
MAX_COUNT=${MAX_COUNT:-50000}
WARMUP=${WARMUP:-2}
SKIP=${SKIP:-}
BROKERS=${BROKERS:-}
mkdir -p "$OUT"
SUM="$OUT/summary.txt"
: >"$SUM"

say() { echo "$*" | tee -a "$SUM"; }
skip() { case " $SKIP " in *" $1 "*) return 0 ;; esac; return 1; }

say "interdict benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -m)"
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "kafka: ${BROKERS:-librdkafka mock cluster (in-process)}"
say ""

# ---- (a) matching on one core ----
if ! skip match; then
	say "== (a) bench-match"
	./bin/interdict-bench-match >"$OUT/bench-match.txt" 2>"$OUT/bench-match.err"
	sed -n '/^lists:/,/^  (RSS/p' "$OUT/bench-match.txt" | tee -a "$SUM"
	say ""
fi

# ---- (b) end to end ----
# one loadgen run: $1 sut (interdict|relay), $2 rate, $3 name, then engine
# settings key=value
e2e_run() {
	sut=$1 rate=$2 name=$3
	shift 3
	if [ "$rate" = max ]; then load="--rate 0 --count $MAX_COUNT"; else load="--rate $rate --duration $DURATION --warmup $WARMUP"; fi
	dir="$OUT/$name"
	if [ -z "$BROKERS" ]; then
		sets=""
		for kv in "$@"; do sets="$sets --set $kv"; done
		# shellcheck disable=SC2086
		./bin/interdict-loadgen --mock --sut "$sut" $load --json --plot "$dir" \
			--drain 15 $sets >"$dir.json" 2>"$dir.err"
		return
	fi
	tin="bench-$name-in" tout="bench-$name-out"
	if [ "$sut" = relay ]; then
		./bin/interdict-relay --brokers "$BROKERS" --in "$tin" --out "$tout" \
			--group "bench-$name" 2>"$dir.sut.err" &
	else
		./bin/interdict serve -c deploy/interdict.properties \
			"kafka.bootstrap.servers=$BROKERS" "topic.in=$tin" \
			"topic.out=$tout" "group.id=bench-$name" \
			"journal.path=$OUT/journal-$name" "http.listen=127.0.0.1:0" \
			"$@" 2>"$dir.sut.err" &
	fi
	pid=$!
	# shellcheck disable=SC2086
	./bin/interdict-loadgen --brokers "$BROKERS" --sut "$sut" --topic "$tin" --verdicts "$tout" \
		$load --json --plot "$dir" --drain 15 >"$dir.json" 2>"$dir.err"
	kill -TERM "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

summarize_e2e() {
	python3 - "$OUT" "$@" <<'PY'
import json, sys, os
out, names = sys.argv[1], sys.argv[2:]
def load(n):
    try:
        return json.load(open(os.path.join(out, n + ".json")))
    except Exception:
        return None
def us(ns): return f"{ns / 1000:.0f}us" if ns < 10_000_000 else f"{ns / 1e6:.1f}ms"
print(f"{'run':24} {'offered':>8} {'sent/s':>9} {'verdicts/s':>10} {'missing':>7} "
      f"{'p50':>8} {'p90':>8} {'p99':>8} {'p99.9':>8} {'max':>8}")
rows = {}
for n in names:
    r = load(n)
    if not r:
        print(f"{n:24} (no result: see {out}/{n}.err)")
        continue
    rows[n] = r
    l = r["latency_ns"]
    print(f"{n:24} {r['offered'] or 'max':>8} {r['achieved']:9.0f} "
          f"{r['verdicts_per_s']['overall']:10.0f} {r['missing']:7} {us(l['p50']):>8} "
          f"{us(l['p90']):>8} {us(l['p99']):>8} {us(l['p999']):>8} {us(l['max']):>8}")
for n, r in rows.items():
    if n.startswith("e2e-interdict-"):
        m = rows.get(n.replace("interdict", "relay"))
        if m and m["verdicts_per_s"]["overall"]:
            ratio = r["verdicts_per_s"]["overall"] / m["verdicts_per_s"]["overall"]
            print(f"throughput ratio interdict/relay at {n[14:]}: {ratio:.3f} "
                  f"(target >= 0.9: {'ok' if ratio >= 0.9 else 'MISS'})")
        rc = r.get("recall", {}).get("all", {})
        if rc.get("planted"):
            print(f"  recall of planted hits at {n[14:]}: {rc['found']}/{rc['planted']}"
                  f" = {100 * rc['found'] / rc['planted']:.1f}%")
PY
}

if ! skip e2e; then
	say "== (b) end to end: interdict versus relay (${DURATION}s per paced run, $MAX_COUNT events at max)"
	names=""
	for rate in $RATES; do
		for sut in interdict relay; do
			e2e_run "$sut" "$rate" "e2e-$sut-$rate"
			names="$names e2e-$sut-$rate"
		done
		gnuplot -e "a='$OUT/e2e-interdict-$rate'; b='$OUT/e2e-relay-$rate'; out='$OUT/compare-$rate'; label='$rate events/s'" \
			bench/plot.gp 2>>"$OUT/gnuplot.err" || true
	done
	# shellcheck disable=SC2086
	summarize_e2e $names | tee -a "$SUM"
	say ""
fi

# ---- (c) free text versus Hyperscan ----
if ! skip text; then
	say "== (c) bench-text"
	./bin/interdict-bench-text >"$OUT/bench-text.txt" 2>"$OUT/bench-text.err"
	grep -E "^(patterns|hyperscan|texts|matches)|interdict |hyperscan |ratio" \
		"$OUT/bench-text.txt" | tee -a "$SUM"
	say ""
fi

# ---- (d) scaling ----
if ! skip scaling; then
	say "== (d) scaling"
	if [ -f "$OUT/bench-match.txt" ]; then
		sed -n '/^scaling/,$p' "$OUT/bench-match.txt" | tee -a "$SUM"
	fi
	names=""
	for w in 1 2; do
		e2e_run interdict max "e2e-workers$w" "workers=$w"
		names="$names e2e-workers$w"
	done
	# shellcheck disable=SC2086
	summarize_e2e $names | tee -a "$SUM"
fi
say ""
say "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results and plots: $OUT/"
