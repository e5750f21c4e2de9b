/*
 * Filter conditions: validation against a layer's fields (S8, S87), deep
 * copies, matching (S87, S88) and the key intervals the index uses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "util/alloc.h"

static bool is_unsigned_scalar(FWP_DATA_TYPE t)
{
	return t == FWP_UINT8 || t == FWP_UINT16 || t == FWP_UINT32;
}

static bool is_ordering(FWP_MATCH_TYPE m)
{
	return m == FWP_MATCH_EQUAL || m == FWP_MATCH_NOT_EQUAL || m == FWP_MATCH_GREATER ||
	       m == FWP_MATCH_LESS || m == FWP_MATCH_GREATER_OR_EQUAL ||
	       m == FWP_MATCH_LESS_OR_EQUAL;
}

static bool is_flags(FWP_MATCH_TYPE m)
{
	return m == FWP_MATCH_FLAGS_ALL_SET || m == FWP_MATCH_FLAGS_ANY_SET ||
	       m == FWP_MATCH_FLAGS_NONE_SET;
}

/* A value of the field's own type: the pointer it needs must be there. */
static NTSTATUS check_scalar(FWP_DATA_TYPE ft, const FWP_VALUE0 *v)
{
	if (v->type != ft)
		return STATUS_FWP_TYPE_MISMATCH;
	if (ft == FWP_BYTE_ARRAY16_TYPE && !v->byteArray16)
		return STATUS_FWP_NULL_POINTER;
	return STATUS_SUCCESS;
}

NTSTATUS owfp_cond_validate(const owfp_layer_desc *l, const FWPM_FILTER_CONDITION0 *c,
			    const owfp_field_desc **field)
{
	const owfp_field_desc *f = owfp_layer_field(l, &c->fieldKey);
	const FWP_CONDITION_VALUE0 *cv = &c->conditionValue;
	FWP_DATA_TYPE ft;
	NTSTATUS st;

	if (!f)
		return STATUS_FWP_CONDITION_NOT_FOUND;
	*field = f;
	ft = owfp_field_type(l, f);
	if ((unsigned)c->matchType >= FWP_MATCH_TYPE_MAX)
		return STATUS_FWP_INVALID_ENUMERATOR;

	switch (cv->type) {
	case FWP_V4_ADDR_MASK:
		if (!f->is_addr || ft != FWP_UINT32)
			return STATUS_FWP_TYPE_MISMATCH;
		if (!cv->v4AddrMask)
			return STATUS_FWP_NULL_POINTER;
		if (c->matchType != FWP_MATCH_EQUAL && c->matchType != FWP_MATCH_NOT_EQUAL)
			return STATUS_FWP_MATCH_TYPE_MISMATCH;
		return STATUS_SUCCESS;
	case FWP_V6_ADDR_MASK:
		if (!f->is_addr || ft != FWP_BYTE_ARRAY16_TYPE)
			return STATUS_FWP_TYPE_MISMATCH;
		if (!cv->v6AddrMask)
			return STATUS_FWP_NULL_POINTER;
		if (cv->v6AddrMask->prefixLength > 128)
			return STATUS_FWP_INVALID_NET_MASK;
		if (c->matchType != FWP_MATCH_EQUAL && c->matchType != FWP_MATCH_NOT_EQUAL)
			return STATUS_FWP_MATCH_TYPE_MISMATCH;
		return STATUS_SUCCESS;
	case FWP_RANGE_TYPE:
		if (c->matchType != FWP_MATCH_RANGE)
			return STATUS_FWP_MATCH_TYPE_MISMATCH;
		if (!cv->rangeValue)
			return STATUS_FWP_NULL_POINTER;
		st = check_scalar(ft, &cv->rangeValue->valueLow);
		if (st == STATUS_SUCCESS)
			st = check_scalar(ft, &cv->rangeValue->valueHigh);
		if (st != STATUS_SUCCESS)
			return st;
		if (owfp_k128_cmp(owfp_value_key(&cv->rangeValue->valueLow),
				  owfp_value_key(&cv->rangeValue->valueHigh)) > 0)
			return STATUS_FWP_INVALID_RANGE;
		return STATUS_SUCCESS;
	case FWP_BYTE_BLOB_TYPE:
		/* An app id compares as a whole: equal or not. */
		if (ft != FWP_BYTE_BLOB_TYPE)
			return STATUS_FWP_TYPE_MISMATCH;
		if (!cv->byteBlob || (cv->byteBlob->size && !cv->byteBlob->data))
			return STATUS_FWP_NULL_POINTER;
		if (c->matchType != FWP_MATCH_EQUAL && c->matchType != FWP_MATCH_NOT_EQUAL)
			return STATUS_FWP_MATCH_TYPE_MISMATCH;
		return STATUS_SUCCESS;
	default:
		break;
	}
	st = check_scalar(ft, (const FWP_VALUE0 *)cv);
	if (st != STATUS_SUCCESS)
		return st;
	if (is_ordering(c->matchType))
		return STATUS_SUCCESS;
	if (is_flags(c->matchType) && is_unsigned_scalar(ft))
		return STATUS_SUCCESS;
	return STATUS_FWP_MATCH_TYPE_MISMATCH;
}

