#!/usr/bin/env python3
"""A capture for `replay --workers N` (tests/integration/test_replay_workers.sh):
N web-like connections all open at once and interleaved packet by packet,
so more merged runs are pending than the coalescer keeps (256) and the
oldest are flushed early; every 7th answer carries TOP-SECRET in its first
segment, which examples/demo.yaml drops, so dropped flows' runs are among
those pending; every 11th connection ends with an RST instead of FINs.

usage: make_workers_capture.py OUT.pcap [N]   (default N 300)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "bench"))
from synth_captures import ACK, FIN, PSH, RST, Conn, Writer  # noqa: E402


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    w = Writer(out)
    conns = [Conn(w, i) for i in range(n)]
    for c in conns:
        c.handshake()
    for c in conns:
        c.c2s(PSH | ACK, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    for k in range(3):  # three answer segments per flow, PSH on the last
        for i, c in enumerate(conns):
            body = bytearray(b"%d:%d " % (i, k) * 60)
            if k == 0 and i % 7 == 3:
                body[100:110] = b"TOP-SECRET"
            c.s2c(ACK | (PSH if k == 2 else 0), bytes(body), gap=1)
    for i, c in enumerate(conns):
        if i % 11 == 5:
            c.c2s(RST | ACK)
        else:
            c.close()
    w.close()


main()
