/* IoCreateSymbolicLink / IoDeleteSymbolicLink: links in the \?? directory (objdir.c). */
#include "wdm/objdir.h"

NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName)
{
	return owfp_objdir_add_link(SymbolicLinkName, DeviceName);
}

NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName)
{
	return owfp_objdir_delete_link(SymbolicLinkName);
}
