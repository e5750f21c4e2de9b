/*
 * Reading a built-in callout's parameters (a JSON object from the
 * configuration file). Every getter writes a specific message into `err`
 * naming the instance and the parameter; unknown parameter names are an
 * error, so a typo never silently falls back to a default (fail closed).
 */
#ifndef OWFP_CALLOUTS_PARAMS_H
#define OWFP_CALLOUTS_PARAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct owfp_params {
	const json_t *obj;    /* NULL when the instance has no params */
	const char *instance; /* for messages */
	char *err;
	size_t errlen;
} owfp_params;

/* `known` is NULL-terminated. Returns 0 or -EINVAL. */
int owfp_params_open(owfp_params *p, const void *params, const char *instance,
		     const char *const *known, char *err, size_t errlen);

int owfp_params_string(const owfp_params *p, const char *key, const char *def, const char **out);
int owfp_params_u64(const owfp_params *p, const char *key, uint64_t def, uint64_t min, uint64_t max,
		    uint64_t *out);
int owfp_params_double(const owfp_params *p, const char *key, double def, double min, double max,
		       double *out);
int owfp_params_bool(const owfp_params *p, const char *key, bool def, bool *out);
/* `choices` is NULL-terminated; *out is the index of the chosen word. */
int owfp_params_choice(const owfp_params *p, const char *key, const char *const *choices, int def,
		       int *out);
/* An array (absent = NULL, not an error). */
int owfp_params_array(const owfp_params *p, const char *key, const json_t **out);

/* Formats into p->err; always returns -EINVAL. */
int owfp_params_fail(const owfp_params *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
