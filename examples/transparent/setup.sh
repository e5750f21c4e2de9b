#!/usr/bin/env bash
# Transparent interception for `openwfp proxy --transparent` that fails
# closed: run as root in the router's network namespace.
#
#   setup.sh IN_IFACE PORT PROXY_PORT   TCP arriving on IN_IFACE for PORT (any
#                                       destination, IPv4 and IPv6) goes to the
#                                       proxy listening on PROXY_PORT (TPROXY)
#   setup.sh --remove                   undoes it
#
# Intercepted traffic that finds no proxy socket (before the proxy starts,
# while it drains, after it exits or crashes) is answered with a TCP reset,
# never forwarded: the TPROXY rule alone lets such packets fall through to
# ordinary forwarding, to the server, unfiltered. Everything is in one
# nftables table loaded in one transaction (nft -f), plus one policy-routing
# rule per family; running it again replaces the table. It does not touch
# net.ipv4.ip_forward: forwarding is the router's own business, and the
# intercepted packets are delivered locally, not forwarded (docs/proxy.md,
# "Transparent").
#
# Environment: OWFP_TPROXY_MARK (default 1) and OWFP_TPROXY_TABLE (default
# 100), the firewall mark and routing table used to deliver marked packets
# to the local stack.
set -euo pipefail

MARK=${OWFP_TPROXY_MARK:-1}
TABLE=${OWFP_TPROXY_TABLE:-100}
NFT_TABLE=owfp_transparent

usage() {
	echo "usage: $0 IN_IFACE PORT PROXY_PORT | $0 --remove" >&2
	exit 2
}
die() { echo "$0: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (nftables and policy routing)"
command -v nft >/dev/null || die "nft not found (Debian package nftables)"

# routing FAMILY-FLAG add|del: marked packets are delivered to the local stack
routing() {
	local f=$1 op=$2 any=0.0.0.0/0
	[ "$f" = -6 ] && any=::/0
	if [ "$op" = add ]; then
		ip "$f" rule show | grep -q "fwmark $(printf '0x%x' "$MARK") lookup $TABLE" ||
			ip "$f" rule add fwmark "$MARK" lookup "$TABLE"
		ip "$f" route replace local "$any" dev lo table "$TABLE"
	else
		while ip "$f" rule del fwmark "$MARK" lookup "$TABLE" 2>/dev/null; do :; done
		ip "$f" route del local "$any" dev lo table "$TABLE" 2>/dev/null || true
	fi
}

if [ "${1:-}" = --remove ]; then
	[ $# -eq 1 ] || usage
	nft delete table inet "$NFT_TABLE" 2>/dev/null || true
	routing -4 del
	routing -6 del
	exit 0
fi
[ $# -eq 3 ] || usage
IFACE=$1 PORT=$2 PROXY_PORT=$3
case "$PORT$PROXY_PORT" in *[!0-9]*) usage ;; esac
[ "$PORT" -ge 1 ] && [ "$PORT" -le 65535 ] && [ "$PROXY_PORT" -ge 1 ] && [ "$PROXY_PORT" -le 65535 ] ||
	die "ports must be 1-65535"
ip link show dev "$IFACE" >/dev/null 2>&1 || die "no interface $IFACE"

# One transaction: the old table (if any) goes and the new one comes at once,
# so there is no moment without the reset rule.
nft -f - <<NFT
table inet $NFT_TABLE
delete table inet $NFT_TABLE
table inet $NFT_TABLE {
	chain prerouting {
		type filter hook prerouting priority mangle; policy accept;
		# packets of sockets the proxy made transparent (replies to
		# --spoof-source upstream connections): to the local stack
		meta l4proto tcp socket transparent 1 meta mark set $MARK accept
		# the interception: an established proxied connection or the
		# listener; with no such socket the rule does nothing and the
		# packet would be forwarded, which the forward chain refuses
		iifname "$IFACE" meta nfproto ipv4 tcp dport $PORT tproxy ip to :$PROXY_PORT meta mark set $MARK accept
		iifname "$IFACE" meta nfproto ipv6 tcp dport $PORT tproxy ip6 to :$PROXY_PORT meta mark set $MARK accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		# fail closed: intercepted traffic that found no proxy socket
		iifname "$IFACE" tcp dport $PORT reject with tcp reset
	}
}
NFT
routing -4 add
routing -6 add
