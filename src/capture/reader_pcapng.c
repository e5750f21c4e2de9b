/* pcapng files read here, not by libpcap: a pcapng file may describe
 * interfaces of different link types (`tshark -i eth0 -i lo`: Ethernet and
 * Linux cooked; Ethernet and raw IP), and libpcap's reader refuses those
 * ("an interface has a type 101 different from the type of the first
 * interface") because one pcap_t has one link type. Wireshark's wiretap
 * reads them but is no library to link against. So each packet is handed
 * over with its own interface's link type (cap_reader.linktype is set per
 * record), and its timestamp in that interface's resolution and offset.
 *
 * Blocks read: section header (byte order; a new section forgets the
 * interfaces), interface description (link type, snaplen, if_tsresol,
 * if_tsoffset), enhanced packet, simple packet, the obsolete packet block.
 * Every other block is skipped by its length. Standard input still goes to
 * libpcap (a pipe cannot be looked at before choosing). */
#include "capture/internal.h"
#include "util/alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 1u
#define BT_PB 2u
#define BT_SPB 3u
#define BT_EPB 6u
#define BOM 0x1a2b3c4du
/* A block longer than this is corruption, not a packet (libpcap's bound). */
#define MAX_BLOCK (16u << 20)

struct ng_iface {
	int linktype;
	uint32_t snaplen;
	bool binary;      /* if_tsresol: 2^-res instead of 10^-res */
	uint8_t res;      /* default 6: microseconds */
	int64_t offset_s; /* if_tsoffset */
};

struct cap_pcapng {
	FILE *fp;
	bool swap;
	uint8_t *blk; /* the current block, whole */
	size_t cap;
	struct ng_iface *ifs;
	size_t nifs, ifcap;
	uint64_t pos; /* file offset of the next block */
};

static uint32_t g32(const struct cap_pcapng *g, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return g->swap ? __builtin_bswap32(v) : v;
}

static uint16_t g16(const struct cap_pcapng *g, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return g->swap ? __builtin_bswap16(v) : v;
}

static int bad(struct cap_reader *rd, const char *path, owfp_capture_error *err, uint64_t at,
	       const char *what)
{
	owfp_capture_error_set(err, path, -EBADMSG, rd->record + 1, at, "%s", what);
	return -EBADMSG;
}

/* Reads the block at g->pos into g->blk. 1, 0 at the clean end, or -errno. */
static int read_block(struct cap_reader *rd, const char *path, owfp_capture_error *err,
		      uint32_t *type, uint32_t *len)
{
	struct cap_pcapng *g = rd->ng;
	uint8_t h[12];
	size_t n = fread(h, 1, 8, g->fp);
	if (n == 0 && feof(g->fp))
		return 0;
	if (n < 8)
		return bad(rd, path, err, g->pos, "block header truncated");
	uint32_t t;
	memcpy(&t, h, 4);
	if (t == BT_SHB) {
		/* The byte order of a section is in its header: read it first. */
		if (fread(h + 8, 1, 4, g->fp) < 4)
			return bad(rd, path, err, g->pos, "section header truncated");
		uint32_t bom;
		memcpy(&bom, h + 8, 4);
		if (bom == BOM)
			g->swap = false;
		else if (__builtin_bswap32(bom) == BOM)
			g->swap = true;
		else
			return bad(rd, path, err, g->pos,
				   "section header with an unknown byte-order magic");
		g->nifs = 0;
	}
	*type = g32(g, h);
	*len = g32(g, h + 4);
	if (*len < 12 || *len % 4 || *len > MAX_BLOCK)
		return bad(rd, path, err, g->pos,
			   "block length is not a multiple of 4 from 12 to 16 MiB");
	if (*len > g->cap) {
		uint8_t *b = owfp_realloc(g->blk, *len);
		if (!b) {
			owfp_capture_error_set(err, path, -ENOMEM, rd->record + 1, g->pos,
					       "out of memory");
			return -ENOMEM;
		}
		g->blk = b;
		g->cap = *len;
	}
	size_t have = t == BT_SHB ? 12 : 8;
	memcpy(g->blk, h, have);
	if (fread(g->blk + have, 1, *len - have, g->fp) < *len - have)
		return bad(rd, path, err, g->pos, "block truncated");
	if (g32(g, g->blk + *len - 4) != *len)
		return bad(rd, path, err, g->pos,
			   "block's trailing length differs from its leading one");
	rd->rec_offset = g->pos;
	g->pos += *len;
	return 1;
}

static int add_iface(struct cap_reader *rd, const char *path, owfp_capture_error *err, uint32_t len)
{
	struct cap_pcapng *g = rd->ng;
	const uint8_t *b = g->blk;
	if (len < 20)
		return bad(rd, path, err, rd->rec_offset, "interface description truncated");
	struct ng_iface f = {.linktype = g16(g, b + 8), .snaplen = g32(g, b + 12), .res = 6};
	/* Options: code, length, value padded to 4; code 0 ends them. */
	for (size_t o = 16; o + 4 <= len - 4;) {
		uint16_t code = g16(g, b + o), olen = g16(g, b + o + 2);
		if (code == 0 || o + 4 + olen > len - 4)
			break;
		if (code == 9 && olen >= 1) {
			f.binary = b[o + 4] & 0x80;
			f.res = b[o + 4] & 0x7f;
		} else if (code == 14 && olen >= 8) {
			uint64_t v;
			memcpy(&v, b + o + 4, 8);
			f.offset_s = (int64_t)(g->swap ? __builtin_bswap64(v) : v);
		}
		o += 4 + ((olen + 3u) & ~3u);
	}
	if (g->nifs == g->ifcap) {
		size_t c = g->ifcap ? g->ifcap * 2 : 4;
		struct ng_iface *n = owfp_realloc(g->ifs, c * sizeof(*n));
		if (!n) {
			owfp_capture_error_set(err, path, -ENOMEM, rd->record + 1, rd->rec_offset,
					       "out of memory");
			return -ENOMEM;
		}
		g->ifs = n;
		g->ifcap = c;
	}
	g->ifs[g->nifs++] = f;
	return 0;
}

