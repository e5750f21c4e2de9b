/*
 * drv_wpp: per-flow byte counting, in C++ as some drivers are (counter.tmh).
 */
#include "drv_wpp.h"
#include "counter.tmh"

namespace {

struct FlowCounter {
    UINT64 flowId;
    SIZE_T bytes;
};

FlowCounter gLast = { 0, 0 };

__forceinline SIZE_T Add(FlowCounter &c, UINT64 flowId, SIZE_T bytes)
{
    if (c.flowId != flowId) {
        c.flowId = flowId;
        c.bytes = 0;
    }
    c.bytes += bytes;
    return c.bytes;
}

} // namespace

extern "C" ULONG DrvWppCountFlow(UINT64 flowId, SIZE_T bytes)
{
    SIZE_T total = Add(gLast, flowId, bytes);

    DoTraceMessage(DW_FLOW, "flow %I64u: %Iu bytes so far (%!FUNC!)", flowId, total);
    return (ULONG)total;
}
