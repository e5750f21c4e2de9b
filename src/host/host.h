/*
 * The host: what `openwfp replay` and `openwfp proxy` both stand on. It
 * creates the engine, loads the plugins and applies the configuration as
 * one step, and tears them down in one order. The data paths above it only
 * feed flows; everything they would otherwise each set up for themselves
 * lives here once (see docs/architecture.md).
 *
 * Not thread-safe: open, reload and close run on the caller's thread (the
 * proxy's serve thread, the replay thread); the engine inside is safe to
 * use from any thread as its own contract says.
 */
#ifndef OWFP_HOST_HOST_H
#define OWFP_HOST_HOST_H

#include <stddef.h>

#include "config/config.h"
#include "openwfp/openwfp.h"

typedef struct owfp_host_opts {
	owfp_engine_opts engine;    /* sinks (event, log, user) and limits */
	const char *config_path;    /* -c; NULL: plugins only, or the default 'count' */
	const char *const *plugins; /* --callout, loaded after the drivers: entries */
	size_t nplugins;
	const char *const *driver_params; /* --driver-param DRIVER.VALUE=DATA (config/drivers.h) */
	size_t ndriver_params;
	/* Filters that can never run, found after each apply (open and reload):
	 * one message each (config/config.h). NULL: not looked for. */
	owfp_config_warn_fn warn;
	void *warn_user;
} owfp_host_opts;

typedef struct owfp_host owfp_host;

/*
 * Creates the engine, loads every plugin (DriverEntry runs) and applies the
 * configuration (one FwpmTransaction inside owfp_config_apply). All or
 * nothing: on any failure what was done is undone in owfp_host_close's
 * order, *out is NULL, err names the plugin or the file:line, and a
 * negative errno comes back.
 */
int owfp_host_open(const owfp_host_opts *o, owfp_host **out, owfp_error *err);

owfp_engine *owfp_host_engine(const owfp_host *h);
/* What the configuration added (NULL: plugins only). For filter_add. */
owfp_config_applied *owfp_host_applied(const owfp_host *h);

/*
 * Parses the configuration file again and applies it in one transaction
 * replacing the previous one (SIGHUP). 0 when applied, 1 when there is
 * nothing to reload (plugins only), negative errno with err set when the
 * file is bad: then the old configuration stays in force.
 */
int owfp_host_reload(owfp_host *h, owfp_error *err);

/*
 * The one teardown order: configuration unapplied (its filters and built-in
 * instances go), plugins unloaded last-loaded first (DriverUnload), engine
 * destroyed (flows still open are closed by it). The data path closes its
 * own flows before calling this. NULL is accepted.
 */
void owfp_host_close(owfp_host *h);

/*
 * The configuration text to use: the file at `path`, else (no plugins) the
 * built-in default that counts everything on both stream layers, else none
 * (*out NULL, 0). Shared by open, reload and `openwfp check-config`-like
 * callers; the default text exists only in config_source.c.
 */
int owfp_host_config_load(const char *path, size_t nplugins, owfp_config **out, owfp_error *err);

#endif /* OWFP_HOST_HOST_H */
