/* Local-endpoint mapping for replay. Internal to src/replay. */
#ifndef OWFP_REPLAY_LOCAL_H
#define OWFP_REPLAY_LOCAL_H

#include "replay/replay.h"

bool owfp_replay_local_is_client(const owfp_replay_opts *o, const owfp_capture_flow *f);

#endif
