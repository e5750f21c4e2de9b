#!/usr/bin/env bash
# Records examples/demo.pcap from real traffic: nginx on 127.0.0.1 (a free
# port) serves three files, curl fetches each over its own connection, and
# tcpdump records the loopback interface. One file carries the marker
# "TOP-SECRET", which examples/demo.yaml drops by content.
#
#   scripts/make-demo-capture.sh [OUTPUT.pcap]     (default examples/demo.pcap)
#
# Needs root (tcpdump on lo), nginx, curl, tcpdump, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-examples/demo.pcap}
work=$(mktemp -d)
nginx_pid=""
tcpdump_pid=""
cleanup() {
    [ -n "$tcpdump_pid" ] && kill -INT "$tcpdump_pid" 2>/dev/null && wait "$tcpdump_pid" 2>/dev/null
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/www" "$work/tmp"
cat >"$work/www/index.html" <<'HTML'
<!doctype html>
<html><head><title>openwfp demo</title></head>
<body><h1>openwfp demo</h1>
<p>This page is ordinary traffic: the demo configuration lets it through and counts it.</p>
<ul><li><a href="/report.txt">quarterly report</a></li><li><a href="/secret.txt">do not fetch</a></li></ul>
</body></html>
HTML
python3 - "$work/www/report.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 401):
        f.write(f"line {i:4d}: revenue, costs and other unremarkable figures ({i * 37 % 1000} units)\n")
PY
python3 - "$work/www/secret.txt" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 41):
        f.write(f"line {i:3d}: nothing to see here\n")
    f.write("classification: TOP-SECRET -- this line must never reach the client\n")
    for i in range(42, 81):
        f.write(f"line {i:3d}: still nothing to see\n")
PY

cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/tmp/body;
    proxy_temp_path $work/tmp/proxy;
    fastcgi_temp_path $work/tmp/fastcgi;
    uwsgi_temp_path $work/tmp/uwsgi;
    scgi_temp_path $work/tmp/scgi;
    default_type text/plain;
    types { text/html html; text/plain txt; }
    keepalive_timeout 0;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    kill -0 "$nginx_pid" 2>/dev/null || { cat "$work/error.log" >&2; exit 1; }
    sleep 0.05
done

# tcpdump says "listening on lo" on stderr once it captures: wait for that line.
tcpdump -i lo -U -n -s 0 -w "$work/demo.pcap" "tcp port $port" 2>"$work/tcpdump.err" &
tcpdump_pid=$!
for _ in $(seq 1 400); do
    grep -q "listening on" "$work/tcpdump.err" && break
    kill -0 "$tcpdump_pid" 2>/dev/null || { cat "$work/tcpdump.err" >&2; exit 1; }
    sleep 0.025
done
grep -q "listening on" "$work/tcpdump.err" || { echo "tcpdump did not start" >&2; exit 1; }

for path in index.html report.txt secret.txt; do
    curl -s -o /dev/null --http1.1 "http://127.0.0.1:$port/$path"
done

# Stop only once both FINs of all three connections are in the file.
for _ in $(seq 1 400); do
    fins=$(tcpdump -r "$work/demo.pcap" -n 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)
    [ "$fins" -ge 6 ] && break
    sleep 0.025
done
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
tcpdump_pid=""
cp "$work/demo.pcap" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes, port $port)"
