#!/usr/bin/env bash
# The sockmap switch-over after the proxy read part of an skb (docs/proxy.md
# "Offload"): the kernel's verdict is handed whole skbs from the receive
# queue (tcp_read_skb), so a switch right after a recv() that stopped inside
# an skb redirected that skb's already-copied bytes a second time (seen in
# CI: 95,232 bytes too many). --read-size 1000 makes every full read stop
# inside a loopback skb, so each flow here meets that case at its first
# read; the peers pause after a first burst each way until the proxy has
# reported the offload, then send the rest through the kernel. Byte-exact:
# sha256 and FIN both ways, stats and the close event count what was sent.
. "$(dirname "$0")/proxy_lib.sh"

ACTIONS=$OWFP_PLUGIN_DIR/plugin_proxy_actions.so
OP="python3 $OWFP_SOURCE_DIR/tests/integration/offload_peer.py"
BIG=$((1024 * 1024))
FIRST=$((256 * 1024))
WANT=$(pattern_sha "$BIG")

stat_json() { "$OWFP_BIN" stats --control "$1" --json; }

# switch_case NAME SERVER-PAUSE CLIENT-ARGS...: a duplex flow of BIG bytes
# each way, the server paused after SERVER-PAUSE bytes and the client after
# FIRST until the offload; checks everything.
switch_case() {
	local name=$1 spause=$2 port
	shift 2
	port=$(free_port)
	$OP duplex-server --listen "127.0.0.1:$port" "$BIG" --out "$T/$name.srv" \
		--pause-after "$spause" --go "$T/$name.go" >/dev/null 2>"$T/$name.srv.err" &
	PIDS+=("$!")
	wait_until 10 bash -c "ss -ltn '( sport = :$port )' | grep -q LISTEN" || fail "$name: server did not start"
	OWFP_PROXY_ACTION=allow start_proxy "p$name" --listen 127.0.0.1:0 --upstream "127.0.0.1:$port" \
		--callout "$ACTIONS" --offload sockmap --workers 1 --read-size 1000 \
		--control "$T/$name.sock" --events "$T/$name.events"
	$OP duplex-client --connect "127.0.0.1:$PROXY_PORT" "$BIG" --out "$T/$name.cli" \
		--pause-after "$FIRST" --go "$T/$name.go" "$@" >/dev/null 2>"$T/$name.cli.err" &
	local cpid=$!
	PIDS+=("$cpid")
	wait_until 60 grep -q '"event":"proxy_offload"' "$T/$name.events" ||
		fail "$name: the flow was not offloaded"
	grep -q '"event":"proxy_offload".*"detail":"sockmap"' "$T/$name.events" ||
		fail "$name: offloaded, but not to the sockmap: $(grep proxy_offload "$T/$name.events")"
	touch "$T/$name.go"
	wait "$cpid" || fail "$name: client: $(cat "$T/$name.cli.err")"
	wait_until 30 test -s "$T/$name.srv" || fail "$name: server never finished"
	for r in srv cli; do
		[ "$(report_field "$T/$name.$r" bytes)" = "$BIG" ] || fail "$name: $r got $(cat "$T/$name.$r")"
		[ "$(report_field "$T/$name.$r" sha256)" = "$WANT" ] || fail "$name: $r got $(cat "$T/$name.$r")"
		[ "$(report_field "$T/$name.$r" end)" = fin ] || fail "$name: $r did not see FIN: $(cat "$T/$name.$r")"
	done
	wait_until 10 grep -q '"event":"proxy_close"' "$T/$name.events" || fail "$name: no proxy_close event"
	stat_json "$T/$name.sock" >"$T/$name.stats"
	python3 - "$T/$name.stats" "$BIG" "$T/$name.events" <<'PY' || fail "$name: byte counts: $(cat "$T/$name.stats")"
import json, sys
p = json.load(open(sys.argv[1]))["proxy"]; big = int(sys.argv[2])
assert p["bytes_read"] == {"client": big, "upstream": big}, p
assert p["bytes_written"] == {"client": big, "upstream": big}, p
assert p["bytes_redirected"] > 0, p
assert p["sockmap_no_peer"] == 0 and p["sockmap_flows"] == 0 and p["limits_hit"] == 0, p
close = [json.loads(l) for l in open(sys.argv[3]) if '"proxy_close"' in l][0]
assert close["bytes_to_client"] == big and close["bytes_to_upstream"] == big, close
assert close["detail"] == "closed", close
PY
	stop_proxy "$PROXY_PID"
}

switch_case partial "$FIRST"
pass "a switch after reads that stopped inside skbs, 256 KiB queued each way, then 768 KiB more through the kernel: sha256, FIN and byte counts exact both ways"

# A read also stops short at urgent data (SO_OOBINLINE), with the rest of
# its skb unread: that short read must not count as having drained it. The
# client's first send() is bytes 0..1500 with byte 1500 urgent: the proxy's
# first read takes 1000 bytes, its second stops at the mark (500, short)
# with the urgent byte of the same skb unread; the server sends nothing
# before the offload, so the switch is tried right there.
switch_case urgent 0 --oob-at 1500
pass "a read stopped at urgent data inside an skb does not let the switch happen there"
