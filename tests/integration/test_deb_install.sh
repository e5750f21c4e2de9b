#!/usr/bin/env bash
# The Debian package (`make deb`, scripts/make-deb.sh) installs into a fresh
# Debian 12 root with apt resolving its Depends, and what it installed runs:
# `openwfp --version`, openwfp-cc, and the demo (check-config, then replay
# of the bundled capture with --extract) from /usr/share/doc/openwfp/examples.
# The package holds the command, library (with its SONAME link), headers,
# pkg-config file, man page, examples and the Type=notify unit; lintian
# reported no error (make-deb.sh fails otherwise).
#
# The fresh root: mmdebstrap --variant=minbase of bookworm from the mirror
# apt uses. Building one took 230-390 s here (debootstrap --variant=minbase
# 310 s) on the shared 2-core machine, too much for every make test, so a finished root
# is kept as a tarball under $OWFP_ROOT_CACHE (default
# /var/cache/openwfp-test), named by the day it was built and reused for 7
# days (apt's package lists inside it come along, so no `apt-get update`
# runs in the test). Unpacking it takes a few seconds. A root built from the
# host's own files (dpkg -L) was rejected: it would carry the host's extra
# packages, conffiles and alternatives, and prove less about Depends.
# Measured (2026-12-07, 2 cores shared with other builds): unpacking 6 s,
# apt installing the package and its Depends in the root ~25 s, lintian
# ~30 s; the package build is a Release build of src/ (~90 s of CPU
# uncached; ccache serves a rebuild in the same build directory). Under
# sanitizer builds the test is not registered (tests/CMakeLists.txt).
set -euo pipefail
: "${OWFP_SOURCE_DIR:?}" "${OWFP_BUILD_DIR:?}"
cache=${OWFP_ROOT_CACHE:-/var/cache/openwfp-test}
T=$(mktemp -d /tmp/owfp-deb-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
t0=$(date +%s)
phase() { echo "# $1: $(($(date +%s) - t0)) s"; }

# 1. The package, as `make deb` builds it (into the build directory).
deb=$("$OWFP_SOURCE_DIR/scripts/make-deb.sh" "$OWFP_BUILD_DIR/deb") || fail "make-deb.sh failed"
phase "package built"
ver=$(sed -n 's/^#define OWFP_VERSION_STRING "\([0-9.]*\)"$/\1/p' "$OWFP_SOURCE_DIR/include/openwfp/openwfp.h")
[ "$(basename "$deb")" = "openwfp_${ver}_$(dpkg --print-architecture).deb" ] || fail "package name $deb"
grep -E '^E:' "$OWFP_BUILD_DIR/deb/lintian.txt" && fail "lintian errors"

dpkg-deb -c "$deb" | awk '{print $6}' >"$T/contents"
for f in ./usr/bin/openwfp ./usr/bin/openwfp-cc "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/libopenwfp.so.$ver" \
	 ./usr/include/openwfp/openwfp.h ./usr/include/openwfp/fwpsk.h \
	 "./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/pkgconfig/openwfp.pc" \
	 ./usr/share/man/man1/openwfp.1.gz ./lib/systemd/system/openwfp-proxy@.service \
	 ./usr/share/doc/openwfp/examples/demo.yaml ./usr/share/doc/openwfp/examples/demo.pcap \
	 ./usr/share/doc/openwfp/operations.md.gz; do
	grep -qx -- "$f" "$T/contents" || fail "package lacks $f"
done
dpkg-deb -c "$deb" | grep -q " ./usr/lib/.*/libopenwfp.so.0 -> libopenwfp.so.$ver" || fail "no SONAME link"
depends=$(dpkg-deb -f "$deb" Depends)
for d in libc6 libjansson4 libyaml-0-2 libpcap0.8 libssl3; do
	grep -q "$d" <<<"$depends" || fail "Depends lacks $d: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./triggers 2>/dev/null | grep -q ldconfig || fail "no ldconfig trigger"
unit=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./lib/systemd/system/openwfp-proxy@.service)
for l in 'Type=notify' 'ExecReload=/bin/kill -HUP $MAINPID' 'ProtectSystem=strict' 'NoNewPrivileges=yes'; do
	grep -qxF "$l" <<<"$unit" || fail "unit lacks $l"
done
echo "ok - package contents, Depends ($depends), ldconfig trigger, unit"

# 2. A fresh Debian 12 root.
mkdir -p "$cache"
tarball=$(find "$cache" -maxdepth 1 -name 'bookworm-minbase-*.tar' -mtime -7 | sort | tail -n 1)
if [ -z "$tarball" ]; then
	tarball="$cache/bookworm-minbase-$(date -u +%Y%m%d).tar"
	mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
	mmdebstrap --variant=minbase --mode=root --format=tar --skip=cleanup/apt/lists bookworm "$tarball.part" \
		"${mirror:-http://deb.debian.org/debian}" >"$T/mmdebstrap.log" 2>&1 ||
		{ tail -20 "$T/mmdebstrap.log" >&2; fail "mmdebstrap failed"; }
	mv "$tarball.part" "$tarball"
	phase "root built and cached as $tarball"
fi
mkdir "$T/root"
tar -xf "$tarball" -C "$T/root"
phase "root unpacked from $tarball"
cp /etc/resolv.conf "$T/root/etc/resolv.conf"
cp "$deb" "$T/root/tmp/"

# 3. apt installs it with what Depends names (plus the recommended
# Hyperscan that the demo's pattern_match needs), then it runs.
in_root() { chroot "$T/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	/tmp/$(basename "$deb") libhyperscan5" >"$T/apt.log" 2>&1 ||
	{ tail -30 "$T/apt.log" >&2; fail "apt-get install of the package failed"; }
phase "installed"
[ "$(in_root openwfp --version)" = "openwfp $ver" ] || fail "openwfp --version: $(in_root openwfp --version 2>&1)"
in_root openwfp-cc --version >/dev/null || fail "openwfp-cc --version"
in_root id openwfp >/dev/null || fail "postinst did not create the openwfp user"
in_root sh -c 'ldconfig -p | grep -q libopenwfp.so.0' || fail "libopenwfp not in the linker cache"
ex=/usr/share/doc/openwfp/examples
in_root openwfp check-config $ex/demo.yaml || fail "check-config of the installed demo"
in_root openwfp replay -c $ex/demo.yaml --extract /tmp/out $ex/demo.pcap >"$T/demo.out" 2>&1 ||
	{ cat "$T/demo.out" >&2; fail "the demo from the installed files"; }
grep -q 'flows' "$T/demo.out" || fail "demo report: $(cat "$T/demo.out")"
[ -s "$T/root/tmp/out/flows.tsv" ] || fail "demo --extract wrote no flows.tsv"
in_root openwfp check-config $ex/example.yaml || fail "check-config of the unit's example configuration"
phase "ran"
echo "ok - installed into a fresh Debian 12 root: --version, openwfp-cc, the demo"
