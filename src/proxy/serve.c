/* The management loop: signals (drain, reload) and the control socket. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "host/notify.h"
#include "proxy/proxy_int.h"
#include "proxy/serve.h"

static void serve_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
}

void owfp_proxy_signals_block(void)
{
	sigset_t set;

	serve_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* Writes to a reset peer must fail with EPIPE, not kill the process (splice too). */
	signal(SIGPIPE, SIG_IGN);
}

static void say(const owfp_proxy_serve_opts *o, const char *fmt, const char *arg)
{
	char msg[700];

	if (!o->m.log)
		return;
	snprintf(msg, sizeof(msg), fmt, arg);
	o->m.log(o->m.user, msg);
}

/*
 * free() gives memory back to the kernel only from the top of each of
 * glibc's per-thread arenas, so the buffers of a busy period stay resident
 * after it (docs/RELIABILITY.md, "Soak"). Once traffic has stopped for a
 * tick (no byte moved, no connection accepted since the last look), hand
 * the free pages back, once per quiet period. This used to wait for zero
 * open connections, so one idle connection kept a burst's 28-33 MB for good
 * (issue 17 item 7); the workers keep no per-connection cache for a trim to
 * take away, and malloc_trim(0) only returns pages no chunk uses.
 */
typedef struct trim_state {
	uint64_t moved; /* bytes + accepts at the last look */
	bool busy;      /* something moved since the last trim */
} trim_state;

static void trim_when_quiet(owfp_proxy *p, trim_state *t)
{
	owfp_proxy_stats st;

	owfp_proxy_stats_get(p, &st);
	uint64_t moved = st.accepted + st.bytes_read[0] + st.bytes_read[1] + st.bytes_written[0] +
			 st.bytes_written[1] + st.bytes_spliced + st.queued;
	if (moved != t->moved) {
		t->moved = moved;
		t->busy = true;
		return;
	}
	if (t->busy) {
		malloc_trim(0);
		t->busy = false;
	}
}

int owfp_proxy_serve(owfp_proxy *p, const owfp_proxy_serve_opts *o, owfp_error *err)
{
	sigset_t set;
	owfp_control *ctl = NULL;
	unsigned drain_ms = o->drain_timeout_ms ? o->drain_timeout_ms : 10000;
	uint64_t drain_deadline = 0;
	trim_state trim = {0, false};
	int rc;

	serve_signals(&set);
	int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		snprintf(err->msg, sizeof(err->msg), "signalfd: %s", strerror(errno));
		return -errno;
	}
	if (o->control_path) {
		rc = owfp_control_open(o->control_path, p, &o->m, &ctl, err);
		if (rc) {
			close(sfd);
			return rc;
		}
	}
	owfp_notify("READY=1"); /* systemd Type=notify (host/notify.h) */
	for (;;) {
		struct pollfd pf[2] = {{.fd = sfd, .events = POLLIN},
				       {.fd = ctl ? owfp_control_fd(ctl) : -1, .events = POLLIN}};
		/* the workers do not tell this loop when they go idle: look every second */
		int n = poll(pf, 2, drain_deadline ? 50 : 1000);
		if (n < 0 && errno != EINTR) {
			rc = -errno;
			snprintf(err->msg, sizeof(err->msg), "poll: %s", strerror(errno));
			break;
		}
		if (drain_deadline) {
			if (owfp_proxy_active(p) == 0) {
				say(o, "%s", "drained: every connection finished");
				rc = 0;
				break;
			}
			if (owfp_clock_ms() >= drain_deadline) {
				say(o, "%s",
				    "drain deadline reached: resetting the remaining connections");
				rc = 0;
				break;
			}
		}
		owfp_notify_watchdog();
		if (!drain_deadline)
			trim_when_quiet(p, &trim);
		if (ctl)
			owfp_control_run(ctl);
		if (!(pf[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP) {
			owfp_error rerr = {{0}};
			if (!o->m.reload)
				say(o, "%s", "SIGHUP: nothing to reload");
			else if (o->m.reload(o->m.user, &rerr) == 0)
				say(o, "%s", "SIGHUP: configuration reloaded");
			else
				say(o, "SIGHUP: new configuration rejected, the old one stays: %s",
				    rerr.msg);
			continue;
		}
		if (drain_deadline) { /* a second SIGTERM: stop now */
			rc = 0;
			break;
		}
		owfp_notify("STOPPING=1");
		say(o, "%s", "draining: no new connections, waiting for open ones");
		owfp_proxy_stop_accepting(p);
		drain_deadline = owfp_clock_ms() + drain_ms;
	}
	owfp_control_close(ctl);
	close(sfd);
	return rc;
}
