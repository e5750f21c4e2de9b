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
 *
 * Those two are per-thread attributes (prctl acts on the calling thread
 * only), and threads already run before the drop: a built-in's timer or
 * worker started with the configuration. So every other thread is asked to
 * apply them itself, with a signal (the way glibc applies setresuid to all
 * threads), while still root: cutting the bounding set needs CAP_SETPCAP.
 * A thread that does not answer fails the drop (fail closed). Before this,
 * such threads kept the full bounding set and no_new_privs 0 (issue 17).
 */
#include <dirent.h>
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
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
#include "util/deadline.h"

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

/* ---- the per-thread part on every other thread */

static unsigned thread_keep;
static atomic_int thread_errno;
static sem_t thread_answered; /* one post per answer: the caller waits on it, not a poll */

/* Runs in a signal handler: prctl is a plain system call, sem_post is
 * async-signal-safe. */
static void per_thread(int sig)
{
	int saved = errno;
	(void)sig;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || bounding_set_limit(thread_keep) != 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0)
		atomic_store(&thread_errno, errno ? errno : EPERM);
	sem_post(&thread_answered);
	errno = saved;
}

#define MAX_THREADS 4096

static bool seen(const pid_t *v, size_t n, pid_t t)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == t)
			return true;
	return false;
}

/* Signals every thread not signalled yet; the number signalled, or -errno. */
static long signal_new_threads(int sig, pid_t *done, size_t *ndone)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *de;
	long sent = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t t = (pid_t)atoi(de->d_name);
		if (t <= 0 || seen(done, *ndone, t))
			continue;
		if (*ndone == MAX_THREADS) {
			closedir(d);
			return -E2BIG;
		}
		done[(*ndone)++] = t;
		if (syscall(SYS_tgkill, getpid(), t, sig) == 0)
			sent++;
		else if (errno != ESRCH) { /* ESRCH: it ended meanwhile */
			int e = errno;
			closedir(d);
			return -e;
		}
	}
	closedir(d);
	return sent;
}

/* Applies no_new_privs, the bounding set and the cleared ambient set on
 * every thread but this one; re-reads the thread list until a pass finds
 * none it has not seen (a thread started meanwhile inherits from its
 * creator, which may not have been done yet). */
static int other_threads_limit(unsigned keep, owfp_error *err, const char *user)
{
	static pid_t done[MAX_THREADS];
	size_t ndone = 0;
	int sig = SIGRTMIN + 5;
	struct sigaction sa, old;
	long sent, total = 0, answered = 0;
	int rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = per_thread;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	thread_keep = keep;
	atomic_store(&thread_errno, 0);
	sem_init(&thread_answered, 0, 0);
	if (sigaction(sig, &sa, &old) != 0)
		return fail_errno(err, user, "sigaction");
	done[ndone++] = (pid_t)syscall(SYS_gettid); /* this one does its own */
	do {
		sent = signal_new_threads(sig, done, &ndone);
		if (sent < 0) {
			errno = (int)-sent;
			rc = fail_errno(err, user, "cannot reach every thread (/proc/self/task)");
			break;
		}
		total += sent;
		/* Bounded: 5 s for every signalled thread to answer. */
		struct timespec dl = owfp_deadline_after_ns(CLOCK_MONOTONIC, 5000000000u);
		while (answered < total) {
			if (sem_clockwait(&thread_answered, CLOCK_MONOTONIC, &dl) == 0)
				answered++;
			else if (errno != EINTR)
				break; /* ETIMEDOUT */
		}
		if (answered < total) {
			snprintf(err->msg, sizeof(err->msg),
				 "--user %s: %ld of %ld threads did not drop their bounding set "
				 "(signal %d blocked?)",
				 user, total - answered, total, sig);
			rc = -ETIMEDOUT;
			break;
		}
	} while (sent > 0);
	if (rc == 0 && atomic_load(&thread_errno)) {
		errno = atomic_load(&thread_errno);
		rc = fail_errno(err, user, "a thread could not limit its bounding set");
	}
	/* A late answer after a failure only finds the old disposition when no
	 * thread is still pending; on failure the process exits anyway. */
	if (rc == 0) {
		sigaction(sig, &old, NULL);
		sem_destroy(&thread_answered);
	}
	return rc;
}

/* This thread's permitted and effective sets become exactly KEEP. */
static int caps_set(unsigned keep)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
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
	if ((rc = other_threads_limit(keep, err, user)) != 0)
		return rc;
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
