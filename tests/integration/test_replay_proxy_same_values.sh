#!/usr/bin/env bash
# One connection, two data paths, one view: a loopback connection is served
# live by `openwfp proxy` while tcpdump on lo captures it, then the capture
# is replayed; a recording callout (plugin_record_values.so) writes every
# FWPS_INCOMING_VALUES0 it is shown, at ALE_FLOW_ESTABLISHED and STREAM, and
# both paths must show exactly the same values (addresses, ports, direction,
# flags incl. IS_LOOPBACK, compartment, the empty fields).
#
# The proxy intercepts with TPROXY in a network namespace the test creates,
# so the client's packets keep their addresses on the wire: the capture
# holds the very connection the proxy keyed its flow on (client ->
# original destination), not a connection to the proxy's own port.
. "$(dirname "$0")/proxy_lib.sh"

NS=owfp-sv-$$
netns_cleanup() { ip netns del "$NS" 2>/dev/null; }
CLEANUP_HOOKS+=(netns_cleanup)
ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" addr add fd00::2/128 dev lo nodad
ip -n "$NS" addr add fd00::3/128 dev lo nodad
in_ns() { ip netns exec "$NS" "$@"; }
# Only the client's source address is intercepted: the proxy's own
# upstream connection (from another address) goes straight through.
in_ns nft -f - <<'NFT'
table inet owfp_test {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		iifname "lo" ip saddr 127.0.0.3 tcp dport 8080 tproxy ip to 127.0.0.1:15001 accept
		iifname "lo" ip6 saddr fd00::3 tcp dport 8080 tproxy ip6 to [::1]:15001 accept
	}
}
NFT
# Backgrounded processes run under `ip netns exec` directly (it execs), so
# their PID is theirs and not a subshell's.
listening_in() { in_ns ss -ltn "( sport = :$1 )" | grep -q LISTEN; }

fins_in() {
	# (a text match: BPF's tcp[] cannot index IPv6 headers)
	[ "$(tcpdump -nr "$1" 2>/dev/null | grep -c 'Flags \[[^]]*F')" -ge "$2" ]
}

# same_values NAME CLIENT SERVER LISTEN EXPECTED-FLAGS
same_values() {
	local name=$1 client=$2 server=$3 listen=$4 flags=$5
	ip netns exec "$NS" $PEER sink --listen "[$server]:8080" --out "$T/$name.rep" >"$T/$name.srv" 2>&1 &
	PIDS+=("$!")
	wait_until 10 listening_in 8080 || fail "$name: server did not start"
	ip netns exec "$NS" tcpdump -i lo --immediate-mode -U -w "$T/$name.pcap" "tcp and host $client" >/dev/null 2>"$T/$name.tcpdump" &
	local tpid=$!
	PIDS+=("$tpid")
	wait_until 10 grep -q 'listening on' "$T/$name.tcpdump" || fail "$name: tcpdump did not start"
	OWFP_RECORD_VALUES="$T/$name.proxy.rec" ip netns exec "$NS" "$OWFP_BIN" proxy --transparent --listen "$listen" \
		--callout "$OWFP_PLUGIN_DIR/plugin_record_values.so" >"$T/$name.out" 2>"$T/$name.err" &
	local ppid=$!
	PIDS+=("$ppid")
	wait_until 10 grep -q '^listening on' "$T/$name.out" || fail "$name: proxy did not start"
	in_ns python3 - "$client" "$server" >"$T/$name.cport" <<'PY' || fail "$name: client failed"
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam)
s.bind((sys.argv[1], 0))
s.connect((sys.argv[2], 8080))
print(s.getsockname()[1])
s.sendall(b"the same connection, twice")
s.shutdown(socket.SHUT_WR)
while s.recv(4096):
    pass
PY
	wait_until 10 test -s "$T/$name.rep" || fail "$name: server never finished"
	# tcpdump may still hold packets when the peers are done: stop it only
	# once both FINs are in the file.
	wait_until 10 fins_in "$T/$name.pcap" 2 || fail "$name: the capture lacks the FINs"
	stop_proxy "$ppid"
	kill -INT "$tpid"
	wait "$tpid" || true
	# The proxy sees the client's program through /proc (ALE_APP_ID); a
	# capture does not hold it, so replay is told, as a user would tell it.
	OWFP_RECORD_VALUES="$T/$name.replay.rec" "$OWFP_BIN" replay -q \
		--process "$(cat "$T/$name.cport")=$(readlink -f "$(command -v python3)")" \
		--callout "$OWFP_PLUGIN_DIR/plugin_record_values.so" "$T/$name.pcap" \
		>"$T/$name.replay.out" 2>"$T/$name.replay.err" || fail "$name: replay failed"

	# Each path classified at both layers: one distinct line per layer.
	sort -u "$T/$name.proxy.rec" >"$T/$name.proxy.u"
	sort -u "$T/$name.replay.rec" >"$T/$name.replay.u"
	[ "$(wc -l <"$T/$name.proxy.u")" = 2 ] || fail "$name: proxy records: $(cat "$T/$name.proxy.u")"
	diff -u "$T/$name.proxy.u" "$T/$name.replay.u" >&2 ||
		fail "$name: the proxy and replay showed the callout different incoming values"
	# ALE_APP_ID (index 0 at flow-established) was compared, not absent on both.
	grep -q "^layer=[0-9]* count=24 0=type12 " "$T/$name.proxy.u" ||
		fail "$name: the proxy did not find the client's program: $(cat "$T/$name.proxy.u")"
	# The STREAM flags field (index 6) carries the loopback rule's answer.
	grep -q "^layer=[0-9]* count=8 .* 6=u32:$flags " "$T/$name.proxy.u" ||
		fail "$name: STREAM flags not $flags: $(cat "$T/$name.proxy.u")"
}

same_values v4 127.0.0.3 127.0.0.2 127.0.0.1:15001 1
pass "IPv4 loopback: proxy and replay present identical incoming values, IS_LOOPBACK set"

same_values v6 fd00::3 fd00::2 '[::1]:15001' 0
pass "IPv6 between two global addresses of one host: identical values, IS_LOOPBACK not set (docs/semantics.md)"
