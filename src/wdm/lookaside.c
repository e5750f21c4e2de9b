/*
 * Lookaside lists (wdm_lookaside.h). A list is a mutex-protected stack of
 * kept blocks; a block's first bytes link it while it is kept. The
 * driver's Allocate/Free routines run without the list's lock held (they
 * are driver code and may fail an assertion: containment must not leave
 * the lock taken).
 */
#include <pthread.h>

#include "wdm/pool.h"

#define DEFAULT_DEPTH 256

static void init(PGENERAL_LOOKASIDE l, PVOID allocate, PVOID free_fn, POOL_TYPE type, ULONG flags,
		 SIZE_T size, ULONG tag, USHORT depth, BOOLEAN legacy)
{
	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->OwfpLock, NULL);
	l->AllocateEx = allocate;
	l->FreeEx = free_fn;
	l->Type = type;
	l->Flags = flags;
	/* Room for the link while a block is kept. */
	l->Size = (ULONG)(size < LOOKASIDE_MINIMUM_BLOCK_SIZE ? LOOKASIDE_MINIMUM_BLOCK_SIZE : size);
	l->Tag = tag;
	l->Depth = l->MaximumDepth = depth ? depth : DEFAULT_DEPTH;
	l->OwfpLegacy = legacy;
	l->OwfpInitialized = TRUE;
}

static PVOID block_new(PGENERAL_LOOKASIDE l)
{
	if (!l->AllocateEx)
		return owfp_pool_alloc(l->Size, l->Tag, false);
	if (l->OwfpLegacy)
		return ((PALLOCATE_FUNCTION)l->AllocateEx)(l->Type, l->Size, l->Tag);
	return ((PALLOCATE_FUNCTION_EX)l->AllocateEx)(l->Type, l->Size, l->Tag,
						      (PLOOKASIDE_LIST_EX)l);
}

static void block_free(PGENERAL_LOOKASIDE l, PVOID p)
{
	if (!l->FreeEx)
		owfp_pool_free(p, l->Tag, true);
	else if (l->OwfpLegacy)
		((PFREE_FUNCTION)l->FreeEx)(p);
	else
		((PFREE_FUNCTION_EX)l->FreeEx)(p, (PLOOKASIDE_LIST_EX)l);
}

static PVOID allocate(PGENERAL_LOOKASIDE l)
{
	PSINGLE_LIST_ENTRY e;

	pthread_mutex_lock(&l->OwfpLock);
	l->TotalAllocates++;
	e = PopEntryList(&l->ListHead);
	if (e)
		l->Count--;
	else
		l->AllocateMisses++;
	pthread_mutex_unlock(&l->OwfpLock);
	return e ? (PVOID)e : block_new(l);
}

static void release(PGENERAL_LOOKASIDE l, PVOID p)
{
	bool keep;

	if (!p)
		return;
	pthread_mutex_lock(&l->OwfpLock);
	l->TotalFrees++;
	keep = l->Count < l->Depth;
	if (keep) {
		PushEntryList(&l->ListHead, (PSINGLE_LIST_ENTRY)p);
		l->Count++;
	} else {
		l->FreeMisses++;
	}
	pthread_mutex_unlock(&l->OwfpLock);
	if (!keep)
		block_free(l, p);
}

static void flush(PGENERAL_LOOKASIDE l)
{
	PSINGLE_LIST_ENTRY kept;

	pthread_mutex_lock(&l->OwfpLock);
	kept = l->ListHead.Next;
	l->ListHead.Next = NULL;
	l->Count = 0;
	pthread_mutex_unlock(&l->OwfpLock);
	while (kept) {
		PSINGLE_LIST_ENTRY next = kept->Next;

		block_free(l, kept);
		kept = next;
	}
}

static void delete_list(PGENERAL_LOOKASIDE l)
{
	if (!l->OwfpInitialized)
		return;
	flush(l);
	l->OwfpInitialized = FALSE;
	pthread_mutex_destroy(&l->OwfpLock);
}

NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
				     PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags,
				     SIZE_T Size, ULONG Tag, USHORT Depth)
{
	if (!Lookaside || Size == 0 || Size > MAXULONG ||
	    (Flags & ~(ULONG)(EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL |
			      EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE)))
		return STATUS_INVALID_PARAMETER;
	init(&Lookaside->L, (PVOID)Allocate, (PVOID)Free, PoolType, Flags, Size, Tag, Depth, FALSE);
	return STATUS_SUCCESS;
}

/*
 * Allocate, free and delete, written once for the three kinds of list:
 * each kind wraps the same GENERAL_LOOKASIDE as its L member. Kind and Ex
 * spell Microsoft's names, ExAllocateFrom<Kind>LookasideList<Ex>.
 */
#define LIST_OPS(Kind, Ex, PLIST)                                            \
	PVOID ExAllocateFrom##Kind##LookasideList##Ex(PLIST Lookaside)       \
	{                                                                    \
		return allocate(&Lookaside->L);                              \
	}                                                                    \
                                                                             \
	void ExFreeTo##Kind##LookasideList##Ex(PLIST Lookaside, PVOID Entry) \
	{                                                                    \
		release(&Lookaside->L, Entry);                               \
	}                                                                    \
                                                                             \
	void ExDelete##Kind##LookasideList##Ex(PLIST Lookaside)              \
	{                                                                    \
		delete_list(&Lookaside->L);                                  \
	}

/* The legacy lists differ only in their pool type. */
#define LEGACY_LIST(Kind, PLIST, pool)                                                           \
	void ExInitialize##Kind##LookasideList(PLIST Lookaside, PALLOCATE_FUNCTION Allocate,     \
					       PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size,    \
					       ULONG Tag, USHORT Depth)                          \
	{                                                                                        \
		init(&Lookaside->L, (PVOID)Allocate, (PVOID)Free, pool, Flags, Size, Tag, Depth, \
		     TRUE);                                                                      \
	}                                                                                        \
                                                                                                 \
	LIST_OPS(Kind, , PLIST)

LIST_OPS(, Ex, PLOOKASIDE_LIST_EX)

void ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside)
{
	flush(&Lookaside->L);
}

LEGACY_LIST(NPaged, PNPAGED_LOOKASIDE_LIST, NonPagedPool)
LEGACY_LIST(Paged, PPAGED_LOOKASIDE_LIST, PagedPool)
