/*
 * Looking for FindText in a window of stream bytes. Both editors use it:
 * the inline one on a copy of the indication, the out-of-band one on a
 * chunk with the previous chunk's leftover in front.
 */
#include "wse.h"
#include "search.tmh"

//
// Looks for FindText in Data.
//
// Returns TRUE with *MatchOffset at the first complete occurrence, or
// FALSE when there is none. *PartialOffset is set either way: where the
// longest tail of Data that is a proper prefix of FindText starts (a token
// that may go on in the next bytes), or Length when no tail is one.
// Everything before min(*MatchOffset, *PartialOffset) holds no token.
//
BOOLEAN
WseFindToken(
    _In_reads_(Length) const UCHAR *Data,
    SIZE_T Length,
    _Out_ SIZE_T *MatchOffset,
    _Out_ SIZE_T *PartialOffset
    )
{
    const UCHAR *token = gWse.Settings.FindText;
    const SIZE_T tokenLength = gWse.Settings.FindLength;
    SIZE_T start;

    NT_ASSERT(tokenLength > 0 && tokenLength <= WSE_MAX_TOKEN);

    *MatchOffset = Length;
    *PartialOffset = Length;

    //
    // A plain scan: tokens are short (WSE_MAX_TOKEN) and windows small
    // (WSE_WINDOW_SIZE), so nothing cleverer pays for itself here.
    //
    for (start = 0; start < Length; start++)
    {
        SIZE_T available = Length - start;
        SIZE_T compare = (available < tokenLength) ? available : tokenLength;

        if (RtlCompareMemory(Data + start, token, compare) != compare)
        {
            continue;
        }
        if (compare == tokenLength)
        {
            *MatchOffset = start;
            return TRUE;
        }

        // The data ends inside a possible token.
        *PartialOffset = start;
        return FALSE;
    }
    return FALSE;
}
