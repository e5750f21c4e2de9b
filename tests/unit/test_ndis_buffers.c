/*
 * The NDIS buffer subset implemented in src/wdm/ndis.c: MDLs over caller
 * memory, zero-copy NBLs over MDL chains, NdisGetDataBuffer, and moving the
 * data start. A naive flat copy of the chain is the reference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "openwfp/fwpsk.h"
#include "wdm/pool.h"

/* "hello " | "" | "stream " | "world": four MDLs, one of them empty. */
static char part0[] = "hello ", part2[] = "stream ", part3[] = "world";
static const char flat[] = "hello stream world";

typedef struct chain {
	PMDL m[4];
} chain;

static void chain_build(chain *c)
{
	static char empty[1];

	c->m[0] = IoAllocateMdl(part0, 6, FALSE, FALSE, NULL);
	c->m[1] = IoAllocateMdl(empty, 0, FALSE, FALSE, NULL);
	c->m[2] = IoAllocateMdl(part2, 7, FALSE, FALSE, NULL);
	c->m[3] = IoAllocateMdl(part3, 5, FALSE, FALSE, NULL);
	for (int i = 0; i < 4; i++)
		assert_non_null(c->m[i]);
	for (int i = 0; i < 3; i++)
		NDIS_MDL_LINKAGE(c->m[i]) = c->m[i + 1];
}

static void chain_free(chain *c)
{
	for (int i = 0; i < 4; i++)
		IoFreeMdl(c->m[i]);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_MDL), 0);
}

static void test_mdl_describes_caller_memory(void **state)
{
	char buf[10];
	PMDL m = IoAllocateMdl(buf, sizeof(buf), FALSE, FALSE, NULL);

	(void)state;
	assert_non_null(m);
	assert_ptr_equal(MmGetSystemAddressForMdlSafe(m, NormalPagePriority | MdlMappingNoExecute),
			 buf);
	assert_ptr_equal(MmGetMdlVirtualAddress(m), buf);
	assert_int_equal(MmGetMdlByteCount(m), sizeof(buf));
	assert_null(m->Next);
	IoFreeMdl(m);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_MDL), 0);
}

static void test_nbl_wraps_chain_at_every_offset(void **state)
{
	chain c;

	(void)state;
	chain_build(&c);
	for (ULONG off = 0; off <= sizeof(flat) - 1; off++) {
		NET_BUFFER_LIST *nbl = NULL;
		NET_BUFFER *nb;
		ULONG len = (ULONG)(sizeof(flat) - 1 - off);
		char out[32];

		assert_int_equal(
			FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], off, len, &nbl),
			STATUS_SUCCESS);
		nb = NET_BUFFER_LIST_FIRST_NB(nbl);
		assert_null(NET_BUFFER_LIST_NEXT_NBL(nbl));
		assert_null(NET_BUFFER_NEXT_NB(nb));
		assert_ptr_equal(NET_BUFFER_FIRST_MDL(nb), c.m[0]);
		assert_int_equal(NET_BUFFER_DATA_OFFSET(nb), off);
		assert_int_equal(NET_BUFFER_DATA_LENGTH(nb), len);
		assert_int_equal(NET_BUFFER_LIST_STATUS(nbl), NDIS_STATUS_SUCCESS);
		/* The current MDL holds the first data byte (never the empty MDL). */
		if (len) {
			PMDL cur = NET_BUFFER_CURRENT_MDL(nb);

			assert_true(NET_BUFFER_CURRENT_MDL_OFFSET(nb) < cur->ByteCount);
			assert_int_equal(
				((char *)cur->MappedSystemVa)[NET_BUFFER_CURRENT_MDL_OFFSET(nb)],
				flat[off]);
		}
		/* Zero-copy: the chain's own memory. */
		assert_ptr_equal(NdisGetDataBuffer(nb, 0, NULL, 1, 0) != NULL || len == 0, 1);
		if (len) {
			char *p = NdisGetDataBuffer(nb, len, out, 1, 0);

			assert_non_null(p);
			assert_memory_equal(p, flat + off, len);
		}
		FwpsFreeNetBufferList0(nbl);
	}
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_NBL), 0);
	chain_free(&c);
}

static void test_get_data_buffer_points_into_mdl_or_copies(void **state)
{
	chain c;
	NET_BUFFER_LIST *nbl;
	NET_BUFFER *nb;
	char storage[32];

	(void)state;
	chain_build(&c);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], 2, 16, &nbl),
			 STATUS_SUCCESS);
	nb = NET_BUFFER_LIST_FIRST_NB(nbl);
	/* Contiguous in the first MDL: a pointer into the caller's memory. */
	assert_ptr_equal(NdisGetDataBuffer(nb, 4, NULL, 1, 0), part0 + 2);
	assert_ptr_equal(NdisGetDataBuffer(nb, 4, storage, 1, 0), part0 + 2);
	/* Spanning MDLs: NULL without storage, a copy with it. */
	assert_null(NdisGetDataBuffer(nb, 10, NULL, 1, 0));
	assert_ptr_equal(NdisGetDataBuffer(nb, 10, storage, 1, 0), storage);
	assert_memory_equal(storage, "llo stream", 10);
	/* More than the buffer holds: NULL even with storage. */
	assert_null(NdisGetDataBuffer(nb, 17, storage, 1, 0));
	FwpsFreeNetBufferList0(nbl);
	chain_free(&c);
}

