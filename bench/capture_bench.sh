#!/usr/bin/env bash
# Capture reassembly alone (src/capture through bench/probes/capture_count),
# against libnids (bench/peers/nids_count) and a bare libpcap loop, on one
# synthetic classic pcap made by owfp-capgen: 64 concurrent flows, 1448-byte
# segments each acknowledged, 2% of segments overtaken by their successor,
# about 1 GiB of payload. Median of OWFP_BENCH_RUNS runs (default 3), tools
# taking turns. Prints `RATIO name value target` lines for bench/run.sh.
# usage: bench/capture_bench.sh BUILD_DIR
set -uo pipefail

BUILD=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "capture_bench: no build dir" >&2; exit 2; }
RUNS=${OWFP_BENCH_RUNS:-3}
MIB=${OWFP_BENCH_CAPTURE_MIB:-1024}
GEN=$BUILD/tools/owfp-capgen
PROBE=$BUILD/bench/probes/capture_count
NIDS=$BUILD/bench/peers/nids_count
LOOP=$BUILD/bench/peers/pcap_loop
WORK=$(mktemp -d /tmp/owfp-capbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for t in "$GEN" "$PROBE" "$LOOP"; do
	[ -x "$t" ] || { echo "capture_bench: $t not built" >&2; exit 1; }
done
"$GEN" -o "$WORK/c.pcap" -m "$MIB" -f 64 -r 20 || exit 1
size=$(stat -c %s "$WORK/c.pcap")
cat "$WORK/c.pcap" >/dev/null # same page-cache state for every tool

secs() { # command... -> elapsed seconds on stdout
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || { echo "capture_bench: failed: $*" >&2; echo 0; return 1; }
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}' 
}
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A times
tools=(direct libpcap loop)
[ -x "$NIDS" ] && tools+=(libnids)
for _ in $(seq 1 "$RUNS"); do
	times[direct]+="$(secs "$PROBE" "$WORK/c.pcap")"$'\n'
	times[libpcap]+="$(secs "$PROBE" --libpcap "$WORK/c.pcap")"$'\n'
	times[loop]+="$(secs "$LOOP" "$WORK/c.pcap")"$'\n'
	[ -x "$NIDS" ] && times[libnids]+="$(secs "$NIDS" "$WORK/c.pcap")"$'\n'
done
declare -A mbps
printf '%-10s %10s %10s\n' tool seconds MB/s
for t in "${tools[@]}"; do
	s=$(printf '%s' "${times[$t]}" | grep -v '^$' | median)
	mbps[$t]=$(awk -v n="$size" -v s="$s" 'BEGIN {printf "%.3f", n / s / 1000000}')
	printf '%-10s %10.3f %10.1f\n' "$t" "$s" "${mbps[$t]}"
done
if [ -n "${mbps[libnids]:-}" ]; then
	printf 'RATIO capture.direct/libnids.MB/s %s >=2\n' "$(div "${mbps[direct]}" "${mbps[libnids]}")"
	printf 'RATIO capture.libpcap/libnids.MB/s %s -\n' "$(div "${mbps[libpcap]}" "${mbps[libnids]}")"
else
	echo "capture_bench: libnids peer not built; no ratio against it" >&2
fi
printf 'RATIO capture.direct/pcap_loop.MB/s %s -\n' "$(div "${mbps[direct]}" "${mbps[loop]}")"
