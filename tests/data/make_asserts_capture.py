#!/usr/bin/env python3
"""Writes the capture for tests/plugins/drv_asserts.c: four connections from
10.0.0.1 to 10.0.0.2, told apart by server port; two carry a marker that
makes the driver fail in classifyFn, one makes a work item of it fail.

    make_asserts_capture.py OUT.pcap
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
    c = Conn(cport=42000 + sport % 1000, sport=sport)
    c.t = t
    c.handshake()
    for side, flags, payload in steps:
        c.pkt(side, flags, payload)
    c.close()
    t = c.t + 0.5
    pkts.extend(c.pkts)


conn(2001, [("c", "PA", b"hello one"), ("s", "PA", b"reply one")])
conn(2002, [("c", "PA", b"before"), ("s", "PA", b"then ASSERTME here"), ("c", "PA", b"after")])
conn(2003, [("c", "PA", b"BUGCHECKME now"), ("s", "PA", b"never seen")])
conn(2004, [("c", "PA", b"WORKME please"), ("s", "PA", b"reply four")])

wrpcap(sys.argv[1], pkts)
