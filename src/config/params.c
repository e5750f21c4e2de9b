/* Built-in callout parameters: a YAML subtree converted to a jansson value. */
#include "config/params.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Aliases can make a small file expand exponentially: cap the work. */
#define PARAMS_MAX_DEPTH 32
#define PARAMS_MAX_NODES 100000

static json_t *scalar_to_json(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;
	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return json_stringn(s, n->data.scalar.length);
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null"))
		return json_null();
	if (!strcmp(s, "true"))
		return json_true();
	if (!strcmp(s, "false"))
		return json_false();
	char *end;
	errno = 0;
	long long i = strtoll(s, &end, 0);
	if (!*end && !errno && (s[0] != '0' || s[1] == 0 || s[1] == 'x' || s[1] == 'X'))
		return json_integer(i);
	errno = 0;
	double v = strtod(s, &end);
	if (!*end && !errno && isfinite(v) && strchr("+-.0123456789", s[0]))
		return json_real(v);
	return json_stringn(s, n->data.scalar.length);
}

static int convert(owfp_ydoc *d, yaml_node_t *n, int depth, size_t *budget, json_t **out,
		   owfp_error *err)
{
	if (depth > PARAMS_MAX_DEPTH || (*budget)-- == 0)
		return owfp_ydoc_fail(d, n, err,
				      "parameters nest too deep or are too large; "
				      "expected at most %d levels and %d values",
				      PARAMS_MAX_DEPTH, PARAMS_MAX_NODES);
	json_t *j = NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		j = scalar_to_json(n);
		break;
	case YAML_SEQUENCE_NODE:
		j = json_array();
		for (size_t i = 0; j && i < owfp_ydoc_len(n); i++) {
			json_t *v = NULL;
			int rc = convert(d, owfp_ydoc_item(d, n, i), depth + 1, budget, &v, err);
			if (rc) {
				json_decref(j);
				return rc;
			}
			json_array_append_new(j, v);
		}
		break;
	case YAML_MAPPING_NODE:
		j = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     j && p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
			const char *k = owfp_ydoc_str(kn);
			if (!k) {
				json_decref(j);
				return owfp_ydoc_fail(d, kn, err,
						      "parameter name is %s; expected a string",
						      owfp_ydoc_kind(kn));
			}
			if (json_object_get(j, k)) {
				json_decref(j);
				return owfp_ydoc_fail(
					d, kn, err,
					"parameter '%s' given twice; expected each once", k);
			}
			json_t *v = NULL;
			int rc = convert(d, yaml_document_get_node(&d->doc, p->value), depth + 1,
					 budget, &v, err);
			if (rc) {
				json_decref(j);
				return rc;
			}
			json_object_set_new(j, k, v);
		}
		break;
	default:
		return owfp_ydoc_fail(d, n, err, "empty parameter; expected a value");
	}
	if (!j)
		return -ENOMEM;
	*out = j;
	return 0;
}

int owfp_cfg_params_from_yaml(owfp_ydoc *d, yaml_node_t *n, json_t **out, owfp_error *err)
{
	size_t budget = PARAMS_MAX_NODES;
	if (!n) {
		*out = json_object();
		return *out ? 0 : -ENOMEM;
	}
	if (n->type == YAML_SCALAR_NODE && owfp_ydoc_is_plain(n) &&
	    (n->data.scalar.length == 0 || !strcmp((char *)n->data.scalar.value, "null"))) {
		*out = json_object();
		return *out ? 0 : -ENOMEM;
	}
	int rc = owfp_ydoc_expect_map(d, n, "callout params", err);
	if (rc)
		return rc;
	return convert(d, n, 0, &budget, out, err);
}
