/*
 * Flow-established metadata a monitor needs: PROCESS_ID / PROCESS_PATH and
 * the ALE_APP_ID field are present exactly when the data path knows the
 * local process; an ALE_APP_ID condition (FWP_BYTE_BLOB, equal / not_equal)
 * matches only that application; FwpmGetAppIdFromFileName0 gives the same
 * bytes the engine puts in the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine/appid.h"
#include "engine_fixture.h"

static int calls;
static UINT32 seen_meta;
static UINT64 seen_pid;
static FWP_BYTE_BLOB seen_path; /* a copy */
static FWP_DATA_TYPE seen_app_type;
static FWP_BYTE_BLOB seen_app; /* a copy */

static void copy_blob(FWP_BYTE_BLOB *dst, const FWP_BYTE_BLOB *src)
{
	free(dst->data);
	dst->size = src->size;
	dst->data = malloc(src->size);
	assert_non_null(dst->data);
	memcpy(dst->data, src->data, src->size);
}

static void NTAPI classify(const FWPS_INCOMING_VALUES0 *in,
			   const FWPS_INCOMING_METADATA_VALUES0 *meta, void *ld, const void *ctx,
			   const FWPS_FILTER3 *f, UINT64 fc, FWPS_CLASSIFY_OUT0 *out)
{
	const FWP_VALUE0 *app = &in->incomingValue[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID].value;

	(void)ld, (void)ctx, (void)f, (void)fc;
	calls++;
	seen_meta = meta->currentMetadataValues;
	seen_pid = meta->processId;
	if (FWPS_IS_METADATA_FIELD_PRESENT(meta, FWPS_METADATA_FIELD_PROCESS_PATH))
		copy_blob(&seen_path, meta->processPath);
	seen_app_type = app->type;
	if (app->type == FWP_BYTE_BLOB_TYPE)
		copy_blob(&seen_app, app->byteBlob);
	out->actionType = FWP_ACTION_CONTINUE;
}

typedef struct world {
	efx x;
	GUID callout;
} world;

static void up(world *w)
{
	efx_up(&w->x);
	calls = 0;
	seen_meta = 0;
	seen_app_type = FWP_EMPTY;
	w->callout = efx_guid(500);
	efx_callout_add(&w->x, &w->callout, &FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4);
	assert_int_equal(efx_register(&w->x, &w->callout, 0, classify, NULL, NULL), STATUS_SUCCESS);
}

static void down(world *w)
{
	efx_down(&w->x);
	free(seen_path.data);
	free(seen_app.data);
	memset(&seen_path, 0, sizeof(seen_path));
	memset(&seen_app, 0, sizeof(seen_app));
}

static void add_filter(world *w, const FWP_BYTE_BLOB *app, FWP_MATCH_TYPE m)
{
	FWPM_FILTER0 f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL,
				    FWP_ACTION_CALLOUT_INSPECTION);
	FWPM_FILTER_CONDITION0 c;

	memset(&c, 0, sizeof(c));
	f.action.calloutKey = w->callout;
	if (app) {
		c.fieldKey = FWPM_CONDITION_ALE_APP_ID;
		c.matchType = m;
		c.conditionValue.type = FWP_BYTE_BLOB_TYPE;
		c.conditionValue.byteBlob = (FWP_BYTE_BLOB *)app;
		f.numFilterConditions = 1;
		f.filterCondition = &c;
	}
	assert_int_equal(efx_add(&w->x, &f, NULL), STATUS_SUCCESS);
}

static void classify_as(world *w, uint64_t pid, const char *path)
{
	owfp_flow_key k = efx_key4(0x7f000001, 40000, 0x7f000001, 8080, true);

	k.process_id = pid;
	k.process_path = path;
	owfp_engine_classify_flow_established(w->x.engine, &k, 9);
}

