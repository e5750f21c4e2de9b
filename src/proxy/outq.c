#include "proxy/outq.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

/*
 * Small deliveries share a chunk; big ones are split into chunks that stay
 * below malloc's mmap threshold, so queueing never costs page faults.
 */
#define OUTQ_CHUNK (64u * 1024u - 64u)
#define OUTQ_IOV_MAX 16

struct owfp_outq_chunk {
	struct owfp_outq_chunk *next;
	size_t off, len, cap;
	uint8_t data[];
};

static void outq_trim_tail(owfp_outq *q, struct owfp_outq_chunk *keep, size_t keep_len)
{
	struct owfp_outq_chunk *c = keep ? keep->next : q->head;

	while (c) {
		struct owfp_outq_chunk *next = c->next;
		free(c);
		c = next;
	}
	if (keep) {
		keep->next = NULL;
		keep->len = keep_len;
	} else {
		q->head = NULL;
	}
	q->tail = keep;
}

int owfp_outq_append(owfp_outq *q, const uint8_t *data, size_t len)
{
	struct owfp_outq_chunk *old_tail = q->tail;
	size_t old_tail_len = old_tail ? old_tail->len : 0;
	size_t left = len;

	while (left) {
		struct owfp_outq_chunk *t = q->tail;
		if (!t || t->len == t->cap) {
			t = owfp_malloc(sizeof(*t) + OUTQ_CHUNK);
			if (!t) {
				/* All or nothing: the caller fails closed on this. */
				outq_trim_tail(q, old_tail, old_tail_len);
				return -ENOMEM;
			}
			t->next = NULL;
			t->off = t->len = 0;
			t->cap = OUTQ_CHUNK;
			if (q->tail)
				q->tail->next = t;
			else
				q->head = t;
			q->tail = t;
		}
		size_t n = t->cap - t->len < left ? t->cap - t->len : left;
		memcpy(t->data + t->len, data, n);
		t->len += n;
		data += n;
		left -= n;
	}
	q->bytes += len;
	return 0;
}

static void outq_consume(owfp_outq *q, size_t n)
{
	q->bytes -= n;
	/* The kernel never reports more sent than the queue offered. */
	while (n > 0 && q->head) {
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
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
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
