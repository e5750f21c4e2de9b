#!/usr/bin/env bash
# openwfp-cc builds tests/plugins/drv_wpp (a driver written the Windows way:
# WPP .tmh includes, a begin_wpp config block, C and C++ sources, MSVC
# dialect) unchanged; `openwfp replay -v` shows its WPP traces as log lines
# with level, flag, function, status text, custom types and a hexdump; no
# .tmh is ever left next to the sources; compiler errors name the author's
# file and line; --print-cflags/--print-libs agree with openwfp.pc.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_BUILD_DIR:?set by ctest}"

occ="$OWFP_BUILD_DIR/openwfp-cc"
src="$OWFP_SOURCE_DIR/tests/plugins/drv_wpp"
pcap="$OWFP_SOURCE_DIR/examples/stmedit_lite/weather.pcap"
work=$(mktemp -d)
chmod 700 "$work"
trap 'rm -rf "$work"' EXIT
mkdir "$work/tmp"
export TMPDIR="$work/tmp"

# --- the build -------------------------------------------------------------
before=$(cd "$src" && ls -la)
"$occ" -shared -o "$work/drv_wpp.so" "$src"/*.c "$src"/*.cpp 2>"$work/build.log" \
    || { cat "$work/build.log"; fail "openwfp-cc did not build drv_wpp"; }
[ -s "$work/drv_wpp.so" ] || fail "no drv_wpp.so"
ok "builds C and C++ driver sources with openwfp-cc -shared -o drv_wpp.so ..."
expect_eq "the source tree is untouched (no .tmh next to the sources)" "$(cd "$src" && ls -la)" "$before"
expect_eq "the private temporary directory is removed" "$(ls -A "$TMPDIR")" ""
# MSVC's one-copy linkage: the __inline helper and the selectany keys of a
# header included by three sources are single weak symbols.
nm -D "$work/drv_wpp.so" >"$work/syms"
grep -q " W DrvWppLogXstr$" "$work/syms" || fail "__inline DrvWppLogXstr is not one weak definition"
grep -q " V DRV_WPP_CALLOUT_V4$" "$work/syms" || fail "__declspec(selectany) key is not one weak object"
ok "__inline and __declspec(selectany) in a shared header give one weak symbol each"
"$occ" -v -c -o "$work/classify.o" "$src/classify.c" 2>"$work/v.log"
grep -q "^openwfp-cc: temporary directory $TMPDIR/openwfp-cc\." "$work/v.log" || fail "-v does not name the temporary directory"
grep -q "^openwfp-cc: cc .*-include .*openwfp_msvc.h.* -c $TMPDIR/openwfp-cc\.[^ ]*/0/classify.c -o $work/classify.o" "$work/v.log" \
    || { cat "$work/v.log"; fail "-v does not print the compiler command"; }
ok "-v prints the commands it runs"

# --- the WPP traces ----------------------------------------------------------
line_of() { grep -n -- "$2" "$src/$1" | head -n1 | cut -d: -f1; }
OWFP_DBGPRINT=0 "$OWFP_BIN" replay -v --callout "$work/drv_wpp.so" "$pcap" >/dev/null 2>"$work/v1.log" \
    || { cat "$work/v1.log"; fail "replay -v with drv_wpp failed"; }
expect_line() {
    grep -qF -- "$2" "$work/v1.log" || { cat "$work/v1.log"; fail "$1: no line '$2'"; }
    ok "$1"
}
expect_line "DoTraceLevelMessage: level, flag, file:line, %!FUNC!" \
    "openwfp: wpp DrvWppCtl INFORMATION DW_INIT driver.c:$(line_of driver.c '"--> %!FUNC!: DrvObj'): --> DriverEntry: DrvObj 0x"
expect_line "%!STATUS! as the status's name" \
    "DW_INIT driver.c:$(line_of driver.c 'TRACE_LEVEL_INFORMATION, DW_INIT,$'): <-- DriverEntry: callout 1, filter 1, STATUS_SUCCESS"
