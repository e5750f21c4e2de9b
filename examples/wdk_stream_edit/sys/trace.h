/*
 * WPP tracing for wdk_stream_edit, as a WDK project's trace header is:
 * the control GUID with one flag bit per area of the driver, the macros
 * DoTraceLevelMessage needs to test a level and a flag, and the block
 * tracewpp (here openwfp-cc) reads for the driver's own format types.
 * Every .c includes this, then its own generated .tmh.
 */
#ifndef WSE_TRACE_H
#define WSE_TRACE_H

// {3B7C9E10-52A4-4F0B-9D6E-7A1C2B3D4E5F}
#define WPP_CONTROL_GUIDS \
    WPP_DEFINE_CONTROL_GUID(WseTraceGuid, \
        (3B7C9E10, 52A4, 4F0B, 9D6E, 7A1C2B3D4E5F), \
        WPP_DEFINE_BIT(WSE_INIT)    /* 0x01: DriverEntry, unload, registration */ \
        WPP_DEFINE_BIT(WSE_INLINE)  /* 0x02: edits made inside classifyFn */ \
        WPP_DEFINE_BIT(WSE_OOB)     /* 0x04: the out-of-band worker */ \
        WPP_DEFINE_BIT(WSE_IOCTL)   /* 0x08: requests from user mode */ \
        )

#define WPP_LEVEL_FLAGS_ENABLED(lvl, flags) \
    (WPP_FLAG_ENABLED(flags) && WPP_CONTROL(WPP_BIT_ ## flags).Level >= lvl)
#define WPP_LEVEL_FLAGS_LOGGER(lvl, flags) WPP_LEVEL_LOGGER(flags)

//
// Formats of our own: %!EDITMODE! prints a WSE_EDIT_MODE by its
// enumerator's name, %!DIRECTION! an index of wse.h's WSE_DIRECTION_INDEX.
//
// begin_wpp config
// CUSTOM_TYPE(EDITMODE, ItemEnum(WSE_EDIT_MODE));
// CUSTOM_TYPE(DIRECTION, ItemListLong(outbound, inbound));
// end_wpp

#endif // WSE_TRACE_H
