#!/usr/bin/env python3
"""Writes the crafted edge-case captures the replay tests assert on.

    make_edge_captures.py OUTDIR

Each capture is one or two TCP connections built packet by packet with
scapy; the expected receiver bytes are stated in tests/integration/
test_replay_edge_cases.sh next to each case.
"""
import os
import sys

from scapy.all import IP, IPv6, TCP, Dot1Q, Ether, Raw, fragment, wrpcap

C4, S4 = "10.0.0.1", "10.0.0.2"
C6, S6 = "2001:db8::1", "2001:db8::2"


class Conn:
    """One TCP connection; seq numbers are tracked per side."""

    def __init__(self, cport=40000, sport=80, isn_c=1000, isn_s=5000, v6=False, vlan=None):
        self.cport, self.sport = cport, sport
        self.seq = {"c": isn_c, "s": isn_s}
        self.v6, self.vlan = v6, vlan
        self.t = 1700000000.0
        self.pkts = []

    def _ip(self, side):
        if self.v6:
            return IPv6(src=C6, dst=S6) if side == "c" else IPv6(src=S6, dst=C6)
        return IP(src=C4, dst=S4) if side == "c" else IP(src=S4, dst=C4)

    def pkt(self, side, flags, payload=b"", seq=None, dt=0.001, advance=True):
        other = "s" if side == "c" else "c"
        s = self.seq[side] if seq is None else seq
        tcp = TCP(sport=self.cport if side == "c" else self.sport,
                  dport=self.sport if side == "c" else self.cport,
                  flags=flags, seq=s % 2**32, ack=self.seq[other] % 2**32, window=65535)
        l2 = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        if self.vlan is not None:
            l2 = l2 / Dot1Q(vlan=self.vlan)
        p = l2 / self._ip(side) / tcp
        if payload:
            p = p / Raw(payload)
        self.t += dt
        p.time = self.t
        if advance and seq is None:
            self.seq[side] += len(payload) + (1 if ("S" in flags or "F" in flags) else 0)
        self.pkts.append(p)
        return p

    def handshake(self, syn_payload=b""):
        self.pkt("c", "S", syn_payload)
        self.pkt("s", "SA")
        self.pkt("c", "A")

    def close(self):
        self.pkt("c", "FA")
        self.pkt("s", "FA")
        self.pkt("c", "A")


def out(name, pkts):
    wrpcap(os.path.join(OUT, name), pkts)


def ooo():
    c = Conn()
    c.handshake()
    base = c.seq["c"]
    c.pkt("c", "PA", b"WORLD", seq=base + 6)
    c.pkt("c", "PA", b"HELLO ", seq=base)
    c.seq["c"] = base + 11
    c.pkt("s", "PA", b"ok")
    c.close()
    out("ooo.pcap", c.pkts)


def retrans():
    c = Conn()
    c.handshake()
    base = c.seq["c"]
    c.pkt("c", "PA", b"ONE,")
    c.pkt("c", "PA", b"ONE,", seq=base)
    c.pkt("c", "PA", b"TWO")
    c.pkt("c", "PA", b"ONE,TWO", seq=base)
    c.close()
    out("retrans.pcap", c.pkts)


def overlap():
    c = Conn()
    c.handshake()
    base = c.seq["c"]
    c.pkt("c", "PA", b"AAAAAA", seq=base + 3)   # buffered behind a hole
    c.pkt("c", "PA", b"BBBBBB", seq=base + 5)   # overlaps it with other bytes
    c.pkt("c", "PA", b"012", seq=base)          # fills the hole
    c.seq["c"] = base + 11
    c.close()
    out("overlap.pcap", c.pkts)


def hole():
    c = Conn()
    c.handshake()
    base = c.seq["c"]
    c.pkt("c", "PA", b"before|")
    c.pkt("c", "PA", b"after", seq=base + 7 + 100)    # 100 bytes never captured
    c.seq["c"] = base + 7 + 100 + 5
    c.pkt("s", "PA", b"pong", dt=11.0)                 # capture time passes the 10 s hole limit
    c.close()
    out("hole.pcap", c.pkts)


def syn_data():
    c = Conn()
    c.handshake(syn_payload=b"EARLY")
    c.pkt("c", "PA", b"+LATER")
    c.close()
    out("syn_data.pcap", c.pkts)


def fin_data():
    c = Conn()
    c.handshake()
    c.pkt("c", "PA", b"FIRST+")
    c.pkt("c", "FPA", b"LAST")
    c.pkt("s", "PA", b"reply")
    c.pkt("s", "FA")
    c.pkt("c", "A")
    out("fin_data.pcap", c.pkts)


def rst_mid():
    c = Conn()
    c.handshake()
    c.pkt("c", "PA", b"GET / HTTP/1.0\r\n\r\n")
    c.pkt("s", "PA", b"HTTP/1.0 200 OK\r\n")
    c.pkt("c", "RA")
    c.pkt("s", "PA", b"never delivered")
    out("rst_mid.pcap", c.pkts)


def seqwrap():
    c = Conn(isn_c=2**32 - 4, isn_s=2**32 - 2)
    c.handshake()
    c.pkt("c", "PA", b"abcdefgh")
    c.pkt("c", "PA", b"ijkl")
    c.pkt("s", "PA", b"0123456789")
    c.close()
    out("seqwrap.pcap", c.pkts)


def ipv6():
    c = Conn(v6=True)
    c.handshake()
    c.pkt("c", "PA", b"v6 request")
    c.pkt("s", "PA", b"v6 response")
    c.close()
    out("ipv6.pcap", c.pkts)


def vlan():
    c = Conn(vlan=42)
    c.handshake()
    c.pkt("c", "PA", b"tagged")
    c.pkt("s", "PA", b"frames")
    c.close()
    out("vlan.pcap", c.pkts)


def frag():
    c = Conn()
    c.handshake()
    body = bytes((i * 7) % 256 for i in range(3000))
    p = c.pkt("s", "PA", body)
    c.pkts.pop()
    p[IP].flags = 0
    pieces = fragment(p[IP], fragsize=1000)
    for i, f in enumerate(pieces):
        e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / f
        e.time = p.time + i * 0.0001
        c.pkts.append(e)
    c.close()
    out("frag.pcap", c.pkts)
    with open(os.path.join(OUT, "frag.body"), "wb") as f:
        f.write(body)


def midstream():
    c = Conn(cport=40001, sport=8080)
    c.pkt("c", "PA", b"middle of a ")
    c.pkt("s", "PA", b"conversation")
    c.pkt("c", "PA", b"stream")
    c.close()
    out("midstream.pcap", c.pkts)


def reuse():
    a = Conn()
    a.handshake()
    a.pkt("c", "PA", b"first connection")
    a.close()
    b = Conn(isn_c=900000, isn_s=700000)
    b.t = a.t + 1
    b.handshake()
    b.pkt("c", "PA", b"second connection")
    b.close()
    out("reuse.pcap", a.pkts + b.pkts)


def truncated():
    c = Conn()
    c.handshake()
    c.pkt("c", "PA", b"x" * 500)
    c.close()
    path = os.path.join(OUT, "truncated.pcap")
    wrpcap(path, c.pkts)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size - 30)  # cuts into the last record (the final ACK)


if __name__ == "__main__":
    OUT = sys.argv[1]
    os.makedirs(OUT, exist_ok=True)
    for case in (ooo, retrans, overlap, hole, syn_data, fin_data, rst_mid, seqwrap, ipv6,
                 vlan, frag, midstream, reuse, truncated):
        case()
