#!/usr/bin/env bash
# curl and nginx (and openssl s_server for TLS) through the explicit proxy
# with each built-in callout, configured by file as a user would:
# count, stream_edit (inline and oob: injected bytes replace the found ones),
# http_filter, tls_sni_filter, pattern_match, rate_limit (DEFER and continue
# on a live connection), flow_log.
. "$(dirname "$0")/proxy_lib.sh"

mkdir -p "$T/www/secret"
printf 'hello from nginx\n' >"$T/www/small"
printf 'the BADWORD is here\n' >"$T/www/bad"
printf 'classified\n' >"$T/www/secret/x"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$T/www/3m"
start_nginx "$T/www"
UP=127.0.0.1:$NGINX_PORT

# with_config NAME YAML: a proxy to nginx with this configuration; sets PX.
with_config() {
	printf '%s\n' "$2" >"$T/$1.yaml"
	start_proxy "$1" --listen 127.0.0.1:0 --upstream "${3:-$UP}" -c "$T/$1.yaml" \
		--control "$T/$1.sock" --events "$T/$1.events"
	PX=$PROXY_PORT
}
curl_rc() { local rc=0; curl -sS --max-time 20 -o "$T/body" "$@" 2>"$T/curl.err" || rc=$?; echo "$rc"; }
dropped() { [ "$1" = 56 ] || [ "$1" = 52 ]; }
stat_of() { # stat_of NAME PYTHON-EXPR-ON-r
	"$OWFP_BIN" stats --control "$T/$1.sock" --json | python3 -c "import json,sys; r=json.load(sys.stdin); print($2)"
}

