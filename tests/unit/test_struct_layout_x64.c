/*
 * Member offsets and sizes of the public WFP structures against the Windows
 * x64 layout. The expected numbers are derived by hand from the documented
 * declarations (Microsoft Learn) with the Windows x64 rules: LLP64 (LONG
 * and ULONG 4 bytes, pointers, SIZE_T, HANDLE and UINT64 8), enums 4,
 * every member at its natural alignment, a struct aligned to its widest
 * member and padded to a multiple of it. Derivations: docs/porting.md
 * "Struct layout fidelity". Checked at run time so one run lists every
 * difference.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "openwfp/fwpsk.h"
#include "openwfp/fwpmk.h"

typedef struct row {
	const char *what;
	size_t got, want;
} row;

#define OFF(t, m, n)                         \
	{                                    \
#t "." #m, offsetof(t, m), n \
	}
#define SZ(t, n)                               \
	{                                      \
		"sizeof(" #t ")", sizeof(t), n \
	}
#define MSZ(t, m, n)                                            \
	{                                                       \
		"sizeof(" #t "." #m ")", sizeof(((t *)0)->m), n \
	}

static const row rows[] = {
	/* Basic types: LLP64. */
	SZ(LONG, 4),
	SZ(ULONG, 4),
	SZ(USHORT, 2),
	SZ(UINT64, 8),
	SZ(HANDLE, 8),
	SZ(SIZE_T, 8),
	SZ(ULONG_PTR, 8),
	SZ(NTSTATUS, 4),
	SZ(BOOLEAN, 1),
	SZ(BOOL, 4),
	SZ(DWORD, 4),
	SZ(GUID, 16),
	OFF(GUID, Data2, 4),
	OFF(GUID, Data3, 6),
	OFF(GUID, Data4, 8),
	SZ(UNICODE_STRING, 16),
	OFF(UNICODE_STRING, MaximumLength, 2),
	OFF(UNICODE_STRING, Buffer, 8),
	SZ(LARGE_INTEGER, 8),
	SZ(LIST_ENTRY, 16),
	SZ(NDIS_SWITCH_PORT_ID, 4),
	SZ(NDIS_SWITCH_NIC_INDEX, 2),
	SZ(SCOPE_ID, 4),
	SZ(SOCKADDR_INET, 28),
	SZ(IP_ADDRESS_PREFIX, 32),
	OFF(IP_ADDRESS_PREFIX, PrefixLength, 28),

	/* fwptypes.h */
	SZ(FWP_BYTE_ARRAY16, 16),
	SZ(FWP_BYTE_BLOB, 16),
	OFF(FWP_BYTE_BLOB, data, 8),
	SZ(FWP_V4_ADDR_AND_MASK, 8),
	SZ(FWP_V6_ADDR_AND_MASK, 17),
	OFF(FWP_V6_ADDR_AND_MASK, prefixLength, 16),
	SZ(FWP_VALUE0, 16),
	OFF(FWP_VALUE0, uint8, 8),
	OFF(FWP_VALUE0, byteBlob, 8),
	SZ(FWP_CONDITION_VALUE0, 16),
	OFF(FWP_CONDITION_VALUE0, rangeValue, 8),
	SZ(FWP_RANGE0, 32),
	OFF(FWP_RANGE0, valueHigh, 16),

	/* fwpstypes.h */
	SZ(FWPS_ACTION0, 8),
	OFF(FWPS_ACTION0, calloutId, 4),
	SZ(FWPS_FILTER_CONDITION0, 24),
	OFF(FWPS_FILTER_CONDITION0, reserved, 2),
	OFF(FWPS_FILTER_CONDITION0, matchType, 4),
	OFF(FWPS_FILTER_CONDITION0, conditionValue, 8),
	SZ(FWPS_FILTER0, 64),
	SZ(FWPS_FILTER1, 64),
	SZ(FWPS_FILTER2, 64),
	SZ(FWPS_FILTER3, 64),
	OFF(FWPS_FILTER3, weight, 8),
	OFF(FWPS_FILTER3, subLayerWeight, 24),
	OFF(FWPS_FILTER3, flags, 26),
	OFF(FWPS_FILTER3, numFilterConditions, 28),
	OFF(FWPS_FILTER3, filterCondition, 32),
	OFF(FWPS_FILTER3, action, 40),
	OFF(FWPS_FILTER3, context, 48),
	OFF(FWPS_FILTER3, providerContext, 56),
	SZ(FWPS_INCOMING_VALUE0, 16),
	SZ(FWPS_INCOMING_VALUES0, 16),
	OFF(FWPS_INCOMING_VALUES0, valueCount, 4),
	OFF(FWPS_INCOMING_VALUES0, incomingValue, 8),
	SZ(FWPS_DISCARD_METADATA0, 16),
	OFF(FWPS_DISCARD_METADATA0, discardReason, 4),
	OFF(FWPS_DISCARD_METADATA0, filterId, 8),
	SZ(FWPS_INBOUND_FRAGMENT_METADATA0, 12),
	OFF(FWPS_INBOUND_FRAGMENT_METADATA0, fragmentOffset, 4),
	OFF(FWPS_INBOUND_FRAGMENT_METADATA0, fragmentLength, 8),
	SZ(FWPS_CLASSIFY_OUT0, 40),
	OFF(FWPS_CLASSIFY_OUT0, outContext, 8),
	OFF(FWPS_CLASSIFY_OUT0, filterId, 16),
	OFF(FWPS_CLASSIFY_OUT0, rights, 24),
	OFF(FWPS_CLASSIFY_OUT0, flags, 28),
	OFF(FWPS_CLASSIFY_OUT0, reserved, 32),

	/* fwpsk.h: stream data */
	SZ(FWPS_STREAM_DATA_OFFSET0, 40),
	OFF(FWPS_STREAM_DATA_OFFSET0, mdlOffset, 24),
	OFF(FWPS_STREAM_DATA_OFFSET0, netBufferOffset, 28),
	OFF(FWPS_STREAM_DATA_OFFSET0, streamDataOffset, 32),
	SZ(FWPS_STREAM_DATA0, 64),
	OFF(FWPS_STREAM_DATA0, dataOffset, 8),
	OFF(FWPS_STREAM_DATA0, dataLength, 48),
	OFF(FWPS_STREAM_DATA0, netBufferListChain, 56),
	SZ(FWPS_STREAM_CALLOUT_IO_PACKET0, 40),
	OFF(FWPS_STREAM_CALLOUT_IO_PACKET0, missedBytes, 8),
	OFF(FWPS_STREAM_CALLOUT_IO_PACKET0, countBytesRequired, 16),
	OFF(FWPS_STREAM_CALLOUT_IO_PACKET0, countBytesEnforced, 24),
	OFF(FWPS_STREAM_CALLOUT_IO_PACKET0, streamAction, 32),

	/* fwpsk.h: FWPS_INCOMING_METADATA_VALUES0, every member */
	SZ(FWPS_INCOMING_METADATA_VALUES0, 280),
	OFF(FWPS_INCOMING_METADATA_VALUES0, flags, 4),
	OFF(FWPS_INCOMING_METADATA_VALUES0, reserved, 8),
	OFF(FWPS_INCOMING_METADATA_VALUES0, discardMetadata, 16),
	OFF(FWPS_INCOMING_METADATA_VALUES0, flowHandle, 32),
	OFF(FWPS_INCOMING_METADATA_VALUES0, ipHeaderSize, 40),
	OFF(FWPS_INCOMING_METADATA_VALUES0, transportHeaderSize, 44),
	OFF(FWPS_INCOMING_METADATA_VALUES0, processPath, 48),
	OFF(FWPS_INCOMING_METADATA_VALUES0, token, 56),
	OFF(FWPS_INCOMING_METADATA_VALUES0, processId, 64),
	OFF(FWPS_INCOMING_METADATA_VALUES0, sourceInterfaceIndex, 72),
	OFF(FWPS_INCOMING_METADATA_VALUES0, destinationInterfaceIndex, 76),
	OFF(FWPS_INCOMING_METADATA_VALUES0, compartmentId, 80),
	OFF(FWPS_INCOMING_METADATA_VALUES0, fragmentMetadata, 84),
	OFF(FWPS_INCOMING_METADATA_VALUES0, pathMtu, 96),
	OFF(FWPS_INCOMING_METADATA_VALUES0, completionHandle, 104),
	OFF(FWPS_INCOMING_METADATA_VALUES0, transportEndpointHandle, 112),
	OFF(FWPS_INCOMING_METADATA_VALUES0, remoteScopeId, 120),
	OFF(FWPS_INCOMING_METADATA_VALUES0, controlData, 128),
	OFF(FWPS_INCOMING_METADATA_VALUES0, controlDataLength, 136),
	OFF(FWPS_INCOMING_METADATA_VALUES0, packetDirection, 140),
	OFF(FWPS_INCOMING_METADATA_VALUES0, headerIncludeHeader, 144),
	OFF(FWPS_INCOMING_METADATA_VALUES0, headerIncludeHeaderLength, 152),
	OFF(FWPS_INCOMING_METADATA_VALUES0, destinationPrefix, 156),
	OFF(FWPS_INCOMING_METADATA_VALUES0, frameLength, 188),
	OFF(FWPS_INCOMING_METADATA_VALUES0, parentEndpointHandle, 192),
	OFF(FWPS_INCOMING_METADATA_VALUES0, icmpIdAndSequence, 200),
	OFF(FWPS_INCOMING_METADATA_VALUES0, localRedirectTargetPID, 204),
	OFF(FWPS_INCOMING_METADATA_VALUES0, originalDestination, 208),
	OFF(FWPS_INCOMING_METADATA_VALUES0, redirectRecords, 216),
	OFF(FWPS_INCOMING_METADATA_VALUES0, currentL2MetadataValues, 224),
	OFF(FWPS_INCOMING_METADATA_VALUES0, l2Flags, 228),
	OFF(FWPS_INCOMING_METADATA_VALUES0, ethernetMacHeaderSize, 232),
	OFF(FWPS_INCOMING_METADATA_VALUES0, wiFiOperationMode, 236),
	OFF(FWPS_INCOMING_METADATA_VALUES0, vSwitchSourcePortId, 240),
	OFF(FWPS_INCOMING_METADATA_VALUES0, vSwitchSourceNicIndex, 244),
	OFF(FWPS_INCOMING_METADATA_VALUES0, vSwitchDestinationPortId, 248),
	OFF(FWPS_INCOMING_METADATA_VALUES0, vSwitchPacketContext, 256),
	OFF(FWPS_INCOMING_METADATA_VALUES0, subProcessTag, 264),
	OFF(FWPS_INCOMING_METADATA_VALUES0, reserved1, 272),
	MSZ(FWPS_INCOMING_METADATA_VALUES0, vSwitchSourcePortId, 4),
	MSZ(FWPS_INCOMING_METADATA_VALUES0, vSwitchSourceNicIndex, 2),
	MSZ(FWPS_INCOMING_METADATA_VALUES0, compartmentId, 4),
	MSZ(FWPS_INCOMING_METADATA_VALUES0, pathMtu, 4),

	/* fwpsk.h: callouts (FWPS_CALLOUT0..3 share one shape) */
	SZ(FWPS_CALLOUT0, 48),
	SZ(FWPS_CALLOUT3, 48),
	OFF(FWPS_CALLOUT3, flags, 16),
	OFF(FWPS_CALLOUT3, classifyFn, 24),
	OFF(FWPS_CALLOUT3, notifyFn, 32),
	OFF(FWPS_CALLOUT3, flowDeleteFn, 40),

	/* fwpmtypes.h */
	SZ(FWPM_DISPLAY_DATA0, 16),
	SZ(FWPM_ACTION0, 20),
	OFF(FWPM_ACTION0, calloutKey, 4),
	SZ(FWPM_FILTER_CONDITION0, 40),
	OFF(FWPM_FILTER_CONDITION0, matchType, 16),
	OFF(FWPM_FILTER_CONDITION0, conditionValue, 24),
	SZ(FWPM_FILTER0, 200),
	OFF(FWPM_FILTER0, displayData, 16),
	OFF(FWPM_FILTER0, flags, 32),
	OFF(FWPM_FILTER0, providerKey, 40),
	OFF(FWPM_FILTER0, providerData, 48),
	OFF(FWPM_FILTER0, layerKey, 64),
	OFF(FWPM_FILTER0, subLayerKey, 80),
	OFF(FWPM_FILTER0, weight, 96),
	OFF(FWPM_FILTER0, numFilterConditions, 112),
	OFF(FWPM_FILTER0, filterCondition, 120),
	OFF(FWPM_FILTER0, action, 128),
	OFF(FWPM_FILTER0, rawContext, 152),
	OFF(FWPM_FILTER0, providerContextKey, 152),
	OFF(FWPM_FILTER0, reserved, 168),
	OFF(FWPM_FILTER0, filterId, 176),
	OFF(FWPM_FILTER0, effectiveWeight, 184),
	SZ(FWPM_SUBLAYER0, 72),
	OFF(FWPM_SUBLAYER0, flags, 32),
	OFF(FWPM_SUBLAYER0, providerKey, 40),
	OFF(FWPM_SUBLAYER0, providerData, 48),
	OFF(FWPM_SUBLAYER0, weight, 64),
	SZ(FWPM_CALLOUT0, 88),
	OFF(FWPM_CALLOUT0, flags, 32),
	OFF(FWPM_CALLOUT0, providerKey, 40),
	OFF(FWPM_CALLOUT0, providerData, 48),
	OFF(FWPM_CALLOUT0, applicableLayer, 64),
	OFF(FWPM_CALLOUT0, calloutId, 80),
	SZ(FWPM_SESSION0, 72),
	OFF(FWPM_SESSION0, flags, 32),
	OFF(FWPM_SESSION0, txnWaitTimeoutInMSec, 36),
	OFF(FWPM_SESSION0, processId, 40),
	OFF(FWPM_SESSION0, sid, 48),
	OFF(FWPM_SESSION0, username, 56),
	OFF(FWPM_SESSION0, kernelMode, 64),
	SZ(FWPM_PROVIDER_CONTEXT0, 88),
	OFF(FWPM_PROVIDER_CONTEXT0, type, 64),
	OFF(FWPM_PROVIDER_CONTEXT0, dataBuffer, 72),
	OFF(FWPM_PROVIDER_CONTEXT0, providerContextId, 80),

	/* ndis.h: the NET_BUFFER members drivers read that sit where Windows
	 * puts them (DataLength and beyond differ: docs/porting.md). */
	OFF(NET_BUFFER, Next, 0),
	OFF(NET_BUFFER, CurrentMdl, 8),
	OFF(NET_BUFFER, CurrentMdlOffset, 16),
	MSZ(NET_BUFFER, DataLength, 4),
	MSZ(NET_BUFFER, DataOffset, 4),
	OFF(NET_BUFFER_LIST, Next, 0),
	OFF(NET_BUFFER_LIST, FirstNetBuffer, 8),
	OFF(NET_BUFFER_LIST, Context, 16),
	OFF(NET_BUFFER_LIST, ParentNetBufferList, 24),
	OFF(NET_BUFFER_LIST, NdisPoolHandle, 32),
	MSZ(NET_BUFFER_LIST, Status, 4),
	OFF(MDL, Next, 0),
	OFF(MDL, Size, 8),
	OFF(MDL, MdlFlags, 10),
	OFF(MDL, MappedSystemVa, 24),
	MSZ(MDL, ByteCount, 4),
	MSZ(MDL, ByteOffset, 4),
};

static void test_layouts_match_windows_x64(void **state)
{
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].got != rows[i].want) {
			print_error("%s is %zu here, %zu on Windows x64\n", rows[i].what,
				    rows[i].got, rows[i].want);
			bad++;
		}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts_match_windows_x64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
