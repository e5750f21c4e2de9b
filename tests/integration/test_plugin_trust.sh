#!/usr/bin/env bash
# A privileged openwfp (this test runs as root) loads only plugins no other
# local user could have written: the file and every directory up to / owned
# by root (or the running user) and not group/world-writable, and the same
# for the directories and files the dynamic loader takes its dependencies
# from (DT_RUNPATH, LD_LIBRARY_PATH). Each refusal names the path and the
# rule; nothing of a refused plugin or its dependencies runs. A local user
# is created for the test and removed at the end.
set -euo pipefail
. "$OWFP_SOURCE_DIR/tests/integration/lib/replay_common.sh"
: "${OWFP_BUILD_DIR:?}" "${OWFP_PLUGIN_DIR:=$OWFP_BUILD_DIR/plugins}"

[ "$(id -u)" = 0 ] || fail "must run as root (it creates a user and root-owned files)"
U=owfp-trust-$$
D=$(mktemp -d "$OWFP_BUILD_DIR/plugin-trust.XXXXXX")
TMPD=""
cleanup() {
	rm -rf "$D" ${TMPD:+"$TMPD"}
	userdel "$U" 2>/dev/null || true
}
trap cleanup EXIT
chmod 755 "$D"
useradd --system --no-create-home --shell /usr/sbin/nologin "$U"
UID_U=$(id -u "$U")
PCAP="$OWFP_SOURCE_DIR/examples/stmedit_lite/weather.pcap"
MIN="$OWFP_PLUGIN_DIR/plugin_minimal.so"

# place DIR MODE FILEMODE: a copy of the minimal plugin at DIR/p.so
place() {
	mkdir -p "$1"
	chmod "$2" "$1"
	install -m "$3" "$MIN" "$1/p.so"
}
# load PLUGIN [ENV...]: replay with it; exit status in $rc, stderr in $D/err
load() {
	local plugin=$1; shift
	rc=0
	env "$@" OWFP_DBGPRINT=0 "$OWFP_BIN" replay -q --callout "$plugin" "$PCAP" >/dev/null 2>"$D/err" || rc=$?
}
# refused WHAT PLUGIN TEXT [ENV...]: the load fails and stderr has TEXT
refused() {
	local what=$1 plugin=$2 text=$3; shift 3
	load "$plugin" "$@"
	[ "$rc" != 0 ] || fail "$what: loaded (exit 0)"
	grep -qF -- "$text" "$D/err" || fail "$what: expected '$text' in: $(cat "$D/err")"
	grep -qF "refused (fail closed)" "$D/err" || fail "$what: not a refusal: $(cat "$D/err")"
	ok "$what: refused, naming the path and the rule"
}

# ---- a correct root-owned plugin loads
place "$D/good" 755 644
load "$D/good/p.so"
expect_eq "a root-owned plugin in root-owned directories loads" "$rc" 0

# ---- the file
place "$D/owned" 755 644
chown "$U" "$D/owned/p.so"
refused "plugin owned by another user" "$D/owned/p.so" \
	"the plugin file $D/owned/p.so is owned by uid $UID_U ($U), not by root or the running user (uid 0)"
place "$D/gw" 755 664
refused "group-writable plugin" "$D/gw/p.so" "the plugin file $D/gw/p.so is group-writable (mode 0664)"

# ---- the directories, up to /
mkdir -p "$D/userdir"
chown "$U" "$D/userdir"
place "$D/userdir/safe" 755 644
refused "a safe directory inside one another user owns" "$D/userdir/safe/p.so" \
	"directory $D/userdir is owned by uid $UID_U ($U)"
mkdir -p "$D/gwdir"
chmod 775 "$D/gwdir"
place "$D/gwdir/safe" 755 644
refused "a safe directory inside a group-writable one" "$D/gwdir/safe/p.so" \
	"directory $D/gwdir is group-writable (mode 0775)"
# /tmp: never the plugin's own directory; as an ancestor only of a directory
# root owns (the sticky bit keeps others from swapping that one).
TMPD=$(mktemp -d /tmp/owfp-plugin-trust.XXXXXX)
install -m 644 "$MIN" "$TMPD.so"
refused "a plugin directly in /tmp (sticky, world-writable)" "$TMPD.so" \
	"its directory /tmp is world-writable (mode 1777)"
rm -f "$TMPD.so"
place "$TMPD" 755 644
load "$TMPD/p.so"
expect_eq "a plugin in a root-owned directory under /tmp loads" "$rc" 0
chown "$U" "$TMPD"
refused "a plugin in a directory under /tmp another user owns" "$TMPD/p.so" \
	"directory $TMPD is owned by uid $UID_U ($U)"
chown root "$TMPD"
ln -s "$D/userdir/safe/p.so" "$D/good/link.so"
refused "a symbolic link is judged where it leads" "$D/good/link.so" "directory $D/userdir is owned by uid $UID_U"

