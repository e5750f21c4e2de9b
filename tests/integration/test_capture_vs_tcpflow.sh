#!/bin/bash
# Real loopback HTTP traffic, captured by tcpdump, reassembled by src/capture
# (through owfp-capdump) and by tcpflow: every direction of every flow must
# be identical byte for byte, with the mmap reader, the libpcap reader and
# through standard input.
set -u
: "${OWFP_SOURCE_DIR:?}" "${OWFP_BUILD_DIR:?}"
. "$OWFP_SOURCE_DIR/tests/integration/lib/capture_traffic.sh"

CAPDUMP="$OWFP_BUILD_DIR/tools/owfp-capdump"
work=$(mktemp -d)
trap 'capture_traffic_cleanup; rm -rf "$work"' EXIT
passed=0
failed=0
check() { # description, command...
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAIL: $what" >&2
        failed=$((failed + 1))
    fi
}

flows=8
capture_traffic_record "$work/t.pcap" "$flows" || { echo "FAIL: could not record traffic" >&2; exit 1; }

tcpflow -r "$work/t.pcap" -o "$work/tcpflow" >/dev/null 2>&1 || { echo "FAIL: tcpflow" >&2; exit 1; }
ref=$(cd "$work/tcpflow" && ls | grep -E '^[0-9.]+-[0-9.]+$' | sort)
check "tcpflow wrote both directions of $flows flows" test "$(echo "$ref" | wc -l)" -eq $((flows * 2))

compare_dir() { # dir
    local dir=$1 mine f
    mine=$(cd "$dir" && ls | sort)
    [ "$mine" = "$ref" ] || { echo "file sets differ: $dir" >&2; return 1; }
    for f in $ref; do
        cmp -s "$work/tcpflow/$f" "$dir/$f" || { echo "differs: $f" >&2; return 1; }
    done
}

for reader in mmap libpcap; do
    mkdir "$work/$reader"
    check "capdump -r $reader runs" "$CAPDUMP" -r "$reader" -o "$work/$reader" "$work/t.pcap"
    check "$reader reader matches tcpflow" compare_dir "$work/$reader"
done
mkdir "$work/stdin"
check "capdump reads stdin" "$CAPDUMP" -o "$work/stdin" - <"$work/t.pcap"
check "stdin matches tcpflow" compare_dir "$work/stdin"

log=$("$CAPDUMP" -l "$work/t.pcap")
check "every flow closed cleanly" test "$(echo "$log" | grep -c ' closed$')" -eq "$flows"
check "nothing missed" test "$(echo "$log" | grep -c 'missed=[1-9]')" -eq 0
check "events identical across readers" test "$log" = "$("$CAPDUMP" -r libpcap -l "$work/t.pcap")"

echo "capture_vs_tcpflow: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
