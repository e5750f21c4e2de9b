#!/usr/bin/env bash
# examples/wdk_stream_edit, a KMDF stream-edit driver written as for the
# WDK, built with openwfp-cc as its README says:
#   - replayed over its capture (tokens split across segments both ways,
#     one three ways, a false start "rai|sins", a lone "rai" before the FIN)
#     it edits both directions exactly, inline (default) and out of band
#     (EditMode=1 from --driver-param), with DEFER/FwpsStreamContinue when
#     DeferThreshold=0, and under --resegment;
#   - -v shows its WPP lines (%!FUNC!, %!STATUS!, its %!EDITMODE! and
#     %!DIRECTION! types); without -v there are none;
#   - a drivers: entry gives it parameters: and an ioctls: request
#     (outbound only) that it obeys; a bad parameter fails DriverEntry;
#   - through `openwfp proxy` between curl and a loopback server, reading
#     one small recv() at a time, it edits both directions and
#     `openwfp ioctl` reads its counters and switches editing off live.
# Under ASan every openwfp run's stderr is in $T/*.err, which proxy_lib.sh
# scans for sanitizer reports (the driver's pool memory is malloc: a leak
# in it is LeakSanitizer's too).
. "$(dirname "$0")/proxy_lib.sh"

ex="$OWFP_SOURCE_DIR/examples/wdk_stream_edit"
pcap="$ex/weather.pcap"
# In the build tree, not /tmp: a privileged openwfp refuses plugins under a
# world-writable directory (src/wdm/plugin_trust.h).
work=$(mktemp -d "$OWFP_BUILD_DIR/wdk-stream-edit.XXXXXX")
chmod 700 "$work"
CLEANUP_HOOKS+=("rm -rf '$work'")
drv="$work/wdk_stream_edit.so"

# expect_file WHAT FILE TEXT: FILE holds exactly TEXT (\r, \n escapes).
expect_file() {
	printf '%b' "$3" >"$T/want"
	cmp -s "$2" "$T/want" || fail "$1: $2 holds '$(od -c "$2" | head -8)'"
	pass "$1"
}
# call_line FILE TEXT: the line of the trace call whose message (on the
# call's second line) contains TEXT; WPP names the line the call starts on.
call_line() { echo $(($(grep -n -- "$2" "$ex/sys/$1" | head -n1 | cut -d: -f1) - 1)); }
C2S=10.0.0.1.40000-10.0.0.2.8888
S2C=10.0.0.2.8888-10.0.0.1.40000
EDITED_C2S='GET /forecast HTTP/1.1\r\nHost: weather\r\nX-Sky: sunny\r\nX-Note: sunny days, raisins, sunny nights\r\n\r\n'
EDITED_S2C='HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ntoday sunny, tomorrow sunny, then rai'

