/*
 * systemd's readiness protocol (sd_notify(3)) for a service run with
 * Type=notify: "READY=1", "RELOADING=1", "STOPPING=1", "WATCHDOG=1", ...
 * sent as one datagram to the AF_UNIX socket named by $NOTIFY_SOCKET.
 * Without $NOTIFY_SOCKET (not under systemd) every call does nothing.
 * Safe from any thread.
 */
#ifndef OWFP_HOST_NOTIFY_H
#define OWFP_HOST_NOTIFY_H

#include <stdint.h>

/* Sends state (newline-separated KEY=VALUE lines). 0 when sent or when
 * there is no $NOTIFY_SOCKET; negative errno when the send failed. */
int owfp_notify(const char *state);

/* "RELOADING=1" with the MONOTONIC_USEC systemd wants beside it. */
int owfp_notify_reloading(void);

/* The watchdog interval systemd asked for (WatchdogSec=, from
 * $WATCHDOG_USEC when $WATCHDOG_PID is unset or ours) in microseconds,
 * or 0 when none is set. */
uint64_t owfp_notify_watchdog_usec(void);

/* Sends "WATCHDOG=1" when half the interval passed since the last one
 * (call it from a loop that proves the process alive, at least every
 * quarter interval); does nothing without a watchdog. */
void owfp_notify_watchdog(void);

#endif /* OWFP_HOST_NOTIFY_H */
