/* --events FILE: replay's own lines, flow start and end with the capture's
 * addresses; every other engine event is written by host/events.c.
 * Internal to src/replay. */
#ifndef OWFP_REPLAY_EVENTS_H
#define OWFP_REPLAY_EVENTS_H

#include <stdio.h>

#include "capture/capture.h"
#include "openwfp/openwfp.h"

void owfp_replay_event_flow_start(FILE *f, uint64_t flow_id, const char *capture,
				  const owfp_capture_flow *cf, bool local_is_client, bool refused);
void owfp_replay_event_flow_end(FILE *f, uint64_t flow_id, const char *end_c2s, const char *end_s2c,
				const uint64_t delivered[2], const uint64_t indicated[2],
				uint64_t held, const char *capture_end);

#endif
