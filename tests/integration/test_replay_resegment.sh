#!/usr/bin/env bash
# `openwfp replay --resegment N [--seed S]`, the segmentation check: a
# callout that looks at one indication at a time is caught (exit 3, the
# flow, the seed and the segments named, reproducible from the seed), while
# the built-in stream_edit and the stmedit_lite example give the same result
# for every segmentation (exit 0).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

# in the build tree, not /tmp: a privileged openwfp refuses plugins under a
# world-writable directory (src/wdm/plugin_trust.h)
work=$(mktemp -d "$OWFP_BUILD_DIR/replay_resegment.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
export OWFP_DBGPRINT=0
py=$(scapy_py)

# One connection; the only "rainy" the client sends is split as "rai" | "ny".
"$py" - "$work/split.pcap" <<'PY'
import sys
from scapy.all import IP, TCP, Ether, wrpcap
C, S = "10.1.0.1", "10.1.0.2"
p, t = [], [1764100000.0]
def add(src, dst, sp, dp, fl, seq, ack, data=b""):
    x = Ether() / IP(src=src, dst=dst) / TCP(sport=sp, dport=dp, flags=fl, seq=seq, ack=ack) / data
    t[0] += 0.001
    x.time = t[0]
    p.append(x)
c, s = 100, 900
add(C, S, 40001, 80, "S", c, 0); add(S, C, 80, 40001, "SA", s, c + 1); c += 1; s += 1
add(C, S, 40001, 80, "A", c, s)
for seg in [b"it is rai", b"ny today\n"]:
    add(C, S, 40001, 80, "PA", c, s, seg); c += len(seg)
    add(S, C, 80, 40001, "A", s, c)
add(S, C, 80, 40001, "PA", s, c, b"ok\n"); s += 3
add(C, S, 40001, 80, "FA", c, s); c += 1
add(S, C, 80, 40001, "FA", s, c); s += 1
add(C, S, 40001, 80, "A", c, s)
wrpcap(sys.argv[1], p)
PY

status() { set +e; "$@" >"$work/out" 2>"$work/err"; echo $?; set -e; }

naive="$OWFP_PLUGIN_DIR/plugin_naive_match.so"
expect_eq "as captured, the naive callout lets the split 'rainy' through" \
    "$(status "$OWFP_BIN" replay -q --callout "$naive" --extract "$work/x" "$work/split.pcap")" 0
[ "$(tail -n +2 "$work/x/flows.tsv" | awk '{print $8}' | sort -u)" = "fin" ] || fail "the reference run dropped"

expect_eq "--resegment catches the naive callout (exit 3)" \
    "$(status "$OWFP_BIN" replay --callout "$naive" --resegment 10 --seed 5 "$work/split.pcap")" 3
grep -q "flow 1 differs" "$work/out" || fail "the differing flow is named: $(cat "$work/out")"
grep -q "drop:" "$work/out" || fail "the decision that differs is shown"
grep -q "segments client->server" "$work/out" || fail "the segmentation is shown"
grep -q "1 flow differs" "$work/out" || fail "a summary line: $(tail -1 "$work/out")"
ok "the report names the flow, the decisions and the segments"

seed=$(sed -n 's/.*--resegment 1 --seed \([0-9]*\).*/\1/p' "$work/out" | head -1)
[ -n "$seed" ] || fail "no seed in the report"
expect_eq "the reported seed reproduces it on its own" \
    "$(status "$OWFP_BIN" replay --callout "$naive" --resegment 1 --seed "$seed" "$work/split.pcap")" 3
expect_eq "the same seed gives the same segments" \
    "$(grep "segments client->server" "$work/out" | head -1)" \
    "$("$OWFP_BIN" replay --callout "$naive" --resegment 10 --seed 5 "$work/split.pcap" | grep "segments client->server" | head -1)"

cat >"$work/edit.yaml" <<'YAML'
callouts:
  - {name: e, type: stream_edit, params: {find: rainy, replace: sunny}}
  - {name: o, type: stream_edit, params: {find: today, replace: "", mode: oob}}
sublayers:
  - {name: first, weight: 40000}
filters:
  - {name: e, layer: stream, sublayer: first, action: callout_terminating, callout: e}
  - {name: o, layer: stream, action: callout_terminating, callout: o}
YAML
expect_eq "the built-in stream_edit (inline and oob) does not depend on segmentation" \
    "$(status "$OWFP_BIN" replay -c "$work/edit.yaml" --resegment 25 "$work/split.pcap")" 0
grep -q "0 flows differ" "$work/out" || fail "summary: $(cat "$work/out")"
cc -shared -fPIC -I"$OWFP_SOURCE_DIR/include/openwfp" -I"$OWFP_SOURCE_DIR/include" \
    "$OWFP_SOURCE_DIR/examples/stmedit_lite/stmedit_lite.c" -o "$work/stmedit_lite.so"
expect_eq "nor does the stmedit_lite example" \
    "$(status "$OWFP_BIN" replay --callout "$work/stmedit_lite.so" --resegment 25 \
        "$OWFP_SOURCE_DIR/examples/stmedit_lite/weather.pcap")" 0

# The demo: a correct dropper lets more bytes through before the same drop
# when the cuts are finer. That is reported, and is not a dependence.
expect_eq "the README's demo passes the check (exit 0)" \
    "$(status "$OWFP_BIN" replay -c "$OWFP_SOURCE_DIR/examples/demo.yaml" --resegment 20 \
        "$OWFP_SOURCE_DIR/examples/demo.pcap")" 0
grep -q "before the same drop .*not a dependence" "$work/out" || fail "the legitimate difference is not shown: $(cat "$work/out")"
grep -q "0 flows differ; 1 only in how many bytes got through before the same drop" "$work/out" \
    || fail "summary: $(tail -1 "$work/out")"
ok "a drop that lets more bytes through with finer cuts is reported apart and not counted"

# A dependence hidden behind the same decision: the naive callout drops in
# every run, but when the first "rainy" (whole in the captured segment the
# reference drops on, offsets 0..510) is split, it lets bytes through past
# offset 510 and drops only at a later "rainy". Seed 34 splits it.
"$py" - "$work/past.pcap" <<'PY'
import sys
from scapy.all import IP, TCP, Ether, wrpcap
C, S = "10.1.0.1", "10.1.0.2"
p, t = [], [1764100000.0]
def add(src, dst, sp, dp, fl, seq, ack, data=b""):
    x = Ether() / IP(src=src, dst=dst) / TCP(sport=sp, dport=dp, flags=fl, seq=seq, ack=ack) / data
    t[0] += 0.001
    x.time = t[0]
    p.append(x)
c, s = 100, 900
add(C, S, 40002, 80, "S", c, 0); add(S, C, 80, 40002, "SA", s, c + 1); c += 1; s += 1
add(C, S, 40002, 80, "A", c, s)
first = b"a" * 500 + b"rainy" + b"b" * 5
rest = b"c" * 3000 + b"".join(b"%04d rainy day\n" % i for i in range(200))
for seg in [first] + [rest[i:i + 1400] for i in range(0, len(rest), 1400)]:
    add(C, S, 40002, 80, "PA", c, s, seg); c += len(seg)
    add(S, C, 80, 40002, "A", s, c)
add(C, S, 40002, 80, "FA", c, s); c += 1
add(S, C, 80, 40002, "FA", s, c); s += 1
add(C, S, 40002, 80, "A", c, s)
wrpcap(sys.argv[1], p)
PY
expect_eq "bytes past the reference's drop are a dependence (exit 3)" \
    "$(status "$OWFP_BIN" replay --callout "$naive" --resegment 1 --seed 34 "$work/past.pcap")" 3
grep -q "flow 1 differs in run 1 .*: bytes delivered past the offset where the reference dropped" "$work/out" \
    || fail "the reason is named: $(cat "$work/out")"
grep -q "decisions: drop:naive dropped; reference: drop:naive dropped" "$work/out" \
    || fail "the same decision in both: $(cat "$work/out")"
grep -q "reference on client->server bytes 0..510" "$work/out" || fail "the reference's drop bound is shown: $(cat "$work/out")"
grep -q "^resegment: .* 1 flow differs$" "$work/out" || fail "summary: $(tail -1 "$work/out")"
ok "a run that drops later than the reference's bound is caught although the decisions agree"

expect_eq "--resegment with --extract is bad usage" \
    "$(status "$OWFP_BIN" replay --resegment 2 --extract "$work/y" "$work/split.pcap")" 2
expect_eq "--resegment 0 is bad usage" "$(status "$OWFP_BIN" replay --resegment 0 "$work/split.pcap")" 2
echo "PASS: $RP_PASSED checks"
