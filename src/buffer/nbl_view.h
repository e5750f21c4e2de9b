/*
 * The NET_BUFFER_LIST view of an indication (S13): one NBL and one
 * NET_BUFFER whose MDL chain is the chain of held nodes itself, so building
 * it is O(1) however many pieces the bytes arrived in.
 */
#ifndef OWFP_BUFFER_NBL_VIEW_H
#define OWFP_BUFFER_NBL_VIEW_H

#include "openwfp/fwpsk.h"
#include "buffer/chain.h"

/* NET_BUFFER_LIST.OwfpFlags markers. */
#define OWFP_NBL_VIEW 0x6f770001u  /* an indication view (nodes behind every MDL) */
#define OWFP_NBL_CLONE 0x6f770002u /* FwpsCloneStreamData0 output (slabs behind MDLs) */

typedef struct owfp_nbl_view {
	NET_BUFFER_LIST nbl;
	NET_BUFFER nb;
	FWPS_STREAM_DATA0 sd;
} owfp_nbl_view;

/* Describes the first `len` bytes of `c` with stream flags `flags`. */
void owfp_nbl_view_build(owfp_nbl_view *v, const owfp_chain *c, size_t len, UINT32 flags);

#endif
