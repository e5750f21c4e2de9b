#!/usr/bin/env bash
# Real HTTP traffic, captured at test time, replayed with the default
# inspection callout: --extract must equal tcpflow's reassembly byte for
# byte (sha256 per direction) on loopback and on a veth pair in a network
# namespace (MTU 1500, offloads off, so segments are real 1448-byte ones).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
. "$OWFP_SOURCE_DIR/tests/integration/lib/capture_traffic.sh"

work=$(mktemp -d)
ns="owfp-rp$$"
vh="owfph$$"
vn="owfpn$$"
srv_pid=""
dump_pid=""
cleanup() {
    set +e
    capture_traffic_cleanup
    [ -n "$dump_pid" ] && kill -INT "$dump_pid" 2>/dev/null && wait "$dump_pid" 2>/dev/null
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
    ip link del "$vh" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# --- loopback
capture_traffic_record "$work/lo.pcap" 8 || fail "could not record loopback traffic"
"$OWFP_BIN" replay -q --extract "$work/lo" "$work/lo.pcap" || fail "replay of lo.pcap exited $?"
n=$(tcpflow_compare "$work/lo.pcap" "$work/lo")
expect_eq "loopback: directions equal to tcpflow" "$n" 16
expect_eq "loopback: flows.tsv rows" "$(($(wc -l <"$work/lo/flows.tsv") - 1))" 16
expect_eq "loopback: every direction ended with fin" \
    "$(cut -f8 "$work/lo/flows.tsv" | tail -n +2 | sort -u)" "fin"

# --- veth pair into a namespace, MTU 1500, offloads off
a=$((200 + $$ % 50)); b=$(($$ / 50 % 250))
host_ip="10.$a.$b.1"; ns_ip="10.$a.$b.2"
ip netns add "$ns"
ip link add "$vh" type veth peer name "$vn"
ip link set "$vn" netns "$ns"
ip addr add "$host_ip/24" dev "$vh"
ip link set "$vh" mtu 1500 up
ip netns exec "$ns" ip addr add "$ns_ip/24" dev "$vn"
ip netns exec "$ns" ip link set "$vn" mtu 1500 up
ip netns exec "$ns" ip link set lo up
ethtool -K "$vh" tso off gso off gro off tx off >/dev/null 2>&1 || true
ip netns exec "$ns" ethtool -K "$vn" tso off gso off gro off tx off >/dev/null 2>&1 || true

mkdir "$work/www"
head -c 2000000 /dev/urandom >"$work/www/big"
head -c 50000 /dev/urandom >"$work/www/mid"
echo small >"$work/www/small"
port=8080
(cd "$work/www" && exec ip netns exec "$ns" python3 -m http.server --bind "$ns_ip" "$port") >/dev/null 2>&1 &
srv_pid=$!
for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://$ns_ip:$port/small" && break
    kill -0 "$srv_pid" 2>/dev/null || fail "http.server in the namespace died"
    sleep 0.05
done
tcpdump -i "$vh" -U -n -s 0 -B 65536 -w "$work/veth.pcap" "tcp port $port" 2>"$work/dump.err" &
dump_pid=$!
for _ in $(seq 1 400); do
    grep -q "listening on" "$work/dump.err" && break
    kill -0 "$dump_pid" 2>/dev/null || fail "tcpdump: $(cat "$work/dump.err")"
    sleep 0.025
done
for f in big mid small big; do
    curl -s -o /dev/null "http://$ns_ip:$port/$f" || fail "curl $f through the veth"
done
for _ in $(seq 1 400); do
    [ "$(tcpdump -r "$work/veth.pcap" -n 'tcp[tcpflags] & tcp-fin != 0' 2>/dev/null | wc -l)" -ge 8 ] && break
    sleep 0.025
done
kill -INT "$dump_pid"; wait "$dump_pid" 2>/dev/null || true; dump_pid=""

max_seg=$(tcpdump -r "$work/veth.pcap" -n 2>/dev/null | grep -oE "length [0-9]+" | cut -d" " -f2 | sort -n | tail -1)
expect_eq "veth: largest segment is one MTU's payload" "$max_seg" 1448

"$OWFP_BIN" replay -q --extract "$work/veth" "$work/veth.pcap" || fail "replay of veth.pcap exited $?"
n=$(tcpflow_compare "$work/veth.pcap" "$work/veth")
expect_eq "veth: directions equal to tcpflow" "$n" 8
"$OWFP_BIN" replay -q --verify-checksums --extract "$work/veth-ck" "$work/veth.pcap" ||
    fail "replay --verify-checksums exited $?"
expect_eq "veth: --verify-checksums keeps every byte (checksums are real)" \
    "$(cut -f7 "$work/veth-ck/flows.tsv" | sort)" "$(cut -f7 "$work/veth/flows.tsv" | sort)"
"$OWFP_BIN" replay -q --no-read-ahead --extract "$work/veth-inline" "$work/veth.pcap" ||
    fail "replay --no-read-ahead exited $?"
expect_eq "veth: reading in line (--no-read-ahead) gives the same flows.tsv" \
    "$(cat "$work/veth-inline/flows.tsv")" "$(cat "$work/veth/flows.tsv")"
echo "test_replay_vs_tcpflow: $RP_PASSED checks passed"
