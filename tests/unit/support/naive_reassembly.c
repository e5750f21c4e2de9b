#include "naive_reassembly.h"

#include <stdlib.h>
#include <string.h>

void naive_init(struct naive_dir *n, size_t size, bool last_wins)
{
	memset(n, 0, sizeof(*n));
	n->bytes = calloc(size + 1, 1);
	n->have = calloc(size + 1, sizeof(bool));
	n->size = size;
	n->last_wins = last_wins;
}

void naive_free(struct naive_dir *n)
{
	free(n->bytes);
	free(n->have);
}

void naive_segment(struct naive_dir *n, size_t off, const uint8_t *data, size_t len, bool fin)
{
	if (n->fin_delivered)
		return;
	if (fin && !n->fin_seen) {
		n->fin_seen = true;
		n->fin_off = off + len;
	}
	for (size_t i = 0; i < len; i++) {
		size_t o = off + i;
		if (o < n->delivered || o >= n->size || (n->fin_seen && o >= n->fin_off))
			continue;
		if (!n->have[o] || n->last_wins) {
			n->bytes[o] = data[i];
			n->have[o] = true;
		}
	}
	while (n->delivered < n->size && n->have[n->delivered] &&
	       !(n->fin_seen && n->delivered >= n->fin_off))
		n->delivered++;
	if (n->fin_seen && n->delivered == n->fin_off)
		n->fin_delivered = true;
}
