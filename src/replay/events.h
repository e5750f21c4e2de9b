/* --events FILE: JSON Lines, one object per engine event plus flow start
 * and end with addresses. Internal to src/replay. */
#ifndef OWFP_REPLAY_EVENTS_H
#define OWFP_REPLAY_EVENTS_H

#include <stdio.h>

#include "capture/capture.h"
#include "openwfp/openwfp.h"

const char *owfp_replay_event_name(enum owfp_event_type t);
const char *owfp_replay_stream_action_name(uint32_t a);
const char *owfp_replay_action_name(uint32_t a);

void owfp_replay_event_write(FILE *f, const owfp_event *ev);
void owfp_replay_event_flow_start(FILE *f, uint64_t flow_id, const char *capture,
				  const owfp_capture_flow *cf, bool local_is_client,
				  bool refused);
void owfp_replay_event_flow_end(FILE *f, uint64_t flow_id, const char *end_c2s,
				const char *end_s2c, const uint64_t delivered[2],
				const uint64_t indicated[2], uint64_t held, const char *capture_end);

#endif
