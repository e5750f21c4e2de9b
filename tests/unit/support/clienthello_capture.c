/* Records a ClientHello from `openssl s_client` over loopback (see header). */
#include "clienthello_capture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Bytes of handshake payload needed, judged from the records so far; 0 = unknown. */
static size_t hello_complete(const uint8_t *b, size_t n)
{
	size_t off = 0, payload = 0, need = 0;
	uint8_t hs[4];
	size_t hsn = 0;
	while (off + 5 <= n) {
		size_t rl = (size_t)b[off + 3] << 8 | b[off + 4];
		if (off + 5 + rl > n)
			return 0;
		for (size_t i = 0; i < rl && hsn < 4; i++)
			hs[hsn++] = b[off + 5 + i];
		payload += rl;
		off += 5 + rl;
		if (hsn == 4)
			need = 4 + ((size_t)hs[1] << 16 | (size_t)hs[2] << 8 | hs[3]);
		if (need && payload >= need)
			return off;
	}
	return 0;
}

long owfp_test_record_clienthello(const char *sni, const char *alpn, const char *extra,
				  uint8_t *buf, size_t cap)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0)
		return -errno;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	if (bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &al)) {
		close(ls);
		return -errno;
	}
	char target[64];
	snprintf(target, sizeof(target), "127.0.0.1:%u", ntohs(a.sin_port));

	pid_t pid = fork();
	if (pid < 0) {
		close(ls);
		return -errno;
	}
	if (pid == 0) {
		int dn = open("/dev/null", O_RDWR);
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(dn, 2);
		const char *argv[16];
		int k = 0;
		argv[k++] = "openssl";
		argv[k++] = "s_client";
		argv[k++] = "-connect";
		argv[k++] = target;
		if (sni) {
			argv[k++] = "-servername";
			argv[k++] = sni;
		} else {
			argv[k++] = "-noservername";
		}
		if (alpn) {
			argv[k++] = "-alpn";
			argv[k++] = alpn;
		}
		if (extra)
			argv[k++] = extra;
		argv[k] = NULL;
		execvp("openssl", (char *const *)argv);
		_exit(127);
	}
	long rc = -ETIMEDOUT;
	struct pollfd p = {.fd = ls, .events = POLLIN};
	if (poll(&p, 1, 10000) == 1) {
		int c = accept(ls, NULL, NULL);
		size_t n = 0;
		while (c >= 0) {
			struct pollfd q = {.fd = c, .events = POLLIN};
			if (poll(&q, 1, 10000) != 1)
				break;
			ssize_t r = read(c, buf + n, cap - n);
			if (r <= 0)
				break;
			n += (size_t)r;
			size_t done = hello_complete(buf, n);
			if (done) {
				rc = (long)done;
				break;
			}
			if (n == cap) {
				rc = -ENOSPC;
				break;
			}
		}
		if (c >= 0)
			close(c);
	}
	close(ls);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return rc;
}

long owfp_test_reframe_records(const uint8_t *in, size_t len, size_t rec_payload, uint8_t *out,
			       size_t cap)
{
	uint8_t payload[65536];
	size_t pn = 0, off = 0;
	uint8_t ver[2] = {3, 1};
	while (off + 5 <= len) {
		size_t rl = (size_t)in[off + 3] << 8 | in[off + 4];
		if (off + 5 + rl > len || pn + rl > sizeof(payload))
			return -1;
		if (off == 0) {
			ver[0] = in[1];
			ver[1] = in[2];
		}
		memcpy(payload + pn, in + off + 5, rl);
		pn += rl;
		off += 5 + rl;
	}
	size_t o = 0;
	for (size_t p = 0; p < pn; p += rec_payload) {
		size_t k = pn - p < rec_payload ? pn - p : rec_payload;
		if (o + 5 + k > cap)
			return -1;
		out[o++] = 22;
		out[o++] = ver[0];
		out[o++] = ver[1];
		out[o++] = (uint8_t)(k >> 8);
		out[o++] = (uint8_t)k;
		memcpy(out + o, payload + p, k);
		o += k;
	}
	return (long)o;
}
