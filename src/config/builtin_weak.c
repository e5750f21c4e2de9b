/*
 * Stand-ins for the built-in callout registry (src/callouts) so the
 * configuration module links and its tests run on their own. The strong
 * definitions in src/callouts replace these when libopenwfp is linked.
 */
#include <stddef.h>

#include "openwfp/openwfp.h"

__attribute__((weak)) const owfp_builtin *owfp_builtin_find(const char *name)
{
	(void)name;
	return NULL;
}

__attribute__((weak)) const owfp_builtin *const *owfp_builtin_list(void)
{
	static const owfp_builtin *const none[] = {NULL};
	return none;
}
