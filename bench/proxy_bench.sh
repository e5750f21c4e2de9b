#!/usr/bin/env bash
# Proxy throughput and connection rate, against haproxy measured in the same run.
#
#   iperf3, one stream, loopback:
#     direct                          the physical limit on this machine
#     haproxy mode tcp, nbthread 1    without splice, and with splice-request/response
#     openwfp proxy --workers 1       inspected by the default 'count' callout
#     openwfp proxy --workers 1       a callout answering ALLOW_CONNECTION at once, offloaded
#                                     with --offload sockmap ("offloaded") and splice
#   wrk, Connection: close, nginx serving a 100-byte file:
#     direct, through haproxy (nbthread 1), through openwfp (--workers 1, count), and
#     through openwfp allowing and offloading every connection (sockmap)
#
# Every figure is the median of OWFP_BENCH_RUNS runs (default 3); the tools
# take turns within each round. Prints RATIO lines for bench/run.sh.
# To compare two builds of the proxy, OWFP_BENCH_OTHER=/path/to/openwfp adds
# that binary to the connections-per-second rounds and prints its per-round
# ratios over this build's (median); OWFP_BENCH_ONLY=conns skips iperf3
# (with OWFP_BENCH_SECONDS=2 OWFP_BENCH_RUNS=3 a run takes about 30 s).
# usage: bench/proxy_bench.sh BUILD_DIR
set -euo pipefail

BUILD=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
OWFP_BIN=${OWFP_BIN:-$BUILD/openwfp}
PLUGIN=$BUILD/plugins/plugin_proxy_actions.so
RUNS=${OWFP_BENCH_RUNS:-3}
OTHER=${OWFP_BENCH_OTHER:-}
ONLY=${OWFP_BENCH_ONLY:-}
SECS=${OWFP_BENCH_SECONDS:-4}

for tool in iperf3 haproxy wrk nginx; do
	command -v "$tool" >/dev/null || { echo "proxy_bench: $tool missing (scripts/install-deps.sh --bench)"; exit 1; }
done
[ -x "$OWFP_BIN" ] || { echo "proxy_bench: no $OWFP_BIN"; exit 1; }
[ -f "$PLUGIN" ] || { echo "proxy_bench: no $PLUGIN"; exit 1; }

T=$(mktemp -d /tmp/owfp-proxy-bench.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -n "${KEEP_TMP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
listening() { ss -ltn "( sport = :$1 )" | grep -q LISTEN; }
wait_listen() {
	local i
	for i in $(seq 500); do listening "$1" && return 0; sleep 0.02; done
	echo "proxy_bench: nothing listens on $1" >&2; exit 1
}

IPERF=$(port) NGINX=$(port)
HAP=$(port) HAPS=$(port) HAPW=$(port) OWI=$(port) OWA=$(port) OWW=$(port) OWO=$(port) OWS=$(port) OWC=$(port)

iperf3 -s -p "$IPERF" >/dev/null 2>&1 &
PIDS+=("$!")

mkdir -p "$T/www" "$T/nginx/tmp"
head -c 100 /dev/zero | tr '\0' 'x' >"$T/www/100b"
cat >"$T/nginx/nginx.conf" <<EOF
user root;
worker_processes 1;
daemon off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_timeout 0;
	client_body_temp_path $T/nginx/tmp/b;
	proxy_temp_path $T/nginx/tmp/p;
	fastcgi_temp_path $T/nginx/tmp/f;
	uwsgi_temp_path $T/nginx/tmp/u;
	scgi_temp_path $T/nginx/tmp/s;
	server { listen 127.0.0.1:$NGINX; root $T/www; }
}
EOF
nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" -e "$T/nginx/error.log" >/dev/null 2>&1 &
PIDS+=("$!")

haproxy_cfg() { # haproxy_cfg FILE BIND_PORT SERVER_PORT [splice]
	{
		echo "global"
		echo "  nbthread 1"
		echo "defaults"
		echo "  mode tcp"
		echo "  timeout connect 5s"
		echo "  timeout client 60s"
		echo "  timeout server 60s"
		echo "listen p"
		echo "  bind 127.0.0.1:$2"
		[ -n "${4:-}" ] && echo "  option splice-request" && echo "  option splice-response"
		echo "  server s 127.0.0.1:$3"
	} >"$1"
}
haproxy_cfg "$T/hap.cfg" "$HAP" "$IPERF"
haproxy_cfg "$T/haps.cfg" "$HAPS" "$IPERF" splice
haproxy_cfg "$T/hapw.cfg" "$HAPW" "$NGINX"
declare -A PID
for c in hap haps hapw; do
	haproxy -f "$T/$c.cfg" -db >/dev/null 2>&1 &
	PIDS+=("$!")
	PID[$c]=$!
done

