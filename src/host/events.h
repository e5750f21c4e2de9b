/*
 * The engine's events as JSON Lines (--events), and the names both data
 * paths print for events and actions. One writer, so `openwfp replay` and
 * `openwfp proxy` write the same line for the same event.
 */
#ifndef OWFP_HOST_EVENTS_H
#define OWFP_HOST_EVENTS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "openwfp/openwfp.h"

/* "flow_start", "decision", ...; "unknown" for a value outside the enum. */
const char *owfp_host_event_name(enum owfp_event_type t);
/* FWPS_STREAM_ACTION_TYPE: "none" .. "allow_connection"; "invalid" past them
 * (also the name of the last stats slot, OWFP_STREAM_ACTIONS - 1). */
const char *owfp_host_stream_action_name(uint32_t a);
/* FWP_ACTION_TYPE: "block", "permit", "callout_inspection", ...; NULL for 0
 * (no action to report), "other" for a value WFP does not define. */
const char *owfp_host_action_name(uint32_t a);

/* One event as one object; NULL only when out of memory. */
json_t *owfp_host_event_json(const owfp_event *ev);
/* Writes `ev` as one compact line to f (not flushed; the caller locks). */
void owfp_host_event_write(FILE *f, const owfp_event *ev);
/* Writes `o` as one compact line in key order and releases it; NULL is
 * ignored (an allocation failed while building it). */
void owfp_host_json_line(FILE *f, json_t *o);

#endif /* OWFP_HOST_EVENTS_H */
