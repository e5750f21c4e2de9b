#!/usr/bin/python3
"""Writes small seed captures for fuzz_capture: a few TCP conversations in
several link types and formats. Run from the repo root; writes into
tests/fuzz/corpus/fuzz_capture/."""
import os
from scapy.all import (Ether, Dot1Q, IP, IPv6, TCP, Raw, CookedLinux, Loopback,
                       wrpcap, fragment)
from scapy.utils import PcapNgWriter

out = os.path.join(os.path.dirname(__file__), "corpus", "fuzz_capture")
os.makedirs(out, exist_ok=True)


def conversation(ip_c, ip_s, l3):
    c, s = 40000, 80
    pkts = [l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="S", seq=1000),
            l3(src=ip_s, dst=ip_c) / TCP(sport=s, dport=c, flags="SA", seq=5000, ack=1001),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="A", seq=1001, ack=5001),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="PA", seq=1001, ack=5001) / Raw(b"GET / HTTP/1.1\r\n"),
            # out of order, then retransmission with different bytes
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="PA", seq=1027, ack=5001) / Raw(b"\r\n"),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="PA", seq=1017, ack=5001) / Raw(b"Host: a\r\n\r\n"),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="PA", seq=1017, ack=5001) / Raw(b"Host: b\r\n"),
            l3(src=ip_s, dst=ip_c) / TCP(sport=s, dport=c, flags="PA", seq=5001, ack=1029) / Raw(b"HTTP/1.1 200 OK\r\n\r\nhello"),
            l3(src=ip_s, dst=ip_c) / TCP(sport=s, dport=c, flags="UA", seq=5023, ack=1029, urgptr=1) / Raw(b"!"),
            l3(src=ip_s, dst=ip_c) / TCP(sport=s, dport=c, flags="FA", seq=5024, ack=1029),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c, dport=s, flags="FA", seq=1029, ack=5025),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c + 1, dport=s, flags="PA", seq=7, ack=9) / Raw(b"midstream"),
            l3(src=ip_c, dst=ip_s) / TCP(sport=c + 1, dport=s, flags="R", seq=16)]
    return pkts


v4 = conversation("10.0.0.1", "10.0.0.2", IP)
v6 = conversation("2001:db8::1", "2001:db8::2", IPv6)
wrpcap(os.path.join(out, "eth_v4.pcap"), [Ether() / p for p in v4])
wrpcap(os.path.join(out, "vlan_v6.pcap"), [Ether() / Dot1Q(vlan=5) / p for p in v6])
wrpcap(os.path.join(out, "sll_v4.pcap"), [CookedLinux() / p for p in v4])
wrpcap(os.path.join(out, "null_v4.pcap"), [Loopback(type=2) / p for p in v4])
wrpcap(os.path.join(out, "raw_v4.pcap"), v4, linktype=101)
frags = []
for p in v4:
    frags.extend(fragment(p, fragsize=8) if Raw in p else [p])
wrpcap(os.path.join(out, "frag_v4.pcap"), [Ether() / p for p in frags])
w = PcapNgWriter(os.path.join(out, "eth_v4.pcapng"))
for p in v4:
    w.write(Ether() / p)
w.close()
