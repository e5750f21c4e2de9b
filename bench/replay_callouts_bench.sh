#!/usr/bin/env bash
# Each built-in callout's throughput in `openwfp replay` on the large
# captures replay_bench.sh makes (bench/.cache/bulk.pcap: one 256 MB iperf3
# transfer; http.pcap: thousands of short HTTP connections), as a ratio to
# the default `count` inspection callout measured in the same run; and
# pattern_match with 1, 100 and 10,000 patterns. Median of OWFP_BENCH_RUNS
# runs (default 3), the configurations taking turns.
# Prints `RATIO name value target` lines for bench/run.sh.
# usage: bench/replay_callouts_bench.sh BUILD_DIR
set -uo pipefail

BUILD=$(cd "${1:-build-bench}" 2>/dev/null && pwd) || { echo "replay_callouts_bench: no build dir" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${OWFP_BENCH_CACHE:-$HERE/.cache}
RUNS=${OWFP_BENCH_RUNS:-3}
OWFP=$BUILD/openwfp
WORK=$(mktemp -d /tmp/owfp-cbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export OWFP_DBGPRINT=0

for c in bulk http; do
	if [ ! -s "$CACHE/$c.pcap" ]; then
		echo "replay_callouts_bench: $CACHE/$c.pcap missing: run bench/replay_bench.sh first (make bench does)"
		exit 0
	fi
done

patterns() { # patterns N: a pattern_match configuration with N literals absent from the data
	python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("callouts:\n  - name: pm\n    type: pattern_match\n    params:\n      patterns:")
for i in range(n):
    print('        - "sig-%08x-%d"' % ((i * 2654435761) & 0xffffffff, i))
print("filters:\n  - {name: pm, layer: stream, action: callout_terminating, callout: pm}")
PY
}
one() { # one NAME TYPE PARAMS ACTION
	printf 'callouts: [{name: c, type: %s, params: %s}]\nfilters: [{name: f, layer: stream, action: %s, callout: c}]\n' \
		"$2" "$3" "$4" >"$WORK/$1.yaml"
}
one count count '{}' callout_inspection
one stream_edit_inline stream_edit '{find: "openwfp-absent-string", replace: "x"}' callout_terminating
one stream_edit_oob stream_edit '{find: "openwfp-absent-string", replace: "x", mode: oob, busy_threshold: 1048576}' callout_terminating
one rate_limit rate_limit '{rate: 1e12}' callout_terminating
one flow_log flow_log "{path: $WORK/flows.jsonl}" callout_inspection
one tls_sni_filter tls_sni_filter '{non_tls: allow}' callout_terminating
one http_filter http_filter '{deny: [".evil.example", {path: "/admin/*"}]}' callout_terminating
patterns 1 >"$WORK/pattern_match_1.yaml"
patterns 100 >"$WORK/pattern_match_100.yaml"
patterns 10000 >"$WORK/pattern_match_10000.yaml"

# seconds NAME CAPTURE: one replay
seconds() {
	local t0 t1
	t0=$(date +%s%N)
	"$OWFP" replay -q -c "$WORK/$1.yaml" "$CACHE/$2.pcap" || { echo "replay with $1 failed" >&2; return 1; }
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_capture() { # bench_capture CAPTURE NAME...
	local cap=$1; shift
	local bytes name r
	bytes=$(stat -c %s "$CACHE/$cap.pcap")
	declare -A us
	for ((r = 0; r < RUNS; r++)); do
		for name in "$@"; do
			us[$name]+="$(seconds "$name" "$cap") "
		done
	done
	local base
	base=$(echo "${us[count]}" | tr ' ' '\n' | grep . | median)
	for name in "$@"; do
		local m
		m=$(echo "${us[$name]}" | tr ' ' '\n' | grep . | median)
		printf 'RATIO replay_callouts.%s.%s.MB/s %.1f -\n' "$cap" "$name" \
			"$(echo "$bytes / $m" | bc -l)"
		[ "$name" = count ] ||
			printf 'RATIO replay_callouts.%s.%s/count %.3f -\n' "$cap" "$name" \
				"$(echo "$base / $m" | bc -l)"
	done
}

bench_capture bulk count stream_edit_inline stream_edit_oob rate_limit flow_log tls_sni_filter \
	pattern_match_1 pattern_match_100 pattern_match_10000
bench_capture http count http_filter flow_log pattern_match_100
