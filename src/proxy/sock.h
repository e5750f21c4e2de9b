/* Socket helpers for the proxy: listeners, upstream connects, resets. */
#ifndef OWFP_PROXY_SOCK_H
#define OWFP_PROXY_SOCK_H

#include <stdbool.h>

#include "proxy/proxy.h"

/* A non-blocking SO_REUSEPORT listener; IP_TRANSPARENT when transparent. */
int owfp_sock_listen(const owfp_proxy_addr *addr, bool transparent, owfp_error *err);
/*
 * Starts a non-blocking connect to `to`. With `source` (TPROXY spoofing)
 * the socket gets IP_TRANSPARENT and is bound to that address first.
 * Returns the fd or a negative errno; *done says the connect completed.
 */
int owfp_sock_connect(const owfp_proxy_addr *to, const owfp_proxy_addr *source, bool *done);
/* TCP keepalive after `idle_s` idle seconds, probes every 10 s (at most
 * idle_s), 6 of them, and TCP_USER_TIMEOUT the same total for data never
 * acknowledged. Accepted sockets inherit it from their listener. */
int owfp_sock_keepalive(int fd, unsigned idle_s);
/* Closes with SO_LINGER 0, so the peer sees an RST. */
void owfp_sock_reset(int fd);
/*
 * The original destination of a transparently accepted connection:
 * SO_ORIGINAL_DST / IP6T_SO_ORIGINAL_DST (REDIRECT), else the local
 * address (TPROXY). *tproxy says which.
 */
int owfp_sock_original_dst(int fd, owfp_proxy_addr *out, bool *tproxy);
/* The pending error of a connecting socket (SO_ERROR), as a positive errno. */
int owfp_sock_error(int fd);
/* Same address and port. */
bool owfp_sock_addr_equal(const struct sockaddr *a, const struct sockaddr *b);

#endif /* OWFP_PROXY_SOCK_H */