static void test_advance_and_retreat_move_the_data_start(void **state)
{
	chain c;
	NET_BUFFER_LIST *nbl;
	NET_BUFFER *nb;
	char storage[32];

	(void)state;
	chain_build(&c);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], 0, 18, &nbl),
			 STATUS_SUCCESS);
	nb = NET_BUFFER_LIST_FIRST_NB(nbl);
	NdisAdvanceNetBufferDataStart(nb, 6, FALSE, NULL);
	assert_int_equal(NET_BUFFER_DATA_OFFSET(nb), 6);
	assert_int_equal(NET_BUFFER_DATA_LENGTH(nb), 12);
	assert_ptr_equal(NET_BUFFER_CURRENT_MDL(nb), c.m[2]); /* skips the empty MDL */
	assert_int_equal(NET_BUFFER_CURRENT_MDL_OFFSET(nb), 0);
	assert_ptr_equal(NdisGetDataBuffer(nb, 6, NULL, 1, 0), part2);
	assert_int_equal(NdisRetreatNetBufferDataStart(nb, 3, 0, NULL), NDIS_STATUS_SUCCESS);
	assert_int_equal(NET_BUFFER_DATA_LENGTH(nb), 15);
	assert_ptr_equal(NdisGetDataBuffer(nb, 8, storage, 1, 0), storage);
	assert_memory_equal(storage, "lo strea", 8);
	/* Retreating past the start of the chain needs an MDL we never allocate. */
	assert_int_equal(NdisRetreatNetBufferDataStart(nb, 4, 0, NULL), NDIS_STATUS_RESOURCES);
	assert_int_equal(NET_BUFFER_DATA_OFFSET(nb), 3);
	FwpsFreeNetBufferList0(nbl);
	chain_free(&c);
}

static void test_allocate_nbl_rejects_ranges_beyond_the_chain(void **state)
{
	chain c;
	NET_BUFFER_LIST *nbl = (NET_BUFFER_LIST *)&c;

	(void)state;
	chain_build(&c);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], 10, 9, &nbl),
			 STATUS_INVALID_PARAMETER);
	assert_null(nbl);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], 19, 0, &nbl),
			 STATUS_INVALID_PARAMETER);
	/* An empty NBL with no MDL at all is fine. */
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, NULL, 0, 0, &nbl),
			 STATUS_SUCCESS);
	assert_int_equal(NET_BUFFER_DATA_LENGTH(NET_BUFFER_LIST_FIRST_NB(nbl)), 0);
	assert_null(NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(nbl), 1, NULL, 1, 0));
	FwpsFreeNetBufferList0(nbl);
	owfp_pool_fail_nth(1);
	assert_int_equal(FwpsAllocateNetBufferAndNetBufferList0(NULL, 0, 0, c.m[0], 0, 4, &nbl),
			 STATUS_INSUFFICIENT_RESOURCES);
	assert_null(nbl);
	owfp_pool_fail_nth(1);
	assert_null(IoAllocateMdl(part0, 1, FALSE, FALSE, NULL));
	chain_free(&c);
}

static void test_ndis_allocate_nbl_wraps_like_the_fwps_one(void **state)
{
	chain c;
	NET_BUFFER_LIST *nbl;
	char storage[8];

	(void)state;
	chain_build(&c);
	nbl = NdisAllocateNetBufferAndNetBufferList(NULL, 0, 0, c.m[0], 4, 6);
	assert_non_null(nbl);
	assert_ptr_equal(NdisGetDataBuffer(NET_BUFFER_LIST_FIRST_NB(nbl), 6, storage, 1, 0), storage);
	assert_memory_equal(storage, "o stre", 6);
	NdisFreeNetBufferList(nbl);
	assert_null(NdisAllocateNetBufferAndNetBufferList(NULL, 0, 0, c.m[0], 4, 60));
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_NBL), 0);
	chain_free(&c);
}

static void test_freeing_a_foreign_nbl_aborts_like_a_bug_check(void **state)
{
	NET_BUFFER_LIST foreign = {0};
	int status = 0;
	pid_t pid;

	(void)state;
	FwpsFreeNetBufferList0(NULL); /* ignored */
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		FwpsFreeNetBufferList0(&foreign);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
}

static void test_nbl_pool_handle_is_a_freeable_token(void **state)
{
	NET_BUFFER_LIST_POOL_PARAMETERS params = {0};
	NDIS_HANDLE a, b;

	(void)state;
	params.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
	params.Header.Revision = NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	params.Header.Size = NDIS_SIZEOF_NET_BUFFER_LIST_POOL_PARAMETERS_REVISION_1;
	params.fAllocateNetBuffer = TRUE;
	params.PoolTag = 'lPtO';
	a = NdisAllocateNetBufferListPool(NULL, &params);
	b = NdisAllocateNetBufferListPool(NULL, &params);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_NBL_POOL), 2);
	NdisFreeNetBufferListPool(a);
	NdisFreeNetBufferListPool(b);
	assert_int_equal(owfp_pool_outstanding(OWFP_TAG_NBL_POOL), 0);
	assert_null(NdisAllocateNetBufferListPool(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mdl_describes_caller_memory),
		cmocka_unit_test(test_nbl_wraps_chain_at_every_offset),
		cmocka_unit_test(test_get_data_buffer_points_into_mdl_or_copies),
		cmocka_unit_test(test_advance_and_retreat_move_the_data_start),
		cmocka_unit_test(test_allocate_nbl_rejects_ranges_beyond_the_chain),
		cmocka_unit_test(test_ndis_allocate_nbl_wraps_like_the_fwps_one),
		cmocka_unit_test(test_freeing_a_foreign_nbl_aborts_like_a_bug_check),
		cmocka_unit_test(test_nbl_pool_handle_is_a_freeable_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
