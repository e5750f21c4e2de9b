/* The reassembler against its naive twin on thousands of random streams:
 * cut into random segments, duplicated, overlapped, reordered and
 * interleaved, written to a capture, and read back. Also: both readers and
 * every file format give the very same event sequence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture_recorder.h"
#include "naive_reassembly.h"
#include "pcap_writer.h"

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static unsigned below(struct rng *r, unsigned n)
{
    return (unsigned)(rnd(r) % n);
}

struct pkt {
    unsigned dir;
    uint32_t seq, ack;
    uint8_t flags;
    uint8_t *data;       /* owned */
    size_t len;
};

struct gen_case {
    int family;
    enum tw_link link;
    uint32_t isn[2];
    uint8_t *stream[2];
    size_t slen[2];
    struct pkt *p;
    size_t n, cap;
};

static void push(struct gen_case *c, unsigned dir, uint32_t seq, uint8_t flags, const uint8_t *d,
                 size_t len)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->p = realloc(c->p, c->cap * sizeof(*c->p));
    }
    struct pkt *p = &c->p[c->n++];
    p->dir = dir;
    p->seq = seq;
    p->ack = c->isn[!dir] + 1;
    p->flags = flags;
    p->len = len;
    p->data = len ? malloc(len) : NULL;
    if (len)
        memcpy(p->data, d, len);
}

static void gen(struct gen_case *c, struct rng *r, bool differ)
{
    memset(c, 0, sizeof(*c));
    c->family = below(r, 2) ? AF_INET : AF_INET6;
    c->link = (enum tw_link)below(r, TW_RAW_IPV6 + 1);
    if (c->link == TW_RAW_IPV4 && c->family == AF_INET6)
        c->link = TW_RAW_IPV6;
    if (c->link == TW_RAW_IPV6 && c->family == AF_INET)
        c->link = TW_RAW_IPV4;
    for (unsigned d = 0; d < 2; d++) {
        /* a quarter of the streams wrap the 32-bit sequence space */
        c->isn[d] = below(r, 4) == 0 ? 0xffffffffu - below(r, 6000) : (uint32_t)rnd(r);
        c->slen[d] = below(r, 4) == 0 ? below(r, 40) : below(r, 12000);
        c->stream[d] = malloc(c->slen[d] + 1);
        for (size_t i = 0; i < c->slen[d]; i++)
            c->stream[d][i] = (uint8_t)rnd(r);
    }
    push(c, 0, c->isn[0], TW_SYN, NULL, 0);
    push(c, 1, c->isn[1], TW_SYN | TW_ACK, NULL, 0);
    push(c, 0, c->isn[0] + 1, TW_ACK, NULL, 0);
    size_t hs = c->n;
    for (unsigned d = 0; d < 2; d++) {
        size_t off = 0;
        bool fin_in_data = below(r, 2);
        while (off < c->slen[d]) {
            size_t len = 1 + below(r, below(r, 3) ? 1460 : 100);
            if (off + len > c->slen[d])
                len = c->slen[d] - off;
            bool last = off + len == c->slen[d];
            uint8_t fl = TW_ACK | (below(r, 3) == 0 ? TW_PSH : 0) | (last && fin_in_data ? TW_FIN : 0);
            push(c, d, c->isn[d] + 1 + (uint32_t)off, fl, c->stream[d] + off, len);
            if (below(r, 10) == 0) /* retransmission */
                push(c, d, c->isn[d] + 1 + (uint32_t)off, fl, c->stream[d] + off, len);
            if (below(r, 7) == 0) { /* overlapping copy of a random range nearby */
                size_t a = off > 200 ? off - below(r, 200) : 0;
                size_t b = a + 1 + below(r, 3000);
                if (b > c->slen[d])
                    b = c->slen[d];
                uint8_t *tmp = malloc(b - a + 1);
                memcpy(tmp, c->stream[d] + a, b - a);
                if (differ)
                    for (size_t i = 0; i < b - a; i++)
                        if (below(r, 3) == 0)
                            tmp[i] = (uint8_t)rnd(r);
                push(c, d, c->isn[d] + 1 + (uint32_t)a, TW_ACK, tmp, b - a);
                free(tmp);
            }
            off += len;
        }
        if (!fin_in_data || c->slen[d] == 0)
            push(c, d, c->isn[d] + 1 + (uint32_t)c->slen[d], TW_ACK | TW_FIN, NULL, 0);
    }
    /* Interleave the two directions at random (each keeps its order), then
     * reorder locally. */
    size_t n = c->n - hs;
    struct pkt *body = c->p + hs;
    struct pkt *merged = malloc((n + 1) * sizeof(*merged));
    size_t i0 = 0, i1 = 0, nc = 0;
    for (size_t i = 0; i < n; i++)
        nc += body[i].dir == 0;
    struct pkt *cl = body, *sv = body + nc;
    for (size_t k = 0; k < n; k++) {
        bool take_client = i1 == n - nc || (i0 < nc && below(r, 2));
        merged[k] = take_client ? cl[i0++] : sv[i1++];
    }
    memcpy(body, merged, n * sizeof(*merged));
    free(merged);
    for (size_t i = 0; i + 1 < n; i++) {
        if (below(r, 5) == 0) {
            size_t j = i + 1 + below(r, 8);
            if (j >= n)
                j = n - 1;
            struct pkt t = body[i];
            body[i] = body[j];
            body[j] = t;
        }
    }
}

