#!/usr/bin/env bash
# Nothing is held forever: an idle connection is reset after --idle-timeout,
# a half-closed one after --half-closed-timeout, while a connection that
# keeps moving bytes stays; idle connections cannot lock --max-connections;
# both sockets of a connection have TCP keepalive; and a control-socket
# client that sends no request is dropped, so silent clients cannot take
# every slot. Short timeouts; every check waits for the event (the
# connection closed, the request answered) in a bounded loop.
. "$(dirname "$0")/proxy_lib.sh"

python3 "$OWFP_SOURCE_DIR/tests/integration/echo_server.py" "$T/echo.port" 2>"$T/echo.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/echo.port" || fail "echo server did not start"
ECHO=127.0.0.1:$(cat "$T/echo.port")
# A server that reads to the client's FIN and then keeps its side open.
python3 -c '
import os, socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
def drain(c):
    while c.recv(4096):
        pass
    held.append(c)
while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
' "$T/hold.port" 2>"$T/hold.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/hold.port" || fail "holding server did not start"
HOLD=127.0.0.1:$(cat "$T/hold.port")

start_proxy idle --listen 127.0.0.1:0 --upstream "$ECHO" --workers 1 --idle-timeout 1 \
	--max-connections 2 --keepalive 7 --events "$T/idle.events" --control "$T/idle.sock"
PI=$PROXY_PORT IPID=$PROXY_PID
start_proxy half --listen 127.0.0.1:0 --upstream "$HOLD" --workers 1 --idle-timeout 60 \
	--half-closed-timeout 1 --events "$T/half.events"
PH=$PROXY_PORT

python3 - "$PI" "$PH" "$T/idle.sock" <<'PY' || fail "see above"
import json, socket, sys, time
PI, PH, CTL = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def active():
    """The proxy's open connections, from its control socket."""
    u = socket.socket(socket.AF_UNIX)
    u.settimeout(10)
    u.connect(CTL)
    u.sendall(b'{"cmd":"stats"}\n')
    line = u.makefile("rb").readline()
    u.close()
    return json.loads(line)["proxy"]["active"]

def wait_active(n):
    for _ in range(500):
        if active() == n:
            return
        time.sleep(0.02)
    raise SystemExit("FAIL: the proxy still has %d connections, expected %d" % (active(), n))

def closed_within(s, bound):
    """Waits (at most `bound` s: a failure bound, not a measurement) for the
    proxy to end the connection; True when it did."""
    s.settimeout(bound)
    try:
        while s.recv(4096):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False

def echo(port):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    c.sendall(b"ping")
    assert c.recv(4) == b"ping", "no echo through the proxy"
    return c

# an idle connection is reset
c = echo(PI)
assert closed_within(c, 30), "idle connection still open"
print("ok - an idle connection is reset after --idle-timeout")

# one that keeps moving bytes is not (every 100 ms for 3 idle timeouts)
c = echo(PI)
for i in range(30):
    time.sleep(0.1)
    c.sendall(b"x")
    assert c.recv(1) == b"x", "active connection lost at step %d" % i
c.close()
print("ok - a connection that keeps moving bytes stays open")

# idle connections do not lock --max-connections 2 for good; the closed one
# above must be gone first, or it takes b's slot (its FIN travels through the
# proxy and the echo server while a and b connect)
wait_active(0)
a, b = echo(PI), echo(PI)
for _ in range(300):
    try:
        echo(PI).close()
        break
    except (ConnectionResetError, BrokenPipeError, AssertionError, socket.timeout):
        time.sleep(0.1)
else:
    raise SystemExit("FAIL: idle connections kept --max-connections full")
print("ok - idle connections at --max-connections are timed out and make room")

# half-closed: the client sent its FIN, the server keeps its side open
h = socket.create_connection(("127.0.0.1", PH), timeout=10)
h.sendall(b"request")
h.shutdown(socket.SHUT_WR)
assert closed_within(h, 30), "half-closed connection still open"
print("ok - a half-closed connection is reset after --half-closed-timeout")
PY
grep -q '"event":"proxy_limit".*idle timeout' "$T/idle.events" || fail "no idle timeout event: $(cat "$T/idle.events")"
grep -q '"event":"proxy_limit".*half-closed timeout' "$T/half.events" ||
	fail "no half-closed timeout event: $(cat "$T/half.events")"
pass "timeouts are reported as proxy_limit events naming the option"

# ---- TCP keepalive on both sockets of a proxied connection
mkfifo "$T/ka.in"
$PEER pipe --connect "127.0.0.1:$PI" --out "$T/ka.cli" <"$T/ka.in" >/dev/null 2>&1 &
PIDS+=("$!")
exec 7>"$T/ka.in"
printf 'hold' >&7
# the proxy's two sockets: the accepted one (local port PI) and the upstream one.
# Each look first moves a byte: this proxy resets a connection idle for 1 s
# (--idle-timeout 1), and a look that came later would find nothing to see.
ka_both() {
	local rc=0
	trap '' PIPE # a reset client must fail this look, not kill the test
	printf 'x' >&7 || rc=1
	trap - PIPE
	[ "$rc" = 0 ] &&
	[ "$(ss -tnoH state established "( sport = :$PI )" | grep -c 'timer:(keepalive')" -ge 1 ] &&
		[ "$(ss -tnopH state established "( dport = :${ECHO##*:} )" | grep "pid=$IPID," | grep -c 'timer:(keepalive')" -ge 1 ]
}
wait_until 10 ka_both || fail "keepalive not on both sockets: $(ss -tnop state established)"
exec 7>&-
pass "TCP keepalive on the client and the upstream socket"

# ---- control socket: 16 silent clients do not lock management out
python3 - "$T/idle.sock" <<'PY' &
import socket, sys, time
held = []
for _ in range(16):
    u = socket.socket(socket.AF_UNIX); u.connect(sys.argv[1]); held.append(u)
for u in held:
    u.settimeout(30)
    assert u.recv(1) == b"", "a silent control client got an answer"
print("ok - every silent control client was dropped")
PY
SILENT=$!
stats_ok() { "$OWFP_BIN" stats --control "$T/idle.sock" --json >/dev/null; }
wait_until 30 stats_ok || fail "openwfp stats never got through the silent control clients"
wait "$SILENT" || fail "silent control clients were not dropped"
pass "silent control clients are dropped; openwfp stats gets through"

rc=0; "$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream "$ECHO" --idle-timeout x 2>"$T/bad.err" || rc=$?
[ "$rc" = 2 ] && grep -q "'x': expected seconds" "$T/bad.err" || fail "--idle-timeout x: exit $rc, $(cat "$T/bad.err")"
pass "--idle-timeout rejects a non-number (exit 2)"