# ---- dependencies: a library whose constructor leaves a mark if it ever runs
cat >"$D/dep.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
__attribute__((constructor)) static void ran(void)
{
	const char *m = getenv("OWFP_TRUST_MARK");
	if (m)
		close(open(m, O_WRONLY | O_CREAT, 0644));
}
int owfp_trust_dep(void) { return 1; }
C
cat >"$D/plug.c" <<'C'
#include <ntddk.h>
int owfp_trust_dep(void);
static void Unload(PDRIVER_OBJECT d) { UNREFERENCED_PARAMETER(d); }
NTSTATUS DriverEntry(PDRIVER_OBJECT d, PUNICODE_STRING r)
{
	UNREFERENCED_PARAMETER(r);
	d->DriverUnload = Unload;
	return owfp_trust_dep() ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}
C
# lib DIR MODE OWNER: libowfpdep.so in DIR
lib() {
	mkdir -p "$1"
	cc -shared -fPIC -o "$1/libowfpdep.so" "$D/dep.c"
	chmod 644 "$1/libowfpdep.so"
	chmod "$2" "$1"
	chown "$3" "$1"
}
# plug DIR RUNPATH: a plugin needing libowfpdep.so, with that DT_RUNPATH (or none)
plug() {
	mkdir -p "$1"
	chmod 755 "$1"
	cc -shared -fPIC -I"$OWFP_SOURCE_DIR/include/openwfp" -I"$OWFP_SOURCE_DIR/include" \
		-o "$1/p.so" "$D/plug.c" -L"$D/libgood" -lowfpdep ${2:+-Wl,--enable-new-dtags,-rpath,"$2"}
	chmod 644 "$1/p.so"
}
lib "$D/libgood" 755 root
lib "$D/libuser" 755 "$U"
lib "$D/libww" 777 root

plug "$D/rp-good" "$D/libgood"
rm -f "$D/mark"
load "$D/rp-good/p.so" OWFP_TRUST_MARK="$D/mark"
expect_eq "a plugin whose DT_RUNPATH is root's loads" "$rc" 0
[ -e "$D/mark" ] || fail "the trusted dependency's constructor did not run"
ok "its dependency was loaded from the trusted DT_RUNPATH"

plug "$D/rp-ww" "$D/libww"
rm -f "$D/mark"
refused "DT_RUNPATH pointing into a world-writable directory" "$D/rp-ww/p.so" \
	"DT_RUNPATH entry $D/libww of $D/rp-ww/p.so: directory $D/libww is world-writable (mode 0777)" \
	OWFP_TRUST_MARK="$D/mark"
[ ! -e "$D/mark" ] || fail "the untrusted dependency ran"
ok "nothing of the refused dependency ran"

plug "$D/rp-user" "\$ORIGIN/../libuser"
refused "DT_RUNPATH with \$ORIGIN into a directory another user owns" "$D/rp-user/p.so" \
	"DT_RUNPATH entry $D/rp-user/../libuser of $D/rp-user/p.so: directory $D/rp-user/../libuser is owned by uid $UID_U"

# The loader also searches hardware-capability subdirectories of every
# search directory before it (glibc-hwcaps/*, and in glibc < 2.37 tls/ and
# platform names such as x86_64/): a user-owned one inside a root-owned
# DT_RUNPATH directory would give the loader that user's library.
for sub in tls glibc-hwcaps/x86-64-v2 x86_64; do
	lib "$D/libhw" 755 root
	mkdir -p "$D/libhw/$sub"
	chown "$U" "$D/libhw/${sub%%/*}" "$D/libhw/$sub"
	cc -shared -fPIC -o "$D/libhw/$sub/libowfpdep.so" "$D/dep.c"
	plug "$D/rp-hw" "$D/libhw"
	rm -f "$D/mark"
	refused "DT_RUNPATH directory with a user-owned $sub subdirectory" "$D/rp-hw/p.so" \
		"directory $D/libhw/${sub%%/*} is owned by uid $UID_U" OWFP_TRUST_MARK="$D/mark"
	[ ! -e "$D/mark" ] || fail "the library in $sub ran"
	rm -rf "$D/libhw" "$D/rp-hw"
done

plug "$D/norp" ""
rm -f "$D/mark"
refused "a dependency found through LD_LIBRARY_PATH in a world-writable directory" "$D/norp/p.so" \
	"the plugin $D/norp/p.so needs libowfpdep.so, searched in $D/libww: directory $D/libww is world-writable" \
	LD_LIBRARY_PATH="$D/libww" OWFP_TRUST_MARK="$D/mark"
[ ! -e "$D/mark" ] || fail "the dependency from LD_LIBRARY_PATH ran"
load "$D/norp/p.so" LD_LIBRARY_PATH="$D/libgood"
expect_eq "the same plugin with a trusted LD_LIBRARY_PATH loads" "$rc" 0

echo "plugin trust: $RP_PASSED passed, 0 failed"
