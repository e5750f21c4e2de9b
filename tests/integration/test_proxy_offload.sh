#!/usr/bin/env bash
# The offload of ALLOW_CONNECTION flows (docs/proxy.md "Offload"), in the mode
# OWFP_PROXY_OFFLOAD names (default sockmap): the switch-over loses and
# reorders nothing while bytes stream both ways, FIN and RST after it, many
# flows opening and closing without a descriptor or map entry left behind,
# and stats counting what the peers sent.
. "$(dirname "$0")/proxy_lib.sh"

MODE=${OWFP_PROXY_OFFLOAD:-sockmap}
ACTIONS=$OWFP_PLUGIN_DIR/plugin_proxy_actions.so
OP="python3 $OWFP_SOURCE_DIR/tests/integration/offload_peer.py"
# 256 MiB each way (the issue's 1 GiB takes too long on a shared 2-core machine
# under ASan; OWFP_OFFLOAD_BIG overrides).
# Under ASan (every byte checked twice over) 64 MiB.
big_default=$((256 * 1024 * 1024))
ldd "$OWFP_BIN" | grep libasan >/dev/null && big_default=$((64 * 1024 * 1024))
BIG=${OWFP_OFFLOAD_BIG:-$big_default}

stat_json() { "$OWFP_BIN" stats --control "$1" --json; }
stat_field() { # stat_field SOCK PYEXPR(p)
	stat_json "$1" | python3 -c "import json,sys; p=json.load(sys.stdin)['proxy']; print($2)"
}
# The proxy's BPF maps (by their descriptors) and their entries, via bpftool.
map_entries() { # map_entries PID NAME
	local id
	id=$(grep -l "^map_type" /proc/"$1"/fdinfo/* 2>/dev/null | while read -r f; do
		sed -n 's/^map_id:[[:space:]]*//p' "$f"; done | while read -r i; do
		bpftool -j map show id "$i" | python3 -c "import json,sys; m=json.load(sys.stdin); print(m['id'] if m.get('name')=='$2' else '')"
	done | grep -v '^$' | head -n 1)
	[ -n "$id" ] || { echo none; return; }
	bpftool -j map dump id "$id" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}
nfds() { ls /proc/"$1"/fd | wc -l; }
stat_is() { [ "$(stat_field "$1" "$2")" = "$3" ]; } # stat_is SOCK PYEXPR VALUE

# ---- start-up names the mode in use
OWFP_PROXY_ACTION=allow start_proxy pbig --listen 127.0.0.1:0 --upstream 127.0.0.1:9 \
	--callout "$ACTIONS" --offload "$MODE" --workers 1 --control "$T/big.sock" --events "$T/big.events"
grep -qx "offload: $MODE" "$T/pbig.out" || fail "start-up line: $(cat "$T/pbig.out")"
[ "$(stat_field "$T/big.sock" 'p["offload"]')" = "$MODE" ] || fail "stats do not say $MODE"
stop_proxy "$PROXY_PID"
pass "start-up and stats say offload: $MODE"
rc=0; "$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream 127.0.0.1:9 --offload bogus 2>"$T/bogus.err" || rc=$?
[ "$rc" = 2 ] && grep -q "offload 'bogus': expected sockmap, splice or none" "$T/bogus.err" ||
	fail "--offload bogus: exit $rc, $(cat "$T/bogus.err")"
pass "--offload rejects an unknown mode (exit 2, names the modes)"

# ---- a large transfer both ways at once, ALLOW at the first indication (mid-stream)
rm -f "$T/dsrv.ready"
port=$(free_port)
$OP duplex-server --listen "127.0.0.1:$port" "$BIG" --out "$T/dsrv.rep" >/dev/null 2>"$T/dsrv.err" &
PIDS+=("$!")
wait_until 10 bash -c "ss -ltn '( sport = :$port )' | grep -q LISTEN" || fail "duplex server did not start"
OWFP_PROXY_ACTION=allow start_proxy pbig2 --listen 127.0.0.1:0 --upstream "127.0.0.1:$port" \
	--callout "$ACTIONS" --offload "$MODE" --workers 1 --control "$T/big2.sock" --events "$T/big2.events"
$OP duplex-client --connect "127.0.0.1:$PROXY_PORT" "$BIG" --out "$T/dcli.rep" >/dev/null 2>"$T/dcli.err" ||
	fail "duplex client: $(cat "$T/dcli.err")"
