/*
 * Fuzzes the configuration parser and its application to an engine.
 * Invariants: a rejected configuration carries an error message that names
 * the input ("fuzz.yaml:LINE:COL" or at least the file); a configuration
 * that applies can be unapplied, leaving the engine with no filters; no
 * leak, no crash, no hang.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "openwfp/openwfp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	owfp_engine *engine = NULL;
	owfp_engine_opts opts;
	memset(&opts, 0, sizeof(opts));
	if (owfp_engine_create(&opts, &engine) != 0)
		abort();
	owfp_config *cfg = NULL;
	owfp_error err;
	memset(&err, 0, sizeof(err));
	if (owfp_config_parse_string("fuzz.yaml", (const char *)data, size, &cfg, &err) != 0) {
		if (!strstr(err.msg, "fuzz.yaml"))
			abort();
	} else {
		owfp_config_applied *applied = NULL;
		memset(&err, 0, sizeof(err));
		if (owfp_config_apply(cfg, NULL, &applied, &err) == 0)
			owfp_config_unapply(applied);
		else if (err.msg[0] == '\0')
			abort();
		owfp_config_free(cfg);
	}
	owfp_engine_destroy(engine);
	return 0;
}
