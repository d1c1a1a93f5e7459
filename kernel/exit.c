/*
 * kernel/exit.c - how a process ends and how its parent learns of it:
 * exit(2), exit_group(2), wait4(2) (Linux: kernel/exit.c).
 *
 * do_exit() gives back everything but the struct process: descriptors,
 * the address space (the CPU first switches to the kernel-only table,
 * then the last reference goes), its children (to no parent: they are
 * reaped when they exit). What is left is a zombie holding the status
 * word until wait4() or process_wait() reaps it.
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/kthread.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"
#include <arch/cpu.h>

/* wait4 options (Linux's include/uapi/linux/wait.h) */
#define WNOHANG		0x00000001
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define __WNOTHREAD	0x20000000
#define __WALL		0x40000000
#define __WCLONE	0x80000000

/* struct rusage on 64-bit Linux: two timevals and 14 longs. */
#define RUSAGE_SIZE	144

/* A waiting wait4 gives up when a signal is pending for its thread. */
static bool wait_interrupted(void)
{
	return signal_pending(current);
}

/* Children of p go to no parent; those already dead are reaped now
 * (onto *reap, freed by the caller after process_lock). */
static void forget_children(struct process *p, struct list_head *reap)
{
	while (!list_empty(&p->children)) {
		struct process *c = list_first_entry(&p->children,
						     struct process, sibling);

		list_del(&c->sibling);
		c->parent = NULL;
		c->orphan = true;
		if (c->state == PROCESS_ZOMBIE) {
			process_unlink(c);
			list_add_tail(&c->all, reap);
		}
	}
}

__noreturn void do_exit(int status)
{
	struct process *p = current_process();
	struct thread *t = current;
	struct mm_struct *mm;
	struct list_head reap = LIST_HEAD_INIT(reap);
	unsigned long flags;
	bool self_reap;

	if (!p)				/* a kernel thread in user mode (tests) */
		kthread_exit(status);

	if (p->clear_child_tid) {	/* set_tid_address: a futex word */
		int zero = 0;

		(void)copy_to_user((void *)p->clear_child_tid, &zero,
				   sizeof(zero));
	}
	files_put(p->files);
	p->files = NULL;

	/* Off the address space before the last reference can free it. */
	spin_lock_irqsave(&process_lock, flags);
	mm = p->mm;
	p->mm = NULL;
	t->mm = NULL;
	arch_switch_mm(NULL);
	spin_unlock_irqrestore(&process_lock, flags);
	if (mm)
		mmput(mm);

	spin_lock_irqsave(&process_lock, flags);
	forget_children(p, &reap);
	p->exit_code = status;
	p->runtime_ns = t->runtime_ns;
	p->state = PROCESS_ZOMBIE;
	p->thread = NULL;
	t->proc = NULL;
	/* An orphan nobody waits for is reaped at once. */
	self_reap = !p->parent && p->orphan && !p->waited_for;
	if (self_reap) {
		process_unlink(p);
		list_add_tail(&p->all, &reap);
	}
	/* SIGCHLD, under process_lock so that p->parent stays valid. */
	signal_child_exited(p->parent);
	spin_unlock_irqrestore(&process_lock, flags);

	while (!list_empty(&reap)) {
		struct process *z = list_first_entry(&reap, struct process,
						     all);

		list_del(&z->all);
		process_free(z);
	}
	process_wake_waiters(NULL);
	/* The kthread is detached: the scheduler frees its stack once it
	 * has switched away for the last time. */
	kthread_exit(status);
}

/* A kernel thread running user code without a process (the arch
 * tests) ends with the exit code itself as its kthread code. */
static __noreturn void exit_with_code(int code)
{
	if (!current_process())
		kthread_exit(code & 0xff);
	do_exit((code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit, int, code)
{
	exit_with_code(code);
}

/* One thread per process: exit_group is exit. */
SYSCALL_DEFINE1(exit_group, int, code)
{
	exit_with_code(code);
}

/* Does child c match wait4's pid argument, asked by process p? */
static bool wait_matches(const struct process *p, const struct process *c,
			 int pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == -1)
		return true;
	if (pid == 0)
		return c->pgid == p->pgid;
	return c->pgid == -pid;
}

/* One look at p's children: the pid of a reaped zombie (its status in
 * *status), 0 if matching children all still run, -ECHILD if none. */
static int reap_one(struct process *p, int pid, int *status)
{
	struct process *c, *found = NULL;
	unsigned long flags;
	bool any = false;
	int r;

	spin_lock_irqsave(&process_lock, flags);
	list_for_each_entry(c, &p->children, sibling) {
		if (!wait_matches(p, c, pid))
			continue;
		any = true;
		if (c->state == PROCESS_ZOMBIE) {
			found = c;
			break;
		}
	}
	if (found) {
		*status = found->exit_code;
		r = found->pid;
		process_unlink(found);
	} else {
		r = any ? 0 : -ECHILD;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	if (found)
		process_free(found);
	return r;
}

/* wait4's work, also for tests: waits for a child of the current
 * process; returns its pid (status word in *status), 0 with WNOHANG
 * when none has exited, -ECHILD, -EINVAL, -EINTR. */
static long do_wait4(int pid, int *status, int options)
{
	struct process *p = current_process();
	struct wait_queue_entry we = { 0 };
	long r;

	if (!p)
		return -ECHILD;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WALL | __WCLONE))
		return -EINVAL;
	for (;;) {
		prepare_to_wait(&child_exit_wq, &we);
		r = reap_one(p, pid, status);
		if (r != 0 || (options & WNOHANG))
			break;
		if (wait_interrupted()) {
			r = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&child_exit_wq, &we);
	return r;
}

SYSCALL_DEFINE4(wait4, int, pid, int *, ustatus, int, options, void *,
		urusage)
{
	int status = 0;
	long r;

	if (pid == (int)0x80000000)	/* -INT_MIN has no process group */
		return -ESRCH;
	r = do_wait4(pid, &status, options);
	if (r <= 0)
		return r;
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status)))
		return -EFAULT;
	if (urusage && clear_user(urusage, RUSAGE_SIZE))
		return -EFAULT;
	return r;
}