expect_line "an ItemEnum custom type names the enumerator (openwfp's fwpsk.h)" \
    "wpp DrvWppCtl VERBOSE DW_INIT classify.c:$(line_of classify.c '%!NOTIFY!'): DrvWppNotify: FWPS_CALLOUT_NOTIFY_ADD_FILTER for filter 1"
expect_line "a FUNC from the config block, ItemListLong, IPADDR, PORT, HEXDUMP, bool" \
    "wpp DrvWppCtl INFORMATION DW_DATA classify.c:$(line_of classify.c 'TraceEvents(TRACE_LEVEL'): DrvWppClassify: #1 Sending 71 bytes to 10.0.0.2:80 starting 50 4f 53 54 20 2f 66 6f, send TRUE"
expect_line "the other direction" "DrvWppClassify: #3 Receiving 44 bytes to 10.0.0.2:80 starting 48 54 54 50 2f 31 2e 31, send FALSE"
expect_line "DoTraceMessage (flag only) from the C++ source" \
    "wpp DrvWppCtl DW_FLOW counter.cpp:$(line_of counter.cpp 'DoTraceMessage(DW_FLOW'): flow 1: 71 bytes so far (DrvWppCountFlow)"
expect_line "InterlockedIncrement(&(LONG)x) counted every classify" "--> DrvWppUnload: 5 classifies"
OWFP_DBGPRINT=0 "$OWFP_BIN" replay --callout "$work/drv_wpp.so" "$pcap" >/dev/null 2>"$work/v0.log"
grep -q "wpp DrvWppCtl" "$work/v0.log" && fail "WPP lines without -v: $(cat "$work/v0.log")"
ok "no WPP lines without -v"

# --- errors name the author's file and line ----------------------------------
cp -r "$src" "$work/broken"
bad=$(($(wc -l <"$work/broken/classify.c") + 1))
echo "int broken = ;" >>"$work/broken/classify.c"
if "$occ" -c -o "$work/b.o" "$work/broken/classify.c" 2>"$work/err.log"; then fail "a broken source compiled"; fi
grep -q "^$work/broken/classify.c:$bad:[0-9]*: error" "$work/err.log" \
    || { cat "$work/err.log"; fail "the compiler error does not name classify.c:$bad"; }
grep -q "openwfp-cc: $work/broken/classify.c: cc failed (exit status 1)" "$work/err.log" \
    || fail "openwfp-cc does not say which file failed"
ok "a compile error names the original file and line ($bad)"
expect_eq "no .tmh next to a source that failed" "$(ls "$work/broken" | grep -c tmh || true)" 0
cat >"$work/broken/missing.c" <<'EOF'
#include <ntddk.h>
NTSTATUS KeFrobnicateDriver(void);
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r) { (void)d; (void)r; return KeFrobnicateDriver(); }
EOF
if "$occ" -shared -o "$work/m.so" "$work/broken/missing.c" 2>"$work/link.log"; then fail "an unresolved kernel call linked"; fi
grep -q "openwfp-cc: not found when linking: KeFrobnicateDriver. openwfp does not provide" "$work/link.log" \
    || { cat "$work/link.log"; fail "no hint naming the missing function"; }
ok "a missing kernel function is named at link time"
sed -i 's/"--> %!FUNC!: DrvObj %p", DriverObject/"--> %!FUNC!: DrvObj %p %d", DriverObject/' "$work/broken/driver.c"
if "$occ" -c -o "$work/d.o" "$work/broken/driver.c" 2>"$work/wpp.log"; then fail "a wrong trace call compiled"; fi
grep -q "^openwfp-cc: $work/broken/driver.c:$(line_of driver.c '"--> %!FUNC!: DrvObj'): the message takes 2 argument(s) but the call passes 1" "$work/wpp.log" \
    || { cat "$work/wpp.log"; fail "a bad trace call is not reported with its line"; }
