/*
 * `openwfp proxy` from start to exit: the engine, plugins and configuration
 * (src/host, as for replay), the events file, the workers, then the serve
 * loop with the management handlers behind SIGHUP and the control socket.
 */
#include "proxy/app.h"
#include "proxy/privdrop.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/events.h"
#include "host/host.h"
#include "host/logprio.h"
#include "host/notify.h"
#include "engine/callout_rows.h"
#include "proxy/events.h"
#include "proxy/metrics.h"
#include "proxy/serve.h"
#include "proxy/upstream_log.h"
#include "openwfp/fwpmk.h"
#include "openwfp/ntstatus.h"
#include "util/alloc.h"

typedef struct app {
	const owfp_proxy_app_opts *o;
	owfp_host *host;
	owfp_engine *engine;
	owfp_proxy_events *events;
	owfp_proxy *proxy;
	owfp_upstream_log ulog;
	owfp_metrics_server *metrics;
	owfp_proxy_reloads reloads;
} app;

static void app_log(void *user, const char *msg)
{
	const app *a = user;

	if (a->o->verbosity >= 0)
		owfp_log_line(OWFP_LOG_PRIO_NOTICE, "openwfp proxy", msg);
}

static void engine_log(void *user, enum owfp_log_level lvl, const char *msg)
{
	const app *a = user;

	if ((int)lvl <= OWFP_LOG_WARN + a->o->verbosity)
		owfp_log_line(owfp_log_prio_of(lvl), "openwfp proxy", msg);
}

static void engine_event(void *user, const owfp_event *ev)
{
	app *a = user;

	if (a->events)
		owfp_proxy_events_engine(a->events, ev);
}

/* Proxy events from the workers: to the events file, and a refused or
 * unreachable upstream also to stderr (rate-limited), since nothing else
 * tells the user why their client was reset. */
static void proxy_event(void *user, const owfp_proxy_event *ev)
{
	app *a = user;

	if (a->events)
		owfp_proxy_events_proxy(a->events, ev);
	if (ev->type == OWFP_PEV_UPSTREAM_ERROR && a->o->verbosity >= 0) {
		owfp_upstream_log_event(&a->ulog, ev, owfp_clock_ms());
	}
}

/* SIGHUP: parse and apply the new file in one transaction; on error the old one stays. */
static int app_reload(void *user, owfp_error *err)
{
	app *a = user;
	owfp_notify_reloading();
	int rc = owfp_host_reload(a->host, err);

	owfp_notify("READY=1");
	atomic_fetch_add(rc < 0 ? &a->reloads.failed : &a->reloads.ok, 1);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return 0; /* plugins only: nothing to reload */
	if (a->events)
		owfp_proxy_events_raw(a->events, "{\"event\":\"proxy_reload\",\"ok\":true}");
	return 0;
}

static const char *action_name(uint32_t t)
{
	const char *n = owfp_host_action_name(t);

	return n ? n : "other";
}

static int app_filters_list(void *user, json_t **out, owfp_error *err)
{
	app *a = user;
	owfp_filter_info *v;
	size_t n;
	int rc = owfp_engine_filters_list(a->engine, &v, &n);

	if (rc) {
		snprintf(err->msg, sizeof(err->msg), "listing filters: %s", strerror(-rc));
		return rc;
	}
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *f = json_pack(
			"{s:I, s:s, s:s, s:i, s:I, s:s, s:i}", "id", (json_int_t)v[i].id, "name",
			v[i].name, "layer", v[i].layer, "sublayer_weight",
			(int)v[i].sublayer_weight, "weight", (json_int_t)v[i].weight, "action",
			action_name(v[i].action_type), "conditions", (int)v[i].nconditions);
		if (f && v[i].callout_id)
			json_object_set_new(f, "callout", json_string(v[i].callout));
		json_array_append_new(list, f);
	}
	free(v);
	*out = list;
	return 0;
}

static int app_filter_add(void *user, const char *text, json_t **ids, owfp_error *err)
{
	app *a = user;
	uint64_t got[2];
	size_t n = 0;
	int rc = owfp_config_filter_add(owfp_host_applied(a->host), text, strlen(text), got, &n, err);

	if (rc)
		return rc;
	*ids = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*ids, json_integer((json_int_t)got[i]));
	return 0;
}

