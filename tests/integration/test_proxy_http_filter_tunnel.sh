#!/usr/bin/env bash
# http_filter deny rules hold on a connection that asks to leave HTTP:
# an Upgrade or CONNECT request ends inspection only when the server really
# switched (101 to the Upgrade, 2xx to the CONNECT); until then pipelined
# requests are judged like any other. Real nginx (which ignores Upgrade on a
# static location and answers CONNECT with 400) and a small origin that does
# switch (http_tunnel_server.py). Also: request paths are judged after the
# normalisation of docs/callouts.md, and ambiguous ones are refused.
. "$(dirname "$0")/proxy_lib.sh"

mkdir -p "$T/www/admin"
printf 'root page\n' >"$T/www/index.html"
printf 'SECRET admin page\n' >"$T/www/admin/index.html"
start_nginx "$T/www"
python3 "$OWFP_SOURCE_DIR/tests/integration/http_tunnel_server.py" "$T/origin.port" 2>"$T/origin.err" &
PIDS+=("$!")
wait_until 10 test -s "$T/origin.port" || fail "origin did not start"
ORIGIN_PORT=$(cat "$T/origin.port")

cat >"$T/hf.yaml" <<'YAML'
callouts: [{name: web, type: http_filter, params: {deny: [{path: "/admin/*"}]}}]
filters: [{name: web, layer: stream, action: callout_terminating, callout: web}]
YAML
start_proxy pxn --listen 127.0.0.1:0 --upstream "127.0.0.1:$NGINX_PORT" -c "$T/hf.yaml"
PN=$PROXY_PORT
start_proxy pxo --listen 127.0.0.1:0 --upstream "127.0.0.1:$ORIGIN_PORT" -c "$T/hf.yaml"
PO=$PROXY_PORT

python3 - "$PN" "$PO" <<'PY' || fail "see above"
import errno, socket, sys

PN, PO = int(sys.argv[1]), int(sys.argv[2])
failed = []

