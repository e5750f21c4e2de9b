#!/usr/bin/env bash
# systemd integration without systemd (docs/operations.md): a fake
# NOTIFY_SOCKET (a Python AF_UNIX datagram listener) must receive READY=1
# once the proxy listens, RELOADING=1 then READY=1 around a SIGHUP reload
# (a rejected one too), WATCHDOG=1 when WATCHDOG_USEC asks for it, and
# STOPPING=1 at the SIGTERM drain. With JOURNAL_STREAM naming its stderr,
# every stderr line carries a "<N>" priority prefix; with JOURNAL_STREAM
# naming another file (inherited from a parent), none does.
. "$(dirname "$0")/proxy_lib.sh"

cat >"$T/listen.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[2] + ".ready", "w").write("1")
with open(sys.argv[2], "a") as out:
    while True:
        msg = s.recv(4096).decode()
        out.write(msg.replace("\n", "|") + "\n")
        out.flush()
PY
python3 "$T/listen.py" "$T/notify.sock" "$T/notify.log" 2>"$T/listen.err" &
PIDS+=("$!")
wait_until 10 test -e "$T/notify.log.ready" || fail "notify listener did not start"

cat >"$T/cfg.yaml" <<'YAML'
callouts:
  - {name: count, type: count}
filters:
  - {name: count-all, layer: stream, sublayer: inspection, action: callout_inspection, callout: count}
YAML
# No client connects in this test: the upstream is never dialled.
UP=127.0.0.1:9
touch "$T/sd.err"
js=$(stat -c '%d:%i' "$T/sd.err")
# 1 s watchdog: the management loop wakes at least once a second.
NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=1000000 JOURNAL_STREAM=$js \
	start_proxy sd --listen 127.0.0.1:0 --upstream "$UP" -c "$T/cfg.yaml" \
	--control "$T/sd.sock"
PID=$PROXY_PID

nth() { sed -n "$1p" "$T/notify.log"; }
has() { grep -qx "$1" "$T/notify.log"; }
wait_until 10 has 'READY=1' || fail "no READY=1: $(cat "$T/notify.log")"
grep -q '^STATUS=listening on 127.0.0.1:' "$T/notify.log" || fail "no STATUS line: $(cat "$T/notify.log")"
# the control socket is up when READY=1 is sent
"$OWFP_BIN" stats --control "$T/sd.sock" --json >/dev/null || fail "control socket not up after READY=1"
pass "READY=1 once listening (and STATUS=)"

wait_until 10 has 'WATCHDOG=1' || fail "no WATCHDOG=1 with WATCHDOG_USEC set"
pass "WATCHDOG=1 with WATCHDOG_USEC"

# reloads_ok N: N READY=1 lines, with one RELOADING=1 between each two.
reloads_ok() {
	grep -v '^WATCHDOG' "$T/notify.log" | awk -v want="$1" '
		$0 == "READY=1" { if (nready > 0 && r != nready) bad = 1; nready++; next }
		/^RELOADING=1\|MONOTONIC_USEC=[0-9]+$/ { if (r != nready - 1) bad = 1; r++ }
		END { exit !(nready == want && r == want - 1 && !bad) }'
}
kill -HUP "$PID"
wait_until 10 reloads_ok 2 || fail "SIGHUP: no RELOADING=1 then READY=1: $(cat "$T/notify.log")"
echo 'filters: [' >"$T/cfg.yaml"   # a bad file: rejected, READY=1 all the same
kill -HUP "$PID"
wait_until 10 reloads_ok 3 || fail "rejected SIGHUP: no RELOADING=1 then READY=1: $(cat "$T/notify.log")"
wait_until 10 grep -q 'new configuration rejected' "$T/sd.err" || fail "bad reload not reported"
pass "RELOADING=1 ... READY=1 around each SIGHUP reload, accepted or rejected"

stop_proxy "$PID"
# the listener writes what it received on its own time: the proxy's exit
# does not mean the datagram is in the log yet
wait_until 10 has 'STOPPING=1' || fail "no STOPPING=1 at drain: $(cat "$T/notify.log")"
[ "$(grep -c . "$T/notify.log")" -ge 6 ] || fail "too few messages"
pass "STOPPING=1 at the SIGTERM drain"

grep -q '^<5>openwfp proxy: draining: no new connections' "$T/sd.err" ||
	fail "journal stderr: no <5> prefix on the drain notice: $(cat "$T/sd.err")"
grep -q '^<5>openwfp proxy: SIGHUP: new configuration rejected' "$T/sd.err" ||
	fail "journal stderr: no <5> prefix on the reload notice: $(cat "$T/sd.err")"
! grep -v '^<[0-7]>' "$T/sd.err" | grep -q . || fail "a stderr line without a priority prefix: $(cat "$T/sd.err")"
pass "stderr toward the journal: one line per event, each with a <N> priority"

# JOURNAL_STREAM inherited but naming another file: plain lines.
JOURNAL_STREAM=$js start_proxy plain --listen 127.0.0.1:0 --upstream "$UP"
stop_proxy "$PROXY_PID"
grep -q '^openwfp proxy: draining' "$T/plain.err" || fail "plain stderr: $(cat "$T/plain.err")"
! grep -q '^<[0-7]>' "$T/plain.err" || fail "prefix although stderr is not the journal"
pass "no prefix when JOURNAL_STREAM names another file"
