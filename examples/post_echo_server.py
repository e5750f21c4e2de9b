#!/usr/bin/env python3
"""A tiny HTTP server for trying callouts on live traffic: it answers a POST
with the body it received (so you see what got through the proxy) and a GET
with a short page. It prints "listening on 127.0.0.1:PORT" once it accepts.

    python3 examples/post_echo_server.py 8000
"""
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.reply(body)

    def do_GET(self):
        self.reply(b"hello from post_echo_server.py\n")

    def reply(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on 127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
