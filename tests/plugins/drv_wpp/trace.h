/*
 * WPP tracing definitions of the drv_wpp test driver, written the way a
 * Windows driver's Trace.h is: control GUID and flag bits, the level+flag
 * macros DoTraceLevelMessage needs, and the tracewpp configuration block.
 */
#ifndef _DRV_WPP_TRACE_H
#define _DRV_WPP_TRACE_H

// {6A1F0C22-93B4-4E57-A0D1-5C7E2B9F4D31}
#define WPP_CONTROL_GUIDS \
    WPP_DEFINE_CONTROL_GUID(DrvWppCtl, \
        (6A1F0C22, 93B4, 4E57, A0D1, 5C7E2B9F4D31), \
        WPP_DEFINE_BIT(DW_INIT)      /* bit 0 = 0x00000001 */ \
        WPP_DEFINE_BIT(DW_FLOW)      /* bit 1 = 0x00000002 */ \
        WPP_DEFINE_BIT(DW_DATA)      /* bit 2 = 0x00000004 */ \
        )

#define WPP_LEVEL_FLAGS_ENABLED(lvl, flags) \
    (WPP_FLAG_ENABLED(flags) && WPP_CONTROL(WPP_BIT_ ## flags).Level >= lvl)
#define WPP_LEVEL_FLAGS_LOGGER(lvl, flags) WPP_LEVEL_LOGGER(flags)

#pragma warning(push)
#pragma warning(disable:4204) // non-constant aggregate initializer

//
// A buffer and its length, for logging with %!HEXDUMP!.
//
typedef struct _DW_XSTR { char *Buffer; short Length; } DW_XSTR;
__inline DW_XSTR DrvWppLogXstr(void *p, short l) { DW_XSTR x = { (char *)p, l }; return x; }

#pragma warning(pop)

#define WPP_LOGDWHEX(x) WPP_LOGPAIR(2, &((x).Length)) WPP_LOGPAIR((x).Length, (x).Buffer)

// begin_wpp config
// FUNC TraceEvents(LEVEL, FLAGS, MSG, ...);
// CUSTOM_TYPE(DirState, ItemListLong(Idle, Sending, Receiving));
// CUSTOM_TYPE(NOTIFY, ItemEnum(FWPS_CALLOUT_NOTIFY_TYPE));
// DEFINE_CPLX_TYPE(HEXDUMP, WPP_LOGDWHEX, DW_XSTR, ItemHEXDump, "s", _HEX_, 0, 2);
// end_wpp

#endif // _DRV_WPP_TRACE_H
