/*
 * KMDF objects: attributes, typed contexts, cleanup and destroy callbacks,
 * deletion and references.
 *
 * Every framework object has a parent (the driver unless the attributes
 * name another object, or the object kind fixes it: a queue's parent is
 * its device). Deleting an object deletes its children first. Deletion
 * runs each object's EvtCleanupCallback, children before parents; the
 * object's memory, contexts included, goes when its last reference does,
 * after EvtDestroyCallback. WdfObjectReference keeps an object's memory
 * (not its cleanup) alive.
 *
 * Contexts: WDF_DECLARE_CONTEXT_TYPE(_WITH_NAME) declares a context type
 * and its accessor; WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE asks for one
 * at creation, zeroed; WdfObjectAllocateContext adds another later. An
 * accessor for a type the object does not carry returns NULL.
 */
#ifndef OPENWFP_WDFOBJECT_H
#define OPENWFP_WDFOBJECT_H

#include "wdftypes.h"

OWFP_EXTERN_C_BEGIN

typedef enum _WDF_EXECUTION_LEVEL {
	WdfExecutionLevelInvalid = 0,
	WdfExecutionLevelInheritFromParent,
	WdfExecutionLevelPassive,
	WdfExecutionLevelDispatch,
} WDF_EXECUTION_LEVEL;

typedef enum _WDF_SYNCHRONIZATION_SCOPE {
	WdfSynchronizationScopeInvalid = 0,
	WdfSynchronizationScopeInheritFromParent,
	WdfSynchronizationScopeDevice,
	WdfSynchronizationScopeQueue,
	WdfSynchronizationScopeNone,
} WDF_SYNCHRONIZATION_SCOPE;

