/*
 * Source annotations (SAL 2, and the WDK's __drv_* driver annotations).
 * Windows code is full of them; here they carry no meaning and expand to
 * nothing, so annotated callouts compile as-is.
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

/* More SAL 2 annotations drivers use (all empty). */
#define _In_z_bytecount_(n)
#define _In_reads_z_(n)
#define _In_reads_or_z_(n)
#define _In_reads_to_ptr_(p)
#define _In_NLS_string_(n)
#define _In_opt_z_bytecount_(n)
#define _In_defensive_(a)
#define _Out_writes_z_(n)
#define _Out_writes_to_(n, m)
#define _Out_writes_to_opt_(n, m)
#define _Out_writes_all_(n)
#define _Out_writes_bytes_all_opt_(n)
#define _Out_writes_opt_z_(n)
#define _Out_z_cap_(n)
#define _Inout_z_
#define _Inout_opt_z_
#define _Inout_updates_z_(n)
#define _Inout_updates_opt_(n)
#define _Inout_updates_bytes_opt_(n)
#define _Inout_updates_all_(n)
#define _Inout_updates_bytes_all_(n)
#define _Inout_updates_to_(n, m)
#define _Outptr_opt_result_maybenull_
#define _Outptr_opt_result_buffer_(n)
#define _Outptr_result_nullonfailure_
#define _Outptr_opt_result_nullonfailure_
#define _Outptr_result_bytebuffer_(n)
#define _Outptr_result_bytebuffer_maybenull_(n)
#define _Outptr_result_buffer_maybenull_(n)
#define _Outptr_result_z_
#define _COM_Outptr_
#define _Deref_out_opt_
#define _Deref_in_range_(a, b)
#define _Deref_pre_z_
#define _Deref_post_z_
#define _Ret_z_
#define _Ret_opt_
#define _Ret_writes_(n)
#define _Ret_writes_maybenull_(n)
#define _Ret_writes_bytes_(n)
#define _Ret_writes_bytes_maybenull_(n)
#define _Ret_maybenull_z_
#define _Result_nullonfailure_
#define _Result_zeroonfailure_
#define _Return_type_success_(e)
#define _Always_(a)
#define _On_failure_(a)
#define _Pre_
#define _Post_
#define _Pre_z_
#define _Post_z_
#define _Pre_valid_
#define _Post_valid_
#define _Pre_maybenull_
#define _Pre_satisfies_(e)
#define _Post_satisfies_(e)
#define _Satisfies_(e)
#define _Post_equal_to_(e)
#define _Pre_equal_to_(e)
#define _Unchanged_(e)
#define _Pre_readable_size_(n)
#define _Pre_writable_size_(n)
#define _Pre_readable_byte_size_(n)
#define _Pre_writable_byte_size_(n)
#define _Post_readable_size_(n)
#define _Post_writable_size_(n)
#define _Post_readable_byte_size_(n)
#define _Field_z_
#define _Field_size_full_(n)
#define _Field_size_bytes_full_(n)
#define _Field_size_part_opt_(n, m)
#define _Field_size_bytes_part_(n, m)
#define _Printf_format_string_params_(n)
#define _Scanf_format_string_
#define _Literal_
#define _Notref_
#define _Points_to_data_
#define _Strict_type_match_
#define _Enum_is_bitflag_
#define _Analysis_noreturn_
#define _Analysis_mode_(m)
#define _Analysis_assume_nullterminated_(p)
#define _Maybe_raises_SEH_exception_
#define _Raises_SEH_exception_
#define _Pre_defensive_
#define _Post_defensive_
#define _Acquires_exclusive_lock_(l)
#define _Acquires_shared_lock_(l)
#define _Releases_exclusive_lock_(l)
#define _Releases_shared_lock_(l)
#define _Requires_exclusive_lock_held_(l)
#define _Requires_shared_lock_held_(l)
#define _Requires_no_locks_held_
#define _Has_lock_kind_(k)
#define _Has_lock_level_(l)
#define _Create_lock_level_(l)
#define _Lock_level_order_(a, b)
#define _Post_same_lock_(a, b)
#define _No_competing_thread_
#define _No_competing_thread_begin_
#define _No_competing_thread_end_
#define _Benign_race_begin_
#define _Benign_race_end_
#define _Write_guarded_by_(l)
#define _Function_ignore_lock_checking_(l)
#define _IRQL_is_cancel_
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_acquires_resource_(r)
#define _Kernel_releases_resource_(r)
#define _Kernel_requires_resource_not_held_(r)
#define _Kernel_IoGetDmaAdapter_
#define _Kernel_ReleaseLockAtDpcLevel_
#define _When_windows_(a)

