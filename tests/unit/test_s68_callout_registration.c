/*
 * S67–S69: FwpsCalloutRegister0..3 and the callout ids they share with
 * FwpmCalloutAdd0 (either order, never reused), duplicate keys, the
 * classify signature of each version, and the no-engine case.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "engine/engine.h"
#include "engine_fixture.h"

static int called[4];

static void NTAPI fn0(const FWPS_INCOMING_VALUES0 *in, const FWPS_INCOMING_METADATA_VALUES0 *m,
		      void *ld, const FWPS_FILTER0 *f, UINT64 fc, FWPS_CLASSIFY_OUT0 *out)
{
	(void)in, (void)m, (void)ld, (void)fc;
	assert_int_equal(f->filterId, out->filterId);
	called[0]++;
	out->actionType = FWP_ACTION_PERMIT;
}

#define FN(n, T)                                                                                 \
	static void NTAPI fn##n(const FWPS_INCOMING_VALUES0 *in,                                 \
				const FWPS_INCOMING_METADATA_VALUES0 *m, void *ld,               \
				const void *ctx, const T *f, UINT64 fc, FWPS_CLASSIFY_OUT0 *out) \
	{                                                                                        \
		(void)in, (void)m, (void)ld, (void)fc;                                           \
		assert_null(ctx);                                                                \
		assert_int_equal(f->filterId, out->filterId);                                    \
		called[n]++;                                                                     \
		out->actionType = FWP_ACTION_PERMIT;                                             \
	}
FN(1, FWPS_FILTER1)
FN(2, FWPS_FILTER2)
FN(3, FWPS_FILTER3)

static void test_ids_shared_with_fwpm_in_either_order(void **state)
{
	efx x;
	GUID a = efx_guid(1), b = efx_guid(2);
	UINT32 ra = 0, ma, rb = 0, mb;

	(void)state;
	efx_up(&x);
	/* Registered first: FwpmCalloutAdd0 reports the same id. */
	assert_int_equal(efx_register(&x, &a, 0, fn3, NULL, &ra), STATUS_SUCCESS);
	ma = efx_callout_add(&x, &a, &FWPM_LAYER_STREAM_V4);
	assert_int_equal(ra, ma);
	/* Added first: registration reuses the id. */
	mb = efx_callout_add(&x, &b, &FWPM_LAYER_STREAM_V6);
	assert_int_equal(efx_register(&x, &b, 0, fn3, NULL, &rb), STATUS_SUCCESS);
	assert_int_equal(rb, mb);
	assert_int_not_equal(ra, rb);
	/* S68: a registered key cannot be registered again. */
	assert_int_equal(efx_register(&x, &a, 0, fn3, NULL, NULL), STATUS_FWP_ALREADY_EXISTS);
	/* After unregistering, the key registers again with its old id. */
	assert_int_equal(FwpsCalloutUnregisterById0(ra), STATUS_SUCCESS);
	assert_int_equal(FwpsCalloutUnregisterById0(ra), STATUS_FWP_CALLOUT_NOT_FOUND);
	assert_int_equal(efx_register(&x, &a, 0, fn3, NULL, &ra), STATUS_SUCCESS);
	assert_int_equal(ra, ma);
	/* Deleting the management object keeps the id bound to the key. */
	assert_int_equal(FwpmCalloutDeleteByKey0(x.h, &b), STATUS_SUCCESS);
	assert_int_equal(efx_callout_add(&x, &b, &FWPM_LAYER_STREAM_V6), mb);
	{
		GUID never = efx_guid(50);

		assert_int_equal(FwpsCalloutUnregisterByKey0(&never), STATUS_FWP_CALLOUT_NOT_FOUND);
	}
	assert_int_equal(FwpsCalloutUnregisterById0(9999), STATUS_FWP_CALLOUT_NOT_FOUND);
	efx_down(&x);
}

