#!/usr/bin/env bash
# check-ms-samples.sh WDS [BUILD]: builds Microsoft's stmedit and msnmntr
# stream samples from YOUR checkout of Windows-driver-samples (WDS; this
# repository never contains or fetches them) with openwfp-cc, unedited, and
# checks that stmedit at its registry defaults edits both directions of a
# replayed capture whose tokens are split across TCP segments: out-of-band
# and inline together (MultipleCallouts 1: rainy -> cloudy -> sunny) and
# out-of-band alone (MultipleCallouts 0: rainy -> cloudy). BUILD is the
# openwfp build directory (default: build next to this script). Needs
# python3 with scapy (scripts/install-deps.sh). Not part of `make test`.
# docs/porting.md, "Microsoft samples: status".
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 PATH-TO-Windows-driver-samples [BUILD-DIR]" >&2; exit 2; }
wds=$(realpath "$1")
build=$(realpath "${2:-$(dirname "$0")/../build}")
occ=$build/openwfp-cc owfp=$build/openwfp
for f in "$occ" "$owfp"; do [ -x "$f" ] || { echo "$0: $f not built (cmake --build $build)" >&2; exit 2; }; done
for d in stmedit msnmntr; do
    [ -d "$wds/network/trans/$d/sys" ] || { echo "$0: no $wds/network/trans/$d/sys" >&2; exit 2; }
done
work=$(mktemp -d /tmp/owfp-ms-samples.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
pass() { echo "ok: $*"; }
flunk() { echo "FAIL: $*" >&2; failed=1; }

# The build, in copies: openwfp-cc writes nothing next to the sources, but
# the .so files should not land in the user's checkout either.
cp -r "$wds/network/trans/stmedit" "$wds/network/trans/msnmntr" "$work/"
if (cd "$work/stmedit" && "$occ" -shared -o stmedit.so sys/*.c) >"$work/stmedit.log" 2>&1; then
    pass "stmedit builds ($(grep -c 'warning:' "$work/stmedit.log" || true) warnings)"
else
    cat "$work/stmedit.log" >&2; flunk "stmedit does not build"
fi
if (cd "$work/msnmntr" && "$occ" -shared -o msnmntr.so -I inc sys/*.c) >"$work/msnmntr.log" 2>&1; then
    pass "msnmntr builds ($(grep -c 'warning:' "$work/msnmntr.log" || true) warnings)"
else
    cat "$work/msnmntr.log" >&2; flunk "msnmntr does not build"
fi
[ -f "$work/stmedit/stmedit.so" ] || exit 1

# A capture: the client's request and the server's answer each split the
# tokens across segments; the server closes first, then the client.
py=python3
for p in /usr/bin/python3 python3; do "$p" -c 'import scapy' 2>/dev/null && { py=$p; break; }; done
"$py" - "$work/weather.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
c, s, cp, sp = "10.77.0.1", "10.77.0.2", 40500, 8888
req = [b"GET forecast: it is ra", b"iny in Paris and ", b"rainy", b" in Rome, cloudy in Oslo\n"]
ans = [b"today: ra", b"i", b"ny then clo", b"udy, tomorrow rainy\n"]
P, cs, ss = [], 1000, 5000
def seg(fr, flags, data=b""):
    global cs, ss
    if fr == "c":
        p = Ether() / IP(src=c, dst=s) / TCP(sport=cp, dport=sp, flags=flags, seq=cs, ack=ss)
        cs += len(data) + (1 if "S" in flags or "F" in flags else 0)
    else:
        p = Ether() / IP(src=s, dst=c) / TCP(sport=sp, dport=cp, flags=flags, seq=ss, ack=cs)
        ss += len(data) + (1 if "S" in flags or "F" in flags else 0)
    P.append(p / Raw(data) if data else p)
seg("c", "S"); seg("s", "SA"); seg("c", "A")
for d in req: seg("c", "PA", d); seg("s", "A")
for d in ans: seg("s", "PA", d); seg("c", "A")
seg("s", "FA"); seg("c", "FA"); seg("s", "A")
for i, p in enumerate(P):
    p.time = 1700000000 + i * 0.001
wrpcap(sys.argv[1], P)
PY

check() { # check NAME EXPECT-C2S EXPECT-S2C [replay options]
    local name=$1 c2s=$2 s2c=$3 got1 got2
    shift 3
    rm -rf "$work/x"
    if ! "$owfp" replay --local server --callout "$work/stmedit/stmedit.so" --drain-timeout 1 \
        --extract "$work/x" "$@" "$work/weather.pcap" >"$work/replay.out" 2>"$work/replay.err"; then
        cat "$work/replay.err" >&2; flunk "$name: replay failed"; return
    fi
    got1=$(cat "$work/x/10.77.0.1.40500-10.77.0.2.8888")
    got2=$(cat "$work/x/10.77.0.2.8888-10.77.0.1.40500")
    [ "$got1" = "$c2s" ] && [ "$got2" = "$s2c" ] && { pass "$name"; return; }
    flunk "$name: client->server '$got1', server->client '$got2'"
}
check "stmedit, out-of-band then inline (defaults): both directions" \
    "GET forecast: it is sunny in Paris and sunny in Rome, sunny in Oslo" \
    "today: sunny then sunny, tomorrow sunny"
check "stmedit, out-of-band alone (--driver-param stmedit.MultipleCallouts=0): both directions" \
    "GET forecast: it is cloudy in Paris and cloudy in Rome, cloudy in Oslo" \
    "today: cloudy then cloudy, tomorrow cloudy" --driver-param stmedit.MultipleCallouts=0
if [ "$failed" != 0 ]; then echo "FAILED" >&2; exit 1; fi
echo "PASS"
