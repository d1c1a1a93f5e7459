; arch/x86_64/uaccess.asm - copying to and from user memory (the
; contract: kernel/uaccess.h). Every instruction that may fault on a user
; address has an __ex_table entry {insn, fixup} (kernel/extable.h): the
; page-fault handler resumes at the fixup when the fault cannot be
; resolved. A `rep` string instruction faults with rsi/rdi at the element
; that faulted and rcx = the elements not yet moved.
;
; The bulk moves in quadwords (`rep movsq`), the last n % 8 bytes with
; `rep movsb`. Real CPUs with ERMS move bytes just as fast (Linux uses
; `rep movsb` there), but QEMU's TCG runs a rep instruction one element
; per iteration of a translated loop, so quadwords do 8x fewer: that is
; what a warm read(2) of the page cache costs here. A quadword that
; faults is redone byte by byte, so the count returned stays exact.
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
	shr rcx, 3			; quadwords
	and edx, 7			; then bytes
	STAC
.copyq:
	rep movsq
	EXTABLE .copyq, .redo
	mov rcx, rdx
.copyb:
	rep movsb
	EXTABLE .copyb, .done
.done:
	CLAC
	mov rax, rcx
	ret
.redo:					; from the quadword that faulted
	lea rcx, [rdx + rcx * 8]
	jmp .copyb

; size_t arch_clear_user(void *to, size_t n)
global arch_clear_user
arch_clear_user:
	mov rcx, rsi
	shr rcx, 3
	and esi, 7
	xor eax, eax
	STAC
.zeroq:
	rep stosq
	EXTABLE .zeroq, .redo
	mov rcx, rsi
.zerob:
	rep stosb
	EXTABLE .zerob, .done
.done:
	CLAC
	mov rax, rcx
	ret
.redo:
	lea rcx, [rsi + rcx * 8]
	jmp .zerob

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
