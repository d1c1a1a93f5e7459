; arch/x86_64/entry.asm - interrupt and exception entry, setjmp/longjmp.
;
; Every one of the 256 vectors gets a stub that makes the stack look the
; same (an error code, real or 0, then the vector number), saves all
; general registers into a struct pt_regs (<arch/user.h>) and calls
; x86_trap(frame). On return the registers are restored and iretq resumes.

section .text
extern x86_trap

; Vectors whose exceptions push an error code themselves.
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%assign v 0
%rep 256
isr_stub_ %+ v:
%if !HAS_ERR(v)
	push 0
%endif
	push v
	jmp isr_common
%assign v v + 1
%endrep

isr_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	cld
	mov rdi, rsp
	call x86_trap
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16				; vector and error code
	iretq

section .rodata
global isr_stub_table
align 8
isr_stub_table:
%assign v 0
%rep 256
	dq isr_stub_ %+ v
%assign v v + 1
%endrep

; int arch_setjmp(struct arch_jmp_buf *b): saves callee-saved registers,
; the stack, the return address and the flags; returns 0, or the value
; given to arch_longjmp when that resumes here.
section .text
global arch_setjmp, arch_longjmp
arch_setjmp:
	mov [rdi + 0], rbx
	mov [rdi + 8], rbp
	mov [rdi + 16], r12
	mov [rdi + 24], r13
	mov [rdi + 32], r14
	mov [rdi + 40], r15
	lea rax, [rsp + 8]			; the caller's rsp after return
	mov [rdi + 48], rax
	mov rax, [rsp]				; the return address
	mov [rdi + 56], rax
	pushfq
	pop qword [rdi + 64]
	xor eax, eax
	ret

; void arch_longjmp(struct arch_jmp_buf *b, int value) (never returns)
arch_longjmp:
	mov rbx, [rdi + 0]
	mov rbp, [rdi + 8]
	mov r12, [rdi + 16]
	mov r13, [rdi + 24]
	mov r14, [rdi + 32]
	mov r15, [rdi + 40]
	mov rsp, [rdi + 48]
	push qword [rdi + 64]
	popfq					; interrupts as they were at setjmp
	mov eax, esi
	test eax, eax
	jnz .ret
	inc eax					; longjmp(b, 0) returns 1, as in C
.ret:
	jmp [rdi + 56]

; void arch_context_switch(struct arch_context *prev, struct arch_context *next)
; Push the callee-saved registers on the old stack, save its rsp in
; prev->sp, load next->sp and pop next's registers: `ret` then returns
; into next's own call of arch_context_switch (or arch_thread_start for a
; new thread, see arch_thread_init in arch/x86_64/smp.c).
global arch_context_switch, arch_thread_start
arch_context_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, [rsi]
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; A new thread's first instruction: entry(arg) from r12 and r13.
arch_thread_start:
	mov rdi, r13
	call r12
	ud2					; entry must not return

; The application processors' first kernel instruction at the kernel's
; high address, from the trampoline (smp_trampoline.asm): rdi = CPU
; number, rsi = kernel page tables, rdx = stack top. Switch to the kernel
; page tables (the trampoline's identity map goes away) and enter C.
global x86_ap_entry64
extern x86_ap_main
x86_ap_entry64:
	mov cr3, rsi
	mov rsp, rdx
	xor ebp, ebp
	call x86_ap_main
	ud2
