#!/usr/bin/env bash
# A/B timing: runs two or more commands in turn, ROUNDS times, and prints
# each one's median CPU time (user + system) and wall time, and each
# command's median per-round time over the first command's. Taking turns
# puts every command in the same minutes of a shared machine, which is
# what makes a difference of a few percent visible (docs/PERFORMANCE.md).
# Not run by `make bench` (it compares builds, which the caller makes).
# usage: bench/ab.sh BUILD_DIR ROUNDS -- CMD1 ARGS... -- CMD2 ARGS... [-- ...]
# example, an old build against the current one and libnids on http.pcap:
#   git worktree add /tmp/old fadeb9b && cmake -S /tmp/old -B /tmp/old/build \
#     -DCMAKE_BUILD_TYPE=Release && cmake --build /tmp/old/build -j2
#   bench/ab.sh build-bench 21 -- /tmp/old/build/openwfp replay -q bench/.cache/http.pcap \
#     -- build-bench/openwfp replay -q bench/.cache/http.pcap \
#     -- build-bench/bench/peers/nids_count bench/.cache/http.pcap
set -uo pipefail

BUILD=${1:?usage: bench/ab.sh BUILD_DIR ROUNDS -- CMD... -- CMD...}
ROUNDS=${2:?rounds}
shift 2
RUSAGE=$BUILD/bench/probes/rusage_run
[ -x "$RUSAGE" ] || { echo "ab.sh: no $RUSAGE (build the bench tree first)" >&2; exit 2; }
[ "${1:-}" = "--" ] || { echo "ab.sh: commands start with --" >&2; exit 2; }

cmds=() cur=''
for a in "$@"; do
	if [ "$a" = "--" ]; then
		[ -n "$cur" ] && cmds+=("$cur")
		cur=''
	else
		cur+="$(printf '%q ' "$a")"
	fi
done
[ -n "$cur" ] && cmds+=("$cur")
[ "${#cmds[@]}" -ge 2 ] || { echo "ab.sh: give at least two commands" >&2; exit 2; }

W=$(mktemp -d /tmp/owfp-ab.XXXXXX)
trap 'rm -rf "$W"' EXIT
for r in $(seq "$ROUNDS"); do
	for i in "${!cmds[@]}"; do
		eval "\"\$RUSAGE\" \"\$W/t\" ${cmds[$i]}" >/dev/null 2>&1 ||
			{ echo "ab.sh: command $((i + 1)) failed: ${cmds[$i]}" >&2; exit 1; }
		# "wall_us=N user_us=N sys_us=N maxrss_kb=N" -> "cpu_us wall_us"
		awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		       print v["user_us"] + v["sys_us"], v["wall_us"] }' "$W/t" >>"$W/$i"
	done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
for i in "${!cmds[@]}"; do
	cpu=$(awk '{ print $1 }' "$W/$i" | median)
	wall=$(awk '{ print $2 }' "$W/$i" | median)
	rel=$(paste -d' ' "$W/0" "$W/$i" | awk '$1 > 0 { printf "%.4f\n", $3 / $1 }' | median)
	printf 'cpu %8.1f ms  wall %8.1f ms  cpu/first %.3f  %s\n' \
		"$(awk -v v="$cpu" 'BEGIN { print v / 1000 }')" "$(awk -v v="$wall" 'BEGIN { print v / 1000 }')" \
		"$rel" "${cmds[$i]}"
done
