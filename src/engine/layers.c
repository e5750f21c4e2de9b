/*
 * The layers filters can be added at (stream and ALE_FLOW_ESTABLISHED, V4
 * and V6), their condition fields, and the incoming values the engine
 * builds for a flow at each (spec S5–S8).
 */
#include <string.h>
#include <sys/socket.h>

#include "engine/engine_internal.h"

#define ADDR(key, idx, dim)                                             \
	{                                                               \
		&key, idx, FWP_UINT32, FWP_BYTE_ARRAY16_TYPE, true, dim \
	}
#define SCALAR(key, idx, t)                           \
	{                                             \
		&key, idx, t, t, false, OWFP_DIM_NONE \
	}
#define PORT(key, idx, dim)                                   \
	{                                                     \
		&key, idx, FWP_UINT16, FWP_UINT16, false, dim \
	}

/* The fields both layers have, at the indices of layer P (FWPS_FIELD_<layer>). */
#define KEY_FIELDS(P)                                                                                \
	ADDR(FWPM_CONDITION_IP_LOCAL_ADDRESS, P##_IP_LOCAL_ADDRESS, OWFP_DIM_LOCAL_ADDR),            \
		SCALAR(FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE, P##_IP_LOCAL_ADDRESS_TYPE, FWP_UINT8),  \
		ADDR(FWPM_CONDITION_IP_REMOTE_ADDRESS, P##_IP_REMOTE_ADDRESS, OWFP_DIM_REMOTE_ADDR), \
		PORT(FWPM_CONDITION_IP_LOCAL_PORT, P##_IP_LOCAL_PORT, OWFP_DIM_LOCAL_PORT),          \
		PORT(FWPM_CONDITION_IP_REMOTE_PORT, P##_IP_REMOTE_PORT, OWFP_DIM_REMOTE_PORT),       \
		SCALAR(FWPM_CONDITION_DIRECTION, P##_DIRECTION, FWP_UINT32),                         \
		SCALAR(FWPM_CONDITION_FLAGS, P##_FLAGS, FWP_UINT32),                                 \
		SCALAR(FWPM_CONDITION_COMPARTMENT_ID, P##_COMPARTMENT_ID, FWP_UINT32)

/* S8: the only keys a stream-layer filter may use. */
static const owfp_field_desc stream_fields[] = {KEY_FIELDS(FWPS_FIELD_STREAM_V4)};

/* The ALE fields we can supply a value for; others have no known key.
 * ALE_APP_ID has a value only when the data path knows the local process. */
static const owfp_field_desc ale_fields[] = {
	KEY_FIELDS(FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4),
	SCALAR(FWPM_CONDITION_IP_PROTOCOL, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_PROTOCOL, FWP_UINT8),
	{&FWPM_CONDITION_ALE_APP_ID, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID,
	 FWP_BYTE_BLOB_TYPE, FWP_BYTE_BLOB_TYPE, false, OWFP_DIM_NONE},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const owfp_layer_desc layers[OWFP_NSLOTS] = {
	{&FWPM_LAYER_STREAM_V4, OWFP_SLOT_STREAM_V4, FWPS_LAYER_STREAM_V4, AF_INET, true,
	 FWPS_FIELD_STREAM_V4_MAX, stream_fields, NELEM(stream_fields)},
	{&FWPM_LAYER_STREAM_V6, OWFP_SLOT_STREAM_V6, FWPS_LAYER_STREAM_V6, AF_INET6, true,
	 FWPS_FIELD_STREAM_V6_MAX, stream_fields, NELEM(stream_fields)},
	{&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V4, OWFP_SLOT_ALE_V4, FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4,
	 AF_INET, false, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX, ale_fields, NELEM(ale_fields)},
	{&FWPM_LAYER_ALE_FLOW_ESTABLISHED_V6, OWFP_SLOT_ALE_V6, FWPS_LAYER_ALE_FLOW_ESTABLISHED_V6,
	 AF_INET6, false, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V6_MAX, ale_fields, NELEM(ale_fields)},
};

const owfp_layer_desc *owfp_layer_find(const GUID *layer_key)
{
	for (size_t i = 0; i < OWFP_NSLOTS; i++)
		if (IsEqualGUID(layers[i].key, layer_key))
			return &layers[i];
	return NULL;
}

const owfp_layer_desc *owfp_layer_by_slot(int slot)
{
	return &layers[slot];
}

const owfp_field_desc *owfp_layer_field(const owfp_layer_desc *l, const GUID *field_key)
{
	for (size_t i = 0; i < l->nfields; i++)
		if (IsEqualGUID(l->fields[i].key, field_key))
			return &l->fields[i];
	return NULL;
}

FWP_DATA_TYPE owfp_field_type(const owfp_layer_desc *l, const owfp_field_desc *f)
{
	return l->family == AF_INET6 ? f->v6type : f->v4type;
}

UINT16 owfp_layer_dim_index(const owfp_layer_desc *l, int dim)
{
	for (size_t i = 0; i < l->nfields; i++)
		if (l->fields[i].dim == dim)
			return l->fields[i].index;
	return 0;
}

NL_ADDRESS_TYPE owfp_addr_type(int family, const uint8_t *a)
{
	static const uint8_t zero[16];

	if (family == AF_INET) {
		if (memcmp(a, zero, 4) == 0)
			return NlatUnspecified;
		if (a[0] >= 224 && a[0] <= 239)
			return NlatMulticast;
		if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
			return NlatBroadcast;
		return NlatUnicast;
	}
	if (memcmp(a, zero, 16) == 0)
		return NlatUnspecified;
	if (a[0] == 0xff)
		return NlatMulticast;
	return NlatUnicast;
}

static UINT32 v4_host(const uint8_t *a)
{
	return (UINT32)a[0] << 24 | (UINT32)a[1] << 16 | (UINT32)a[2] << 8 | a[3];
}

/* Fills an address value: host-order UINT32 for v4, a byte array for v6 (S6). */
static void set_addr(FWP_VALUE0 *v, int family, const uint8_t *addr, FWP_BYTE_ARRAY16 *store)
{
	if (family == AF_INET6) {
		memcpy(store->byteArray16, addr, 16);
		v->type = FWP_BYTE_ARRAY16_TYPE;
		v->byteArray16 = store;
	} else {
		v->type = FWP_UINT32;
		v->uint32 = v4_host(addr);
	}
}

static void set_u8(FWP_VALUE0 *v, UINT8 x)
{
	v->type = FWP_UINT8;
	v->uint8 = x;
}
static void set_u16(FWP_VALUE0 *v, UINT16 x)
{
	v->type = FWP_UINT16;
	v->uint16 = x;
}
static void set_u32(FWP_VALUE0 *v, UINT32 x)
{
	v->type = FWP_UINT32;
	v->uint32 = x;
}

/* Where a layer keeps the values every layer here carries. */
typedef struct key_index {
	UINT16 local_addr, local_addr_type, remote_addr, local_port, remote_port;
	UINT16 direction, flags, compartment_id;
} key_index;

#define KEY_INDEX(P)                                                                     \
	{                                                                                \
		P##_IP_LOCAL_ADDRESS, P##_IP_LOCAL_ADDRESS_TYPE, P##_IP_REMOTE_ADDRESS,  \
			P##_IP_LOCAL_PORT, P##_IP_REMOTE_PORT, P##_DIRECTION, P##_FLAGS, \
			P##_COMPARTMENT_ID                                               \
	}
static const key_index stream_index = KEY_INDEX(FWPS_FIELD_STREAM_V4);
static const key_index ale_index = KEY_INDEX(FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4);

/* Clears values[0..n) (fields nobody can know here stay FWP_EMPTY) and fills
 * what the flow key says, the same way at every layer. */
static void set_key_values(FWPS_INCOMING_VALUE0 *values, size_t n, const key_index *ix,
			   const owfp_flow_key *key, int fam, FWP_BYTE_ARRAY16 *v6_local,
			   FWP_BYTE_ARRAY16 *v6_remote)
{
	memset(values, 0, sizeof(*values) * n);
	set_addr(&values[ix->local_addr].value, fam, key->local_addr, v6_local);
	set_u8(&values[ix->local_addr_type].value, (UINT8)owfp_addr_type(fam, key->local_addr));
	set_addr(&values[ix->remote_addr].value, fam, key->remote_addr, v6_remote);
	set_u16(&values[ix->local_port].value, key->local_port);
	set_u16(&values[ix->remote_port].value, key->remote_port);
	/* S7: the direction of the connection, not of the data. */
	set_u32(&values[ix->direction].value,
		key->outbound ? FWP_DIRECTION_OUTBOUND : FWP_DIRECTION_INBOUND);
	set_u32(&values[ix->flags].value, key->condition_flags);
	set_u32(&values[ix->compartment_id].value, DEFAULT_COMPARTMENT_ID);
}

void owfp_engine_stream_values(const owfp_flow_key *key, FWPS_INCOMING_VALUE0 *values,
			       FWP_BYTE_ARRAY16 *v6_local, FWP_BYTE_ARRAY16 *v6_remote,
			       FWPS_INCOMING_VALUES0 *out)
{
	int fam = key->family == AF_INET6 ? AF_INET6 : AF_INET;

	set_key_values(values, FWPS_FIELD_STREAM_V4_MAX, &stream_index, key, fam, v6_local,
		       v6_remote);
	out->layerId = fam == AF_INET6 ? FWPS_LAYER_STREAM_V6 : FWPS_LAYER_STREAM_V4;
	out->valueCount = FWPS_FIELD_STREAM_V4_MAX;
	out->incomingValue = values;
}

void owfp_engine_ale_values(const owfp_flow_key *key, FWPS_INCOMING_VALUE0 *values,
			    FWP_BYTE_ARRAY16 *v6_local, FWP_BYTE_ARRAY16 *v6_remote,
			    FWP_BYTE_BLOB *app_id, FWPS_INCOMING_VALUES0 *out)
{
	int fam = key->family == AF_INET6 ? AF_INET6 : AF_INET;
	/* The destination is the remote side of a connection we opened. */
	const uint8_t *dst = key->outbound ? key->remote_addr : key->local_addr;

	set_key_values(values, FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX, &ale_index, key, fam,
		       v6_local, v6_remote);
	set_u8(&values[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_PROTOCOL].value, IPPROTO_TCP);
	set_u8(&values[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_IP_DESTINATION_ADDRESS_TYPE].value,
	       (UINT8)owfp_addr_type(fam, dst));
	if (app_id && app_id->data) {
		values[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID].value.type = FWP_BYTE_BLOB_TYPE;
		values[FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_ALE_APP_ID].value.byteBlob = app_id;
	}

	out->layerId = fam == AF_INET6 ? FWPS_LAYER_ALE_FLOW_ESTABLISHED_V6
				       : FWPS_LAYER_ALE_FLOW_ESTABLISHED_V4;
	out->valueCount = FWPS_FIELD_ALE_FLOW_ESTABLISHED_V4_MAX;
	out->incomingValue = values;
}
