/* A one-line progress bar, redrawn at most ten times a second. */
#include "replay/progress.h"

#include <string.h>
#include <time.h>

static uint64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void human(char *out, size_t len, double v)
{
	const char *units[] = {"B", "KB", "MB", "GB", "TB"};
	int u = 0;
	while (v >= 1000.0 && u < 4) {
		v /= 1000.0;
		u++;
	}
	snprintf(out, len, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

void owfp_progress_start(owfp_progress *p, FILE *out, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->name = name;
	p->start_ms = mono_ms();
}

void owfp_progress_update(owfp_progress *p, uint64_t done, uint64_t total)
{
	if (!p->out)
		return;
	uint64_t now = mono_ms();
	if (p->drawn && now - p->last_ms < 100)
		return;
	p->last_ms = now;
	double secs = (double)(now - p->start_ms) / 1000.0;
	double rate = secs > 0 ? (double)done / secs : 0;
	char d[32], t[32], r[32];
	human(d, sizeof(d), (double)done);
	human(r, sizeof(r), rate);
	if (total) {
		int width = 30, fill = (int)((double)done / (double)total * width);
		char bar[31];
		if (fill > width)
			fill = width;
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(width - fill));
		bar[width] = 0;
		human(t, sizeof(t), (double)total);
		double eta = rate > 0 && total > done ? (double)(total - done) / rate : 0;
		fprintf(p->out, "\r[%s] %3.0f%% %s / %s  %s/s  ETA %.0fs ", bar,
			100.0 * (double)done / (double)total, d, t, r, eta);
	} else {
		fprintf(p->out, "\r%s read  %s/s ", d, r);
	}
	fflush(p->out);
	p->drawn = true;
}

void owfp_progress_clear(owfp_progress *p)
{
	if (p->out && p->drawn) {
		fprintf(p->out, "\r\033[K");
		fflush(p->out);
		p->drawn = false;
	}
}

void owfp_progress_finish(owfp_progress *p)
{
	owfp_progress_clear(p);
	p->out = NULL;
}
