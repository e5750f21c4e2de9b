/* Is this file a capture at all? A file that is not gets one message saying
 * what was expected and what it looks like instead, before any reader
 * (libpcap's "unknown file format" names neither). */
#include "capture/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_HDR 24
#define PCAPNG_SHB_MIN 28

static bool starts(const uint8_t *p, size_t n, const char *magic, size_t len)
{
	return n >= len && memcmp(p, magic, len) == 0;
}

/* 0 unknown, 1 classic pcap (any byte order, µs/ns, Kuznetzov's), 2 pcapng. */
static int capture_kind(const uint8_t *p, size_t n)
{
	static const uint32_t pcap[] = {0xa1b2c3d4u, 0xa1b23c4du, 0xa1b2cd34u};
	if (n < 4)
		return 0;
	uint32_t m;
	memcpy(&m, p, 4);
	for (size_t i = 0; i < sizeof(pcap) / sizeof(pcap[0]); i++)
		if (m == pcap[i] || __builtin_bswap32(m) == pcap[i])
			return 1;
	return m == 0x0a0d0d0au ? 2 : 0;
}

/* "12:34:56.789012 IP 10.0.0.1.80 > ...": what tcpdump prints without -w. */
static bool tcpdump_text(const uint8_t *p, size_t n)
{
	if (starts(p, n, "tcpdump", 7) || starts(p, n, "reading from", 12))
		return true;
	if (n < 16 || p[2] != ':' || p[5] != ':' || p[8] != '.')
		return false;
	size_t k = 0;
	while (k < n && p[k] != '\n')
		k++;
	return memmem(p, k, " IP ", 4) || memmem(p, k, " IP6 ", 5) || memmem(p, k, " ARP", 4);
}

static bool looks_like_text(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 && p[i] != '\n' && p[i] != '\r' && p[i] != '\t')
			return false;
	return n > 0;
}

/* Files known by their first bytes that are not captures, and what to do. */
#define NETXRAY "it looks like a Wireshark/NetXRay file: convert it with `editcap -F pcap IN OUT`"
static const struct {
	const char *magic;
	size_t len;
	const char *what;
} known[] = {
	{"\x1f\x8b", 2, "it is gzip-compressed: decompress it first (gunzip)"},
	{"\x28\xb5\x2f\xfd", 4, "it is zstd-compressed: decompress it first (unzstd)"},
	{"\xfd"
	 "7zXZ",
	 5, "it is xz-compressed: decompress it first (unxz)"},
	{"BZh", 3, "it is bzip2-compressed: decompress it first (bunzip2)"},
	{"PK\x03\x04", 4, "it is a zip archive: unpack the capture from it first"},
	{"\x7f"
	 "ELF",
	 4, "it is a program (ELF), not a capture"},
	{"\x58\x50\x43\x50", 4, NETXRAY},
	{"XCP", 3, NETXRAY},
};

/* What the first bytes look like, in words a user can act on. */
static void describe(const uint8_t *p, size_t n, char *out, size_t len)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (starts(p, n, known[i].magic, known[i].len)) {
			snprintf(out, len, "%s", known[i].what);
			return;
		}
	}
	if (looks_like_text(p, n)) {
		size_t k = 0;
		while (k < n && k < 40 && p[k] != '\n' && p[k] != '\r')
			k++;
		snprintf(out, len, "it looks like text (\"%.*s%s\")%s", (int)k, (const char *)p,
			 k < n && p[k] != '\n' && p[k] != '\r' ? "..." : "",
			 tcpdump_text(p, n) ? ": tcpdump's printed output; record with "
					      "`tcpdump -w FILE` instead"
					    : "");
	} else
		snprintf(out, len, "its first bytes are %02x %02x %02x %02x", n > 0 ? p[0] : 0,
			 n > 1 ? p[1] : 0, n > 2 ? p[2] : 0, n > 3 ? p[3] : 0);
}

int owfp_capture_probe(const char *path, owfp_capture_error *err)
{
	if (strcmp(path, "-") == 0)
		return 0; /* a pipe cannot be looked at twice: the reader says what it finds */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		owfp_capture_error_set(err, path, -e, 0, 0, "cannot open: %s", strerror(e));
		snprintf(err->message, sizeof(err->message), "%s: %s", err->file, err->reason);
		return -e;
	}
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		owfp_capture_error_set(err, path, -EISDIR, 0, 0,
				       "is a directory, not a capture file");
		snprintf(err->message, sizeof(err->message), "%s: %s", err->file, err->reason);
		return -EISDIR;
	}
	uint8_t head[256];
	ssize_t n;
	do
		n = read(fd, head, sizeof(head));
	while (n < 0 && errno == EINTR);
	int e = errno;
	close(fd);
	if (n < 0) {
		owfp_capture_error_set(err, path, -e, 0, 0, "read: %s", strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode))
		return 0; /* a FIFO: what was read is gone; the reader will say */
	int kind = capture_kind(head, (size_t)n);
	size_t need = kind == 2 ? PCAPNG_SHB_MIN : PCAP_HDR;
	if (kind && (size_t)n >= need)
		return 0;
	char what[160];
	if (n == 0)
		snprintf(what, sizeof(what), "the file is empty");
	else if (kind)
		snprintf(what, sizeof(what),
			 "it is cut short: %zd bytes, fewer than the %zu of a %s header", n, need,
			 kind == 2 ? "pcapng section" : "pcap file");
	else
		describe(head, (size_t)n, what, sizeof(what));
	owfp_capture_error_set(err, path, -EBADMSG, 0, 0,
			       "not a capture: expected pcap or pcapng, "
			       "and %s",
			       what);
	/* One sentence, without the "file header:" of a capture that broke. */
	snprintf(err->message, sizeof(err->message), "%s: %s", err->file, err->reason);
	return -EBADMSG;
}
