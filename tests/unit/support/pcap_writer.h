/* Test support: builds TCP/IP packets and writes them into capture files
 * (classic pcap in both byte orders and both time resolutions, or pcapng)
 * under any of the link types the capture module decodes. */
#ifndef OWFP_TEST_PCAP_WRITER_H
#define OWFP_TEST_PCAP_WRITER_H

#include <stddef.h>
#include <stdint.h>

enum tw_format { TW_PCAP_US, TW_PCAP_NS, TW_PCAP_US_SWAPPED, TW_PCAP_NS_SWAPPED, TW_PCAPNG };

enum tw_link {
	TW_ETH,
	TW_ETH_VLAN,
	TW_ETH_QINQ,
	TW_SLL,
	TW_SLL2,
	TW_NULL_LE,
	TW_NULL_BE,
	TW_LOOP,
	TW_RAW,
	TW_RAW_IPV4,
	TW_RAW_IPV6,
};

#define TW_FIN 0x01
#define TW_SYN 0x02
#define TW_RST 0x04
#define TW_PSH 0x08
#define TW_ACK 0x10
#define TW_URG 0x20

struct tw_seg {
	int family;            /* AF_INET or AF_INET6 */
	const char *src, *dst; /* printable addresses */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t urp;
	const uint8_t *payload;
	size_t len;
	uint32_t wire_extra; /* claim this many more payload bytes than given (snaplen cut) */
	int ipv6_ext;        /* IPv6: add hop-by-hop, routing and dest-opts headers */
	int ipv4_options;    /* IPv4: add 8 bytes of NOP/EOL options */
};

/* Writes an IP packet (IPv4 or IPv6 + TCP, valid checksums) into out;
 * returns its length. */
size_t tw_build(const struct tw_seg *s, uint8_t *out, size_t cap);

/* Splits an IP packet into fragments of at most `chunk` payload bytes
 * (multiple of 8) and returns the count; frags[i]/lens[i] are malloc'd. */
size_t tw_fragment(const uint8_t *ip, size_t len, size_t chunk, uint32_t id, uint8_t **frags,
		   size_t *lens, size_t max);

typedef struct tw_file tw_file;
tw_file *tw_open(const char *path, enum tw_format fmt, enum tw_link link);
/* Writes one IP packet wrapped in the file's link header. */
void tw_write_ip(tw_file *w, uint64_t ts_ns, const uint8_t *ip, size_t len);
/* Writes a raw record (any bytes), with an optional snaplen cut. */
void tw_write_raw(tw_file *w, uint64_t ts_ns, const uint8_t *frame, size_t len, size_t caplen);
void tw_seg(tw_file *w, uint64_t ts_ns, const struct tw_seg *s);
void tw_close(tw_file *w);

/* A unique temporary file name (under $TMPDIR or /tmp); free() it. */
char *tw_tmpname(const char *tag);

#endif
