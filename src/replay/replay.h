/*
 * `openwfp replay`: reads captures, rebuilds every TCP stream (src/capture),
 * drives the engine's stream state machine with it (owfp_flow_*), and
 * carries out what the engine decides: delivered bytes go to --extract,
 * drops tell the capture to ignore the flow, DEFER back-pressure pauses
 * that direction of the capture. Stream semantics live only in the engine.
 */
#ifndef OWFP_REPLAY_REPLAY_H
#define OWFP_REPLAY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/capture.h"
#include "openwfp/openwfp.h"

/* Which capture endpoint plays the local host (spec Q28). */
enum owfp_replay_local {
	OWFP_REPLAY_LOCAL_CLIENT = 0, /* default: the side that sent the SYN */
	OWFP_REPLAY_LOCAL_SERVER,
	OWFP_REPLAY_LOCAL_PREFIX, /* the endpoint inside local_addr/local_prefix */
};

typedef struct owfp_replay_opts {
	const char *const *captures;
	size_t ncaptures;
	/* Live capture instead of files: the interface (captures unused) and
	 * an optional BPF expression. The run goes on until *stop is raised,
	 * which then ends it normally (OWFP_REPLAY_OK); the readiness line
	 * ("listening on IFACE, ...") goes to `diag` once capturing. */
	const char *live_iface;
	const char *bpf;
	const char *config_path; /* NULL: no configuration file */
	const char *const *plugins;
	size_t nplugins;
	const char *const *driver_params; /* --driver-param texts (config/drivers.h) */
	size_t ndriver_params;
	const struct owfp_replay_process *processes; /* --process (local port -> process) */
	size_t nprocesses;
	const char *extract_dir; /* NULL: no extraction */
	const char *events_path; /* NULL: no events; "-" standard output */
	enum owfp_replay_local local;
	int local_family; /* for OWFP_REPLAY_LOCAL_PREFIX */
	uint8_t local_addr[16];
	unsigned local_prefix;
	uint64_t drain_timeout_ms; /* default 5000 */
	enum owfp_capture_overlap overlap;
	bool verify_checksums;
	bool no_read_ahead; /* read the capture in line, not on a thread of its own */
	/* One indication per captured segment (--segments). Default (false):
	 * consecutive in-order segments of a direction are merged into one
	 * indication, as a receiving stack coalesces them (Q19, docs/replay.md). */
	bool segments;
	bool hold_work_items; /* --work-items at-turns: run them only when replay waits */
	/* --workers N: flows sharded over N threads (docs/replay.md, "Workers");
	 * 0 is the default, one. The output is the same for every N. */
	unsigned workers;
	int verbosity; /* -1 quiet, 0 normal, 1+ verbose */
	bool progress; /* draw a progress bar on `diag` */
	/* When it becomes non-zero (a signal handler sets it), reading stops
	 * after the current packet, the drain is skipped, flows end and the
	 * report covers what was read. NULL: never. */
	const volatile int *stop;
	FILE *diag; /* notices, warnings, progress (stderr) */
} owfp_replay_opts;

void owfp_replay_opts_init(owfp_replay_opts *o);

/* --process PORT=[PID:]PATH: flows whose local port is PORT belong to
 * that process (ALE_FLOW_ESTABLISHED metadata; docs/porting.md). */
typedef struct owfp_replay_process {
	uint16_t port;
	uint64_t pid;     /* 0: unknown */
	const char *path; /* absolute: into the text, or into resolved */
	char resolved[4096];
} owfp_replay_process;
/* Parses one --process text into *out; -EINVAL. A path that exists here is
 * resolved (symbolic links), as app_id: values and /proc/PID/exe are. */
int owfp_replay_parse_process(const char *text, owfp_replay_process *out);
/* Sets key->process_* from the --process entry for key->local_port, if any. */
void owfp_replay_process_apply(const struct owfp_replay_opts *o, owfp_flow_key *key);

/* Parses "client", "server" or "ADDR[/PREFIX]" into o->local*. */
int owfp_replay_parse_local(const char *text, owfp_replay_opts *o);

typedef struct owfp_replay_report owfp_replay_report;

/* Why a run failed. */
enum owfp_replay_status {
	OWFP_REPLAY_OK = 0,
	OWFP_REPLAY_BAD_INPUT = 1, /* capture, configuration or plugin problem */
	OWFP_REPLAY_STOPPED = 2,   /* opts.stop was raised */
};

/*
 * Runs the replay. Returns OWFP_REPLAY_OK or OWFP_REPLAY_BAD_INPUT with
 * err naming the file (and record) and why. A report is returned in both
 * cases when anything ran (a truncated capture is processed up to the bad
 * record); free it with owfp_replay_report_free.
 */
int owfp_replay_run(const owfp_replay_opts *o, owfp_replay_report **report, owfp_error *err);

void owfp_replay_report_print(const owfp_replay_report *r, FILE *out);
void owfp_replay_report_print_json(const owfp_replay_report *r, FILE *out);
void owfp_replay_report_free(owfp_replay_report *r);
/* --metrics-file: the report's counters in the Prometheus text format,
 * written atomically to path (replay/metrics.c). 0 or negative errno. */
int owfp_replay_metrics_write(const owfp_replay_report *r, const char *path, owfp_error *err);

#endif
