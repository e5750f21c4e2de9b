/* Everything the direct reader does not take (pcapng, stdin, odd variants)
 * goes through libpcap, loaded on the first such open (util/pcap_api.h). */
#include "capture/internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/pcap_api.h"

/* Loaded by owfp_capture_pcap_open before any reader of that kind exists. */
static const struct owfp_pcap_fns *pcap_fns(void)
{
	return owfp_pcap_load(NULL, 0);
}

static int dlt_to_linktype(int dlt)
{
	/* pcap_datalink() speaks DLT_*; the decoder speaks LINKTYPE_*. Only
     * DLT_RAW differs for the types we decode. */
	return dlt == DLT_RAW ? 101 : dlt;
}

/* Where the next record starts. ftell() costs a system call, so classic
 * pcap (stdin included) is tracked by arithmetic; pcapng blocks vary in
 * size and are asked for. */
static uint64_t file_pos(struct cap_reader *rd)
{
	if (!rd->classic) {
		long pos = rd->fp ? ftell(rd->fp) : -1;
		if (pos >= 0)
			return (uint64_t)pos;
	}
	return rd->est_pos;
}

int owfp_capture_pcap_open(struct cap_reader *rd, const char *path, owfp_capture_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	const struct owfp_pcap_fns *pc = owfp_pcap_load(errbuf, sizeof(errbuf));
	if (!pc) {
		owfp_capture_error_set(err, path, -ELIBACC, 0, 0, "reading it needs libpcap: %s",
				       errbuf);
		return -ELIBACC;
	}
	pcap_t *p = pc->pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
								errbuf);
	if (!p) {
		struct stat st;
		int code = stat(path, &st) != 0 && strcmp(path, "-") != 0 ? -errno : -EBADMSG;
		if (strstr(errbuf, "unknown file format"))
			owfp_capture_error_set(err, path, code, 0, 0,
					       "not a capture: expected pcap or pcapng (libpcap: %s)",
					       errbuf);
		else
			owfp_capture_error_set(err, path, code, 0, 0, "%s", errbuf);
		return code;
	}
	rd->kind = CAP_READER_LIBPCAP;
	rd->pcap = p;
	rd->fp = pc->pcap_file(p);
	rd->linktype = dlt_to_linktype(pc->pcap_datalink(p));
	struct stat st;
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
		rd->total = (uint64_t)st.st_size;
	rd->classic = pc->pcap_major_version(p) == 2;
	rd->est_pos = 24;
	rd->est_pos = file_pos(rd);
	return 0;
}

int owfp_capture_pcap_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			   owfp_capture_error *err)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t start = rd->est_pos;
	int rc = pcap_fns()->pcap_next_ex(rd->pcap, &h, &data);
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1) {
		owfp_capture_error_set(err, path, -EBADMSG, rd->record + 1, start, "%s",
				       pcap_fns()->pcap_geterr(rd->pcap));
		return -EBADMSG;
	}
	rec->data = data;
	rec->caplen = h->caplen;
	rec->origlen = h->len;
	/* Opened with nanosecond precision: tv_usec holds nanoseconds. */
	/* Unsigned arithmetic: pcapng timestamps can be anything, and wrapping
     * is defined; for classic pcap this equals the direct reader's value. */
	rec->ts_ns = (uint64_t)(int64_t)h->ts.tv_sec * CAP_NS_PER_SEC +
		     (uint64_t)(int64_t)h->ts.tv_usec;
	rd->rec_offset = start;
	rd->record++;
	rd->est_pos += 16 + (uint64_t)h->caplen;
	if (!rd->classic)
		rd->est_pos = file_pos(rd);
	return 1;
}

uint64_t owfp_capture_pcap_pos(struct cap_reader *rd)
{
	return rd->est_pos;
}

void owfp_capture_pcap_close(struct cap_reader *rd)
{
	if (rd->pcap)
		pcap_fns()->pcap_close(rd->pcap);
	rd->pcap = NULL;
}