wait_until 30 test -s "$T/dsrv.rep" || fail "duplex server never finished"
want=$(pattern_sha "$BIG")
for r in dsrv dcli; do
	[ "$(report_field "$T/$r.rep" sha256)" = "$want" ] || fail "$r got $(cat "$T/$r.rep")"
	[ "$(report_field "$T/$r.rep" end)" = fin ] || fail "$r did not see FIN: $(cat "$T/$r.rep")"
done
grep -q "\"event\":\"proxy_offload\".*\"detail\":\"$MODE\"" "$T/big2.events" || fail "no proxy_offload $MODE event"
wait_until 10 grep -q '"event":"proxy_close"' "$T/big2.events" || fail "no proxy_close event"
stat_json "$T/big2.sock" >"$T/big2.stats"
python3 - "$T/big2.stats" "$BIG" "$T/big2.events" <<'PY' || fail "byte counts: $(cat "$T/big2.stats")"
import json, sys
p = json.load(open(sys.argv[1]))["proxy"]; big = int(sys.argv[2])
assert p["bytes_read"] == {"client": big, "upstream": big}, p
assert p["bytes_written"] == {"client": big, "upstream": big}, p
assert p["sockmap_no_peer"] == 0 and p["sockmap_flows"] == 0, p
close = [json.loads(l) for l in open(sys.argv[3]) if '"proxy_close"' in l][0]
assert close["bytes_to_client"] == big and close["bytes_to_upstream"] == big, close
assert close["detail"] == "closed", close
PY
pass "$((BIG >> 20)) MiB each way at once, offloaded mid-stream: sha256 and FIN both ways, stats and close event count $BIG each way"

# ---- the switch-over under load: 64 flows at once, each streaming 1 MiB while it switches
port=$(free_port)
$OP many-server --listen "127.0.0.1:$port" --count 64 >/dev/null 2>"$T/hsrv.err" &
PIDS+=("$!")
wait_until 10 bash -c "ss -ltn '( sport = :$port )' | grep -q LISTEN" || fail "echo server did not start"
OWFP_PROXY_ACTION=allow start_proxy pham --listen 127.0.0.1:0 --upstream "127.0.0.1:$port" \
	--callout "$ACTIONS" --offload "$MODE" --control "$T/ham.sock"
touch "$T/ham.go"
$OP many-client --connect "127.0.0.1:$PROXY_PORT" --count 64 --bytes $((1024 * 1024)) --hold "$T/ham.go" \
	>"$T/hcli.out" 2>"$T/hcli.err" || fail "switch-over under load: $(cat "$T/hcli.out" "$T/hcli.err")"
[ "$(stat_field "$T/ham.sock" 'p["sockmap_no_peer"]')" = 0 ] || fail "bytes met the verdict before their peer entry"
pass "64 flows switch over while streaming 1 MiB each way: every echo intact"

# ---- half-close after the offload: the reply still flows after the client's FIN
serve_peer half sink --reply 'reply after half-close'
OWFP_PROXY_ACTION=allow start_proxy phalf --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS" --offload "$MODE" --events "$T/half.events"
$PEER send --connect "127.0.0.1:$PROXY_PORT" $((8 * 1024 * 1024)) --out "$T/halfc.rep" >/dev/null
[ "$(report_field "$T/half.rep" sha256)" = "$(pattern_sha $((8 * 1024 * 1024)))" ] || fail "half-close: server got $(cat "$T/half.rep")"
[ "$(report_field "$T/half.rep" end)" = fin ] || fail "half-close: server did not see FIN"
[ "$(report_field "$T/halfc.rep" sha256)" = "$(printf 'reply after half-close' | sha256sum | cut -d' ' -f1)" ] ||
	fail "half-close: client got $(cat "$T/halfc.rep")"
[ "$(report_field "$T/halfc.rep" end)" = fin ] || fail "half-close: client did not see FIN"
grep -q '"event":"proxy_offload"' "$T/half.events" || fail "half-close: the flow was not offloaded"
pass "half-close after the offload: 8 MiB then FIN to the server, its reply then FIN to the client"

