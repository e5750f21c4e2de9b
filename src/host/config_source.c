/* Which configuration a run uses, and the built-in default. */
#include "host/host.h"

/* Without -c or --callout: the built-in 'count' inspects both stream
 * layers and changes nothing, so a bare run still reports every flow. */
static const char default_config[] = "callouts:\n"
				     "  - {name: count, type: count}\n"
				     "filters:\n"
				     "  - {name: count, layer: stream, sublayer: inspection,\n"
				     "     action: callout_inspection, callout: count}\n";

int owfp_host_config_load(const char *path, size_t nplugins, owfp_config **out, owfp_error *err)
{
	*out = NULL;
	if (path)
		return owfp_config_parse_file(path, out, err);
	if (nplugins)
		return 0;
	return owfp_config_parse_string("<default>", default_config, sizeof(default_config) - 1,
					out, err);
}
