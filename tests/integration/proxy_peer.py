#!/usr/bin/env python3
"""Peers for the proxy integration tests: servers and clients whose every
byte and ending (FIN or RST) is checked and reported as one line:

    bytes=N sha256=HEX end=fin|rst|error

Subcommands:
  source  --listen H:P BYTES [--rst] [--ready FILE]  serve: send BYTES (pattern), then FIN
                                                      (or RST); report what the client sent
  sink    --listen H:P [--reply TEXT] [--rst]         serve: read to EOF, report, then reply
          [--count N]                                 and FIN (or RST instead); with --count,
                                                      N connections at once, reports OUT.1..N
  send    --connect H:P BYTES [--data TEXT] [--rst]   client: send BYTES of the pattern (or
                                                      TEXT), then FIN (or RST), report the reply
          [--fin-then-rst]                            FIN, then RST once the reply has begun
  pipe    --connect H:P                               client: copy stdin to the socket as it
                                                      comes, FIN at stdin EOF, report the reply
  recv    --connect H:P                               client: read to EOF, report
  sha     BYTES                                       the sha256 of the first BYTES of the pattern
"""
import argparse
import hashlib
import os
import random
import socket
import struct
import sys
import threading
import time

CHUNK = 1 << 16
_BASE = random.Random(20261125).randbytes(CHUNK)


def chunk(i):
    """Chunk i of the pattern: unique per chunk, so reordering shows in the hash."""
    return struct.pack(">Q", i) + _BASE[8:]


def pattern_blocks(n):
    i = 0
    while n > 0:
        c = chunk(i)[: min(n, CHUNK)]
        yield c
        n -= len(c)
        i += 1


def addr(text):
    host, _, port = text.rpartition(":")
    host = host.strip("[]")
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    return fam, (host, int(port))


def report(n, h, end, out):
    line = f"bytes={n} sha256={h.hexdigest()} end={end}"
    if out:
        tmp = out + ".tmp"
        with open(tmp, "w") as f:
            f.write(line + "\n")
        os.replace(tmp, out)
    print(line, flush=True)


def read_all(s):
    h = hashlib.sha256()
    n = 0
    end = "fin"
    try:
        while True:
            d = s.recv(1 << 18)
            if not d:
                break
            h.update(d)
            n += len(d)
    except ConnectionResetError:
        end = "rst"
    except OSError:
        end = "error"
    return n, h, end


def send_pattern(s, nbytes):
    try:
        for b in pattern_blocks(nbytes):
            s.sendall(b)
        return True
    except OSError:
        return False


def wait_file(path):
    """--rst-after FILE: the RST waits until the test creates FILE (say,
    once the proxy reported the offload), so what the RST meets does not
    depend on how fast the proxy got there. Bounded: 60 s."""
    deadline = time.monotonic() + 60
    while path and not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.01)


def rst_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def sink_one(s, a, out):
    n, h, end = read_all(s)
    report(n, h, end, out)
    if a.rst:
        rst_close(s)
        return
    if a.reply and end == "fin":
        try:
            s.sendall(a.reply.encode())
        except OSError:
            pass
    s.close()


def listen(text, ready):
    fam, a = addr(text)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(a)
    ls.listen(16)
    if ready:
        with open(ready, "w") as f:
            f.write(str(ls.getsockname()[1]) + "\n")
    return ls


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("source")
    p.add_argument("--listen", required=True)
    p.add_argument("bytes", type=int)
    p.add_argument("--rst", action="store_true")
    p.add_argument("--rst-after")
    p.add_argument("--ready")
    p.add_argument("--out")
    p = sub.add_parser("sink")
    p.add_argument("--listen", required=True)
    p.add_argument("--reply")
    p.add_argument("--rst", action="store_true")
    p.add_argument("--count", type=int, default=0)
    p.add_argument("--ready")
    p.add_argument("--out")
    p = sub.add_parser("send")
    p.add_argument("--connect", required=True)
    p.add_argument("bytes", type=int)
    p.add_argument("--data")
    p.add_argument("--rst", action="store_true")
    p.add_argument("--rst-after")
    p.add_argument("--fin-then-rst", action="store_true")
    p.add_argument("--out")
    p = sub.add_parser("pipe")
    p.add_argument("--connect", required=True)
    p.add_argument("--out")
    p = sub.add_parser("recv")
    p.add_argument("--connect", required=True)
    p.add_argument("--out")
    p = sub.add_parser("sha")
    p.add_argument("bytes", type=int)
    a = ap.parse_args()

    if a.cmd == "sha":
        h = hashlib.sha256()
        for b in pattern_blocks(a.bytes):
            h.update(b)
        print(h.hexdigest())
        return 0
    if a.cmd == "sink" and a.count:
        ls = listen(a.listen, a.ready)
        threads = []
        for i in range(1, a.count + 1):
            s, _ = ls.accept()
            t = threading.Thread(target=sink_one, args=(s, a, f"{a.out}.{i}"))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        return 0
    if a.cmd in ("source", "sink"):
        ls = listen(a.listen, a.ready)
        s, _ = ls.accept()
        ls.close()
        if a.cmd == "source":
            if not send_pattern(s, a.bytes):
                report(0, hashlib.sha256(), "rst", a.out)
                return 0
            if a.rst:
                wait_file(a.rst_after)
                rst_close(s)
                return 0
            s.shutdown(socket.SHUT_WR)
            n, h, end = read_all(s)
            report(n, h, end, a.out)
            s.close()
            return 0
        sink_one(s, a, a.out)
        return 0
    fam, target = addr(a.connect)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.connect(target)
    if a.cmd == "pipe":
        while True:
            d = os.read(0, 65536)
            if not d:
                break
            s.sendall(d)
        s.shutdown(socket.SHUT_WR)
    if a.cmd == "send" and a.data is not None:
        s.sendall(a.data.encode())
        if a.rst:
            rst_close(s)
            return 0
        s.shutdown(socket.SHUT_WR)
    elif a.cmd == "send":
        if not send_pattern(s, a.bytes):
            report(0, hashlib.sha256(), "rst", a.out)
            return 0
        if a.rst:
            wait_file(a.rst_after)
            rst_close(s)
            return 0
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    if a.cmd == "send" and a.fin_then_rst:
        first = s.recv(1)
        report(len(first), hashlib.sha256(first), "rst", a.out)
        rst_close(s)
        return 0
    n, h, end = read_all(s)
    report(n, h, end, a.out)
    s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
