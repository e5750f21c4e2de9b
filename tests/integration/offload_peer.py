#!/usr/bin/env python3
"""Peers for tests/integration/test_proxy_offload.sh (what proxy_peer.py has
not: both directions at once, and many connections at once).

  duplex-server --listen H:P BYTES --out F   accept one; send BYTES of the
                                             pattern while reading to EOF, then
                                             FIN; report what was read
  duplex-client --connect H:P BYTES --out F  the same as a client
     (both: --pause-after N --go FILE         send N bytes, wait for FILE (at most
                                             60 s; 0: before any), then the rest;
                                             --oob-at K sends byte K as urgent data)
  many-server --listen H:P --count N         echo servers: read to EOF, send it
                                             back, close (N connections, one thread)
  many-client --connect H:P --count N --hold FILE [--bytes B]
                                             N connections at once, each sends its
                                             line (and B bytes of the pattern); waits for FILE to exist (at most
                                             60 s), then FIN on each and checks
                                             each echo; prints ok=N
The pattern and report line are proxy_peer.py's.
"""
import argparse
import os
import resource
import selectors
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import proxy_peer  # noqa: E402


def addr(text):
    return proxy_peer.addr(text)


def send_paused(s, nbytes, pause_after, go, oob_at):
    """The pattern, with a wait for GO after the first PAUSE_AFTER bytes
    (the proxy switches over in between, with both bursts in flight; 0:
    before the first byte) and byte OOB_AT sent as TCP urgent data, in one
    send() with the bytes before it, so they share an skb and the proxy's
    read stops at the mark inside that skb."""
    data = b"".join(proxy_peer.pattern_blocks(nbytes))
    cuts = sorted({0, nbytes} | {k for k in (pause_after, oob_at) if k is not None and 0 <= k < nbytes})
    try:
        for a, b in zip(cuts, cuts[1:]):
            if a == pause_after:
                proxy_peer.wait_file(go)
            if a == oob_at:
                a += 1  # sent with the bytes before it
            if b == oob_at:
                if s.send(data[a:b + 1], socket.MSG_OOB) != b + 1 - a:
                    return False
                continue
            s.sendall(data[a:b])
        return True
    except OSError:
        return False


def duplex(s, nbytes, out, pause_after=None, go=None, oob_at=None):
    res = {}
    t = threading.Thread(target=lambda: res.update(zip(("n", "h", "end"), proxy_peer.read_all(s))))
    t.start()
    if pause_after is None and oob_at is None:
        ok = proxy_peer.send_pattern(s, nbytes)
    else:
        ok = send_paused(s, nbytes, pause_after, go, oob_at)
    if ok:
        s.shutdown(socket.SHUT_WR)
    t.join()
    proxy_peer.report(res["n"], res["h"], res["end"], out)
    s.close()


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def many_server(a):
    raise_nofile()
    fam, target = addr(a.listen)
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(target)
    ls.listen(4096)
    sel = selectors.DefaultSelector()
    sel.register(ls, selectors.EVENT_READ)
    bufs, done = {}, 0
    while done < a.count:
        for key, _ in sel.select():
            if key.fileobj is ls:
                s, _ = ls.accept()
                bufs[s] = b""
                sel.register(s, selectors.EVENT_READ)
                continue
            s = key.fileobj
            d = s.recv(65536)
            if d:
                bufs[s] += d
                continue
            sel.unregister(s)
            s.setblocking(True)
            s.sendall(bufs.pop(s))
            s.close()
            done += 1
    return 0


def many_client(a):
    raise_nofile()
    fam, target = addr(a.connect)
    socks, body = [], b"".join(proxy_peer.pattern_blocks(a.bytes))
    for i in range(a.count):
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.connect(target)
        s.sendall(b"line %d\n" % i + body)
        socks.append(s)
    deadline = time.monotonic() + 60
    while not os.path.exists(a.hold):
        if time.monotonic() > deadline:
            print("hold file never appeared", file=sys.stderr)
            return 1
        time.sleep(0.02)
    for s in socks:
        s.shutdown(socket.SHUT_WR)
    ok = 0
    for i, s in enumerate(socks):
        got = b""
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
        ok += got == b"line %d\n" % i + body
        s.close()
    print("ok=%d" % ok)
    return 0 if ok == a.count else 1


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    for cmd, where in (("duplex-server", "--listen"), ("duplex-client", "--connect")):
        p = sub.add_parser(cmd)
        p.add_argument(where, required=True)
        p.add_argument("bytes", type=int)
        p.add_argument("--out", required=True)
        p.add_argument("--pause-after", type=int)
        p.add_argument("--go")
        p.add_argument("--oob-at", type=int)
    p = sub.add_parser("many-server")
    p.add_argument("--listen", required=True)
    p.add_argument("--count", type=int, required=True)
    p = sub.add_parser("many-client")
    p.add_argument("--connect", required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--hold", required=True)
    p.add_argument("--bytes", type=int, default=0)
    a = ap.parse_args()
    if a.cmd == "duplex-server":
        fam, target = addr(a.listen)
        ls = socket.socket(fam, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(target)
        ls.listen(1)
        s, _ = ls.accept()
        ls.close()
        duplex(s, a.bytes, a.out, a.pause_after, a.go, a.oob_at)
        return 0
    if a.cmd == "duplex-client":
        fam, target = addr(a.connect)
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.connect(target)
        duplex(s, a.bytes, a.out, a.pause_after, a.go, a.oob_at)
        return 0
    if a.cmd == "many-server":
        return many_server(a)
    return many_client(a)


if __name__ == "__main__":
    sys.exit(main())
