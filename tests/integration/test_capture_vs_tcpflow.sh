#!/bin/bash
# Real loopback HTTP traffic (IPv4 and IPv6), captured by tcpdump, reassembled by src/capture
# (through owfp-capdump) and by tcpflow: every direction of every flow must
# be identical byte for byte, with the direct reader, the libpcap reader and
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

compare_dir() { # reference dir, our dir
    local ref=$1 dir=$2 names mine f
    names=$(cd "$ref" && ls | grep -E '^[0-9a-f:.]+-[0-9a-f:.]+$' | sort)
    mine=$(cd "$dir" && ls | sort)
    [ "$mine" = "$names" ] || { echo "file sets differ: $dir" >&2; return 1; }
    for f in $names; do
        cmp -s "$ref/$f" "$dir/$f" || { echo "differs: $f" >&2; return 1; }
    done
}

for addr in 127.0.0.1 ::1; do
    tag=v4
    [ "$addr" = ::1 ] && tag=v6
    pcap="$work/$tag.pcap"
    capture_traffic_record "$pcap" "$flows" "$addr" ||
        { echo "FAIL: could not record traffic on $addr" >&2; exit 1; }
    tcpflow -r "$pcap" -o "$work/$tag.tcpflow" >/dev/null 2>&1 || { echo "FAIL: tcpflow" >&2; exit 1; }
    n=$(cd "$work/$tag.tcpflow" && ls | grep -cE '^[0-9a-f:.]+-[0-9a-f:.]+$')
    check "$tag: tcpflow wrote both directions of $flows flows" test "$n" -eq $((flows * 2))

    for reader in direct libpcap; do
        mkdir "$work/$tag.$reader"
        check "$tag: capdump -r $reader runs" "$CAPDUMP" -r "$reader" -o "$work/$tag.$reader" "$pcap"
        check "$tag: $reader reader matches tcpflow" compare_dir "$work/$tag.tcpflow" "$work/$tag.$reader"
    done
    mkdir "$work/$tag.stdin"
    check "$tag: capdump reads stdin" "$CAPDUMP" -o "$work/$tag.stdin" - <"$pcap"
    check "$tag: stdin matches tcpflow" compare_dir "$work/$tag.tcpflow" "$work/$tag.stdin"

    log=$("$CAPDUMP" -l "$pcap")
    check "$tag: every flow closed cleanly" test "$(echo "$log" | grep -c ' closed$')" -eq "$flows"
    check "$tag: nothing missed" test "$(echo "$log" | grep -c 'missed=[1-9]')" -eq 0
    check "$tag: events identical across readers" test "$log" = "$("$CAPDUMP" -r libpcap -l "$pcap")"
done

echo "capture_vs_tcpflow: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
