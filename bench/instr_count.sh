#!/usr/bin/env bash
# Instructions per indication and per connection, by callgrind: unlike wall
# time these counts do not move with the machine's load, so they are how a
# change to the per-segment or per-flow path is judged (docs/PERFORMANCE.md,
# "Floors"). Replays the first 40,000 packets of bench/.cache/bulk.pcap and
# the first 80,000 of bench/.cache/http.pcap (made by replay_bench.sh) with
# the default filters and with none, and prints the totals and differences.
# usage: bench/instr_count.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "${1:-build-bench}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${OWFP_BENCH_CACHE:-$HERE/.cache}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for f in bulk http; do
	[ -s "$CACHE/$f.pcap" ] || { echo "instr_count: no $CACHE/$f.pcap (run bench/replay_bench.sh first)" >&2; exit 1; }
done
tcpdump -r "$CACHE/bulk.pcap" -c 40000 -w "$WORK/bulk.pcap" 2>/dev/null
tcpdump -r "$CACHE/http.pcap" -c 80000 -w "$WORK/http.pcap" 2>/dev/null
printf 'filters: []\n' >"$WORK/nofilters.yaml"

# instr CAPTURE [ARGS...] -> instructions executed by `openwfp replay -q`
instr() {
	local cap=$1; shift
	valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
		"$BUILD/openwfp" replay -q "$@" "$cap" 2>&1 >/dev/null |
		sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
# What the default replay says it classified and how many flows it saw.
summary() { "$BUILD/openwfp" replay --json "$1" | python3 -c 'import json,sys
r = json.load(sys.stdin)
print(r["flows"]["total"], sum(c["classify_calls"] for c in r["callouts"]))'; }

for f in bulk http; do
	cap=$WORK/$f.pcap
	with=$(instr "$cap")
	none=$(instr "$cap" -c "$WORK/nofilters.yaml")
	read -r flows calls <<<"$(summary "$cap")"
	awk -v f="$f" -v w="$with" -v n="$none" -v fl="$flows" -v c="$calls" 'BEGIN {
		printf "%s: %d instructions with the default filters, %d with none; %d classify calls, %d flows\n", f, w, n, c, fl
		printf "  filter work: %.0f per classify, %.0f per flow; per flow in all: %.0f and %.0f\n", (w - n) / c, (w - n) / fl, w / fl, n / fl }'
done
