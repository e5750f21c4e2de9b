#!/usr/bin/python3
"""Writes weather.pcap for the wdk_stream_edit example: one TCP connection
from 10.0.0.1:40000 to 10.0.0.2:8888 in which both sides say "rainy",
split across segments in several ways:

  client -> server   "rai" | "ny"          (a token split in two)
                     "rai" | "sins"        (a token's start that is no token)
                     "rainy" twice whole
  server -> client   "r" | "a" | "iny"     (split in three)
                     "rainy" whole, and a lone "rai" just before the FIN

Run it again (Debian's python3 with scapy) to regenerate the capture:
    /usr/bin/python3 make_capture.py weather.pcap
"""
import sys
from scapy.all import IP, TCP, Ether, wrpcap

C, S, CP, SP = "10.0.0.1", "10.0.0.2", 40000, 8888
CMAC, SMAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
pkts, clock = [], [1764200000.0]


def add(src, dst, sport, dport, flags, seq, ack, data=b""):
    mac = (CMAC, SMAC) if src == C else (SMAC, CMAC)
    p = (Ether(src=mac[0], dst=mac[1]) / IP(src=src, dst=dst) /
         TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=65535) / data)
    clock[0] += 0.001
    p.time = clock[0]
    pkts.append(p)


cseq, sseq = 7000, 9000
add(C, S, CP, SP, "S", cseq, 0)
add(S, C, SP, CP, "SA", sseq, cseq + 1)
cseq += 1
sseq += 1
add(C, S, CP, SP, "A", cseq, sseq)

request = [b"GET /forecast HTTP/1.1\r\nHost: weather\r\nX-Sky: rai",
           b"ny\r\nX-Note: rainy days, rai",
           b"sins, rainy nights\r\n\r\n"]
for seg in request:
    add(C, S, CP, SP, "PA", cseq, sseq, seg)
    cseq += len(seg)
    add(S, C, SP, CP, "A", sseq, cseq)

reply = [b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ntoday r",
         b"a",
         b"iny, tomorrow rainy, then rai"]
for i, seg in enumerate(reply):
    last = i == len(reply) - 1
    add(S, C, SP, CP, "FPA" if last else "PA", sseq, cseq, seg)
    sseq += len(seg) + (1 if last else 0)
    add(C, S, CP, SP, "A", cseq, sseq)
add(C, S, CP, SP, "FA", cseq, sseq)
cseq += 1
add(S, C, SP, CP, "A", sseq, cseq)
wrpcap(sys.argv[1] if len(sys.argv) > 1 else "weather.pcap", pkts)
