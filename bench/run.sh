#!/usr/bin/env bash
# Runs every benchmark against BUILD_DIR and prints one table of results.
#   - each bench/*_bench.sh, called as `SCRIPT BUILD_DIR`;
#   - each executable built from bench/*.c (BUILD_DIR/bench/NAME), no arguments.
# Both get OWFP_SOURCE_DIR, OWFP_BUILD_DIR and OWFP_BIN in the environment and
# run from the source root. A benchmark reports by printing lines
#     RATIO <name> <value> <target>      e.g.  RATIO replay.a.openwfp/libnids.MB/s 2.31 >=2
# (target is >=X, >X, <=X, <X, or - for information only); a benchmark that
# prints none is shown by its last output line. Full output: BUILD_DIR/bench-logs/.
# A missing peer is the benchmark's business (it skips and says so); a
# benchmark that fails or times out is marked FAILED and the others still run.
# Exit status: 1 if any benchmark failed, else 0 (a ratio below its target is
# reported, not fatal: these machines are small and noisy).
# usage: bench/run.sh BUILD_DIR
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$1" 2>/dev/null && pwd) || { echo "run.sh: no build dir $1" >&2; exit 2; }
LOGS=$BUILD/bench-logs
TIMEOUT=${OWFP_BENCH_TIMEOUT:-1800}
mkdir -p "$LOGS"
: >"$LOGS/summary.txt"
export OWFP_SOURCE_DIR=$SRC OWFP_BUILD_DIR=$BUILD OWFP_BIN=$BUILD/openwfp
cd "$SRC"

failed=0
results=()

# run_one NAME COMMAND...: runs it with its output both shown and logged.
run_one() {
	local name=$1 log=$LOGS/$1.log rc; shift
	printf '\n===== %s\n' "$name"
	timeout "$TIMEOUT" "$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ]; then
		failed=1
		[ "$rc" -eq 124 ] && results+=("$name FAILED(timeout ${TIMEOUT}s)") || results+=("$name FAILED(exit $rc)")
	fi
	if grep -q '^RATIO ' "$log"; then
		while read -r _ n v t _; do results+=("$n ${v:-?} ${t:--}"); done < <(grep '^RATIO ' "$log")
	elif [ "$rc" -eq 0 ]; then
		results+=("$name $(grep -v '^[[:space:]]*$' "$log" | tail -n 1 | tr -s ' \t' ' ' | cut -c1-60 | tr ' ' '_') -")
	fi
}

for script in "$SRC"/bench/*_bench.sh; do
	[ -e "$script" ] || continue
	run_one "$(basename "$script" .sh)" bash "$script" "$BUILD"
done
for src in "$SRC"/bench/*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -x "$BUILD/bench/$name" ]; then
		run_one "$name" "$BUILD/bench/$name"
	else
		printf '\n===== %s: not built (%s)\n' "$name" "$BUILD/bench/$name"
		results+=("$name FAILED(not-built) -")
		failed=1
	fi
done

# verdict VALUE TARGET -> ok | BELOW-TARGET | info | n/a
verdict() {
	awk -v v="$1" -v t="$2" 'BEGIN {
		if (t == "-" || t == "") { print "info"; exit }
		if (v !~ /^[0-9.eE+-]+$/) { print "n/a"; exit }
		op = t; sub(/[0-9.].*$/, "", op); x = substr(t, length(op) + 1) + 0
		ok = (op == ">=" && v >= x) || (op == ">" && v > x) || (op == "<=" && v <= x) || (op == "<" && v < x)
		print ok ? "ok" : "BELOW-TARGET" }'
}

{
	printf '\n===== results (%s, %s)\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$BUILD"
	printf '%-44s %12s %8s  %s\n' result value target verdict
	for r in "${results[@]}"; do
		read -r n v t <<<"$r"
		printf '%-44s %12s %8s  %s\n' "$n" "$v" "$t" "$(verdict "$v" "$t")"
	done
} | tee "$LOGS/summary.txt"
exit $failed
