/*
 * The one definition of every FWPM_* GUID the headers declare, so that
 * callouts and the engine can use them without INITGUID.
 */
#define INITGUID
#include "openwfp/fwpmk.h"
