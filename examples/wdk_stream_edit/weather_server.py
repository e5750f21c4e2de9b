#!/usr/bin/env python3
"""A tiny forecast server for trying wdk_stream_edit live through
`openwfp proxy`. It answers every HTTP request with a forecast that says
"rainy" and, with --log FILE, appends each request head it received to
FILE, so you can see what the driver made of it. It prints
"listening on 127.0.0.1:PORT" once it accepts connections.

    python3 weather_server.py [--port N] [--log FILE]
"""
import argparse
import socket
import threading

FORECAST = b"today rainy, tomorrow rainy, rainy all week\n"


def serve(conn, log, lock):
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                return
            head += data
        if log:
            with lock, open(log, "ab") as f:
                f.write(head)
        conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + FORECAST)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    ap.add_argument("--log", help="append each request head to this file")
    args = ap.parse_args()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(64)
    print(f"listening on 127.0.0.1:{srv.getsockname()[1]}", flush=True)
    lock = threading.Lock()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, args.log, lock), daemon=True).start()


if __name__ == "__main__":
    main()
