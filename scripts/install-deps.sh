#!/usr/bin/env bash
# Installs the Debian packages openwfp needs to build, test, demo and benchmark.
# Idempotent: does nothing when everything is present. Needs root (or sudo).
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev
      libpcap-dev libjansson-dev libcmocka-dev libhyperscan-dev libyaml-dev libssl-dev liburing-dev
      tcpdump tcpflow curl nginx-light python3 python3-scapy iproute2 nftables
      openssl valgrind ethtool universal-ctags libbpf-dev bpftool clang-format
      dpkg-dev debhelper lintian fakeroot mmdebstrap ccache python3-prometheus-client)
if [ "${1:-}" = "--bench" ]; then
  pkgs+=(libnids-dev iperf3 haproxy wrk hyperfine time)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