# ---- RST after the offload, from the server and from the client
# Each RST waits until the proxy reported the offload (--rst-after): with
# the RST right behind the data, a slow (ASan) proxy could still be copying
# when it came, and the flow was never offloaded.
serve_peer rsts source $((4 * 1024 * 1024)) --rst --rst-after "$T/rsts.go"
OWFP_PROXY_ACTION=allow start_proxy prsts --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS" --offload "$MODE" --events "$T/rsts.events"
$PEER send --connect "127.0.0.1:$PROXY_PORT" 0 --data 'hello' --out "$T/rstsc.rep" >/dev/null &
PIDS+=("$!")
wait_until 60 grep -q '"event":"proxy_offload"' "$T/rsts.events" || fail "server RST: the flow was not offloaded"
touch "$T/rsts.go"
wait_until 10 test -s "$T/rstsc.rep" || fail "server RST: client never finished"
[ "$(report_field "$T/rstsc.rep" end)" = rst ] || fail "server RST: client saw $(cat "$T/rstsc.rep")"
grep -q '"event":"proxy_offload"' "$T/rsts.events" || fail "server RST: the flow was not offloaded"
pass "an RST from the server after the offload reaches the client"

serve_peer rstc sink
OWFP_PROXY_ACTION=allow start_proxy prstc --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$ACTIONS" --offload "$MODE" --events "$T/rstc.events"
$PEER send --connect "127.0.0.1:$PROXY_PORT" $((1024 * 1024)) --rst --rst-after "$T/rstc.go" >/dev/null &
PIDS+=("$!")
wait_until 60 grep -q '"event":"proxy_offload"' "$T/rstc.events" || fail "client RST: the flow was not offloaded"
touch "$T/rstc.go"
wait_until 10 test -s "$T/rstc.rep" || fail "client RST: server never finished"
[ "$(report_field "$T/rstc.rep" end)" = rst ] || fail "client RST: server saw $(cat "$T/rstc.rep")"
grep -q '"event":"proxy_offload"' "$T/rstc.events" || fail "client RST: the flow was not offloaded"
pass "an RST from the client after the offload reaches the server"

# ---- 1,000 offloaded flows open at once, then closed: no descriptor or map entry left
N=1000
port=$(free_port)
$OP many-server --listen "127.0.0.1:$port" --count $N >/dev/null 2>"$T/msrv.err" &
PIDS+=("$!")
wait_until 10 bash -c "ss -ltn '( sport = :$port )' | grep -q LISTEN" || fail "echo server did not start"
OWFP_PROXY_ACTION=allow start_proxy pmany --listen 127.0.0.1:0 --upstream "127.0.0.1:$port" \
	--callout "$ACTIONS" --offload "$MODE" --control "$T/many.sock"
MPID=$PROXY_PID
fds0=$(nfds "$MPID")
$OP many-client --connect "127.0.0.1:$PROXY_PORT" --count $N --hold "$T/many.go" >"$T/mcli.out" 2>"$T/mcli.err" &
CPID=$!
PIDS+=("$CPID")
wait_until 60 stat_is "$T/many.sock" 'p["offloaded"]' $N ||
	fail "not all $N flows were offloaded: $(stat_json "$T/many.sock")"
[ "$(stat_field "$T/many.sock" 'p["active"]')" = $N ] || fail "not $N flows open at once"
if [ "$MODE" = sockmap ]; then
	[ "$(stat_field "$T/many.sock" 'p["sockmap_flows"]')" = $N ] || fail "sockmap_flows is not $N"
	[ "$(map_entries "$MPID" owfp_socks)" = $((2 * N)) ] || fail "owfp_socks has not $((2 * N)) entries"
fi
touch "$T/many.go"
wait "$CPID" || fail "many flows: $(cat "$T/mcli.out" "$T/mcli.err")"
grep -qx "ok=$N" "$T/mcli.out" || fail "many flows: $(cat "$T/mcli.out")"
wait_until 30 stat_is "$T/many.sock" 'p["active"]' 0 || fail "flows still open after the peers closed"
[ "$(nfds "$MPID")" = "$fds0" ] || fail "descriptors: $fds0 before, $(nfds "$MPID") after"
if [ "$MODE" = sockmap ]; then
	[ "$(stat_field "$T/many.sock" 'p["sockmap_flows"]')" = 0 ] || fail "sockmap_flows is not 0"
	for m in owfp_socks owfp_peers owfp_nopeer; do
		[ "$(map_entries "$MPID" $m)" = 0 ] || fail "$m still has $(map_entries "$MPID" $m) entries"
	done
	[ "$(stat_field "$T/many.sock" 'p["sockmap_no_peer"]')" = 0 ] || fail "bytes met no peer entry"
fi
stop_proxy "$MPID"
pass "$N offloaded flows open at once, then closed: descriptors back to $fds0, maps empty"
