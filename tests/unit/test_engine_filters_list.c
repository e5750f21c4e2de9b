/* owfp_engine_filters_list: what `openwfp filters list` shows comes from the committed set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "openwfp/openwfp.h"
#include "openwfp/initguid.h"
#include "openwfp/fwpmk.h"

static void test_filters_list_shows_committed_filters_in_order(void **state)
{
	owfp_engine *e;
	owfp_engine_opts o = {0};
	HANDLE h;
	FWPM_FILTER0 f;
	UINT64 id1 = 0, id2 = 0;
	UINT64 w_low = 10, w_high = 20;
	owfp_filter_info *v;
	size_t n;

	(void)state;
	assert_int_equal(owfp_engine_create(&o, &e), 0);
	assert_true(NT_SUCCESS(FwpmEngineOpen0(NULL, RPC_C_AUTHN_DEFAULT, NULL, NULL, &h)));
	memset(&f, 0, sizeof(f));
	f.layerKey = FWPM_LAYER_STREAM_V4;
	f.subLayerKey = FWPM_SUBLAYER_UNIVERSAL;
	f.action.type = FWP_ACTION_BLOCK;
	f.weight.type = FWP_UINT64;
	f.weight.uint64 = &w_low;
	f.displayData.name = L"low";
	assert_true(NT_SUCCESS(FwpmFilterAdd0(h, &f, NULL, &id1)));
	f.weight.uint64 = &w_high;
	f.displayData.name = L"high";
	f.action.type = FWP_ACTION_PERMIT;
	assert_true(NT_SUCCESS(FwpmFilterAdd0(h, &f, NULL, &id2)));

	assert_int_equal(owfp_engine_filters_list(e, &v, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, id2); /* arbitration order: higher weight first */
	assert_string_equal(v[0].name, "high");
	assert_string_equal(v[0].layer, "stream_v4");
	assert_int_equal(v[0].action_type, FWP_ACTION_PERMIT);
	assert_int_equal(v[1].id, id1);
	assert_int_equal(v[1].weight, 10);
	free(v);

	assert_true(NT_SUCCESS(FwpmFilterDeleteById0(h, id2)));
	assert_int_equal(owfp_engine_filters_list(e, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, id1);
	free(v);
	FwpmEngineClose0(h);
	owfp_engine_destroy(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_list_shows_committed_filters_in_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
