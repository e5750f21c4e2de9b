#!/usr/bin/env bash
# The proxy out of file descriptors (RLIMIT_NOFILE, set low with prlimit).
# Without care a level-triggered listener whose accept() fails with EMFILE
# reports the same waiting connection forever: the worker spins at 100% CPU
# and the client hangs. Here:
#  1. an explicit --max-connections above what the limit holds is warned
#     about at start, and past the limit each new client is reset at once.
#     Which call runs out depends on the parity of the free descriptors (a
#     connection takes two): accept() itself (the spare-descriptor path in
#     worker.c, where the old code hung) or the upstream's socket() (conn.c).
#     So this runs at two consecutive limits, which covers both paths
#     (no hang), counted (limits_hit) and logged (a proxy_limit event naming
#     the descriptor limit); open connections keep working, and once some
#     close, new ones are served again;
#  2. without --max-connections the cap is derived from the limit, so the
#     refusal is the clean --max-connections one, with no warning.
source "$(dirname "$0")/proxy_lib.sh"

LIMIT=48
python3 "$OWFP_SOURCE_DIR/tests/integration/echo_server.py" "$T/up.port" 2>"$T/echo.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/up.port" || fail "echo server did not start"
UP=$(cat "$T/up.port")

# The proxy under a low limit (prlimit execs it: same pid).
REAL_BIN=$OWFP_BIN
OWFP_BIN=$T/limited
limit_to() {
	printf '#!/bin/sh\nexec prlimit --nofile=%s:%s "%s" "$@"\n' "$1" "$1" "$REAL_BIN" >"$T/limited"
	chmod +x "$T/limited"
}

# fill PORT OUT: opens connections until the proxy refuses some, holding the
# served ones; writes "served refused" to OUT; fails on a hang (5 s without
# an answer). Then checks the held ones still echo, closes them in steps of
# four and waits until a new connection is served again.
fill() {
	python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, out = int(sys.argv[1]), sys.argv[2]
held, refused = [], 0
for i in range(3 * 48):
    if refused >= 3:
        break
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        c.sendall(b"ping")
        got = c.recv(4)
    except (ConnectionResetError, BrokenPipeError):
        refused += 1
        continue
    except socket.timeout:
        sys.exit("connection %d hung: no answer and no reset within 5 s" % i)
    if got == b"ping":
        held.append(c)
    elif got == b"":
        refused += 1
    else:
        sys.exit("connection %d got %r" % (i, got))
open(out, "w").write("%d %d\n" % (len(held), refused))
if refused == 0:
    sys.exit("no connection was refused at the limit (%d served)" % len(held))
for c in held:
    c.sendall(b"still")
    if c.recv(5) != b"still":
        sys.exit("an open connection stopped working at the limit")
for c in held[:4]:
    c.close()
for _ in range(200):  # the descriptors free once the proxy sees the closes
    try:
        c = socket.create_connection(("127.0.0.1", port), timeout=5)
        c.sendall(b"ping")
        if c.recv(4) == b"ping":
            c.close()
            break
    except (ConnectionResetError, BrokenPipeError):
        pass
    time.sleep(0.05)
else:
    sys.exit("no connection served again after four closed")
for c in held[4:]:
    c.close()
PY
}

limits_hit() {
	"$REAL_BIN" stats --control "$1" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["proxy"]["limits_hit"])'
}

# 1. Explicit cap above the limit, at both parities.
for L in "$LIMIT" $((LIMIT + 1)); do
	limit_to "$L"
	start_proxy "p1-$L" --listen 127.0.0.1:0 --upstream "127.0.0.1:$UP" --workers 1 \
		--max-connections 1000 --control "$T/ctl1-$L" --events "$T/ev1-$L.jsonl"
	P1=$PROXY_PID
	grep -q "RLIMIT_NOFILE $L" "$T/p1-$L.err" && grep -q -- "--max-connections 1000" "$T/p1-$L.err" ||
		fail "no start-up warning about the descriptor limit: $(cat "$T/p1-$L.err")"
	pass "limit $L: start-up warning names the limit and --max-connections"
	fill "$PROXY_PORT" "$T/fill1" || fail "at the descriptor limit $L"
	read -r served refused <"$T/fill1"
	pass "limit $L: $served served, $refused reset at once, service resumes"
	wait_until 10 grep -q '"detail":"descriptor limit' "$T/ev1-$L.jsonl" ||
		fail "limit $L: no proxy_limit event naming the descriptor limit"
	pass "limit $L: proxy_limit event names the descriptor limit"
	[ "$(limits_hit "$T/ctl1-$L")" -ge 1 ] || fail "limit $L: limits_hit not counted"
	pass "limit $L: limits_hit counted"
	stop_proxy "$P1"
done

# 2. No --max-connections: the derived cap refuses first, cleanly.
limit_to "$LIMIT"
start_proxy p2 --listen 127.0.0.1:0 --upstream "127.0.0.1:$UP" --workers 1 \
	--control "$T/ctl2" --events "$T/ev2.jsonl"
P2=$PROXY_PID
grep -q "RLIMIT_NOFILE" "$T/p2.err" && fail "warning without --max-connections: $(cat "$T/p2.err")"
fill "$PROXY_PORT" "$T/fill2" || fail "at the derived connection cap"
read -r served refused <"$T/fill2"
wait_until 10 grep -q 'connection limit (--max-connections)' "$T/ev2.jsonl" ||
	fail "the refusal was not the --max-connections one"
grep -q '"detail":"descriptor limit' "$T/ev2.jsonl" &&
	fail "ran out of descriptors although the cap was derived from the limit"
pass "derived cap ($served connections under RLIMIT_NOFILE $LIMIT) refuses before descriptors run out"
stop_proxy "$P2"
echo "proxy descriptor limit: 9 passed, 0 failed"