def talk(port, steps):
    """steps: bytes to send, or ("read", marker) to read until marker. Then
    half-closes and reads to the end (bounded: every peer here closes or
    resets once the client has). Returns (all bytes received, reset?)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(20)
    got, reset = b"", False
    try:
        for st in steps:
            if isinstance(st, bytes):
                s.sendall(st)
                continue
            while st[1] not in got:
                d = s.recv(65536)
                if not d:
                    break
                got += d
        s.shutdown(socket.SHUT_WR)
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
    except ConnectionResetError:
        reset = True
    except BrokenPipeError:
        reset = True
    except OSError as e:  # shutdown() once the proxy's RST has arrived
        if e.errno != errno.ENOTCONN:
            raise
        reset = True
    s.close()
    return got, reset

def check(name, ok, detail):
    print(("ok - " if ok else "FAIL: ") + name + ("" if ok else ": %r" % (detail,)))
    if not ok:
        failed.append(name)

H = b"Host: t\r\n"
ADMIN = b"GET /admin/ HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"
UPGRADE_WS = b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" \
             b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"

# ---- bypass attempts: no denied content may come back
bypass = [
    ("Upgrade: websocket on GET / then a pipelined GET /admin/ (nginx)", PN,
     [b"GET / HTTP/1.1\r\n" + H + UPGRADE_WS + b"\r\n" + ADMIN]),
    ("Upgrade: websocket, GET /admin/ after nginx's 200", PN,
     [b"GET / HTTP/1.1\r\n" + H + UPGRADE_WS + b"\r\n", ("read", b"root page"), ADMIN]),
    ("Upgrade: h2c then a pipelined GET /admin/ (nginx)", PN,
     [b"GET / HTTP/1.1\r\n" + H + b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
      b"HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n" + ADMIN]),
    ("POST with a body and Upgrade, then a pipelined GET /admin/ (nginx)", PN,
     [b"POST / HTTP/1.1\r\n" + H + UPGRADE_WS + b"Content-Length: 5\r\n\r\nhello" + ADMIN]),
    ("Upgrade on a path the origin does not switch, then GET /admin/", PO,
     [b"GET /other HTTP/1.1\r\n" + H + UPGRADE_WS + b"\r\n" + ADMIN]),
    ("CONNECT refused by nginx (400) with a pipelined GET /admin/", PN,
     [b"CONNECT t:80 HTTP/1.1\r\nHost: t:80\r\n\r\n" + ADMIN]),
    ("CONNECT answered 403 (keep-alive) with a pipelined GET /admin/", PO,
     [b"CONNECT other.test:443 HTTP/1.1\r\nHost: other.test:443\r\n\r\n" + ADMIN]),
    ("CONNECT answered 403, GET /admin/ after the answer", PO,
     [b"CONNECT other.test:443 HTTP/1.1\r\nHost: other.test:443\r\n\r\n", ("read", b"403"), ADMIN]),
    ("CONNECT with a 'body' that the server reads as the next request", PO,
     [b"CONNECT other.test:443 HTTP/1.1\r\nHost: other.test:443\r\nContent-Length: %d\r\n\r\n"
      % len(ADMIN) + ADMIN]),
    ("a response body that looks like a 101 does not switch", PO,
     [b"POST /echo HTTP/1.1\r\n" + H + UPGRADE_WS + b"Content-Length: 38\r\n\r\n"
      b"HTTP/1.1 101 Switching Protocols\r\n\r\n\r\n" + ADMIN]),
    ("HEAD (no body despite Content-Length) + Upgrade, then GET /admin/", PO,
     [b"HEAD / HTTP/1.1\r\n" + H + UPGRADE_WS + b"\r\n" + ADMIN]),
]
for name, port, steps in bypass:
    got, reset = talk(port, steps)
    check(name, b"SECRET" not in got, got[-200:])

# ---- real switches still work: what follows is not HTTP and passes
got, reset = talk(PO, [b"GET /ws HTTP/1.1\r\n" + H + UPGRADE_WS + b"\r\n", ("read", b"\r\n\r\n"),
                       b"\x82\x05hello", ("read", b"\x82\x05hello")])
check("websocket: 101 from the origin, then frames both ways",
      got.startswith(b"HTTP/1.1 101") and got.endswith(b"\x82\x05hello") and not reset, got)
tls = b"\x16\x03\x01\x00\x05hello"
got, reset = talk(PO, [b"CONNECT tunnel.test:443 HTTP/1.1\r\nHost: tunnel.test:443\r\n\r\n",
                       ("read", b"\r\n\r\n"), tls, ("read", tls)])
check("CONNECT: 200 from the origin, then tunnelled bytes both ways",
      got.startswith(b"HTTP/1.1 200") and got.endswith(tls) and not reset, got)
got, reset = talk(PO, [b"CONNECT tunnel.test:443 HTTP/1.1\r\nHost: tunnel.test:443\r\n\r\n" + tls,
                       ("read", tls)])
check("CONNECT with optimistic data: held until the 200, then delivered",
      got.startswith(b"HTTP/1.1 200") and got.endswith(tls) and not reset, got)
got, reset = talk(PN, [b"GET / HTTP/1.1\r\n" + H + b"\r\nGET / HTTP/1.1\r\n" + H +
                       b"Connection: close\r\n\r\n"])
check("two pipelined allowed requests both answered", got.count(b"root page") == 2, got)

# ---- path normalisation: denied, or refused as ambiguous, never answered
def answered(port, path):
    got, reset = talk(port, [b"GET " + path + b" HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n"])
    return got.startswith(b"HTTP/1.1"), got

for p in [b"/admin/", b"//admin/", b"/./admin/", b"/%61dmin/", b"/x/%2e%2e/admin/", b"/admin%2f",
          b"/ADMIN/", b"/Admin/index.html", b"/\\admin/", b"/%5cadmin/", b"/x/..;/admin/",
          b"/admin;v=1/", b"/%2561dmin/", b"/%c0%afadmin/", b"/x/%3b/admin/"]:
    a, got = answered(PN, p)
    check("path %s is not passed to nginx" % p.decode(), not a and b"SECRET" not in got, got[:100])
for p in [b"/", b"/index.html", b"/page;jsessionid=1", b"/100%25", b"/caf%C3%A9", b"/administrator"]:
    a, got = answered(PN, p)
    check("path %s is passed to nginx" % p.decode(), a, got[:100])

sys.exit(1 if failed else 0)
PY
pass "http_filter: no Upgrade/CONNECT bypass, real switches work, paths normalised or refused"
