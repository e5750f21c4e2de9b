#!/usr/bin/env bash
# `openwfp proxy --metrics`: /metrics scraped while connections are open and
# bytes flow, parsed with Prometheus' own parser (python3-prometheus-client),
# shows the connections and bytes the test sent, per peer, and the callout's
# classify calls; the endpoint refuses what is not GET /metrics and
# oversized requests; scrapers that connect and say nothing fill its slots
# without slowing the proxied connections, and are dropped at the deadline.
. "$(dirname "$0")/proxy_lib.sh"

cat >"$T/cfg.yaml" <<'YAML'
callouts:
  - {name: count, type: count}
filters:
  - {name: count-all, layer: stream, sublayer: inspection, action: callout_inspection, callout: count}
YAML
cat >"$T/echo.py" <<'PY'
import socket, sys, threading
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
def echo(c):
    while (d := c.recv(65536)):
        c.sendall(d)
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=echo, args=(c,), daemon=True).start()
PY
python3 "$T/echo.py" "$T/echo.port" 2>"$T/echo.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/echo.port" || fail "echo server did not start"
start_proxy m --listen 127.0.0.1:0 --upstream "127.0.0.1:$(cat "$T/echo.port")" -c "$T/cfg.yaml" \
	--metrics 127.0.0.1:0 --workers 2
wait_until 10 grep -q '^metrics on http://' "$T/m.out" || fail "no 'metrics on' line: $(cat "$T/m.out")"
URL=$(sed -n 's/^metrics on //p' "$T/m.out")

# Debian's interpreter: python3-prometheus-client is installed for it
# (scripts/install-deps.sh), whatever python3 comes first on PATH.
/usr/bin/python3 - "$URL" "$PROXY_PORT" "$("$OWFP_BIN" --version)" <<'PY' || fail "scrape checks failed"
import socket, sys, time, urllib.request
from prometheus_client.parser import text_string_to_metric_families

url, port, version = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()[-1]
hostport = url.split("/")[2]
mhost, mport = hostport.rsplit(":", 1)

def scrape():
    with urllib.request.urlopen(url, timeout=5) as r:
        assert r.status == 200, r.status
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers
        text = r.read().decode()
    m = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            m[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return m

def val(m, name, **labels):
    return m[(name, tuple(sorted(labels.items())))]

def check(cond, what):
    if not cond:
        print("FAIL:", what, file=sys.stderr)
        sys.exit(1)

def roundtrip(c, data):
    c.sendall(data)
    got = b""
    while len(got) < len(data):
        got += c.recv(65536)
    check(got == data, "echo through the proxy")

m0 = scrape()
check(val(m0, "openwfp_build_info", version=version) == 1, "build_info names the version")
check(val(m0, "openwfp_connections_accepted_total") == 0, "nothing accepted yet")

# Three connections stay open while bytes flow and the endpoint is scraped.
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
sent = 0
for i, c in enumerate(conns):
    data = bytes([65 + i]) * (100000 * (i + 1))
    roundtrip(c, data)
    sent += len(data)

def settled(m):
    return (val(m, "openwfp_connections_active") == 3 and
            val(m, "openwfp_sent_bytes_total", peer="client") == sent)
deadline = time.monotonic() + 10
m = scrape()
while not settled(m) and time.monotonic() < deadline:
    time.sleep(0.05)
    m = scrape()
check(val(m, "openwfp_connections_accepted_total") == 3, "accepted == 3")
check(val(m, "openwfp_connections_active") == 3, "active == 3 while open")
for peer in ("client", "upstream"):
    check(val(m, "openwfp_received_bytes_total", peer=peer) == sent, f"received from {peer} == {sent}")
    check(val(m, "openwfp_sent_bytes_total", peer=peer) == sent, f"sent to {peer} == {sent}")
check(val(m, "openwfp_indicated_bytes_total", direction="inbound") +
      val(m, "openwfp_indicated_bytes_total", direction="outbound") == 2 * sent, "indicated bytes")
check(val(m, "openwfp_callout_classify_calls_total", callout="count") > 0, "count classified")
check(val(m, "openwfp_callout_indicated_bytes_total", callout="count") == 2 * sent, "count saw every byte: %s" % [(k, v) for k, v in m.items() if "callout" in k[0]])
check(val(m, "openwfp_connections_refused_total", reason="upstream_error") == 0, "no refusals")
check(val(m, "openwfp_reloads_total", result="ok") == 0, "no reloads")
print("ok - counters match the bytes and connections sent, while they are open")

def raw(req):
    s = socket.create_connection((mhost, int(mport)))
    s.sendall(req)
    s.shutdown(socket.SHUT_WR) if len(req) < 4096 else None
    out = b""
    s.settimeout(10)
    try:
        while (d := s.recv(65536)):
            out += d
    except ConnectionResetError:
        pass
    s.close()
    return out.split(b"\r\n", 1)[0]

check(raw(b"POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 405"), "POST refused")
check(raw(b"GET /other HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 404"), "other path 404")
check(raw(b"nonsense\r\n\r\n").startswith(b"HTTP/1.1 400"), "garbage 400")
check(raw(b"GET /metrics HTTP/1.1\r\nX: " + b"a" * 8000 + b"\r\n\r\n").startswith(b"HTTP/1.1 431"),
      "oversized request 431")
print("ok - only GET /metrics; bad and oversized requests refused")

# Silent scrapers take every slot (and more wait in the backlog): the
# proxied connections carry on meanwhile, and once the silent ones are
# dropped at the deadline a scrape is answered again.
silent = [socket.create_connection((mhost, int(mport))) for _ in range(24)]
for i, c in enumerate(conns):
    roundtrip(c, b"x" * 50000)
sent += 3 * 50000
deadline = time.monotonic() + 15
ok = False
while not ok and time.monotonic() < deadline:
    try:
        m = scrape()
        ok = val(m, "openwfp_sent_bytes_total", peer="client") == sent
    except Exception:
        time.sleep(0.2)
check(ok, "scrape answered again after silent scrapers, with the new bytes")
for s in silent:
    s.close()
print("ok - silent scrapers do not hold up the data path, and are dropped")

for c in conns:
    c.close()
deadline = time.monotonic() + 10
while val(scrape(), "openwfp_connections_active") != 0 and time.monotonic() < deadline:
    time.sleep(0.05)
check(val(scrape(), "openwfp_connections_active") == 0, "active back to 0")
print("ok - active back to 0 once closed")
while val(scrape(), "openwfp_held_bytes") != 0 and time.monotonic() < deadline:
    time.sleep(0.05)
m = scrape()
check(val(m, "openwfp_held_bytes") == 0, "held bytes back to 0 once closed")
print("ok - held bytes back to 0 once closed")
PY
stop_proxy "$PROXY_PID"
pass "proxy --metrics"
