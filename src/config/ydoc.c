/* libyaml documents with errors that point at file:line:column. */
#include "config/ydoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

owfp_cfg_mark owfp_ydoc_mark(const yaml_node_t *n)
{
	owfp_cfg_mark m = {1, 1};
	if (n) {
		m.line = (unsigned)n->start_mark.line + 1;
		m.column = (unsigned)n->start_mark.column + 1;
	}
	return m;
}

int owfp_ydoc_fail(owfp_ydoc *d, const yaml_node_t *n, owfp_error *err, const char *fmt, ...)
{
	char what[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return owfp_cfg_fail(err, d->file, owfp_ydoc_mark(n), "%s", what);
}

int owfp_ydoc_load(owfp_ydoc *d, const char *file, const char *text, size_t len, owfp_error *err)
{
	yaml_parser_t p;
	memset(d, 0, sizeof(*d));
	d->file = file;
	if (!yaml_parser_initialize(&p))
		return -ENOMEM;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		owfp_cfg_mark m = {(unsigned)p.problem_mark.line + 1,
				   (unsigned)p.problem_mark.column + 1};
		int rc = p.error == YAML_MEMORY_ERROR ? -ENOMEM : -EINVAL;
		owfp_cfg_fail(err, file, m, "YAML syntax error: %s%s%s", p.problem ? p.problem : "?",
			      p.context ? " " : "", p.context ? p.context : "");
		yaml_parser_delete(&p);
		return rc;
	}
	d->loaded = true;
	/* A second document would be silently ignored: refuse it instead. */
	yaml_document_t next;
	if (yaml_parser_load(&p, &next)) {
		yaml_node_t *root = yaml_document_get_root_node(&next);
		if (root) {
			owfp_cfg_mark m = owfp_ydoc_mark(root);
			yaml_document_delete(&next);
			yaml_parser_delete(&p);
			owfp_ydoc_free(d);
			return owfp_cfg_fail(err, file, m,
					     "a second YAML document; expected one document only");
		}
		yaml_document_delete(&next);
	} else {
		owfp_cfg_mark m = {(unsigned)p.problem_mark.line + 1,
				   (unsigned)p.problem_mark.column + 1};
		owfp_cfg_fail(err, file, m, "YAML syntax error: %s", p.problem ? p.problem : "?");
		yaml_parser_delete(&p);
		owfp_ydoc_free(d);
		return -EINVAL;
	}
	yaml_parser_delete(&p);
	return 0;
}

void owfp_ydoc_free(owfp_ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *owfp_ydoc_root(owfp_ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

const char *owfp_ydoc_kind(const yaml_node_t *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_SCALAR_NODE:
		return n->data.scalar.length ? "a scalar" : "an empty value";
	default:
		return "nothing";
	}
}

bool owfp_ydoc_is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

bool owfp_ydoc_is_plain(const yaml_node_t *n)
{
	return owfp_ydoc_is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

const char *owfp_ydoc_str(const yaml_node_t *n)
{
	return owfp_ydoc_is_scalar(n) ? (const char *)n->data.scalar.value : NULL;
}

size_t owfp_ydoc_len(const yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *owfp_ydoc_item(owfp_ydoc *d, yaml_node_t *seq, size_t i)
{
	if (i >= owfp_ydoc_len(seq))
		return NULL;
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *owfp_ydoc_get(owfp_ydoc *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = owfp_ydoc_str(yaml_document_get_node(&d->doc, p->key));
		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(&d->doc, p->value);
	}
	return NULL;
}

int owfp_ydoc_check_keys(owfp_ydoc *d, yaml_node_t *map, const char *what,
			 const char *const *allowed, owfp_error *err)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);
		const char *k = owfp_ydoc_str(kn);
		if (!k)
			return owfp_ydoc_fail(d, kn, err, "%s key is %s; expected a plain name",
					      what, owfp_ydoc_kind(kn));
		bool ok = false;
		for (size_t i = 0; allowed[i] && !ok; i++)
			ok = strcmp(allowed[i], k) == 0;
		if (!ok) {
			char list[256] = "";
			size_t used = 0;
			for (size_t i = 0; allowed[i]; i++)
				used += (size_t)snprintf(
					list + used, used < sizeof(list) ? sizeof(list) - used : 0,
					"%s%s", i ? ", " : "", allowed[i]);
			return owfp_ydoc_fail(d, kn, err, "unknown %s key '%s'; expected one of: %s",
					      what, k, list);
		}
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			const char *k2 = owfp_ydoc_str(yaml_document_get_node(&d->doc, q->key));
			if (k2 && strcmp(k2, k) == 0)
				return owfp_ydoc_fail(
					d, kn, err,
					"%s key '%s' given twice; expected each key once", what, k);
		}
	}
	return 0;
}

int owfp_ydoc_expect_map(owfp_ydoc *d, yaml_node_t *n, const char *what, owfp_error *err)
{
	if (n && n->type == YAML_MAPPING_NODE)
		return 0;
	return owfp_ydoc_fail(d, n, err, "%s is %s; expected a mapping", what, owfp_ydoc_kind(n));
}

int owfp_ydoc_expect_seq(owfp_ydoc *d, yaml_node_t *n, const char *what, owfp_error *err)
{
	if (n && n->type == YAML_SEQUENCE_NODE)
		return 0;
	return owfp_ydoc_fail(d, n, err, "%s is %s; expected a list", what, owfp_ydoc_kind(n));
}

int owfp_ydoc_string(owfp_ydoc *d, yaml_node_t *n, const char *what, const char **out, owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);
	if (!s || !*s)
		return owfp_ydoc_fail(d, n, err, "%s is %s; expected a non-empty string", what,
				      owfp_ydoc_kind(n));
	if (strlen(s) != n->data.scalar.length)
		return owfp_ydoc_fail(d, n, err, "%s contains a NUL byte; expected text", what);
	*out = s;
	return 0;
}

bool owfp_ydoc_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end,
					(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

int owfp_ydoc_uint(owfp_ydoc *d, yaml_node_t *n, const char *what, uint64_t max, uint64_t *out,
		   owfp_error *err)
{
	const char *s = owfp_ydoc_str(n);
	if (!owfp_ydoc_parse_uint(s, max, out)) {
		if (s)
			return owfp_ydoc_fail(d, n, err,
					      "%s '%s' is not valid; expected an integer 0..%llu",
					      what, s, (unsigned long long)max);
		return owfp_ydoc_fail(d, n, err, "%s is %s; expected an integer 0..%llu", what,
				      owfp_ydoc_kind(n), (unsigned long long)max);
	}
	return 0;
}