static int copy_value(FWP_VALUE0 *dst, const FWP_VALUE0 *src)
{
	*dst = *src;
	if (src->type == FWP_BYTE_ARRAY16_TYPE) {
		dst->byteArray16 = owfp_malloc(sizeof(*dst->byteArray16));
		if (!dst->byteArray16)
			return -ENOMEM;
		*dst->byteArray16 = *src->byteArray16;
	}
	return 0;
}

static void free_value(FWP_VALUE0 *v)
{
	if (v->type == FWP_BYTE_ARRAY16_TYPE)
		free(v->byteArray16);
}

/* Only validated conditions get here, so the types are the few above. */
int owfp_cond_copy(FWPS_FILTER_CONDITION0 *dst, const FWPM_FILTER_CONDITION0 *src, UINT16 field_id)
{
	const FWP_CONDITION_VALUE0 *s = &src->conditionValue;
	FWP_CONDITION_VALUE0 *d = &dst->conditionValue;

	memset(dst, 0, sizeof(*dst));
	dst->fieldId = field_id;
	dst->matchType = src->matchType;
	*d = *s;
	switch (s->type) {
	case FWP_V4_ADDR_MASK:
		d->v4AddrMask = owfp_malloc(sizeof(*d->v4AddrMask));
		if (!d->v4AddrMask)
			return -ENOMEM;
		*d->v4AddrMask = *s->v4AddrMask;
		return 0;
	case FWP_V6_ADDR_MASK:
		d->v6AddrMask = owfp_malloc(sizeof(*d->v6AddrMask));
		if (!d->v6AddrMask)
			return -ENOMEM;
		*d->v6AddrMask = *s->v6AddrMask;
		return 0;
	case FWP_RANGE_TYPE:
		d->rangeValue = owfp_calloc(1, sizeof(*d->rangeValue));
		if (!d->rangeValue)
			return -ENOMEM;
		if (copy_value(&d->rangeValue->valueLow, &s->rangeValue->valueLow) ||
		    copy_value(&d->rangeValue->valueHigh, &s->rangeValue->valueHigh))
			return -ENOMEM;
		return 0;
	case FWP_BYTE_ARRAY16_TYPE:
		return copy_value((FWP_VALUE0 *)d, (const FWP_VALUE0 *)s);
	case FWP_BYTE_BLOB_TYPE:
		d->byteBlob = owfp_calloc(1, sizeof(*d->byteBlob) + s->byteBlob->size);
		if (!d->byteBlob)
			return -ENOMEM;
		d->byteBlob->size = s->byteBlob->size;
		d->byteBlob->data = (UINT8 *)(d->byteBlob + 1);
		if (s->byteBlob->size)
			memcpy(d->byteBlob->data, s->byteBlob->data, s->byteBlob->size);
		return 0;
	default:
		return 0;
	}
}