static void test_metadata_present_when_known(void **state)
{
	world w;
	FWP_BYTE_BLOB want;

	(void)state;
	up(&w);
	add_filter(&w, NULL, FWP_MATCH_EQUAL);
	classify_as(&w, 4242, "/usr/bin/curl");
	assert_int_equal(calls, 1);
	assert_true(FWPS_IS_METADATA_FIELD_PRESENT(
		&(FWPS_INCOMING_METADATA_VALUES0){.currentMetadataValues = seen_meta},
		FWPS_METADATA_FIELD_PROCESS_ID | FWPS_METADATA_FIELD_PROCESS_PATH));
	assert_int_equal(seen_pid, 4242);
	assert_int_equal(owfp_appid_from_path("/usr/bin/curl", &want), 0);
	/* WCHARs with their NUL, the size counting it (what msnmntr copies). */
	assert_int_equal(want.size, (strlen("/usr/bin/curl") + 1) * sizeof(WCHAR));
	assert_int_equal(seen_path.size, want.size);
	assert_memory_equal(seen_path.data, want.data, want.size);
	assert_int_equal(((const WCHAR *)seen_path.data)[0], L'/');
	assert_int_equal(((const WCHAR *)seen_path.data)[want.size / sizeof(WCHAR) - 1], 0);
	assert_int_equal(seen_app_type, FWP_BYTE_BLOB_TYPE);
	assert_int_equal(seen_app.size, want.size);
	assert_memory_equal(seen_app.data, want.data, want.size);
	free(want.data);
	down(&w);
}

static void test_metadata_absent_when_unknown(void **state)
{
	world w;

	(void)state;
	up(&w);
	add_filter(&w, NULL, FWP_MATCH_EQUAL);
	classify_as(&w, 0, NULL);
	assert_int_equal(calls, 1);
	assert_false(seen_meta & FWPS_METADATA_FIELD_PROCESS_ID);
	assert_false(seen_meta & FWPS_METADATA_FIELD_PROCESS_PATH);
	assert_int_equal(seen_app_type, FWP_EMPTY);
	/* A pid without a path: PROCESS_ID only. */
	classify_as(&w, 7, NULL);
	assert_true(seen_meta & FWPS_METADATA_FIELD_PROCESS_ID);
	assert_false(seen_meta & FWPS_METADATA_FIELD_PROCESS_PATH);
	down(&w);
}

static void test_app_id_condition_matches_only_that_application(void **state)
{
	world w;
	FWP_BYTE_BLOB curl;

	(void)state;
	up(&w);
	assert_int_equal(owfp_appid_from_path("/usr/bin/curl", &curl), 0);
	add_filter(&w, &curl, FWP_MATCH_EQUAL);
	classify_as(&w, 1, "/usr/bin/curl");
	assert_int_equal(calls, 1);
	classify_as(&w, 2, "/usr/bin/wget");
	classify_as(&w, 3, "/usr/bin/curl2");
	classify_as(&w, 4, "/usr/bin/Curl"); /* case is kept */
	classify_as(&w, 5, NULL);            /* unknown matches nothing (S88) */
	assert_int_equal(calls, 1);
	free(curl.data);
	down(&w);
}

static void test_app_id_not_equal_skips_unknown(void **state)
{
	world w;
	FWP_BYTE_BLOB curl;

	(void)state;
	up(&w);
	assert_int_equal(owfp_appid_from_path("/usr/bin/curl", &curl), 0);
	add_filter(&w, &curl, FWP_MATCH_NOT_EQUAL);
	classify_as(&w, 1, "/usr/bin/curl");
	assert_int_equal(calls, 0);
	classify_as(&w, 2, "/usr/bin/wget");
	assert_int_equal(calls, 1);
	classify_as(&w, 3, NULL);
	assert_int_equal(calls, 1);
	free(curl.data);
	down(&w);
}

