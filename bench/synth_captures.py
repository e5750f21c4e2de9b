#!/usr/bin/env python3
"""Synthetic captures for instruction counts and flow-cost measurements
(bench/replay_shapes.sh; docs/PERFORMANCE.md, "Coalesced indications, many
flows, SYN-only flows"). Small and exactly reproducible, unlike the large
captures replay_bench.sh records from real peers:

  bulk20k.pcap  one flow, 20,000 segments of 1,448 bytes client->server,
                12 us apart, PSH on every 90th (an iperf3-like 128 KiB
                write), a pure ACK from the server for every second one
  h5k.pcap      5,000 sequential short connections: handshake, an 18-byte
                request and a 24-byte answer (each with PSH), FINs
  sN.pcap       N SYN-only flows from distinct clients, 10 us apart
  cN.pcap       N connections like h5k's, all handshakes first, then all
                data, then all FINs (N flows open at once)
  wN.pcap       N sequential connections like (b)'s wrk/nginx ones: a
                78-byte GET, a 4 KiB answer in three segments (the last
                with PSH) acknowledged by the client, FINs (issue 23 item 4)

Written with struct rather than scapy: scapy takes minutes for the larger
files, and these need nothing but Ethernet/IPv4/TCP headers in order.
usage: synth_captures.py OUTDIR [sN ...] [cN ...] [wN ...]   (default: bulk20k h5k
s100k s200k c20k c60k)
"""
import os
import struct
import sys

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
SERVER = (10, 0, 0, 1)
PORT = 80


def ip_sum(hdr):
    s = sum(struct.unpack("!10H", hdr))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t = 1_000_000_000  # microseconds

    def tcp(self, src, sport, dst, dport, seq, ack, flags, payload=b"", gap_us=10):
        self.t += gap_us
        tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          5 << 4, flags, 65535, 0, 0)
        total = 20 + len(tcp) + len(payload)
        ip = struct.pack("!BBHHHBBH4B4B", 0x45, 0, total, 0, 0x4000, 64, 6, 0, *src, *dst)
        ip = ip[:10] + struct.pack("!H", ip_sum(ip)) + ip[12:]
        frame = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip + tcp + payload
        self.f.write(struct.pack("<IIII", self.t // 1_000_000, self.t % 1_000_000,
                                 len(frame), len(frame)))
        self.f.write(frame)

    def close(self):
        self.f.close()


def client(i):
    return (10, 1 + (i >> 16) % 200, (i >> 8) & 0xFF, i & 0xFF)


class Conn:
    """One client connection to SERVER:80; seq numbers kept per side."""

    def __init__(self, w, i):
        self.w, self.c, self.sport = w, client(i), 10000 + i % 50000
        self.cs, self.ss = 1000, 5000

    def c2s(self, flags, data=b"", gap=10):
        self.w.tcp(self.c, self.sport, SERVER, PORT, self.cs, self.ss, flags, data, gap)
        self.cs += len(data) + (1 if flags & (SYN | FIN) else 0)

    def s2c(self, flags, data=b"", gap=10):
        self.w.tcp(SERVER, PORT, self.c, self.sport, self.ss, self.cs, flags, data, gap)
        self.ss += len(data) + (1 if flags & (SYN | FIN) else 0)

    def handshake(self):
        self.c2s(SYN)
        self.s2c(SYN | ACK)
        self.c2s(ACK)

    def exchange(self):
        self.c2s(PSH | ACK, b"GET / HTTP/1.0\r\n\r\n")
        self.s2c(PSH | ACK, b"HTTP/1.0 200 OK\r\n\r\nok\r\n")

    def web(self):
        self.c2s(PSH | ACK, b"GET /4k HTTP/1.1\r\nHost: 10.0.0.1\r\nUser-Agent: wrk\r\nConnection: close\r\n\r\n")
        body = b"HTTP/1.1 200 OK\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n" + bytes(4096)
        for k in range(0, len(body), 1448):
            part = body[k:k + 1448]
            self.s2c(ACK | (PSH if k + 1448 >= len(body) else 0), part)
            if k // 1448 % 2:
                self.c2s(ACK, gap=1)
        self.c2s(ACK, gap=1)

    def close(self):
        self.c2s(FIN | ACK)
        self.s2c(FIN | ACK)
        self.c2s(ACK)


def bulk(path, n=20000):
    w = Writer(path)
    c = Conn(w, 1)
    c.handshake()
    chunk = bytes(range(256)) * 5 + bytes(168)  # 1,448 bytes
    for k in range(n):
        c.c2s(ACK | (PSH if k % 90 == 89 else 0), chunk, gap=12)
        if k % 2:
            c.s2c(ACK, gap=1)
    c.close()
    w.close()


def short(path, n, concurrent, answer="exchange"):
    """n connections, each handshake, `answer` (a Conn method), close; all
    open at once (concurrent) or one after the other."""
    w = Writer(path)
    conns = [Conn(w, i) for i in range(n)]
    steps = ("handshake", answer, "close")
    if concurrent:
        for step in steps:
            for c in conns:
                getattr(c, step)()
    else:
        for c in conns:
            for step in steps:
                getattr(c, step)()
    w.close()


def web(path, n):
    short(path, n, False, answer="web")


def syn_only(path, n):
    w = Writer(path)
    for i in range(n):
        Conn(w, i).c2s(SYN)
    w.close()


def count(name):
    v = name[1:]
    return int(v[:-1]) * 1000 if v.endswith("k") else int(v)


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or ["bulk20k", "h5k", "s100k", "s200k", "c20k", "c60k"]
    os.makedirs(out, exist_ok=True)
    for name in names:
        path = os.path.join(out, name + ".pcap")
        if name == "bulk20k":
            bulk(path)
        elif name == "h5k":
            short(path, 5000, False)
        elif name[0] == "s":
            syn_only(path, count(name))
        elif name[0] == "w":
            web(path, count(name))
        elif name[0] == "c":
            short(path, count(name), True)
        else:
            sys.exit(f"synth_captures: unknown capture {name}")
        print(path)


if __name__ == "__main__":
    main()
