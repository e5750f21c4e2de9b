/*
 * Walks the data bytes of a NET_BUFFER_LIST chain piece by piece, the way
 * a driver must: from each NET_BUFFER's current MDL and offset, for its
 * DataLength bytes, across MDLs, NET_BUFFERs and NET_BUFFER_LISTs.
 */
#ifndef OWFP_BUFFER_NB_CURSOR_H
#define OWFP_BUFFER_NB_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "openwfp/ndis.h"

typedef struct owfp_nb_cursor {
	NET_BUFFER_LIST *nbl;
	NET_BUFFER *nb;
	MDL *mdl;
	size_t mdl_off;
	size_t nb_left; /* data bytes left in nb from the cursor on */
} owfp_nb_cursor;

/* A cursor at the data start of the first NET_BUFFER of `nbl`. */
void owfp_nb_cursor_init(owfp_nb_cursor *c, NET_BUFFER_LIST *nbl);
/* A cursor at an explicit position (a FWPS_STREAM_DATA_OFFSET0). */
void owfp_nb_cursor_at(owfp_nb_cursor *c, NET_BUFFER_LIST *nbl, NET_BUFFER *nb, MDL *mdl,
		       size_t mdl_off, size_t nb_left);
/*
 * The next contiguous piece, at most `max` bytes: returns its length (0 at
 * the end of the chain) and sets *data and *mdl (the MDL it lies in).
 */
size_t owfp_nb_cursor_next(owfp_nb_cursor *c, size_t max, const uint8_t **data, MDL **mdl);
/* Data bytes in a whole NBL chain (sum of DataLength). */
size_t owfp_nbl_chain_length(const NET_BUFFER_LIST *nbl);

#endif
