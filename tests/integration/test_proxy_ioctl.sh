#!/usr/bin/env bash
# `openwfp ioctl` through a running proxy's control socket: the status the
# request completed with is printed by name and number and sets the exit
# status; bad arguments are usage errors; a peer of another uid gets no
# answer (the socket's SO_PEERCRED check covers ioctl like filters.add).
# With a KMDF driver (tests/plugins/drv_kmdf_ctl.c): its Parameters come
# from drivers: and --driver-param (which wins), the configuration's IOCTLs
# reach its queue after DriverEntry, and `openwfp ioctl` reads its state.
. "$(dirname "$0")/proxy_lib.sh"

python3 "$OWFP_SOURCE_DIR/tests/integration/echo_server.py" "$T/echo.port" 2>"$T/echo.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/echo.port" || fail "echo server did not start"
start_proxy p --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$T/echo.port")" \
	--callout "$OWFP_PLUGIN_DIR/drv_flow_monitor.so" --control "$T/p.sock"

rc=0
"$OWFP_BIN" ioctl --control "$T/p.sock" 'NoSuchDevice' \
	'CTL_CODE(FILE_DEVICE_NETWORK, 0x1, METHOD_BUFFERED, FILE_ANY_ACCESS)' \
	--in '01 00 00 00 00 00 00 00' --out-size 16 >"$T/io.out" 2>"$T/io.err" || rc=$?
[ "$rc" = 1 ] || fail "ioctl to a missing device exited $rc, want 1"
grep -q '^STATUS_OBJECT_NAME_NOT_FOUND (0xC0000034), 0 bytes out$' "$T/io.out" ||
	fail "status not printed: $(cat "$T/io.out" "$T/io.err")"
pass "the completion status is printed by name and number, and exit status 1"

printf '\001\002' >"$T/in.bin"
"$OWFP_BIN" ioctl --control "$T/p.sock" NoSuchDevice 0x120004 --in "@$T/in.bin" --json \
	>"$T/io.json" || true
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["status"]==0xC0000034 and r["out"]=="" else 1)' \
	"$T/io.json" || fail "--json reply: $(cat "$T/io.json")"
pass "--json prints the control socket's reply; --in @FILE is read"

for bad in "--out-size 70000" "--in zz" "--in @/nonexistent/x"; do
	rc=0
	# shellcheck disable=SC2086
	"$OWFP_BIN" ioctl --control "$T/p.sock" D 1 $bad >/dev/null 2>"$T/bad.err" || rc=$?
	[ "$rc" != 0 ] || fail "'$bad' was accepted"
done
rc=0; "$OWFP_BIN" ioctl --control "$T/p.sock" D 'CTL_CODE(1)' 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "a bad CODE exited $rc, want 2 (usage)"
pass "bad --out-size, --in and CODE are refused before anything is sent"

chmod 711 "$T"; chmod 666 "$T/p.sock"
rc=0
setpriv --reuid=65534 --regid=65534 --clear-groups "$OWFP_BIN" ioctl --control "$T/p.sock" \
	NoSuchDevice 1 >"$T/foreign.out" 2>&1 || rc=$?
chmod 600 "$T/p.sock"; chmod 700 "$T"
[ "$rc" = 1 ] && grep -q "no reply" "$T/foreign.out" || fail "a foreign uid's ioctl: rc $rc $(cat "$T/foreign.out")"
pass "a peer of another uid gets no answer"
stop_proxy "$PROXY_PID"

GET_STATE='CTL_CODE(0x8421, 0x901, METHOD_BUFFERED, FILE_READ_ACCESS)'
SET_WORD='CTL_CODE(0x8421, 0x902, METHOD_BUFFERED, FILE_WRITE_ACCESS)'
state() { # state SOCK: Port Requests Word, decoded from KMDF_CTL_STATE
	"$OWFP_BIN" ioctl --control "$1" OwfpKmdfCtl "$GET_STATE" --out-size 80 --json |
		python3 -c 'import json, struct, sys
r = json.load(sys.stdin); b = bytes.fromhex(r["out"])
port, _, req, n = struct.unpack("<4I", b[:16]); print(port, req, b[16:16 + n].decode())'
}
cat >"$T/kmdf.yaml" <<EOF2
drivers:
  - path: $OWFP_PLUGIN_DIR/drv_kmdf_ctl.so
    name: ctl
    parameters: {InspectionPort: 9999, Word: sunny}
