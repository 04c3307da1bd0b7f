#!/bin/sh
# Runs every cmocka unit-test binary given; prints one closing line.
# Tests run from the repository root so they find ../shared.
pass=0
fail=0
failed=""
for t in "$@"; do
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $t"
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
