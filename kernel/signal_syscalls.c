/*
 * kernel/signal_syscalls.c - the signal system calls (Linux's names,
 * numbers from <arch/unistd.h>, errnos as the man pages give them) over
 * kernel/signal.h: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigreturn, pause, sigaltstack, kill, tkill, tgkill.
 *
 * Every pointer argument is a user address, copied through
 * kernel/uaccess.h (-EFAULT). The sigset_t of the rt_ calls is 8 bytes
 * on both arches; any other sigsetsize is -EINVAL, as in Linux.
 */
#include "kernel/errno.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include <arch/user.h>

static struct signal_state *my_signals(void)
{
	struct process *p = current_process();

	return p ? &p->signal : NULL;
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct k_sigaction *, uact,
		struct k_sigaction *, uoact, size_t, sigsetsize)
{
	struct signal_state *ss = my_signals();
	struct k_sigaction act, oact;
	int ret;

	if (!ss)
		return -ESRCH;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	ret = signal_do_sigaction(ss, sig, uact ? &act : NULL,
				  uoact ? &oact : NULL);
	if (ret)
		return ret;
	if (uoact && copy_to_user(uoact, &oact, sizeof(oact)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, const sigset_t *, uset,
		sigset_t *, uoset, size_t, sigsetsize)
{
	struct signal_state *ss = my_signals();
	sigset_t set, old;
	int ret;

	if (!ss)
		return -ESRCH;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	ret = signal_do_sigprocmask(ss, how, uset ? &set : NULL, &old);
	if (ret)
		return ret;
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The signals that are pending and blocked (so waiting), as Linux. */
SYSCALL_DEFINE2(rt_sigpending, sigset_t *, uset, size_t, sigsetsize)
{
	struct signal_state *ss = my_signals();
	unsigned long flags;
	sigset_t set;

	if (!ss)
		return -ESRCH;
	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	spin_lock_irqsave(&ss->lock, flags);
	set = ss->pending & ss->blocked;
	spin_unlock_irqrestore(&ss->lock, flags);
	if (copy_to_user(uset, &set, sigsetsize))
		return -EFAULT;
	return 0;
}

/* Sleep until a signal is deliverable; always -EINTR (or the process
 * dies of the signal on its way out). */
static long sleep_for_signal(void)
{
	while (!signal_pending(current)) {
		set_current_state(THREAD_SLEEPING);
		if (signal_pending(current)) {
			set_current_state(THREAD_RUNNING);
			break;
		}
		schedule();
	}
	return -EINTR;
}

/* Wait for a signal with `mask` blocked meanwhile; the old mask comes
 * back once the handler ran (exit_to_user_mode keeps it for the frame). */
SYSCALL_DEFINE2(rt_sigsuspend, const sigset_t *, umask, size_t, sigsetsize)
{
	struct signal_state *ss = my_signals();
	unsigned long flags;
	sigset_t mask;

	if (!ss)
		return -ESRCH;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	spin_lock_irqsave(&ss->lock, flags);
	ss->saved_blocked = ss->blocked;
	ss->restore_blocked = true;
	ss->blocked = mask & ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	spin_unlock_irqrestore(&ss->lock, flags);
	return sleep_for_signal();
}

/* The end of a handler: kernel/signal.c restores what the frame saved. */
SYSCALL_DEFINE0(rt_sigreturn)
{
	return signal_rt_sigreturn(task_pt_regs(current));
}

SYSCALL_DEFINE0(pause)
{
	if (!my_signals())
		return -ESRCH;
	return sleep_for_signal();
}

/* Stored and reported back; signal frames are not put on it yet (a
 * handler runs on the normal stack). */
SYSCALL_DEFINE2(sigaltstack, const struct k_stack *, uss, struct k_stack *,
		uoss)
{
	struct signal_state *ss = my_signals();
	struct k_stack new, old;
	unsigned long flags;

	if (!ss)
		return -ESRCH;
	if (uss) {
		if (copy_from_user(&new, uss, sizeof(new)))
			return -EFAULT;
		if (new.ss_flags & ~(SS_DISABLE | SS_ONSTACK))
			return -EINVAL;
		if (new.ss_flags & SS_DISABLE) {
			new.ss_sp = 0;
			new.ss_size = 0;
			new.ss_flags = SS_DISABLE;
		} else {
			if (new.ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			new.ss_flags = 0;
		}
		new.__pad = 0;
	}
	spin_lock_irqsave(&ss->lock, flags);
	old = ss->altstack;
	if (uss)
		ss->altstack = new;
	spin_unlock_irqrestore(&ss->lock, flags);
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	return kill_pid(pid, sig);
}

/* One thread per process: a thread id is its process id. */
SYSCALL_DEFINE3(tgkill, int, tgid, int, tid, int, sig)
{
	if (tgid <= 0 || tid <= 0)
		return -EINVAL;
	if (tid != tgid)
		return -ESRCH;
	return kill_pid(tid, sig);
}

SYSCALL_DEFINE2(tkill, int, tid, int, sig)
{
	if (tid <= 0)
		return -EINVAL;
	return kill_pid(tid, sig);
}
