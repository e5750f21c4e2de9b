#!/usr/bin/env bash
# How replay reads a capture changes only its speed: with the read-ahead
# thread, in line, switching between the two every 4 KiB or probing both
# and keeping one (the policy's windows made tiny), and with the io_uring
# reader (fadvise is read() with other steps: tests/unit), the
# --extract output (bytes, sha256, ends), the events file and the exit
# status are identical, on every capture the tests use and with the demo
# filters (drops, stream edits). src/capture/reader_direct.c.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d "$OWFP_BUILD_DIR/replay_read_modes.XXXXXX")
trap 'rm -rf "$work"' EXIT
py=$(scapy_py)
"$py" "$OWFP_SOURCE_DIR/tests/data/make_edge_captures.py" "$work/edge" >/dev/null 2>&1 || fail "make_edge_captures.py failed"
"$py" "$OWFP_SOURCE_DIR/tests/data/make_decisions_capture.py" "$work/decisions.pcap" >/dev/null 2>&1 ||
    fail "make_decisions_capture.py failed"
caps=("$work/decisions.pcap" "$OWFP_SOURCE_DIR/examples/demo.pcap")
for f in "$work"/edge/*.pcap*; do caps+=("$f"); done
[ "${#caps[@]}" -ge 8 ] || fail "too few captures: ${#caps[@]}"

modes=("read thread" "read alternate" "read auto" "uring inline")
run() { # DIR READER READ_AHEAD CAPTURE ARGS... -> exit status in DIR/rc
    local dir=$1 reader=$2 ra=$3 cap=$4; shift 4
    rm -rf "$dir"; mkdir -p "$dir"
    local rc=0
    OWFP_READER=$reader OWFP_READ_AHEAD=$ra OWFP_READ_AHEAD_WINDOW=4096 \
        "$OWFP_BIN" replay -q "$@" --events "$dir/events" --extract "$dir/x" "$cap" >/dev/null 2>"$dir/err" || rc=$?
    echo "$rc" >"$dir/rc"
}
compared=0
check() { # CAPTURE ARGS...: every mode against read in line (runs two at a time)
    local cap=$1 i=0 pids=() m reader ra; shift
    run "$work/want" read inline "$cap" "$@" &
    pids+=($!)
    for m in "${modes[@]}"; do
        read -r reader ra <<<"$m"
        run "$work/got$i" "$reader" "$ra" "$cap" "$@" &
        pids+=($!)
        i=$((i + 1))
        [ $((i % 2)) = 1 ] && wait "${pids[@]}" && pids=()
    done
    wait "${pids[@]}"
    [ -s "$work/want/x/flows.tsv" ] || fail "$cap: no extract"
    i=0
    for m in "${modes[@]}"; do
        diff -r "$work/want" "$work/got$i" >"$work/diff" ||
            fail "$cap $*: OWFP_READER/OWFP_READ_AHEAD $m differs from read in line: $(head -5 "$work/diff")"
        compared=$((compared + 1)) i=$((i + 1))
    done
}
for cap in "${caps[@]}"; do
    check "$cap"
done
ok "every read mode gives the same extract, events and exit status on ${#caps[@]} captures ($compared runs)"
for cap in "${caps[@]:0:2}"; do
    check "$cap" -c "$OWFP_SOURCE_DIR/examples/demo.yaml"
done
ok "and with the demo filters (http_filter drops, stream edits)"
echo "passed: $RP_PASSED"
