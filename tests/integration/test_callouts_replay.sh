#!/usr/bin/env bash
# The built-in callouts through `openwfp replay` on real traffic recorded at
# test time on loopback: curl against nginx (HTTP) and openssl s_client
# against openssl s_server (TLS), captured with tcpdump. Asserts the exact
# bytes each receiver got (--extract) and the decisions made (--events).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
export OWFP_DBGPRINT=0
py=/usr/bin/python3

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { # wait_port PORT: until something accepts on 127.0.0.1:PORT
    for _ in $(seq 1 200); do
        "$py" -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.2).close()' "$1" \
            2>/dev/null && return 0
        sleep 0.05
    done
    fail "nothing listens on port $1"
}

# ------------------------------------------------------ openwfp callouts
list=$("$OWFP_BIN" callouts)
for name in count stream_edit http_filter tls_sni_filter pattern_match rate_limit flow_log; do
    echo "$list" | grep -q "^$name " || fail "openwfp callouts does not list $name"
done
ok "openwfp callouts lists every built-in"
"$OWFP_BIN" callouts stream_edit | grep -q "busy_threshold" || fail "callouts stream_edit: no parameters"
"$OWFP_BIN" callouts flow_log | grep -q "callout_inspection" || fail "callouts flow_log: no filter action"
ok "openwfp callouts NAME describes parameters and the filter action"
set +e
"$OWFP_BIN" callouts nosuch >/dev/null 2>"$work/err"
rc=$?
set -e
expect_eq "an unknown callout is bad input" "$rc" 1
grep -q "stream_edit" "$work/err" || fail "the error lists the known callouts"