static void gen_free(struct gen_case *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->p[i].data);
    free(c->p);
    free(c->stream[0]);
    free(c->stream[1]);
}

static const char *addr(int family, unsigned side)
{
    if (family == AF_INET)
        return side ? "192.0.2.80" : "198.51.100.7";
    return side ? "2001:db8::80" : "2001:db8:1::7";
}

static void write_case(const struct gen_case *c, const char *path, enum tw_format fmt)
{
    tw_file *w = tw_open(path, fmt, c->link);
    for (size_t i = 0; i < c->n; i++) {
        const struct pkt *p = &c->p[i];
        struct tw_seg s = {
            .family = c->family, .src = addr(c->family, p->dir), .dst = addr(c->family, !p->dir),
            .sport = p->dir ? 80 : 40000, .dport = p->dir ? 40000 : 80, .seq = p->seq,
            .ack = p->ack, .flags = p->flags, .payload = p->data, .len = p->len,
        };
        /* microsecond-exact times, so every format can carry them */
        tw_seg(w, 1700000000ull * 1000000000ull + i * 1000ull * 1000ull + 7000, &s);
    }
    tw_close(w);
}

static void check_against_twin(const struct gen_case *c, const struct recorder *r, bool last,
                               unsigned seed)
{
    struct naive_dir nd[2];
    for (unsigned d = 0; d < 2; d++)
        naive_init(&nd[d], c->slen[d] + 4096, last);
    for (size_t i = 3; i < c->n; i++) {
        const struct pkt *p = &c->p[i];
        uint32_t rel = p->seq - (c->isn[p->dir] + 1);
        naive_segment(&nd[p->dir], rel, p->data, p->len, p->flags & TW_FIN);
    }
    if (r->nflows != 1)
        fail_msg("seed %u: %zu flows", seed, r->nflows);
    const struct rec_flow *f = &r->flows[0];
    for (unsigned d = 0; d < 2; d++) {
        if (f->len[d] != nd[d].delivered ||
            (f->len[d] && memcmp(f->bytes[d], nd[d].bytes, f->len[d]) != 0))
            fail_msg("seed %u dir %u: delivered %zu bytes, twin %zu (or content differs)", seed,
                     d, f->len[d], nd[d].delivered);
        assert_int_equal(f->missed[d], 0);
        assert_int_equal(f->fin[d], nd[d].fin_delivered ? 1 : 0);
        naive_free(&nd[d]);
    }
    assert_int_equal(f->end_reason, OWFP_CAPTURE_END_CLOSED);
}

