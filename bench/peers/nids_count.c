/* Reference peer for the replay benchmark: the smallest useful libnids
 * program. It reassembles every TCP stream in a capture and counts the bytes
 * each receiver gets, which is the same work `openwfp replay` does with its
 * default inspection callout, minus the WFP model. Checksums are not checked
 * (captures taken on the sending host carry offloaded checksums, and openwfp
 * does not check them by default either).
 * Prints one line: flows=N closed=N c2s_bytes=B s2c_bytes=B */
#include <inttypes.h>
#include <nids.h>
#include <stdint.h>
#include <stdio.h>

/* libnids callbacks take no user pointer, so the totals have to live here;
 * this is a throwaway measuring program, not library code. */
static uint64_t flows, closed, c2s_bytes, s2c_bytes;

static void on_tcp(struct tcp_stream *s, void **unused)
{
	(void)unused;
	switch (s->nids_state) {
	case NIDS_JUST_EST:
		flows++;
		s->client.collect++;
		s->server.collect++;
		break;
	case NIDS_DATA:
		/* Not calling nids_discard() lets libnids drop the delivered bytes,
		 * so memory stays at one window per direction. */
		c2s_bytes += (uint64_t)s->server.count_new;
		s2c_bytes += (uint64_t)s->client.count_new;
		break;
	case NIDS_CLOSE:
	case NIDS_RESET:
	case NIDS_TIMED_OUT:
		closed++;
		break;
	default:
		break;
	}
}

/* libnids reports every oddity through syslog by default; the benchmark must
 * not pay for that. */
static void quiet_syslog(int type, int errnum, struct ip *iph, void *data)
{
	(void)type;
	(void)errnum;
	(void)iph;
	(void)data;
}

int main(int argc, char **argv)
{
	static struct nids_chksum_ctl all_off = {0, 0, NIDS_DONT_CHKSUM, 0};

	if (argc != 2) {
		fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
		return 2;
	}
	nids_params.filename = argv[1];
	nids_params.device = NULL;
	nids_params.scan_num_hosts = 0;
	nids_params.syslog = quiet_syslog;
	if (!nids_init()) {
		fprintf(stderr, "nids_count: %s: %s\n", argv[1], nids_errbuf);
		return 1;
	}
	nids_register_chksum_ctl(&all_off, 1);
	nids_register_tcp((void *)on_tcp);
	nids_run();
	nids_exit();
	printf("flows=%" PRIu64 " closed=%" PRIu64 " c2s_bytes=%" PRIu64 " s2c_bytes=%" PRIu64 "\n",
	       flows, closed, c2s_bytes, s2c_bytes);
	return 0;
}
