/*
 * kernel/fork.c - fork(2), vfork(2) and clone(2) without threads (Linux:
 * kernel/fork.c). The child is a copy of the caller: its address space
 * by dup_mm (private pages shared copy-on-write), its descriptors by
 * files_dup, its registers from the caller's entry frame with a return
 * value of 0, its per-thread CPU state (FPU/SIMD, TLS) by the arch.
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/kthread.h"
#include "kernel/lib/string.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include <arch/user.h>

/* clone flags (Linux's include/uapi/linux/sched.h) */
#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_CHILD_SETTID	0x01000000

/* What a process without threads can honour. CLONE_VFORK is taken as a
 * plain fork (the parent does not wait for the child's exec). */
#define CLONE_SUPPORTED	(CSIGNAL | CLONE_VFORK | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

/* The child's first code: report its tid where the parent asked, then
 * return 0 from the parent's system call in user mode. */
static int child_thread_fn(void *arg)
{
	struct process *p = current_process();
	int tid = p->pid;

	(void)arg;
	if (p->set_child_tid &&
	    copy_to_user((void *)p->set_child_tid, &tid, sizeof(tid)))
		p->set_child_tid = 0;	/* as Linux: a bad address is ignored */
	process_enter_user();
}

/* Make the child of the current process; returns its pid or -errno. */
static long do_fork(unsigned long flags, unsigned long newsp,
		    int *parent_tid, int *child_tid)
{
	struct process *parent = current_process();
	struct process *child;
	struct thread *t;
	struct pt_regs *regs;
	long pid;

	if (!parent)
		return -EINVAL;
	if (flags & ~CLONE_SUPPORTED)
		return -EINVAL;		/* threads, namespaces, pidfds */
	child = process_alloc();
	if (!child)
		return -ENOMEM;
	child->mm = dup_mm(parent->mm);
	if (!child->mm) {
		process_free(child);
		return -ENOMEM;
	}
	if (parent->files) {
		child->files = files_dup(parent->files);
		if (!child->files) {
			mmput(child->mm);
			process_free(child);
			return -ENOMEM;
		}
	}
	signal_state_fork(&child->signal, &parent->signal);
	memcpy(child->rlim, parent->rlim, sizeof(child->rlim));
	child->umask = parent->umask;
	child->exe = parent->exe;
	child->has_exe = parent->has_exe;
	memcpy(child->exe_path, parent->exe_path, sizeof(child->exe_path));
	memcpy(child->name, parent->name, sizeof(child->name));
	if (flags & CLONE_CHILD_SETTID)
		child->set_child_tid = (unsigned long)child_tid;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = (unsigned long)child_tid;

	t = kthread_create(child_thread_fn, NULL, "%s", parent->name);
	if (!t) {
		files_put(child->files);
		mmput(child->mm);
		process_free(child);
		return -EAGAIN;
	}
	child->thread = t;
	t->proc = child;
	t->mm = child->mm;
	regs = task_pt_regs(t);
	*regs = *task_pt_regs(current);
	syscall_set_return_value(regs, 0);
	if (newsp)
		user_stack_pointer_set(regs, newsp);
	arch_copy_user_state(t, current);

	pid = process_attach(child, parent);
	if (pid < 0) {
		process_discard(child, t);
		return pid;
	}
	if ((flags & CLONE_PARENT_SETTID) && parent_tid) {
		int v = (int)pid;

		if (copy_to_user(parent_tid, &v, sizeof(v))) {
			/* Linux writes it before the child runs, ignoring
			 * a fault; so do we. */
		}
	}
	kthread_detach(t);
	wake_up_process(t);
	return pid;
}

SYSCALL_DEFINE0(fork)
{
	return do_fork(0, 0, NULL, NULL);
}

SYSCALL_DEFINE0(vfork)
{
	return do_fork(CLONE_VFORK, 0, NULL, NULL);
}

/* x86_64: (flags, newsp, parent_tid, child_tid, tls); arm64 and the
 * generic table: (flags, newsp, parent_tid, tls, child_tid). No TLS
 * (CLONE_SETTLS is refused with the threads). */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp,
		int *, parent_tid, unsigned long, a3, unsigned long, a4)
{
	int *child_tid = (int *)(ARCH_CLONE_BACKWARDS ? a4 : a3);

	return do_fork(flags, newsp, parent_tid, child_tid);
}

/* clone3 takes a struct; glibc falls back to clone on -ENOSYS. */
SYSCALL_DEFINE2(clone3, void *, uargs, size_t, size)
{
	(void)uargs;
	(void)size;
	return -ENOSYS;
}
