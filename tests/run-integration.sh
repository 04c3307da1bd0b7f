#!/bin/sh
# Integration tests: shell scripts tests/integration/*.sh, each exits 0
# on success.  Prints one closing line.
set -u
pass=0
fail=0
for t in tests/integration/*.sh; do
	[ -e "$t" ] || continue
	echo "== $t"
	if sh "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
