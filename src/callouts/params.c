/* Typed, fail-closed access to a built-in callout's JSON parameters. */
#include "callouts/params.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int owfp_params_fail(const owfp_params *p, const char *fmt, ...)
{
	if (!p->err || p->errlen == 0)
		return -EINVAL;
	int n = snprintf(p->err, p->errlen, "callout '%s': ", p->instance ? p->instance : "?");
	if (n < 0 || (size_t)n >= p->errlen)
		return -EINVAL;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int owfp_params_open(owfp_params *p, const void *params, const char *instance,
		     const char *const *known, char *err, size_t errlen)
{
	p->instance = instance;
	p->err = err;
	p->errlen = errlen;
	p->obj = params;
	if (!params)
		return 0; /* json_object_get(NULL, ...) is NULL: every default applies */
	if (!json_is_object(p->obj))
		return owfp_params_fail(p, "params must be a JSON object");
	const char *key;
	json_t *val;
	json_object_foreach ((json_t *)p->obj, key, val) {
		bool ok = false;
		for (size_t i = 0; known && known[i]; i++)
			if (strcmp(known[i], key) == 0)
				ok = true;
		if (!ok)
			return owfp_params_fail(p, "unknown parameter '%s'", key);
	}
	return 0;
}

int owfp_params_string(const owfp_params *p, const char *key, const char *def, const char **out)
{
	const json_t *v = json_object_get(p->obj, key);
	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_string(v))
		return owfp_params_fail(p, "parameter '%s' must be a string", key);
	*out = json_string_value(v);
	return 0;
}

int owfp_params_u64(const owfp_params *p, const char *key, uint64_t def, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	const json_t *v = json_object_get(p->obj, key);
	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return owfp_params_fail(p, "parameter '%s' must be a non-negative integer", key);
	uint64_t x = (uint64_t)json_integer_value(v);
	if (x < min || x > max)
		return owfp_params_fail(p, "parameter '%s' = %llu is outside [%llu, %llu]", key,
					(unsigned long long)x, (unsigned long long)min,
					(unsigned long long)max);
	*out = x;
	return 0;
}

int owfp_params_double(const owfp_params *p, const char *key, double def, double min, double max,
		       double *out)
{
	const json_t *v = json_object_get(p->obj, key);
	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_number(v))
		return owfp_params_fail(p, "parameter '%s' must be a number", key);
	double x = json_number_value(v);
	if (!isfinite(x) || x < min || x > max)
		return owfp_params_fail(p, "parameter '%s' = %g is outside [%g, %g]", key, x, min,
					max);
	*out = x;
	return 0;
}

int owfp_params_bool(const owfp_params *p, const char *key, bool def, bool *out)
{
	const json_t *v = json_object_get(p->obj, key);
	if (!v) {
		*out = def;
		return 0;
	}
	if (!json_is_boolean(v))
		return owfp_params_fail(p, "parameter '%s' must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

int owfp_params_choice(const owfp_params *p, const char *key, const char *const *choices, int def,
		       int *out)
{
	const char *s = NULL;
	int rc = owfp_params_string(p, key, NULL, &s);
	if (rc)
		return rc;
	if (!s) {
		*out = def;
		return 0;
	}
	for (int i = 0; choices[i]; i++) {
		if (strcmp(choices[i], s) == 0) {
			*out = i;
			return 0;
		}
	}
	char list[256] = "";
	for (int i = 0; choices[i]; i++) {
		strncat(list, i ? "|" : "", sizeof(list) - strlen(list) - 1);
		strncat(list, choices[i], sizeof(list) - strlen(list) - 1);
	}
	return owfp_params_fail(p, "parameter '%s' = '%s' must be one of %s", key, s, list);
}

int owfp_params_array(const owfp_params *p, const char *key, const json_t **out)
{
	const json_t *v = json_object_get(p->obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return owfp_params_fail(p, "parameter '%s' must be an array", key);
	*out = v;
	return 0;
}