static int app_filter_delete(void *user, uint64_t id, owfp_error *err)
{
	app *a = user;
	HANDLE h = NULL;
	NTSTATUS st = FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &h);

	(void)a;
	if (NT_SUCCESS(st)) {
		st = FwpmFilterDeleteById0(h, id);
		FwpmEngineClose0(h);
	}
	if (!NT_SUCCESS(st)) {
		snprintf(err->msg, sizeof(err->msg), "filter %llu: %s (0x%08X)",
			 (unsigned long long)id,
			 st == STATUS_FWP_FILTER_NOT_FOUND
				 ? "no such filter (STATUS_FWP_FILTER_NOT_FOUND)"
				 : "FwpmFilterDeleteById0 failed",
			 (unsigned)st);
		return -ENOENT;
	}
	return 0;
}

/* One entry per callout configured now, with its layers (engine/callout_rows.h). */
static json_t *app_callout_rows(owfp_engine *engine)
{
	owfp_callout_row *rows;
	size_t n;

	if (owfp_engine_callout_rows(engine, &rows, &n))
		return NULL;
	json_t *callouts = json_array();
	for (size_t i = 0; callouts && i < n; i++) {
		const owfp_callout_stats *c = &rows[i].sum;
		json_t *layers = json_array(), *ids = json_array();
		for (size_t k = 0; k < rows[i].nlayers; k++) {
			json_array_append_new(layers, json_string(rows[i].layers[k]));
			json_array_append_new(ids, json_integer(rows[i].ids[k]));
		}
		json_t *acts = json_pack(
			"{s:I, s:I, s:I, s:I, s:I, s:I}", "none", (json_int_t)c->stream_actions[0],
			"need_more_data", (json_int_t)c->stream_actions[1], "drop_connection",
			(json_int_t)c->stream_actions[2], "defer", (json_int_t)c->stream_actions[3],
			"allow_connection", (json_int_t)c->stream_actions[4], "invalid",
			(json_int_t)c->stream_actions[5]);
		json_array_append_new(
			callouts,
			json_pack("{s:i, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I}",
				  "id", (int)c->callout_id, "name", rows[i].name, "layers", layers,
				  "ids", ids, "classify_calls", (json_int_t)c->classify_calls,
				  "bytes_indicated", (json_int_t)c->bytes_indicated,
				  "bytes_permitted", (json_int_t)c->bytes_permitted,
				  "bytes_blocked", (json_int_t)c->bytes_blocked, "bytes_continued",
				  (json_int_t)c->bytes_continued, "bytes_injected",
				  (json_int_t)c->bytes_injected, "stream_actions", acts,
				  "violations", (json_int_t)c->violations));
	}
	free(rows);
	return callouts;
}

static int app_stats(void *user, json_t *reply)
{
	app *a = user;
	owfp_engine_stats *st = owfp_calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	owfp_engine_stats_get(a->engine, st);
	json_t *callouts = app_callout_rows(a->engine);
	if (!callouts) {
		free(st);
		return -ENOMEM;
	}
	json_object_set_new(reply, "engine",
			    json_pack("{s:I, s:I, s:I, s:{s:I, s:I}, s:{s:I, s:I}, s:I, s:I, s:o}",
				      "flows_created", (json_int_t)st->flows_created,
				      "flows_active", (json_int_t)st->flows_active, "flows_dropped",
				      (json_int_t)st->flows_dropped, "bytes_indicated", "inbound",
				      (json_int_t)st->bytes_indicated[0], "outbound",
				      (json_int_t)st->bytes_indicated[1], "bytes_delivered",
				      "inbound", (json_int_t)st->bytes_delivered[0], "outbound",
				      (json_int_t)st->bytes_delivered[1], "violations",
				      (json_int_t)st->violations, "limits_hit",
				      (json_int_t)st->limits_hit, "callouts", callouts));
	json_object_set_new(json_object_get(reply, "engine"), "driver_failures",
			    json_integer((json_int_t)st->driver_failures));
	free(st);
	return 0;
}

static int app_metrics(void *user, owfp_metrics_buf *b)
{
	app *a = user;
	return owfp_proxy_metrics_render(b, a->proxy, a->engine, &a->reloads);
}

/* --metrics: bound before the privilege drop (a port below 1024 works),
 * served once the workers run; its address printed like the listener's. */
static int app_metrics_start(app *a, owfp_error *err)
{
	char addr[80];
	int rc = owfp_metrics_server_start(a->metrics, app_metrics, a, err);

	if (rc == 0) {
		const owfp_proxy_addr *m = owfp_metrics_server_addr(a->metrics);
		printf("metrics on http://%s/metrics\n",
		       owfp_proxy_addr_str((const struct sockaddr *)&m->ss, addr, sizeof(addr)));
	}
	return rc;
}

