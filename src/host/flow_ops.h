/*
 * The table of callbacks a data path hands to owfp_flow_create. Each data
 * path writes its seven callbacks file-static as <prefix>_deliver,
 * <prefix>_deliver_fin, ... and builds the table with
 * OWFP_HOST_FLOW_OPS(prefix). The wiring lives here once: a callback added
 * to owfp_flow_ops is added to this list, and every data path then fails
 * to compile until it carries the new decision out, instead of one path
 * silently leaving it NULL (which the stream layer takes as "nothing to
 * do").
 */
#ifndef OWFP_HOST_FLOW_OPS_H
#define OWFP_HOST_FLOW_OPS_H

#include "openwfp/openwfp.h"

#define OWFP_HOST_FLOW_OPS(prefix)                                                           \
	{                                                                                    \
		.deliver = prefix##_deliver, .deliver_fin = prefix##_deliver_fin,            \
		.deliver_abort = prefix##_deliver_abort, .drop = prefix##_drop,              \
		.pause = prefix##_pause, .offload = prefix##_offload, .wake = prefix##_wake, \
	}

#endif /* OWFP_HOST_FLOW_OPS_H */
