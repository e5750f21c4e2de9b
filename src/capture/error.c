/* Filling owfp_capture_error: where reading stopped and why. */
#include "capture/internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

void owfp_capture_error_set(owfp_capture_error *err, const char *file, int code, uint64_t record,
			    uint64_t offset, const char *fmt, ...)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->code = code;
	err->record = record;
	err->offset = offset;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	if (record == 0)
		snprintf(err->message, sizeof(err->message), "%s: file header: %s", err->file,
			 err->reason);
	else if (offset == UINT64_MAX)
		snprintf(err->message, sizeof(err->message), "%s: record %" PRIu64 ": %s",
			 err->file, record, err->reason);
	else
		snprintf(err->message, sizeof(err->message),
			 "%s: record %" PRIu64 " at offset %" PRIu64 ": %s", err->file, record,
			 offset, err->reason);
}
