#!/bin/sh
# heavy: runs in the plain build only (see tests/run-integration.sh)
# fuzz_smoke.sh - build every libFuzzer target (fuzz.mk) and run each
# once over its seed corpus tests/fuzz/corpus/<target>/ (no fuzzing, a
# regression run of a few seconds).  Proves the targets build and that
# no seed crashes, leaks or trips a harness check.  Needs clang with
# libclang-rt (Debian clang-14 + libclang-rt-14-dev); skips (exit 0)
# when clang is missing.  Prints "fuzz_smoke: N passed, M failed".
set -u
cd "$(dirname "$0")/../.." || exit 1

if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "fuzz_smoke: skipped (no ${FUZZ_CC:-clang})"
	exit 0
fi
log=build/fuzz/smoke-build.log
mkdir -p build/fuzz
if ! ${MAKE:-make} --no-print-directory -f fuzz.mk -j"$(nproc 2>/dev/null || echo 2)" \
	fuzz-build >"$log" 2>&1; then
	grep -E 'error|undefined reference' "$log" | head -20
	n=$(ls tests/fuzz/fuzz_*.c | wc -l)
	echo "fuzz_smoke: 0 passed, $n failed (build failed, see $log)"
	exit 1
fi

pass=0
fail=0
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	bin=build/fuzz/bin/$t
	corpus=tests/fuzz/corpus/$t
	if ! ls "$corpus"/* >/dev/null 2>&1; then
		echo "FAILED: $t (no seed corpus in $corpus)"
		fail=$((fail + 1))
		continue
	fi
	out=build/fuzz/smoke-$t.log
	# each seed file is run once; a crash, leak or check failure
	# makes libFuzzer exit non-zero
	if "$bin" -timeout=10 -rss_limit_mb=2048 "$corpus"/* >"$out" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAILED: $t (log $out)"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz check failed|Running:)' "$out" | tail -4
	fi
done
echo "fuzz_smoke: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
