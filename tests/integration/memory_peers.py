#!/usr/bin/env python3
"""Peers for test_proxy_memory_limit.sh: many connections at once.

  serve  --ready FILE BYTES   listen on 127.0.0.1:0, write the port to FILE;
                              send BYTES to every connection, as fast as it
                              is taken, then close (one thread each)
  read   --connect H:P N SECONDS --out FILE
                              open N connections, read whatever arrives on
                              all of them for SECONDS, then write
                              "connected=C bytes=B" to FILE and exit
"""
import argparse
import selectors
import socket
import sys
import threading
import time


def serve(ready, nbytes):
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(1024)
    with open(ready + ".tmp", "w") as f:
        f.write(str(ls.getsockname()[1]))
    import os
    os.rename(ready + ".tmp", ready)
    block = b"x" * 65536

    def one(s):
        try:
            left = nbytes
            while left > 0:
                s.sendall(block[: min(left, len(block))])
                left -= min(left, len(block))
        except OSError:
            pass
        finally:
            s.close()

    while True:
        s, _ = ls.accept()
        threading.Thread(target=one, args=(s,), daemon=True).start()


def read(target, n, seconds, out):
    host, _, port = target.rpartition(":")
    sel = selectors.DefaultSelector()
    connected = 0
    for _ in range(n):
        s = socket.socket()
        try:
            s.connect((host, int(port)))
        except OSError:
            continue
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        connected += 1
    total = 0
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        for key, _ in sel.select(timeout=min(left, 0.2)):
            try:
                data = key.fileobj.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                continue
            total += len(data)
    with open(out + ".tmp", "w") as f:
        f.write(f"connected={connected} bytes={total}\n")
    import os
    os.rename(out + ".tmp", out)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--ready", required=True)
    s.add_argument("bytes", type=int)
    r = sub.add_parser("read")
    r.add_argument("--connect", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("n", type=int)
    r.add_argument("seconds", type=float)
    a = ap.parse_args()
    if a.cmd == "serve":
        serve(a.ready, a.bytes)
    else:
        read(a.connect, a.n, a.seconds, a.out)


if __name__ == "__main__":
    sys.exit(main())