"$OWFP_BIN" proxy -q --workers 1 --listen "127.0.0.1:$OWI" --upstream "127.0.0.1:$IPERF" >/dev/null 2>"$T/owi.err" &
PIDS+=("$!")
PID[owi]=$!
OWFP_PROXY_ACTION=allow "$OWFP_BIN" proxy -q --workers 1 --listen "127.0.0.1:$OWA" \
	--upstream "127.0.0.1:$IPERF" --callout "$PLUGIN" --offload sockmap >/dev/null 2>"$T/owa.err" &
PIDS+=("$!")
PID[owa]=$!
OWFP_PROXY_ACTION=allow "$OWFP_BIN" proxy -q --workers 1 --listen "127.0.0.1:$OWS" \
	--upstream "127.0.0.1:$IPERF" --callout "$PLUGIN" --offload splice >/dev/null 2>"$T/ows.err" &
PIDS+=("$!")
PID[ows]=$!
OWFP_PROXY_ACTION=allow "$OWFP_BIN" proxy -q --workers 1 --listen "127.0.0.1:$OWC" \
	--upstream "127.0.0.1:$NGINX" --callout "$PLUGIN" --offload sockmap >/dev/null 2>"$T/owc.err" &
PIDS+=("$!")
PID[owc]=$!
"$OWFP_BIN" proxy -q --workers 1 --listen "127.0.0.1:$OWW" --upstream "127.0.0.1:$NGINX" >/dev/null 2>"$T/oww.err" &
PIDS+=("$!")
PID[oww]=$!
CONNS="c_direct:$NGINX: c_haproxy:$HAPW:${PID[hapw]} c_openwfp:$OWW:${PID[oww]} c_offloaded:$OWC:${PID[owc]}"
if [ -n "$OTHER" ]; then
	"$OTHER" proxy -q --workers 1 --listen "127.0.0.1:$OWO" --upstream "127.0.0.1:$NGINX" >/dev/null 2>"$T/owo.err" &
	PIDS+=("$!")
	PID[owo]=$!
	wait_listen "$OWO"
	CONNS+=" c_other:$OWO:${PID[owo]}"
fi
for p in "$IPERF" "$NGINX" "$HAP" "$HAPS" "$HAPW" "$OWI" "$OWA" "$OWS" "$OWW" "$OWC"; do wait_listen "$p"; done

# CPU time (user + system, in clock ticks) a process has used so far: the
# proxies' CPU per byte and per connection hardly depends on what else runs
# on the machine, unlike the rates.
cpu_ticks() { [ -n "${1:-}" ] && awk '{print $14 + $15}' "/proc/$1/stat" || echo 0; }
TCK=$(getconf CLK_TCK)
gbps() { # gbps PORT [PID] -> "Gbit/s cpu-seconds-per-GB"
	local t0 t1 out
	t0=$(cpu_ticks "${2:-}")
	out=$(iperf3 -c 127.0.0.1 -p "$1" -t "$SECS" -J 2>/dev/null)
	t1=$(cpu_ticks "${2:-}")
	echo "$out" | python3 -c 'import json,sys
r = json.load(sys.stdin)
e = r.get("end", {}).get("sum_received")
if not e or not e.get("bytes"):  # the transfer failed (reset): it counts as 0
    print("0.000 0.000")
    print("proxy_bench: iperf3 failed: %s" % r.get("error", "no result"), file=sys.stderr)
    sys.exit(0)
t0, t1, tck = (float(x) for x in sys.argv[1:])
print("%.3f %.3f" % (e["bits_per_second"] / 1e9, (t1 - t0) / tck / (e["bytes"] / 1e9)))' "$t0" "$t1" "$TCK"
}
conns() { # conns PORT [PID] -> "requests/s cpu-microseconds-per-request"
	local t0 t1 out
	t0=$(cpu_ticks "${2:-}")
	out=$(wrk -t1 -c32 -d"${SECS}s" -H 'Connection: close' "http://127.0.0.1:$1/100b" 2>/dev/null)
	t1=$(cpu_ticks "${2:-}")
	echo "$out" | awk -v a="$t0" -v b="$t1" -v t="$TCK" '
		/requests in/ {n = $1} /^Requests\/sec/ {r = $2}
		END {printf "%s %.1f\n", r, (n > 0) ? (b - a) / t * 1e6 / n : 0}'
}
declare -A R C
for round in $(seq "$RUNS"); do
	for k in direct:$IPERF: haproxy:$HAP:${PID[hap]} haproxy_splice:$HAPS:${PID[haps]} \
		 inspected:$OWI:${PID[owi]} offloaded:$OWA:${PID[owa]} offloaded_splice:$OWS:${PID[ows]}; do
		[ "$ONLY" = conns ] && break
		IFS=: read -r name p pid <<<"$k"
		read -r v cpu < <(gbps "$p" "$pid")
		R[$name]+=" $v"; C[$name]+=" $cpu"
	done
	for k in $CONNS; do
		IFS=: read -r name p pid <<<"$k"
		read -r v cpu < <(conns "$p" "$pid")
		R[$name]+=" $v"; C[$name]+=" $cpu"
	done
	echo "round $round done" >&2
