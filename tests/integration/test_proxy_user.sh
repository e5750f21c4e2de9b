#!/usr/bin/env bash
# proxy --user: started as root, the proxy binds, then every thread runs as
# the named user with no capability left, and traffic still flows; the
# control socket belongs to that user; the bounding set is empty and
# no_new_privs is set. (--user with --spoof-source, which keeps
# CAP_NET_ADMIN and CAP_NET_RAW, is tested in test_proxy_transparent.sh.)
set -euo pipefail
: "${OWFP_BIN:?}"
[ "$(id -u)" -eq 0 ] || { echo "FAIL: this test drops root and must start as root" >&2; exit 1; }
work=$(mktemp -d)
chmod 755 "$work"
mkdir "$work/run" && chown nobody "$work/run"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0

rc=0
"$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream 127.0.0.1:9 --user no-such-user-owfp >/dev/null 2>"$work/nouser.err" || rc=$?
[ "$rc" -eq 1 ] && grep -q 'no-such-user-owfp: no such user' "$work/nouser.err" ||
	fail "--user with an unknown user: exit $rc, $(cat "$work/nouser.err")"
passed=$((passed + 1))

/usr/bin/python3 - "$work/up.port" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(4)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.sendall(b"hello from upstream\n"); c.close()
PY
pids+=($!)
for _ in $(seq 100); do [ -s "$work/up.port" ] && break; sleep 0.05; done

# Built-ins whose threads start with the configuration, before the drop
# (rate_limit's timer, stream_edit's out-of-band worker): prctl acts per
# thread, so they must get no_new_privs and the bounding set too.
cat >"$work/cfg.yaml" <<'YAML'
callouts:
  - {name: rate, type: rate_limit, params: {rate: 100000000}}
  - {name: edit, type: stream_edit, params: {find: never-sent, replace: x, mode: oob}}
filters:
  - {name: rate, layer: stream, action: callout_terminating, callout: rate}
YAML
chmod 644 "$work/cfg.yaml"
"$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$work/up.port")" --workers 2 \
	-c "$work/cfg.yaml" --user nobody --control "$work/run/ctl" >"$work/proxy.out" 2>"$work/proxy.err" &
ppid=$!
pids+=($ppid)
for _ in $(seq 200); do [ -S "$work/run/ctl" ] && break; sleep 0.05; done
[ -S "$work/run/ctl" ] || fail "proxy did not come up: $(cat "$work/proxy.err")"
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/proxy.out")

nobody=$(id -u nobody)
nthreads=$(ls /proc/$ppid/task | wc -l)
[ "$nthreads" -ge 5 ] || fail "expected the main thread, 2 workers and the callouts' threads: $nthreads"
for st in /proc/$ppid/task/*/status; do
	uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "$st")
	[ "$uids" = "$nobody $nobody $nobody $nobody" ] || fail "thread $st runs as uids $uids"
	capeff=$(awk '/^CapEff:/ {print $2}' "$st")
	capprm=$(awk '/^CapPrm:/ {print $2}' "$st")
	[ "$capeff" = 0000000000000000 ] && [ "$capprm" = 0000000000000000 ] || fail "thread $st kept capabilities ($capprm/$capeff)"
	[ "$(awk '/^CapBnd:/ {print $2}' "$st")" = 0000000000000000 ] || fail "thread $st: bounding set not empty"
	[ "$(awk '/^NoNewPrivs:/ {print $2}' "$st")" = 1 ] || fail "thread $st: no_new_privs not set"
done
passed=$((passed + 1))
[ "$(stat -c %u "$work/run/ctl")" = "$nobody" ] || fail "control socket not owned by nobody"
passed=$((passed + 1))
got=$(/usr/bin/python3 -c "
import socket,sys
c=socket.create_connection(('127.0.0.1',$port),timeout=5); d=b''
while True:
    x=c.recv(100)
    if not x: break
    d+=x
sys.stdout.write(d.decode())")
[ "$got" = "hello from upstream" ] || fail "traffic through the unprivileged proxy: got '$got'"
passed=$((passed + 1))
echo "proxy --user: $passed passed, 0 failed"