static void test_app_id_condition_checked(void **state)
{
	world w;
	FWP_BYTE_BLOB curl;
	FWPM_FILTER0 f;
	FWPM_FILTER_CONDITION0 c;

	(void)state;
	up(&w);
	assert_int_equal(owfp_appid_from_path("/usr/bin/curl", &curl), 0);
	memset(&c, 0, sizeof(c));
	c.fieldKey = FWPM_CONDITION_ALE_APP_ID;
	c.conditionValue.type = FWP_BYTE_BLOB_TYPE;
	c.conditionValue.byteBlob = &curl;
	f = efx_filter(&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, NULL, FWP_ACTION_BLOCK);
	f.numFilterConditions = 1;
	f.filterCondition = &c;
	c.matchType = FWP_MATCH_GREATER;
	assert_int_equal(efx_add(&w.x, &f, NULL), STATUS_FWP_MATCH_TYPE_MISMATCH);
	c.matchType = FWP_MATCH_EQUAL;
	c.conditionValue.byteBlob = NULL;
	assert_int_equal(efx_add(&w.x, &f, NULL), STATUS_FWP_NULL_POINTER);
	c.conditionValue.type = FWP_UINT32;
	assert_int_equal(efx_add(&w.x, &f, NULL), STATUS_FWP_TYPE_MISMATCH);
	/* Not a stream-layer field (S8). */
	c.conditionValue.type = FWP_BYTE_BLOB_TYPE;
	c.conditionValue.byteBlob = &curl;
	f.layerKey = FWPM_LAYER_STREAM_V4;
	assert_int_equal(efx_add(&w.x, &f, NULL), STATUS_FWP_CONDITION_NOT_FOUND);
	free(curl.data);
	down(&w);
}

static void test_get_app_id_from_file_name(void **state)
{
	FWP_BYTE_BLOB *id = NULL, want;
	char dir[] = "/tmp/owfp-appid-XXXXXX", target[64], link[64];
	wchar_t wlink[64];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(target, sizeof(target), "%s/prog", dir);
	snprintf(link, sizeof(link), "%s/alias", dir);
	FILE *fp = fopen(target, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(symlink(target, link), 0);
	swprintf(wlink, 64, L"%s", link);
	/* A symbolic link resolves to its target, as /proc/PID/exe shows it. */
	assert_int_equal(FwpmGetAppIdFromFileName0(wlink, &id), 0);
	assert_non_null(id);
	assert_int_equal(owfp_appid_from_path(target, &want), 0);
	assert_int_equal(id->size, want.size);
	assert_memory_equal(id->data, want.data, want.size);
	FwpmFreeMemory0((void **)&id);
	assert_null(id);
	free(want.data);
	assert_int_equal(FwpmGetAppIdFromFileName0(L"/nonexistent/owfp/x", &id), 2);
	assert_int_equal(FwpmGetAppIdFromFileName0(L"relative/path", &id), 87);
	assert_null(id);
	unlink(link);
	unlink(target);
	rmdir(dir);
}

static void test_non_utf8_paths_stay_distinct(void **state)
{
	FWP_BYTE_BLOB a, b;

	(void)state;
	/* A stray byte 0xE9 and the UTF-8 "é" (U+00E9) must not give one id. */
	assert_int_equal(owfp_appid_from_path("/opt/caf\xe9", &a), 0);
	assert_int_equal(owfp_appid_from_path("/opt/caf\xc3\xa9", &b), 0);
	assert_true(a.size != b.size || memcmp(a.data, b.data, a.size) != 0);
	assert_int_equal(((const WCHAR *)a.data)[8], (WCHAR)0xdce9);
	assert_int_equal(((const WCHAR *)b.data)[8], (WCHAR)0xe9);
	free(a.data);
	free(b.data);
	assert_int_equal(owfp_appid_from_path("", &a), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metadata_present_when_known),
		cmocka_unit_test(test_metadata_absent_when_unknown),
		cmocka_unit_test(test_app_id_condition_matches_only_that_application),
		cmocka_unit_test(test_app_id_not_equal_skips_unknown),
		cmocka_unit_test(test_app_id_condition_checked),
		cmocka_unit_test(test_get_app_id_from_file_name),
		cmocka_unit_test(test_non_utf8_paths_stay_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
