/*
 * A per-(connection, direction) output queue: bytes the engine delivered
 * that the destination socket has not taken yet. Chunks are appended by
 * copying; the head is written with writev().
 */
#ifndef OWFP_PROXY_OUTQ_H
#define OWFP_PROXY_OUTQ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct owfp_outq_chunk;

typedef struct owfp_outq {
	struct owfp_outq_chunk *head, *tail;
	size_t bytes;
} owfp_outq;

/* Appends a copy of data. 0 or -ENOMEM (the queue is unchanged). */
int owfp_outq_append(owfp_outq *q, const uint8_t *data, size_t len);
/*
 * Writes as much of the queue to fd as the socket takes. Returns bytes
 * written (0 when the socket is full) or a negative errno (EPIPE, ...).
 */
ssize_t owfp_outq_flush(owfp_outq *q, int fd);
void owfp_outq_clear(owfp_outq *q);

#endif /* OWFP_PROXY_OUTQ_H */
