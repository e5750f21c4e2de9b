#!/usr/bin/env bash
# `openwfp stats` shows what is configured now: one row per callout with the
# layers it is added at (not one row per family), and after a SIGHUP reload
# the new configuration's callouts only (no old ones by GUID), in columns
# that stay aligned however long a name is. The reload also warns about a
# filter that can never run (docs/configuration.md, "Filters that never run").
. "$(dirname "$0")/proxy_lib.sh"

cat >"$T/cfg.yaml" <<'YAML'
callouts:
  - {name: before, type: count}
filters:
  - {name: count-before, layer: stream, sublayer: inspection, action: callout_inspection, callout: before}
YAML

serve_peer s1 sink --count 2
start_proxy st --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" -c "$T/cfg.yaml" \
	--control "$T/st.sock"
STPID=$PROXY_PID ST=$PROXY_PORT
! grep -q warning "$T/st.err" || fail "a configuration without shadowed filters warned: $(cat "$T/st.err")"

$PEER send --connect "127.0.0.1:$ST" 0 --data 'one' >/dev/null
wait_until 10 test -s "$T/s1.rep.1" || fail "connection 1 never finished"

# callouts_json EXPR: evaluates EXPR over the stats reply's callout list `c`.
callouts_json() {
	"$OWFP_BIN" stats --control "$T/st.sock" --json |
		python3 -c "import json,sys; c=json.load(sys.stdin)['engine']['callouts']; print($1)"
}
classified() { [ "$(callouts_json "$1")" != 0 ]; }
wait_until 10 classified 'c[0]["classify_calls"]' || fail "the callout never classified"
got=$(callouts_json '[(x["name"], x["layers"]) for x in c]')
[ "$got" = "[('before', ['stream_v4', 'stream_v6'])]" ] || fail "before reload: $got"
pass "stats: one row per callout, with its layers"

long=a-callout-name-longer-than-the-old-24-column
cat >"$T/cfg.yaml" <<YAML
sublayers:
  - {name: policy, weight: 40000}
callouts:
  - {name: $long, type: count}
filters:
  - {name: count-after, layer: stream, sublayer: inspection, action: callout_inspection, callout: $long}
  - {name: allow-all, layer: stream, sublayer: policy, weight: 100, action: permit}
  - {name: never, layer: stream_v4, sublayer: policy, weight: 1, action: block,
     conditions: [{field: remote_port, value: $PEER_PORT}]}
YAML
kill -HUP "$STPID"
wait_until 10 grep -q 'configuration reloaded' "$T/st.err" || fail "no reload message: $(cat "$T/st.err")"
grep -q "cfg.yaml:8:5: warning: filter 'never' never runs (stream_v4): filter 'allow-all' (.*cfg.yaml:7:5) comes first in sublayer 'policy'" \
	"$T/st.err" || fail "the reload did not warn about the shadowed filter: $(cat "$T/st.err")"
pass "the reload warns about a filter that can never run, naming both filters"

$PEER send --connect "127.0.0.1:$ST" 0 --data 'two' >/dev/null
wait_until 10 test -s "$T/s1.rep.2" || fail "connection 2 never finished"
wait_until 10 classified 'c[0]["classify_calls"]' || fail "the new callout never classified"
got=$(callouts_json '[(x["name"], x["layers"], len(x["ids"])) for x in c]')
[ "$got" = "[('$long', ['stream_v4', 'stream_v6'], 2)]" ] || fail "after reload: $got"

"$OWFP_BIN" stats --control "$T/st.sock" >"$T/stats.txt" || fail "stats"
python3 - "$T/stats.txt" "$long" <<'PY' || fail "stats text after reload: $(cat "$T/stats.txt")"
import sys
lines = open(sys.argv[1]).read().splitlines()
head = [i for i, l in enumerate(lines) if l.startswith("CALLOUT")]
assert len(head) == 1, lines
table = lines[head[0]:]
assert len(table) == 2, table                       # the header and one row
assert table[1].split()[0] == sys.argv[2], table    # the new callout, not 'before', no GUID
assert table[1].split()[1] == "stream_v4,stream_v6", table
# Aligned: the text columns start under their headers, the numbers end
# under theirs.
assert table[1].index("stream_v4") == table[0].index("LAYERS"), table
assert len(table[0]) == len(table[1]), table
for name in ("CLASSIFY", "INDICATED", "VIOL"):
    end = table[0].index(name) + len(name)
    assert table[1][end - 1] != " " and table[1][end:end + 1] in ("", " "), (name, table)
PY
pass "after a reload: only the configured callout, one row, columns aligned"
stop_proxy "$STPID"