static void run_twin_cases(unsigned first_seed, unsigned count, bool differ, bool last)
{
    char *path = tw_tmpname("random");
    owfp_capture_opts o;
    owfp_capture_opts_init(&o);
    o.overlap = last ? OWFP_CAPTURE_OVERLAP_LAST : OWFP_CAPTURE_OVERLAP_FIRST;
    for (unsigned seed = first_seed; seed < first_seed + count; seed++) {
        struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
        struct gen_case c;
        gen(&c, &r, differ);
        write_case(&c, path, TW_PCAP_US);
        struct recorder rec;
        recorder_init(&rec);
        owfp_capture_error err;
        int rc = recorder_run(&rec, path, &o, NULL, &err);
        if (rc)
            fail_msg("seed %u: %s", seed, err.message);
        check_against_twin(&c, &rec, last, seed);
        recorder_free(&rec);
        gen_free(&c);
    }
    unlink(path);
    free(path);
}

static void test_random_streams_match_naive_twin(void **state)
{
    (void)state;
    run_twin_cases(1, 2000, false, false);
}

static void test_random_differing_overlaps_match_twin_first_copy_wins(void **state)
{
    (void)state;
    run_twin_cases(10001, 600, true, false);
}

static void test_random_differing_overlaps_match_twin_last_copy_wins(void **state)
{
    (void)state;
    run_twin_cases(20001, 600, true, true);
}

static char *run_log(const char *path, enum owfp_capture_reader reader)
{
    owfp_capture_opts o;
    owfp_capture_opts_init(&o);
    o.reader = reader;
    struct recorder rec;
    recorder_init(&rec);
    rec.log_ts = 1;
    owfp_capture_error err;
    int rc = recorder_run(&rec, path, &o, NULL, &err);
    if (rc)
        fail_msg("%s: %s", path, err.message);
    char *log = strdup(rec.log);
    recorder_free(&rec);
    return log;
}

static void test_mmap_and_libpcap_readers_identical_on_random_corpus(void **state)
{
    (void)state;
    char *path = tw_tmpname("readers");
    for (unsigned seed = 30001; seed < 30301; seed++) {
        struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
        struct gen_case c;
        gen(&c, &r, seed % 2);
        enum tw_format fmt = (enum tw_format)(seed % 4); /* both byte orders, us and ns */
        write_case(&c, path, fmt);
        owfp_capture *cap;
        owfp_capture_opts o;
        owfp_capture_opts_init(&o);
        assert_int_equal(owfp_capture_open(path, &o, &cap, NULL), 0);
        assert_string_equal(owfp_capture_reader_name(cap), "mmap");
        owfp_capture_close(cap);
        char *a = run_log(path, OWFP_CAPTURE_READER_MMAP);
        char *b = run_log(path, OWFP_CAPTURE_READER_LIBPCAP);
        if (strcmp(a, b) != 0)
            fail_msg("seed %u: mmap and libpcap logs differ", seed);
        assert_true(strlen(a) > 0);
        free(a);
        free(b);
        gen_free(&c);
    }
    unlink(path);
    free(path);
}

static void test_pcapng_and_nanosecond_pcap_match_microsecond_pcap(void **state)
{
    (void)state;
    char *path = tw_tmpname("formats");
    for (unsigned seed = 40001; seed < 40101; seed++) {
        struct rng r = {seed * 0x9e3779b97f4a7c15ull + 1};
        struct gen_case c;
        gen(&c, &r, false);
        write_case(&c, path, TW_PCAP_US);
        char *ref = run_log(path, OWFP_CAPTURE_READER_AUTO);
        const enum tw_format others[] = {TW_PCAP_NS, TW_PCAP_NS_SWAPPED, TW_PCAP_US_SWAPPED,
                                         TW_PCAPNG};
        for (size_t i = 0; i < 4; i++) {
            write_case(&c, path, others[i]);
            char *got = run_log(path, OWFP_CAPTURE_READER_AUTO);
            if (strcmp(ref, got) != 0)
                fail_msg("seed %u format %d differs from microsecond pcap", seed, (int)others[i]);
            free(got);
        }
        free(ref);
        gen_free(&c);
    }
    unlink(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_streams_match_naive_twin),
        cmocka_unit_test(test_random_differing_overlaps_match_twin_first_copy_wins),
        cmocka_unit_test(test_random_differing_overlaps_match_twin_last_copy_wins),
        cmocka_unit_test(test_mmap_and_libpcap_readers_identical_on_random_corpus),
        cmocka_unit_test(test_pcapng_and_nanosecond_pcap_match_microsecond_pcap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