done
median() { printf '%s\n' $1 | sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'; }

# Median of round-by-round ratios of two space-separated lists.
pair_ratio() { paste <(printf '%s\n' $1) <(printf '%s\n' $2) |
	awk '$2 > 0 {print $1 / $2}' | sort -g |
	awk '{v[NR]=$1} END {if (!NR) print 0; else printf "%.3f\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
if [ -n "$OTHER" ]; then
	echo "Other build ($OTHER) over this one, connections/s rounds:"
	echo "  req/s, per-round ratios' median: $(pair_ratio "${R[c_other]}" "${R[c_openwfp]}")"
	echo "  CPU per request, per-round ratios' median: $(pair_ratio "${C[c_other]}" "${C[c_openwfp]}")"
	printf '  %-16s req/s (%s )   CPU us/req (%s )\n' this "${R[c_openwfp]}" "${C[c_openwfp]}" \
		other "${R[c_other]}" "${C[c_other]}"
fi
if [ "$ONLY" = conns ]; then
	# Short runs on a busy machine: per-round ratios, and the CPU cost per
	# request, which moves less with the load than the rates do.
	printf '  %-16s req/s (%s )   CPU us/req (%s )\n' haproxy "${R[c_haproxy]}" "${C[c_haproxy]}" \
		openwfp "${R[c_openwfp]}" "${C[c_openwfp]}"
	echo "RATIO proxy.conn_s/haproxy $(pair_ratio "${R[c_openwfp]}" "${R[c_haproxy]}") >=1.2 (per-round)"
	echo "RATIO proxy.cpu_per_conn/haproxy $(pair_ratio "${C[c_openwfp]}" "${C[c_haproxy]}") - (per-round)"
	exit 0
fi

declare -A M MC
for k in "${!R[@]}"; do M[$k]=$(median "${R[$k]}"); MC[$k]=$(median "${C[$k]}"); done
echo "Proxy throughput, one iperf3 stream over loopback (Gbit/s, median of $RUNS x ${SECS}s; runs:"
for k in direct haproxy haproxy_splice inspected offloaded offloaded_splice; do
	printf '  %-16s %8s Gbit/s  (%s )   proxy CPU %6s s/GB\n' "$k" "${M[$k]}" "${R[$k]}" "${MC[$k]}"
done
echo "Connections per second, wrk -t1 -c32 Connection: close, 100-byte file (median of $RUNS x ${SECS}s):"
for k in c_direct c_haproxy c_openwfp c_offloaded; do
	printf '  %-16s %8s req/s   (%s )   proxy CPU %6s us/req\n' "${k#c_}" "${M[$k]}" "${R[$k]}" "${MC[$k]}"
done
echo "RATIO proxy.inspected/haproxy $(ratio "${M[inspected]}" "${M[haproxy]}") >=0.9"
echo "RATIO proxy.inspected/direct $(ratio "${M[inspected]}" "${M[direct]}") -"
echo "RATIO proxy.offloaded/haproxy_splice $(ratio "${M[offloaded]}" "${M[haproxy_splice]}") >=1.3"
echo "RATIO proxy.offloaded/direct $(ratio "${M[offloaded]}" "${M[direct]}") >=0.8"
echo "RATIO proxy.offloaded_splice/haproxy_splice $(ratio "${M[offloaded_splice]}" "${M[haproxy_splice]}") -"
echo "RATIO proxy.conn_s/haproxy $(ratio "${M[c_openwfp]}" "${M[c_haproxy]}") >=1.2"
echo "RATIO proxy.conn_s_offloaded/haproxy $(ratio "${M[c_offloaded]}" "${M[c_haproxy]}") -"
echo "RATIO proxy.conn_s/direct $(ratio "${M[c_openwfp]}" "${M[c_direct]}") -"
echo "RATIO proxy.haproxy/direct $(ratio "${M[haproxy]}" "${M[direct]}") -"
# CPU cost ratios (openwfp / haproxy; below 1 means openwfp spends less): steadier on a busy machine.
echo "RATIO proxy.cpu_per_GB.inspected/haproxy $(ratio "${MC[inspected]}" "${MC[haproxy]}") -"
echo "RATIO proxy.cpu_per_GB.offloaded/haproxy_splice $(ratio "${MC[offloaded]}" "${MC[haproxy_splice]}") -"
echo "RATIO proxy.cpu_per_conn/haproxy $(ratio "${MC[c_openwfp]}" "${MC[c_haproxy]}") -"
