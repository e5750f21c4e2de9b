/*
 * The local process behind a TCP connection the proxy accepted, found the
 * way ss(8) and lsof do: the connecting socket's inode from /proc/net/tcp
 * (or tcp6), the process holding that inode from /proc/PID/fd, its program
 * from /proc/PID/exe. Only a client on this host (loopback, or the
 * transparent router's own programs) can be found; the lookup needs
 * permission to read other users' /proc/PID/fd (root, or the same user).
 */
#ifndef OWFP_PROXY_PROCINFO_H
#define OWFP_PROXY_PROCINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * `client` is the peer address of the accepted socket, `server` its local
 * address (the listen address, or the original destination). Returns 0
 * with *pid and path (NUL-terminated, the target of /proc/PID/exe), or
 * -ENOENT when no local socket or process matches (a remote client, or no
 * permission), or another negative errno.
 */
int owfp_proxy_local_process(const struct sockaddr *client, const struct sockaddr *server,
			     uint64_t *pid, char *path, size_t len);

#endif
