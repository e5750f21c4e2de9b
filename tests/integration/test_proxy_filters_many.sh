#!/usr/bin/env bash
# Many filters (issue 17 item 7): `filters list` of more than 10,000 filters
# works (the whole list in one reply outgrew the client's 1 MiB; it now
# comes in pages), and a proxy holding them exits promptly on SIGTERM
# (deleting them used to cost a layer compile each: quadratic).
. "$(dirname "$0")/proxy_lib.sh"

# 10,500 filters make the one reply of old exceed the client's 1 MiB. Under
# ASan the load alone (the shadowed-filter scan) takes a minute and a half, so
# there 3,000 still cross three pages.
N=10500
ldd "$OWFP_BIN" | grep libasan >/dev/null && N=3000
python3 - "$N" >"$T/cfg.yaml" <<'PY'
import sys
n = int(sys.argv[1])
print("sublayers:\n  - {name: policy, weight: 40000}\nfilters:")
for i in range(n):
    print(f"  - {{name: many-filter-{i}, layer: stream_v4, sublayer: policy, weight: {i % 1000}, "
          f"action: block, conditions: [{{field: remote_port, value: {1 + i % 60000}}}]}}")
PY
start_proxy px --listen 127.0.0.1:0 --upstream 127.0.0.1:9 -c "$T/cfg.yaml" --control "$T/ctl.sock"
PXPID=$PROXY_PID
wait_until 30 test -S "$T/ctl.sock" || fail "no control socket"

"$OWFP_BIN" filters list --control "$T/ctl.sock" >"$T/list.txt" 2>"$T/list.err" ||
	fail "filters list: $(cat "$T/list.err")"
rows=$(grep -c ' many-filter-' "$T/list.txt")
[ "$rows" = "$N" ] || fail "filters list printed $rows of $N filters"
"$OWFP_BIN" filters list --control "$T/ctl.sock" --json >"$T/list.json" 2>"$T/list.err" ||
	fail "filters list --json: $(cat "$T/list.err")"
python3 - "$T/list.json" "$N" <<'PY' || fail "filters list --json is not the whole list"
import json, sys
r = json.load(open(sys.argv[1]))
ids = [f["id"] for f in r["filters"]]
assert r["ok"] and len(ids) == int(sys.argv[2]) == len(set(ids)), (len(ids), len(set(ids)))
PY
pass "filters list: all $N filters, in pages"

kill -TERM "$PXPID"
wait_until 20 sh -c "! kill -0 $PXPID" || fail "the proxy with $N filters did not exit within 20 s of SIGTERM"
rc=0
wait "$PXPID" || rc=$?
[ "$rc" = 0 ] || fail "proxy exited $rc"
pass "a proxy with $N filters exits promptly on SIGTERM"
