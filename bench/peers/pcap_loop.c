/* Reference peer for the replay benchmark: the cheapest way libpcap can read
 * a capture (pcap_next_ex, no decoding). Anything that decodes packets through
 * libpcap is bounded by this loop, so it is the floor openwfp's reader has to
 * beat. Prints one line: packets=N bytes=B (bytes = sum of caplen). */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	uint64_t packets = 0, bytes = 0;
	pcap_t *p;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
		return 2;
	}
	p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "pcap_loop: %s: %s\n", argv[1], err);
		return 1;
	}
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		packets++;
		bytes += hdr->caplen;
	}
	if (rc == PCAP_ERROR)
		fprintf(stderr, "pcap_loop: %s: %s\n", argv[1], pcap_geterr(p));
	pcap_close(p);
	printf("packets=%" PRIu64 " bytes=%" PRIu64 "\n", packets, bytes);
	return rc == PCAP_ERROR ? 1 : 0;
}
