; arch/x86_64/entry.asm - interrupt and exception entry, setjmp/longjmp.
;
; Every one of the 256 vectors gets a stub that makes the stack look the
; same (an error code, real or 0, then the vector number), saves all
; general registers into a struct pt_regs (<arch/user.h>) and calls
; x86_trap(frame). On return the registers are restored and iretq resumes.
;
; From user mode (CPL 3 in the saved CS) the stubs also swap GS: in the
; kernel GS base is this CPU's block (struct x86_cpu_local), in user mode
; it is the program's, and swapgs exchanges it with MSR_KERNEL_GS_BASE.
; The CPU switched to the thread's kernel stack (TSS.rsp0), so the frame
; is the struct pt_regs at the top of it (task_pt_regs).
;
; SYSCALL (x86_syscall_entry) builds the same frame by hand: the CPU
; leaves the user rip in rcx and rflags in r11 and does not switch stacks.

section .text
extern x86_trap, do_syscall, exit_to_user_mode, x86_sysret_ok
extern x86_have_smap

; struct x86_cpu_local offsets (arch/cpu.h; checked in arch/x86_64/process.c)
%define CPU_KERNEL_STACK	24
%define CPU_USER_RSP		32
; Selectors (arch/x86_64/trap.c's GDT)
%define USER_DS			0x23
%define USER_CS			0x2b
; The pt_regs offsets of what the CPU pushes
%define REGS_RIP		(17 * 8)
%define REGS_CS			(18 * 8)
%define SYSCALL_VECTOR		0x100		; pt_regs.vector of a SYSCALL frame

%macro PUSH_REGS 0
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
%endmacro

%macro POP_REGS 0
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
%endmacro

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
	test byte [rsp + 24], 3			; the saved CS: from user mode?
	jz .kernel
	swapgs
.kernel:
	PUSH_REGS
	cld
	cmp byte [rel x86_have_smap], 0		; a fault inside a user copy
	je .ac_clear				; has EFLAGS.AC set: the handler
	clac					; runs without (iretq restores it)
.ac_clear:
	mov rdi, rsp
	call x86_trap
	POP_REGS
	add rsp, 16				; vector and error code
	test byte [rsp + 8], 3			; back to user mode?
	jz .iret
	swapgs
.iret:
	iretq

; The SYSCALL instruction lands here (MSR_LSTAR): interrupts off (FMASK),
; still on the user stack, user GS. Build a struct pt_regs at the top of
; the thread's kernel stack, run the call with interrupts on, then leave
; by SYSRET when the frame is still a plain return to the next instruction
; (x86_sysret_ok), else by IRETQ, which restores every register the
; frame holds (execve and signal delivery rewrite it).
global x86_syscall_entry
x86_syscall_entry:
	swapgs
	mov [gs:CPU_USER_RSP], rsp
	mov rsp, [gs:CPU_KERNEL_STACK]
	push USER_DS				; ss
	push qword [gs:CPU_USER_RSP]		; rsp
	push r11				; rflags
	push USER_CS				; cs
	push rcx				; rip
	push 0					; error
	push SYSCALL_VECTOR			; vector
	PUSH_REGS
	xor ebp, ebp				; backtraces end here
	mov rdi, rsp
	sti
	call do_syscall
	cli
	mov rdi, rsp
	call exit_to_user_mode
	mov rdi, rsp
	call x86_sysret_ok
	test eax, eax
	jz x86_ret_to_user_iret
	POP_REGS				; rcx = rip, r11 = rflags
	mov rsp, [rsp + 16 + 24]		; the user rsp
	swapgs
	o64 sysret

; Resume user mode from the struct pt_regs at rsp (interrupts off).
global x86_ret_to_user_iret
x86_ret_to_user_iret:
	POP_REGS
	add rsp, 16
	swapgs
	iretq

; void x86_enter_user(struct pt_regs *regs): interrupts off, the kernel
; stack reset to the frame (everything below it is abandoned).
global x86_enter_user
x86_enter_user:
	cli
	mov rsp, rdi
	jmp x86_ret_to_user_iret

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

; void x86_switch_stacks(struct arch_context *prev, struct arch_context *next)
; Push the callee-saved registers on the old stack, save its rsp in
; prev->sp, load next->sp and pop next's registers: `ret` then returns
; into next's own call of x86_switch_stacks (or arch_thread_start for a
; new thread, see arch_thread_init in arch/x86_64/smp.c). The rest of a
; switch (FPU, FS base, TSS.rsp0) is arch_context_switch's, process.c.
global x86_switch_stacks, arch_thread_start
x86_switch_stacks:
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
