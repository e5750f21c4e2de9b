/*
 * The configuration file: drivers (loaded by config/drivers.h before the
 * rest applies), sublayers, callouts and filters, in YAML (or JSON, which is
 * YAML flow syntax). See docs/configuration.md.
 *
 * Life cycle:
 *   owfp_config_parse_file / _string   text -> owfp_config (nothing applied)
 *   owfp_config_apply                  create the built-in instances, then add
 *                                      sublayers, callouts and filters with the
 *                                      Fwpm* calls in ONE FwpmTransaction: a bad
 *                                      config changes nothing
 *   owfp_config_unapply                remove what apply added, destroy instances
 *
 * Every error, syntax or semantic, fills owfp_error with
 * "FILE:LINE:COLUMN: what was wrong; expected ..." (apply errors name the
 * filter or callout and its position in the file).
 *
 * Threading: parse is pure. apply/unapply/filter_add call the Fwpm* API of
 * the bound engine and may run on any thread (the engine serialises changes),
 * but one owfp_config_applied must not be used by two threads at once.
 */
#ifndef OWFP_CONFIG_CONFIG_H
#define OWFP_CONFIG_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "openwfp/openwfp.h"

typedef struct owfp_config owfp_config;
typedef struct owfp_config_applied owfp_config_applied;

/* `path` "-" reads standard input. */
int owfp_config_parse_file(const char *path, owfp_config **out, owfp_error *err);
/* `name` is what error messages call the text (e.g. "<control>"). */
int owfp_config_parse_string(const char *name, const char *text, size_t len, owfp_config **out,
			     owfp_error *err);
void owfp_config_free(owfp_config *cfg);

/* Counts, for reports. */
size_t owfp_config_ndrivers(const owfp_config *cfg);
size_t owfp_config_nsublayers(const owfp_config *cfg);
size_t owfp_config_ncallouts(const owfp_config *cfg);
size_t owfp_config_nfilters(const owfp_config *cfg);

/*
 * Applies `cfg` to the bound engine. `cfg` is copied: the caller may free it
 * afterwards. When `prev` is given (SIGHUP reload), its filters and callouts
 * are deleted in the same transaction that adds the new ones, sublayers with
 * the same key are kept, and on success `prev` is consumed (its built-in
 * instances are destroyed after the commit). On failure nothing changed and
 * `prev` is still in force.
 */
int owfp_config_apply(const owfp_config *cfg, owfp_config_applied *prev, owfp_config_applied **out,
		      owfp_error *err);
/* Deletes the filters, callouts and sublayers apply added (and filters added
 * with owfp_config_filter_add), then destroys the built-in instances. */
void owfp_config_unapply(owfp_config_applied *applied);

/*
 * Parses ONE filter, written as a YAML/JSON mapping with the fields of a
 * `filters:` entry (for example `{name: web, layer: stream, action: block,
 * conditions: [{field: remote_port, match: equal, value: 80}]}`), and adds it
 * in one transaction. Sublayer and callout names resolve against `applied`
 * (NULL: only built-in sublayers and callout GUIDs). A `layer: stream` filter
 * becomes one filter per family, so up to 2 ids come back.
 */
int owfp_config_filter_add(owfp_config_applied *applied, const char *text, size_t len,
			   uint64_t ids[2], size_t *nids, owfp_error *err);

/* Applies a parsed configuration to a scratch engine and tears it down:
 * what `openwfp check-config` does after parsing. Fails with -EBUSY if an
 * engine is already bound in this process. */
int owfp_config_check(const owfp_config *cfg, owfp_error *err);

/* The filters apply added (ids in the order of the file), for reports. */
size_t owfp_config_applied_filter_ids(const owfp_config_applied *applied, const uint64_t **ids);
/* The configuration `applied` was made from (its own copy). */
const owfp_config *owfp_config_applied_config(const owfp_config_applied *applied);

/* Receives one complete warning, "FILE:LINE:COLUMN: warning: ...". */
typedef void (*owfp_config_warn_fn)(void *ctx, const char *msg);

/*
 * Warns about the filters of `applied` that can never run: in their layer
 * and sublayer, a filter ordered before them always decides and matches
 * every connection they match (src/engine/shadow.h; the rule is in
 * docs/configuration.md, "Filters that never run"). One warning per pair,
 * naming both filters and their positions in the file. Reads the bound
 * engine's committed filters. Returns the number of warnings given.
 */
size_t owfp_config_warn_shadowed(const owfp_config_applied *applied, owfp_config_warn_fn warn,
				 void *ctx);

/* owfp_config_check, giving the warnings of owfp_config_warn_shadowed
 * (counted in *nwarnings, which may be NULL) before the scratch engine goes. */
int owfp_config_check_warn(const owfp_config *cfg, owfp_config_warn_fn warn, void *ctx,
			   size_t *nwarnings, owfp_error *err);

#endif /* OWFP_CONFIG_CONFIG_H */
