#!/usr/bin/env bash
# --max-connections: past the cap a new connection is reset at accept (fail
# closed), the refusal is counted (stats limits_hit) and logged as a
# proxy_limit event, and the connections already open keep working; once one
# closes, a new connection is served again.
set -euo pipefail
: "${OWFP_BIN:?}"
work=$(mktemp -d)
chmod 700 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

/usr/bin/python3 "$(dirname "$0")/echo_server.py" "$work/up.port" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/up.port" ] && break; sleep 0.05; done
[ -s "$work/up.port" ] || fail "echo server did not start"

"$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$work/up.port")" --workers 1 \
	--max-connections 2 --control "$work/ctl" --events "$work/events.jsonl" >"$work/proxy.out" 2>"$work/proxy.err" &
pids+=($!)
for _ in $(seq 200); do grep -q "listening on" "$work/proxy.out" 2>/dev/null && [ -S "$work/ctl" ] && break; sleep 0.05; done
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/proxy.out")
[ -n "$port" ] || fail "proxy did not start: $(cat "$work/proxy.err")"

/usr/bin/python3 - "$port" <<'PY' || fail "connection cap behaviour"
import socket, sys, time
port = int(sys.argv[1])
def conn():
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    c.sendall(b"ping"); assert c.recv(4) == b"ping", "echo through the proxy"
    return c
a, b = conn(), conn()           # two open connections: the cap
try:                            # reset at accept: what we want (the RST may
    c = socket.create_connection(("127.0.0.1", port), timeout=5)  # even beat connect())
    c.sendall(b"x")
    got = c.recv(4)
    assert got == b"", "third connection was served: %r" % got
except (ConnectionResetError, BrokenPipeError):
    pass
a.sendall(b"still"); assert a.recv(5) == b"still", "open connections keep working"
a.close()
for _ in range(100):            # the slot frees once the proxy sees the close
    try:
        d = conn(); d.close(); break
    except (ConnectionResetError, AssertionError, BrokenPipeError):
        time.sleep(0.05)
else:
    raise SystemExit("no new connection served after one closed")
b.close()
PY
hits=$("$OWFP_BIN" stats --control "$work/ctl" --json | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["proxy"]["limits_hit"])')
[ "$hits" -ge 1 ] || fail "limits_hit is $hits, expected at least 1"
grep -q 'max-connections' "$work/events.jsonl" || fail "no proxy_limit event naming --max-connections"
echo "proxy --max-connections: 4 passed, 0 failed"
