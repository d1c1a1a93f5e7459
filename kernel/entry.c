/*
 * kernel/entry.c - the portable side of entering the kernel from user
 * mode and leaving it (kernel/entry.h).
 *
 * SCAFFOLD: a thread that runs in user mode without a process (the arch
 * tests do this) ends with kthread_exit() when it exits or faults. The
 * process layer (kernel/process.c, kernel/signal.c) takes over exit and
 * the fatal-fault path.
 */
#include "kernel/entry.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/fault.h"
#include <arch/cpu.h>
#include <arch/user.h>

/* Unknown system calls seen, by number (the last slot counts numbers
 * beyond the table). */
#define NR_UNKNOWN_SLOTS	512
static unsigned long unknown_calls[NR_UNKNOWN_SLOTS + 1];

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = syscall_get_nr(regs);
	unsigned long args[6];
	syscall_fn_t fn = NULL;

	if (nr < arch_nr_syscalls)
		fn = arch_syscall_table[nr];
	if (!fn) {
		__atomic_fetch_add(&unknown_calls[nr < NR_UNKNOWN_SLOTS ?
				   nr : NR_UNKNOWN_SLOTS], 1, __ATOMIC_RELAXED);
		syscall_set_return_value(regs, -ENOSYS);
		return;
	}
	syscall_get_arguments(regs, args);
	syscall_set_return_value(regs, fn(args));
}

void syscall_unknown_show(void)
{
	bool any = false;

	for (unsigned int nr = 0; nr <= NR_UNKNOWN_SLOTS; nr++) {
		unsigned long n = READ_ONCE(unknown_calls[nr]);
		const char *name = nr < arch_nr_syscalls ?
			arch_syscall_names[nr] : NULL;

		if (!n)
			continue;
		any = true;
		if (nr == NR_UNKNOWN_SLOTS)
			printk("  >=%u  %lu calls\n", nr, n);
		else
			printk("  %4u %-20s %lu calls\n", nr,
			       name ? name : "?", n);
	}
	if (!any)
		printk("  no unknown system calls\n");
}

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

/* SCAFFOLD: the process layer replaces these with process exit. */
SYSCALL_DEFINE1(exit, int, code)
{
	kthread_exit(code & 0xff);
}

SYSCALL_DEFINE1(exit_group, int, code)
{
	kthread_exit(code & 0xff);
}
