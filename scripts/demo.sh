#!/usr/bin/env bash
# `make demo`: replay the bundled capture (real curl -> nginx traffic on
# loopback, recorded by scripts/make-demo-capture.sh) through the demo
# configuration and print the report, then what each receiver got.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin="$build/openwfp"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "\$ openwfp check-config examples/demo.yaml"
"$bin" check-config examples/demo.yaml
echo
echo "\$ openwfp replay -c examples/demo.yaml --extract OUT examples/demo.pcap"
"$bin" replay -c examples/demo.yaml --extract "$out" --events "$out/events.jsonl" examples/demo.pcap
echo
echo "What each receiver got (OUT/flows.tsv and the files next to it):"
python3 - "$out" <<'PY'
import csv, os, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(out, "flows.tsv")), delimiter="\t"))
for c2s, s2c in zip(rows[0::2], rows[1::2]):
    name = lambda r: f"{r['src']}.{r['sport']}-{r['dst']}.{r['dport']}"
    request = open(os.path.join(out, name(c2s)), "rb").read().split(b"\r\n")[0].decode()
    print(f"  flow {c2s['flow_id']}: {request:32s} server->client {s2c['bytes']:>6s} bytes delivered, "
          f"ends {c2s['end']}/{s2c['end']}  sha256 {s2c['sha256'][:16]}...")
PY
echo
echo "Events by type (OUT/events.jsonl):"
python3 -c '
import json, sys, collections
c = collections.Counter(json.loads(l)["event"] for l in open(sys.argv[1]))
print("  " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("stream_action") == "drop_connection":
        print("  flow %s dropped by callout %s: its %s data at offset %s" %
              (e["flow"], e.get("callout", "?"), e.get("dir", "?"), e.get("offset")))
' "$out/events.jsonl"
