# Shared helpers for tests/integration/test_proxy_*.sh (sourced, not run).
# Every peer is started by the test on loopback (or in namespaces the test
# creates) and killed by the EXIT trap. Waits poll a condition in a bounded
# loop; nothing asserts on elapsed time.
set -euo pipefail

: "${OWFP_BIN:?OWFP_BIN must name the openwfp binary}"
: "${OWFP_SOURCE_DIR:?}"
: "${OWFP_BUILD_DIR:?}"
OWFP_PLUGIN_DIR=${OWFP_PLUGIN_DIR:-$OWFP_BUILD_DIR/plugins}
PEER="python3 $OWFP_SOURCE_DIR/tests/integration/proxy_peer.py"

T=$(mktemp -d /tmp/owfp-proxy-test.XXXXXX)
PIDS=()
CLEANUP_HOOKS=()

proxy_cleanup() {
	local rc=$? p h
	set +e
	for h in "${CLEANUP_HOOKS[@]}"; do eval "$h"; done
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	# Under ASan/UBSan, a report from any proxy fails the test even if its
	# behaviour looked right.
	local bad
	bad=$(grep -l -E 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' "$T"/*.err 2>/dev/null || true)
	if [ -n "$bad" ]; then
		echo "FAIL: sanitizer report in $bad" >&2
		cat $bad >&2
		rc=1
	fi
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
	exit "$rc"
}
trap proxy_cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in "$T"/*.err; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }
	done
	exit 1
}
pass() { echo "ok - $*"; }

# wait_until SECONDS CMD...: polls CMD every 20 ms until it succeeds; 1 on timeout.
wait_until() {
	local limit=$1 i=0; shift
	local n=$((limit * 50))
	until "$@" 2>/dev/null; do
		i=$((i + 1))
		[ $i -ge $n ] && return 1
		sleep 0.02
	done
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

proxy_started() { grep -q '^listening on' "$1" || ! kill -0 "$2"; } # FILE PID

# start_proxy NAME ARGS...: runs `openwfp proxy ARGS` in the background with
# stdout in $T/NAME.out, stderr in $T/NAME.err; sets PROXY_PID and PROXY_PORT
# (from its "listening on" line).
start_proxy() {
	local name=$1; shift
	"$OWFP_BIN" proxy "$@" >"$T/$name.out" 2>"$T/$name.err" &
	PROXY_PID=$!
	PIDS+=("$PROXY_PID")
	# A hang guard, not a measurement: under ASan loading thousands of
	# filters (test_proxy_filters_many) alone takes ~4 s on a busy machine.
	# A proxy that exits instead is reported at once.
	wait_until 60 proxy_started "$T/$name.out" "$PROXY_PID" || true
	grep -q '^listening on' "$T/$name.out" || fail "$name did not start: $(cat "$T/$name.err")"
	PROXY_PORT=$(sed -n 's/^listening on .*:\([0-9]*\) .*/\1/p' "$T/$name.out" | head -n 1)
}

# stop_proxy PID: SIGTERM, then waits for a clean exit 0.
stop_proxy() {
	local pid=$1 rc=0
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || fail "proxy $pid exited $rc after SIGTERM"
}

# start_peer NAME ARGS...: proxy_peer.py in the background, report in $T/NAME.rep.
start_peer() {
	local name=$1; shift
	$PEER "$@" --out "$T/$name.rep" >"$T/$name.log" 2>"$T/$name.err" &
	PIDS+=("$!")
	LAST_PID=$!
}

# serve_peer NAME MODE ARGS...: a listening peer on a free port; sets PEER_PORT.
serve_peer() {
	local name=$1 mode=$2; shift 2
	rm -f "$T/$name.ready"
	start_peer "$name" "$mode" --listen 127.0.0.1:0 --ready "$T/$name.ready" "$@"
	wait_until 10 test -s "$T/$name.ready" || fail "peer $name did not start"
	PEER_PORT=$(cat "$T/$name.ready")
}

report_field() { # report_field FILE FIELD
	sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1"
}

pattern_sha() { $PEER sha "$1"; }

# ss_field SPORT FIELD: a numeric field of `ss -tin` for the socket with that local port.
ss_sendq() { ss -tn "( sport = :$1 )" | awk 'NR==2 {print $3}'; }
ss_recvq_to() { ss -tn "( dport = :$1 )" | awk 'NR>1 {print $2}' | sort -n | tail -n 1; }

# start_nginx ROOT: nginx on 127.0.0.1 and [::1] (same free port) serving ROOT; sets NGINX_PORT.
start_nginx() {
	local d=$T/nginx
	NGINX_PORT=$(free_port)
	mkdir -p "$d/tmp"
	cat >"$d/nginx.conf" <<NGX
user root;
worker_processes 1;
daemon off;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	keepalive_timeout 5;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		listen [::1]:$NGINX_PORT;
		root $1;
	}
}
NGX
	nginx -p "$d" -c "$d/nginx.conf" -e "$d/error.log" >"$T/nginx.err" 2>&1 &
	PIDS+=("$!")
	wait_until 10 nginx_listening || fail "nginx did not start: $(cat "$d/error.log")"
}

nginx_listening() { ss -ltn "( sport = :$NGINX_PORT )" | grep -q LISTEN; }
