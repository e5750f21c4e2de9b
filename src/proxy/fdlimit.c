/*
 * Descriptors per connection: a proxied connection holds two sockets, and
 * two pipes more (six descriptors) once it is spliced. The usual soft limit
 * of 1024 would stop the proxy near 500 connections with EMFILE, so the
 * command raises it to the hard limit, and the default --max-connections
 * is what the limit holds: past it a connection is refused cleanly at
 * accept instead of the kernel refusing descriptors mid-way.
 */
#include <dirent.h>
#include <stdint.h>
#include <sys/resource.h>

#include "proxy/proxy.h"

/* Descriptors left free besides the connections' own: control clients, a
 * configuration reload, a plugin opening a file. */
#define FD_HEADROOM 8
/* When /proc cannot be read: what a started proxy typically has open. */
#define FD_OPEN_GUESS 16

void owfp_proxy_fd_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl); /* best effort: the old limit stays */
	}
}

uint64_t owfp_proxy_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY)
		return UINT64_MAX;
	return rl.rlim_cur;
}

static uint64_t fds_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	uint64_t n = 0;

	if (!d)
		return FD_OPEN_GUESS;
	while (readdir(d))
		n++;
	closedir(d);
	return n > 3 ? n - 3 : 0; /* ".", ".." and the directory's own */
}

uint64_t owfp_proxy_fd_fit(uint64_t to_open)
{
	uint64_t limit = owfp_proxy_fd_limit();
	uint64_t used = fds_open() + to_open + FD_HEADROOM;

	if (limit == UINT64_MAX)
		return UINT64_MAX;
	return limit > used + 2 ? (limit - used) / 2 : 1;
}
