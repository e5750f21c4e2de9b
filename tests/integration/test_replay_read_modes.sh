#!/usr/bin/env bash
# How replay reads a capture changes only its speed: with the read-ahead
# thread, in line, switching between the two every 4 KiB (the policy's
# windows made tiny), and with each in-line reader (read, fadvise, mmap,
# io_uring), the --extract output (bytes, sha256, ends), the events file and
# the exit status are identical, on every capture the tests use and with
# the demo filters (drops, stream edits). src/capture/reader_direct.c.
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

modes=("read thread" "read alternate" "fadvise alternate" "mmap inline" "uring inline")
run() { # DIR READER READ_AHEAD CAPTURE ARGS... -> exit status in DIR/rc
    local dir=$1 reader=$2 ra=$3 cap=$4; shift 4
    rm -rf "$dir"; mkdir -p "$dir"
    local rc=0
    OWFP_READER=$reader OWFP_READ_AHEAD=$ra OWFP_READ_AHEAD_WINDOW=4096 \
        "$OWFP_BIN" replay -q "$@" --events "$dir/events" --extract "$dir/x" "$cap" >/dev/null 2>"$dir/err" || rc=$?
    echo "$rc" >"$dir/rc"
}
compared=0
check() { # CAPTURE ARGS...
    local cap=$1; shift
    run "$work/want" read inline "$cap" "$@"
    [ -s "$work/want/x/flows.tsv" ] || fail "$cap: no extract"
    for m in "${modes[@]}"; do
        set -- $m "$@"
        local reader=$1 ra=$2; shift 2
        run "$work/got" "$reader" "$ra" "$cap" "$@"
        diff -r "$work/want" "$work/got" >"$work/diff" ||
            fail "$cap $*: OWFP_READER=$reader OWFP_READ_AHEAD=$ra differs from read in line: $(head -5 "$work/diff")"
        compared=$((compared + 1))
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
