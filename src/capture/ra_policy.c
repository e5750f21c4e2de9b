/* Read-ahead policy: whether the second core reads the capture ahead of
 * the caller, decided from what the run itself measured. The read-ahead
 * thread takes the kernel's copy out of the page cache off the caller's
 * core, but the caller then reads blocks another core wrote (cache misses)
 * and pays the hand-offs; which of the two wins depends on the machine and
 * the capture, so it is measured rather than assumed. The decision only
 * changes speed: both modes hand out the same bytes in the same order. */
#include "capture/internal.h"

enum cap_ra_choice owfp_capture_ra_decide(enum cap_ra_mode mode, const struct cap_ra_probe *p,
					  uint64_t window, uint64_t file_size, bool cached)
{
	switch (mode) {
	case CAP_RA_INLINE:
		return CAP_RA_USE_INLINE;
	case CAP_RA_THREAD:
		return CAP_RA_USE_THREAD;
	case CAP_RA_ALTERNATE:
		return p->windows[0] <= p->windows[1] ? CAP_RA_PROBE_INLINE : CAP_RA_PROBE_THREAD;
	case CAP_RA_COLD:
		/* Measured (docs/PERFORMANCE.md "Reading"): on a cached file the
		 * thread lost on every capture, and probing cost more than it
		 * found; only reads that wait for the disk gain from it. */
		return cached ? CAP_RA_USE_INLINE : CAP_RA_USE_THREAD;
	case CAP_RA_AUTO:
		break;
	}
	/* Reads that wait for the disk overlap with decoding only on a thread. */
	if (!cached)
		return CAP_RA_USE_THREAD;
	/* Too short for a measurement to pay back: the thread's start and the
	 * probe's own windows would cost more than either could save. */
	if (file_size < window * CAP_RA_SMALL_WINDOWS)
		return CAP_RA_USE_INLINE;
	bool measured = p->windows[0] && p->windows[1] && p->bytes[0] && p->bytes[1];
	/* Time per byte; the thread must win by the margin. */
	double in_line = measured ? (double)p->ns[0] / (double)p->bytes[0] : 0;
	double thread = measured ? (double)p->ns[1] / (double)p->bytes[1] : 0;
	/* A clear difference after one window each needs no second round:
	 * every window of the loser costs time. */
	if (measured && thread * 100.0 > in_line * (100.0 + CAP_RA_CLEAR_PCT))
		return CAP_RA_USE_INLINE;
	if (measured && thread * 100.0 < in_line * (100.0 - CAP_RA_CLEAR_PCT))
		return CAP_RA_USE_THREAD;
	if (p->windows[0] < CAP_RA_ROUNDS || p->windows[1] < CAP_RA_ROUNDS)
		return p->windows[0] <= p->windows[1] ? CAP_RA_PROBE_INLINE : CAP_RA_PROBE_THREAD;
	if (!measured)
		return CAP_RA_USE_INLINE;
	return thread * 100.0 < in_line * (100.0 - CAP_RA_MARGIN_PCT) ? CAP_RA_USE_THREAD
								      : CAP_RA_USE_INLINE;
}
