#!/bin/sh
# Integration tests: shell scripts tests/integration/*.sh, each exits 0
# on success.  Prints one closing line.
#
# Scripts whose first lines contain "# heavy" (real broker, long fault
# runs, fuzzer builds) run in the plain build only: under a sanitizer
# build (INTERDICT_SAN set) they are listed as skipped, because the
# sanitizer runs of the same code paths are the unit and mock-cluster
# tests, and a sanitized real-broker soak would not fit CI's time.
set -u
pass=0
fail=0
skip=0
for t in tests/integration/*.sh; do
	[ -e "$t" ] || continue
	case "$t" in */lib_*.sh) continue ;; esac
	if [ -n "${INTERDICT_SAN:-}" ] && head -5 "$t" | grep -q '^# heavy'; then
		echo "== $t: skipped under SAN=$INTERDICT_SAN"
		skip=$((skip + 1))
		continue
	fi
	echo "== $t"
	start=$(date +%s)
	if sh "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
	echo "== $t: $(( $(date +%s) - start )) s"
done
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
