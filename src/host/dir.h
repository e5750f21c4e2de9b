/*
 * Q28: which way data goes, as WFP sees it. A data path knows which end
 * sent the bytes (the capture's client or server, the proxy's client or
 * upstream socket) and which end plays the local host; WFP calls data from
 * the local host OUTBOUND and data toward it INBOUND. Both data paths map
 * with these two functions and nothing else. Inline: they run per segment.
 */
#ifndef OWFP_HOST_DIR_H
#define OWFP_HOST_DIR_H

#include <stdbool.h>

#include "openwfp/openwfp.h"

/* The OWFP_DIR_* of bytes sent by the client (from_client) or the server. */
static inline int owfp_host_dir(bool local_is_client, bool from_client)
{
	return from_client == local_is_client ? OWFP_DIR_OUTBOUND : OWFP_DIR_INBOUND;
}

/* The inverse: whether the bytes of OWFP_DIR_* `dir` come from the client. */
static inline bool owfp_host_dir_from_client(bool local_is_client, int dir)
{
	return (dir == OWFP_DIR_OUTBOUND) == local_is_client;
}

#endif /* OWFP_HOST_DIR_H */
