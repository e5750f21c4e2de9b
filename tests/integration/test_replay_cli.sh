#!/usr/bin/env bash
# The command line contract of `openwfp replay` and `openwfp check-config`:
# exit statuses (0 done, 1 bad input naming the file, 2 bad usage), help,
# configuration errors with FILE:LINE:COLUMN, --json, --events, --local and
# standard input.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
demo="$OWFP_SOURCE_DIR/examples/demo.pcap"

status() { # prints the exit status of the command, output to $work/out, $work/err
    set +e
    "$@" >"$work/out" 2>"$work/err"
    echo $?
    set -e
}

expect_eq "no arguments is bad usage" "$(status "$OWFP_BIN")" 2
expect_eq "unknown command" "$(status "$OWFP_BIN" frobnicate)" 2
expect_eq "replay without a capture" "$(status "$OWFP_BIN" replay)" 2
expect_eq "replay with an unknown option" "$(status "$OWFP_BIN" replay --frobnicate "$demo")" 2
grep -q "Try 'openwfp replay --help'" "$work/err" || fail "usage errors point at --help"
expect_eq "--local with a bad value" "$(status "$OWFP_BIN" replay --local 300.1.1.1 "$demo")" 2
expect_eq "--overlap with a bad value" "$(status "$OWFP_BIN" replay --overlap middle "$demo")" 2
expect_eq "--drain-timeout with a bad value" "$(status "$OWFP_BIN" replay --drain-timeout soon "$demo")" 2
expect_eq "-c without its argument" "$(status "$OWFP_BIN" replay -c)" 2
expect_eq "check-config without a file" "$(status "$OWFP_BIN" check-config)" 2

expect_eq "--help" "$(status "$OWFP_BIN" --help)" 0
for cmd in replay check-config; do
    grep -q "^  $cmd " "$work/out" || fail "openwfp --help lists $cmd"
done
expect_eq "replay --help" "$(status "$OWFP_BIN" replay --help)" 0
for opt in --config --callout --extract --events --json --local --drain-timeout --overlap \
    --verify-checksums --quiet --verbose Examples:; do
    grep -q -- "$opt" "$work/out" || fail "replay --help documents $opt"
done
ok "replay --help documents every option and has examples"
expect_eq "help replay is replay --help" "$(status "$OWFP_BIN" help replay)" 0
expect_eq "--version" "$(status "$OWFP_BIN" --version)" 0
grep -qE '^openwfp [0-9]+\.[0-9]+\.[0-9]+$' "$work/out" || fail "--version prints the version"

expect_eq "a missing capture is bad input" "$(status "$OWFP_BIN" replay "$work/nope.pcap")" 1
grep -q "nope.pcap" "$work/err" || fail "the message names the missing capture: $(cat "$work/err")"
printf 'not a capture at all, just text\n' >"$work/junk.pcap"
expect_eq "a file that is not a capture is bad input" "$(status "$OWFP_BIN" replay "$work/junk.pcap")" 1
grep -q "junk.pcap" "$work/err" || fail "the message names the bad capture"

# Configuration errors name FILE:LINE:COLUMN, in check-config and in replay.
cat >"$work/bad.yaml" <<'YAML'
filters:
  - name: web
    layer: stream
    action: callout_terminating
    callout: nosuch
YAML
expect_eq "check-config of a bad file" "$(status "$OWFP_BIN" check-config "$work/bad.yaml")" 1
grep -q "bad.yaml:5:14: unknown callout 'nosuch'" "$work/err" || fail "check-config names file:line:col: $(cat "$work/err")"
expect_eq "replay -c of a bad file" "$(status "$OWFP_BIN" replay -c "$work/bad.yaml" "$demo")" 1
grep -q "bad.yaml:5:14: unknown callout 'nosuch'" "$work/err" || fail "replay names file:line:col: $(cat "$work/err")"
printf 'filters: [\n' >"$work/syntax.yaml"
expect_eq "check-config of a syntax error" "$(status "$OWFP_BIN" check-config "$work/syntax.yaml")" 1
grep -q "syntax.yaml:2:1: YAML syntax error" "$work/err" || fail "syntax errors name file:line:col: $(cat "$work/err")"
expect_eq "check-config of the demo" "$(status "$OWFP_BIN" check-config "$OWFP_SOURCE_DIR/examples/demo.yaml")" 0
grep -q "OK (1 sublayers, 2 callouts, 2 filters)" "$work/out" || fail "check-config reports counts"
echo '{"filters": [{"name": "j", "layer": "stream_v4", "action": "block"}]}' >"$work/c.json"
expect_eq "check-config of JSON" "$(status "$OWFP_BIN" check-config "$work/c.json")" 0

# --json is one JSON object; --events is JSON Lines with flow start/end.
expect_eq "replay --json" "$(status "$OWFP_BIN" replay --json --events "$work/ev.jsonl" "$demo")" 0
"$(py)" - "$work/out" "$work/ev.jsonl" <<'PY' || fail "--json / --events content"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["flows"]["total"] == 3, s["flows"]
assert s["ends"]["c2s"]["fin"] == 3
assert any(c["name"] == "count" and c["classify_calls"] > 0 for c in s["callouts"]), s["callouts"]
ev = [json.loads(l) for l in open(sys.argv[2])]
starts = [e for e in ev if e["event"] == "flow_start"]
ends = [e for e in ev if e["event"] == "flow_end"]
assert len(starts) == 3 and len(ends) == 3
assert starts[0]["client"]["addr"] == "127.0.0.1" and starts[0]["local"] == "client"
assert all(e["end"] == {"c2s": "fin", "s2c": "fin"} for e in ends)
PY
ok "--json summary and --events JSON Lines"

