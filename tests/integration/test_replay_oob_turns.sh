#!/usr/bin/env bash
# Microsoft's stream samples, unedited, needed two things that this test
# keeps, with a driver of our own in their style (tests/plugins/drv_oob,
# built by openwfp-cc):
#  - a KMDF control device created with SDDL_DEVOBJ_KERNEL_ONLY while the
#    driver includes only <wdf.h> (the WDK's wdf.h brings wdmsec.h);
#  - replay waits at a direction turn for the drivers' work items and their
#    injections: an out-of-band editor whose work item is slower than the
#    replay still has its edit delivered before the other host's FIN, which
#    in the capture came after that host had received it. drv_oob, like the
#    samples, discards late work once either direction's FIN was seen, so
#    without the wait the server's answer was lost.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_BUILD_DIR:?set by ctest}"
work=$(mktemp -d /tmp/owfp-oob-turns.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

"$OWFP_BUILD_DIR/openwfp-cc" -shared -o "$work/drv_oob.so" "$OWFP_SOURCE_DIR"/tests/plugins/drv_oob/*.c \
	2>"$work/build.log" || { cat "$work/build.log"; fail "openwfp-cc did not build drv_oob"; }
grep -q "warning" "$work/build.log" && fail "warnings building drv_oob: $(cat "$work/build.log")"
ok "drv_oob (KMDF control device with SDDL_DEVOBJ_KERNEL_ONLY from <wdf.h>) builds without warnings"

# One connection to port 7777: a request, the answer, then the client's FIN
# (acknowledging the answer) and the server's.
mkpcap() { # mkpcap FILE REQUEST
"$(scapy_py)" - "$1" "$2" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
c, s, cp, sp = "10.9.0.1", "10.9.0.2", 40100, 7777
cs, ss = 1000, 5000
req, ans = sys.argv[2].encode(), b"general kenobi"
def seg(src, dst, sport, dport, flags, seq, ack, data=b""):
    p = Ether() / IP(src=src, dst=dst) / TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack)
    return p / Raw(data) if data else p
P = [seg(c, s, cp, sp, "S", cs, 0),
     seg(s, c, sp, cp, "SA", ss, cs + 1),
     seg(c, s, cp, sp, "A", cs + 1, ss + 1),
     seg(c, s, cp, sp, "PA", cs + 1, ss + 1, req),
     seg(s, c, sp, cp, "A", ss + 1, cs + 1 + len(req)),
     seg(s, c, sp, cp, "PA", ss + 1, cs + 1 + len(req), ans),
     seg(c, s, cp, sp, "FA", cs + 1 + len(req), ss + 1 + len(ans)),
     seg(s, c, sp, cp, "FA", ss + 1 + len(ans), cs + 2 + len(req)),
     seg(c, s, cp, sp, "A", cs + 2 + len(req), ss + 2 + len(ans))]
for i, p in enumerate(P):
    p.time = 1700000000 + i * 0.001
wrpcap(sys.argv[1], P)
PY
}
mkpcap "$work/turns.pcap" "hello there, "

OWFP_DBGPRINT=1 "$OWFP_BIN" replay --local server --callout "$work/drv_oob.so" --extract "$work/x" \
	"$work/turns.pcap" >"$work/out" 2>"$work/err" || fail "replay: $(cat "$work/err")"
expect_eq "the request, edited out of band" "$(cat "$work/x/10.9.0.1.40100-10.9.0.2.7777")" "HELLO THERE, "
expect_eq "the answer, edited out of band before the client's FIN" \
	"$(cat "$work/x/10.9.0.2.7777-10.9.0.1.40100")" "GENERAL KENOBI"
grep -q "drv_oob: unload, 0 task(s) discarded" "$work/err" || fail "tasks were discarded: $(cat "$work/err")"
ok "no out-of-band work was overtaken by the other direction"

OWFP_DBGPRINT=1 "$OWFP_BIN" replay --local server --callout "$work/drv_oob.so" \
	--driver-param drv_oob.InspectionLocalPort=7778 --extract "$work/y" \
	"$work/turns.pcap" >/dev/null 2>"$work/err2" || fail "replay: $(cat "$work/err2")"
expect_eq "InspectionLocalPort from --driver-param moves the filter" \
	"$(cat "$work/y/10.9.0.2.7777-10.9.0.1.40100")" "general kenobi"
# Like the samples, drv_oob's DriverUnload waits until no classify holds a
# reference. A failed NT_ASSERT abandons a classify that held one: the flow
# is dropped, and the unload would wait for ever. openwfp reports it after
# 10 s and exits anyway.
mkpcap "$work/assert.pcap" "hello ASSERTME"
rc=0
timeout 60 "$OWFP_BIN" replay --local server --callout "$work/drv_oob.so" "$work/assert.pcap" \
	>"$work/out3" 2>"$work/err3" || rc=$?
expect_eq "replay exits although DriverUnload never returns" "$rc" 0
grep -q "NT_ASSERT(!RtlEqualMemory(head + i, \"ASSERTME\", 8)) failed at .*oob.c:[0-9]* in classifyFn" "$work/err3" ||
	fail "no assertion report: $(cat "$work/err3")"
grep -q "driver 'drv_oob': DriverUnload has not returned after 10 s; it is left waiting" "$work/err3" ||
	fail "no report of the unload that does not return: $(cat "$work/err3")"
ok "an unload that waits for a reference a contained failure held is reported, and the process exits"
echo "PASS: $RP_PASSED checks"
