#!/usr/bin/env bash
# replay --workers N gives the same outputs as --workers 1 (docs/replay.md,
# "Workers"): flows.tsv, every --extract file, the --events file, the JSON
# summary (but for the times) and the exit status, byte for byte, on every
# capture the replay tests make (edge cases, decisions, asserts), the demo,
# synthetic shapes, and a capture of 300 interleaved flows with more merged
# runs pending than the coalescer keeps, drops among them and RSTs. Driver
# debug output (DbgPrint) comes from the threads that run the drivers, as
# on Windows' CPUs: its lines are compared as a set.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sp=$(scapy_py)
mkdir -p "$work/cap"
"$sp" "$OWFP_SOURCE_DIR/tests/data/make_edge_captures.py" "$work/cap" >/dev/null 2>&1 ||
    fail "make_edge_captures.py failed"
"$sp" "$OWFP_SOURCE_DIR/tests/data/make_decisions_capture.py" "$work/cap/decisions.pcap" \
    >/dev/null 2>&1 || fail "make_decisions_capture.py failed"
"$sp" "$OWFP_SOURCE_DIR/tests/data/make_asserts_capture.py" "$work/cap/asserts.pcap" \
    >/dev/null 2>&1 || fail "make_asserts_capture.py failed"
python3 "$OWFP_SOURCE_DIR/bench/synth_captures.py" "$work/cap" c300 w200 >/dev/null ||
    fail "synth_captures.py failed"
rm -f "$work/cap/bulk20k.pcap" "$work/cap/s100k.pcap" "$work/cap/s200k.pcap" \
    "$work/cap/c20k.pcap" "$work/cap/c60k.pcap"
python3 "$OWFP_SOURCE_DIR/tests/data/make_workers_capture.py" "$work/cap/interleaved.pcap" ||
    fail "make_workers_capture.py failed"
cp "$OWFP_SOURCE_DIR/examples/demo.pcap" "$work/cap/"

run() { # OUT N [options...] CAPTURE: one replay into directory OUT
    local out=$1 n=$2
    shift 2
    mkdir -p "$out"
    set +e
    "$OWFP_BIN" replay --workers "$n" --extract "$out/x" --events "$out/events.jsonl" --json \
        "$@" >"$out/summary.json" 2>"$out/stderr"
    echo $? >"$out/status"
    set -e
    # Times differ from run to run (and how long the drain waited for
    # what other threads queued); everything else must not.
    sed -i -e 's/"elapsed_s": [-0-9.e+]*/"elapsed_s": 0/' -e 's/"waited_ms": [0-9]*/"waited_ms": 0/' \
        "$out/summary.json"
    # Which contained failure came first depends on the drivers' own threads.
    sed -i -e 's/contained (failure [0-9]*)/contained/' "$out/stderr"
    sort "$out/stderr" -o "$out/stderr"
}

same() { # WHAT "N..." [options...] CAPTURE: --workers N gives --workers 1's outputs
    local what=$1 ns=$2
    shift 2
    rm -rf "$work/o"
    run "$work/o/1" 1 "$@"
    for n in $ns; do
        run "$work/o/$n" "$n" "$@"
        diff -r "$work/o/1" "$work/o/$n" >"$work/diff" ||
            fail "$what: --workers $n differs from --workers 1: $(head -c 2000 "$work/diff")"
    done
    ok "$what: --workers $ns give the same outputs as --workers 1"
}

demo="$OWFP_SOURCE_DIR/examples/demo.yaml"
for cap in "$work"/cap/*.pcap; do
    same "$(basename "$cap" .pcap)" 3 "$cap"
done
for name in demo decisions rst_mid hole reuse; do
    same "$name, demo filters" 3 -c "$demo" "$work/cap/$name.pcap"
done
same "interleaved, demo filters" "2 4" -c "$demo" "$work/cap/interleaved.pcap"
same "interleaved, demo filters, --segments" 4 -c "$demo" --segments "$work/cap/interleaved.pcap"
same "two captures in one run, --local server" 2 -c "$demo" --local server \
    "$work/cap/demo.pcap" "$work/cap/reuse.pcap"
same "the asserts driver" 2 --callout "$OWFP_PLUGIN_DIR/drv_asserts.so" "$work/cap/asserts.pcap"

# The interleaved capture really is what it claims: drops, RSTs, and fewer
# indications than its 1,200 data segments (runs were merged, and with 300
# pending the coalescer flushed the oldest early).
rm -rf "$work/o"
run "$work/o/1" 1 -c "$demo" "$work/cap/interleaved.pcap"
expect_eq "interleaved: 300 flows, 43 dropped, 23 reset, 858 indications" \
    "$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print(s["flows"]["total"], s["flows"]["dropped"], s["ends"]["c2s"]["rst"], s["indications"])' "$work/o/1/summary.json")" \
    "300 43 23 858"

# An option that needs the one-thread order says so once and runs on one.
"$OWFP_BIN" replay --workers 4 --work-items at-turns "$work/cap/demo.pcap" >/dev/null \
    2>"$work/err" || fail "--workers 4 --work-items at-turns exited $?"
expect_eq "--work-items at-turns falls back to one worker, said once" \
    "$(grep -c 'replaying on one worker' "$work/err")" "1"
"$OWFP_BIN" replay --workers 2 --strict-asserts "$work/cap/demo.pcap" >/dev/null 2>"$work/err" ||
    fail "--workers 2 --strict-asserts exited $?"
expect_eq "--strict-asserts falls back to one worker, said once" \
    "$(grep -c 'replaying on one worker: --strict-asserts' "$work/err")" "1"
"$OWFP_BIN" replay --workers 0 "$work/cap/demo.pcap" >/dev/null 2>&1 && fail "--workers 0 accepted"
ok "--workers 0 is refused"
echo "passed: $RP_PASSED"
