#!/usr/bin/env bash
# Managing a running proxy: `openwfp filters add/list/delete` while a
# connection is open (the change applies to the next classification),
# `openwfp stats`, the control socket's permissions, SIGHUP reload (good
# and bad), SIGTERM drain (open connections finish, new ones are refused,
# exit 0) and the drain deadline (the rest is reset).
. "$(dirname "$0")/proxy_lib.sh"

cat >"$T/cfg.yaml" <<'EOF'
filters:
  - {name: unrelated, layer: stream, action: block,
     conditions: [{field: remote_port, match: equal, value: 1}]}
EOF

serve_peer s1 sink --count 3
start_proxy pc --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" -c "$T/cfg.yaml" \
	--control "$T/pc.sock" --events "$T/pc.events"
PC=$PROXY_PORT PCPID=$PROXY_PID

[ "$(stat -c %a "$T/pc.sock")" = 600 ] || fail "control socket mode $(stat -c %a "$T/pc.sock")"
pass "control socket is mode 0600"

# SO_PEERCRED: even with the file opened up, another uid gets no answer.
chmod 711 "$T"; chmod 666 "$T/pc.sock"
setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(5)
try:
    s.sendall(b"{\"cmd\":\"stats\"}\n")
    sys.exit(1 if s.recv(100) else 0)
except (ConnectionResetError, BrokenPipeError):
    sys.exit(0)' "$T/pc.sock" || fail "a foreign uid got an answer on the control socket"
chmod 600 "$T/pc.sock"; chmod 700 "$T"
pass "a peer with another uid (SO_PEERCRED) is disconnected without an answer"

upstream_written() {
	"$OWFP_BIN" stats --control "$T/pc.sock" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["proxy"]["bytes_written"]["upstream"])'
}
upstream_is() { [ "$(upstream_written)" = "$1" ]; }

# Connection 1 is open: 7 bytes pass before the block filter exists.
mkfifo "$T/c1.in"
$PEER pipe --connect "127.0.0.1:$PC" --out "$T/c1.rep" <"$T/c1.in" >/dev/null 2>&1 &
PIDS+=("$!")
exec 3>"$T/c1.in"
printf 'before\n' >&3
wait_until 10 upstream_is 7 || fail "the first bytes did not pass"

out=$("$OWFP_BIN" filters add --control "$T/pc.sock" \
	'{name: block-all, layer: stream, weight: 1000, action: block}') || fail "filters add: $out"
ids=$(echo "$out" | sed -n 's/^added //p')
[ "$(echo "$ids" | wc -w)" = 2 ] || fail "filters add printed '$out', expected two ids (v4 and v6)"
"$OWFP_BIN" filters list --control "$T/pc.sock" >"$T/list.txt"
grep -q 'block-all' "$T/list.txt" || fail "filters list does not show the new filter: $(cat "$T/list.txt")"
grep -q 'unrelated' "$T/list.txt" || fail "filters list lost the configured filter"
pass "filters add (ids $ids) and list"

# Connection 2, opened while connection 1 is still open, meets the new filter.
$PEER send --connect "127.0.0.1:$PC" 0 --data 'blocked' >/dev/null
wait_until 10 test -s "$T/s1.rep.2" || fail "sink connection 2 never finished"
[ "$(report_field "$T/s1.rep.2" bytes)" = 0 ] || fail "new connection not blocked: $(cat "$T/s1.rep.2")"
[ "$(report_field "$T/s1.rep.2" end)" = fin ] || fail "BLOCK must not end the connection abruptly"
# S103: a static filter joins the open flow at its next indication boundary
# (a callout filter would only if its callout allows mid-stream inspection, S81).
printf 'after\n' >&3
exec 3>&-
wait_until 10 test -s "$T/s1.rep.1" || fail "sink connection 1 never finished"
[ "$(report_field "$T/s1.rep.1" bytes)" = 7 ] || fail "open connection: $(cat "$T/s1.rep.1")"
[ "$(report_field "$T/s1.rep.1" end)" = fin ] || fail "open connection did not end with FIN"
pass "filter added while a connection is open: blocks the new flow and the open flow's next bytes"

rc=0
"$OWFP_BIN" filters add --control "$T/pc.sock" '{name: bad, layer: nowhere, action: block}' \
	2>"$T/bad.err" || rc=$?
[ "$rc" = 1 ] && grep -q 'nowhere' "$T/bad.err" || fail "a bad filter: exit $rc, '$(cat "$T/bad.err")'"
pass "a bad filter is refused with the parser's message"

# shellcheck disable=SC2086
"$OWFP_BIN" filters delete --control "$T/pc.sock" $ids >/dev/null || fail "filters delete"
"$OWFP_BIN" filters list --control "$T/pc.sock" >"$T/list2.txt"
! grep -q block-all "$T/list2.txt" || fail "deleted filter still listed"
$PEER send --connect "127.0.0.1:$PC" 0 --data 'after delete' >/dev/null
wait_until 10 test -s "$T/s1.rep.3" || fail "sink connection 3 never finished"
[ "$(report_field "$T/s1.rep.3" bytes)" = 12 ] || fail "after delete: $(cat "$T/s1.rep.3")"
pass "filters delete: the next connection passes again"

