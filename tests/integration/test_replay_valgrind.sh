#!/usr/bin/env bash
# Replay is valgrind-clean (no invalid access, no uninitialised use, no
# definite leak) on the demo capture with the demo filters (pattern_match
# drop + count), and with the Microsoft-style example plugin doing inline
# injection.
set -euo pipefail
: "${OWFP_BIN:?}" "${OWFP_SOURCE_DIR:?}"
# in the build tree, not /tmp: a privileged openwfp refuses plugins under a
# world-writable directory (src/wdm/plugin_trust.h)
work=$(mktemp -d "$OWFP_BUILD_DIR/replay_valgrind.XXXXXX")
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --track-origins=yes "$@"
}
passed=0

vg "$OWFP_BIN" replay -q -c "$OWFP_SOURCE_DIR/examples/demo.yaml" --extract "$work/demo" \
	--events "$work/demo.jsonl" "$OWFP_SOURCE_DIR/examples/demo.pcap" 2>"$work/vg1.log" \
	|| { cat "$work/vg1.log"; fail "valgrind reported errors on the demo replay"; }
grep -q '"drop"' "$work/demo.jsonl" || fail "the demo replay under valgrind did not drop the secret flow"
passed=$((passed + 1))

cc -shared -fPIC -I"$OWFP_SOURCE_DIR/include/openwfp" -I"$OWFP_SOURCE_DIR/include" \
	"$OWFP_SOURCE_DIR/examples/stmedit_lite/stmedit_lite.c" -o "$work/stmedit_lite.so"
OWFP_DBGPRINT=0 vg "$OWFP_BIN" replay -q --callout "$work/stmedit_lite.so" --extract "$work/st" \
	"$OWFP_SOURCE_DIR/examples/stmedit_lite/weather.pcap" 2>"$work/vg2.log" \
	|| { cat "$work/vg2.log"; fail "valgrind reported errors with the stmedit_lite plugin"; }
[ "$(grep -o sunny "$work/st/10.0.0.1.40000-10.0.0.2.80" | wc -l)" -eq 3 ] || fail "edits missing under valgrind"
passed=$((passed + 1))
echo "replay under valgrind: $passed passed, 0 failed"
