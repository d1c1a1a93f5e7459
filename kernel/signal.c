/*
 * kernel/signal.c - signals, and the way back to user mode.
 *
 * SCAFFOLD: a thread that runs in user mode without a process (the arch
 * tests do this) ends with kthread_exit() when it faults. The `signal`
 * part replaces this with signals: pending sets, handlers, the fatal
 * fault report.
 */
#include "kernel/entry.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/fault.h"
#include <arch/cpu.h>
#include <arch/user.h>

void exit_to_user_mode(struct pt_regs *regs)
{
	(void)regs;
	sched_preempt_irq();
}

void user_page_fault(const struct page_fault *pf, struct pt_regs *regs)
{
	char why[64];

	if (do_page_fault(pf) == 0)
		return;
	printk("user fault: %s at %#lx, pc %#lx (thread %s)\n",
	       page_fault_reason(pf, why, sizeof(why)), pf->addr,
	       instruction_pointer(regs), current->name);
	arch_irq_enable();
	kthread_exit(-EFAULT);
}

void user_exception(int sig, const char *what, struct pt_regs *regs,
		    unsigned long addr)
{
	printk("user exception: %s (signal %d) at %#lx, pc %#lx (thread %s)\n",
	       what, sig, addr, instruction_pointer(regs), current->name);
	arch_irq_enable();
	kthread_exit(-EFAULT);
}

