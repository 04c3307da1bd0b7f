#!/bin/sh
# loadgen_file: bin/interdict-loadgen --out is reproducible (same seed ->
# same bytes, events and planted sidecar) and its planted hits are found
# by `bin/interdict screen`.
#
# Thresholds: identifier and export-control plants (listed IMO, listed
# BIC, CHPL good routed via TR/AE to RU) are exact matches or rules, so
# every one must come back review/block.  Disguised names (typos,
# transliterations, Cyrillic, swapped order, changed legal form, names
# inside remittance text) are fuzzy: on 20,000 events with seed 42 the
# matcher found 95% of them when this test was written (misses: a typo in
# a legal-form word, names in free text that the text scan deems not
# specific enough).  The bar is 85%: a real regression in the matcher
# (or in the generator's disguises) drops far below it, matcher tuning
# that trades a little recall does not.
set -u
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $*"; }

LG=./bin/interdict-loadgen
[ -x "$LG" ] || { echo "loadgen_file: $LG missing"; echo "loadgen_file: 0 passed, 1 failed"; exit 1; }

$LG --out "$tmp/a.jsonl" --count 20000 --seed 42 --quiet 2>/dev/null && ok || ko "loadgen run 1"
$LG --out "$tmp/b.jsonl" --count 20000 --seed 42 --quiet 2>/dev/null && ok || ko "loadgen run 2"
cmp -s "$tmp/a.jsonl" "$tmp/b.jsonl" && ok || ko "events differ between runs with the same seed"
# the sidecar names its own file in ids only, so compare it verbatim too
cmp -s "$tmp/a.jsonl.planted" "$tmp/b.jsonl.planted" && ok || ko "planted sidecars differ"
$LG --out "$tmp/c.jsonl" --count 2000 --seed 43 --quiet 2>/dev/null
cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl" && ko "another seed gave the same events" || ok

./bin/interdict screen "$tmp/a.jsonl" >"$tmp/v.jsonl" 2>/dev/null && ok || ko "interdict screen exited non-zero"
python3 - "$tmp/a.jsonl" "$tmp/v.jsonl" "$tmp/a.jsonl.planted" <<'PY'
import json, sys, collections
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
verdicts = {}
for l in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(l)
    verdicts[d["id"]] = d
planted = [json.loads(l) for l in open(sys.argv[3], encoding="utf-8")]
fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL:", what)
check(len(verdicts) == len(events), f"{len(events)} events but {len(verdicts)} verdicts")
check(not any(v["verdict"] == "error" for v in verdicts.values()), "generated events got error verdicts")
by = collections.defaultdict(lambda: [0, 0])
for p in planted:
    v = verdicts.get(p["id"])
    b = by[p["kind"]]
    b[0] += 1
    b[1] += bool(v and v["verdict"] in ("review", "block"))
print("kind       planted found")
for k, (n, f) in sorted(by.items()):
    print(f"{k:10} {n:7} {f:5}  {100 * f / n:5.1f}%")
n = sum(b[0] for b in by.values()); f = sum(b[1] for b in by.values())
print(f"all        {n:7} {f:5}  {100 * f / max(n, 1):5.1f}%  (bar 85%)")
check(n >= 100, f"only {n} planted hits in 20000 events at hit rate 0.01")
check(f >= 0.85 * n, f"planted-hit recall {f}/{n} below 85%")
for k in ("imo", "bic", "chpl"):
    if k in by:
        check(by[k][1] == by[k][0], f"{k}: {by[k][1]}/{by[k][0]} found, want all")
sys.exit(1 if fails else 0)
PY
[ $? -eq 0 ] && ok || ko "recall checks"
echo "loadgen_file: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