static void test_invalid_arguments_and_no_engine(void **state)
{
	efx x;
	FWPS_CALLOUT0 c;
	GUID k = efx_guid(3);
	int dev;

	(void)state;
	memset(&c, 0, sizeof(c));
	c.calloutKey = k;
	c.classifyFn = fn0;
	assert_int_equal(FwpsCalloutRegister0(&dev, &c, NULL), STATUS_FWP_TCPIP_NOT_READY);
	assert_int_equal(FwpsCalloutUnregisterByKey0(&k), STATUS_FWP_CALLOUT_NOT_FOUND);
	efx_up(&x);
	assert_int_equal(FwpsCalloutRegister0(NULL, &c, NULL), STATUS_INVALID_PARAMETER);
	assert_int_equal(FwpsCalloutRegister0(&dev, NULL, NULL), STATUS_INVALID_PARAMETER);
	c.classifyFn = NULL;
	assert_int_equal(FwpsCalloutRegister0(&dev, &c, NULL), STATUS_INVALID_PARAMETER);
	efx_down(&x);
}

static void test_each_version_gets_its_signature(void **state)
{
	efx x;
	GUID k[4] = {efx_guid(10), efx_guid(11), efx_guid(12), efx_guid(13)};
	FWPS_CALLOUT0 c0 = {.calloutKey = k[0], .classifyFn = fn0};
	FWPS_CALLOUT1 c1 = {.calloutKey = k[1], .classifyFn = fn1};
	FWPS_CALLOUT2 c2 = {.calloutKey = k[2], .classifyFn = fn2};
	FWPS_CALLOUT3 c3 = {.calloutKey = k[3], .classifyFn = fn3};
	owfp_flow_key key = efx_key4(1, 2, 3, 4, true);
	UINT32 ids[4];

	(void)state;
	efx_up(&x);
	assert_int_equal(FwpsCalloutRegister0(&x.device, &c0, &ids[0]), STATUS_SUCCESS);
	assert_int_equal(FwpsCalloutRegister1(&x.device, &c1, &ids[1]), STATUS_SUCCESS);
	assert_int_equal(FwpsCalloutRegister2(&x.device, &c2, &ids[2]), STATUS_SUCCESS);
	assert_int_equal(FwpsCalloutRegister3(&x.device, &c3, &ids[3]), STATUS_SUCCESS);
	memset(called, 0, sizeof(called));
	for (int i = 0; i < 4; i++) {
		FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL,
					    FWP_ACTION_CALLOUT_INSPECTION);
		owfp_callout *c = owfp_engine_callout_by_id(x.engine, ids[i]);

		efx_callout_add(&x, &k[i], &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4);
		f.action.calloutKey = k[i];
		assert_int_equal(efx_add(&x, &f, NULL), STATUS_SUCCESS);
		assert_non_null(c);
		assert_int_equal(c->version, i);
		assert_int_equal(c->id, ids[i]);
		assert_true(atomic_load(&c->registered));
	}
	owfp_engine_classify_flow_established(x.engine, &key, 1);
	for (int i = 0; i < 4; i++)
		assert_int_equal(called[i], 1);
	efx_down(&x);
}

static void test_engine_binding(void **state)
{
	owfp_engine *a, *b;
	HANDLE h;

	(void)state;
	assert_null(owfp_registry_engine());
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h),
			 STATUS_FWP_NOT_FOUND);
	assert_int_equal(owfp_engine_create(NULL, &a), 0);
	assert_int_equal(owfp_engine_create(NULL, &b), -EBUSY);
	assert_ptr_equal(owfp_registry_engine(), a);
	assert_int_equal(FwpmEngineOpen0(NULL, RPC_C_AUTHN_WINNT, NULL, NULL, &h), STATUS_SUCCESS);
	assert_int_equal(FwpmTransactionBegin0((HANDLE)0x4242, 0), STATUS_INVALID_HANDLE);
	/* Sessions left open die with the engine. */
	owfp_engine_destroy(a);
	assert_null(owfp_registry_engine());
	assert_int_equal(FwpmEngineClose0(h), STATUS_INVALID_HANDLE);
	assert_int_equal(owfp_engine_create(NULL, &b), 0);
	owfp_engine_destroy(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids_shared_with_fwpm_in_either_order),
		cmocka_unit_test(test_invalid_arguments_and_no_engine),
		cmocka_unit_test(test_each_version_gets_its_signature),
		cmocka_unit_test(test_engine_binding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
