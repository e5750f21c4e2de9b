#!/usr/bin/env bash
# --transparent in network namespaces this test creates: a client namespace,
# a server namespace and a router between them running the proxy.
# examples/transparent/setup.sh sends the client's connections to port 8080
# to the proxy with TPROXY (the original destination is the accepted
# socket's local address) and resets those that find no proxy socket; a
# REDIRECT rule of the test's own (port 8081) tries SO_ORIGINAL_DST. The
# callout in the path (plugin_proxy_actions.so, block mode) removes every
# 'X', which shows the bytes really went through the stream layer. With
# --spoof-source the server sees the client's own address. While no proxy
# listens (before it starts, while it drains, after it exits) an
# intercepted connection must not reach the server.
. "$(dirname "$0")/proxy_lib.sh"

NS=owfp-tp-$$
C=$NS-cli R=$NS-rtr S=$NS-srv
netns_cleanup() {
	for n in "$C" "$R" "$S"; do ip netns del "$n" 2>/dev/null; done
}
CLEANUP_HOOKS+=(netns_cleanup)

for n in "$C" "$R" "$S"; do
	ip netns add "$n"
	ip -n "$n" link set lo up
done
ip link add c0 netns "$C" type veth peer name r1 netns "$R"
ip link add s0 netns "$S" type veth peer name r2 netns "$R"
ip -n "$C" addr add 10.77.1.2/24 dev c0; ip -n "$C" link set c0 up
ip -n "$C" route add default via 10.77.1.1
ip -n "$S" addr add 10.77.2.2/24 dev s0; ip -n "$S" link set s0 up
ip -n "$S" route add default via 10.77.2.1
ip -n "$R" addr add 10.77.1.1/24 dev r1; ip -n "$R" link set r1 up
ip -n "$R" addr add 10.77.2.1/24 dev r2; ip -n "$R" link set r2 up
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
SETUP=$OWFP_SOURCE_DIR/examples/transparent/setup.sh
ip netns exec "$R" "$SETUP" r1 8080 15001 || fail "setup.sh failed"
ip netns exec "$R" nft list table inet owfp_transparent >/dev/null || fail "setup.sh left no table"
# REDIRECT (nat) for port 8081: the local stack resets what finds no listener.
ip netns exec "$R" nft -f - <<'NFT'
table ip owfp_test {
	chain nat {
		type nat hook prerouting priority dstnat; policy accept;
		iifname "r1" tcp dport 8081 redirect to :15001
	}
}
NFT
in_ns() { local n=$1; shift; ip netns exec "$n" "$@"; }
listening_in() { in_ns "$1" ss -ltn "( sport = :$2 )" | grep -q LISTEN; }

# run_case NAME PORT EXTRA-PROXY-ARGS...: one connection 10.77.1.2 -> 10.77.2.2:PORT through the router.
run_case() {
	local name=$1 port=$2; shift 2
	ip netns exec "$S" $PEER sink --listen "10.77.2.2:$port" --out "$T/$name.rep" >"$T/$name.log" 2>&1 &
	PIDS+=("$!")
	wait_until 10 listening_in "$S" "$port" || fail "$name: server did not start"
	OWFP_PROXY_ACTION=block ip netns exec "$R" "$OWFP_BIN" proxy --transparent --listen 0.0.0.0:15001 \
		--callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so" --events "$T/$name.events" "$@" \
		>"$T/$name.out" 2>"$T/$name.err" &
	local ppid=$!
	PIDS+=("$ppid")
	wait_until 10 grep -q '^listening on' "$T/$name.out" || fail "$name: proxy did not start: $(cat "$T/$name.err")"
	in_ns "$C" $PEER send --connect "10.77.2.2:$port" 0 --data 'tXrXaXnsparent' --out "$T/$name.cli" >/dev/null ||
		fail "$name: client failed"
	wait_until 10 test -s "$T/$name.rep" || fail "$name: server never finished"
	want=$(printf 'transparent' | sha256sum | cut -d' ' -f1)
	[ "$(report_field "$T/$name.rep" sha256)" = "$want" ] || fail "$name: server got $(cat "$T/$name.rep")"
	grep -q "\"upstream\":\"10.77.2.2:$port\"" "$T/$name.events" || fail "$name: wrong original destination: $(cat "$T/$name.events")"
	kill -TERM "$ppid"
	wait "$ppid" || fail "$name: proxy exit status $?"
}