typedef void EVT_WDF_OBJECT_CONTEXT_CLEANUP(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_CLEANUP *PFN_WDF_OBJECT_CONTEXT_CLEANUP;
typedef void EVT_WDF_OBJECT_CONTEXT_DESTROY(WDFOBJECT Object);
typedef EVT_WDF_OBJECT_CONTEXT_DESTROY *PFN_WDF_OBJECT_CONTEXT_DESTROY;

typedef struct _WDF_OBJECT_CONTEXT_TYPE_INFO WDF_OBJECT_CONTEXT_TYPE_INFO,
	*PWDF_OBJECT_CONTEXT_TYPE_INFO;
typedef const WDF_OBJECT_CONTEXT_TYPE_INFO *PCWDF_OBJECT_CONTEXT_TYPE_INFO;
typedef PCWDF_OBJECT_CONTEXT_TYPE_INFO (*PFN_GET_UNIQUE_CONTEXT_TYPE)(void);

struct _WDF_OBJECT_CONTEXT_TYPE_INFO {
	ULONG Size;
	PCHAR ContextName;
	size_t ContextSize;
	PCWDF_OBJECT_CONTEXT_TYPE_INFO UniqueType; /* the canonical info: contexts are matched on it */
	PFN_GET_UNIQUE_CONTEXT_TYPE EvtDriverGetUniqueContextType;
};

typedef struct _WDF_OBJECT_ATTRIBUTES {
	ULONG Size;
	PFN_WDF_OBJECT_CONTEXT_CLEANUP EvtCleanupCallback;
	PFN_WDF_OBJECT_CONTEXT_DESTROY EvtDestroyCallback;
	WDF_EXECUTION_LEVEL ExecutionLevel; /* accepted; everything runs at PASSIVE_LEVEL */
	WDF_SYNCHRONIZATION_SCOPE SynchronizationScope; /* accepted; see docs/porting.md */
	WDFOBJECT ParentObject;
	size_t ContextSizeOverride; /* a larger context than the type's (variable-length tails) */
	PCWDF_OBJECT_CONTEXT_TYPE_INFO ContextTypeInfo;
} WDF_OBJECT_ATTRIBUTES, *PWDF_OBJECT_ATTRIBUTES;

static inline void WDF_OBJECT_ATTRIBUTES_INIT(PWDF_OBJECT_ATTRIBUTES Attributes)
{
	RtlZeroMemory(Attributes, sizeof(WDF_OBJECT_ATTRIBUTES));
	Attributes->Size = sizeof(WDF_OBJECT_ATTRIBUTES);
	Attributes->SynchronizationScope = WdfSynchronizationScopeInheritFromParent;
	Attributes->ExecutionLevel = WdfExecutionLevelInheritFromParent;
}

#define WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype) _WDF_##_contexttype##_TYPE_INFO
#define WDF_GET_CONTEXT_TYPE_INFO(_contexttype) (&WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype))

#define WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype) \
	((_attributes)->ContextTypeInfo = WDF_GET_CONTEXT_TYPE_INFO(_contexttype)->UniqueType)
#define WDF_OBJECT_ATTRIBUTES_INIT_CONTEXT_TYPE(_attributes, _contexttype)         \
	do {                                                                       \
		WDF_OBJECT_ATTRIBUTES_INIT(_attributes);                           \
		WDF_OBJECT_ATTRIBUTES_SET_CONTEXT_TYPE(_attributes, _contexttype); \
	} while (0)

/*
 * The type information is one weak (selectany) definition per context
 * type, however many files of the driver declare it.
 */
#ifdef __cplusplus
#define OWFP_WDF_TYPE_INFO_STORAGE extern "C" __attribute__((weak)) extern const
#else
#define OWFP_WDF_TYPE_INFO_STORAGE __attribute__((weak)) const
#endif

#define WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, _castingfunction)                  \
	OWFP_WDF_TYPE_INFO_STORAGE WDF_OBJECT_CONTEXT_TYPE_INFO WDF_TYPE_NAME_TO_TYPE_INFO( \
		_contexttype) = {                                                           \
		sizeof(WDF_OBJECT_CONTEXT_TYPE_INFO),                                       \
		(PCHAR) #_contexttype,                                                      \
		sizeof(_contexttype),                                                       \
		&WDF_TYPE_NAME_TO_TYPE_INFO(_contexttype),                                  \
		NULL,                                                                       \
	};                                                                                  \
	static inline _contexttype *_castingfunction(WDFOBJECT Handle)                      \
	{                                                                                   \
		return (_contexttype *)WdfObjectGetTypedContextWorker(                      \
			Handle, WDF_GET_CONTEXT_TYPE_INFO(_contexttype));                   \
	}

#define WDF_DECLARE_CONTEXT_TYPE(_contexttype) \
	WDF_DECLARE_CONTEXT_TYPE_WITH_NAME(_contexttype, WdfObjectGet_##_contexttype)

/* The context of that type on Handle, or NULL when it has none. */
PVOID WdfObjectGetTypedContextWorker(WDFOBJECT Handle, PCWDF_OBJECT_CONTEXT_TYPE_INFO TypeInfo);
#define WdfObjectGetTypedContext(handle, type)                       \
	((type *)WdfObjectGetTypedContextWorker((WDFOBJECT)(handle), \
						WDF_GET_CONTEXT_TYPE_INFO(type)))

/*
 * Adds the context ContextAttributes->ContextTypeInfo names (and its
 * cleanup/destroy callbacks) to an existing object. STATUS_OBJECT_NAME_EXISTS
 * (with *Context set) when it has one of that type already.
 */
NTSTATUS WdfObjectAllocateContext(WDFOBJECT Handle, PWDF_OBJECT_ATTRIBUTES ContextAttributes,
				  PVOID *Context);

/* The object a context pointer (from an accessor) belongs to. */
WDFOBJECT WdfObjectContextGetObject(PVOID ContextPointer);

/* A general object, for a driver's own use (WdfObjectCreate). */
NTSTATUS WdfObjectCreate(PWDF_OBJECT_ATTRIBUTES Attributes, WDFOBJECT *Object);

/*
 * Deletes the object and its children (children first): cleanup callbacks
 * run now; memory goes with the last reference. Deleting twice, or an
 * object the framework owns (a request, a driver), is reported and ignored.
 */
void WdfObjectDelete(WDFOBJECT Object);

void WdfObjectReferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCHAR File);
void WdfObjectDereferenceActual(WDFOBJECT Handle, PVOID Tag, LONG Line, PCHAR File);
#define WdfObjectReference(Handle) \
	WdfObjectReferenceActual((WDFOBJECT)(Handle), NULL, __LINE__, (PCHAR)__FILE__)
#define WdfObjectReferenceWithTag(Handle, Tag) \
	WdfObjectReferenceActual((WDFOBJECT)(Handle), (Tag), __LINE__, (PCHAR)__FILE__)
#define WdfObjectDereference(Handle) \
	WdfObjectDereferenceActual((WDFOBJECT)(Handle), NULL, __LINE__, (PCHAR)__FILE__)
#define WdfObjectDereferenceWithTag(Handle, Tag) \
	WdfObjectDereferenceActual((WDFOBJECT)(Handle), (Tag), __LINE__, (PCHAR)__FILE__)

OWFP_EXTERN_C_END

#endif /* OPENWFP_WDFOBJECT_H */
