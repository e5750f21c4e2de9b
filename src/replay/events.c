/* JSON Lines for --events, built with jansson. */
#include "replay/events.h"

#include <jansson.h>

const char *owfp_replay_event_name(enum owfp_event_type t)
{
	switch (t) {
	case OWFP_EV_FLOW_START: return "flow_start";
	case OWFP_EV_FLOW_END: return "flow_end";
	case OWFP_EV_DECISION: return "decision";
	case OWFP_EV_NEED_MORE_DATA: return "need_more_data";
	case OWFP_EV_DROP: return "drop";
	case OWFP_EV_DEFER: return "defer";
	case OWFP_EV_CONTINUE: return "continue";
	case OWFP_EV_ALLOW: return "allow";
	case OWFP_EV_INJECT: return "inject";
	case OWFP_EV_MISSED: return "missed";
	case OWFP_EV_VIOLATION: return "violation";
	case OWFP_EV_LIMIT: return "limit";
	}
	return "unknown";
}

const char *owfp_replay_stream_action_name(uint32_t a)
{
	static const char *const names[] = {"none", "need_more_data", "drop_connection", "defer",
					    "allow_connection"};
	return a < 5 ? names[a] : "invalid";
}

const char *owfp_replay_action_name(uint32_t a)
{
	switch (a) {
	case 0x1001: return "block";
	case 0x1002: return "permit";
	case 0x2006: return "continue";
	case 0x5003: return "callout_terminating";
	case 0x6004: return "callout_inspection";
	case 0x4005: return "callout_unknown";
	case 0x7: return "none";
	case 0x8: return "none_no_match";
	case 0: return NULL;
	}
	return "other";
}

static void emit(FILE *f, json_t *o)
{
	if (o) {
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(o);
	}
}

void owfp_replay_event_write(FILE *f, const owfp_event *ev)
{
	json_t *o = json_object();
	const char *act;
	json_object_set_new(o, "event", json_string(owfp_replay_event_name(ev->type)));
	if (ev->flow_id)
		json_object_set_new(o, "flow", json_integer((json_int_t)ev->flow_id));
	if (ev->dir == OWFP_DIR_INBOUND || ev->dir == OWFP_DIR_OUTBOUND)
		json_object_set_new(o, "dir", json_string(ev->dir == OWFP_DIR_INBOUND ? "inbound"
										      : "outbound"));
	if (ev->callout_id) {
		json_object_set_new(o, "callout", json_string(ev->callout_name ? ev->callout_name : ""));
		json_object_set_new(o, "callout_id", json_integer(ev->callout_id));
	}
	if (ev->filter_id)
		json_object_set_new(o, "filter_id", json_integer((json_int_t)ev->filter_id));
	if (ev->type == OWFP_EV_DECISION || ev->type == OWFP_EV_NEED_MORE_DATA ||
	    ev->type == OWFP_EV_DEFER || ev->type == OWFP_EV_DROP || ev->type == OWFP_EV_ALLOW)
		json_object_set_new(o, "stream_action",
				    json_string(owfp_replay_stream_action_name(ev->stream_action)));
	if ((act = owfp_replay_action_name(ev->action_type)))
		json_object_set_new(o, "action", json_string(act));
	json_object_set_new(o, "bytes", json_integer((json_int_t)ev->bytes));
	json_object_set_new(o, "offset", json_integer((json_int_t)ev->offset));
	if (ev->detail)
		json_object_set_new(o, "detail", json_string(ev->detail));
	emit(f, o);
}

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
	emit(f, o);
}

void owfp_replay_event_flow_end(FILE *f, uint64_t flow_id, const char *end_c2s,
				const char *end_s2c, const uint64_t delivered[2],
				const uint64_t indicated[2], uint64_t held, const char *capture_end)
{
	emit(f, json_pack("{s:s, s:I, s:{s:s, s:s}, s:{s:I, s:I}, s:{s:I, s:I}, s:I, s:s}", "event",
			  "flow_end", "flow", (json_int_t)flow_id, "end", "c2s", end_c2s, "s2c",
			  end_s2c, "indicated", "c2s", (json_int_t)indicated[0], "s2c",
			  (json_int_t)indicated[1], "delivered", "c2s", (json_int_t)delivered[0],
			  "s2c", (json_int_t)delivered[1], "held", (json_int_t)held, "capture_end",
			  capture_end));
}
