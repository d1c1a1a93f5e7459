; arch/x86_64/uaccess.asm - copying to and from user memory (the
; contract: kernel/uaccess.h). Each routine has exactly one instruction
; that may fault on a user address, and an __ex_table entry {insn, fixup} for it
; (kernel/extable.h): the page-fault handler resumes at the fixup when
; the fault cannot be resolved. `rep movsb` faults with rcx = the bytes
; not yet copied, which is what the routines return.
;
; SMAP (CR4.SMAP): with EFLAGS.AC clear the kernel cannot read or write
; user pages; STAC/CLAC set and clear AC around the copy. They are #UD on
; a CPU without SMAP, hence the test of x86_have_smap (trap.c).

section .text
extern x86_have_smap

; EXTABLE insn, fixup: one exception-table entry (absolute addresses).
%macro EXTABLE 2
section __ex_table align=8
	dq %1, %2
section .text
%endmacro

%macro STAC 0
	cmp byte [rel x86_have_smap], 0
	je %%no
	stac
%%no:
%endmacro

%macro CLAC 0
	cmp byte [rel x86_have_smap], 0
	je %%no
	clac
%%no:
%endmacro

; size_t arch_copy_from_user(void *to, const void *from, size_t n)
; size_t arch_copy_to_user(void *to, const void *from, size_t n)
global arch_copy_from_user, arch_copy_to_user
arch_copy_from_user:
arch_copy_to_user:
	mov rcx, rdx
	STAC
.copy:
	rep movsb
	EXTABLE .copy, .done
.done:
	CLAC
	mov rax, rcx
	ret

; size_t arch_clear_user(void *to, size_t n)
global arch_clear_user
arch_clear_user:
	mov rcx, rsi
	xor eax, eax
	STAC
.zero:
	rep stosb
	EXTABLE .zero, .done
.done:
	CLAC
	mov rax, rcx
	ret

; long x86_read_nostac(const void *p, uint64_t *val): for the tests, a
; kernel load from p WITHOUT stac: 0, or -EFAULT (-14) when it faulted.
; With SMAP on, a user address always faults here.
global x86_read_nostac
x86_read_nostac:
.load:
	mov rax, [rdi]
	EXTABLE .load, .fault
	mov [rsi], rax
	xor eax, eax
	ret
.fault:
	mov rax, -14
	ret
