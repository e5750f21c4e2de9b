/*
 * The parsed configuration, before it meets the engine. Plain data with the
 * file positions needed to name errors found later (at apply time).
 * Internal to src/config.
 */
#ifndef OWFP_CONFIG_MODEL_H
#define OWFP_CONFIG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "openwfp/openwfp.h"

typedef struct owfp_cfg_mark {
	unsigned line, column; /* 1-based */
} owfp_cfg_mark;

/* The layout of a Windows GUID, kept here so parsing needs no WFP header. */
typedef struct owfp_cfg_guid {
	uint32_t d1;
	uint16_t d2, d3;
	uint8_t d4[8];
} owfp_cfg_guid;

/* Layers a filter may name; `stream` and `flow_established` set two bits. */
enum {
	OWFP_CFG_LAYER_STREAM_V4 = 1u << 0,
	OWFP_CFG_LAYER_STREAM_V6 = 1u << 1,
	OWFP_CFG_LAYER_FLOW_V4 = 1u << 2,
	OWFP_CFG_LAYER_FLOW_V6 = 1u << 3,
};
#define OWFP_CFG_LAYERS_V4 (OWFP_CFG_LAYER_STREAM_V4 | OWFP_CFG_LAYER_FLOW_V4)
#define OWFP_CFG_LAYERS_V6 (OWFP_CFG_LAYER_STREAM_V6 | OWFP_CFG_LAYER_FLOW_V6)
#define OWFP_CFG_LAYERS_STREAM (OWFP_CFG_LAYER_STREAM_V4 | OWFP_CFG_LAYER_STREAM_V6)

/* Condition fields: the first eight exist at both the stream and the
 * flow-established layers; from OWFP_CFG_F_APP_ID on, flow-established only. */
enum owfp_cfg_field {
	OWFP_CFG_F_LOCAL_ADDRESS,
	OWFP_CFG_F_REMOTE_ADDRESS,
	OWFP_CFG_F_LOCAL_ADDRESS_TYPE,
	OWFP_CFG_F_LOCAL_PORT,
	OWFP_CFG_F_REMOTE_PORT,
	OWFP_CFG_F_DIRECTION,
	OWFP_CFG_F_FLAGS,
	OWFP_CFG_F_COMPARTMENT_ID,
	OWFP_CFG_F_APP_ID,
	OWFP_CFG_F_IP_PROTOCOL,
	OWFP_CFG_F_COUNT
};
#define OWFP_CFG_F_FIRST_FLOW_ONLY OWFP_CFG_F_APP_ID

/* Values equal FWP_MATCH_TYPE (checked where the WFP headers are included). */
enum owfp_cfg_match {
	OWFP_CFG_M_EQUAL = 0,
	OWFP_CFG_M_GREATER = 1,
	OWFP_CFG_M_LESS = 2,
	OWFP_CFG_M_GREATER_OR_EQUAL = 3,
	OWFP_CFG_M_LESS_OR_EQUAL = 4,
	OWFP_CFG_M_RANGE = 5,
	OWFP_CFG_M_FLAGS_ALL_SET = 6,
	OWFP_CFG_M_FLAGS_ANY_SET = 7,
	OWFP_CFG_M_FLAGS_NONE_SET = 8,
	OWFP_CFG_M_NOT_EQUAL = 10,
};

enum owfp_cfg_value_kind {
	OWFP_CFG_V_UINT,    /* u (width from the field) */
	OWFP_CFG_V_V4,      /* v4 (host order) */
	OWFP_CFG_V_V4_MASK, /* v4 + v4_mask (host order) */
	OWFP_CFG_V_V6,      /* v6 */
	OWFP_CFG_V_V6_MASK, /* v6 + prefix */
	OWFP_CFG_V_RANGE_UINT,
	OWFP_CFG_V_RANGE_V4,
	OWFP_CFG_V_RANGE_V6,
	OWFP_CFG_V_APP_ID, /* text: an absolute path (engine/appid.h) */
};

typedef struct owfp_cfg_condition {
	enum owfp_cfg_field field;
	enum owfp_cfg_match match;
	enum owfp_cfg_value_kind kind;
	uint32_t u, u_hi;
	uint32_t v4, v4_hi, v4_mask;
	uint8_t v6[16], v6_hi[16];
	uint8_t prefix;
	int family; /* 0, AF_INET or AF_INET6: the family the value implies */
	char *text; /* OWFP_CFG_V_APP_ID (owned) */
	owfp_cfg_mark mark;
} owfp_cfg_condition;

enum owfp_cfg_weight_kind { OWFP_CFG_W_AUTO, OWFP_CFG_W_UINT64, OWFP_CFG_W_RANGE };

/* Values equal FWP_ACTION_TYPE. */
enum {
	OWFP_CFG_A_BLOCK = 0x1001,
	OWFP_CFG_A_PERMIT = 0x1002,
	OWFP_CFG_A_CALLOUT_TERMINATING = 0x5003,
	OWFP_CFG_A_CALLOUT_INSPECTION = 0x6004,
	OWFP_CFG_A_CALLOUT_UNKNOWN = 0x4005,
};

/* Values equal FWPM_FILTER_FLAG_*. */
enum {
	OWFP_CFG_FF_CLEAR_ACTION_RIGHT = 0x8,
	OWFP_CFG_FF_PERMIT_IF_CALLOUT_UNREGISTERED = 0x10,
};