static int app_setup(app *a, owfp_error *err)
{
	const owfp_proxy_app_opts *o = a->o;
	owfp_host_opts ho = {
		.engine = {.log = engine_log,
			   .event = engine_event,
			   .user = a,
			   .defer_timeout_ms = o->defer_timeout_ms},
		.config_path = o->config_path,
		.plugins = o->plugins,
		.nplugins = o->nplugins,
		.driver_params = o->driver_params,
		.ndriver_params = o->ndriver_params,
		.warn = app_log,
		.warn_user = a,
	};
	int rc;

	if (o->events_path && (rc = owfp_proxy_events_open(o->events_path, &a->events, err)))
		return rc;
	if (o->metrics && (rc = owfp_metrics_server_open(&o->metrics_addr, &a->metrics, err)))
		return rc;
	if ((rc = owfp_host_open(&ho, &a->host, err)))
		return rc;
	a->engine = owfp_host_engine(a->host);
	return 0;
}

/* Connections first (their flows end), then the host, then the file the
 * last events went to. */
static void app_teardown(app *a)
{
	owfp_metrics_server_close(a->metrics); /* its thread reads the proxy */
	owfp_proxy_destroy(a->proxy);
	owfp_upstream_log_flush(&a->ulog);
	owfp_host_close(a->host);
	owfp_proxy_events_close(a->events);
}

/* Root is needed only to bind, load plugins and open files; the workers
 * start after this, so they inherit what it leaves (see privdrop.c). */
static int app_drop_privileges(void *arg, owfp_error *err)
{
	const owfp_proxy_app_opts *o = arg;
	return owfp_proxy_drop_privileges(o->user, o->proxy.spoof_source, err);
}

/* An explicit --max-connections the descriptor limit cannot hold: the
 * connections past what fits would be refused at accept (worker.c), not at
 * the configured cap. Said once, at start. */
static void fd_limit_warn(const app *a)
{
	uint64_t max = a->o->proxy.max_connections;
	uint64_t fit = owfp_proxy_fd_fit(0); /* the workers' own are open by now */
	char msg[400];

	if (!max || max <= fit)
		return;
	snprintf(msg, sizeof(msg),
		 "the descriptor limit (RLIMIT_NOFILE %llu) holds about %llu connections "
		 "(2 descriptors each, 6 when spliced), fewer than --max-connections %llu: "
		 "past that, new connections are reset at accept. Raise it (ulimit -n, "
		 "systemd LimitNOFILE=) or lower --max-connections",
		 (unsigned long long)owfp_proxy_fd_limit(), (unsigned long long)fit,
		 (unsigned long long)max);
	app_log((void *)a, msg);
}

int owfp_proxy_app_run(const owfp_proxy_app_opts *o, owfp_error *err)
{
	app a = {.o = o};
	owfp_proxy_opts po = o->proxy;
	char addr[80];
	int rc;

	owfp_proxy_signals_block();
	owfp_upstream_log_init(&a.ulog, stderr);
	rc = app_setup(&a, err);
	if (rc == 0) {
		po.event = proxy_event;
		po.user = &a;
		if (o->user) {
			po.before_workers = app_drop_privileges;
			po.before_workers_arg = (void *)o;
		}
		owfp_proxy_fd_raise();
		rc = owfp_proxy_start(a.engine, &po, &a.proxy, err);
	}
	if (rc == 0) {
		fd_limit_warn(&a);
		const owfp_proxy_addr *l = owfp_proxy_listen_addr(a.proxy);
		owfp_proxy_addr_str((const struct sockaddr *)&l->ss, addr, sizeof(addr));
		/* Scripts read this line to learn the port when they asked for port 0. */
		printf("listening on %s (%d worker%s)\n", addr, owfp_proxy_nworkers(a.proxy),
		       owfp_proxy_nworkers(a.proxy) == 1 ? "" : "s");
		const char *why, *mode = owfp_proxy_offload_mode(a.proxy, &why);
		printf("offload: %s%s%s%s\n", mode, *why ? " (sockmap unavailable: " : "", why,
		       *why ? ")" : "");
		if (a.metrics)
			rc = app_metrics_start(&a, err);
		fflush(stdout);
	}
	if (rc == 0) {
		char status[128];
		/* READY=1 follows from serve, once the control socket is open too */
		snprintf(status, sizeof(status), "STATUS=listening on %s", addr);
		owfp_notify(status);
		owfp_proxy_serve_opts so = {
			.control_path = o->control_path,
			.drain_timeout_ms = o->drain_timeout_ms,
			.m = {.reload = app_reload,
			      .filters_list = app_filters_list,
			      .filter_add = app_filter_add,
			      .filter_delete = app_filter_delete,
			      .stats = app_stats,
			      .log = app_log,
			      .user = &a},
		};
		rc = owfp_proxy_serve(a.proxy, &so, err);
	}
	app_teardown(&a);
	return rc;
}