# --- the build ---------------------------------------------------------------
before=$(ls -la "$ex/sys")
(cd "$ex" && "$OWFP_BUILD_DIR/openwfp-cc" -Werror -shared -o "$drv" sys/*.c) 2>"$T/build.err" \
	|| fail "openwfp-cc did not build the example: $(cat "$T/build.err")"
[ -s "$drv" ] || fail "no $drv"
[ "$(ls -la "$ex/sys")" = "$before" ] || fail "the build wrote into sys/"
pass "openwfp-cc -shared -o wdk_stream_edit.so sys/*.c builds it (-Werror), nothing written to sys/"

# --- replay: inline, then out of band ----------------------------------------
replay() { # replay NAME ARGS...: extract into $T/NAME, stderr in $T/NAME.err
	local name=$1; shift
	OWFP_DBGPRINT=0 "$OWFP_BIN" replay --callout "$drv" --extract "$T/$name" "$@" "$pcap" \
		>"$T/$name.out" 2>"$T/$name.err" || fail "replay $name: $(tail -n 20 "$T/$name.err")"
}
replay inline -v
expect_file "inline: the client's three tokens replaced, 'raisins' left alone" "$T/inline/$C2S" "$EDITED_C2S"
expect_file "inline: the server's two tokens replaced, the lone 'rai' before the FIN kept" "$T/inline/$S2C" "$EDITED_S2C"

expect_wpp() { # expect_wpp LOG WHAT LINE
	grep -qF -- "$3" "$1" || fail "$2: no line '$3' in $(grep wpp "$1" | head -n 20)"
	pass "$2"
}
expect_wpp "$T/inline.err" "-v: DriverEntry's trace with %!FUNC!, its %!EDITMODE! type and %!STATUS!" \
	"openwfp: wpp WseTraceGuid INFORMATION WSE_INIT driver.c:$(call_line driver.c '"<-- %!FUNC!: %!EDITMODE!'): <-- DriverEntry: WseEditInline, \"rainy\" -> \"sunny\", port 8888, STATUS_SUCCESS"
expect_wpp "$T/inline.err" "-v: its %!DIRECTION! type (ItemListLong) names the direction" \
	"wpp WseTraceGuid VERBOSE WSE_INLINE inline.c:$(call_line inline.c 'may start a token'): WseInlineClassify: 3 bytes may start a token, outbound: need 2 more"
expect_wpp "$T/inline.err" "-v: the unload trace counts 3 + 2 replacements" \
	"WseEvtDriverUnload: 3 + 2 replacements, 0 failures"

replay oob -v --driver-param wdk_stream_edit.EditMode=1
expect_file "out of band (--driver-param EditMode=1): the client's bytes" "$T/oob/$C2S" "$EDITED_C2S"
expect_file "out of band: the server's bytes, FIN after the kept 'rai'" "$T/oob/$S2C" "$EDITED_S2C"
expect_wpp "$T/oob.err" "-v: out-of-band mode is named" "<-- DriverEntry: WseEditOutOfBand,"
expect_wpp "$T/oob.err" "-v: the work item edited the split token with the previous chunk's tail" \
	"outbound chunk of 27 bytes, 2 replaced, 27 out, 3 kept"
expect_wpp "$T/oob.err" "-v: the flow record is deleted with the flow" ": deleted"

# --work-items at-turns holds the work item that edits the 45 inbound bytes
# until the next turn, so the next inbound chunk finds them waiting (DEFER)
# whatever the thread timing: concurrent work items made this a race.
replay defer -v --work-items at-turns --driver-param wdk_stream_edit.EditMode=1 --driver-param wdk_stream_edit.DeferThreshold=dword:0
expect_file "out of band with DEFER: the server's bytes" "$T/defer/$S2C" "$EDITED_S2C"
expect_wpp "$T/defer.err" "DEFER while inbound bytes wait, then FwpsStreamContinue resumes the stream" \
	"FwpsStreamContinue: STATUS_SUCCESS"
cat "$T/defer.out" "$T/defer.err" >"$T/defer.all"
grep -q "answers: none [0-9]* defer [1-9]" "$T/defer.all" || fail "no DEFER in the summary: $(cat "$T/defer.out")"
grep -q "contract violations" "$T/defer.all" && fail "the driver broke a WFP rule: $(cat "$T/defer.all")"
pass "the summary counts the DEFER answers, no contract violation"

OWFP_DBGPRINT=0 "$OWFP_BIN" replay -q --callout "$drv" "$pcap" >"$T/quiet.out" 2>"$T/quiet.err" \
	|| fail "replay -q: $(cat "$T/quiet.err")"
grep -q "wpp WseTraceGuid" "$T/quiet.err" && fail "WPP lines without -v"
pass "no WPP lines without -v"

for mode in 0 1; do
	OWFP_DBGPRINT=0 "$OWFP_BIN" replay --resegment 8 --callout "$drv" \
		--driver-param "wdk_stream_edit.EditMode=$mode" --driver-param wdk_stream_edit.DeferThreshold=2 \
		"$pcap" >"$T/reseg.err" 2>&1 || fail "--resegment, EditMode=$mode: $(tail -n 20 "$T/reseg.err")"
	grep -q "0 flows differ" "$T/reseg.err" || fail "EditMode=$mode depends on segmentation: $(cat "$T/reseg.err")"
done
pass "--resegment 8: the same bytes however the capture is cut, both modes"

# --- the configuration: parameters: and ioctls: --------------------------------
SET_DIRECTIONS='CTL_CODE(0x8e5e, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)'
cat >"$T/wse.yaml" <<EOF2
drivers:
  - path: $drv
    name: wse
    parameters:
      FindText: rainy
      ReplaceText: cloudy with a chance of meatballs
      InspectPort: 8888
      EditMode: 1
    ioctls:
      - {device: WdkStreamEdit, code: '$SET_DIRECTIONS', in: "01 00 00 00"}
EOF2
OWFP_DBGPRINT=0 "$OWFP_BIN" replay -c "$T/wse.yaml" --extract "$T/cfg" "$pcap" >"$T/cfg.out" 2>"$T/cfg.err" \
	|| fail "replay -c wse.yaml: $(cat "$T/cfg.err")"
expect_file "drivers: parameters: a longer REG_SZ replacement, out of band" "$T/cfg/$C2S" \
	'GET /forecast HTTP/1.1\r\nHost: weather\r\nX-Sky: cloudy with a chance of meatballs\r\nX-Note: cloudy with a chance of meatballs days, raisins, cloudy with a chance of meatballs nights\r\n\r\n'
expect_file "drivers: ioctls: IOCTL_WSE_SET_DIRECTIONS (outbound only) left the server's bytes alone" \
	"$T/cfg/$S2C" 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ntoday rainy, tomorrow rainy, then rai'

OWFP_DBGPRINT=0 "$OWFP_BIN" replay -c "$T/wse.yaml" --driver-param wse.InspectPort=81 --extract "$T/port" "$pcap" \
	>/dev/null 2>"$T/port.err" || fail "replay with InspectPort=81: $(cat "$T/port.err")"
[ "$(grep -o rainy "$T/port/$C2S" | wc -l)" = 3 ] || fail "port 8888 was edited with InspectPort=81"
pass "--driver-param over parameters: InspectPort=81 leaves port 8888 alone"

rc=0
OWFP_DBGPRINT=0 "$OWFP_BIN" replay -v -c "$T/wse.yaml" --driver-param wse.FindText=sz: "$pcap" \
	>/dev/null 2>"$T/bad.err" || rc=$?
[ "$rc" != 0 ] || fail "an empty FindText was accepted"
grep -q 'Parameters\\FindText: not usable (STATUS_INVALID_PARAMETER)' "$T/bad.err" \
	|| fail "the driver's trace does not say why: $(cat "$T/bad.err")"
grep -q "driver 'wse' .*DriverEntry failed with NTSTATUS 0xC000000D" "$T/bad.err" \
	|| fail "openwfp does not name the driver and status: $(cat "$T/bad.err")"
pass "an empty FindText fails DriverEntry, and both the driver and openwfp say so"

# --- live, through openwfp proxy -----------------------------------------------
python3 "$ex/weather_server.py" --log "$T/server.log" >"$T/server.out" 2>"$T/server.err" &
PIDS+=("$!")
wait_until 10 grep -q "^listening on" "$T/server.out" || fail "weather_server.py did not start"
sport=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$T/server.out")
cat >"$T/live.yaml" <<EOF2
drivers:
  - path: $drv
    name: wse
    parameters: {InspectPort: $sport, EditMode: 1}
EOF2
# --read-size 3: every recv() is at most 3 bytes, so every token arrives
# split across indications, in both directions.
start_proxy live --listen 127.0.0.1:0 --upstream "127.0.0.1:$sport" -c "$T/live.yaml" \
	--control "$T/live.sock" --read-size 3 -v
curl -sS --max-time 20 -H 'X-Sky: rainy' "http://127.0.0.1:$PROXY_PORT/rainy" >"$T/curl1.out" \
	|| fail "curl through the proxy failed"
[ "$(cat "$T/curl1.out")" = "today sunny, tomorrow sunny, sunny all week" ] \
	|| fail "the client got '$(cat "$T/curl1.out")'"
if ! grep -q "^GET /sunny HTTP/1.1" "$T/server.log" || ! grep -q "^X-Sky: sunny" "$T/server.log" ||
	grep -q rainy "$T/server.log"; then
	fail "the server got: $(cat "$T/server.log")"
fi
pass "proxy: the server got 'sunny' twice, curl got the forecast edited three times"

GET_COUNTERS='CTL_CODE(0x8e5e, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)'
counters() {
	"$OWFP_BIN" ioctl --control "$T/live.sock" WdkStreamEdit "$GET_COUNTERS" --out-size 72 --json |
		python3 -c 'import json, struct, sys
r = json.load(sys.stdin); assert r["status"] == 0, r
size, mode, dirs, active, inspected, out_, in_, injected, defers, conts, fails = \
    struct.unpack("<4I7Q", bytes.fromhex(r["out"]))
print(size, mode, dirs, out_, in_, fails, int(injected > 0), int(inspected > 0))'
}
got=$(counters)
[ "$got" = "72 1 3 2 3 0 1 1" ] || fail "counters '$got', want size 72, out of band, both directions, 2 out + 3 in replaced, 0 failures"
pass "openwfp ioctl IOCTL_WSE_GET_COUNTERS: 2 + 3 replacements, no failures"

"$OWFP_BIN" ioctl --control "$T/live.sock" WdkStreamEdit 'CTL_CODE(0x8e5e, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)' \
	--in '00 00 00 00' >"$T/set.out" || fail "IOCTL_WSE_SET_DIRECTIONS: $(cat "$T/set.out")"
grep -q "^STATUS_SUCCESS" "$T/set.out" || fail "IOCTL_WSE_SET_DIRECTIONS: $(cat "$T/set.out")"
curl -sS --max-time 20 "http://127.0.0.1:$PROXY_PORT/rainy" >"$T/curl2.out" || fail "second curl failed"
[ "$(cat "$T/curl2.out")" = "today rainy, tomorrow rainy, rainy all week" ] \
	|| fail "with editing switched off the client got '$(cat "$T/curl2.out")'"
got=$(counters)
[ "$got" = "72 1 0 2 3 0 1 1" ] || fail "counters after switching off: '$got'"
pass "openwfp ioctl IOCTL_WSE_SET_DIRECTIONS 0: the next connection passes unedited"
grep -q "wpp WseTraceGuid INFORMATION WSE_IOCTL ioctl.c:[0-9]*: editing directions 0x0 from now on" "$T/live.err" \
	|| fail "no WPP line for the IOCTL in the proxy's -v log"
pass "the proxy's -v log shows the driver's WPP lines"
stop_proxy "$PROXY_PID"
grep -q "WseEvtDriverUnload: 2 + 3 replacements, 0 failures" "$T/live.err" || fail "unload trace: $(tail "$T/live.err")"
pass "the proxy unloads the driver at exit (EvtDriverUnload ran)"
echo "PASS"
