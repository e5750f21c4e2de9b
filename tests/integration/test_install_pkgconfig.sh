#!/usr/bin/env bash
# `make install PREFIX=DIR` puts the library, headers, the openwfp command,
# the man page and openwfp.pc in place; the installed command starts with no
# ldconfig and no LD_LIBRARY_PATH (RPATH $ORIGIN/../lib), and a plugin builds
# against the installed tree with exactly the line the docs give:
#   cc -shared -fPIC $(pkg-config --cflags openwfp) mycallout.c -o mycallout.so
# The installed command then runs that plugin over the example capture.
set -euo pipefail
: "${OWFP_BUILD_DIR:?}" "${OWFP_SOURCE_DIR:?}"
# in the build tree, not /tmp: a privileged openwfp refuses plugins under a
# world-writable directory (src/wdm/plugin_trust.h)
work=$(mktemp -d "$OWFP_BUILD_DIR/install-pkgconfig.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# As the README says, through the Makefile (which must honour PREFIX even
# though the build directory was configured with another prefix).
make -s -C "$OWFP_SOURCE_DIR" install BUILD="$OWFP_BUILD_DIR" PREFIX="$work/prefix" >"$work/install.log" 2>&1 \
	|| { cat "$work/install.log"; fail "make install PREFIX=... failed"; }
pc=$(find "$work/prefix" -name openwfp.pc | head -n1)
[ -n "$pc" ] || fail "openwfp.pc was not installed"
for f in bin/openwfp include/openwfp/fwpsk.h include/openwfp/fwpmk.h include/openwfp/openwfp.h; do
	[ -e "$work/prefix/$f" ] || fail "$f was not installed"
done
find "$work/prefix" -name 'libopenwfp.so*' | grep -q . || fail "libopenwfp.so was not installed"
find "$work/prefix" -name openwfp.1 | grep -q . || fail "the man page was not installed"

# No ldconfig, no LD_LIBRARY_PATH: the command must find its library itself.
env -u LD_LIBRARY_PATH "$work/prefix/bin/openwfp" --help >"$work/help.txt" 2>&1 \
	|| { cat "$work/help.txt"; fail "the installed openwfp --help does not run without LD_LIBRARY_PATH"; }
grep -q replay "$work/help.txt" || fail "the installed openwfp --help printed no usage"
env -u LD_LIBRARY_PATH ldd "$work/prefix/bin/openwfp" | grep libopenwfp | grep -q "$work/prefix/" \
	|| fail "the installed openwfp does not load the installed libopenwfp: $(ldd "$work/prefix/bin/openwfp" | grep libopenwfp)"

export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
cflags=$(pkg-config --cflags openwfp)
case "$cflags" in *"$work/prefix"*) ;; *) fail "pkg-config --cflags does not point into the install tree: $cflags" ;; esac
# shellcheck disable=SC2086
cc -shared -fPIC -Wall -Wextra -Werror $cflags "$OWFP_SOURCE_DIR/examples/stmedit_lite/stmedit_lite.c" \
	-o "$work/stmedit_lite.so" || fail "the example plugin does not build against the installed headers"

env -u LD_LIBRARY_PATH OWFP_DBGPRINT=0 "$work/prefix/bin/openwfp" replay -q \
	--callout "$work/stmedit_lite.so" --extract "$work/out" \
	"$OWFP_SOURCE_DIR/examples/stmedit_lite/weather.pcap" || fail "the installed openwfp could not run the plugin"
n=$(grep -o sunny "$work/out/10.0.0.1.40000-10.0.0.2.80" | wc -l)
[ "$n" -eq 3 ] || fail "expected 3 edits by the installed plugin, got $n"
echo "install + pkg-config: 1 passed, 0 failed"
