/*
 * kernel/entry.c - the portable side of entering the kernel from user
 * mode and leaving it (kernel/entry.h).
 * The way back (exit_to_user_mode) and the fault paths are in
 * kernel/signal.c, where signals are acted on.
 */
#include "kernel/entry.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include <arch/cpu.h>
#include <arch/user.h>

extern const struct syscall_entry __start_syscalls[], __stop_syscalls[];

/* This architecture's calls by number, from the `syscalls` section. */
static const struct syscall_entry *syscall_table[NR_SYSCALLS_MAX];

/* Unknown system calls seen, by number (the last slot counts numbers
 * beyond the table). */
#define NR_UNKNOWN_SLOTS	NR_SYSCALLS_MAX
static unsigned long unknown_calls[NR_UNKNOWN_SLOTS + 1];

void syscall_init(void)
{
	unsigned int n = 0;

	for (const struct syscall_entry *e = __start_syscalls;
	     e < __stop_syscalls; e++) {
		if (e->nr == __NR_none)
			continue;	/* the other architecture's call */
		if (e->nr < 0 || e->nr >= NR_SYSCALLS_MAX)
			panic("syscall %s: number %ld beyond the table (%u)",
			      e->name, e->nr, NR_SYSCALLS_MAX);
		if (syscall_table[e->nr])
			panic("syscalls %s and %s both have number %ld",
			      syscall_table[e->nr]->name, e->name, e->nr);
		syscall_table[e->nr] = e;
		n++;
	}
	pr_info("syscall: %u system calls\n", n);
}

syscall_fn_t syscall_lookup(unsigned long nr)
{
	return nr < NR_SYSCALLS_MAX && syscall_table[nr] ?
		syscall_table[nr]->fn : NULL;
}

const char *syscall_name(unsigned long nr)
{
	return nr < NR_SYSCALLS_MAX && syscall_table[nr] ?
		syscall_table[nr]->name : "?";
}

void do_syscall(struct pt_regs *regs)
{
	unsigned long nr = syscall_get_nr(regs);
	unsigned long args[6];
	syscall_fn_t fn = syscall_lookup(nr);

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

		if (!n)
			continue;
		any = true;
		if (nr == NR_UNKNOWN_SLOTS)
			printk("  >=%u  %lu calls\n", nr, n);
		else
			printk("  %4u  %lu calls\n", nr, n);
	}
	if (!any)
		printk("  no unknown system calls\n");
}

static int cmd_syscalls(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("unknown system calls (answered -ENOSYS), by number:\n");
	syscall_unknown_show();
	return 0;
}
CONSOLE_COMMAND(syscalls, "unknown system calls programs made, by number",
		cmd_syscalls);
