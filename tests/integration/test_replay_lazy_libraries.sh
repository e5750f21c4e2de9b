#!/usr/bin/env bash
# libpcap, Hyperscan (libhs) and libcrypto are loaded on first use, not
# linked (src/util/lazylib.h): a plain replay of a classic pcap maps none of
# them; stdin, --extract and a pattern_match callout each load the one they
# need and still work; and when that library cannot be loaded the run fails
# with a message naming the library and the Debian package to install.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
demo="$OWFP_SOURCE_DIR/examples/demo.pcap"
conf="$OWFP_SOURCE_DIR/examples/demo.yaml"
lib="$(dirname "$OWFP_BIN")/src/libopenwfp.so"
lazy_re='lib(pcap|hs|crypto)\.so'

# No NEEDED entry of the binary or the library names them.
needed=$(readelf -d "$OWFP_BIN" "$lib" | grep NEEDED || true)
[ -n "$needed" ] || fail "readelf -d listed no NEEDED entries at all"
if grep -E "$lazy_re" <<<"$needed"; then fail "a lazily loaded library is linked"; fi
ok "openwfp and libopenwfp.so do not link libpcap, libhs or libcrypto"

# loaded NAME CMD...: runs CMD with the dynamic loader reporting every file it
# maps; prints the SONAMEs of the lazily loaded libraries that were mapped.
loaded() {
    local name=$1
    shift
    LD_DEBUG=files LD_DEBUG_OUTPUT="$work/ld.$name" "$@" >"$work/$name.out" 2>"$work/$name.err" \
        || fail "$name: exit status $?: $(cat "$work/$name.err")"
    cat "$work/ld.$name".* | sed -nE "s/.*file=(${lazy_re}[^ ]*) .*/\1/p" | sort -u | tr '\n' ' '
}

got=$(loaded plain "$OWFP_BIN" replay -q "$demo")
expect_eq "a plain replay of a classic pcap loads none of them" "$got" ""

got=$(loaded stdin "$OWFP_BIN" replay --json - <"$demo")
case "$got" in "libpcap.so"*" ") ;; *) fail "stdin (read by libpcap) loaded '$got'" ;; esac
grep -q '"records": 30,' "$work/stdin.out" || fail "the replay from stdin did not read demo.pcap's 30 records"
ok "stdin loads libpcap only, and is replayed"
pcap_so=${got% }

got=$(loaded extract "$OWFP_BIN" replay -q --extract "$work/x" "$demo")
case "$got" in "libcrypto.so"*" ") ;; *) fail "--extract loaded '$got'" ;; esac
rows=0
while IFS=$'\t' read -r _ src sport dst dport _ sha _; do
    [ "$src" = src ] && continue
    file="$work/x/$src.$sport-$dst.$dport"
    [ "$(sha256sum <"$file" | cut -d' ' -f1)" = "$sha" ] || fail "flows.tsv's sha256 of $file is wrong"
    rows=$((rows + 1))
done <"$work/x/flows.tsv"
[ "$rows" -gt 0 ] || fail "flows.tsv has no rows"
ok "--extract loads libcrypto only, and its sha256 column matches the files ($rows rows)"
crypto_so=${got% }

got=$(loaded hs "$OWFP_BIN" replay -q -c "$conf" --events "$work/ev.jsonl" "$demo")
case "$got" in "libhs.so"*" ") ;; *) fail "a pattern_match callout loaded '$got'" ;; esac
grep -q '"drop"' "$work/ev.jsonl" || fail "pattern_match did not drop the secret flow"
ok "a pattern_match callout loads libhs only, and drops the secret flow"
hs_so=${got% }

# without "SONAME..." CMD...: runs CMD in a private mount namespace where the
# file behind each SONAME is an empty file, so loading it fails.
without() {
    local soname path paths=()
    for soname in $1; do
        path=$(ldconfig -p | awk -v s="$soname" '$1 == s { print $NF; exit }')
        [ -n "$path" ] || fail "ldconfig -p does not know $soname"
        paths+=("$(readlink -f "$path")")
    done
    shift
    set +e
    # shellcheck disable=SC2016 # expanded by the inner bash
    unshare -m bash -c 'for p in $1; do mount --bind /dev/null "$p" || exit 99; done; shift; exec "$@"' \
        _ "${paths[*]}" "$@" >"$work/out" 2>"$work/err"
    echo $?
    set -e
}

expect_eq "pattern_match without libhs fails" "$(without "$hs_so" "$OWFP_BIN" replay -q -c "$conf" "$demo")" 1
grep -q "cannot load $hs_so.*libhyperscan5" "$work/err" || fail "the message names libhs and its package: $(cat "$work/err")"
expect_eq "--extract without libcrypto fails" "$(without "$crypto_so" "$OWFP_BIN" replay -q --extract "$work/y" "$demo")" 1
grep -q "cannot load $crypto_so.*libssl3" "$work/err" || fail "the message names libcrypto and its package: $(cat "$work/err")"
# shellcheck disable=SC2016 # expanded by the inner bash
expect_eq "stdin without libpcap fails" "$(without "$pcap_so" bash -c '"$0" replay -q - <"$1"' "$OWFP_BIN" "$demo")" 1
grep -q "cannot load $pcap_so.*libpcap0.8" "$work/err" || fail "the message names libpcap and its package: $(cat "$work/err")"
expect_eq "a classic pcap replays without libpcap, libhs or libcrypto" \
    "$(without "$pcap_so $hs_so $crypto_so" "$OWFP_BIN" replay -q "$demo")" 0

echo "test_replay_lazy_libraries: $RP_PASSED passed, 0 failed"
