/*
 * kernel/entry.h - what the architecture's entry code calls when the CPU
 * comes into the kernel from user mode, and on the way back (Linux:
 * kernel/entry/common.c). Every function takes the user registers the
 * entry saved (struct pt_regs at the top of the kernel stack,
 * <arch/user.h>) and may change them: a system call's result, a signal
 * handler's frame.
 *
 * The order on every entry from user mode:
 *	SYSCALL / SVC		-> do_syscall(regs)
 *	page fault		-> user_page_fault(pf, regs)
 *	any other exception	-> user_exception(sig, what, regs, addr)
 *	interrupt		-> the handler, as from kernel mode
 *	then, always		-> exit_to_user_mode(regs), interrupts off
 */
#ifndef KERNEL_ENTRY_H
#define KERNEL_ENTRY_H

#include "kernel/types.h"

struct pt_regs;
struct page_fault;

/*
 * A system call, interrupts on: looks the number up in
 * arch_syscall_table (kernel/syscall.h), runs it and stores the result
 * in regs. An unknown number returns -ENOSYS and is counted
 * (syscall_unknown_show()).
 */
void do_syscall(struct pt_regs *regs);

/*
 * A page fault taken in user mode (pf->user), interrupts on: resolves it
 * through mm (do_page_fault), runs the OOM killer when no page was to be
 * had, or ends the process with a report (signal, fault address and its
 * VMA, pc and the program's symbol) when the access was not allowed.
 * Returns when the access may be retried (or the process has a fatal
 * signal pending, which exit_to_user_mode() acts on).
 */
void user_page_fault(const struct page_fault *pf, struct pt_regs *regs);

/*
 * Any other exception from user mode (undefined instruction, divide
 * error, breakpoint, alignment): `sig` is the Linux signal it raises
 * (SIGILL, SIGFPE, SIGTRAP, SIGBUS, SIGSEGV), `what` the CPU's cause in
 * words, addr the faulting address where there is one (else 0).
 */
void user_exception(int sig, const char *what, struct pt_regs *regs,
		    unsigned long addr);

/*
 * The last portable code before any return to user mode, interrupts
 * off: runs the scheduler if a switch is due and acts on pending signals
 * (a fatal one ends the process here and never returns; a caught one
 * makes the arch build a signal frame in regs). Returns with interrupts
 * off; the arch restores regs and returns to user mode.
 */
void exit_to_user_mode(struct pt_regs *regs);

#endif