# ---------------------------------------------------------------- servers
http_port=$(free_port)
tls_port=$(free_port)
mkdir -p "$work/www/admin" "$work/tmp"
printf 'today is rainy, tomorrow rainy too, and rainy all week\n' >"$work/www/weather.txt"
printf 'nothing to see\n' >"$work/www/admin/panel.html"
printf 'header\nTOP-SECRET: the cake is a lie\n' >"$work/www/secret.txt"
head -c 600000 /dev/urandom | base64 -w 100 >"$work/www/big.txt"
cat >"$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/tmp;
    proxy_temp_path $work/tmp;
    fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp;
    scgi_temp_path $work/tmp;
    default_type text/plain;
    server { listen 127.0.0.1:$http_port; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -subj /CN=test -days 1 >/dev/null 2>&1
openssl s_server -quiet -accept "$tls_port" -cert "$work/cert.pem" -key "$work/key.pem" \
    -www >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_port "$http_port"
wait_port "$tls_port"

# ---------------------------------------------------------------- capture
tcpdump -i lo -U -s 0 -w "$work/cap.pcap" "tcp port $http_port or tcp port $tls_port" \
    2>"$work/tcpdump.err" &
tcpdump_pid=$!
pids+=($tcpdump_pid)
for _ in $(seq 1 200); do grep -q "listening on" "$work/tcpdump.err" && break; sleep 0.05; done
grep -q "listening on" "$work/tcpdump.err" || fail "tcpdump did not start: $(cat "$work/tcpdump.err")"

base="http://127.0.0.1:$http_port"
curl -sf "$base/weather.txt" -o /dev/null                          # flow: weather
curl -sf "$base/weather.txt" "$base/admin/panel.html" -o /dev/null -o /dev/null  # keep-alive
curl -sf -H 'Host: ads.evil.test' "$base/weather.txt" -o /dev/null  # denied host
curl -sf "$base/secret.txt" -o /dev/null                            # TOP-SECRET
curl -sf "$base/big.txt" -o /dev/null                               # rate_limit
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client -quiet -connect "127.0.0.1:$tls_port" \
    -servername allowed.test -alpn http/1.1 >/dev/null 2>&1 || true
printf 'GET / HTTP/1.0\r\n\r\n' | timeout 10 openssl s_client -quiet -connect "127.0.0.1:$tls_port" \
    -servername blocked.test >/dev/null 2>&1 || true
# A last connection from a known port marks the end: once both its FINs are
# in the file, tcpdump (which writes in order, -U) has written everything.
marker=$("$py" - "$http_port" <<'PY'
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /weather.txt HTTP/1.0\r\n\r\n")
while s.recv(65536):
    pass
print(s.getsockname()[1])
s.close()
PY
)
for _ in $(seq 1 400); do
    n=$(tcpdump -r "$work/cap.pcap" -nn "tcp port $marker and tcp[tcpflags] & tcp-fin != 0" 2>/dev/null | wc -l)
    [ "$n" -ge 2 ] && break
    sleep 0.05
done
[ "$n" -ge 2 ] || fail "tcpdump never wrote the end of the capture"
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
nflows=8

run() { # run NAME CONFIG-TEXT: replay the capture with that configuration
    printf '%s\n' "$2" >"$work/$1.yaml"
    "$OWFP_BIN" replay -q -c "$work/$1.yaml" --extract "$work/$1" --events "$work/$1.jsonl" \
        "$work/cap.pcap" || fail "replay with $1 failed"
}
flows_of() { tail -n +2 "$work/$1/flows.tsv" | wc -l; }
events() { # events NAME EVENT: how many events of that kind
    "$py" -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    if json.loads(l).get("event")==sys.argv[2]: n+=1
print(n)' "$work/$1.jsonl" "$2"
}
c2s() { echo "127.0.0.1.$1-127.0.0.1.$2"; }

# ---------------------------------------------------------------- baseline
run base 'callouts: [{name: count, type: count}]
filters: [{name: all, layer: stream, action: callout_inspection, callout: count}]'
expect_eq "the capture holds every connection" "$(($(flows_of base) / 2))" "$nflows"
expect_eq "count drops nothing" "$(events base drop)" 0

# Compare every extracted file of NAME with the baseline's, transformed by PY
# (a python expression over bytes b and the file name f).
compare() {
    "$py" - "$work/base" "$work/$1" "$2" <<'PY'
import os, sys
base, got, expr = sys.argv[1], sys.argv[2], sys.argv[3]
for f in sorted(os.listdir(base)):
    if f == "flows.tsv":
        continue
    b = open(os.path.join(base, f), "rb").read()
    want = eval(expr)
    have = open(os.path.join(got, f), "rb").read()
    if want != have:
        sys.exit("%s: %d bytes, expected %d" % (f, len(have), len(want)))
PY
}

# ------------------------------------------------------------- stream_edit
for mode in inline oob; do
    run "edit_$mode" "callouts: [{name: e, type: stream_edit, params: {find: rainy, replace: sunny!!, direction: inbound, mode: $mode}}]
filters: [{name: all, layer: stream, action: callout_terminating, callout: e}]"
    # inbound = what the client (the local host) received: files named after the server
    compare "edit_$mode" "b.replace(b'rainy', b'sunny!!') if f.startswith('127.0.0.1.$http_port-') else b" \
        || fail "stream_edit $mode: bytes differ from a replace-all of the baseline"
    ok "stream_edit $mode: every receiver got the replace-all of what was sent"
    [ "$(events "edit_$mode" inject)" -gt 0 ] || fail "stream_edit $mode injected nothing"
done

# ------------------------------------------------------------- http_filter
run http "callouts: [{name: web, type: http_filter, params: {deny: ['.evil.test', {path: '/admin/*'}]}}]
filters: [{name: web, layer: stream, action: callout_terminating, callout: web, conditions: [{field: remote_port, match: equal, value: $http_port}]}]"
expect_eq "http_filter drops the keep-alive connection and the denied host" "$(events http drop)" 2
"$py" - "$work/base" "$work/http" "$http_port" <<'PY' || fail "http_filter: wrong bytes delivered"
import os, sys
base, got, port = sys.argv[1], sys.argv[2], sys.argv[3]
reqs = {}
for f in os.listdir(base):
    if f.endswith("-127.0.0.1." + port):
        reqs[f] = open(os.path.join(base, f), "rb").read()
ka = [f for f, b in reqs.items() if b.count(b"GET ") == 2]
evil = [f for f, b in reqs.items() if b"ads.evil.test" in b]
assert len(ka) == 1 and len(evil) == 1, (ka, evil)
have = open(os.path.join(got, ka[0]), "rb").read()
first = reqs[ka[0]][: reqs[ka[0]].index(b"GET /admin")]
assert have == first, "keep-alive: the first request only should reach the server: %r" % have
assert open(os.path.join(got, evil[0]), "rb").read() == b"", "a denied request reached the server"
for f, b in reqs.items():
    if f not in ka and f not in evil:
        assert open(os.path.join(got, f), "rb").read() == b, f
PY
ok "http_filter: allowed requests intact, denied ones never reached the server"

# ---------------------------------------------------------- tls_sni_filter
run tls "callouts: [{name: sni, type: tls_sni_filter, params: {deny: [blocked.test]}}]
filters: [{name: tls, layer: stream, action: callout_terminating, callout: sni, conditions: [{field: remote_port, match: equal, value: $tls_port}]}]"
expect_eq "tls_sni_filter drops the blocked name" "$(events tls drop)" 1
[ "$(events tls allow)" -ge 1 ] || fail "tls_sni_filter did not ALLOW_CONNECTION the allowed name"
ok "tls_sni_filter allows the allowed name"
"$py" - "$work/base" "$work/tls" "$tls_port" <<'PY' || fail "tls_sni_filter: wrong bytes delivered"
import os, sys
base, got, port = sys.argv[1], sys.argv[2], sys.argv[3]
for f in os.listdir(base):
    if not f.endswith("-127.0.0.1." + port):
        continue
    b = open(os.path.join(base, f), "rb").read()
    have = open(os.path.join(got, f), "rb").read()
    if b"blocked.test" in b:
        assert have == b"", "the blocked ClientHello reached the server"
    else:
        assert b"allowed.test" in b and have == b, "the allowed connection was changed"
PY
ok "tls_sni_filter: the allowed connection intact, the blocked hello never delivered"

# ----------------------------------------------------------- pattern_match
run pm "callouts: [{name: pm, type: pattern_match, params: {patterns: [{pattern: TOP-SECRET, action: drop}, {pattern: 'tomorrow', action: log}], direction: inbound, log_path: $work/pm.log}}]
filters: [{name: all, layer: stream, action: callout_terminating, callout: pm}]"
expect_eq "pattern_match drops the connection carrying TOP-SECRET" "$(events pm drop)" 1
grep -q '"pattern":"tomorrow"' "$work/pm.log" || fail "pattern_match did not log the log pattern"
grep -q '"action":"drop"' "$work/pm.log" || fail "pattern_match did not log the drop"
ok "pattern_match logs matches"

# ---------------------------------------------------------------- flow_log
run fl "callouts: [{name: log, type: flow_log, params: {path: $work/flows.jsonl, first_bytes: 4}}]
filters: [{name: all, layer: stream, action: callout_inspection, callout: log}]"
expect_eq "flow_log writes one line per flow" "$(wc -l <"$work/flows.jsonl")" "$nflows"
"$py" - "$work/flows.jsonl" "$http_port" <<'PY' || fail "flow_log lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
web = [l for l in lines if l["remote_port"] == int(sys.argv[2])]
assert len(web) == 6, web
assert all(l["first_out"] == "47455420" and l["end"] == "fin" and l["opened_by"] == "local"
           and l["local"] == "127.0.0.1" and l["bytes_in"] > 0 for l in web), web
PY
compare fl "b" || fail "flow_log changed bytes"
ok "flow_log: addresses, first bytes, end, and nothing changed"

# -------------------------------------------------------------- rate_limit
run rl "callouts: [{name: rl, type: rate_limit, params: {rate: 1000000, burst: 65536}}]
filters: [{name: all, layer: stream, action: callout_terminating, callout: rl}]"
compare rl "b" || fail "rate_limit changed bytes"
[ "$(events rl defer)" -gt 0 ] || fail "rate_limit never deferred the 800 KB transfer"
[ "$(events rl continue)" -gt 0 ] || fail "rate_limit never continued"
ok "rate_limit: DEFER and continue, every byte delivered"
echo "PASS: $RP_PASSED checks"
