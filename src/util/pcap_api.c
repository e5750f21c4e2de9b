/* The lazily bound libpcap table (pcap_api.h). Written once, by
 * the first caller (owfp_lazylib_open), then only read. */
#include "util/pcap_api.h"

#ifndef OWFP_PCAP_SONAME
#define OWFP_PCAP_SONAME "libpcap.so.0.8"
#endif

static struct owfp_pcap_fns fns;
static const owfp_lazysym syms[] = {
	OWFP_LAZYSYM(fns, pcap_open_offline_with_tstamp_precision),
	OWFP_LAZYSYM(fns, pcap_open_dead),
	OWFP_LAZYSYM(fns, pcap_close),
	OWFP_LAZYSYM(fns, pcap_file),
	OWFP_LAZYSYM(fns, pcap_datalink),
	OWFP_LAZYSYM(fns, pcap_major_version),
	OWFP_LAZYSYM(fns, pcap_next_ex),
	OWFP_LAZYSYM(fns, pcap_geterr),
	OWFP_LAZYSYM(fns, pcap_dump_open),
	OWFP_LAZYSYM(fns, pcap_dump),
	OWFP_LAZYSYM(fns, pcap_dump_close),
	OWFP_LAZYSYM(fns, pcap_create),
	OWFP_LAZYSYM(fns, pcap_set_snaplen),
	OWFP_LAZYSYM(fns, pcap_set_immediate_mode),
	OWFP_LAZYSYM(fns, pcap_set_buffer_size),
	OWFP_LAZYSYM(fns, pcap_set_tstamp_precision),
	OWFP_LAZYSYM(fns, pcap_get_tstamp_precision),
	OWFP_LAZYSYM(fns, pcap_activate),
	OWFP_LAZYSYM(fns, pcap_statustostr),
	OWFP_LAZYSYM(fns, pcap_compile),
	OWFP_LAZYSYM(fns, pcap_setfilter),
	OWFP_LAZYSYM(fns, pcap_freecode),
	OWFP_LAZYSYM(fns, pcap_setnonblock),
	OWFP_LAZYSYM(fns, pcap_get_selectable_fd),
	OWFP_LAZYSYM(fns, pcap_breakloop),
	OWFP_LAZYSYM(fns, pcap_stats),
	OWFP_LAZYSYM(fns, pcap_snapshot),
	OWFP_LAZYSYM(fns, pcap_datalink_val_to_name),
	OWFP_LAZYSYM(fns, pcap_datalink_val_to_description),
};
static owfp_lazylib lib = OWFP_LAZYLIB(OWFP_PCAP_SONAME, "libpcap0.8", syms);

const struct owfp_pcap_fns *owfp_pcap_load(char *err, size_t errlen)
{
	return owfp_lazylib_open(&lib, err, errlen) ? NULL : &fns;
}
