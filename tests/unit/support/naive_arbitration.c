/* The naive twin of matching and arbitration order (see naive_arbitration.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "naive_arbitration.h"

UINT64 naive_auto_weight(const FWPM_FILTER_CONDITION0 *conds, UINT32 n, UINT64 ordinal)
{
	UINT64 distinct = 0;

	for (UINT32 i = 0; i < n; i++) {
		bool seen = false;

		for (UINT32 j = 0; j < i; j++)
			if (memcmp(&conds[j].fieldKey, &conds[i].fieldKey, sizeof(GUID)) == 0)
				seen = true;
		if (!seen)
			distinct++;
	}
	return distinct * (1ull << 52) + ((1ull << 52) - 1 - ordinal);
}

/* A value as a 16-byte big-endian number, so every comparison is memcmp. */
typedef struct num {
	uint8_t b[16];
} num;

static num from_u64(uint64_t x)
{
	num n;

	memset(&n, 0, sizeof(n));
	for (int i = 0; i < 8; i++)
		n.b[15 - i] = (uint8_t)(x >> (8 * i));
	return n;
}

static num from_bytes(const uint8_t *p)
{
	num n;

	memcpy(n.b, p, 16);
	return n;
}

static int ncmp(num a, num b)
{
	return memcmp(a.b, b.b, 16);
}

static bool field_value(const GUID *field, const owfp_flow_key *k, num *out)
{
	bool v6 = k->family == AF_INET6;
	uint32_t la = (uint32_t)k->local_addr[0] << 24 | k->local_addr[1] << 16 |
		      k->local_addr[2] << 8 | k->local_addr[3];
	uint32_t ra = (uint32_t)k->remote_addr[0] << 24 | k->remote_addr[1] << 16 |
		      k->remote_addr[2] << 8 | k->remote_addr[3];

	if (IsEqualGUID(field, &FWPM_CONDITION_IP_LOCAL_ADDRESS))
		*out = v6 ? from_bytes(k->local_addr) : from_u64(la);
	else if (IsEqualGUID(field, &FWPM_CONDITION_IP_REMOTE_ADDRESS))
		*out = v6 ? from_bytes(k->remote_addr) : from_u64(ra);
	else if (IsEqualGUID(field, &FWPM_CONDITION_IP_LOCAL_PORT))
		*out = from_u64(k->local_port);
	else if (IsEqualGUID(field, &FWPM_CONDITION_IP_REMOTE_PORT))
		*out = from_u64(k->remote_port);
	else if (IsEqualGUID(field, &FWPM_CONDITION_DIRECTION))
		*out = from_u64(k->outbound ? 0 : 1);
	else if (IsEqualGUID(field, &FWPM_CONDITION_FLAGS))
		*out = from_u64(k->condition_flags);
	else if (IsEqualGUID(field, &FWPM_CONDITION_COMPARTMENT_ID))
		*out = from_u64(1);
	else if (IsEqualGUID(field, &FWPM_CONDITION_IP_LOCAL_ADDRESS_TYPE))
		*out = from_u64(1); /* tests use unicast addresses only */
	else
		return false;
	return true;
}

static num scalar(const FWP_VALUE0 *v)
{
	switch (v->type) {
	case FWP_UINT8:
		return from_u64(v->uint8);
	case FWP_UINT16:
		return from_u64(v->uint16);
	case FWP_UINT32:
		return from_u64(v->uint32);
	default:
		return from_bytes(v->byteArray16->byteArray16);
	}
}

static bool cond_holds(const FWPM_FILTER_CONDITION0 *c, const owfp_flow_key *k)
{
	const FWP_CONDITION_VALUE0 *cv = &c->conditionValue;
	num v, x;
	int r;

	if (!field_value(&c->fieldKey, k, &v))
		return false;
	if (cv->type == FWP_V4_ADDR_MASK) {
		uint32_t a = 0;

		for (int i = 12; i < 16; i++)
			a = a << 8 | v.b[i];
		r = (a & cv->v4AddrMask->mask) == (cv->v4AddrMask->addr & cv->v4AddrMask->mask);
		return c->matchType == FWP_MATCH_NOT_EQUAL ? !r : r;
	}
	if (cv->type == FWP_V6_ADDR_MASK) {
		bool same = true;

		for (int bit = 0; bit < cv->v6AddrMask->prefixLength; bit++) {
			int byte = bit / 8, sh = 7 - bit % 8;

			if (((v.b[byte] >> sh) & 1) != ((cv->v6AddrMask->addr[byte] >> sh) & 1))
				same = false;
		}
		return c->matchType == FWP_MATCH_NOT_EQUAL ? !same : same;
	}
	if (cv->type == FWP_RANGE_TYPE)
		return ncmp(v, scalar(&cv->rangeValue->valueLow)) >= 0 &&
		       ncmp(v, scalar(&cv->rangeValue->valueHigh)) <= 0;
	x = scalar((const FWP_VALUE0 *)cv);
	r = ncmp(v, x);
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
		bool all = true, any = false;

		for (int i = 0; i < 16; i++) {
			if ((v.b[i] & x.b[i]) != x.b[i])
				all = false;
			if (v.b[i] & x.b[i])
				any = true;
		}
		switch (c->matchType) {
		case FWP_MATCH_FLAGS_ALL_SET:
			return all;
		case FWP_MATCH_FLAGS_ANY_SET:
			return any;
		case FWP_MATCH_FLAGS_NONE_SET:
			return !any;
		default:
			return false;
		}
	}
}

bool naive_filter_matches(const naive_filter *f, const owfp_flow_key *k)
{
	UINT32 i = 0;

	while (i < f->nconds) {
		UINT32 j = i;
		bool any = false;

		while (j < f->nconds && IsEqualGUID(&f->conds[j].fieldKey, &f->conds[i].fieldKey)) {
			if (cond_holds(&f->conds[j], k))
				any = true;
			j++;
		}
		if (!any)
			return false;
		i = j;
	}
	return true;
}

static int order(const void *pa, const void *pb)
{
	const naive_filter *a = *(const naive_filter *const *)pa;
	const naive_filter *b = *(const naive_filter *const *)pb;
	int r;

	if (a->sublayer_weight != b->sublayer_weight)
		return a->sublayer_weight > b->sublayer_weight ? -1 : 1;
	r = memcmp(&a->sublayer_key, &b->sublayer_key, sizeof(GUID));
	if (r)
		return r;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

size_t naive_match(const naive_filter *f, size_t n, const owfp_flow_key *k, UINT64 *ids)
{
	const naive_filter **all = malloc(sizeof(*all) * (n ? n : 1));
	size_t m = 0, out = 0;

	for (size_t i = 0; i < n; i++)
		all[m++] = &f[i];
	qsort(all, m, sizeof(*all), order);
	for (size_t i = 0; i < m; i++)
		if (!all[i]->disabled && naive_filter_matches(all[i], k))
			ids[out++] = all[i]->id;
	free(all);
	return out;
}
