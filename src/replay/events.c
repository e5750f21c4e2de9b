/* Replay's flow start and end lines for --events, built with jansson. */
#include "replay/events.h"

#include <jansson.h>

#include "host/events.h"

static json_t *endpoint(const owfp_capture_endpoint *e)
{
	return json_pack("{s:s, s:i}", "addr", e->text, "port", (json_int_t)e->port);
}

void owfp_replay_event_flow_start(FILE *f, uint64_t flow_id, const char *capture,
				  const owfp_capture_flow *cf, bool local_is_client, bool refused)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:I, s:i, s:o, s:o, s:s, s:b}", "event", "flow_start",
			      "flow", (json_int_t)flow_id, "capture", capture, "capture_flow",
			      (json_int_t)cf->id, "family", cf->family == 2 ? 4 : 6, "client",
			      endpoint(&cf->client), "server", endpoint(&cf->server), "local",
			      local_is_client ? "client" : "server", "midstream", cf->midstream);
	if (o && refused)
		json_object_set_new(o, "refused", json_true());
	owfp_host_json_line(f, o);
}

void owfp_replay_event_flow_end(FILE *f, uint64_t flow_id, const char *end_c2s, const char *end_s2c,
				const uint64_t delivered[2], const uint64_t indicated[2],
				uint64_t held, const char *capture_end)
{
	owfp_host_json_line(
		f, json_pack("{s:s, s:I, s:{s:s, s:s}, s:{s:I, s:I}, s:{s:I, s:I}, s:I, s:s}",
			     "event", "flow_end", "flow", (json_int_t)flow_id, "end", "c2s",
			     end_c2s, "s2c", end_s2c, "indicated", "c2s", (json_int_t)indicated[0],
			     "s2c", (json_int_t)indicated[1], "delivered", "c2s",
			     (json_int_t)delivered[0], "s2c", (json_int_t)delivered[1], "held",
			     (json_int_t)held, "capture_end", capture_end));
}
