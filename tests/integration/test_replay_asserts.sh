#!/usr/bin/env bash
# A driver that fails NT_ASSERT / KeBugCheckEx (tests/plugins/drv_asserts.c)
# through `openwfp replay`: the run completes with exit status 0, the flows
# whose classifyFn failed are dropped (fail closed) and the others are not,
# each failure is reported once naming the driver, file, line and
# expression (or bug-check code), a failing work item is contained on its
# worker, the summary counts them; with --strict-asserts the process aborts.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_PLUGIN_DIR:?set by ctest}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plugin="$OWFP_PLUGIN_DIR/drv_asserts.so"
src="$OWFP_SOURCE_DIR/tests/plugins/drv_asserts.c"
[ -f "$plugin" ] || fail "missing $plugin"
"$(scapy_py)" "$OWFP_SOURCE_DIR/tests/data/make_asserts_capture.py" "$work/a.pcap" >/dev/null 2>&1 ||
    fail "make_asserts_capture.py failed"

set +e
"$OWFP_BIN" replay --json --callout "$plugin" --extract "$work/x" --events "$work/ev.jsonl" \
    "$work/a.pcap" >"$work/summary.json" 2>"$work/err"
rc=$?
set -e
expect_eq "replay completes despite the driver's failures (exit status)" "$rc" 0

f() { echo "$work/x/10.0.0.$1.$2-10.0.0.$3.$4"; }
c2s() { f 1 $((42000 + $1 % 1000)) 2 "$1"; }
s2c() { f 2 "$1" 1 $((42000 + $1 % 1000)); }
expect_bytes "a flow without a marker is untouched (client)" "$(c2s 2001)" "hello one"
expect_bytes "a flow without a marker is untouched (server)" "$(s2c 2001)" "reply one"
expect_bytes "NT_ASSERT flow: bytes before the failure were delivered" "$(c2s 2002)" "before"
expect_bytes "NT_ASSERT flow: nothing of the failing indication or after" "$(s2c 2002)" ""
expect_bytes "KeBugCheckEx flow: nothing delivered" "$(c2s 2003)" ""
expect_bytes "a failing work item does not touch its flow (client)" "$(c2s 2004)" "WORKME please"
expect_bytes "a failing work item does not touch its flow (server)" "$(s2c 2004)" "reply four"

line_of() { grep -n "$1" "$src" | cut -d: -f1; }
cl=$(line_of CLASSIFY_ASSERT_LINE)
wl=$(line_of WORK_ASSERT_LINE)
grep -q "driver 'drv_asserts': NT_ASSERT(!sawAssert) failed at .*drv_asserts.c:$cl in classifyFn, callout '[^']*', flow [0-9]*: the flow is dropped" "$work/err" ||
    fail "NT_ASSERT report (file:line $cl, driver, flow) missing: $(cat "$work/err")"
ok "the NT_ASSERT report names driver, expression, file:line, callout and flow"
grep -q "driver 'drv_asserts': KeBugCheckEx(0x000000E2, 0xa55e, 0xe, 0x0, 0x0) in classifyFn" "$work/err" ||
    fail "KeBugCheckEx report missing: $(cat "$work/err")"
ok "the bug check report names the code and parameters"
grep -q "driver 'drv_asserts': NT_ASSERTMSG(FALSE) \"a work item saw WORKME\" failed at .*drv_asserts.c:$wl in work item routine" "$work/err" ||
    fail "work item report missing: $(cat "$work/err")"
ok "the work item's failure is reported from its worker"
expect_eq "each failure is reported once" "$(grep -c 'contained (failure' "$work/err")" 3

"$(py)" - "$work/x/flows.tsv" "$work/summary.json" <<'PY' || fail "flow ends or summary"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ends = {(r["sport"], r["dport"]): r["end"] for r in rows}
for port in ("2002", "2003"):
    assert ends[(str(42000 + int(port) % 1000), port)] == "drop", (port, ends)
for port in ("2001", "2004"):
    assert ends[(str(42000 + int(port) % 1000), port)] == "fin", (port, ends)
s = json.load(open(sys.argv[2]))
# The two classifyFn failures for sure; the work item's may come after the
# summary (it is asynchronous; unloading the driver waits for it).
assert s["driver_failures"] in (2, 3), s
assert s["flows"]["dropped"] == 2, s["flows"]
PY
ok "the failing flows are dropped, the others end normally; the summary counts the failures"

"$OWFP_BIN" replay --callout "$plugin" "$work/a.pcap" >"$work/text" 2>/dev/null
grep -Eq "driver assertion failures and bug checks contained: [23]$" "$work/text" ||
    fail "the text summary does not count the failures"
ok "the text summary counts them too"

set +e
"$OWFP_BIN" replay --strict-asserts --callout "$plugin" "$work/a.pcap" >/dev/null 2>"$work/strict"
rc=$?
set -e
expect_eq "--strict-asserts aborts at the first failure (SIGABRT)" "$rc" 134
grep -q "NT_ASSERT(!sawAssert) failed at .*drv_asserts.c:$cl in classifyFn.*aborting (--strict-asserts)" "$work/strict" ||
    fail "--strict-asserts report missing: $(cat "$work/strict")"
ok "--strict-asserts reports before it aborts"
echo "all $RP_PASSED checks passed"
