#!/usr/bin/env bash
# Coalesced indications (Q19, docs/replay.md): by default replay merges
# consecutive in-order segments of one direction into one indication until
# PSH, FIN/RST, a gap, urgent data, the other side speaking, a capture-time
# gap over 1 ms, or 64 KiB; --segments keeps one indication per segment.
# Checks the rule on a crafted capture (indication counts in the JSON
# summary), and that both modes give identical --extract output (files and
# flows.tsv: bytes, sha256, ends) on every test capture, with the default
# count callout, and with the demo filters (http_filter drops, stream edits).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d "$OWFP_BUILD_DIR/replay_coalesce.XXXXXX")
trap 'rm -rf "$work"' EXIT
py=$(scapy_py)

# Flow 1: 100 x 1000 bytes client->server without PSH (PSH on the last),
# 1 ms apart: runs of 65 and 35 segments (64 KiB bound), then the server
# answers (a turn), then 3 segments after a 2 ms pause (a timestamp gap),
# then a segment after a hole of 500 bytes, then urgent data.
"$py" - "$work/bulk.pcap" <<'PY'
import sys
from scapy.all import IP, TCP, Ether, wrpcap
C, S = "10.9.0.1", "10.9.0.2"
p, t = [], [1764100000.0]
def add(src, dst, sp, dp, fl, seq, ack, data=b"", dt=0.0001, urg=0):
    x = Ether() / IP(src=src, dst=dst) / TCP(sport=sp, dport=dp, flags=fl, seq=seq, ack=ack, urgptr=urg) / data
    t[0] += dt
    x.time = t[0]
    p.append(x)
c, s = 1000, 9000
add(C, S, 40001, 80, "S", c, 0); add(S, C, 80, 40001, "SA", s, c + 1); c += 1; s += 1
add(C, S, 40001, 80, "A", c, s)
for i in range(100):
    d = bytes([65 + i % 26]) * 1000
    add(C, S, 40001, 80, "PA" if i == 99 else "A", c, s, d); c += 1000
    if i % 2:
        add(S, C, 80, 40001, "A", s, c)   # pure ACKs do not end a run
add(S, C, 80, 40001, "A", s, c, b"ok\n"); s += 3
add(C, S, 40001, 80, "A", c, s, b"x" * 100); c += 100
add(C, S, 40001, 80, "A", c, s, b"y" * 100, dt=0.002); c += 100
add(C, S, 40001, 80, "A", c, s, b"z" * 100); c += 100
c += 500                                  # a hole: never captured
add(C, S, 40001, 80, "A", c, s, b"w" * 100); c += 100
add(C, S, 40001, 80, "UA", c, s, b"U", urg=1); c += 1
add(C, S, 40001, 80, "A", c, s, b"v" * 100); c += 100
add(C, S, 40001, 80, "FA", c, s); c += 1
add(S, C, 80, 40001, "FA", s, c); s += 1
add(C, S, 40001, 80, "A", c, s)
wrpcap(sys.argv[1], p)
PY

indications() { "$OWFP_BIN" replay --json "$@" | "$py" -c 'import json,sys; print(json.load(sys.stdin)["indications"])'; }
# segments: 100 + 1 + 3 + 1 + 1 (urgent) + 1 = 107
expect_eq "--segments: one indication per captured segment" "$(indications --segments "$work/bulk.pcap")" 107
# merged: [65][35 PSH] [ok] [x] [y z] [w] [U] [v] = 8
expect_eq "default: runs end at 64 KiB, PSH, a turn, a 2 ms gap, a hole, urgent data" \
    "$(indications "$work/bulk.pcap")" 8

# The same extract in both modes, on every capture the tests use.
"$py" "$OWFP_SOURCE_DIR/tests/data/make_edge_captures.py" "$work/edge" >/dev/null 2>&1 || fail "make_edge_captures.py failed"
"$py" "$OWFP_SOURCE_DIR/tests/data/make_decisions_capture.py" "$work/decisions.pcap" >/dev/null 2>&1 ||
    fail "make_decisions_capture.py failed"
caps=("$work/bulk.pcap" "$work/decisions.pcap" "$OWFP_SOURCE_DIR/examples/demo.pcap")
for f in "$work"/edge/*.pcap*; do caps+=("$f"); done
[ "${#caps[@]}" -ge 10 ] || fail "too few captures: ${#caps[@]}"
same() { # same MODE_ARGS...: default and --segments extract alike
    local cap=$1; shift
    rm -rf "$work/a" "$work/b"
    local ra=0 rb=0 # edge captures may end in an error; both modes must end in the same one
    "$OWFP_BIN" replay -q "$@" --extract "$work/a" "$cap" >/dev/null 2>&1 || ra=$?
    "$OWFP_BIN" replay -q --segments "$@" --extract "$work/b" "$cap" >/dev/null 2>&1 || rb=$?
    [ "$ra" = "$rb" ] || fail "$cap $*: exit status $ra by default, $rb with --segments"
    [ -s "$work/a/flows.tsv" ] || fail "$cap: no extract"
    diff -r "$work/a" "$work/b" >"$work/diff" || fail "$cap $*: --segments and default differ: $(head -5 "$work/diff")"
}
for cap in "${caps[@]}"; do
    same "$cap"
done
ok "--segments and default give identical --extract on ${#caps[@]} captures (count callout)"
for cap in "${caps[@]:0:3}"; do
    same "$cap" -c "$OWFP_SOURCE_DIR/examples/demo.yaml"
done
ok "and with the demo filters (http_filter drops, stream edits) on bulk, decisions and demo"

# --resegment compares the merged reference against random cuts.
"$OWFP_BIN" replay -c "$OWFP_SOURCE_DIR/examples/demo.yaml" --resegment 3 "$work/bulk.pcap" >"$work/out" 2>&1 ||
    fail "--resegment on the merged reference: $(cat "$work/out")"
grep -q "0 flows differ" "$work/out" || fail "resegment summary: $(cat "$work/out")"
ok "--resegment: merged reference, random cuts, no difference"
echo "passed: $RP_PASSED"
