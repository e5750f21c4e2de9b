/* Stub so the interface can be coded against; the real reader lands next. */
#include "capture/capture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void owfp_capture_opts_init(owfp_capture_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->hole_skip_bytes = 1u << 20;
    opts->hole_skip_ns = 10ull * 1000000000ull;
    opts->max_direction_bytes = 4u << 20;
    opts->max_total_bytes = 256u << 20;
    opts->max_flows = 1u << 20;
    opts->idle_timeout_ns = 120ull * 1000000000ull;
    opts->frag_timeout_ns = 30ull * 1000000000ull;
    opts->max_frag_datagrams = 1024;
    opts->progress_step = 16u << 20;
}

int owfp_capture_open(const char *path, const owfp_capture_opts *opts, owfp_capture **out,
                      owfp_capture_error *err)
{
    (void)opts;
    *out = NULL;
    if (err) {
        memset(err, 0, sizeof(*err));
        err->code = -ENOSYS;
        snprintf(err->file, sizeof(err->file), "%s", path);
        snprintf(err->reason, sizeof(err->reason), "capture reader not implemented yet");
        snprintf(err->message, sizeof(err->message), "%s: %s", err->file, err->reason);
    }
    return -ENOSYS;
}

int owfp_capture_run(owfp_capture *cap, const owfp_capture_sink *sink, void *user,
                     owfp_capture_error *err)
{
    (void)cap; (void)sink; (void)user; (void)err;
    return -ENOSYS;
}

int owfp_capture_pause(owfp_capture *cap, uint64_t flow_id, unsigned dir)
{
    (void)cap; (void)flow_id; (void)dir;
    return -ENOENT;
}

int owfp_capture_resume(owfp_capture *cap, uint64_t flow_id, unsigned dir)
{
    (void)cap; (void)flow_id; (void)dir;
    return -ENOENT;
}

int owfp_capture_ignore(owfp_capture *cap, uint64_t flow_id)
{
    (void)cap; (void)flow_id;
    return -ENOENT;
}

void owfp_capture_stop(owfp_capture *cap) { (void)cap; }

void owfp_capture_progress(const owfp_capture *cap, uint64_t *done, uint64_t *total)
{
    (void)cap;
    *done = 0;
    *total = 0;
}

void owfp_capture_get_stats(const owfp_capture *cap, owfp_capture_stats *stats)
{
    (void)cap;
    memset(stats, 0, sizeof(*stats));
}

const char *owfp_capture_reader_name(const owfp_capture *cap) { (void)cap; return "none"; }
int owfp_capture_linktype(const owfp_capture *cap) { (void)cap; return -1; }

const char *owfp_capture_end_reason_name(enum owfp_capture_end_reason reason)
{
    static const char *const names[] = {"closed", "reset", "timeout", "open", "reused", "evicted"};
    return (unsigned)reason < 6 ? names[reason] : "unknown";
}

void owfp_capture_close(owfp_capture *cap) { (void)cap; }
