/*
 * --user: give up root once everything that needs it is done (listeners
 * bound, plugins loaded, events file open) and before the workers start,
 * so the workers inherit exactly what is left.
 *
 * setresgid/setresuid are applied to every thread by glibc, and leaving
 * uid 0 clears the capabilities of every thread that did not ask to keep
 * them. Without --spoof-source nothing is kept. With it each upstream
 * socket needs IP_TRANSPARENT, which needs CAP_NET_ADMIN or CAP_NET_RAW: the
 * calling thread keeps those two (PR_SET_KEEPCAPS, then capset to just
 * them) and the workers it starts afterwards inherit them. Threads that
 * already run (callout workers) keep nothing either way. The bounding set
 * is cut to the kept capabilities and no_new_privs is set, so not even an
 * exec of a set-uid program can bring anything back.
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proxy/privdrop.h"

#define NET_CAPS ((1u << CAP_NET_ADMIN) | (1u << CAP_NET_RAW))

static int fail_errno(owfp_error *err, const char *user, const char *what)
{
	int e = errno ? errno : EPERM;
	snprintf(err->msg, sizeof(err->msg), "--user %s: %s: %s", user, what, strerror(e));
	return -e;
}

/* Every capability outside KEEP leaves the bounding set (needs CAP_SETPCAP,
 * so this runs while still root). The loop ends at the kernel's last one. */
static int bounding_set_limit(unsigned keep)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (cap < 32 && (keep & (1u << cap)))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
			return -1;
	}
	return 0;
}

/* This thread's permitted and effective sets become exactly KEEP. */
static int caps_set(unsigned keep)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	data[0].permitted = keep;
	data[0].effective = keep;
	return (int)syscall(SYS_capset, &hdr, data);
}

int owfp_proxy_drop_privileges(const char *user, bool keep_net_caps, owfp_error *err)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	unsigned keep = keep_net_caps ? NET_CAPS : 0;
	int rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);

	if (rc != 0 || !res) {
		snprintf(err->msg, sizeof(err->msg), "--user %s: no such user%s%s", user,
			 rc ? ": " : "", rc ? strerror(rc) : "");
		return rc ? -rc : -ENOENT;
	}
	errno = 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail_errno(err, user, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (bounding_set_limit(keep) != 0)
		return fail_errno(err, user, "cannot limit the capability bounding set (needs root)");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
		return fail_errno(err, user, "cannot clear the ambient capabilities");
	if (keep && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0)
		return fail_errno(err, user, "prctl(PR_SET_KEEPCAPS)");
	if (initgroups(pw.pw_name, pw.pw_gid) != 0 ||
	    setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) != 0 ||
	    setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) != 0) {
		int e = errno;
		snprintf(err->msg, sizeof(err->msg), "--user %s: cannot switch to uid %u: %s", user,
			 (unsigned)pw.pw_uid, strerror(e));
		return -e;
	}
	/* Leaving uid 0 emptied the effective set; permitted still holds
	 * everything root had, so cut it to what is kept (or to nothing). */
	if (caps_set(keep) != 0)
		return fail_errno(err, user, "capset");
	if (keep && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0)
		return fail_errno(err, user, "prctl(PR_SET_KEEPCAPS, 0)");
	/* Fail closed if the switch did not stick (it must be irreversible). */
	if (pw.pw_uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
		snprintf(err->msg, sizeof(err->msg), "--user %s: root could be regained", user);
		return -EPERM;
	}
	return 0;
}
