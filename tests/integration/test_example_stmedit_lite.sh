#!/usr/bin/env bash
# examples/stmedit_lite: builds with the line its README gives, loads into
# `openwfp replay`, and edits "rainy" (once split across two segments) into
# "sunny" in what the client sent; the server's reply is untouched.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

# in the build tree, not /tmp: a privileged openwfp refuses plugins under a
# world-writable directory (src/wdm/plugin_trust.h)
work=$(mktemp -d "$OWFP_BUILD_DIR/stmedit-lite.XXXXXX")
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT
ex="$OWFP_SOURCE_DIR/examples/stmedit_lite"

cc -shared -fPIC -Wall -Wextra -Werror -I"$OWFP_SOURCE_DIR/include/openwfp" \
    -I"$OWFP_SOURCE_DIR/include" "$ex/stmedit_lite.c" -o "$work/stmedit_lite.so" \
    || fail "the example does not build with its documented line"
ok "builds with cc -shared -fPIC and the openwfp include directories"

OWFP_DBGPRINT=0 "$OWFP_BIN" replay -q --callout "$work/stmedit_lite.so" --extract "$work/out" \
    "$ex/weather.pcap" || fail "replay with the example plugin failed"
c2s="$work/out/10.0.0.1.40000-10.0.0.2.80"
s2c="$work/out/10.0.0.2.80-10.0.0.1.40000"
[ -f "$c2s" ] || fail "no extract of the client's bytes"
grep -q "rainy" "$c2s" && fail "a 'rainy' survived: $(cat "$c2s")"
expect_eq "three replacements, one across segments" "$(grep -o sunny "$c2s" | wc -l)" 3
expect_eq "the body otherwise unchanged" "$(tail -c 51 "$c2s")" \
    "$(printf 'it is sunny today, sunny tomorrow, sunny all week\r\n')"
grep -q "noted" "$s2c" || fail "the reply was not delivered"
ok "the reply is untouched"

# Settings come from the environment; a longer replacement works too.
STMEDIT_REPLACE="cloudy with a chance of meatballs" OWFP_DBGPRINT=0 "$OWFP_BIN" replay -q \
    --callout "$work/stmedit_lite.so" --extract "$work/out2" "$ex/weather.pcap"
expect_eq "a longer replacement" \
    "$(grep -o 'cloudy with a chance of meatballs' "$work/out2/10.0.0.1.40000-10.0.0.2.80" | wc -l)" 3
STMEDIT_PORT=81 OWFP_DBGPRINT=0 "$OWFP_BIN" replay -q --callout "$work/stmedit_lite.so" \
    --extract "$work/out3" "$ex/weather.pcap"
expect_eq "another port is not edited" "$(grep -o rainy "$work/out3/10.0.0.1.40000-10.0.0.2.80" | wc -l)" 3
echo "PASS: $RP_PASSED checks"
