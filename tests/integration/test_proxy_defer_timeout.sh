#!/usr/bin/env bash
# The deferred-flow timeout on a real connection. tests/plugins/
# plugin_proxy_defer.so defers every inbound indication until it is sent
# "continue"; here it never is. With --defer-timeout 1 the proxy resets the
# connection (fail closed): the client sees an RST and none of the deferred
# bytes, `openwfp stats` counts the limit, and the events file has a limit
# event naming the callout. Waits poll; nothing asserts on elapsed time.
. "$(dirname "$0")/proxy_lib.sh"

N=$((64 * 1024))
serve_peer src source "$N"
SRV=$PEER_PORT
OWFP_DEFER_CONTROL=$T/defer.sock start_proxy pdt --listen 127.0.0.1:0 --upstream "127.0.0.1:$SRV" \
	--callout "$OWFP_PLUGIN_DIR/plugin_proxy_defer.so" --control "$T/pdt.sock" \
	--events "$T/pdt.events" --defer-timeout 1
start_peer cli recv --connect "127.0.0.1:$PROXY_PORT"

wait_until 10 grep -q '"event":"defer"' "$T/pdt.events" || fail "no defer event"
# A 1 s timeout swept at least every second: well within 20 s.
wait_until 20 test -s "$T/cli.rep" || fail "the client was not reset: $(cat "$T/pdt.events")"
[ "$(report_field "$T/cli.rep" end)" = rst ] || fail "client: expected a reset, got $(cat "$T/cli.rep")"
[ "$(report_field "$T/cli.rep" bytes)" = 0 ] || fail "deferred bytes reached the client: $(cat "$T/cli.rep")"
pass "a DEFER never continued: the client is reset, no deferred byte delivered"

engine_stat() {
	"$OWFP_BIN" stats --control "$T/pdt.sock" --json |
		python3 -c "import json,sys; print(json.load(sys.stdin)['engine']['$1'])"
}
hits=$(engine_stat limits_hit)
[ "$hits" -ge 1 ] || fail "limits_hit is $hits, expected at least 1"
viol=$("$OWFP_BIN" stats --control "$T/pdt.sock" --json |
	python3 -c "import json,sys; print(sum(c['violations'] for c in json.load(sys.stdin)['engine']['callouts'] if c['name'] == 'proxy_defer'))")
[ "$viol" -ge 1 ] || fail "proxy_defer violations is $viol, expected at least 1"
pass "stats: limits_hit $hits, proxy_defer violations $viol"

# The event names the callout as the engine registered it (its key: the
# plugin registers before FwpmCalloutAdd0 gives it a display name); stats
# resolve the display name, so match the two by callout id.
cid=$("$OWFP_BIN" stats --control "$T/pdt.sock" --json |
	python3 -c "import json,sys; print([c['id'] for c in json.load(sys.stdin)['engine']['callouts'] if c['name'] == 'proxy_defer'][0])")
python3 - "$T/pdt.events" "$cid" <<'PY' || fail "no limit event naming the callout: $(grep limit "$T/pdt.events")"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
lim = [e for e in evs if e.get("event") == "limit" and e.get("callout_id") == int(sys.argv[2])
       and e.get("callout") and e.get("detail") == "callout '%s' deferred longer than 1000 ms "
       "without FwpsStreamContinue0" % e["callout"]]
sys.exit(0 if len(lim) == 1 else 1)
PY
grep -q "callout '.*' (filter [0-9]*) deferred longer than 1000 ms without FwpsStreamContinue0" "$T/pdt.err" ||
	fail "no log line naming the callout"
pass "events: one limit event names the callout (id $cid); the log names it too"

# The worker carries on: a second connection is deferred, then reset too.
start_peer cli2 recv --connect "127.0.0.1:$PROXY_PORT"
wait_until 20 test -s "$T/cli2.rep" || fail "second client was not reset"
[ "$(report_field "$T/cli2.rep" end)" = rst ] || fail "second client: $(cat "$T/cli2.rep")"
stop_proxy "$PROXY_PID"
pass "the proxy keeps serving and drains cleanly"
