#include "fake_flow.h"

#include <errno.h>
#include <stdlib.h>

bool (*fake_flow_on_indicate)(struct fake_flow *f, int dir, const uint8_t *data, size_t len);
void (*fake_flow_on_pending)(struct fake_flow *f);
bool (*fake_flow_on_fin)(struct fake_flow *f, int dir);
struct fake_flow *fake_flow_last;
static uint64_t fake_next_id;

int owfp_flow_create(owfp_engine *engine, const owfp_flow_key *key, const owfp_flow_ops *ops,
		     void *dp, owfp_flow **out)
{
	(void)engine;
	(void)key;
	struct fake_flow *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->ops = ops;
	f->dp = dp;
	f->id = __atomic_add_fetch(&fake_next_id, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&fake_flow_last, f, __ATOMIC_RELEASE);
	*out = (owfp_flow *)f;
	return 0;
}

uint64_t owfp_flow_id(const owfp_flow *flow)
{
	return ((const struct fake_flow *)flow)->id;
}
void *owfp_flow_dp(const owfp_flow *flow)
{
	return ((const struct fake_flow *)flow)->dp;
}

int owfp_flow_indicate(owfp_flow *flow, int dir, const uint8_t *data, size_t len,
		       uint32_t seg_flags, uint64_t missed_before)
{
	struct fake_flow *f = (struct fake_flow *)flow;
	(void)seg_flags;
	(void)missed_before;
	if (f->dropped)
		return -EPIPE;
	if (fake_flow_on_indicate && fake_flow_on_indicate(f, dir, data, len))
		return 0;
	f->ops->deliver(f->dp, flow, dir, data, len);
	return 0;
}

int owfp_flow_indicate_fin(owfp_flow *flow, int dir)
{
	struct fake_flow *f = (struct fake_flow *)flow;
	if (fake_flow_on_fin && fake_flow_on_fin(f, dir))
		return 0;
	f->ops->deliver_fin(f->dp, flow, dir);
	return 0;
}

int owfp_flow_indicate_abort(owfp_flow *flow, int dir)
{
	struct fake_flow *f = (struct fake_flow *)flow;
	f->ops->deliver_abort(f->dp, flow, dir);
	return 0;
}

int owfp_flow_run_pending(owfp_flow *flow)
{
	if (fake_flow_on_pending)
		fake_flow_on_pending((struct fake_flow *)flow);
	return 0;
}

bool owfp_flow_busy(const owfp_flow *flow)
{
	(void)flow;
	return false;
}
bool owfp_flow_finished(const owfp_flow *flow)
{
	(void)flow;
	return false;
}
bool owfp_flow_dropped(const owfp_flow *flow)
{
	return ((const struct fake_flow *)flow)->dropped;
}
size_t owfp_flow_held_bytes(const owfp_flow *flow, int dir)
{
	(void)flow;
	(void)dir;
	return 0;
}
/* The fake never defers: nothing to expire. */
uint64_t owfp_flow_defer_deadline_ms(const owfp_flow *flow)
{
	(void)flow;
	return 0;
}
int owfp_flow_expire(owfp_flow *flow, uint64_t now_ms)
{
	(void)flow;
	(void)now_ms;
	return 0;
}

void owfp_flow_close(owfp_flow *flow)
{
	struct fake_flow *f = (struct fake_flow *)flow;
	__atomic_compare_exchange_n(&fake_flow_last, &f, NULL, false, __ATOMIC_ACQ_REL,
				    __ATOMIC_RELAXED);
	free(flow);
}

/* The process memory account without an engine: only the proxy's queues
 * charge it here; the fake never pauses a source for it. */
static size_t fake_mem_used;
void owfp_engine_mem_limit_set(owfp_engine *engine, size_t limit)
{
	(void)engine;
	(void)limit;
}
void owfp_engine_mem_charge(owfp_engine *engine, size_t bytes)
{
	(void)engine;
	__atomic_add_fetch(&fake_mem_used, bytes, __ATOMIC_RELAXED);
}
void owfp_engine_mem_release(owfp_engine *engine, size_t bytes)
{
	(void)engine;
	__atomic_sub_fetch(&fake_mem_used, bytes, __ATOMIC_RELAXED);
}
size_t owfp_engine_mem_used(owfp_engine *engine)
{
	(void)engine;
	return __atomic_load_n(&fake_mem_used, __ATOMIC_RELAXED);
}
bool owfp_flow_may_read(owfp_flow *flow, int dir)
{
	(void)flow;
	(void)dir;
	return true;
}
