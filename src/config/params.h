/* Built-in callout parameters from YAML. Internal to src/config. */
#ifndef OWFP_CONFIG_PARAMS_H
#define OWFP_CONFIG_PARAMS_H

#include <jansson.h>

#include "config/ydoc.h"

/* `n` must be a mapping (or absent/null: an empty object). Plain scalars
 * become null/true/false/integers/reals where they read as such, quoted
 * scalars stay strings. */
int owfp_cfg_params_from_yaml(owfp_ydoc *d, yaml_node_t *n, json_t **out, owfp_error *err);

#endif
