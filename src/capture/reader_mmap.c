/* Classic pcap read straight from a memory map: the fast path. It must
 * behave exactly like libpcap's reader on every file both accept. */
#include "capture/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
/* libpcap refuses records longer than this for every link type we decode. */
#define PCAP_MAX_SNAPLEN 262144u
/* Map ahead and release behind in small steps, so that the file's share of
 * the resident size stays around half a MiB. Measured on a 285 MB and a
 * 135 MB capture: steps of 256 KiB cost the same CPU as 8 MiB ahead and
 * 64 MiB behind (the page-table work is per page, not per call) and cut
 * peak RSS from 77 to 7 MB. */
#define RELEASE_STEP ((size_t)256 << 10) /* a multiple of the page size */
#define POPULATE_STEP ((size_t)256 << 10)
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

int owfp_capture_mmap_open(struct cap_reader *rd, const char *path, owfp_capture_error *err)
{
    if (strcmp(path, "-") == 0)
        return -ENOTSUP;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        owfp_capture_error_set(err, path, -e, 0, 0, "open: %s", strerror(e));
        return -e;
    }
    struct stat st;
    uint8_t hdr[24];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 24 ||
        pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr)) {
        close(fd);
        return -ENOTSUP;
    }
    uint32_t magic;
    memcpy(&magic, hdr, 4);
    bool swap = false, nano = false;
    if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
        nano = magic == PCAP_MAGIC_NS;
    } else if (__builtin_bswap32(magic) == PCAP_MAGIC_US ||
               __builtin_bswap32(magic) == PCAP_MAGIC_NS) {
        swap = true;
        nano = __builtin_bswap32(magic) == PCAP_MAGIC_NS;
    } else {
        close(fd);
        return -ENOTSUP;
    }
    uint16_t major;
    memcpy(&major, hdr + 4, 2);
    if (swap)
        major = __builtin_bswap16(major);
    if (major != 2) {
        /* libpcap words these errors its own way; let it. */
        close(fd);
        return -ENOTSUP;
    }
    void *base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (base == MAP_FAILED) {
        owfp_capture_error_set(err, path, -e, 0, 0, "mmap: %s", strerror(e));
        return -e;
    }
    madvise(base, (size_t)st.st_size, MADV_SEQUENTIAL);
    rd->kind = CAP_READER_MMAP;
    rd->base = base;
    rd->size = (size_t)st.st_size;
    rd->pos = 24;
    rd->swap = swap;
    rd->nano = nano;
    uint32_t snaplen = rd32(hdr + 16, swap);
    rd->snapshot = (snaplen == 0 || snaplen > PCAP_MAX_SNAPLEN) ? PCAP_MAX_SNAPLEN : snaplen;
    /* The upper 16 bits may carry FCS information; the link type is below. */
    rd->linktype = (int)(rd32(hdr + 20, swap) & 0x03ffffffu);
    rd->total = (uint64_t)st.st_size;
    return 0;
}

int owfp_capture_mmap_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
                           owfp_capture_error *err)
{
    size_t left = rd->size - rd->pos;
    if (left == 0)
        return 0;
    uint64_t recno = rd->record + 1;
    if (left < 16) {
        owfp_capture_error_set(err, path, -EBADMSG, recno, rd->pos,
                               "record header truncated: %zu of 16 bytes", left);
        return -EBADMSG;
    }
    const uint8_t *h = rd->base + rd->pos;
    uint32_t sec = rd32(h, rd->swap), frac = rd32(h + 4, rd->swap);
    uint32_t caplen = rd32(h + 8, rd->swap), origlen = rd32(h + 12, rd->swap);
    if (caplen > PCAP_MAX_SNAPLEN) {
        owfp_capture_error_set(err, path, -EBADMSG, recno, rd->pos,
                               "captured length %u exceeds the maximum of %u", caplen,
                               PCAP_MAX_SNAPLEN);
        return -EBADMSG;
    }
    if (left - 16 < caplen) {
        owfp_capture_error_set(err, path, -EBADMSG, recno, rd->pos,
                               "record truncated: %zu of %u captured bytes", left - 16, caplen);
        return -EBADMSG;
    }
    rec->data = h + 16;
    /* As libpcap: bytes beyond the file's snapshot length are skipped. */
    rec->caplen = caplen > rd->snapshot ? rd->snapshot : caplen;
    rec->origlen = origlen;
    /* libpcap reads both fields as signed 32-bit values and scales the
     * fraction without range checks; do the same so that both readers give
     * the same timestamps (and so the same timeouts) even for records whose
     * fraction is out of range (found by fuzz_capture). */
    uint64_t frac_ns = (uint64_t)(int64_t)(int32_t)frac * (rd->nano ? 1u : 1000u);
    rec->ts_ns = (uint64_t)(int64_t)(int32_t)sec * CAP_NS_PER_SEC + frac_ns;
    rd->rec_offset = rd->pos;
    rd->pos += 16 + (size_t)caplen;
    /* The next record header and its packet headers: the only bytes the
     * next call touches for sure. */
    if (rd->size - rd->pos >= 128) {
        __builtin_prefetch(rd->base + rd->pos);
        __builtin_prefetch(rd->base + rd->pos + 64);
    }
    /* Map ahead in big batches: one call instead of a page fault every
     * 64 KiB. Kernels without MADV_POPULATE_READ just fault as usual. */
    if (rd->pos + POPULATE_STEP / 2 > rd->populated && rd->populated < rd->size && !rd->no_populate) {
        size_t len = rd->size - rd->populated < POPULATE_STEP ? rd->size - rd->populated
                                                              : POPULATE_STEP;
        if (madvise((void *)(rd->base + rd->populated), len, MADV_POPULATE_READ) != 0)
            rd->no_populate = true;
        rd->populated += len;
    }
    /* Nothing before this record's header is referenced any more (in-order
     * bytes are only lent during callbacks; buffered bytes are copies): let the kernel
     * drop those pages now rather than under memory pressure, so the
     * resident size stays small on captures of any size. */
    if (rd->rec_offset - rd->released >= RELEASE_STEP) {
        madvise((void *)(rd->base + rd->released), RELEASE_STEP, MADV_DONTNEED);
        rd->released += RELEASE_STEP;
    }
    rd->record = recno;
    return 1;
}

uint64_t owfp_capture_mmap_pos(const struct cap_reader *rd)
{
    return rd->pos;
}

void owfp_capture_mmap_close(struct cap_reader *rd)
{
    if (rd->base)
        munmap((void *)rd->base, rd->size);
    rd->base = NULL;
}
