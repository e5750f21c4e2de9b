#!/usr/bin/env bash
# `openwfp check-config` warns about filters that can never run, naming both
# filters and their places in the file, and still says the file is valid
# (exit 0); a file without such filters gets no warning. `replay -c` gives
# the same warning. The rule: docs/configuration.md, "Filters that never run".
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat >"$work/shadow.yaml" <<'YAML'
sublayers:
  - {name: policy, weight: 40000}
callouts:
  - name: web
    type: http_filter
    params: {deny: [{path: "/admin*"}]}
  - name: secrets
    type: pattern_match
    params:
      patterns: [{name: marker, pattern: "TOP-SECRET", action: drop}]
filters:
  - name: web-policy
    layer: stream
    sublayer: policy
    weight: 1000
    conditions: [{field: remote_port, value: [80, 443]}]
    action: callout_terminating
    callout: web
  - name: find-secrets
    layer: stream
    sublayer: policy
    weight: 10
    conditions:
      - {field: remote_port, value: 80}
      - {field: direction, value: outbound}
    action: callout_inspection
    callout: secrets
  - name: secrets-elsewhere
    layer: stream
    sublayer: inspection
    conditions: [{field: remote_port, value: 80}]
    action: callout_inspection
    callout: secrets
YAML

set +e
"$OWFP_BIN" check-config "$work/shadow.yaml" >"$work/out" 2>"$work/err"
rc=$?
set -e
expect_eq "check-config of a file with a shadowed filter is still valid" "$rc" 0
grep -q "OK (1 sublayers, 2 callouts, 3 filters), 1 warning$" "$work/out" ||
    fail "the OK line counts the warning: $(cat "$work/out")"
want="openwfp check-config: $work/shadow.yaml:19:5: warning: filter 'find-secrets' never runs (stream_v4, stream_v6): filter 'web-policy' ($work/shadow.yaml:12:5) comes first in sublayer 'policy', matches every connection 'find-secrets' matches, and always decides (callout_terminating 'web'); give 'find-secrets' a higher weight, or put it in another sublayer"
expect_eq "the warning names both filters, their lines and the layers" "$(cat "$work/err")" "$want"

# Once it comes first, nothing is shadowed.
sed 's/weight: 10$/weight: 2000/' "$work/shadow.yaml" >"$work/fixed.yaml"
set +e
"$OWFP_BIN" check-config "$work/fixed.yaml" >"$work/out" 2>"$work/err"
rc=$?
set -e
expect_eq "check-config of the fixed file" "$rc" 0
expect_eq "no warning once the weights are right" "$(cat "$work/err")" ""
grep -q "OK (1 sublayers, 2 callouts, 3 filters)$" "$work/out" || fail "OK line: $(cat "$work/out")"

"$OWFP_BIN" check-config "$OWFP_SOURCE_DIR/examples/demo.yaml" >"$work/out" 2>"$work/err"
expect_eq "the demo configuration has no shadowed filter" "$(cat "$work/err")" ""

"$OWFP_BIN" replay -c "$work/shadow.yaml" "$OWFP_SOURCE_DIR/examples/demo.pcap" >"$work/out" 2>"$work/err"
grep -q "^openwfp: $work/shadow.yaml:19:5: warning: filter 'find-secrets' never runs" "$work/err" ||
    fail "replay -c warns too: $(cat "$work/err")"
ok "replay -c gives the same warning"
"$OWFP_BIN" replay -q -c "$work/shadow.yaml" "$OWFP_SOURCE_DIR/examples/demo.pcap" >"$work/out" 2>"$work/err"
expect_eq "replay -q does not warn" "$(cat "$work/err")" ""
echo "$RP_PASSED checks passed"
