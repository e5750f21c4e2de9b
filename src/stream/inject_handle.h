/* Injection handles (FwpsInjectionHandleCreate0/Destroy0). */
#ifndef OWFP_STREAM_INJECT_HANDLE_H
#define OWFP_STREAM_INJECT_HANDLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "engine/engine.h"

typedef struct owfp_inj_handle {
	unsigned magic;
	ADDRESS_FAMILY family;
	UINT32 flags;
	atomic_int refs; /* 1 for the handle itself, 1 per injection in flight */
	atomic_bool closing;
} owfp_inj_handle;

/* Validates a handle for stream injection and takes a reference. */
NTSTATUS owfp_inj_handle_get(HANDLE injectionHandle, owfp_inj_handle **out);
void owfp_inj_handle_put(owfp_inj_handle *h);

#endif
