#!/usr/bin/env bash
# Flow metadata in replay: --process PORT=[PID:]PATH gives the flows of that
# local port their program (PROCESS_ID, PROCESS_PATH, ALE_APP_ID at
# ALE_FLOW_ESTABLISHED); other flows have none; an app_id filter matches
# only the named program; the driver and its callouts come from the
# configuration (drivers:, callouts: key/layer).
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_PLUGIN_DIR:?set by ctest}"
work=$(mktemp -d /tmp/owfp-replay-process.XXXXXX)
trap 'rm -rf "$work"' EXIT
pcap=$OWFP_SOURCE_DIR/examples/demo.pcap   # clients on ports 47996, 48006, 48016

config() { # config [CONDITIONS]
	cat <<EOF2
drivers:
  - path: $OWFP_PLUGIN_DIR/drv_flow_monitor.so
callouts:
  - {name: flow, key: 9c2ad1d3-6a1f-4c5e-8f0e-2b7d1e6a4b01, layer: flow_established_v4}
  - {name: stream, key: 9c2ad1d3-6a1f-4c5e-8f0e-2b7d1e6a4b02, layer: stream_v4}
filters:
  - {name: watch, layer: flow_established_v4, action: callout_inspection, callout: flow,
     conditions: [$1]}
  - {name: data, layer: stream_v4, action: callout_inspection, callout: stream}
EOF2
}

config "" >"$work/all.yaml"
"$OWFP_BIN" replay -q -c "$work/all.yaml" --process 47996=4242:/opt/app/client \
	--process 48006=/opt/other/tool "$pcap" 2>"$work/all.err" || fail "replay: $(cat "$work/all.err")"
expect_eq "flows with a known process" "$(grep -c 'pid .* path ' "$work/all.err")" 2
grep -q "pid 4242 path /opt/app/client app_id /opt/app/client\$" "$work/all.err" ||
	fail "PROCESS_ID/PATH and ALE_APP_ID of port 47996: $(cat "$work/all.err")"
ok "--process PORT=PID:PATH gives PROCESS_ID, PROCESS_PATH and ALE_APP_ID"
grep -q "pid 0 path /opt/other/tool app_id /opt/other/tool\$" "$work/all.err" ||
	fail "port 48006 without a pid: $(cat "$work/all.err")"
ok "--process PORT=PATH gives the path without PROCESS_ID"
expect_eq "flows with no --process have no process metadata" \
	"$(grep -c 'process unknown' "$work/all.err")" 1
grep -q "stream flow [0-9]* pid 4242 data" "$work/all.err" || fail "no stream report for pid 4242"
ok "the flow context reaches the stream layer"

config "{field: app_id, value: /opt/app/client}" >"$work/one.yaml"
"$OWFP_BIN" replay -q -c "$work/one.yaml" --process 47996=4242:/opt/app/client \
	--process 48006=/opt/other/tool "$pcap" 2>"$work/one.err" || fail "replay: $(cat "$work/one.err")"
expect_eq "an app_id filter matches one program's flows" "$(grep -c 'drv_flow_monitor: flow' "$work/one.err")" 1
grep -q "path /opt/app/client" "$work/one.err" || fail "the matching flow is not the app's"

rc=0; "$OWFP_BIN" replay -c "$work/one.yaml" --process 47996=client "$pcap" 2>"$work/bad.err" || rc=$?
expect_eq "--process with a relative path is a usage error" "$rc" 2
rc=0; "$OWFP_BIN" replay -c "$work/one.yaml" --driver-param nosuch.X=1 "$pcap" 2>"$work/bad.err" || rc=$?
expect_eq "--driver-param for no loaded driver is refused" "$rc" 1
grep -q "no driver named 'nosuch'" "$work/bad.err" || fail "message: $(cat "$work/bad.err")"
echo "test_replay_process: $RP_PASSED checks passed"
