#include "proxy/sock.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * From linux/netfilter_ipv4.h and linux/netfilter_ipv6/ip6_tables.h, which
 * clash with the libc socket headers.
 */
#ifndef SO_ORIGINAL_DST
#define SO_ORIGINAL_DST 80
#endif
#ifndef IP6T_SO_ORIGINAL_DST
#define IP6T_SO_ORIGINAL_DST 80
#endif

static int set_transparent(int fd, int family)
{
	int one = 1;
	if (family == AF_INET6)
		return setsockopt(fd, SOL_IPV6, IPV6_TRANSPARENT, &one, sizeof(one));
	return setsockopt(fd, SOL_IP, IP_TRANSPARENT, &one, sizeof(one));
}

int owfp_sock_listen(const owfp_proxy_addr *addr, bool transparent, owfp_error *err)
{
	char as[80];
	const char *what;
	int one = 1;
	int family = addr->ss.ss_family;
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

	if (fd < 0) {
		what = "socket";
		goto fail;
	}
	what = "setsockopt SO_REUSEADDR";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	what = "setsockopt SO_REUSEPORT";
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))
		goto fail;
	/*
	 * Accepted sockets inherit these, which saves two system calls per
	 * connection: we forward whole recv() chunks, so Nagle would only add
	 * latency, and urgent bytes stay in the stream in order (Q17).
	 */
	what = "setsockopt TCP_NODELAY";
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		goto fail;
	what = "setsockopt SO_OOBINLINE";
	if (setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one)))
		goto fail;
	what = "setsockopt IP_TRANSPARENT (needs CAP_NET_ADMIN)";
	if (transparent && set_transparent(fd, family))
		goto fail;
	what = "bind";
	if (bind(fd, (const struct sockaddr *)&addr->ss, addr->len))
		goto fail;
	what = "listen";
	if (listen(fd, 4096))
		goto fail;
	return fd;
fail : {
	int e = errno;
	if (err)
		snprintf(err->msg, sizeof(err->msg), "listen on %s: %s: %s",
			 owfp_proxy_addr_str((const struct sockaddr *)&addr->ss, as, sizeof(as)),
			 what, strerror(e));
	if (fd >= 0)
		close(fd);
	return -e;
}
}

int owfp_sock_connect(const owfp_proxy_addr *to, const owfp_proxy_addr *source, bool *done)
{
	int one = 1;
	int family = to->ss.ss_family;
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

	*done = false;
	if (fd < 0)
		return -errno;
	/* As for accepted sockets (owfp_sock_listen). TCP_NODELAY comes
	 * later, before a second write (conn.c, side_nodelay). */
	setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, &one, sizeof(one));
	if (source) {
		if (set_transparent(fd, family) ||
		    bind(fd, (const struct sockaddr *)&source->ss, source->len))
			goto fail;
	}
	if (connect(fd, (const struct sockaddr *)&to->ss, to->len) == 0) {
		*done = true;
		return fd;
	}
	if (errno == EINPROGRESS)
		return fd;
fail : {
	int e = errno;
	close(fd);
	return -e;
}
}

int owfp_sock_keepalive(int fd, unsigned idle_s)
{
	int one = 1, idle = (int)idle_s, intvl = idle_s < 10 ? (int)idle_s : 10, cnt = 6;
	unsigned user = (idle_s + (unsigned)(intvl * cnt)) * 1000u;

	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) ||
	    setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user, sizeof(user)))
		return -errno;
	return 0;
}

void owfp_sock_reset(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

int owfp_sock_original_dst(int fd, owfp_proxy_addr *out, bool *tproxy)
{
	struct sockaddr_storage local = {.ss_family = AF_UNSPEC};
	socklen_t len = sizeof(local);

	memset(out, 0, sizeof(*out));
	if (getsockname(fd, (struct sockaddr *)&local, &len))
		return -errno;
	out->len = sizeof(out->ss);
	int rc;
	if (local.ss_family == AF_INET6)
		rc = getsockopt(fd, SOL_IPV6, IP6T_SO_ORIGINAL_DST, &out->ss, &out->len);
	else
		rc = getsockopt(fd, SOL_IP, SO_ORIGINAL_DST, &out->ss, &out->len);
	/*
	 * Conntrack also knows TPROXY'd connections; only a destination that
	 * differs from the socket's own address means a REDIRECT/DNAT.
	 */
	if (rc == 0 && !owfp_sock_addr_equal((struct sockaddr *)&out->ss, (struct sockaddr *)&local)) {
		*tproxy = false;
		return 0;
	}
	memcpy(&out->ss, &local, len);
	out->len = len;
	*tproxy = true;
	return 0;
}

int owfp_sock_error(int fd)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len))
		return errno;
	return e;
}

bool owfp_sock_addr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}
