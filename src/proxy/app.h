/* `openwfp proxy` as a whole: what src/cli/cmd_proxy.c runs. */
#ifndef OWFP_PROXY_APP_H
#define OWFP_PROXY_APP_H

#include "proxy/proxy.h"

typedef struct owfp_proxy_app_opts {
	owfp_proxy_opts proxy;
	const char *config_path;    /* -c; NULL: plugins only, or the default 'count' */
	const char *const *plugins; /* --callout, in order */
	size_t nplugins;
	const char *const *driver_params; /* --driver-param (config/drivers.h) */
	size_t ndriver_params;
	const char *control_path;  /* --control */
	const char *events_path;   /* --events */
	unsigned drain_timeout_ms; /* --drain-timeout */
	unsigned defer_timeout_ms; /* --defer-timeout; 0 = the engine's default (60 s) */
	int verbosity;             /* -1 quiet, 0 normal, 1+ verbose */
	const char *user;          /* --user: drop to this user after setup, or NULL */
	bool metrics;              /* --metrics ADDR:PORT given: serve GET /metrics there */
	owfp_proxy_addr metrics_addr;
} owfp_proxy_app_opts;

/* Runs until SIGTERM/SIGINT drained it (0) or setup failed (negative errno, err set). */
int owfp_proxy_app_run(const owfp_proxy_app_opts *o, owfp_error *err);

#endif /* OWFP_PROXY_APP_H */
