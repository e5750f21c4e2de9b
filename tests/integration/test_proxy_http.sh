#!/usr/bin/env bash
# curl and nginx through the explicit proxy, IPv4 and IPv6: with the default
# inspection callout (count) and with a callout answering ALLOW_CONNECTION
# (the flow is offloaded to splice). 100 MB each way, verified by sha256 at
# the receiver.
. "$(dirname "$0")/proxy_lib.sh"

BIG=$((100 * 1024 * 1024))
mkdir -p "$T/www"
head -c "$BIG" /dev/urandom >"$T/www/big"
printf 'hello from nginx\n' >"$T/www/small"
BIG_SHA=$(sha256sum <"$T/www/big" | cut -d' ' -f1)
UP_SHA=$(pattern_sha "$BIG")

start_nginx "$T/www"

# ---- default inspection callout (count)
start_proxy p4 --listen 127.0.0.1:0 --upstream "127.0.0.1:$NGINX_PORT" --workers 2 \
	--control "$T/p4.sock" --events "$T/p4.events"
P4=$PROXY_PORT P4PID=$PROXY_PID

got=$(curl -sS --max-time 20 "http://127.0.0.1:$P4/small") || fail "curl small (count): exit $?"
[ "$got" = "hello from nginx" ] || fail "small body through count: '$got'"
pass "curl through the default count callout"

sha=$(curl -sS --max-time 60 "http://127.0.0.1:$P4/big" | sha256sum | cut -d' ' -f1)
[ "$sha" = "$BIG_SHA" ] || fail "100 MB download through count: sha256 differs"
pass "100 MB download inspected by count, sha256 intact"

"$OWFP_BIN" stats --control "$T/p4.sock" --json >"$T/p4.stats" || fail "stats"
python3 - "$T/p4.stats" "$BIG" <<'PY' || fail "stats after the download: $(cat "$T/p4.stats")"
import json, sys
r = json.load(open(sys.argv[1])); big = int(sys.argv[2])
count = [c for c in r["engine"]["callouts"] if c["name"].startswith("count")]
assert count and sum(c["bytes_indicated"] for c in count) >= big, count
assert r["proxy"]["offloaded"] == 0 and r["proxy"]["accepted"] >= 2, r["proxy"]
assert r["proxy"]["bytes_written"]["client"] >= big, r["proxy"]
PY
pass "stats: count saw every byte, nothing offloaded"

# Upload: a client pushes 100 MB through count to a sink that hashes it.
serve_peer up1 sink
start_proxy p4up --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT"
$PEER send --connect "127.0.0.1:$PROXY_PORT" "$BIG" >/dev/null || fail "upload client"
wait_until 30 test -s "$T/up1.rep" || fail "sink never finished"
[ "$(report_field "$T/up1.rep" sha256)" = "$UP_SHA" ] || fail "100 MB upload through count: $(cat "$T/up1.rep")"
[ "$(report_field "$T/up1.rep" end)" = fin ] || fail "upload did not end with FIN"
pass "100 MB upload inspected by count, sha256 intact, FIN carried"

# ---- IPv6
# (also with --poll-spin 0: this worker sleeps at once instead of polling first)
start_proxy p6 --listen "[::1]:0" --upstream "[::1]:$NGINX_PORT" --workers 1 --poll-spin 0
got=$(curl -sS -g --max-time 20 "http://[::1]:$PROXY_PORT/small") || fail "curl over IPv6: exit $?"
[ "$got" = "hello from nginx" ] || fail "small body over IPv6: '$got'"
sha=$(curl -sS -g --max-time 60 "http://[::1]:$PROXY_PORT/big" | sha256sum | cut -d' ' -f1)
[ "$sha" = "$BIG_SHA" ] || fail "100 MB over IPv6: sha256 differs"
pass "IPv6 listen and upstream, 100 MB intact"

rc=0; "$OWFP_BIN" proxy --listen 127.0.0.1:0 --upstream "127.0.0.1:$NGINX_PORT" --poll-spin -1 \
	2>"$T/spin.err" || rc=$?
[ "$rc" = 2 ] && grep -q "poll-spin '-1': expected a count from 0" "$T/spin.err" ||
	fail "--poll-spin -1: exit $rc, $(cat "$T/spin.err")"
pass "--poll-spin rejects a negative count (exit 2, names the option)"

# ---- ALLOW_CONNECTION at once: the rest of the flow is spliced
OWFP_PROXY_ACTION=allow start_proxy pa --listen 127.0.0.1:0 --upstream "127.0.0.1:$NGINX_PORT" \
	--callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so" --control "$T/pa.sock" --events "$T/pa.events"
PA=$PROXY_PORT
sha=$(curl -sS --max-time 60 "http://127.0.0.1:$PA/big" | sha256sum | cut -d' ' -f1)
[ "$sha" = "$BIG_SHA" ] || fail "100 MB download offloaded: sha256 differs"
grep -q '"event":"proxy_offload"' "$T/pa.events" || fail "no proxy_offload event"
"$OWFP_BIN" stats --control "$T/pa.sock" --json >"$T/pa.stats"
python3 - "$T/pa.stats" "$BIG" <<'PY' || fail "stats after the offloaded download: $(cat "$T/pa.stats")"
import json, sys
r = json.load(open(sys.argv[1])); big = int(sys.argv[2])
p = r["proxy"]
assert p["offloaded"] >= 1, p
# Only the request went through the engine; the 100 MB body was spliced
# (or redirected by the sockmap, counted when the flow closed).
assert p["bytes_spliced"] + p.get("bytes_redirected", 0) >= big, p
ind = sum(r["engine"]["bytes_indicated"].values())
assert ind < 1 << 20, ind
PY
pass "ALLOW_CONNECTION: 100 MB download spliced (not indicated), sha256 intact"

serve_peer up2 sink
OWFP_PROXY_ACTION=allow start_proxy paup --listen 127.0.0.1:0 --upstream "127.0.0.1:$PEER_PORT" \
	--callout "$OWFP_PLUGIN_DIR/plugin_proxy_actions.so"
$PEER send --connect "127.0.0.1:$PROXY_PORT" "$BIG" >/dev/null || fail "offloaded upload client"
wait_until 30 test -s "$T/up2.rep" || fail "sink never finished (offloaded)"
[ "$(report_field "$T/up2.rep" sha256)" = "$UP_SHA" ] || fail "100 MB upload offloaded: $(cat "$T/up2.rep")"
[ "$(report_field "$T/up2.rep" end)" = fin ] || fail "offloaded upload did not end with FIN"
pass "ALLOW_CONNECTION: 100 MB upload spliced, sha256 intact, FIN carried"

stop_proxy "$P4PID"
pass "SIGTERM with no open connections: exit 0"
