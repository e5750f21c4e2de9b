/*
 * Lookaside lists: per-list caches of fixed-size blocks. Blocks come from
 * the pool (with the list's tag, so they are counted and can be made to
 * fail like any pool allocation) or from the driver's own Allocate/Free
 * routines, and freed blocks are kept for reuse, up to the list's depth
 * (Depth 0 = 256 here; Windows tunes it between 4 and 256). Every list is
 * locked internally, so any thread may allocate and free. Included by
 * wdm.h.
 *
 * Deleting a list frees the blocks it keeps; blocks still in the driver's
 * hands stay the driver's to free (as on Windows, where that is a leak).
 */
#ifndef OPENWFP_WDM_LOOKASIDE_H
#define OPENWFP_WDM_LOOKASIDE_H

#include "wdm.h"

OWFP_EXTERN_C_BEGIN

struct _LOOKASIDE_LIST_EX;
typedef PVOID ALLOCATE_FUNCTION_EX(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag,
				   struct _LOOKASIDE_LIST_EX *Lookaside);
typedef ALLOCATE_FUNCTION_EX *PALLOCATE_FUNCTION_EX;
typedef void FREE_FUNCTION_EX(PVOID Buffer, struct _LOOKASIDE_LIST_EX *Lookaside);
typedef FREE_FUNCTION_EX *PFREE_FUNCTION_EX;
typedef PVOID ALLOCATE_FUNCTION(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
typedef ALLOCATE_FUNCTION *PALLOCATE_FUNCTION;
typedef void FREE_FUNCTION(PVOID Buffer);
typedef FREE_FUNCTION *PFREE_FUNCTION;

#define EX_LOOKASIDE_LIST_EX_FLAGS_RAISE_ON_FAIL 0x00000001
#define EX_LOOKASIDE_LIST_EX_FLAGS_FAIL_NO_RAISE 0x00000002
#define LOOKASIDE_MINIMUM_BLOCK_SIZE (sizeof(SINGLE_LIST_ENTRY))

/* The state every kind of list shares (Windows' GENERAL_LOOKASIDE fields). */
typedef struct _GENERAL_LOOKASIDE_POOL {
	SINGLE_LIST_ENTRY ListHead; /* kept blocks */
	USHORT Depth;               /* how many blocks are kept at most */
	USHORT MaximumDepth;
	ULONG TotalAllocates;
	ULONG AllocateMisses; /* allocations the list could not serve */
	ULONG TotalFrees;
	ULONG FreeMisses; /* frees that went back to the pool */
	POOL_TYPE Type;
	ULONG Tag;
	ULONG Size;
	PVOID AllocateEx; /* PALLOCATE_FUNCTION(_EX) or NULL */
	PVOID FreeEx;     /* PFREE_FUNCTION(_EX) or NULL */
	ULONG Flags;
	USHORT Count;             /* blocks kept now */
	BOOLEAN OwfpLegacy;       /* openwfp private: old-style callbacks */
	BOOLEAN OwfpInitialized;  /* openwfp private */
	pthread_mutex_t OwfpLock; /* openwfp private */
} GENERAL_LOOKASIDE_POOL, GENERAL_LOOKASIDE, *PGENERAL_LOOKASIDE;

typedef struct _LOOKASIDE_LIST_EX {
	GENERAL_LOOKASIDE_POOL L;
} LOOKASIDE_LIST_EX, *PLOOKASIDE_LIST_EX;

typedef struct _NPAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
} NPAGED_LOOKASIDE_LIST, *PNPAGED_LOOKASIDE_LIST;

typedef struct _PAGED_LOOKASIDE_LIST {
	GENERAL_LOOKASIDE L;
} PAGED_LOOKASIDE_LIST, *PPAGED_LOOKASIDE_LIST;

/* STATUS_INVALID_PARAMETER for a NULL list or a zero size. Flags are
 * accepted (nothing raises here: a failed allocation returns NULL). */
NTSTATUS ExInitializeLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PALLOCATE_FUNCTION_EX Allocate,
				     PFREE_FUNCTION_EX Free, POOL_TYPE PoolType, ULONG Flags,
				     SIZE_T Size, ULONG Tag, USHORT Depth);
/* A block of the list's size (not zeroed), or NULL when out of memory. */
PVOID ExAllocateFromLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
void ExFreeToLookasideListEx(PLOOKASIDE_LIST_EX Lookaside, PVOID Entry);
/* Frees every kept block. */
void ExFlushLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);
void ExDeleteLookasideListEx(PLOOKASIDE_LIST_EX Lookaside);

void ExInitializeNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
				     PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
				     USHORT Depth);
PVOID ExAllocateFromNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);
void ExFreeToNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
void ExDeleteNPagedLookasideList(PNPAGED_LOOKASIDE_LIST Lookaside);

void ExInitializePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PALLOCATE_FUNCTION Allocate,
				    PFREE_FUNCTION Free, ULONG Flags, SIZE_T Size, ULONG Tag,
				    USHORT Depth);
PVOID ExAllocateFromPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);
void ExFreeToPagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside, PVOID Entry);
void ExDeletePagedLookasideList(PPAGED_LOOKASIDE_LIST Lookaside);

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDM_LOOKASIDE_H */
