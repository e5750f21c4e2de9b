#!/usr/bin/env bash
# Flow metadata through the proxy: a driver whose callouts are provisioned
# by the configuration (drivers:, callouts: key/layer, filters, as a
# user-mode tool would on Windows) sees, for a loopback client whose
# program is known, PROCESS_ID and PROCESS_PATH at ALE_FLOW_ESTABLISHED and
# the ALE_APP_ID field; its flow context reaches the stream layer; and a
# filter with an app_id condition matches that program only (python3, not
# curl, and the other way round).
. "$(dirname "$0")/proxy_lib.sh"

PY=$(python3 -c 'import os, sys; print(os.path.realpath(sys.executable))')
CURL=$(readlink -f "$(command -v curl)")
[ -x "$PY" ] && [ -x "$CURL" ] || fail "python3 and curl are needed (scripts/install-deps.sh)"

python3 "$OWFP_SOURCE_DIR/tests/integration/echo_server.py" "$T/echo.port" 2>"$T/echo.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/echo.port" || fail "echo server did not start"
ECHO=$(cat "$T/echo.port")

config() { # config APP_PATH
	cat <<EOF2
drivers:
  - path: $OWFP_PLUGIN_DIR/drv_flow_monitor.so
sublayers:
  - {name: monitor, weight: 0}
callouts:
  - {name: flow, key: 9c2ad1d3-6a1f-4c5e-8f0e-2b7d1e6a4b01, layer: flow_established_v4}
  - {name: stream, key: 9c2ad1d3-6a1f-4c5e-8f0e-2b7d1e6a4b02, layer: stream_v4}
filters:
  - name: watch
    layer: flow_established_v4
    sublayer: monitor
    action: callout_inspection
    callout: flow
    conditions:
      - {field: app_id, value: $1}
      - {field: ip_protocol, value: tcp}
  - {name: data, layer: stream_v4, sublayer: monitor, action: callout_inspection, callout: stream}
EOF2
}

# The python client prints its pid, then sends and reads back 5 bytes.
py_client() {
	python3 -c '
import os, socket, sys
print(os.getpid(), flush=True)
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"hello"); got = b""
while len(got) < 5:
    d = s.recv(5 - len(got))
    if not d: break
    got += d
sys.exit(0 if got == b"hello" else 1)' "$1"
}
curl_client() { curl -s --http0.9 --max-time 1 -o /dev/null "http://127.0.0.1:$1/" || true; }
# curl_start PORT: curl in the background, waiting for an answer the echo
# server never ends, so it is alive (its socket in /proc) however long the
# proxy takes to look its process up; sets CURL_PID.
curl_start() {
	curl -s --http0.9 --max-time 60 -o /dev/null "http://127.0.0.1:$1/" &
	CURL_PID=$!
	PIDS+=("$CURL_PID")
}

config "$PY" >"$T/py.yaml"
"$OWFP_BIN" check-config "$T/py.yaml" >"$T/check.out" 2>&1 || fail "check-config: $(cat "$T/check.out")"
grep -q "OK (1 drivers, 1 sublayers, 2 callouts, 2 filters)" "$T/check.out" || fail "check-config counts: $(cat "$T/check.out")"
pass "check-config loads the driver and provisions its callouts"

start_proxy p1 --listen 127.0.0.1:0 --upstream "127.0.0.1:$ECHO" -c "$T/py.yaml"
PYPID=$(py_client "$PROXY_PORT" | head -n 1) || fail "python client through the proxy"
curl_client "$PROXY_PORT"
wait_until 10 grep -q "drv_flow_monitor: stream flow .* pid $PYPID data" "$T/p1.err" ||
	fail "no stream-layer report with the flow context for pid $PYPID"
grep -q "drv_flow_monitor: flow [0-9]* pid $PYPID path $PY app_id $PY\$" "$T/p1.err" ||
	fail "flow-established metadata for python3 (pid $PYPID, $PY) missing"
pass "the callout saw PROCESS_ID $PYPID, PROCESS_PATH and ALE_APP_ID $PY"
pass "its flow context reached the stream layer"
! grep -q "path $CURL" "$T/p1.err" || fail "the app_id filter for python3 matched curl"
pass "app_id = python3 does not match curl"
stop_proxy "$PROXY_PID"

config "$CURL" >"$T/curl.yaml"
start_proxy p2 --listen 127.0.0.1:0 --upstream "127.0.0.1:$ECHO" -c "$T/curl.yaml"
py_client "$PROXY_PORT" >/dev/null || fail "python client through the second proxy"
curl_start "$PROXY_PORT"
wait_until 10 grep -q "drv_flow_monitor: flow [0-9]* pid $CURL_PID path $CURL app_id $CURL\$" "$T/p2.err" ||
	fail "flow-established metadata for curl (pid $CURL_PID) missing"
kill "$CURL_PID" 2>/dev/null || true
wait "$CURL_PID" 2>/dev/null || true
! grep -q "path $PY" "$T/p2.err" || fail "the app_id filter for curl matched python3"
pass "app_id = curl matches curl only"
stop_proxy "$PROXY_PID"
