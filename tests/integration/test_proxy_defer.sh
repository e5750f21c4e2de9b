#!/usr/bin/env bash
# DEFER on a real connection (--local client: data from the upstream is
# inbound). tests/plugins/plugin_proxy_defer.so defers every inbound
# indication until the test sends it "continue". While deferred the proxy
# keeps what arrives up to the engine's cap (Q8), then stops reading the
# upstream socket: its receive buffer fills, the window it advertises
# closes and the sender's Send-Q grows. After FwpsStreamContinue0 the
# transfer completes intact.
. "$(dirname "$0")/proxy_lib.sh"

N=$((48 * 1024 * 1024))
serve_peer src source "$N"
SRV=$PEER_PORT
OWFP_DEFER_CONTROL=$T/defer.sock start_proxy pdef --listen 127.0.0.1:0 --upstream "127.0.0.1:$SRV" \
	--callout "$OWFP_PLUGIN_DIR/plugin_proxy_defer.so" --control "$T/def.sock" --events "$T/def.events"
start_peer cli recv --connect "127.0.0.1:$PROXY_PORT"

wait_until 10 grep -q '"event":"defer"' "$T/def.events" || fail "no defer event"

proxy_stat() { # proxy_stat SIDE-FIELD SIDE
	"$OWFP_BIN" stats --control "$T/def.sock" --json |
		python3 -c "import json,sys; print(json.load(sys.stdin)['proxy']['$1']['$2'])"
}
# The sender stalls: its unacknowledged/unsent bytes pile up (Send-Q) and the
# proxy's upstream socket holds data the proxy does not read (Recv-Q).
sender_stalled() {
	local sq rq
	sq=$(ss_sendq "$SRV"); rq=$(ss_recvq_to "$SRV")
	[ -n "$sq" ] && [ -n "$rq" ] && [ "$sq" -ge $((1024 * 1024)) ] && [ "$rq" -gt 0 ]
}
wait_until 20 sender_stalled || fail "the sender never stalled: $(ss -tin "( sport = :$SRV )")"
ss -tin "( sport = :$SRV )" | sed 's/^/  sender: /'
[ "$(proxy_stat bytes_written client)" = 0 ] || fail "deferred bytes reached the client"
[ ! -s "$T/cli.rep" ] || fail "the transfer finished while deferred"
read_bytes=$(proxy_stat bytes_read upstream)
[ "$read_bytes" -lt "$N" ] || fail "the proxy read everything while deferred ($read_bytes)"
pass "while deferred: sender Send-Q $(ss_sendq "$SRV"), proxy Recv-Q $(ss_recvq_to "$SRV"), $read_bytes of $N bytes read, none delivered"

python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"continue", sys.argv[1])' "$T/defer.sock"
wait_until 60 test -s "$T/cli.rep" || fail "the transfer did not complete after continue"
[ "$(report_field "$T/cli.rep" sha256)" = "$(pattern_sha "$N")" ] || fail "after continue: client got $(cat "$T/cli.rep")"
[ "$(report_field "$T/cli.rep" end)" = fin ] || fail "after continue: no FIN"
grep -q '"event":"continue"' "$T/def.events" || fail "no continue event"
pass "after FwpsStreamContinue0 all $N bytes arrive intact, then FIN"

# ---- --local server: the upstream is the local host, so data from the
# client is inbound and DEFER stalls the client instead.
serve_peer dst sink
DST=$PEER_PORT
OWFP_DEFER_CONTROL=$T/defer2.sock start_proxy pdef2 --listen 127.0.0.1:0 --upstream "127.0.0.1:$DST" \
	--local server --callout "$OWFP_PLUGIN_DIR/plugin_proxy_defer.so" --events "$T/def2.events"
PX2=$PROXY_PORT
start_peer up send --connect "127.0.0.1:$PX2" "$N"
wait_until 10 grep -q '"event":"defer".*"dir":"inbound"' "$T/def2.events" || fail "--local server: no inbound defer"
client_stalled() {
	local sq
	sq=$(ss -tn "( dport = :$PX2 )" | awk 'NR==2 {print $3}')
	[ -n "$sq" ] && [ "$sq" -ge $((1024 * 1024)) ]
}
wait_until 20 client_stalled || fail "--local server: the client never stalled: $(ss -tin "( dport = :$PX2 )")"
[ ! -s "$T/dst.rep" ] || fail "--local server: the upload finished while deferred"
pass "--local server: client data is inbound, DEFER stalls the client (Send-Q $(ss -tn "( dport = :$PX2 )" | awk 'NR==2 {print $3}'))"
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"continue", sys.argv[1])' "$T/defer2.sock"
wait_until 60 test -s "$T/dst.rep" || fail "--local server: upload did not complete after continue"
[ "$(report_field "$T/dst.rep" sha256)" = "$(pattern_sha "$N")" ] || fail "--local server: server got $(cat "$T/dst.rep")"
pass "--local server: after continue the $N-byte upload arrives intact"