"$OWFP_BIN" stats --control "$T/pc.sock" >"$T/stats.txt" || fail "stats"
grep -q '^connections: 3 accepted' "$T/stats.txt" || fail "stats text: $(cat "$T/stats.txt")"
"$OWFP_BIN" stats --control "$T/pc.sock" --json | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["ok"] and r["engine"]["flows_created"] == 3, r
assert r["proxy"]["bytes_written"]["upstream"] == 19, r' || fail "stats --json"
pass "stats (text and --json)"
kill -TERM "$PCPID"; wait "$PCPID" || fail "proxy exit after TERM"

# ---- SIGHUP: a good file takes effect for new connections, a bad one is rejected
serve_peer s3 sink --count 2
start_proxy pc3 --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" -c "$T/cfg.yaml"
PC3PID=$PROXY_PID PC3=$PROXY_PORT
printf 'filters:\n  - {name: block-all, layer: stream, action: block}\n' >"$T/cfg.yaml"
kill -HUP "$PC3PID"
wait_until 10 grep -q 'configuration reloaded' "$T/pc3.err" || fail "no reload message: $(cat "$T/pc3.err")"
$PEER send --connect "127.0.0.1:$PC3" 0 --data 'blocked by the new config' >/dev/null
wait_until 10 test -s "$T/s3.rep.1" || fail "sink 3.1 never finished"
[ "$(report_field "$T/s3.rep.1" bytes)" = 0 ] || fail "reloaded config not in force: $(cat "$T/s3.rep.1")"
printf 'not yaml: [' >"$T/cfg.yaml"
kill -HUP "$PC3PID"
wait_until 10 grep -q 'rejected' "$T/pc3.err" || fail "bad config not reported: $(cat "$T/pc3.err")"
grep -q 'cfg.yaml:[0-9]*:[0-9]*: YAML syntax error' "$T/pc3.err" || fail "the rejection does not name the file and line: $(cat "$T/pc3.err")"
$PEER send --connect "127.0.0.1:$PC3" 0 --data 'still blocked by the old config' >/dev/null
wait_until 10 test -s "$T/s3.rep.2" || fail "sink 3.2 never finished"
[ "$(report_field "$T/s3.rep.2" bytes)" = 0 ] || fail "after a rejected reload the good config must stay: $(cat "$T/s3.rep.2")"
kill -TERM "$PC3PID"; wait "$PC3PID" || fail "pc3 exit"
pass "SIGHUP: good file reloaded; bad file rejected with file:line, the good one stays"

# ---- SIGTERM drain: the open connection finishes, new ones are refused, exit 0
serve_peer s4 sink --reply 'drained fine'
start_proxy pd --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --drain-timeout 30 --callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so"
PD=$PROXY_PORT PDPID=$PROXY_PID
mkfifo "$T/c4.in"
$PEER pipe --connect "127.0.0.1:$PD" --out "$T/c4.rep" <"$T/c4.in" >/dev/null 2>&1 &
PIDS+=("$!")
exec 4>"$T/c4.in"
printf 'first half, ' >&4
upstream_connected() { ss -tn "( dport = :$1 )" | grep -q ESTAB; }
wait_until 10 upstream_connected "$PEER_PORT" || fail "drain: no upstream connection"
kill -TERM "$PDPID"
wait_until 10 grep -q draining "$T/pd.err" || fail "no draining message"
refused() { ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $PD), timeout=2)"; }
wait_until 10 refused || fail "new connections still accepted while draining"
printf 'second half' >&4
exec 4>&-
wait_until 10 test -s "$T/c4.rep" || fail "drain: the open connection did not finish"
[ "$(report_field "$T/s4.rep" bytes)" = 23 ] || fail "drain: server got $(cat "$T/s4.rep")"
want=$(printf 'drained fine' | sha256sum | cut -d' ' -f1)
[ "$(report_field "$T/c4.rep" sha256)" = "$want" ] || fail "drain: client got $(cat "$T/c4.rep")"
exited() { ! kill -0 "$1" 2>/dev/null; }
wait_until 10 exited "$PDPID" || fail "proxy did not exit after draining"
rc=0; wait "$PDPID" || rc=$?
[ "$rc" = 0 ] || fail "drain exit status $rc"
pass "SIGTERM: refuses new connections, lets the open one finish, exits 0"

# ---- drain deadline: what is still open is reset, exit 0
serve_peer s5 sink
start_proxy pe --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" --drain-timeout 0.3 --callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so"
PEPID=$PROXY_PID
start_peer c5 recv --connect "127.0.0.1:$PROXY_PORT"
wait_until 10 upstream_connected "$PEER_PORT" || fail "deadline: no upstream connection"
kill -TERM "$PEPID"
wait_until 10 exited "$PEPID" || fail "proxy did not exit at the drain deadline"
rc=0; wait "$PEPID" || rc=$?
[ "$rc" = 0 ] || fail "deadline exit status $rc"
wait_until 10 test -s "$T/c5.rep" || fail "deadline: client not told"
[ "$(report_field "$T/c5.rep" end)" = rst ] || fail "deadline: client saw $(cat "$T/c5.rep")"
pass "drain deadline: the remaining connection is reset, exit 0"
