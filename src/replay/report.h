/* What a replay run found, for the text and JSON summaries. Internal. */
#ifndef OWFP_REPLAY_REPORT_H
#define OWFP_REPLAY_REPORT_H

#include "replay/replay.h"

#define OWFP_REPORT_TOP 5

enum owfp_replay_end {
	OWFP_END_FIN,
	OWFP_END_RST,
	OWFP_END_DROP,
	OWFP_END_OPEN,
	OWFP_END_TIMEOUT,
	OWFP_END_COUNT
};
extern const char *const owfp_replay_end_names[OWFP_END_COUNT];

typedef struct owfp_replay_talker {
	uint64_t flow_id;
	char client[48], server[48];
	unsigned cport, sport;
	uint64_t bytes[2]; /* indicated: client->server, server->client */
} owfp_replay_talker;

typedef struct owfp_replay_capture_report {
	char *file;
	const char *reader;
	int linktype;
	owfp_capture_stats stats;
	bool failed;
	char error[512];
} owfp_replay_capture_report;

struct owfp_replay_report {
	owfp_replay_capture_report *caps;
	size_t ncaps;
	char config[256];
	size_t nplugins;
	char local[80];
	uint64_t flows, flows_midstream, flows_refused, flows_dropped, flows_offloaded;
	uint64_t ends[2][OWFP_END_COUNT];    /* per capture direction */
	uint64_t indicated[2], delivered[2]; /* client->server, server->client */
	uint64_t held_bytes, held_flows;     /* still held when flows were closed */
	uint64_t missed_bytes_events;
	uint64_t indications; /* data indications made (Q19: runs, or segments) */
	uint64_t events_written;
	uint64_t drain_waited_ms, drain_flows;
	bool drain_timed_out;
	double elapsed_s;
	owfp_engine_stats engine;
	owfp_replay_talker top[OWFP_REPORT_TOP];
	size_t ntop;
};

void owfp_replay_report_talker(owfp_replay_report *r, const owfp_replay_talker *t);

#endif