typedef struct owfp_cfg_sublayer {
	char *name;
	owfp_cfg_guid key;
	uint16_t weight;
	owfp_cfg_mark mark;
} owfp_cfg_sublayer;

/*
 * A `callouts:` entry is either a built-in instance (`type`, `params`) or
 * the management object of a callout a driver registers (`key`, `layer`):
 * what FwpmCalloutAdd0 adds from user mode on Windows.
 */
typedef struct owfp_cfg_callout {
	char *name;
	char *type;        /* built-in type, or NULL for a driver's callout */
	void *params;      /* json_t * object (owned) */
	owfp_cfg_guid key; /* driver's callout: its calloutKey */
	unsigned layer;    /* driver's callout: one OWFP_CFG_LAYER_* bit */
	owfp_cfg_mark mark, params_mark;
} owfp_cfg_callout;

typedef struct owfp_cfg_filter {
	char *name;
	unsigned layers; /* OWFP_CFG_LAYER_* after narrowing by condition family */
	char *sublayer;  /* name or GUID text; NULL = universal */
	enum owfp_cfg_weight_kind weight_kind;
	uint64_t weight;
	owfp_cfg_condition *conds;
	size_t nconds;
	uint32_t action;
	char *callout; /* name or GUID text, for callout actions */
	uint32_t flags;
	uint64_t context;
	owfp_cfg_mark mark, layer_mark, sublayer_mark, callout_mark;
} owfp_cfg_filter;

/* Registry value types (REG_* numbers). */
enum owfp_cfg_reg_type {
	OWFP_CFG_REG_SZ = 1,
	OWFP_CFG_REG_BINARY = 3,
	OWFP_CFG_REG_DWORD = 4,
	OWFP_CFG_REG_MULTI_SZ = 7,
};

/* One value of a driver's Parameters key. */
typedef struct owfp_cfg_regvalue {
	char *name;
	enum owfp_cfg_reg_type type;
	uint32_t dword;
	char **items; /* REG_SZ: items[0]; REG_MULTI_SZ: nitems strings */
	size_t nitems;
	uint8_t *bin; /* REG_BINARY */
	size_t binlen;
	owfp_cfg_mark mark;
} owfp_cfg_regvalue;

/* One DeviceIoControl sent after the drivers are loaded. */
typedef struct owfp_cfg_ioctl {
	char *device;
	uint32_t code;
	uint8_t *in;
	size_t inlen;
	uint32_t out_size;
	bool has_expect;
	uint32_t expect; /* an NTSTATUS */
	owfp_cfg_mark mark;
} owfp_cfg_ioctl;

/* A `drivers:` entry: a plugin loaded with a name and Parameters. */
typedef struct owfp_cfg_driver {
	char *path; /* as written, relative ones joined to the file's directory */
	char *name; /* driver name (`name:` or the file name without .so) */
	owfp_cfg_regvalue *params;
	size_t nparams;
	owfp_cfg_ioctl *ioctls;
	size_t nioctls;
	owfp_cfg_mark mark;
} owfp_cfg_driver;

struct owfp_config {
	char *file; /* name used in messages */
	owfp_cfg_driver *drivers;
	size_t ndrivers;
	owfp_cfg_sublayer *sublayers;
	size_t nsublayers;
	owfp_cfg_callout *callouts;
	size_t ncallouts;
	owfp_cfg_filter *filters;
	size_t nfilters;
};

/* ---- helpers shared by the parser and apply (guid.c, model.c) */

int owfp_cfg_guid_parse(const char *s, owfp_cfg_guid *out);
void owfp_cfg_guid_format(const owfp_cfg_guid *g, char out[37]);
/* A stable key from a kind ("sublayer") and a name: same input, same GUID. */
void owfp_cfg_guid_derive(const char *kind, const char *name, owfp_cfg_guid *out);

void owfp_cfg_filter_clear(owfp_cfg_filter *f);
int owfp_cfg_filter_copy(owfp_cfg_filter *dst, const owfp_cfg_filter *src);
/* Deep copy (params are referenced, not copied: they are never changed). */
int owfp_config_copy(const owfp_config *src, owfp_config **out);

/* drivers_model.c: the drivers: section's copy, free and comparison. */
void owfp_cfg_drivers_free(owfp_cfg_driver *d, size_t n);
int owfp_cfg_drivers_copy(owfp_cfg_driver **dst, const owfp_cfg_driver *src, size_t n);
bool owfp_cfg_drivers_equal(const owfp_config *a, const owfp_config *b);
/* Both NULL or both the same string: how the reload comparisons (same.c)
 * and the drivers: comparison read an optional string. */
bool owfp_cfg_str_eq(const char *a, const char *b);

const owfp_cfg_sublayer *owfp_cfg_find_sublayer(const owfp_config *cfg, const char *name);
const owfp_cfg_callout *owfp_cfg_find_callout(const owfp_config *cfg, const char *name);

/* Formats "FILE:LINE:COL: message" into err; returns -EINVAL. */
int owfp_cfg_fail(owfp_error *err, const char *file, owfp_cfg_mark m, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif /* OWFP_CONFIG_MODEL_H */
