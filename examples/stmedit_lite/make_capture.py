#!/usr/bin/python3
"""Writes weather.pcap: one TCP connection from 10.0.0.1:40000 to a web
server at 10.0.0.2:80 in which the client's data contains "rainy" three
times, once split across two segments ("rai" | "ny"). Used by the
stmedit_lite example; run it again to regenerate the capture."""
import sys
from scapy.all import IP, TCP, Ether, wrpcap

C, S, CP, SP = "10.0.0.1", "10.0.0.2", 40000, 80
pkts, t = [], [1764100000.0]


def add(src, dst, sport, dport, flags, seq, ack, data=b""):
    p = Ether() / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags,
                                             seq=seq, ack=ack, window=65535) / data
    t[0] += 0.001
    p.time = t[0]
    pkts.append(p)


cseq, sseq = 1000, 5000
add(C, S, CP, SP, "S", cseq, 0)
add(S, C, SP, CP, "SA", sseq, cseq + 1)
cseq += 1
sseq += 1
add(C, S, CP, SP, "A", cseq, sseq)
client = [b"POST /forecast HTTP/1.1\r\nHost: weather\r\nContent-Length: 51\r\n\r\nit is rai",
          b"ny today, rainy tomorrow, rainy all week\r\n"]
for seg in client:
    add(C, S, CP, SP, "PA", cseq, sseq, seg)
    cseq += len(seg)
    add(S, C, SP, CP, "A", sseq, cseq)
reply = b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nnoted\n"
add(S, C, SP, CP, "PA", sseq, cseq, reply)
sseq += len(reply)
add(C, S, CP, SP, "FA", cseq, sseq)
cseq += 1
add(S, C, SP, CP, "FA", sseq, cseq)
sseq += 1
add(C, S, CP, SP, "A", cseq, sseq)
wrpcap(sys.argv[1] if len(sys.argv) > 1 else "weather.pcap", pkts)
