/*
 * Engine, plugins and configuration up as one step, down in one order: the
 * part of a run that replay and the proxy share before any flow exists.
 */
#include "host/host.h"
#include "config/drivers.h"
#include "openwfp/openwfp_wpp.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct owfp_host {
	owfp_engine *engine;
	owfp_drivers *drivers; /* drivers: entries and --callout plugins */
	owfp_config_applied *applied;
	const char *config_path;
	size_t nplugins_wanted;
	void (*log)(void *user, enum owfp_log_level lvl, const char *msg);
	void *log_user;
	owfp_config_warn_fn warn;
	void *warn_user;
};

static void warn_shadowed(const owfp_host *h)
{
	if (h->warn && h->applied)
		owfp_config_warn_shadowed(h->applied, h->warn, h->warn_user);
}

/* Drivers' WPP traces are log lines of this engine, where its own go. */
static void wpp_line(void *user, const char *line)
{
	const owfp_host *h = user;

	if (h->log)
		h->log(h->log_user, OWFP_LOG_INFO, line);
}

/*
 * The configuration is parsed once (it may be stdin): its drivers: entries
 * and the --callout plugins load (with their Parameters, then the
 * configured IOCTLs) before its filters, which may name their callouts.
 */
static int start(owfp_host *h, const owfp_host_opts *o, owfp_error *err)
{
	owfp_config *cfg;
	int rc = owfp_host_config_load(h->config_path, h->nplugins_wanted, &cfg, err);
	owfp_drivers_opts dopts = {.config = cfg,
				   .plugins = o->plugins,
				   .nplugins = o->nplugins,
				   .params = o->driver_params,
				   .nparams = o->ndriver_params};

	if (rc)
		return rc;
	rc = owfp_drivers_start(&dopts, &h->drivers, err);
	if (rc == 0 && cfg)
		rc = owfp_config_apply(cfg, NULL, &h->applied, err);
	owfp_config_free(cfg);
	if (rc == 0)
		warn_shadowed(h);
	return rc;
}

int owfp_host_open(const owfp_host_opts *o, owfp_host **out, owfp_error *err)
{
	owfp_host *h = owfp_calloc(1, sizeof(*h));
	int rc;

	*out = NULL;
	if (!h) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	h->config_path = o->config_path;
	h->nplugins_wanted = o->nplugins;
	h->log = o->engine.log;
	h->log_user = o->engine.user;
	h->warn = o->warn;
	h->warn_user = o->warn_user;
	owfp_wpp_set_sink(wpp_line, h);
	rc = owfp_engine_create(&o->engine, &h->engine);
	if (rc) {
		h->engine = NULL;
		snprintf(err->msg, sizeof(err->msg), "cannot create the engine: %s", strerror(-rc));
		goto fail;
	}
	if ((rc = start(h, o, err)))
		goto fail;
	*out = h;
	return 0;
fail:
	owfp_host_close(h);
	return rc < 0 ? rc : -EINVAL;
}

owfp_engine *owfp_host_engine(const owfp_host *h)
{
	return h->engine;
}

owfp_config_applied *owfp_host_applied(const owfp_host *h)
{
	return h->applied;
}

int owfp_host_reload(owfp_host *h, owfp_error *err)
{
	owfp_config *cfg;
	owfp_config_applied *next = NULL;
	int rc = owfp_host_config_load(h->config_path, h->nplugins_wanted, &cfg, err);

	if (rc)
		return rc < 0 ? rc : -EINVAL;
	if (!cfg)
		return 1;
	rc = owfp_config_apply(cfg, h->applied, &next, err);
	owfp_config_free(cfg);
	if (rc)
		return rc < 0 ? rc : -EINVAL;
	h->applied = next;
	warn_shadowed(h);
	return 0;
}

void owfp_host_close(owfp_host *h)
{
	if (!h)
		return;
	owfp_config_unapply(h->applied);
	/* Last loaded first, as a driver stack unloads: a later plugin may use
	 * what an earlier one registered. */
	owfp_drivers_stop(h->drivers);
	if (h->engine)
		owfp_engine_destroy(h->engine);
	owfp_wpp_set_sink(NULL, NULL);
	free(h);
}
