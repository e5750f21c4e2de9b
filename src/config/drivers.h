/*
 * Loading the drivers a run uses, with their registry Parameters, then
 * sending the configured IOCTLs: the one step replay, proxy and
 * check-config share (docs/porting.md "Registry parameters and IOCTLs").
 *
 * Order: the configuration's drivers: entries in file order, then the
 * --callout plugins; each gets the Parameters its entry gives, with every
 * --driver-param for its name applied on top; once all are loaded, every
 * entry's ioctls: are sent in file order. Any failure unloads what was
 * loaded and names the file, line and driver.
 *
 * --driver-param DRIVER.VALUE=DATA: DRIVER is a driver name (an entry's
 * name:, or a plugin's file name without .so), VALUE the registry value
 * name (up to the first '='), DATA one of
 *   dword:N   sz:TEXT   multi_sz:A,B,C   binary:HEX
 * or, untyped, a number (decimal or 0x hex: REG_DWORD) or text (REG_SZ).
 */
#ifndef OWFP_CONFIG_DRIVERS_H
#define OWFP_CONFIG_DRIVERS_H

#include <stddef.h>

#include "config/config.h"

typedef struct owfp_drivers owfp_drivers;

typedef struct owfp_drivers_opts {
	const char *config_path;    /* its drivers: section; NULL: none */
	const owfp_config *config;  /* instead of config_path, when set */
	const char *const *plugins; /* --callout PATH */
	size_t nplugins;
	const char *const *params; /* --driver-param texts */
	size_t nparams;
} owfp_drivers_opts;

/* Needs the bound engine (drivers register callouts in DriverEntry).
 * *out is NULL on failure. */
int owfp_drivers_start(const owfp_drivers_opts *o, owfp_drivers **out, owfp_error *err);
/* Unloads in reverse order (DriverUnload runs). NULL is ignored. */
void owfp_drivers_stop(owfp_drivers *d);
size_t owfp_drivers_count(const owfp_drivers *d);

/* The syntax of one --driver-param, for a usage error before anything runs. */
int owfp_driver_param_check(const char *text, owfp_error *err);

/* check-config: a scratch engine, the drivers started as above, the
 * configuration applied, filters that can never run reported through
 * `warn` (may be NULL; their count in *nwarnings), then everything torn down. -EBUSY if an engine
 * is bound in this process. */
int owfp_drivers_check(const owfp_config *cfg, const char *const *params, size_t nparams,
		       owfp_config_warn_fn warn, void *ctx, size_t *nwarnings, owfp_error *err);

#endif /* OWFP_CONFIG_DRIVERS_H */
