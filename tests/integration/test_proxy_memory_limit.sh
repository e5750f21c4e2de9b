#!/usr/bin/env bash
# The process memory limit holds when a callout holds streams back (issue
# 17, finding 1). Bytes the engine keeps for deferred streams count with
# the output queues against --global-limit; at its high mark the proxy
# stops reading sources (TCP flow control holds the senders back) instead
# of buffering, and rate_limit never lets a backlog through.
#  1. 150 reading clients through rate_limit (1,000 B/s each), each offered
#     16 MiB by the server, --global-limit 64M: the proxy's peak RSS
#     (VmHWM) stays under 2.5 x 64 MiB and it reads less than the limit.
#     Before the fix every flow kept up to 8 MiB (Q8): over 1 GiB.
#  2. One flow through rate_limit at 20 kB/s: in 5 s the client receives at
#     most 3 x its budget (burst + 5 s x rate = 120 kB). Before the fix the
#     8 MiB the engine held was released at its buffer limit.
. "$(dirname "$0")/proxy_lib.sh"

MP="python3 $OWFP_SOURCE_DIR/tests/integration/memory_peers.py"
MIB=$((1024 * 1024))

# Under ASan freed memory waits in a quarantine (256 MiB by default) and
# is part of RSS: keep it small so the peak measures what the proxy holds.
if nm -D "$OWFP_BIN" 2>/dev/null | grep -q __asan_init || ldd "$OWFP_BIN" | grep -q libasan; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4:thread_local_quarantine_size_kb=64"
	ASAN=1
fi

serve_many() { # serve_many NAME BYTES: sets SRV_PORT
	rm -f "$T/$1.ready"
	$MP serve --ready "$T/$1.ready" "$2" >"$T/$1.log" 2>"$T/$1.err" &
	PIDS+=("$!")
	wait_until 10 test -s "$T/$1.ready" || fail "server $1 did not start"
	SRV_PORT=$(cat "$T/$1.ready")
}
proxy_with() { # proxy_with NAME RATE ARGS...
	local name=$1 rate=$2; shift 2
	printf '%s\n' "callouts: [{name: rate, type: rate_limit, params: {rate: $rate}}]" \
		"filters: [{name: rate, layer: stream, action: callout_terminating, callout: rate}]" \
		>"$T/$name.yaml"
	start_proxy "$name" --listen 127.0.0.1:0 --upstream "127.0.0.1:$SRV_PORT" -c "$T/$name.yaml" \
		--control "$T/$name.sock" --events "$T/$name.events" "$@"
}
stat_of() { # stat_of NAME PYTHON-EXPR-ON-r
	"$OWFP_BIN" stats --control "$T/$1.sock" --json |
		python3 -c "import json,sys; r=json.load(sys.stdin); print($2)"
}
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
read_upstream() { # bytes the proxy NAME read from its upstream (no python: polled)
	"$OWFP_BIN" stats --control "$T/$1.sock" --json | tr -d ' \n' |
		sed -n 's/.*"bytes_read":{[^}]*"upstream":\([0-9]*\).*/\1/p'
}

# ---- 1. 150 flows, --global-limit 64M
FLOWS=150
LIMIT_MIB=64
BOUND_KIB=$((LIMIT_MIB * 1024 * 5 / 2))
serve_many srv $((16 * MIB))
proxy_with many 1000 --global-limit ${LIMIT_MIB}M --workers 2
PX_PID=$PROXY_PID
base_kib=$(hwm_kib "$PX_PID")
$MP read --connect "127.0.0.1:$PROXY_PORT" "$FLOWS" 60 --out "$T/many.rep" >"$T/many-cli.log" 2>"$T/many-cli.err" &
PIDS+=("$!")
# Wait (bounded) until the proxy stops taking bytes in: read from the
# upstream unchanged for 5 polls (1 s or more). Fail as soon as the peak
# passes the bound.
last=-1 same=0 read_up=0
for _ in $(seq 1 100); do
	hwm=$(hwm_kib "$PX_PID")
	[ -n "${ASAN:-}" ] && hwm=$((hwm - base_kib))
	[ "$hwm" -le "$BOUND_KIB" ] ||
		fail "peak RSS ${hwm} KiB over 2.5 x ${LIMIT_MIB} MiB (${BOUND_KIB} KiB); read from upstream: $(read_upstream many) bytes"
	read_up=$(read_upstream many)
	[ -n "$read_up" ] || fail "no proxy statistics"
	if [ "$read_up" = "$last" ] && [ "$read_up" -ge $((16 * MIB)) ]; then
		same=$((same + 1))
		[ "$same" -ge 5 ] && break
	else
		same=0
	fi
	last=$read_up
	sleep 0.2
done
active=$(stat_of many 'r["proxy"]["active"]')
[ "$active" -eq "$FLOWS" ] || fail "$active of $FLOWS connections open (limits_hit $(stat_of many 'r["proxy"]["limits_hit"]'))"
[ "$read_up" -le $((LIMIT_MIB * MIB)) ] ||
	fail "the proxy read $read_up bytes of $((FLOWS * 16)) MiB offered: sources were not paused"
hwm=$(hwm_kib "$PX_PID")
pass "$FLOWS flows through rate_limit, --global-limit ${LIMIT_MIB}M: peak RSS ${hwm} KiB (bound ${BOUND_KIB} KiB${ASAN:+ above the ${base_kib} KiB at start, ASan}), read $read_up of $((FLOWS * 16 * MIB)) bytes offered, $active flows open"
kill -KILL "$PX_PID" # SIGTERM would drain the rate-limited flows
wait "$PX_PID" 2>/dev/null || true

# ---- 2. one flow at 20 kB/s for 5 s
RATE=20000
proxy_with one $RATE
$MP read --connect "127.0.0.1:$PROXY_PORT" 1 5 --out "$T/one.rep" >"$T/one-cli.log" 2>"$T/one-cli.err" &
PIDS+=("$!")
wait_until 20 test -s "$T/one.rep" || fail "the 5 s reader did not report"
got=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' "$T/one.rep")
budget=$((RATE + 5 * RATE))
[ "$got" -gt 0 ] || fail "nothing arrived through rate_limit: $(cat "$T/one.rep")"
[ "$got" -le $((3 * budget)) ] ||
	fail "$got bytes in 5 s through rate_limit at $RATE B/s: over 3 x the budget of $budget"
pass "rate_limit at $RATE B/s: $got bytes in 5 s (budget $budget, at most 3 x)"
kill -KILL "$PROXY_PID" # SIGTERM would drain the deferred upstream direction
wait "$PROXY_PID" 2>/dev/null || true
