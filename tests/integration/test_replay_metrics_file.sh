#!/usr/bin/env bash
# `openwfp replay --metrics-file FILE` writes the run's final counters in the
# Prometheus text format (node-exporter's textfile collector): the file
# parses with Prometheus' own parser (python3-prometheus-client), agrees
# with the --json report, has one series per callout name (the callouts a
# built-in adds per family summed), and replaces an old file whole.
set -euo pipefail
: "${OWFP_BIN:?}" "${OWFP_SOURCE_DIR:?}"
T=$(mktemp -d /tmp/owfp-metrics-file.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "stale" >"$T/openwfp.prom"
"$OWFP_BIN" replay -c "$OWFP_SOURCE_DIR/examples/demo.yaml" --json \
	--metrics-file "$T/openwfp.prom" "$OWFP_SOURCE_DIR/examples/demo.pcap" >"$T/report.json" ||
	fail "replay failed"
ls "$T" | grep -q '\.tmp\.' && fail "temporary file left behind"

# Debian's interpreter, which python3-prometheus-client is installed for.
/usr/bin/python3 - "$T/openwfp.prom" "$T/report.json" <<'PY' || fail "metrics file checks failed"
import json, sys
from prometheus_client.parser import text_string_to_metric_families
text = open(sys.argv[1]).read()
rep = json.load(open(sys.argv[2]))
m = {}
for fam in text_string_to_metric_families(text):
    for s in fam.samples:
        key = (s.name, tuple(sorted(s.labels.items())))
        assert key not in m, f"duplicate series {key}"
        m[key] = s.value
def val(name, **labels):
    return m[(name, tuple(sorted(labels.items())))]
flows = val("openwfp_replay_flows_total")
assert flows > 0, flows
assert flows == rep["flows"]["total"], (flows, rep["flows"])
dropped = val("openwfp_flows_dropped_total")
assert dropped >= 1, "demo.yaml drops the TOP-SECRET flow"
assert val("openwfp_callout_answers_total", callout="secrets", action="drop_connection") >= 1
assert val("openwfp_callout_classify_calls_total", callout="count") > 0
names = {k[1][0][1] for k in m if k[0] == "openwfp_callout_classify_calls_total"}
assert names == {"secrets", "count"}, names
assert any(k[0] == "openwfp_build_info" for k in m)
print(f"ok - {len(m)} series, {int(flows)} flows, {int(dropped)} dropped")
PY
echo "ok - replay --metrics-file"
