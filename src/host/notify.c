/*
 * sd_notify written out rather than linked: the protocol is one datagram
 * of text to a socket path (documented as stable in sd_notify(3), which
 * invites reimplementation), the proxy needs nothing else of libsystemd,
 * and not linking it keeps the command free of a library (and its own
 * dependencies) that a run outside systemd would map for nothing.
 */
#include "host/notify.h"

#include <errno.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "openwfp/openwfp.h"

int owfp_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t plen;

	if (!path || !*path)
		return 0;
	plen = strlen(path);
	/* "/path" or "@abstract"; anything else (e.g. vsock:) is not ours to speak */
	if ((path[0] != '/' && path[0] != '@') || plen >= sizeof(sa.sun_path))
		return -EAFNOSUPPORT;
	memcpy(sa.sun_path, path, plen);
	if (path[0] == '@')
		sa.sun_path[0] = 0;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen);
	ssize_t n = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	int rc = n < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int owfp_notify_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000);
	return owfp_notify(msg);
}

uint64_t owfp_notify_watchdog_usec(void)
{
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	char *end;

	if (!usec || !getenv("NOTIFY_SOCKET"))
		return 0;
	if (pid && strtol(pid, &end, 10) != (long)getpid())
		return 0;
	unsigned long long v = strtoull(usec, &end, 10);
	return end != usec && !*end ? v : 0;
}

void owfp_notify_watchdog(void)
{
	/* process-wide, like the environment it comes from */
	static _Atomic uint64_t last_ms;
	uint64_t usec = owfp_notify_watchdog_usec();
	uint64_t now = owfp_clock_ms();

	if (!usec)
		return;
	uint64_t prev = atomic_load(&last_ms);
	if (prev && now - prev < usec / 2000)
		return;
	if (atomic_compare_exchange_strong(&last_ms, &prev, now))
		owfp_notify("WATCHDOG=1");
}