/* Safe on a partially copied condition (what owfp_cond_copy left on failure). */
void owfp_cond_free(FWPS_FILTER_CONDITION0 *c)
{
	FWP_CONDITION_VALUE0 *v = &c->conditionValue;

	switch (v->type) {
	case FWP_V4_ADDR_MASK:
		free(v->v4AddrMask);
		break;
	case FWP_V6_ADDR_MASK:
		free(v->v6AddrMask);
		break;
	case FWP_RANGE_TYPE:
		if (v->rangeValue) {
			free_value(&v->rangeValue->valueLow);
			free_value(&v->rangeValue->valueHigh);
		}
		free(v->rangeValue);
		break;
	case FWP_BYTE_ARRAY16_TYPE:
		free(v->byteArray16);
		break;
	case FWP_BYTE_BLOB_TYPE:
		free(v->byteBlob); /* one block with its data (owfp_cond_copy) */
		break;
	default:
		break;
	}
	v->type = FWP_EMPTY;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t x = 0;
	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

/* Values as unsigned 128-bit keys: integers as is, byte arrays big-endian. */
owfp_k128 owfp_value_key(const FWP_VALUE0 *v)
{
	owfp_k128 k = {0, 0};

	switch (v->type) {
	case FWP_UINT8:
		k.lo = v->uint8;
		break;
	case FWP_UINT16:
		k.lo = v->uint16;
		break;
	case FWP_UINT32:
		k.lo = v->uint32;
		break;
	case FWP_BYTE_ARRAY16_TYPE:
		k.hi = be64(v->byteArray16->byteArray16);
		k.lo = be64(v->byteArray16->byteArray16 + 8);
		break;
	default:
		break;
	}
	return k;
}

static owfp_k128 prefix_mask(unsigned len)
{
	owfp_k128 m;

	m.hi = len == 0 ? 0 : len >= 64 ? UINT64_MAX : UINT64_MAX << (64 - len);
	m.lo = len <= 64 ? 0 : len >= 128 ? UINT64_MAX : UINT64_MAX << (128 - len);
	return m;
}

static bool v6_prefix_match(const FWP_V6_ADDR_AND_MASK *am, const FWP_BYTE_ARRAY16 *v)
{
	FWP_VALUE0 a = {.type = FWP_BYTE_ARRAY16_TYPE};
	owfp_k128 m = prefix_mask(am->prefixLength), x, y;

	a.byteArray16 = (FWP_BYTE_ARRAY16 *)am->addr;
	x = owfp_value_key(&a);
	a.byteArray16 = (FWP_BYTE_ARRAY16 *)v;
	y = owfp_value_key(&a);
	return ((x.hi ^ y.hi) & m.hi) == 0 && ((x.lo ^ y.lo) & m.lo) == 0;
}

bool owfp_cond_match(const FWPS_FILTER_CONDITION0 *c, const FWP_VALUE0 *v)
{
	const FWP_CONDITION_VALUE0 *cv = &c->conditionValue;
	bool eq;
	int r;

	/* S88: an unknown (empty) value matches no condition, NOT_EQUAL included. */
	if (v->type == FWP_EMPTY)
		return false;
	switch (cv->type) {
	case FWP_V4_ADDR_MASK:
		if (v->type != FWP_UINT32)
			return false;
		eq = ((v->uint32 ^ cv->v4AddrMask->addr) & cv->v4AddrMask->mask) == 0;
		return c->matchType == FWP_MATCH_NOT_EQUAL ? !eq : eq;
	case FWP_V6_ADDR_MASK:
		if (v->type != FWP_BYTE_ARRAY16_TYPE)
			return false;
		eq = v6_prefix_match(cv->v6AddrMask, v->byteArray16);
		return c->matchType == FWP_MATCH_NOT_EQUAL ? !eq : eq;
	case FWP_BYTE_BLOB_TYPE:
		if (v->type != FWP_BYTE_BLOB_TYPE || !v->byteBlob)
			return false;
		eq = v->byteBlob->size == cv->byteBlob->size &&
		     (cv->byteBlob->size == 0 ||
		      memcmp(v->byteBlob->data, cv->byteBlob->data, cv->byteBlob->size) == 0);
		return c->matchType == FWP_MATCH_NOT_EQUAL ? !eq : eq;
	case FWP_RANGE_TYPE:
		if (v->type != cv->rangeValue->valueLow.type)
			return false;
		return owfp_k128_cmp(owfp_value_key(v), owfp_value_key(&cv->rangeValue->valueLow)) >=
			       0 &&
		       owfp_k128_cmp(owfp_value_key(v),
				     owfp_value_key(&cv->rangeValue->valueHigh)) <= 0;
	default:
		break;
	}
	if (v->type != cv->type)
		return false;
	r = owfp_k128_cmp(owfp_value_key(v), owfp_value_key((const FWP_VALUE0 *)cv));
	switch (c->matchType) {
	case FWP_MATCH_EQUAL:
		return r == 0;
	case FWP_MATCH_NOT_EQUAL:
		return r != 0;
	case FWP_MATCH_GREATER:
		return r > 0;
	case FWP_MATCH_LESS:
		return r < 0;
	case FWP_MATCH_GREATER_OR_EQUAL:
		return r >= 0;
	case FWP_MATCH_LESS_OR_EQUAL:
		return r <= 0;
	default:
		break;
	}
	{
		uint64_t x = owfp_value_key(v).lo, m = owfp_value_key((const FWP_VALUE0 *)cv).lo;

		switch (c->matchType) {
		case FWP_MATCH_FLAGS_ALL_SET:
			return (x & m) == m;
		case FWP_MATCH_FLAGS_ANY_SET:
			return (x & m) != 0;
		case FWP_MATCH_FLAGS_NONE_SET:
			return (x & m) == 0;
		default:
			return false;
		}
	}
}

bool owfp_filter_match(const FWPS_FILTER3 *f, const FWPS_INCOMING_VALUES0 *in)
{
	UINT32 i = 0, n = f->numFilterConditions;

	while (i < n) {
		UINT16 field = f->filterCondition[i].fieldId;
		bool any = false;

		/* S87: consecutive conditions on one field form an OR group. */
		for (; i < n && f->filterCondition[i].fieldId == field; i++)
			if (!any && field < in->valueCount &&
			    owfp_cond_match(&f->filterCondition[i], &in->incomingValue[field].value))
				any = true;
		if (!any)
			return false;
	}
	return true;
}

static owfp_k128 k_add1(owfp_k128 k)
{
	k.lo++;
	if (k.lo == 0)
		k.hi++;
	return k;
}

static owfp_k128 k_sub1(owfp_k128 k)
{
	if (k.lo == 0)
		k.hi--;
	k.lo--;
	return k;
}

static owfp_k128 type_max(FWP_DATA_TYPE t)
{
	owfp_k128 k = {0, 0};

	switch (t) {
	case FWP_UINT8:
		k.lo = UINT8_MAX;
		break;
	case FWP_UINT16:
		k.lo = UINT16_MAX;
		break;
	case FWP_UINT32:
		k.lo = UINT32_MAX;
		break;
	default:
		k.hi = k.lo = UINT64_MAX;
		break;
	}
	return k;
}

int owfp_cond_intervals(const FWPS_FILTER_CONDITION0 *c, owfp_k128 lo[2], owfp_k128 hi[2])
{
	const FWP_CONDITION_VALUE0 *cv = &c->conditionValue;
	owfp_k128 zero = {0, 0}, k, max;
	int n = 0;

	switch (cv->type) {
	case FWP_V4_ADDR_MASK: {
		UINT32 m = cv->v4AddrMask->mask;

		/* Only contiguous masks describe one interval. */
		if ((~m & (~m + 1)) != 0 || c->matchType != FWP_MATCH_EQUAL)
			return -1;
		lo[0].hi = hi[0].hi = 0;
		lo[0].lo = cv->v4AddrMask->addr & m;
		hi[0].lo = (cv->v4AddrMask->addr & m) | ~m;
		return 1;
	}
	case FWP_V6_ADDR_MASK: {
		FWP_VALUE0 a = {.type = FWP_BYTE_ARRAY16_TYPE};
		owfp_k128 m = prefix_mask(cv->v6AddrMask->prefixLength);

		if (c->matchType != FWP_MATCH_EQUAL)
			return -1;
		a.byteArray16 = (FWP_BYTE_ARRAY16 *)cv->v6AddrMask->addr;
		k = owfp_value_key(&a);
		lo[0].hi = k.hi & m.hi;
		lo[0].lo = k.lo & m.lo;
		hi[0].hi = lo[0].hi | ~m.hi;
		hi[0].lo = lo[0].lo | ~m.lo;
		return 1;
	}
	case FWP_RANGE_TYPE:
		lo[0] = owfp_value_key(&cv->rangeValue->valueLow);
		hi[0] = owfp_value_key(&cv->rangeValue->valueHigh);
		return 1;
	case FWP_UINT8:
	case FWP_UINT16:
	case FWP_UINT32:
	case FWP_BYTE_ARRAY16_TYPE:
		break;
	default:
		return -1;
	}
	k = owfp_value_key((const FWP_VALUE0 *)cv);
	max = type_max(cv->type);
	switch (c->matchType) {
	case FWP_MATCH_EQUAL:
		lo[n] = hi[n] = k, n++;
		break;
	case FWP_MATCH_GREATER_OR_EQUAL:
		lo[n] = k, hi[n] = max, n++;
		break;
	case FWP_MATCH_GREATER:
		if (owfp_k128_cmp(k, max) < 0)
			lo[n] = k_add1(k), hi[n] = max, n++;
		break;
	case FWP_MATCH_LESS_OR_EQUAL:
		lo[n] = zero, hi[n] = k, n++;
		break;
	case FWP_MATCH_LESS:
		if (owfp_k128_cmp(k, zero) > 0)
			lo[n] = zero, hi[n] = k_sub1(k), n++;
		break;
	case FWP_MATCH_NOT_EQUAL:
		if (owfp_k128_cmp(k, zero) > 0)
			lo[n] = zero, hi[n] = k_sub1(k), n++;
		if (owfp_k128_cmp(k, max) < 0)
			lo[n] = k_add1(k), hi[n] = max, n++;
		break;
	default:
		return -1;
	}
	return n;
}
