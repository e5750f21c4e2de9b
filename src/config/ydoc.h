/*
 * A loaded YAML document with typed accessors that fail with the node's
 * file:line:column. Internal to src/config.
 */
#ifndef OWFP_CONFIG_YDOC_H
#define OWFP_CONFIG_YDOC_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "config/model.h"

typedef struct owfp_ydoc {
	yaml_document_t doc;
	const char *file;
	bool loaded;
} owfp_ydoc;

/* Loads exactly one document from `text`. An empty text loads an empty
 * document (root NULL). */
int owfp_ydoc_load(owfp_ydoc *d, const char *file, const char *text, size_t len, owfp_error *err);
void owfp_ydoc_free(owfp_ydoc *d);

yaml_node_t *owfp_ydoc_root(owfp_ydoc *d);
owfp_cfg_mark owfp_ydoc_mark(const yaml_node_t *n);
const char *owfp_ydoc_kind(const yaml_node_t *n); /* "a mapping", "a list", "a scalar" */
int owfp_ydoc_fail(owfp_ydoc *d, const yaml_node_t *n, owfp_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Mapping access. check_keys rejects unknown and repeated keys; `allowed`
 * is NULL-terminated. get returns the value node or NULL; *key_node (may be
 * NULL) receives the key node. */
int owfp_ydoc_check_keys(owfp_ydoc *d, yaml_node_t *map, const char *what,
			 const char *const *allowed, owfp_error *err);
yaml_node_t *owfp_ydoc_get(owfp_ydoc *d, yaml_node_t *map, const char *key);
yaml_node_t *owfp_ydoc_item(owfp_ydoc *d, yaml_node_t *seq, size_t i);
size_t owfp_ydoc_len(const yaml_node_t *seq);

bool owfp_ydoc_is_scalar(const yaml_node_t *n);
bool owfp_ydoc_is_plain(const yaml_node_t *n);   /* unquoted scalar */
const char *owfp_ydoc_str(const yaml_node_t *n); /* scalar text, or NULL */

/* Typed scalars: fail naming the node and `what` (e.g. "filter weight"). */
int owfp_ydoc_expect_map(owfp_ydoc *d, yaml_node_t *n, const char *what, owfp_error *err);
int owfp_ydoc_expect_seq(owfp_ydoc *d, yaml_node_t *n, const char *what, owfp_error *err);
int owfp_ydoc_string(owfp_ydoc *d, yaml_node_t *n, const char *what, const char **out,
		     owfp_error *err);
int owfp_ydoc_uint(owfp_ydoc *d, yaml_node_t *n, const char *what, uint64_t max, uint64_t *out,
		   owfp_error *err);
/* Reads decimal or 0x-hex text; false if not an unsigned integer <= max. */
bool owfp_ydoc_parse_uint(const char *s, uint64_t max, uint64_t *out);

#endif /* OWFP_CONFIG_YDOC_H */