EOF2
start_proxy k1 --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$T/echo.port")" \
	-c "$T/kmdf.yaml" --driver-param ctl.Word=cloudy --control "$T/k1.sock"
got=$(state "$T/k1.sock")
[ "$got" = "9999 1 cloudy" ] || fail "driver state '$got', want port 9999 from drivers:, word cloudy from --driver-param"
pass "Parameters reach the driver: REG_DWORD from the file, REG_SZ from --driver-param over it"
stop_proxy "$PROXY_PID"

cat >>"$T/kmdf.yaml" <<EOF2
    ioctls:
      - {device: OwfpKmdfCtl, code: '$SET_WORD', in: "77 69 6e 64 79"}
EOF2
start_proxy k2 --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$T/echo.port")" \
	-c "$T/kmdf.yaml" --control "$T/k2.sock"
got=$(state "$T/k2.sock")
[ "$got" = "9999 2 windy" ] || fail "driver state '$got', want the configured SET_WORD (windy) then this GET"
pass "the configuration's IOCTL reached the driver's queue after DriverEntry"
stop_proxy "$PROXY_PID"

cat >"$T/bad.yaml" <<EOF2
drivers:
  - path: $OWFP_PLUGIN_DIR/drv_kmdf_ctl.so
    ioctls:
      - {device: OwfpKmdfCtl, code: '$SET_WORD', in: ""}
EOF2
rc=0; "$OWFP_BIN" check-config "$T/bad.yaml" >"$T/bad.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "bad.yaml:4:9: driver 'drv_kmdf_ctl': ioctl 0x8421A408 to OwfpKmdfCtl returned STATUS_INVALID_PARAMETER (0xC000000D)" "$T/bad.out" ||
	fail "a refused IOCTL: rc $rc, $(cat "$T/bad.out")"
pass "an IOCTL the driver refuses stops the run and names its line and status"

# A driver that never completes (WAIT is completed only by cancellation):
# the request is cancelled well before the client gives up (10 s), so the
# client gets the driver's answer and the control socket serves others.
WAIT='CTL_CODE(0x8421, 0x903, METHOD_BUFFERED, FILE_ANY_ACCESS)'
start_proxy k3 --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$T/echo.port")" \
	--callout "$OWFP_PLUGIN_DIR/drv_kmdf_ctl.so" --control "$T/k3.sock"
"$OWFP_BIN" ioctl --control "$T/k3.sock" OwfpKmdfCtl "$WAIT" >"$T/wait.out" 2>&1 &
WAITER=$!
rc=0; "$OWFP_BIN" stats --control "$T/k3.sock" >/dev/null 2>"$T/wstats.err" || rc=$?
wait "$WAITER" || true
grep -q '^STATUS_CANCELLED (0xC0000120), 0 bytes out$' "$T/wait.out" ||
	fail "an IOCTL the driver never completes: $(cat "$T/wait.out")"
[ "$rc" = 0 ] || fail "stats beside a pending IOCTL: rc $rc $(cat "$T/wstats.err")"
pass "an IOCTL the driver never completes is cancelled and answered; stats is served meanwhile"

# A client served once before the IOCTL (its 2 s request deadline running)
# sends its next request while the pending IOCTL holds the loop for 3 s:
# it was closed unread when the loop came back past its deadline (CI saw
# "no reply"); a request that arrived in time is served.
python3 - "$T/k3.sock" "$OWFP_BIN" "$WAIT" >"$T/busy.out" 2>&1 <<'PY' || fail "a request sent while an IOCTL holds the loop: $(cat "$T/busy.out")"
import json, socket, subprocess, sys, time
path, owfp, wait = sys.argv[1:4]
a = socket.socket(socket.AF_UNIX)
a.connect(path)
a.settimeout(10)
f = a.makefile("rb")
a.sendall(b'{"cmd":"stats"}\n')
assert json.loads(f.readline())["ok"], "first stats"
waiter = subprocess.Popen([owfp, "ioctl", "--control", path, "OwfpKmdfCtl", wait],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)  # not a measurement: lets the IOCTL reach the loop first
a.sendall(b'{"cmd":"stats"}\n')
line = f.readline()
waiter.wait()
assert line, "the control socket closed the connection instead of answering"
assert json.loads(line)["ok"], line
print("served")
PY
pass "a request sent while an IOCTL holds the control loop is still served"
stop_proxy "$PROXY_PID"