# --local: the client is local by default, so server data is inbound
# (RECEIVE); with --local server, client data is.
cat >"$work/pm.yaml" <<'YAML'
callouts: [{name: pm, type: pattern_match, params: {patterns: [NEVER-IN-THE-DEMO]}}]
filters: [{name: all, layer: stream, action: callout_terminating, callout: pm}]
YAML
"$OWFP_BIN" replay -q -c "$work/pm.yaml" --events "$work/ev-client.jsonl" "$demo"
"$OWFP_BIN" replay -q -c "$work/pm.yaml" --local server --events "$work/ev-server.jsonl" "$demo"
"$OWFP_BIN" replay -q -c "$work/pm.yaml" --local 127.0.0.0/8 --events "$work/ev-prefix.jsonl" "$demo"
dirs() { # first decision's dir for flow 1's first client bytes (offset 0, 89 bytes)
    "$(py)" -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["event"] == "decision" and e.get("flow") == 1 and e.get("bytes") == 89:
        print(e["dir"]); break' "$1"
}
expect_eq "--local client: the request is outbound" "$(dirs "$work/ev-client.jsonl")" outbound
expect_eq "--local server: the request is inbound" "$(dirs "$work/ev-server.jsonl")" inbound
expect_eq "--local 127.0.0.0/8: the client (inside) is local" "$(dirs "$work/ev-prefix.jsonl")" outbound
grep -q '"local":"server"' "$work/ev-server.jsonl" || fail "flow_start says which side is local"

# Standard input.
"$OWFP_BIN" replay -q --extract "$work/stdin" - <"$demo"
expect_eq "a capture on standard input" "$(($(wc -l <"$work/stdin/flows.tsv") - 1))" 6

# Several captures in one run: one engine, flow ids go on, and the same
# 5-tuples seen again get ~2 names.
"$OWFP_BIN" replay -q --extract "$work/two" "$demo" "$demo"
expect_eq "two captures: rows of both" "$(($(wc -l <"$work/two/flows.tsv") - 1))" 12
expect_eq "two captures: flow ids continue" "$(tail -n +2 "$work/two/flows.tsv" | cut -f1 | sort -un | tr '\n' ' ')" "1 2 3 4 5 6 "
[ "$(ls "$work/two" | grep -c '~2$')" -eq 6 ] || fail "two captures: the second run's files get ~2"
ok "two captures: the second run's files get ~2"

# -q prints nothing on success; the text summary names the sections.
expect_eq "-q" "$(status "$OWFP_BIN" replay -q "$demo")" 0
[ ! -s "$work/out" ] || fail "-q printed a summary"
"$OWFP_BIN" replay "$demo" >"$work/text"
for section in "flows:" "callouts:" "top talkers" "missed and held:"; do
    grep -q "$section" "$work/text" || fail "text summary has '$section'"
done
ok "text summary sections"
# The documentation stays true: the complete example in docs/configuration.md
# is valid, and the man page documents every replay option.
"$(py)" - "$OWFP_SOURCE_DIR/docs/configuration.md" "$work/doc.yaml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = re.search(r"## A complete example\n\n```yaml\n(.*?)```", text, re.S).group(1)
open(sys.argv[2], "w").write(block)
PY
expect_eq "docs/configuration.md's complete example passes check-config" \
    "$(status "$OWFP_BIN" check-config "$work/doc.yaml")" 0
for opt in config callout extract events json local 'drain\-timeout' overlap 'verify\-checksums' \
    'driver\-param' process \
    quiet verbose; do
    grep -qF -- "\\-\\-$opt" "$OWFP_SOURCE_DIR/docs/openwfp.1" || fail "docs/openwfp.1 documents --$opt"
done
ok "the man page documents every replay option"
# A file that is not a capture: one line saying so, first and only.
printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' >"$work/request.txt"
expect_eq "a text file is bad input" "$(status "$OWFP_BIN" replay "$demo" "$work/request.txt")" 1
[ ! -s "$work/out" ] || fail "a report was printed for a run that read nothing: $(cat "$work/out")"
expect_eq "one line on stderr" "$(wc -l <"$work/err")" 1
grep -q "request.txt: not a capture: expected pcap or pcapng, and it looks like text (\"GET / HTTP/1.1\")" "$work/err" \
    || fail "the message: $(cat "$work/err")"
gzip -c "$demo" >"$work/demo.pcap.gz"
expect_eq "a compressed capture is bad input" "$(status "$OWFP_BIN" replay "$work/demo.pcap.gz")" 1
grep -q "gzip-compressed: decompress it first" "$work/err" || fail "the message: $(cat "$work/err")"
: >"$work/empty.pcap"
expect_eq "an empty file is bad input" "$(status "$OWFP_BIN" replay --resegment 2 "$work/empty.pcap")" 1
grep -q "empty.pcap: not a capture: expected pcap or pcapng, and the file is empty" "$work/err" \
    || fail "the message (--resegment): $(cat "$work/err")"
expect_eq "text on standard input is bad input" "$(status "$OWFP_BIN" replay - <"$work/request.txt")" 1
[ ! -s "$work/out" ] || fail "a report was printed for standard input that was not a capture"
grep -q "expected pcap or pcapng" "$work/err" || fail "the message (stdin): $(cat "$work/err")"
ok "a file that is not a capture is said to be one, with what it looks like, and nothing else"
echo "test_replay_cli: $RP_PASSED checks passed"
