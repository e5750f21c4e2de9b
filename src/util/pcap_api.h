/* libpcap, loaded on first use: classic pcap files are read by our own
 * reader (src/capture/reader_direct.c), so only stdin and odd variants
 * (src/capture/reader_pcap.c), live capture (src/capture/reader_live.c)
 * and --resegment's output (src/replay/resegment_pcap.c) need it. */
#ifndef OWFP_UTIL_PCAP_API_H
#define OWFP_UTIL_PCAP_API_H

#include <pcap/pcap.h>

#include "util/lazylib.h"

struct owfp_pcap_fns {
	OWFP_LAZYFN(pcap_open_offline_with_tstamp_precision);
	OWFP_LAZYFN(pcap_open_dead);
	OWFP_LAZYFN(pcap_close);
	OWFP_LAZYFN(pcap_file);
	OWFP_LAZYFN(pcap_datalink);
	OWFP_LAZYFN(pcap_major_version);
	OWFP_LAZYFN(pcap_next_ex);
	OWFP_LAZYFN(pcap_geterr);
	OWFP_LAZYFN(pcap_dump_open);
	OWFP_LAZYFN(pcap_dump);
	OWFP_LAZYFN(pcap_dump_close);
	/* live capture (src/capture/reader_live.c) */
	OWFP_LAZYFN(pcap_create);
	OWFP_LAZYFN(pcap_set_snaplen);
	OWFP_LAZYFN(pcap_set_immediate_mode);
	OWFP_LAZYFN(pcap_set_buffer_size);
	OWFP_LAZYFN(pcap_set_tstamp_precision);
	OWFP_LAZYFN(pcap_get_tstamp_precision);
	OWFP_LAZYFN(pcap_activate);
	OWFP_LAZYFN(pcap_statustostr);
	OWFP_LAZYFN(pcap_compile);
	OWFP_LAZYFN(pcap_setfilter);
	OWFP_LAZYFN(pcap_freecode);
	OWFP_LAZYFN(pcap_setnonblock);
	OWFP_LAZYFN(pcap_get_selectable_fd);
	OWFP_LAZYFN(pcap_breakloop);
	OWFP_LAZYFN(pcap_stats);
	OWFP_LAZYFN(pcap_snapshot);
	OWFP_LAZYFN(pcap_datalink_val_to_name);
	OWFP_LAZYFN(pcap_datalink_val_to_description);
};

/* The table, loading libpcap the first time (thread-safe). NULL if it cannot
 * be loaded, with the reason (naming the library and package) in err, which
 * may be NULL where an earlier call has succeeded. */
const struct owfp_pcap_fns *owfp_pcap_load(char *err, size_t errlen);

#endif
