/*
 * arch/user.h (arm64) - user mode (EL0): the registers saved on entry
 * from EL0, and what the portable process code asks of the CPU.
 * docs/arch-boundary.md tables the same contract for every architecture.
 *
 * Every exception from EL0 (SVC, IRQ, abort) saves the user registers in
 * one struct pt_regs at the very top of the thread's kernel stack
 * (SP_EL1 is left there while the thread runs in EL0), so
 * task_pt_regs(t) always finds them. The entry code then calls the
 * portable side (kernel/entry.h): do_syscall(), user_page_fault() or
 * user_exception(), and exit_to_user_mode() last, before ERET.
 */
#ifndef ARCH_USER_H
#define ARCH_USER_H

#include "kernel/types.h"

/* The frame entry.S builds, lowest address first. Also the kernel's own
 * exception frame. */
struct pt_regs {
	uint64_t x[31];		/* x0-x30; x29 is fp, x30 is lr */
	uint64_t sp;		/* the stack pointer before the exception
				 * (from EL0: SP_EL0, written back on
				 * the way out) */
	uint64_t elr;		/* where it happened (or where to resume) */
	uint64_t spsr;		/* PSTATE at the time */
	uint64_t esr;		/* syndrome: exception class + details */
	uint64_t far;		/* faulting address, for aborts */
	uint64_t kind;		/* vector table entry, 0-15 */
	uint64_t orig_x0;	/* x0 at a system call (x0 is its result);
				 * set for SVC only */
};
_Static_assert(sizeof(struct pt_regs) == 304, "entry.S REGS_SIZE");

struct thread;

static inline unsigned long instruction_pointer(const struct pt_regs *r)
{
	return r->elr;
}

static inline unsigned long user_stack_pointer(const struct pt_regs *r)
{
	return r->sp;
}

/* clone(2) with a new stack: the child starts on it. */
static inline void user_stack_pointer_set(struct pt_regs *r, unsigned long sp)
{
	r->sp = sp;
}

/* The number is in x8, the arguments in x0-x5 (Linux's arm64 ABI). */
static inline unsigned long syscall_get_nr(const struct pt_regs *r)
{
	return r->x[8];
}

static inline void syscall_get_arguments(const struct pt_regs *r,
					  unsigned long args[6])
{
	for (int i = 0; i < 6; i++)
		args[i] = r->x[i];
}

/* The return-value register (what rt_sigreturn gives back). */
static inline long regs_return_value(const struct pt_regs *r)
{
	return (long)r->x[0];
}

static inline void syscall_set_return_value(struct pt_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

/* The frame from EL0 at the top of t's kernel stack. */
struct pt_regs *task_pt_regs(struct thread *t);

/* A fresh frame for a new program (execve): every register 0 but the
 * entry pc and the stack pointer, EL0t, interrupts unmasked. Does not
 * touch FP/SIMD or TPIDR_EL0 (arch_reset_user_state does). */
void start_thread(struct pt_regs *r, unsigned long pc,
			 unsigned long sp);

/* Leave the kernel for EL0 with the registers in r, which must be
 * task_pt_regs(current): the kernel stack is reset to just below it, the
 * SPSR sanitised (EL0t, DAIF clear). A thread that never had user state
 * gets zeroed FP/SIMD registers and TPIDR_EL0 first. Never returns. */
__attribute__((noreturn)) void arch_enter_user(struct pt_regs *r);

/* fork: give child (a new thread, not started) a copy of parent's
 * per-thread user state (q0-q31, FPSR, FPCR; TPIDR_EL0 for TLS), read
 * from the CPU when parent is current. */
void arch_copy_user_state(struct thread *child, const struct thread *parent);
/* execve: the initial FP/SIMD state (all zero, FPCR 0), TPIDR_EL0 0
 * (glibc sets it itself with msr); live at once if t is current. */
void arch_reset_user_state(struct thread *t);

/* What execve tells a program about this CPU (kernel/exec.c): the ELF
 * machine it loads, AT_HWCAP, AT_PLATFORM, and uname's machine. */
#define ELF_ARCH_MACHINE	183 /* EM_AARCH64 */
#define ELF_HWCAP		0x3UL	/* HWCAP_FP | HWCAP_ASIMD */
#define ELF_PLATFORM		"aarch64"
#define UTS_MACHINE		"aarch64"
/* clone(2)'s argument order: 1 = (flags, sp, ptid, tls, ctid) as on
 * arm64, 0 = (flags, sp, ptid, ctid, tls) as on x86_64. */
#define ARCH_CLONE_BACKWARDS	1

/*
 * Signal delivery (the `signal` part calls these from exit_to_user_mode
 * and sys_rt_sigreturn, on the current thread, r = task_pt_regs(current)).
 *
 * arch_setup_rt_frame: push Linux's arm64 rt_sigframe on the user stack:
 * just below sp (16-aligned) a frame record {x29, pc} for backtraces,
 * below it the frame: siginfo (si_signo = sig; the rest 0), then a
 * ucontext (uc_flags 0, uc_link 0, uc_stack SS_DISABLE, uc_sigmask =
 * blocked, padding to Linux's 128-byte sigset, and at offset 176 the
 * sigcontext: fault_address (FAR for an abort), x0-x30, sp, pc, pstate,
 * then in __reserved an fpsimd_context {0x46508001, 528, fpsr, fpcr,
 * q0-q31} and a {0, 0} end record). The FP/SIMD registers are read live
 * from the CPU (they stay there while the thread is in the kernel). Then
 * r runs handler(sig, &info, &uc): x0-x2, sp = the frame, x29 = the frame
 * record, x30 = restorer, pstate sanitised (EL0t, DAIF clear, NZCV kept).
 * SA_RESTORER must be in sa_flags (glibc always gives it); without it,
 * or if the stack cannot be written: -EFAULT and r is unchanged.
 *
 * arch_rt_sigreturn: from the frame at r->sp (the restorer runs with sp
 * back at it; it must be 16-aligned), restore x0-x30, sp, pc, pstate
 * (only NZCV from the frame; EL0t, interrupts on) into r, the FP/SIMD
 * registers (made live at once; the first record must be an
 * fpsimd_context of size 528, else -EFAULT) and put uc_sigmask in
 * *blocked. 0 or -EFAULT (nothing changed then but, possibly, FP/SIMD:
 * the caller kills the process). The system call's result must then be
 * r->x[0], which this restored.
 */
int arch_setup_rt_frame(struct pt_regs *r, int sig, unsigned long handler,
			unsigned long restorer, unsigned long sa_flags,
			uint64_t blocked);
long arch_rt_sigreturn(struct pt_regs *r, uint64_t *blocked);

/* The signal-return trampoline exec maps at USER_SIGPAGE ("[sigpage]"):
 * machine code that calls rt_sigreturn, and its size. */
static inline const uint8_t *arch_sigreturn_code(size_t *size)
{
	/* mov x8, #139 (__NR_rt_sigreturn); svc #0 */
	static const uint8_t code[] = { 0x68, 0x11, 0x80, 0xd2,
					0x01, 0x00, 0x00, 0xd4 };

	*size = sizeof(code);
	return code;
}

#endif
