/*
 * Stand-ins for the flow table (src/stream) so the engine links and its
 * tests run on their own. The stream module's strong definitions replace
 * these at link time.
 */
#include <stdlib.h>

#include "engine/engine_internal.h"

__attribute__((weak)) struct owfp_flow_table *owfp_flow_table_create(owfp_engine *engine)
{
	(void)engine;
	return malloc(1);
}

__attribute__((weak)) void owfp_flow_table_destroy(struct owfp_flow_table *t)
{
	free(t);
}
