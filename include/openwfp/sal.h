/*
 * Source annotations (SAL). Windows code is full of them; here they carry
 * no meaning and expand to nothing, so annotated callouts compile as-is.
 */
#ifndef OPENWFP_SAL_H
#define OPENWFP_SAL_H

#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(n)
#define _In_reads_opt_(n)
#define _In_reads_bytes_(n)
#define _In_reads_bytes_opt_(n)
#define _Out_
#define _Out_opt_
#define _Out_writes_(n)
#define _Out_writes_opt_(n)
#define _Out_writes_bytes_(n)
#define _Out_writes_bytes_opt_(n)
#define _Out_writes_bytes_to_(n, m)
#define _Out_writes_bytes_to_opt_(n, m)
#define _Out_writes_bytes_all_(n)
#define _Inout_
#define _Inout_opt_
#define _Inout_updates_(n)
#define _Inout_updates_bytes_(n)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_result_buffer_(n)
#define _Deref_out_
#define _Deref_out_range_(a, b)
#define _Out_range_(a, b)
#define _In_range_(a, b)
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_range_(a, b)
#define _Check_return_
#define _Must_inspect_result_
#define _Success_(e)
#define _Use_decl_annotations_
#define _Function_class_(n)
#define _Dispatch_type_(n)
#define _Analysis_assume_(e)
#define _Analysis_assume_lock_held_(l)
#define _Field_size_(n)
#define _Field_size_opt_(n)
#define _Field_size_bytes_(n)
#define _Field_size_bytes_opt_(n)
#define _Field_size_part_(n, m)
#define _Field_range_(a, b)
#define _Struct_size_bytes_(n)
#define _Null_terminated_
#define _Post_invalid_
#define _Post_writable_byte_size_(n)
#define _Post_maybenull_
#define _Pre_notnull_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Printf_format_string_
#define _Reserved_
#define _Notnull_
#define _Maybenull_
#define _When_(c, a)
#define _At_(t, a)
#define _Acquires_lock_(l)
#define _Releases_lock_(l)
#define _Requires_lock_held_(l)
#define _Requires_lock_not_held_(l)
#define _Guarded_by_(l)
#define _Interlocked_
#define _Interlocked_operand_
#define _IRQL_requires_(i)
#define _IRQL_requires_max_(i)
#define _IRQL_requires_min_(i)
#define _IRQL_requires_same_
#define _IRQL_raises_(i)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(k, i)
#define _IRQL_restores_global_(k, i)
#define _IRQL_always_function_min_(i)
#define _IRQL_always_function_max_(i)
#define _IRQL_uses_cancel_
#define _Kernel_requires_resource_held_(r)
#define _Kernel_float_used_
#define _Kernel_clear_do_init_(v)

/* Pre-SAL annotations used by older samples. */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef UNALIGNED
#define UNALIGNED
#endif

#endif /* OPENWFP_SAL_H */