ok "a trace call that does not match its message is reported with file and line"

# --- dependency files name the author's files --------------------------------
"$occ" -c -MD -o "$work/c2.o" "$src/classify.c"
grep -q "$src/trace.h" "$work/c2.d" || fail "the depfile does not name trace.h: $(cat "$work/c2.d")"
grep -q "$TMPDIR" "$work/c2.d" && fail "the depfile names temporary files: $(cat "$work/c2.d")"
ok "-MD writes a depfile of the author's files"

# --- installed: headers found from the executable, flags agree with openwfp.pc -
cmake --install "$OWFP_BUILD_DIR" --prefix "$work/prefix" >"$work/install.log" 2>&1 \
    || { cat "$work/install.log"; fail "cmake --install failed"; }
[ -x "$work/prefix/bin/openwfp-cc" ] || fail "openwfp-cc was not installed"
[ -f "$work/prefix/include/openwfp/openwfp_wpp.h" ] || fail "openwfp_wpp.h was not installed"
"$work/prefix/bin/openwfp-cc" -shared -o "$work/inst.so" "$src"/*.c "$src"/*.cpp \
    || fail "the installed openwfp-cc does not build drv_wpp"
ok "the installed openwfp-cc finds the installed headers and library"
pc=$(find "$work/prefix" -name openwfp.pc | head -n1)
norm() { # canonical paths, one flag per line
    local prev="" a
    for a in "$@"; do
        case "$a" in
        -I*) echo "-I$(realpath -m "${a#-I}")" ;;
        -L*) echo "-L$(realpath -m "${a#-L}")" ;;
        *) if [ "$prev" = -include ]; then realpath -m "$a"; else echo "$a"; fi ;;
        esac
        prev=$a
    done
}
# shellcheck disable=SC2046
expect_eq "--print-cflags = pkg-config --cflags" \
    "$(norm $("$work/prefix/bin/openwfp-cc" --print-cflags))" \
    "$(norm $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags openwfp))"
# shellcheck disable=SC2046
expect_eq "--print-libs = pkg-config --libs" \
    "$(norm $("$work/prefix/bin/openwfp-cc" --print-libs))" \
    "$(norm $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --libs openwfp))"
"$occ" --help | grep -q "openwfp-cc -shared -o stmedit.so sys/\*.c" || fail "--help"
"$occ" --version | grep -q "^openwfp-cc [0-9]" || fail "--version"
ok "--help and --version"
# --- killed mid-build: the temporary directory still goes ----------------------
# A stand-in compiler that says it started, then waits to be killed: SIGTERM
# to openwfp-cc alone must reach it, and openwfp-cc must remove its
# directory and then die of the signal (exit 143), as make expects.
cat >"$work/slowcc" <<'SH'
#!/bin/sh
: >"$OWFP_TEST_STARTED"
exec sleep 300
SH
chmod +x "$work/slowcc"
OWFP_CC_CC="$work/slowcc" OWFP_TEST_STARTED="$work/started" \
    "$occ" -shared -o "$work/killed.so" "$src"/*.c 2>"$work/killed.log" &
kpid=$!
for _ in $(seq 100); do [ -e "$work/started" ] && break; sleep 0.1; done
[ -e "$work/started" ] || fail "the stand-in compiler never started: $(cat "$work/killed.log")"
[ -n "$(ls -A "$TMPDIR")" ] || fail "no temporary directory while compiling"
kill -TERM "$kpid"
for _ in $(seq 100); do kill -0 "$kpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$kpid" 2>/dev/null && { kill -KILL "$kpid"; fail "openwfp-cc did not stop on SIGTERM"; }
krc=0; wait "$kpid" || krc=$?
expect_eq "SIGTERM mid-build: openwfp-cc dies of it" "$krc" 143
expect_eq "SIGTERM mid-build: the private temporary directory is removed" "$(ls -A "$TMPDIR")" ""

echo "PASS: $RP_PASSED checks"
