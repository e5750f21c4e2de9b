/* NTSTATUS names (from include/openwfp/ntstatus.h) for messages and the configuration. */
#ifndef OWFP_CONFIG_STATUS_H
#define OWFP_CONFIG_STATUS_H

#include "openwfp/ntdef.h"

/* "STATUS_X", or "(success)"/"(unnamed NTSTATUS)" for codes without a name here. */
const char *owfp_status_name(NTSTATUS st);
/* A name (case-insensitive) or a number (0x... hex or decimal); -1 if neither. */
int owfp_status_parse(const char *s, NTSTATUS *out);

#endif
