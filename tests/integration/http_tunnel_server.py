#!/usr/bin/env python3
"""A small HTTP/1.1 origin for the http_filter tunnel tests, on 127.0.0.1,
keep-alive, one thread per connection. The port is written to PORTFILE
(atomically).

  GET /admin/...           200, body "SECRET admin page"
  GET or HEAD anything     200, body "root page" (HEAD: headers only)
  GET /ws + Upgrade        101 Switching Protocols, then echoes raw bytes
  CONNECT tunnel.test:443  200, then echoes raw bytes
  CONNECT anything else    403 with an empty body; the connection stays HTTP
  POST /echo               200, the request body back, chunked
Other Upgrade requests are answered as if the header were absent, as nginx
does for a location without websocket support."""
import os
import socket
import sys
import threading


def read_head(f):
    line = f.readline()
    if not line:
        return None
    method, target, _ = line.decode().split(" ", 2)
    headers = {}
    while True:
        h = f.readline()
        if h in (b"\r\n", b""):
            break
        k, v = h.decode().split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return method, target, headers


def respond(c, status, body, head=False, extra=""):
    c.sendall(("HTTP/1.1 %s\r\nContent-Length: %d\r\n%s\r\n" % (status, len(body), extra)).encode()
              + (b"" if head else body))


def echo_raw(c, f):
    # read1 returns what the reader has buffered first, then reads the socket
    while True:
        d = f.read1(65536)
        if not d:
            return
        c.sendall(d)


def serve(c):
    f = c.makefile("rb")
    try:
        while True:
            req = read_head(f)
            if req is None:
                return
            method, target, h = req
            if method == "CONNECT":
                if target == "tunnel.test:443":
                    c.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                    return echo_raw(c, f)
                respond(c, "403 Forbidden", b"")
                continue
            if target == "/ws" and h.get("upgrade", "").lower() == "websocket":
                c.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          b"Connection: Upgrade\r\n\r\n")
                return echo_raw(c, f)
            if method == "POST" and target == "/echo":
                body = f.read(int(h.get("content-length", "0")))
                c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                          + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
                continue
            body = b"SECRET admin page" if target.startswith("/admin/") else b"root page"
            respond(c, "200 OK", body, head=method == "HEAD")
    except (OSError, ValueError):
        pass
    finally:
        c.close()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    with open(sys.argv[1] + ".tmp", "w") as out:
        out.write(str(s.getsockname()[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


main()
