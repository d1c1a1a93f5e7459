/*
 * arch/user.h (x86_64) - user mode: the registers saved on entry from
 * ring 3, and what the portable process code asks of the CPU.
 * docs/arch-boundary.md tables the same contract for every architecture.
 *
 * Every entry into the kernel from user mode (SYSCALL, an interrupt, an
 * exception) saves the user registers in one struct pt_regs at the
 * very top of the thread's kernel stack (TSS.rsp0 points there), so
 * task_pt_regs(t) always finds them. The entry code then calls the
 * portable side (kernel/entry.h): do_syscall(), user_page_fault() or
 * user_exception(), and exit_to_user_mode() last, before SYSRET/IRETQ.
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include "kernel/types.h"

/* The frame the interrupt stubs and the SYSCALL entry build (entry.asm),
 * lowest address first. Also the kernel's own trap frame. */
struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

struct thread;

static inline unsigned long instruction_pointer(const struct pt_regs *r)
{
	return r->rip;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *r)
{
	return r->rsp;
}

/* clone(2) with a new stack: the child starts on it. */
static inline void user_stack_pointer_set(struct pt_regs *r, unsigned long sp)
{
	r->rsp = sp;
}

/* The system-call number and its six arguments (rdi, rsi, rdx, r10, r8,
 * r9: Linux's x86_64 convention; rax holds the number). */
static inline unsigned long syscall_get_nr(const struct pt_regs *r)
{
	return r->rax;
}

static inline void syscall_get_arguments(const struct pt_regs *r,
					  unsigned long args[6])
{
	args[0] = r->rdi;
	args[1] = r->rsi;
	args[2] = r->rdx;
	args[3] = r->r10;
	args[4] = r->r8;
	args[5] = r->r9;
}

/* The return-value register (what rt_sigreturn gives back). */
static inline long regs_return_value(const struct pt_regs *r)
{
	return (long)r->rax;
}

static inline void syscall_set_return_value(struct pt_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

/* The frame from user mode at the top of t's kernel stack. */
struct pt_regs *task_pt_regs(struct thread *t);

/* A fresh frame for a new program (execve): every register 0 but the
 * entry pc and the stack pointer, ring 3, interrupts on. */
void start_thread(struct pt_regs *r, unsigned long pc,
			 unsigned long sp);

/* Leave the kernel for user mode with the registers in r, which must be
 * task_pt_regs(current): the kernel stack is reset to just below it.
 * Interrupts may be on or off. Never returns. */
__attribute__((noreturn)) void arch_enter_user(struct pt_regs *r);

/* fork: give child (a new thread, not started) a copy of parent's
 * per-thread user state (FPU/SSE registers, FS base for TLS). */
void arch_copy_user_state(struct thread *child, const struct thread *parent);
/* execve: the initial FPU state, no TLS. */
void arch_reset_user_state(struct thread *t);

/* What execve tells a program about this CPU (kernel/exec.c): the ELF
 * machine it loads, AT_HWCAP, AT_PLATFORM, and uname's machine. */
#define ELF_ARCH_MACHINE	62 /* EM_X86_64 */
#define ELF_HWCAP		0UL	/* glibc reads CPUID itself */
#define ELF_PLATFORM		"x86_64"
#define UTS_MACHINE		"x86_64"
/* clone(2)'s argument order: 1 = (flags, sp, ptid, tls, ctid) as on
 * arm64, 0 = (flags, sp, ptid, ctid, tls) as on x86_64. */
#define ARCH_CLONE_BACKWARDS	0

/*
 * Signal delivery (the `signal` part calls these from exit_to_user_mode,
 * on the current thread, with r = task_pt_regs(current)).
 *
 * arch_setup_rt_frame: push Linux's x86_64 rt_sigframe on the user stack
 * (below the 128-byte red zone): pretcode (= restorer, where the
 * handler's `ret` goes: it calls rt_sigreturn), a ucontext (uc_flags,
 * uc_link, uc_stack, the sigcontext with every register, rflags, the
 * segments, trapno/err/cr2 and a pointer to the 512-byte FXSAVE image
 * saved just above, then uc_sigmask = blocked) and a siginfo (si_signo
 * = sig; the rest 0). Then r runs handler(sig, &info, &uc): rdi, rsi,
 * rdx, rsp 16-byte aligned minus 8 (as after a call), TF and DF clear.
 * SA_RESTORER must be in sa_flags (as every x86_64 libc does); without
 * it, or if the stack cannot be written: -EFAULT and r is unchanged.
 *
 * arch_rt_sigreturn: from the frame at r->rsp - 8 (the handler's `ret`
 * popped pretcode), restore every register into r (user cs/ss, only the
 * user-changeable rflags bits), the FPU registers (MXCSR's reserved bits
 * dropped) and put uc_sigmask in *blocked. 0 or -EFAULT (r may then be
 * half restored: the caller kills the process). The system call's result
 * must then be r->rax, which this restored.
 */
int arch_setup_rt_frame(struct pt_regs *r, int sig, unsigned long handler,
			unsigned long restorer, unsigned long sa_flags,
			uint64_t blocked);
long arch_rt_sigreturn(struct pt_regs *r, uint64_t *blocked);

/* The signal-return trampoline exec maps at USER_SIGPAGE ("[sigpage]"):
 * machine code that calls rt_sigreturn, and its size. */
static inline const uint8_t *arch_sigreturn_code(size_t *size)
{
	/* mov $15, %eax (__NR_rt_sigreturn); syscall */
	static const uint8_t code[] = { 0xb8, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05 };

	*size = sizeof(code);
	return code;
}

#endif
