#!/usr/bin/env python3
"""Writes the capture for tests/plugins/plugin_decisions.c: five connections
from 10.0.0.1 to 10.0.0.2, one per decision, told apart by server port.

    make_decisions_capture.py OUT.pcap
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_edge_captures import Conn  # noqa: E402
from scapy.all import wrpcap  # noqa: E402

pkts = []
t = 1700000000.0


def conn(sport, steps):
    global t
    c = Conn(cport=41000 + sport % 1000, sport=sport)
    c.t = t
    c.handshake()
    for side, flags, payload in steps:
        c.pkt(side, flags, payload)
    c.close()
    t = c.t + 0.5
    pkts.extend(c.pkts)


# block: the 7 bytes of the word leave the stream, the rest goes on.
conn(1001, [("c", "PA", b"keep1 BLOCKME keep2"), ("s", "PA", b"ok1")])
# drop: the connection is dropped when the reply carries the word.
conn(1002, [("c", "PA", b"hello"), ("s", "PA", b"data DROPME more"), ("c", "PA", b"after-drop")])
# defer: inbound data is deferred once, continued later from another thread.
conn(1003, [("c", "PA", b"get"), ("s", "PA", b"DEFERME part1|"), ("s", "PA", b"part2|"),
            ("s", "PA", b"part3")])
# allow: after ALLOW_CONNECTION the callout never sees the flow again.
conn(1004, [("c", "PA", b"ALLOWME first|"), ("c", "PA", b"BLOCKME stays"), ("s", "PA", b"ok4")])
# inject: the word is replaced by injected bytes.
conn(1005, [("c", "PA", b"before INJECTME after"), ("s", "PA", b"ok5")])

wrpcap(sys.argv[1], pkts)
