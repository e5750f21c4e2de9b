/* YAML -> owfp_config. Internal to src/config. */
#ifndef OWFP_CONFIG_PARSE_H
#define OWFP_CONFIG_PARSE_H

#include "config/config.h"
#include "config/model.h"
#include "config/ydoc.h"

/* One filter mapping; names resolve against `scope` (may be NULL). */
int owfp_cfg_parse_filter(owfp_ydoc *d, yaml_node_t *n, size_t index, const owfp_config *scope,
			  owfp_cfg_filter *out, owfp_error *err);

/* The drivers: section (parse_drivers.c). */
int owfp_cfg_parse_drivers(owfp_ydoc *d, yaml_node_t *seq, owfp_config *cfg, owfp_error *err);

#endif
