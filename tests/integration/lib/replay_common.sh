# Shared by the replay integration tests. Source after `set -euo pipefail`.
#
#   fail MSG                      print "FAIL: MSG" and exit 1
#   ok MSG                        count and print a passed check
#   expect_eq WHAT GOT WANT       fail unless GOT = WANT
#   scapy_py                      the python3 that has scapy (Debian's)
#   tcpflow_compare PCAP EXTRACT  every direction tcpflow writes has a file of
#                                 the same bytes (sha256) in EXTRACT, and
#                                 flows.tsv's sha256 column matches the files
#   tsv_field DIR NAME COLUMN     a column of the flows.tsv row whose
#                                 src.sport-dst.dport is NAME

: "${OWFP_BIN:?set by ctest}" "${OWFP_SOURCE_DIR:?set by ctest}"
RP_PASSED=0

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { RP_PASSED=$((RP_PASSED + 1)); echo "ok: $*"; }
expect_eq() {
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
    ok "$1"
}

scapy_py() {
    local p
    for p in /usr/bin/python3 python3; do
        if "$p" -c 'import scapy' 2>/dev/null; then echo "$p"; return 0; fi
    done
    fail "no python3 with scapy (apt-get install python3-scapy)"
}

# tcpflow names IPv4 ends 127.000.000.001.08000; ours are 127.0.0.1.8000.
tcpflow_name_to_ours() {
    python3 -c '
import sys
for n in sys.stdin.read().split():
    a, b = n.split("-")
    print("-".join(".".join(str(int(x)) for x in p.split(".")) for p in (a, b)))'
}

tcpflow_compare() {
    local pcap=$1 ext=$2 ref n f ours want got
    ref=$(mktemp -d)
    tcpflow -r "$pcap" -o "$ref" >/dev/null 2>&1 || fail "tcpflow failed on $pcap"
    n=0
    for f in $(cd "$ref" && ls | grep -E '^[0-9.]+-[0-9.]+$'); do
        ours=$(echo "$f" | tcpflow_name_to_ours)
        [ -f "$ext/$ours" ] || fail "tcpflow wrote $f but --extract has no $ours"
        want=$(sha256sum <"$ref/$f" | cut -d' ' -f1)
        got=$(sha256sum <"$ext/$ours" | cut -d' ' -f1)
        [ "$want" = "$got" ] || fail "$ours differs from tcpflow's $f ($(stat -c %s "$ext/$ours") vs $(stat -c %s "$ref/$f") bytes)"
        [ "$(tsv_field "$ext" "$ours" sha256)" = "$got" ] || fail "flows.tsv sha256 of $ours is not the file's"
        n=$((n + 1))
    done
    rm -rf "$ref"
    [ "$n" -gt 0 ] || fail "tcpflow found no streams in $pcap"
    echo "$n"
}

tsv_field() {
    local dir=$1 name=$2 col=$3
    python3 - "$dir/flows.tsv" "$name" "$col" <<'PY'
import csv, sys
path, name, col = sys.argv[1:]
rows = list(csv.DictReader(open(path), delimiter="\t"))
seen = {}
for r in rows:
    base = f"{r['src']}.{r['sport']}-{r['dst']}.{r['dport']}"
    k = seen.get(base, 0) + 1
    seen[base] = k
    full = base if k == 1 else f"{base}~{k}"
    if full == name:
        print(r[col])
        sys.exit(0)
print("<no row>")
PY
}

# expect_bytes WHAT FILE BYTES: FILE holds exactly BYTES (trailing newlines too).
expect_bytes() {
    local want
    want=$(mktemp)
    printf '%s' "$3" >"$want"
    cmp -s "$2" "$want" || { rm -f "$want"; fail "$1: $2 holds '$(head -c 200 "$2" | od -c | head -3)'"; }
    rm -f "$want"
    ok "$1"
}
