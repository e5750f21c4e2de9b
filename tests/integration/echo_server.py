#!/usr/bin/env python3
"""An echo server on 127.0.0.1 for the proxy tests: a thread per
connection sends back what it reads until EOF. The port it got is written
to PORTFILE (atomically: a reader never sees a partial number)."""
import os
import socket
import sys
import threading


def echo(c):
    while True:
        d = c.recv(4096)
        if not d:
            break
        c.sendall(d)
    c.close()


def main():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(256)
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    while True:
        c, _ = s.accept()
        threading.Thread(target=echo, args=(c,), daemon=True).start()


main()
