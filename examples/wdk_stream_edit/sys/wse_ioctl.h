/*
 * The user-mode interface of wdk_stream_edit: what a service or tool
 * includes to talk to the driver with DeviceIoControl (on openwfp:
 * `openwfp ioctl --control SOCK WdkStreamEdit CODE ...`, or an `ioctls:`
 * entry of the configuration). Layouts are fixed-width so they are the
 * same for a 32- or 64-bit caller.
 */
#ifndef WSE_IOCTL_H
#define WSE_IOCTL_H

#define WSE_DEVICE_NAME L"\\Device\\WdkStreamEdit"
#define WSE_SYMBOLIC_NAME L"\\DosDevices\\Global\\WdkStreamEdit"

// A device type from the range Microsoft leaves to vendors (0x8000-0xFFFF).
#define WSE_DEVICE_TYPE 0x8e5e

// Out: WSE_COUNTERS. Needs read access to the device.
#define IOCTL_WSE_GET_COUNTERS \
    CTL_CODE(WSE_DEVICE_TYPE, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS)

// In: a UINT32 of WSE_DIRECTION_* bits, the directions to edit from now
// on (0 = edit nothing, pass everything). Needs write access.
#define IOCTL_WSE_SET_DIRECTIONS \
    CTL_CODE(WSE_DEVICE_TYPE, 0x801, METHOD_BUFFERED, FILE_WRITE_ACCESS)

#define WSE_DIRECTION_OUTBOUND 0x1 // what the local host sends
#define WSE_DIRECTION_INBOUND  0x2 // what it receives
#define WSE_DIRECTION_ALL      (WSE_DIRECTION_OUTBOUND | WSE_DIRECTION_INBOUND)

typedef enum _WSE_EDIT_MODE {
    WseEditInline = 0,      // edits inside classifyFn
    WseEditOutOfBand = 1,   // classifyFn clones, a worker edits and injects
    WseEditModeMax
} WSE_EDIT_MODE;

//
// Counters since the driver was loaded (little-endian, 72 bytes).
// Index 0 of the arrays is outbound, 1 inbound.
//
typedef struct _WSE_COUNTERS {
    UINT32 Size;                // sizeof(WSE_COUNTERS): the layout's version
    UINT32 EditMode;            // WSE_EDIT_MODE in effect
    UINT32 Directions;          // WSE_DIRECTION_* being edited
    UINT32 FlowsActive;         // out-of-band flow records alive now
    UINT64 BytesInspected;      // bytes classifyFn was shown
    UINT64 Replacements[2];     // tokens replaced, per direction
    UINT64 BytesInjected;       // bytes handed back with FwpsStreamInjectAsync
    UINT64 Deferrals;           // inbound indications answered with DEFER
    UINT64 Continues;           // FwpsStreamContinue calls that resumed one
    UINT64 Failures;            // allocations/injections that failed (flow dropped)
} WSE_COUNTERS;

#endif // WSE_IOCTL_H
