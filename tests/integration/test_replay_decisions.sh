#!/usr/bin/env bash
# A callout plugin written in WFP terms (tests/plugins/plugin_decisions.c)
# blocks, drops, defers (continued from its own thread), allows and injects
# depending on the content: --extract shows exactly what each receiver got
# and --events records each decision. At the end of the capture, replay
# waits for the deferred stream to be continued (bounded by --drain-timeout).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_PLUGIN_DIR:?set by ctest}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plugin="$OWFP_PLUGIN_DIR/plugin_decisions.so"
[ -f "$plugin" ] || fail "missing $plugin"
"$(scapy_py)" "$OWFP_SOURCE_DIR/tests/data/make_decisions_capture.py" "$work/d.pcap" >/dev/null 2>&1 ||
    fail "make_decisions_capture.py failed"

# The driver continues the deferred stream from its own thread 1 s later;
# the checks below expect the capture read to its end by then (a few ms,
# also under ASan on a loaded machine), so all 25 bytes wait for it.
OWFP_DECISIONS_DELAY_MS=1000 "$OWFP_BIN" replay --json --callout "$plugin" --extract "$work/x" \
    --events "$work/ev.jsonl" "$work/d.pcap" >"$work/summary.json" || fail "replay exited $?"

f() { echo "$work/x/10.0.0.$1.$2-10.0.0.$3.$4"; }
c2s() { f 1 $((41000 + $1 % 1000)) 2 "$1"; }
s2c() { f 2 "$1" 1 $((41000 + $1 % 1000)); }

expect_bytes "BLOCK removes the word, PERMIT keeps the rest" "$(c2s 1001)" "keep1  keep2"
expect_bytes "BLOCK: the other direction is untouched" "$(s2c 1001)" "ok1"
expect_bytes "DROP: bytes before the drop were delivered" "$(c2s 1002)" "hello"
expect_bytes "DROP: nothing of the dropping indication or after" "$(s2c 1002)" ""
expect_bytes "DEFER then FwpsStreamContinue0 from another thread: all bytes, in order" \
    "$(s2c 1003)" "DEFERME part1|part2|part3"
expect_bytes "ALLOW_CONNECTION: later data is not inspected (BLOCKME stays)" \
    "$(c2s 1004)" "ALLOWME first|BLOCKME stays"
expect_bytes "inline inject + BLOCK replaces the word" "$(c2s 1005)" "before [injected] after"

"$(py)" - "$work/x/flows.tsv" "$work/ev.jsonl" "$work/summary.json" <<'PY' || fail "events, ends or summary"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ends = {(r["sport"], r["dport"]): r["end"] for r in rows}
assert ends[("41002", "1002")] == "drop" and ends[("1002", "41002")] == "drop", ends
for port in ("1001", "1003", "1004", "1005"):
    assert ends[(str(41000 + int(port) % 1000), port)] == "fin", (port, ends)
ev = [json.loads(l) for l in open(sys.argv[2])]
flow_of = {e["server"]["port"]: e["flow"] for e in ev if e["event"] == "flow_start"}
def of(port, kind):
    return [e for e in ev if e["event"] == kind and e.get("flow") == flow_of[port]]
blocks = [e for e in of(1001, "decision") if e.get("action") == "block"]
assert [(b["bytes"], b["offset"], b["dir"]) for b in blocks] == [(7, 6, "outbound")], blocks
assert len(of(1002, "drop")) == 1
defers, conts = of(1003, "defer"), of(1003, "continue")
assert len(defers) == 1 and defers[0]["dir"] == "inbound", defers
assert len(conts) == 1 and conts[0]["bytes"] == 25, conts
assert ev.index(defers[0]) < ev.index(conts[0])
assert len(of(1004, "allow")) == 1
inj = of(1005, "inject")
assert len(inj) == 1 and inj[0]["bytes"] == 10 and inj[0]["detail"] == "inline", inj
assert all(e.get("callout") == "decisions" for e in ev if "callout_id" in e)
s = json.load(open(sys.argv[3]))
assert s["drain"]["flows"] == 1 and not s["drain"]["timed_out"], s["drain"]
assert s["held"]["bytes"] == 0, s["held"]
assert s["flows"]["dropped"] == 1 and s["flows"]["offloaded"] == 1, s["flows"]
d = [c for c in s["callouts"] if c["name"] == "decisions"]
acts = {k: sum(c["stream_actions"][k] for c in d) for k in ("defer", "drop_connection", "allow_connection")}
assert acts == {"defer": 1, "drop_connection": 1, "allow_connection": 1}, acts
PY
ok "flows.tsv ends, events (block, drop, defer, continue, allow, inject) and summary"

# The continue comes later than the drain allows: the deferred bytes are
# reported as held, never silently delivered or lost.
OWFP_DECISIONS_DELAY_MS=1000 "$OWFP_BIN" replay --json --drain-timeout 0.05 --callout "$plugin" \
    --extract "$work/y" "$work/d.pcap" >"$work/short.json" || fail "replay exited $?"
"$(py)" - "$work/short.json" <<'PY' || fail "held bytes after a short drain"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["drain"]["timed_out"], s["drain"]
assert s["held"] == {"bytes": 25, "flows": 1}, s["held"]
PY
ok "--drain-timeout: bytes still deferred are reported as held"
expect_bytes "--drain-timeout: nothing of the deferred stream was delivered" \
    "$(echo "$work/y/10.0.0.2.1003-10.0.0.1.41003")" ""

# --local server: the server is the local host, so its data is SEND and is
# never deferred (DEFER applies to data arriving at the local host).
OWFP_DECISIONS_DELAY_MS=1000 "$OWFP_BIN" replay --json --local server --callout "$plugin" \
    --extract "$work/z" "$work/d.pcap" >"$work/server.json" || fail "replay exited $?"
expect_bytes "--local server: server data is outbound, not deferred" \
    "$work/z/10.0.0.2.1003-10.0.0.1.41003" "DEFERME part1|part2|part3"
expect_eq "--local server: nothing to drain" \
    "$("$(py)" -c 'import json,sys; print(json.load(open(sys.argv[1]))["drain"]["flows"])' "$work/server.json")" 0
echo "test_replay_decisions: $RP_PASSED checks passed"
