/*
 * `openwfp replay --metrics-file FILE`: the run's final counters in the
 * Prometheus text format, for node-exporter's textfile collector
 * (host/metrics.h writes the engine's part and the file).
 */
#include <errno.h>
#include <time.h>

#include "host/metrics.h"
#include "replay/report.h"

int owfp_replay_metrics_write(const owfp_replay_report *r, const char *path, owfp_error *err)
{
	owfp_metrics_buf b = {0};
	uint64_t cap_packets = 0;

	for (size_t i = 0; i < r->ncaps; i++)
		cap_packets += r->caps[i].stats.records;
	owfp_metrics_build_info(&b);
	owfp_metrics_counter(&b, "openwfp_replay_flows_total", "TCP flows the capture held.",
			     r->flows);
	owfp_metrics_counter(&b, "openwfp_replay_flows_refused_total",
			     "Flows the engine refused to create.", r->flows_refused);
	owfp_metrics_counter(&b, "openwfp_replay_flows_offloaded_total",
			     "Flows a callout allowed for good (offloaded).", r->flows_offloaded);
	owfp_metrics_counter(&b, "openwfp_replay_records_total", "Capture records read.",
			     cap_packets);
	owfp_metrics_family(&b, "openwfp_replay_held_bytes", "gauge",
			    "Bytes still held by the stream layer when flows were closed.");
	owfp_metrics_sample(&b, "openwfp_replay_held_bytes", NULL, r->held_bytes);
	owfp_metrics_family(&b, "openwfp_replay_duration_seconds", "gauge",
			    "Wall time of the replay run.");
	owfp_metrics_printf(&b, "openwfp_replay_duration_seconds %.6f\n", r->elapsed_s);
	owfp_metrics_family(&b, "openwfp_replay_last_run_timestamp_seconds", "gauge",
			    "When the run finished (Unix time).");
	owfp_metrics_sample(&b, "openwfp_replay_last_run_timestamp_seconds", NULL,
			    (uint64_t)time(NULL));
	owfp_metrics_engine_stats(&b, &r->engine);
	int rc = b.oom ? -ENOMEM : owfp_metrics_write_file(path, b.p, b.len, err);
	if (rc == -ENOMEM && b.oom)
		snprintf(err->msg, sizeof(err->msg), "--metrics-file %s: out of memory", path);
	owfp_metrics_buf_free(&b);
	return rc;
}
