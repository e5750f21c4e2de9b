/*
 * Whether a reload changes a callout entry or a filter (config/same.c):
 * the same definition, file positions aside, is what a reload keeps.
 * Internal to src/config.
 */
#ifndef OWFP_CONFIG_SAME_H
#define OWFP_CONFIG_SAME_H

#include <stdbool.h>

#include "config/model.h"

bool owfp_cfg_callout_same(const owfp_cfg_callout *a, const owfp_cfg_callout *b);
bool owfp_cfg_filter_same(const owfp_cfg_filter *a, const owfp_cfg_filter *b);

#endif
