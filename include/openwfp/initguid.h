/* Including this makes every later DEFINE_GUID a definition (see guiddef.h). */
#ifndef INITGUID
#define INITGUID
#endif
#include "guiddef.h"
