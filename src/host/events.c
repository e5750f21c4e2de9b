/* JSON Lines for --events, built with jansson, and the name tables. */
#include "host/events.h"

const char *owfp_host_event_name(enum owfp_event_type t)
{
	switch (t) {
	case OWFP_EV_FLOW_START:
		return "flow_start";
	case OWFP_EV_FLOW_END:
		return "flow_end";
	case OWFP_EV_DECISION:
		return "decision";
	case OWFP_EV_NEED_MORE_DATA:
		return "need_more_data";
	case OWFP_EV_DROP:
		return "drop";
	case OWFP_EV_DEFER:
		return "defer";
	case OWFP_EV_CONTINUE:
		return "continue";
	case OWFP_EV_ALLOW:
		return "allow";
	case OWFP_EV_INJECT:
		return "inject";
	case OWFP_EV_MISSED:
		return "missed";
	case OWFP_EV_VIOLATION:
		return "violation";
	case OWFP_EV_LIMIT:
		return "limit";
	}
	return "unknown";
}

const char *owfp_host_stream_action_name(uint32_t a)
{
	static const char *const names[] = {"none", "need_more_data", "drop_connection", "defer",
					    "allow_connection"};
	return a < sizeof(names) / sizeof(names[0]) ? names[a] : "invalid";
}

const char *owfp_host_action_name(uint32_t a)
{
	switch (a) {
	case 0x1001:
		return "block";
	case 0x1002:
		return "permit";
	case 0x2006:
		return "continue";
	case 0x5003:
		return "callout_terminating";
	case 0x6004:
		return "callout_inspection";
	case 0x4005:
		return "callout_unknown";
	case 0x7:
		return "none";
	case 0x8:
		return "none_no_match";
	case 0:
		return NULL;
	}
	return "other";
}

void owfp_host_json_line(FILE *f, json_t *o)
{
	if (o) {
		json_dumpf(o, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(o);
	}
}

static bool has_stream_action(enum owfp_event_type t)
{
	return t == OWFP_EV_DECISION || t == OWFP_EV_NEED_MORE_DATA || t == OWFP_EV_DEFER ||
	       t == OWFP_EV_DROP || t == OWFP_EV_ALLOW;
}

json_t *owfp_host_event_json(const owfp_event *ev)
{
	json_t *o = json_object();
	const char *act;

	if (!o)
		return NULL;
	json_object_set_new(o, "event", json_string(owfp_host_event_name(ev->type)));
	if (ev->flow_id)
		json_object_set_new(o, "flow", json_integer((json_int_t)ev->flow_id));
	if (ev->dir == OWFP_DIR_INBOUND || ev->dir == OWFP_DIR_OUTBOUND)
		json_object_set_new(
			o, "dir", json_string(ev->dir == OWFP_DIR_INBOUND ? "inbound" : "outbound"));
	if (ev->callout_id) {
		json_object_set_new(o, "callout",
				    json_string(ev->callout_name ? ev->callout_name : ""));
		json_object_set_new(o, "callout_id", json_integer(ev->callout_id));
	}
	if (ev->filter_id)
		json_object_set_new(o, "filter_id", json_integer((json_int_t)ev->filter_id));
	if (has_stream_action(ev->type))
		json_object_set_new(o, "stream_action",
				    json_string(owfp_host_stream_action_name(ev->stream_action)));
	if ((act = owfp_host_action_name(ev->action_type)))
		json_object_set_new(o, "action", json_string(act));
	json_object_set_new(o, "bytes", json_integer((json_int_t)ev->bytes));
	json_object_set_new(o, "offset", json_integer((json_int_t)ev->offset));
	if (ev->detail)
		json_object_set_new(o, "detail", json_string(ev->detail));
	return o;
}

void owfp_host_event_write(FILE *f, const owfp_event *ev)
{
	owfp_host_json_line(f, owfp_host_event_json(ev));
}
