#!/usr/bin/env bash
# Each stream action on a real proxied connection (tests/plugins/
# plugin_proxy_actions.so decides): BLOCK removes bytes, NEED_MORE_DATA
# holds them, DROP_CONNECTION resets both sides; and the connection events
# themselves: FIN/half-close, RST both ways, upstream refused.
. "$(dirname "$0")/proxy_lib.sh"

ACTIONS=$OWFP_PLUGIN_DIR/plugin_proxy_actions.so
# OWFP_PROXY_OFFLOAD=sockmap|splice|none (ctest's integration.test_proxy_actions.MODE):
# the connection-event sections (FIN, half-close, RST) run with ALLOW_CONNECTION at the
# first indication and that --offload mode, so the offload carries them; the action
# sections, which never offload, run in the plain run only.
OFFLOAD=${OWFP_PROXY_OFFLOAD:-}
EVENT_ACTION=${OFFLOAD:+allow}
EVENT_ACTION=${EVENT_ACTION:-permit}
OFFLOAD_ARGS=()
[ -n "$OFFLOAD" ] && OFFLOAD_ARGS=(--offload "$OFFLOAD")

if [ -z "$OFFLOAD" ]; then

# ---- BLOCK: every 'X' is removed, the rest flows in order (partial countBytesEnforced)
serve_peer blk sink
OWFP_PROXY_ACTION=block start_proxy pblk --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS"
$PEER send --connect "127.0.0.1:$PROXY_PORT" 0 --data 'aXbXXcXXX-end' >/dev/null
wait_until 10 test -s "$T/blk.rep" || fail "block: sink never finished"
want=$(printf 'abc-end' | sha256sum | cut -d' ' -f1)
[ "$(report_field "$T/blk.rep" sha256)" = "$want" ] || fail "block: sink got $(cat "$T/blk.rep")"
[ "$(report_field "$T/blk.rep" bytes)" = 7 ] || fail "block: byte count $(cat "$T/blk.rep")"
pass "BLOCK removes exactly the blocked bytes; the connection stays open and ends with FIN"

# ---- NEED_MORE_DATA: bytes are held until the line is complete
serve_peer hold sink --reply done
OWFP_PROXY_ACTION=hold start_proxy phold --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS" --control "$T/hold.sock" --events "$T/hold.events"
mkfifo "$T/hold.in"
$PEER pipe --connect "127.0.0.1:$PROXY_PORT" --out "$T/holdc.rep" <"$T/hold.in" >/dev/null 2>&1 &
PIDS+=("$!")
exec 3>"$T/hold.in"
printf 'hel' >&3
wait_until 10 grep -q '"event":"need_more_data"' "$T/hold.events" || fail "hold: no need_more_data event"
upstream_written() {
	"$OWFP_BIN" stats --control "$T/hold.sock" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["proxy"]["bytes_written"]["upstream"])'
}
upstream_is() { [ "$(upstream_written)" = "$1" ]; }
upstream_is 0 || fail "hold: bytes reached the upstream while held"
printf 'lo\n' >&3
wait_until 10 upstream_is 6 || fail "hold: the completed line was not delivered"
exec 3>&-
wait_until 10 test -s "$T/hold.rep" || fail "hold: sink never finished"
want=$(printf 'hello\n' | sha256sum | cut -d' ' -f1)
[ "$(report_field "$T/hold.rep" sha256)" = "$want" ] || fail "hold: sink got $(cat "$T/hold.rep")"
wait_until 10 test -s "$T/holdc.rep" || fail "hold: client never got the reply"
[ "$(report_field "$T/holdc.rep" bytes)" = 4 ] || fail "hold: reply $(cat "$T/holdc.rep")"
pass "NEED_MORE_DATA holds 'hel' (nothing reaches the upstream) until 'lo\\n' completes it"

# ---- DROP_CONNECTION: both sides see a reset, nothing after the decision is delivered
serve_peer drop sink
OWFP_PROXY_ACTION=drop start_proxy pdrop --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS" --events "$T/drop.events"
rc=0
curl -sS --max-time 10 -o /dev/null "http://127.0.0.1:$PROXY_PORT/DROP" 2>"$T/curl.err" || rc=$?
[ "$rc" = 56 ] || [ "$rc" = 52 ] || fail "drop: curl exit $rc, expected 56 or 52 ($(cat "$T/curl.err"))"
wait_until 10 test -s "$T/drop.rep" || fail "drop: server never finished"
[ "$(report_field "$T/drop.rep" end)" = rst ] || fail "drop: server saw $(cat "$T/drop.rep"), expected a reset"
[ "$(report_field "$T/drop.rep" bytes)" = 0 ] || fail "drop: bytes reached the server: $(cat "$T/drop.rep")"
grep -q '"event":"drop"' "$T/drop.events" || fail "drop: no drop event"
pass "DROP_CONNECTION: curl exit $rc, server sees a reset, no bytes delivered"
fi

