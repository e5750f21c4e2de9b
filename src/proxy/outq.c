#include "proxy/outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* Small deliveries share a chunk; big ones get a chunk of their own size. */
#define OUTQ_CHUNK_MIN (16u * 1024u)
#define OUTQ_IOV_MAX 16

struct owfp_outq_chunk {
	struct owfp_outq_chunk *next;
	size_t off, len, cap;
	uint8_t data[];
};

int owfp_outq_append(owfp_outq *q, const uint8_t *data, size_t len)
{
	struct owfp_outq_chunk *t = q->tail;

	if (len == 0)
		return 0;
	if (t && t->cap - t->len >= len) {
		memcpy(t->data + t->len, data, len);
		t->len += len;
		q->bytes += len;
		return 0;
	}
	size_t cap = len > OUTQ_CHUNK_MIN ? len : OUTQ_CHUNK_MIN;
	struct owfp_outq_chunk *c = malloc(sizeof(*c) + cap);
	if (!c)
		return -ENOMEM;
	c->next = NULL;
	c->off = 0;
	c->len = len;
	c->cap = cap;
	memcpy(c->data, data, len);
	if (t)
		t->next = c;
	else
		q->head = c;
	q->tail = c;
	q->bytes += len;
	return 0;
}

static void outq_consume(owfp_outq *q, size_t n)
{
	q->bytes -= n;
	while (n > 0) {
		struct owfp_outq_chunk *c = q->head;
		size_t avail = c->len - c->off;
		if (n < avail) {
			c->off += n;
			return;
		}
		n -= avail;
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
		free(c);
	}
}

ssize_t owfp_outq_flush(owfp_outq *q, int fd)
{
	size_t total = 0;

	while (q->head) {
		struct iovec iov[OUTQ_IOV_MAX];
		int n = 0;
		for (struct owfp_outq_chunk *c = q->head; c && n < OUTQ_IOV_MAX; c = c->next) {
			iov[n].iov_base = c->data + c->off;
			iov[n].iov_len = c->len - c->off;
			n++;
		}
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = (size_t)n };
		ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		outq_consume(q, (size_t)w);
		total += (size_t)w;
	}
	return (ssize_t)total;
}

void owfp_outq_clear(owfp_outq *q)
{
	struct owfp_outq_chunk *c = q->head;

	while (c) {
		struct owfp_outq_chunk *next = c->next;
		free(c);
		c = next;
	}
	q->head = q->tail = NULL;
	q->bytes = 0;
}
