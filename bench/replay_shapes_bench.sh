#!/usr/bin/env bash
# The replay measurements of docs/PERFORMANCE.md, "Coalesced indications, many
# flows, SYN-only flows", on the synthetic captures of bench/synth_captures.py:
#   - instructions (callgrind, so machine load does not move them) of
#     `replay -q --no-read-ahead` on bulk20k and h5k, merged runs (default)
#     against one indication per segment (--segments);
#   - instructions per flow of `replay -q` (default options) on w20k, 20k
#     short connections with 4 KiB answers (docs/PERFORMANCE.md, "Cheap flows");
#   - peak RSS per SYN-only flow, from s100k and s200k (/usr/bin/time %M);
#   - wall time of `replay -q --extract` with 20k and 60k flows open at once
#     (c20k, c60k): the ratio shows whether the cost grows faster than the
#     flow count (wall time: only meaningful on a quiet machine).
# usage: bench/replay_shapes_bench.sh BUILD_DIR
set -euo pipefail
BUILD=$(cd "${1:-build-bench}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${OWFP_BENCH_CACHE:-$HERE/.cache}/synth
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE"
for c in bulk20k h5k w20k s100k s200k c20k c60k; do
	[ -s "$CACHE/$c.pcap" ] || python3 "$HERE/synth_captures.py" "$CACHE" "$c" >/dev/null
done

instr() {
	valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
		"$BUILD/openwfp" replay -q --no-read-ahead "$@" 2>&1 >/dev/null |
		sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
for c in bulk20k h5k; do
	seg=$(instr --segments "$CACHE/$c.pcap")
	run=$(instr "$CACHE/$c.pcap")
	echo "$c: $seg instructions with --segments, $run merged (default)"
	awk -v s="$seg" -v r="$run" -v c="$c" 'BEGIN { printf "RATIO replay.%s.instructions.merged/segments %.3f -\n", c, r / s }'
done

w=$(valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" "$BUILD/openwfp" replay -q \
	"$CACHE/w20k.pcap" 2>&1 >/dev/null | sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,)
echo "w20k: $w instructions, default options"
awk -v w="$w" 'BEGIN { printf "RATIO replay.w20k.instructions_per_flow %.0f -\n", w / 20000 }'

peak_kib() { /usr/bin/time -f %M "$BUILD/openwfp" replay -q "$1" 2>&1 >/dev/null | tail -1; }
a=$(peak_kib "$CACHE/s100k.pcap")
b=$(peak_kib "$CACHE/s200k.pcap")
echo "SYN-only flows: peak RSS $a KiB with 100k, $b KiB with 200k"
awk -v a="$a" -v b="$b" 'BEGIN { printf "RATIO replay.syn_only.bytes_per_flow %.0f -\n", (b - a) * 1024 / 100000 }'

extract_s() {
	local t0 t1
	rm -rf "$WORK/x"
	t0=$(date +%s.%N)
	"$BUILD/openwfp" replay -q --extract "$WORK/x" "$1" >/dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}
x20=$(extract_s "$CACHE/c20k.pcap")
x60=$(extract_s "$CACHE/c60k.pcap")
echo "--extract with flows open at once: c20k $x20 s, c60k $x60 s"
awk -v a="$x20" -v b="$x60" 'BEGIN { printf "RATIO replay.extract.c60k/c20k %.2f -\n", b / a }'
