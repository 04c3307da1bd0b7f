#!/bin/sh
# `interdict demo --duration 5`: the engine on the in-process mock
# cluster with the built-in load generator.  Checks the summary: every
# produced event got exactly one verdict, every malformed one a dead
# letter, all four outcomes occurred, latency percentiles were printed.
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bin=${INTERDICT_BIN:-./bin}
if ! timeout 120 "$bin/interdict" demo --duration 5 --rate 1000 >"$out" 2>&1; then
	echo "demo.sh: demo exited non-zero"; tail -40 "$out"; exit 1
fi
fail() { echo "demo.sh: $1"; tail -40 "$out"; exit 1; }
grep -q '^\[  5s\] produced' "$out" || fail "no progress line for second 5"
grep -q '^== interdict demo summary ==' "$out" || fail "no summary"
grep -q '^result: *OK every event got exactly one verdict' "$out" ||
	fail "not every event got exactly one verdict"
produced=$(sed -n 's/^events: *\([0-9]*\) produced (\([0-9]*\) malformed).*/\1/p' "$out")
malformed=$(sed -n 's/^events: *\([0-9]*\) produced (\([0-9]*\) malformed).*/\2/p' "$out")
dead=$(sed -n 's/^dead letters: *\([0-9]*\).*/\1/p' "$out")
[ -n "$produced" ] && [ "$produced" -ge 4000 ] || fail "too few events: $produced"
[ "$dead" = "$malformed" ] || fail "dead letters $dead != malformed $malformed"
line=$(grep '^verdicts:' "$out")
for o in pass review block error; do
	n=$(echo "$line" | sed -n "s/.* $o \([0-9]*\).*/\1/p")
	[ -n "$n" ] && [ "$n" -gt 0 ] || fail "no $o verdicts: $line"
done
grep -q '^in-engine latency.* p50 [0-9.]*[num]*s  p99 ' "$out" || fail "no in-engine latency"
grep -q '^end-to-end latency.* p50 [0-9.]*[num]*s' "$out" || fail "no end-to-end latency"
grep -q '"kind":"name"' "$out" || fail "no sample name hit"
echo "demo.sh: ok ($produced events, $dead dead letters)"
grep -E '^(verdicts|in-engine|end-to-end)' "$out"
