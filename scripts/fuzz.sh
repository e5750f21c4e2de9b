#!/usr/bin/env bash
# Runs every libFuzzer harness built in BUILD/fuzz for SECONDS each.
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?usage: fuzz.sh BUILD_DIR [SECONDS]}
secs=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$build/crashes"
status=0
for bin in "$build"/fuzz/fuzz_*; do
	name=$(basename "$bin")
	corpus="$build/corpus/$name"
	mkdir -p "$corpus"
	[ -d "$root/tests/fuzz/corpus/$name" ] && cp -n "$root/tests/fuzz/corpus/$name"/* "$corpus"/ 2>/dev/null || true
	echo "== $name for ${secs}s"
	if ! ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$secs" -max_len=65536 -timeout=10 \
		-rss_limit_mb=4096 -artifact_prefix="$build/crashes/$name-" -print_final_stats=1 \
		"$corpus" 2>"$build/$name.log"; then
		echo "!! $name found a problem: see $build/$name.log and $build/crashes/" >&2
		status=1
	fi
	grep -E "stat::number_of_executed_units|cov:" "$build/$name.log" | tail -2 || true
done
exit $status
