/* The built-in callouts, by name (the configuration's `type`). */
#include <stddef.h>
#include <string.h>

#include "callouts/registry.h"

static const owfp_builtin *const builtins[] = {
	&owfp_builtin_count,         &owfp_builtin_stream_edit,
	&owfp_builtin_http_filter,   &owfp_builtin_tls_sni_filter,
	&owfp_builtin_pattern_match, &owfp_builtin_rate_limit,
	&owfp_builtin_flow_log,      NULL,
};

const owfp_builtin *owfp_builtin_find(const char *name)
{
	for (size_t i = 0; name && builtins[i]; i++)
		if (strcmp(builtins[i]->name, name) == 0)
			return builtins[i];
	return NULL;
}

const owfp_builtin *const *owfp_builtin_list(void)
{
	return builtins;
}

const char *owfp_builtin_filter_action(const char *name)
{
	const owfp_builtin *b = owfp_builtin_find(name);
	return b && b->filter_action ? b->filter_action : "callout_terminating (or callout_unknown)";
}
