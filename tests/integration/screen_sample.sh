#!/bin/sh
# Screens tests/data/events-sample.jsonl (one event per hit kind, plus
# every kind of bad event) with every list loaded and checks each
# verdict and its hit kinds against tests/data/events-sample.expected.
set -u
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${INTERDICT_BIN:-./bin}/interdict" screen tests/data/events-sample.jsonl >"$out" || { echo "screen exited non-zero"; exit 1; }
python3 - "$out" tests/data/events-sample.expected <<'PY'
import json, sys
verdicts = [json.loads(l) for l in open(sys.argv[1])]
exp = [l.split() for l in open(sys.argv[2]) if l.strip() and not l.startswith('#')]
ok = bad = 0
if len(verdicts) != len(exp):
    print(f"expected {len(exp)} verdicts, got {len(verdicts)}"); sys.exit(1)
for (line, want, kinds), v in zip(exp, verdicts):
    got_kinds = {h['kind'] for h in v['hits'] if not h.get('suppressed')}
    need = set() if kinds == '-' else set(kinds.split(','))
    if v['verdict'] == want and need <= got_kinds and (want != 'error' or v.get('error')) and v.get('lists_version'):
        ok += 1
    else:
        bad += 1
        print(f"line {line}: want {want} {sorted(need)}, got {v['verdict']} {sorted(got_kinds)} {v.get('error','')}")
print(f"screen_sample: {ok} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
