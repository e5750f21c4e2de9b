#!/usr/bin/env bash
# `make deb`: builds openwfp_<version>_<arch>.deb with dpkg-buildpackage from
# a copy of the tree's tracked files (so a dirty build/ or an earlier package
# build never leaks in), then runs lintian, which must report no error.
#   scripts/make-deb.sh [OUTDIR]      (default build-deb)
# The .deb, .buildinfo, .changes and lintian.txt land in OUTDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build-deb}")

# The version's one place is include/openwfp/openwfp.h (CMakeLists.txt reads
# it); debian/changelog must name the same one.
ver=$(sed -n 's/^#define OWFP_VERSION_STRING "\([0-9.]*\)"$/\1/p' include/openwfp/openwfp.h)
deb_ver=$(dpkg-parsechangelog -S Version)
if [ -z "$ver" ] || [ "$deb_ver" != "$ver" ]; then
	echo "make-deb: debian/changelog says '$deb_ver', include/openwfp/openwfp.h says '$ver':" \
	     "add a debian/changelog entry for $ver (dch -v $ver)" >&2
	exit 1
fi

rm -rf "$out"
src="$out/openwfp-$ver"
mkdir -p "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude='./build*' -cf - . | tar -xf - -C "$src"
fi

# ccache, when present, makes the next package build of the same tree cheap
# (tests/integration/test_deb_install.sh builds one on every make test).
# Paths under OUTDIR are hashed relative to it, so a build in another
# OUTDIR (each build directory's tests use their own) hits the same entries.
ccache=""
command -v ccache >/dev/null && ccache="OWFP_CCACHE=1 CCACHE_BASEDIR=$out CCACHE_NOHASHDIR=1"
(cd "$src" && env $ccache DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=$(nproc)" \
	dpkg-buildpackage -b -uc -us --no-sign >"$out/build.log" 2>&1) || {
	tail -40 "$out/build.log" >&2
	echo "make-deb: dpkg-buildpackage failed (whole log: $out/build.log)" >&2
	exit 1
}
rm -rf "$src"
deb=$(ls "$out"/openwfp_"$ver"_*.deb)
lintian --fail-on error --suppress-tags-from-file /dev/null "$deb" >"$out/lintian.txt" 2>&1 || {
	cat "$out/lintian.txt" >&2
	echo "make-deb: lintian found errors in $deb" >&2
	exit 1
}
echo "$deb"
