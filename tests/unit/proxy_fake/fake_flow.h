/*
 * A stand-in for the stream engine's owfp_flow_* functions, used only until
 * src/stream lands: every indication is delivered at once unless the test
 * installs a hook. Linked only when libopenwfp does not define the symbols.
 */
#ifndef OWFP_TEST_FAKE_FLOW_H
#define OWFP_TEST_FAKE_FLOW_H

#include "openwfp/openwfp.h"

struct fake_flow {
	const owfp_flow_ops *ops;
	void *dp;
	uint64_t id;
	bool dropped;
};

/* Return true when the hook handled the bytes itself. */
extern bool (*fake_flow_on_indicate)(struct fake_flow *f, int dir, const uint8_t *data, size_t len);
extern void (*fake_flow_on_pending)(struct fake_flow *f);
/* Return true to hold the FIN (not delivered). */
extern bool (*fake_flow_on_fin)(struct fake_flow *f, int dir);
extern struct fake_flow *fake_flow_last;

#endif