/*
 * The older driver annotations (__drv_*), as in the WDK's driverspecs.h.
 * The SAL 1 lowercase forms (__in, __out, ...) are not defined: libstdc++
 * uses those names for its own parameters.
 */
#define __drv_functionClass(x)
#define __drv_requiresIRQL(x)
#define __drv_maxIRQL(x)
#define __drv_minIRQL(x)
#define __drv_setsIRQL(x)
#define __drv_raisesIRQL(x)
#define __drv_savesIRQL
#define __drv_restoresIRQL
#define __drv_savesIRQLGlobal(k, i)
#define __drv_restoresIRQLGlobal(k, i)
#define __drv_sameIRQL
#define __drv_maxFunctionIRQL(x)
#define __drv_minFunctionIRQL(x)
#define __drv_useCancelIRQL
#define __drv_isCancelIRQL
#define __drv_allocatesMem(x)
#define __drv_freesMem(x)
#define __drv_aliasesMem
#define __drv_when(c, a)
#define __drv_at(e, a)
#define __drv_in(a)
#define __drv_out(a)
#define __drv_in_deref(a)
#define __drv_out_deref(a)
#define __drv_arg(e, a)
#define __drv_deref(a)
#define __drv_fun(a)
#define __drv_ret(a)
#define __drv_dispatchType(x)
#define __drv_dispatchType_other
#define __drv_completionType(x)
#define __drv_acquiresResource(x)
#define __drv_releasesResource(x)
#define __drv_acquiresExclusiveResource(x)
#define __drv_releasesExclusiveResource(x)
#define __drv_acquiresResourceGlobal(k, p)
#define __drv_releasesResourceGlobal(k, p)
#define __drv_mustHold(x)
#define __drv_mustHoldGlobal(k, p)
#define __drv_neverHold(x)
#define __drv_neverHoldGlobal(k, p)
#define __drv_acquiresCriticalRegion
#define __drv_releasesCriticalRegion
#define __drv_mustHoldCriticalRegion
#define __drv_acquiresCancelSpinLock
#define __drv_releasesCancelSpinLock
#define __drv_mustHoldCancelSpinLock
#define __drv_neverHoldCancelSpinLock
#define __drv_acquiresPriorityRegion
#define __drv_releasesPriorityRegion
#define __drv_clearDoInit(x)
#define __drv_valueIs(x)
#define __drv_constant
#define __drv_nonConstant
#define __drv_strictType(t, m)
#define __drv_strictTypeMatch(m)
#define __drv_notPointer
#define __drv_isObjectPointer
#define __drv_formatString(t)
#define __drv_preferredFunction(f, r)
#define __drv_reportError(x)
#define __drv_floatUsed
#define __drv_floatSaved
#define __drv_floatRestored
#define __drv_interlocked
#define __drv_inTry
#define __drv_notInTry
#define __drv_innerMustHoldGlobal(k, p)
#define __drv_innerNeverHoldGlobal(k, p)
#define __drv_typeConst
#define __drv_typeCond
#define __drv_typeBitset
#define __drv_typeExpr
#define __drv_Mode_impl(x)
#define __drv_WDM
#define __drv_KMDF
#define __drv_NDIS
#define __drv_maxIRQL_impl(x)

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
