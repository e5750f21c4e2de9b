/*
 * --user: give up root once everything that needs it is done (listeners
 * bound, plugins loaded, events file open). setresgid/setresuid are applied
 * to every thread by glibc, and leaving uid 0 without PR_SET_KEEPCAPS clears
 * every capability, so the workers keep none. --spoof-source still needs
 * CAP_NET_ADMIN for each upstream socket, so the CLI refuses that pair.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proxy/privdrop.h"

int owfp_proxy_drop_privileges(const char *user, owfp_error *err)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	int rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (rc != 0 || !res) {
		snprintf(err->msg, sizeof(err->msg), "--user %s: no such user%s%s", user,
			 rc ? ": " : "", rc ? strerror(rc) : "");
		return rc ? -rc : -ENOENT;
	}
	if (initgroups(pw.pw_name, pw.pw_gid) != 0 ||
	    setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) != 0 ||
	    setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) != 0) {
		int e = errno;
		snprintf(err->msg, sizeof(err->msg), "--user %s: cannot switch to uid %u: %s", user,
			 (unsigned)pw.pw_uid, strerror(e));
		return -e;
	}
	/* Fail closed if the switch did not stick (it must be irreversible). */
	if (pw.pw_uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
		snprintf(err->msg, sizeof(err->msg), "--user %s: root could be regained", user);
		return -EPERM;
	}
	return 0;
}