/* Units of 10^-res or 2^-res seconds since the epoch, to nanoseconds
 * (unsigned: wrapping is defined, as in the other readers). */
static uint64_t to_ns(const struct ng_iface *f, uint64_t ts)
{
	uint64_t ns;
	if (f->binary) {
		unsigned r = f->res < 64 ? f->res : 63;
		ns = (uint64_t)(((unsigned __int128)ts * CAP_NS_PER_SEC) >> r);
	} else if (f->res <= 9) {
		uint64_t m = 1;
		for (unsigned i = f->res; i < 9; i++)
			m *= 10;
		ns = ts * m;
	} else {
		uint64_t d = 1;
		for (unsigned i = 9; i < f->res && i < 28; i++)
			d *= 10;
		ns = ts / d;
	}
	return ns + (uint64_t)f->offset_s * CAP_NS_PER_SEC;
}

int owfp_capture_pcapng_open(struct cap_reader *rd, const char *path, owfp_capture_error *err)
{
	if (strcmp(path, "-") == 0)
		return -ENOTSUP;
	FILE *fp = fopen(path, "rb");
	uint32_t magic = 0;
	struct stat st;
	if (!fp || fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) ||
	    fread(&magic, 1, 4, fp) != 4 || magic != BT_SHB) {
		if (fp)
			fclose(fp);
		return -ENOTSUP;
	}
	rewind(fp);
	struct cap_pcapng *g = owfp_calloc(1, sizeof(*g));
	if (!g) {
		fclose(fp);
		owfp_capture_error_set(err, path, -ENOMEM, 0, 0, "out of memory");
		return -ENOMEM;
	}
	g->fp = fp;
	rd->kind = CAP_READER_PCAPNG;
	rd->ng = g;
	rd->total = (uint64_t)st.st_size;
	/* The link type to report is the first interface's: look for it, then
     * start over so that next() sees every block. */
	uint32_t type, len;
	int rc;
	rd->linktype = 1;
	while ((rc = read_block(rd, path, err, &type, &len)) == 1) {
		if (type == BT_IDB && len >= 20) {
			rd->linktype = g16(g, g->blk + 8);
			break;
		}
		if (type == BT_EPB || type == BT_SPB || type == BT_PB)
			break;
	}
	if (rc < 0) {
		/* A broken first section: said as a file-header error. */
		char why[sizeof(err->reason)];
		snprintf(why, sizeof(why), "%s", err->reason);
		owfp_capture_error_set(err, path, rc, 0, 0, "%s", why);
		owfp_capture_pcapng_close(rd);
		return rc;
	}
	rewind(fp);
	g->pos = 0;
	g->nifs = 0;
	rd->rec_offset = 0;
	return 0;
}

int owfp_capture_pcapng_next(struct cap_reader *rd, struct cap_record *rec, const char *path,
			     owfp_capture_error *err)
{
	struct cap_pcapng *g = rd->ng;
	uint32_t type, len;
	int rc;
	while ((rc = read_block(rd, path, err, &type, &len)) == 1) {
		const uint8_t *b = g->blk;
		uint32_t ifid = 0, caplen, origlen, hdr;
		uint64_t ts = 0;
		if (type == BT_IDB) {
			if ((rc = add_iface(rd, path, err, len)))
				return rc;
			continue;
		}
		if (type == BT_EPB || type == BT_PB) {
			if (len < 32)
				return bad(rd, path, err, rd->rec_offset, "packet block truncated");
			ifid = type == BT_EPB ? g32(g, b + 8) : g16(g, b + 8);
			ts = (uint64_t)g32(g, b + 12) << 32 | g32(g, b + 16);
			caplen = g32(g, b + 20);
			origlen = g32(g, b + 24);
			hdr = 28;
		} else if (type == BT_SPB) {
			if (len < 16)
				return bad(rd, path, err, rd->rec_offset,
					   "simple packet block truncated");
			origlen = g32(g, b + 8);
			hdr = 12;
			caplen = len - 16 < origlen ? len - 16 : origlen;
			if (g->nifs && g->ifs[0].snaplen && caplen > g->ifs[0].snaplen)
				caplen = g->ifs[0].snaplen;
		} else {
			continue; /* statistics, names, custom blocks: nothing to decode */
		}
		if (ifid >= g->nifs)
			return bad(rd, path, err, rd->rec_offset,
				   "packet of an interface no interface description block described");
		if (caplen > len - 4 - hdr)
			return bad(rd, path, err, rd->rec_offset,
				   "captured length exceeds its block");
		const struct ng_iface *f = &g->ifs[ifid];
		rd->linktype = f->linktype;
		rec->data = b + hdr;
		rec->caplen = caplen;
		rec->origlen = origlen;
		rec->ts_ns = type == BT_SPB ? 0 : to_ns(f, ts);
		rd->record++;
		return 1;
	}
	return rc;
}

uint64_t owfp_capture_pcapng_pos(const struct cap_reader *rd)
{
	return rd->ng ? rd->ng->pos : 0;
}

void owfp_capture_pcapng_close(struct cap_reader *rd)
{
	struct cap_pcapng *g = rd->ng;
	if (!g)
		return;
	if (g->fp)
		fclose(g->fp);
	free(g->blk);
	free(g->ifs);
	free(g);
	rd->ng = NULL;
}