# ---- proxy down: an intercepted connection gets a reset and never reaches
# the server. A server on 10.77.2.2:8080 that logs every connection it accepts.
accept_log_start() { # accept_log_start NAME: sets ACC (the log) and ACC_PID
	ACC=$T/$1.acc
	: >"$ACC"
	ip netns exec "$S" python3 -c '
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.2.2", 8080)); s.listen(16)
log = open(sys.argv[1], "a", buffering=1)
def hold(c):
    while c.recv(4096):
        pass
while True:
    c, a = s.accept()
    log.write("%s\n" % a[0])
    threading.Thread(target=hold, args=(c,), daemon=True).start()
' "$ACC" 2>"$T/$1.acc.err" &
	ACC_PID=$!
	PIDS+=("$ACC_PID")
	wait_until 10 listening_in "$S" 8080 || fail "$1: logging server did not start"
}
accept_log_stop() { kill "$ACC_PID"; wait "$ACC_PID" 2>/dev/null || true; }
# client_try: one connection from the client to the server's 8080, through
# the router: prints refused, connected or timeout.
client_try() {
	in_ns "$C" python3 -c '
import socket
try:
    socket.create_connection(("10.77.2.2", 8080), timeout=5).close(); print("connected")
except ConnectionRefusedError:
    print("refused")
except OSError as e:
    print("timeout" if "timed out" in str(e) else "error %s" % e)
'
}
# proxy_down WHEN: the intercepted connection is reset, the server sees nothing
proxy_down() {
	local before got
	before=$(wc -l <"$ACC")
	got=$(client_try)
	[ "$got" = refused ] || fail "proxy down ($1): the client's connection was $got, not reset"
	[ "$(wc -l <"$ACC")" = "$before" ] || fail "proxy down ($1): the server accepted it: $(cat "$ACC")"
}

accept_log_start down
# the server is reachable when not intercepted (from the router itself)
in_ns "$R" python3 -c 'import socket; socket.create_connection(("10.77.2.2", 8080), timeout=5).close()' ||
	fail "the logging server is not reachable from the router"
wait_until 10 grep -q . "$ACC" || fail "the logging server did not log the router's connection"
proxy_down "before the proxy starts"
accept_log_stop
pass "proxy not started yet: the intercepted connection is reset, the server never sees it"

run_case tproxy 8080
grep -q '"client":"10.77.1.2:' "$T/tproxy.events" || fail "tproxy: client address not seen"
pass "TPROXY: original destination from the accepted socket, the callout edited the stream"

accept_log_start after
proxy_down "after the proxy exited"
pass "proxy exited: the intercepted connection is reset, the server never sees it"

# While draining (SIGTERM with a connection open) the listener is closed:
# new connections are reset too; the open one still completes.
OWFP_PROXY_ACTION=permit ip netns exec "$R" "$OWFP_BIN" proxy --transparent --listen 0.0.0.0:15001 \
	--callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so" --drain-timeout 30 \
	>"$T/drain.out" 2>"$T/drain.err" &
DPID=$!
PIDS+=("$DPID")
wait_until 10 grep -q '^listening on' "$T/drain.out" || fail "drain: proxy did not start: $(cat "$T/drain.err")"
mkfifo "$T/drain.in"
ip netns exec "$C" $PEER pipe --connect 10.77.2.2:8080 --out "$T/drain.cli" <"$T/drain.in" >/dev/null 2>&1 &
PIDS+=("$!")
exec 6>"$T/drain.in"
printf 'held' >&6
wait_until 10 grep -q . "$ACC" || fail "drain: the held connection did not reach the server"
kill -TERM "$DPID"
draining() { ! in_ns "$R" ss -ltn "( sport = :15001 )" | grep -q LISTEN; }
wait_until 10 draining || fail "drain: the proxy still listens after SIGTERM"
kill -0 "$DPID" || fail "drain: the proxy exited with a connection open"
proxy_down "while the proxy drains"
exec 6>&-
wait "$DPID" || fail "drain: proxy exit status $?"
accept_log_stop
pass "proxy draining: new intercepted connections are reset, the server never sees them"

