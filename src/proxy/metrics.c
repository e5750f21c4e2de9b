/* The proxy's Prometheus families (proxy/metrics.h). */
#include "proxy/metrics.h"

#include <errno.h>

/* Index 0 of the proxy's byte counters is the client side, 1 the upstream. */
static void per_peer(owfp_metrics_buf *b, const char *name, const char *help, const uint64_t v[2])
{
	owfp_metrics_family(b, name, "counter", help);
	owfp_metrics_sample(b, name, "peer=\"client\"", v[0]);
	owfp_metrics_sample(b, name, "peer=\"upstream\"", v[1]);
}

int owfp_proxy_metrics_render(owfp_metrics_buf *b, owfp_proxy *p, owfp_engine *engine,
			      const owfp_proxy_reloads *reloads)
{
	owfp_proxy_stats st;

	owfp_proxy_stats_get(p, &st);
	owfp_metrics_build_info(b);
	owfp_metrics_counter(b, "openwfp_connections_accepted_total",
			     "Client connections accepted.", st.accepted);
	owfp_metrics_gauge(b, "openwfp_connections_active", "Proxied connections open now.",
			   st.active);
	owfp_metrics_family(b, "openwfp_connections_refused_total", "counter",
			    "Accepted connections reset before any byte flowed, by reason "
			    "(flow_blocked: the engine refused the flow, e.g. an ALE block; "
			    "upstream_error: the upstream could not be reached).");
	owfp_metrics_sample(b, "openwfp_connections_refused_total", "reason=\"flow_blocked\"",
			    st.refused);
	owfp_metrics_sample(b, "openwfp_connections_refused_total", "reason=\"upstream_error\"",
			    st.upstream_errors);
	owfp_metrics_counter(b, "openwfp_connections_dropped_total",
			     "Connections the engine dropped (DROP_CONNECTION, abort, limit).",
			     st.dropped);
	owfp_metrics_counter(b, "openwfp_connection_resets_total", "RSTs carried to a peer.",
			     st.resets);
	owfp_metrics_counter(b, "openwfp_flows_offloaded_total",
			     "Connections spliced in the kernel after a callout allowed them.",
			     st.offloaded);
	owfp_metrics_counter(b, "openwfp_proxy_limits_hit_total",
			     "Proxy limits reached (queue caps, --max-connections, descriptors): "
			     "the connection was reset or refused.",
			     st.limits_hit);
	per_peer(b, "openwfp_received_bytes_total", "Bytes read from each peer.", st.bytes_read);
	per_peer(b, "openwfp_sent_bytes_total", "Bytes written to each peer.", st.bytes_written);
	owfp_metrics_counter(b, "openwfp_spliced_bytes_total",
			     "Bytes moved by splice after offload.", st.bytes_spliced);
	owfp_metrics_gauge(b, "openwfp_queued_bytes", "Bytes waiting in output queues now.",
			   st.queued);
	owfp_metrics_gauge(b, "openwfp_workers", "Event-loop threads.",
			   (uint64_t)owfp_proxy_nworkers(p));
	owfp_metrics_family(b, "openwfp_reloads_total", "counter",
			    "Configuration reloads (SIGHUP or the control socket), by result.");
	owfp_metrics_sample(b, "openwfp_reloads_total", "result=\"ok\"", atomic_load(&reloads->ok));
	owfp_metrics_sample(b, "openwfp_reloads_total", "result=\"failed\"",
			    atomic_load(&reloads->failed));
	int rc = owfp_metrics_engine(b, engine);
	return rc ? rc : (b->oom ? -ENOMEM : 0);
}
