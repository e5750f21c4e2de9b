/*
 * Stand-in for owfp_contain_run (src/wdm/contain.h, helper `wdm`): runs
 * driver code (dispatch routines, KMDF event callbacks) directly.
 * MERGE NOTE: replace the body with `return owfp_contain_run(driver, fn, arg);`
 * and include "wdm/contain.h"; the callers already handle -EFAULT.
 */
#ifndef OWFP_WDM_CONTAIN_LOCAL_H
#define OWFP_WDM_CONTAIN_LOCAL_H

#include "openwfp/wdm.h"

static inline int owfp_contain_call(PDRIVER_OBJECT driver, void (*fn)(void *arg), void *arg)
{
	(void)driver;
	fn(arg);
	return 0;
}

#endif /* OWFP_WDM_CONTAIN_LOCAL_H */
