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
	uint64_t sp;		/* the stack pointer before the exception */
	uint64_t elr;		/* where it happened (or where to resume) */
	uint64_t spsr;		/* PSTATE at the time */
	uint64_t esr;		/* syndrome: exception class + details */
	uint64_t far;		/* faulting address, for aborts */
	uint64_t kind;		/* vector table entry, 0-15 */
	uint64_t orig_x0;	/* x0 at a system call (x0 is its result) */
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

static inline void syscall_set_return_value(struct pt_regs *r, long v)
{
	r->x[0] = (uint64_t)v;
}

/* The frame from EL0 at the top of t's kernel stack. */
struct pt_regs *task_pt_regs(struct thread *t);

/* A fresh frame for a new program (execve): every register 0 but the
 * entry pc and the stack pointer, EL0t, interrupts unmasked. */
void start_thread(struct pt_regs *r, unsigned long pc,
			 unsigned long sp);

/* Leave the kernel for EL0 with the registers in r, which must be
 * task_pt_regs(current): the kernel stack is reset to just below it.
 * Never returns. */
__attribute__((noreturn)) void arch_enter_user(struct pt_regs *r);

/* fork: give child (a new thread, not started) a copy of parent's
 * per-thread user state (FP/SIMD registers, TPIDR_EL0 for TLS). */
void arch_copy_user_state(struct thread *child, const struct thread *parent);
/* execve: the initial FP/SIMD state, no TLS. */
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

#endif
