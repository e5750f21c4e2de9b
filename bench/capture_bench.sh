#!/usr/bin/env bash
# Capture reassembly alone (src/capture through bench/probes/capture_count),
# against libnids (bench/peers/nids_count) and a bare libpcap loop, on one
# synthetic classic pcap made by owfp-capgen: 64 concurrent flows, 1448-byte
# segments each acknowledged, 2% of segments overtaken by their successor,
# about 1 GiB of payload. Median of OWFP_BENCH_RUNS runs (default 3), tools
# taking turns. Prints `RATIO name value target` lines for bench/run.sh.
#
# Two modes compare the ways the direct reader reads (issue 23 items 2, 3)
# on replay_bench.sh's cached captures (a) bulk.pcap and (b) http.pcap in
# OWFP_BENCH_CACHE (default bench/.cache; made by bench/replay_bench.sh):
#   --readers     capture_count with each in-line reader (OWFP_READER=read,
#                 fadvise, uring), the read-ahead thread, and the
#                 default policy: the reader's share of the floor;
#   --read-ahead  `openwfp replay -q` with the default policy, the thread
#                 always, and --no-read-ahead, beside libnids (also on
#                 examples/demo.pcap).
# Both: OWFP_BENCH_RUNS rounds (default 5), variants taking turns within a
# round; median wall and CPU time, peak RSS, and per round the ratio of
# each variant's speed to the first one's (median over rounds).
# usage: bench/capture_bench.sh BUILD_DIR [--readers | --read-ahead]
set -uo pipefail

BUILD=$(cd "${1:-build}" 2>/dev/null && pwd) || { echo "capture_bench: no build dir" >&2; exit 2; }
RUNS=${OWFP_BENCH_RUNS:-3}
MIB=${OWFP_BENCH_CAPTURE_MIB:-1024}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ------------------------------------------------- reader / read-ahead modes
# variant lines: "NAME|ENV ASSIGNMENTS|COMMAND" (command gets the capture).
compare_variants() {
	local cap=$1; shift
	local variants=("$@") work v name envs cmd size
	work=$(mktemp -d /tmp/owfp-rdbench.XXXXXX)
	size=$(stat -c %s "$cap")
	cat "$cap" >/dev/null # page cache: every variant reads from memory
	for _ in $(seq 1 "${OWFP_BENCH_RUNS:-5}"); do
		for v in "${variants[@]}"; do
			IFS='|' read -r name envs cmd <<<"$v"
			# shellcheck disable=SC2086
			if env -u OWFP_READER -u OWFP_READ_AHEAD $envs "$BUILD/bench/probes/rusage_run" "$work/t" $cmd "$cap" >/dev/null 2>"$work/err"; then
				tr ' =' '\n\n' <"$work/t" | awk 'NR % 2 == 0 { v[NR / 2] = $1 + 0 }
					END { printf "%.0f %.0f %d\n", v[1], v[2] + v[3], v[4] }' >>"$work/$name"
			else
				echo "capture_bench: $name failed: $(head -c 200 "$work/err")" >&2
				echo "fail" >>"$work/$name"
			fi
		done
	done
	local first
	IFS='|' read -r first _ <<<"${variants[0]}"
	printf '\n%s: %.1f MB, median of %s rounds (machine load %s)\n' "$(basename "$cap")" \
		"$(awk -v b="$size" 'BEGIN { print b / 1e6 }')" "${OWFP_BENCH_RUNS:-5}" "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf '  %-22s %8s %8s %8s %8s %12s\n' variant "wall s" MB/s "cpu s" "RSS MB" "x $first"
	for v in "${variants[@]}"; do
		IFS='|' read -r name _ <<<"$v"
		if grep -q fail "$work/$name"; then printf '  %-22s FAILED\n' "$name"; continue; fi
		local w c m pr
		w=$(awk '{ print $1 }' "$work/$name" | median)
		c=$(awk '{ print $2 }' "$work/$name" | median)
		m=$(awk '{ print $3 }' "$work/$name" | median)
		# per round: the first variant's wall time over this one's
		pr=$(paste -d' ' "$work/$first" "$work/$name" | awk '$4 > 0 { printf "%.6f\n", $1 / $4 }' | median)
		printf '  %-22s %8.3f %8.0f %8.3f %8.1f %12.2f\n' "$name" "$(awk -v x="$w" 'BEGIN { print x / 1e6 }')" \
			"$(awk -v b="$size" -v x="$w" 'BEGIN { print b / x }')" "$(awk -v x="$c" 'BEGIN { print x / 1e6 }')" \
			"$(awk -v x="$m" 'BEGIN { print x / 1024 }')" "$pr"
		printf 'RATIO reader.%s.%s/%s %.2f -\n' "$(basename "$cap" .pcap)" "$name" "$first" "$pr" >>"/tmp/rdbench-ratios.$$"
	done
	rm -rf "$work"
}

reader_modes() {
	local mode=$1 cache=${OWFP_BENCH_CACHE:-$(dirname "$0")/.cache} cap variants=()
	[ -x "$BUILD/bench/probes/rusage_run" ] || { echo "capture_bench: rusage_run not built" >&2; exit 1; }
	local probe=$BUILD/bench/probes/capture_count owfp=$BUILD/openwfp
	if [ "$mode" = --readers ]; then
		variants=("read|OWFP_READER=read OWFP_READ_AHEAD=inline|$probe"
			"fadvise|OWFP_READER=fadvise OWFP_READ_AHEAD=inline|$probe"
			"uring|OWFP_READER=uring|$probe"
			"thread|OWFP_READER=read OWFP_READ_AHEAD=thread|$probe"
			"default|OWFP_BENCH_DEFAULT=1|$probe")
	else
		variants=("no-read-ahead|OWFP_BENCH_DEFAULT=1|$owfp replay -q --no-read-ahead"
			"thread|OWFP_READ_AHEAD=thread|$owfp replay -q"
			"auto|OWFP_READ_AHEAD=auto|$owfp replay -q"
			"default|OWFP_BENCH_DEFAULT=1|$owfp replay -q")
		[ -x "$BUILD/bench/peers/nids_count" ] && variants+=("libnids|OWFP_BENCH_DEFAULT=1|$BUILD/bench/peers/nids_count")
	fi
	rm -f "/tmp/rdbench-ratios.$$"
	local caps=("$cache/bulk.pcap" "$cache/http.pcap")
	# issue 23: never slower than --no-read-ahead on the demo capture either
	[ "$mode" = --read-ahead ] && caps+=("$(dirname "$0")/../examples/demo.pcap")
	for cap in "${caps[@]}"; do
		[ -s "$cap" ] || { echo "capture_bench: $cap missing (bench/replay_bench.sh makes it)" >&2; exit 1; }
		compare_variants "$cap" "${variants[@]}"
	done
	echo
	cat "/tmp/rdbench-ratios.$$" 2>/dev/null
	rm -f "/tmp/rdbench-ratios.$$"
	exit 0
}
case "${2:-}" in
--readers | --read-ahead) reader_modes "$2" ;;
"") ;;
*) echo "usage: $0 BUILD_DIR [--readers | --read-ahead]" >&2; exit 2 ;;
esac

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
