#!/usr/bin/env bash
# Crafted captures (tests/data/make_edge_captures.py, scapy) replayed with
# the default inspection callout: the exact bytes each receiver got and how
# each direction ended (flows.tsv `end`).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(scapy_py)" "$OWFP_SOURCE_DIR/tests/data/make_edge_captures.py" "$work/cap" >/dev/null 2>&1 ||
    fail "make_edge_captures.py failed"

C=10.0.0.1.40000-10.0.0.2.80
S=10.0.0.2.80-10.0.0.1.40000

replay() { # name [options...]: replay cap/NAME.pcap into out/NAME
    local name=$1
    shift
    "$OWFP_BIN" replay -q --extract "$work/out/$name" "$@" "$work/cap/$name.pcap" ||
        fail "replay of $name.pcap exited $?"
}
got() { cat "$work/out/$1/$2"; }
ends() { tail -n +2 "$work/out/$1/flows.tsv" | cut -f8 | tr '\n' ' ' | sed 's/ $//'; }

replay ooo
expect_eq "out-of-order: segments delivered in stream order" "$(got ooo $C)" "HELLO WORLD"
expect_eq "out-of-order: ends" "$(ends ooo)" "fin fin"

replay retrans
expect_eq "retransmission: bytes delivered once" "$(got retrans $C)" "ONE,TWO"

replay overlap
expect_eq "overlap, default: the first copy wins" "$(got overlap $C)" "012AAAAAABB"
replay overlap --overlap last
expect_eq "overlap, --overlap last: the last copy wins" "$(got overlap $C)" "012AABBBBBB"

replay hole --json >"$work/hole.json"
expect_eq "hole: bytes around an unfilled hole" "$(got hole $C)" "before|after"
expect_eq "hole: reported as skipped and missed" \
    "$("$(py)" -c 'import json,sys; c=json.load(open(sys.argv[1]))["captures"][0]; print(c["holes_skipped"], c["bytes_missed"])' "$work/hole.json")" \
    "1 100"
expect_eq "hole: direction still ends with its FIN" "$(ends hole)" "fin fin"

replay syn_data
expect_eq "SYN carrying data" "$(got syn_data $C)" "EARLY+LATER"

replay fin_data
expect_eq "FIN carrying data" "$(got fin_data $C)" "FIRST+LAST"
expect_eq "FIN carrying data: reply" "$(got fin_data $S)" "reply"
expect_eq "FIN carrying data: ends" "$(ends fin_data)" "fin fin"

replay rst_mid
expect_bytes "RST mid-stream: client bytes before it" "$work/out/rst_mid/$C" $'GET / HTTP/1.0\r\n\r\n'
expect_bytes "RST mid-stream: server bytes before it, nothing after" "$work/out/rst_mid/$S" $'HTTP/1.0 200 OK\r\n'
expect_eq "RST mid-stream: both directions end rst" "$(ends rst_mid)" "rst rst"

replay seqwrap
expect_eq "sequence wrap: client" "$(got seqwrap $C)" "abcdefghijkl"
expect_eq "sequence wrap: server" "$(got seqwrap $S)" "0123456789"

replay ipv6
expect_eq "IPv6: compressed names, client" "$(got ipv6 2001:db8::1.40000-2001:db8::2.80)" "v6 request"
expect_eq "IPv6: server" "$(got ipv6 2001:db8::2.80-2001:db8::1.40000)" "v6 response"

replay vlan
expect_eq "802.1Q VLAN: client" "$(got vlan $C)" "tagged"
expect_eq "802.1Q VLAN: server" "$(got vlan $S)" "frames"

replay frag
cmp -s "$work/out/frag/$S" "$work/cap/frag.body" || fail "IPv4 fragments: reassembled body differs"
ok "IPv4 fragments: 3000-byte segment in three fragments"

replay midstream --json >"$work/mid.json"
expect_eq "mid-stream pickup: lower port is the server, client bytes" \
    "$(got midstream 10.0.0.1.40001-10.0.0.2.8080)" "middle of a stream"
expect_eq "mid-stream pickup: server bytes" "$(got midstream 10.0.0.2.8080-10.0.0.1.40001)" "conversation"
expect_eq "mid-stream pickup: counted" \
    "$("$(py)" -c 'import json,sys; print(json.load(open(sys.argv[1]))["flows"]["midstream"])' "$work/mid.json")" "1"

replay reuse
expect_eq "reused 5-tuple: first connection" "$(got reuse $C)" "first connection"
expect_eq "reused 5-tuple: second gets ~2" "$(got reuse "$C~2")" "second connection"
expect_eq "reused 5-tuple: flows.tsv has both" "$(tail -n +2 "$work/out/reuse/flows.tsv" | cut -f1 | sort -u | wc -l)" "2"

set +e
"$OWFP_BIN" replay -q --extract "$work/out/truncated" "$work/cap/truncated.pcap" 2>"$work/trunc.err"
rc=$?
set -e
expect_eq "truncated capture: exit status 1" "$rc" "1"
grep -q "truncated.pcap: record 7 at offset [0-9]*: record truncated" "$work/trunc.err" ||
    fail "truncated capture: message should name the file and record 7, got: $(cat "$work/trunc.err")"
ok "truncated capture: message names the file and the record"
expect_eq "truncated capture: everything readable was processed" "$(got truncated $C | wc -c)" "500"

echo "test_replay_edge_cases: $RP_PASSED checks passed"
