#!/usr/bin/env bash
# A refused upstream is said on stderr: one line naming the upstream and the
# errno text, so a user whose client was reset learns why without --events.
# A flood against a dead upstream gives at most one line a second; every
# failure is accounted for, as a line or in a "N more ... not shown" count.
. "$OWFP_SOURCE_DIR/tests/integration/proxy_lib.sh"

dead=$(free_port)   # nothing listens here
start_proxy p --listen 127.0.0.1:0 --upstream "127.0.0.1:$dead" --workers 1

curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$PROXY_PORT/" && fail "curl succeeded through a dead upstream"
wait_until 10 grep -q "upstream 127.0.0.1:$dead" "$T/p.err" || fail "no stderr line about the refused upstream"
line=$(grep "upstream 127.0.0.1:$dead" "$T/p.err")
case "$line" in *"Connection refused"*) ;; *) fail "the line does not give the errno text: $line" ;; esac
pass "a refused upstream is reported on stderr: $line"

# The flood: 300 clients, each reset at once.
start_ns=$(date +%s%N)
python3 - "$PROXY_PORT" <<'PY'
import socket, sys
port = int(sys.argv[1])
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", port))
    try:
        s.recv(1)   # EOF or reset once the proxy gives up on the upstream
    except ConnectionResetError:
        pass
    s.close()
PY
end_ns=$(date +%s%N)
stop_proxy "$PROXY_PID"
lines=$(grep -c "upstream 127.0.0.1:$dead" "$T/p.err")
# Failures reported without a line of their own, from every "N more" count.
hidden=$(grep -o '[0-9]* more upstream failures\? not shown' "$T/p.err" | awk '{s += $1} END {print s + 0}')
[ $((lines + hidden)) -eq 301 ] || fail "301 failures, but $lines lines + $hidden counted: $(cat "$T/p.err")"
secs=$(( (end_ns - start_ns) / 1000000000 + 1 ))
[ "$lines" -le $((secs + 1)) ] || fail "$lines lines in about $secs s: not rate-limited"
pass "301 failures: $lines lines, $hidden counted in 'not shown' (rate-limited over ${secs}s)"
echo "upstream error: 2 passed, 0 failed"