# ---- count (inspection): nothing changes, every byte counted
with_config count '
callouts: [{name: count, type: count}]
filters: [{name: count, layer: stream, sublayer: inspection, action: callout_inspection, callout: count}]'
[ "$(curl -sS "http://$UP/small" | sha256sum)" = "$(curl -sS "http://127.0.0.1:$PX/small" | sha256sum)" ] ||
	fail "count changed the body"
pass "count: body unchanged"

# ---- stream_edit: the found bytes are replaced by injected ones, in order, both modes
for mode in inline oob; do
	with_config "edit-$mode" "
callouts: [{name: edit, type: stream_edit, params: {find: 'hello from nginx', replace: 'HOLA from owfp!!', direction: inbound, mode: $mode}}]
filters: [{name: edit, layer: stream, action: callout_terminating, callout: edit}]"
	got=$(curl -sS --max-time 20 "http://127.0.0.1:$PX/small") || fail "stream_edit $mode: curl exit $?"
	# Same length as the original, so nginx's Content-Length still holds.
	[ "$got" = "HOLA from owfp!!" ] || fail "stream_edit $mode: got '$got'"
	sha=$(curl -sS --max-time 30 "http://127.0.0.1:$PX/3m" | sha256sum | cut -d' ' -f1)
	[ "$sha" = "$(sha256sum <"$T/www/3m" | cut -d' ' -f1)" ] || fail "stream_edit $mode: 3 MB body changed"
	pass "stream_edit ($mode): 'hello from nginx' replaced in the response; a 3 MB body without it is intact"
done

# ---- http_filter: a denied request drops the connection, others pass
with_config http '
callouts: [{name: web, type: http_filter, params: {deny: [{path: "/secret/*"}]}}]
filters: [{name: web, layer: stream, action: callout_terminating, callout: web}]'
rc=$(curl_rc "http://127.0.0.1:$PX/small")
[ "$rc" = 0 ] && [ "$(cat "$T/body")" = "hello from nginx" ] || fail "http_filter: allowed request failed ($rc)"
rc=$(curl_rc "http://127.0.0.1:$PX/secret/x")
dropped "$rc" || fail "http_filter: denied request: curl exit $rc"
[ "$(stat_of http 'sum(c["stream_actions"]["drop_connection"] for c in r["engine"]["callouts"])')" -ge 1 ] ||
	fail "http_filter: no DROP_CONNECTION counted"
pass "http_filter: /small allowed, /secret/x dropped (curl exit $rc)"

# ---- pattern_match: a pattern in the response drops the connection
with_config pat '
callouts: [{name: pat, type: pattern_match, params: {patterns: [{pattern: BADWORD, action: drop}]}}]
filters: [{name: pat, layer: stream, action: callout_terminating, callout: pat}]'
rc=$(curl_rc "http://127.0.0.1:$PX/small")
[ "$rc" = 0 ] || fail "pattern_match: clean response failed ($rc)"
rc=$(curl_rc "http://127.0.0.1:$PX/bad")
dropped "$rc" || fail "pattern_match: BADWORD response: curl exit $rc"
! grep -q BADWORD "$T/body" 2>/dev/null || fail "pattern_match: the pattern was delivered"
pass "pattern_match: BADWORD drops the connection before it is delivered (curl exit $rc)"

# ---- flow_log: one JSON line per flow, with the first bytes
with_config flog "
callouts: [{name: flog, type: flow_log, params: {path: '$T/flows.jsonl', first_bytes: 4}}]
filters: [{name: flog, layer: stream, sublayer: inspection, action: callout_inspection, callout: flog}]"
rc=$(curl_rc "http://127.0.0.1:$PX/small")
[ "$rc" = 0 ] || fail "flow_log: curl exit $rc"
wait_until 10 grep -q '' "$T/flows.jsonl" || fail "flow_log: nothing logged"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$T/flows.jsonl" || fail "flow_log: bad JSON"
pass "flow_log: the flow is logged as JSON"

# ---- rate_limit: inbound data is DEFERred and continued; the body arrives intact
with_config rate '
callouts: [{name: rate, type: rate_limit, params: {rate: 4000000, burst: 262144}}]
filters: [{name: rate, layer: stream, action: callout_terminating, callout: rate}]'
sha=$(curl -sS --max-time 30 "http://127.0.0.1:$PX/3m" | sha256sum | cut -d' ' -f1)
[ "$sha" = "$(sha256sum <"$T/www/3m" | cut -d' ' -f1)" ] || fail "rate_limit: body changed"
[ "$(stat_of rate 'sum(c["stream_actions"]["defer"] for c in r["engine"]["callouts"])')" -ge 1 ] ||
	fail "rate_limit: never deferred"
grep -q '"event":"continue"' "$T/rate.events" || fail "rate_limit: no continue event"
pass "rate_limit: 3 MB body deferred and continued, intact"

# ---- tls_sni_filter against openssl s_server
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
	-subj /CN=good.example >/dev/null 2>&1 || fail "openssl req"
TLS_PORT=$(free_port)
openssl s_server -accept "127.0.0.1:$TLS_PORT" -cert "$T/cert.pem" -key "$T/key.pem" -www \
	>"$T/s_server.log" 2>&1 &
PIDS+=("$!")
tls_up() { ss -ltn "( sport = :$TLS_PORT )" | grep -q LISTEN; }
wait_until 10 tls_up || fail "openssl s_server did not start"
with_config sni '
callouts: [{name: sni, type: tls_sni_filter, params: {deny: [evil.example]}}]
filters: [{name: sni, layer: stream, action: callout_terminating, callout: sni}]' "127.0.0.1:$TLS_PORT"
rc=$(curl_rc -k --resolve "good.example:$PX:127.0.0.1" "https://good.example:$PX/")
[ "$rc" = 0 ] || fail "tls_sni_filter: allowed name failed: curl exit $rc ($(cat "$T/curl.err"))"
rc=$(curl_rc -k --resolve "evil.example:$PX:127.0.0.1" "https://evil.example:$PX/")
[ "$rc" = 35 ] || dropped "$rc" || fail "tls_sni_filter: denied name: curl exit $rc"
pass "tls_sni_filter: good.example served, evil.example dropped in the handshake (curl exit $rc)"
