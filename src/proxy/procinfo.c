/*
 * Finding the local process of a connection through /proc (procinfo.h).
 * No library offers this: libprocps's API is being replaced and does not
 * map sockets to processes; ss and lsof do exactly these steps.
 */
#include "proxy/procinfo.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An endpoint as /proc/net/tcp{,6} prints it: the address words in host
 * order, hex, then the port. */
static void proc_addr(const struct sockaddr *sa, bool v6table, char *out, size_t len)
{
	uint32_t w[4];
	uint16_t port;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
		port = ntohs(s->sin_port);
		if (!v6table) {
			snprintf(out, len, "%08X:%04X", s->sin_addr.s_addr, port);
			return;
		}
		/* As IPv4-mapped IPv6. */
		w[0] = w[1] = 0;
		w[2] = htonl(0xffff);
		w[3] = s->sin_addr.s_addr;
	} else {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
		port = ntohs(s->sin6_port);
		memcpy(w, &s->sin6_addr, 16);
		if (!v6table) {
			snprintf(out, len, "%08X:%04X", w[3], port);
			return;
		}
	}
	snprintf(out, len, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2], w[3], port);
}

static bool v4_mapped(const struct sockaddr *sa)
{
	return sa->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* The inode of the socket whose local end is `local` and remote end `remote`. */
static int find_inode(const char *table, const char *local, const char *remote, unsigned long *inode)
{
	FILE *f = fopen(table, "re");
	char line[512], l[64], r[64];
	unsigned long ino;
	int found = -ENOENT;

	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) { /* header */
		fclose(f);
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %*d: %63s %63s %*x %*x:%*x %*x:%*x %*x %*u %*d %lu", l, r,
			   &ino) != 3)
			continue;
		if (!strcmp(l, local) && !strcmp(r, remote) && ino) {
			*inode = ino;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static bool holds_inode(const char *pid, const char *want)
{
	char dir[300], link[300 + 256], target[64];
	struct dirent *e;
	DIR *d;
	bool yes = false;

	snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
	if (!(d = opendir(dir)))
		return false;
	while (!yes && (e = readdir(d))) {
		ssize_t n;
		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		yes = !strcmp(target, want);
	}
	closedir(d);
	return yes;
}

int owfp_proxy_local_process(const struct sockaddr *client, const struct sockaddr *server,
			     uint64_t *pid, char *path, size_t len)
{
	char local[64], remote[64], want[64], exe[64];
	unsigned long inode = 0;
	struct dirent *e;
	DIR *d;
	int rc = -ENOENT;

	if (client->sa_family != server->sa_family || len == 0)
		return -EINVAL;
	/* The connecting socket: its local end is our client, its remote end us. */
	if (client->sa_family == AF_INET || v4_mapped(client)) {
		proc_addr(client, false, local, sizeof(local));
		proc_addr(server, false, remote, sizeof(remote));
		rc = find_inode("/proc/net/tcp", local, remote, &inode);
	}
	if (rc) {
		proc_addr(client, true, local, sizeof(local));
		proc_addr(server, true, remote, sizeof(remote));
		rc = find_inode("/proc/net/tcp6", local, remote, &inode);
	}
	if (rc)
		return rc;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	if (!(d = opendir("/proc")))
		return -errno;
	rc = -ENOENT;
	while ((e = readdir(d))) {
		char *end;
		unsigned long long p = strtoull(e->d_name, &end, 10);
		if (*end || !p || !holds_inode(e->d_name, want))
			continue;
		snprintf(exe, sizeof(exe), "/proc/%llu/exe", p);
		ssize_t n = readlink(exe, path, len - 1);
		if (n <= 0)
			break;
		path[n] = 0;
		*pid = p;
		rc = 0;
		break;
	}
	closedir(d);
	return rc;
}
