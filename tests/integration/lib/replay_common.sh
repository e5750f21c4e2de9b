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

# One python run compares everything (interpreter start-up is not free):
# tcpflow names IPv4 ends 127.000.000.001.08000, ours are 127.0.0.1.8000.
tcpflow_compare() {
    local pcap=$1 ext=$2 ref
    ref=$(mktemp -d)
    tcpflow -r "$pcap" -o "$ref" >/dev/null 2>&1 || fail "tcpflow failed on $pcap"
    "$(py)" - "$ref" "$ext" <<'PY' || { rm -rf "$ref"; fail "--extract differs from tcpflow for $pcap"; }
import csv, hashlib, os, re, sys
ref, ext = sys.argv[1:]
def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()
rows, seen = {}, {}
for r in csv.DictReader(open(os.path.join(ext, "flows.tsv")), delimiter="\t"):
    base = f"{r['src']}.{r['sport']}-{r['dst']}.{r['dport']}"
    seen[base] = seen.get(base, 0) + 1
    rows[base if seen[base] == 1 else f"{base}~{seen[base]}"] = r
n = 0
for f in sorted(os.listdir(ref)):
    if not re.fullmatch(r"[0-9.]+-[0-9.]+", f):
        continue
    ours = "-".join(".".join(str(int(x)) for x in p.split(".")) for p in f.split("-"))
    path = os.path.join(ext, ours)
    if not os.path.exists(path):
        sys.exit(f"tcpflow wrote {f} but --extract has no {ours}")
    want, got = sha(os.path.join(ref, f)), sha(path)
    if want != got:
        sys.exit(f"{ours} differs from tcpflow's {f} ({os.path.getsize(path)} vs "
                 f"{os.path.getsize(os.path.join(ref, f))} bytes)")
    if rows.get(ours, {}).get("sha256") != got:
        sys.exit(f"flows.tsv sha256 of {ours} is not the file's")
    n += 1
if n == 0:
    sys.exit("tcpflow found no streams")
print(n)
PY
    rm -rf "$ref"
}

# The python3 to run helper scripts with: Debian's when present (a shim on
# PATH can take half a second to start).
py() {
    if [ -x /usr/bin/python3 ]; then echo /usr/bin/python3; else echo python3; fi
}

tsv_field() {
    local dir=$1 name=$2 col=$3
    "$(py)" - "$dir/flows.tsv" "$name" "$col" <<'PY'
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