# ---- FIN and half-close: the client's FIN arrives after its data; the server answers afterwards
serve_peer half sink --reply 'reply after half-close'
OWFP_PROXY_ACTION=$EVENT_ACTION start_proxy phalf --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --callout "$ACTIONS" \
	"${OFFLOAD_ARGS[@]}"
$PEER send --connect "127.0.0.1:$PROXY_PORT" $((4 * 1024 * 1024)) --out "$T/halfc.rep" >/dev/null
[ "$(report_field "$T/half.rep" sha256)" = "$(pattern_sha $((4 * 1024 * 1024)))" ] || fail "half-close: server got $(cat "$T/half.rep")"
[ "$(report_field "$T/half.rep" end)" = fin ] || fail "half-close: server did not see FIN"
want=$(printf 'reply after half-close' | sha256sum | cut -d' ' -f1)
[ "$(report_field "$T/halfc.rep" sha256)" = "$want" ] || fail "half-close: client got $(cat "$T/halfc.rep")"
[ "$(report_field "$T/halfc.rep" end)" = fin ] || fail "half-close: client did not see FIN"
pass "FIN after the data; the half-closed connection still carries the reply, then FIN"

# ---- RST from the server reaches the client
serve_peer rsts source $((1024 * 1024)) --rst
OWFP_PROXY_ACTION=$EVENT_ACTION start_proxy prsts --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --callout "$ACTIONS" \
	"${OFFLOAD_ARGS[@]}"
$PEER recv --connect "127.0.0.1:$PROXY_PORT" --out "$T/rstsc.rep" >/dev/null
[ "$(report_field "$T/rstsc.rep" end)" = rst ] || fail "server RST: client saw $(cat "$T/rstsc.rep")"
pass "an RST from the server is carried to the client"

# ---- RST from the client reaches the server
serve_peer rstc sink
OWFP_PROXY_ACTION=$EVENT_ACTION start_proxy prstc --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --callout "$ACTIONS" \
	"${OFFLOAD_ARGS[@]}"
$PEER send --connect "127.0.0.1:$PROXY_PORT" 0 --data 'bye' --rst >/dev/null
wait_until 10 test -s "$T/rstc.rep" || fail "client RST: server never finished"
[ "$(report_field "$T/rstc.rep" end)" = rst ] || fail "client RST: server saw $(cat "$T/rstc.rep")"
pass "an RST from the client is carried to the server"

# ---- Q24: the client half-closes, then resets the reply it no longer wants
serve_peer finrst source $((512 * 1024 * 1024))
OWFP_PROXY_ACTION=$EVENT_ACTION start_proxy pfinrst --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --callout "$ACTIONS" \
	"${OFFLOAD_ARGS[@]}"
$PEER send --connect "127.0.0.1:$PROXY_PORT" 0 --data 'GET' --fin-then-rst --out "$T/finrstc.rep" >/dev/null
[ "$(report_field "$T/finrstc.rep" bytes)" = 1 ] || fail "FIN then RST: the reply never began: $(cat "$T/finrstc.rep")"
wait_until 10 test -s "$T/finrst.rep" || fail "FIN then RST: the server was never reset (still sending)"
[ "$(report_field "$T/finrst.rep" end)" = rst ] || fail "FIN then RST: server saw $(cat "$T/finrst.rep")"
pass "an RST after the client's FIN still resets the server that is sending the reply"

[ -n "$OFFLOAD" ] && exit 0
# ---- upstream refused: the client is reset, an event says why, the proxy keeps serving
DEAD=$(free_port)
start_proxy pref --listen 127.0.0.1:0 --upstream "127.0.0.1:$DEAD" --events "$T/ref.events" \
	--callout "$ACTIONS"
PREF=$PROXY_PORT
rc=0
curl -sS --max-time 10 -o /dev/null "http://127.0.0.1:$PREF/" 2>"$T/curl.err" || rc=$?
# 56/52: reset after curl saw the connection; 7: the reset arrived while curl
# was still completing its connect.
[ "$rc" = 56 ] || [ "$rc" = 52 ] || [ "$rc" = 7 ] || fail "refused: curl exit $rc ($(cat "$T/curl.err"))"
grep -q '"event":"proxy_upstream_error".*"error":"Connection refused"' "$T/ref.events" ||
	fail "refused: no proxy_upstream_error event: $(cat "$T/ref.events")"
start_peer alive sink --listen "127.0.0.1:$DEAD"
wait_until 10 bash -c "ss -ltn '( sport = :$DEAD )' | grep -q LISTEN" || fail "late sink did not start"
$PEER send --connect "127.0.0.1:$PREF" 0 --data 'still serving' >/dev/null
wait_until 10 test -s "$T/alive.rep" || fail "refused: the proxy stopped serving"
[ "$(report_field "$T/alive.rep" bytes)" = 13 ] || fail "refused: later connection got $(cat "$T/alive.rep")"
pass "upstream refused: curl exit $rc, proxy_upstream_error event, next connection served"