run_case redirect 8081
pass "REDIRECT: original destination from SO_ORIGINAL_DST, the callout edited the stream"

# With --spoof-source the upstream connection leaves from the client's address.
# spoof_case NAME EXTRA-PROXY-ARGS...; after the connection is up,
# "check_$NAME PID" (when defined) looks at the running proxy.
peer_is_client() { in_ns "$S" ss -tn "( sport = :8080 )" | grep -q '10.77.1.2:'; }
spoof_case() {
	local name=$1; shift
	ip netns exec "$S" $PEER sink --listen 10.77.2.2:8080 --out "$T/$name.rep" >/dev/null 2>&1 &
	PIDS+=("$!")
	wait_until 10 listening_in "$S" 8080 || fail "$name: server did not start"
	OWFP_PROXY_ACTION=permit ip netns exec "$R" "$OWFP_BIN" proxy --transparent --spoof-source --listen 0.0.0.0:15001 \
		--callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	local spid=$!
	PIDS+=("$spid")
	wait_until 10 grep -q '^listening on' "$T/$name.out" || fail "$name: proxy did not start: $(cat "$T/$name.err")"
	mkfifo "$T/$name.in"
	ip netns exec "$C" $PEER pipe --connect 10.77.2.2:8080 --out "$T/$name.cli" <"$T/$name.in" >/dev/null 2>&1 &
	PIDS+=("$!")
	exec 5>"$T/$name.in"
	printf 'from the client itself' >&5
	wait_until 10 peer_is_client || fail "$name: the server does not see the client's address: $(in_ns "$S" ss -tn)"
	if declare -F "check_$name" >/dev/null; then "check_$name" "$spid"; fi
	exec 5>&-
	wait_until 10 test -s "$T/$name.rep" || fail "$name: server never finished"
	[ "$(report_field "$T/$name.rep" bytes)" = 22 ] || fail "$name: server got $(cat "$T/$name.rep")"
	kill -TERM "$spid"; wait "$spid" || fail "$name: proxy exit status $?"
}

spoof_case spoof
pass "TPROXY --spoof-source: the server sees 10.77.1.2, bytes intact"

# As nobody: every thread runs as nobody; the workers keep CAP_NET_ADMIN and
# CAP_NET_RAW (bits 12 and 13: 0x3000) and nothing else, the bounding set
# is just those two, no_new_privs is set, and the spoofed connection works.
check_spoof_user() {
	local nobody st uids prm eff bnd nnp kept=0
	nobody=$(id -u nobody)
	for st in /proc/"$1"/task/*/status; do
		uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "$st")
		[ "$uids" = "$nobody $nobody $nobody $nobody" ] || fail "spoof --user: thread $st runs as uids $uids"
		prm=$(awk '/^CapPrm:/ {print $2}' "$st"); eff=$(awk '/^CapEff:/ {print $2}' "$st")
		bnd=$(awk '/^CapBnd:/ {print $2}' "$st"); nnp=$(awk '/^NoNewPrivs:/ {print $2}' "$st")
		case "$prm" in 0000000000000000 | 0000000000003000) ;; *) fail "spoof --user: thread $st permits $prm" ;; esac
		[ "$eff" = "$prm" ] || fail "spoof --user: thread $st effective $eff, permitted $prm"
		[ "$bnd" = 0000000000003000 ] || fail "spoof --user: thread $st bounding set $bnd"
		[ "$nnp" = 1 ] || fail "spoof --user: thread $st without no_new_privs"
		[ "$prm" = 0000000000003000 ] && kept=$((kept + 1))
	done
	[ "$kept" -ge 2 ] || fail "spoof --user: $kept threads kept CAP_NET_ADMIN/CAP_NET_RAW, expected the 2 workers"
}
spoof_case spoof_user --workers 2 --user nobody
pass "TPROXY --spoof-source --user nobody: workers keep only CAP_NET_ADMIN+CAP_NET_RAW, the server sees 10.77.1.2"

ip netns exec "$R" "$SETUP" --remove || fail "setup.sh --remove failed"
! ip netns exec "$R" nft list table inet owfp_transparent >/dev/null 2>&1 || fail "--remove left the table"
! ip -n "$R" rule show | grep -q "lookup 100" || fail "--remove left the routing rule"
pass "setup.sh --remove takes its table and routing away"
