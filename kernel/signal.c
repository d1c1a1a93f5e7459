/*
 * kernel/signal.c - signals (kernel/signal.h), and the way back to user
 * mode: exit_to_user_mode() delivers them, user_page_fault() and
 * user_exception() turn a forbidden access into one, with a report.
 *
 * The signal system calls are in kernel/signal_syscalls.c.
 */
#include "kernel/signal.h"
#include "kernel/entry.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/oom.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "mm/fault.h"
#include "mm/mm.h"
#include <arch/cpu.h>
#include <arch/user.h>

/* Never blocked, never caught, never ignored on request. */
#define SIG_UNCATCHABLE	(sigmask(SIGKILL) | sigmask(SIGSTOP))
#define ALL_SIGNALS	(~0ULL)		/* _NSIG == 64 */

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/* ------------------------------------------------------------ the state */

void signal_state_init(struct signal_state *ss)
{
	memset(ss, 0, sizeof(*ss));
	spin_lock_init(&ss->lock, "signal");
	ss->altstack.ss_flags = SS_DISABLE;
}

void signal_state_fork(struct signal_state *child, struct signal_state *parent)
{
	unsigned long flags;

	signal_state_init(child);
	spin_lock_irqsave(&parent->lock, flags);
	memcpy(child->action, parent->action, sizeof(child->action));
	child->blocked = parent->blocked;
	child->altstack = parent->altstack;
	spin_unlock_irqrestore(&parent->lock, flags);
}

void signal_state_exec(struct signal_state *ss)
{
	unsigned long flags;

	spin_lock_irqsave(&ss->lock, flags);
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &ss->action[i];

		if (ka->handler != SIG_IGN)
			memset(ka, 0, sizeof(*ka));
	}
	ss->altstack = (struct k_stack){ .ss_flags = SS_DISABLE };
	spin_unlock_irqrestore(&ss->lock, flags);
}

enum sig_default sig_default_action(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGURG: case SIGWINCH:
		return SIG_DFL_IGN;
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return SIG_DFL_STOP;
	case SIGCONT:
		return SIG_DFL_CONT;
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
	case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
		return SIG_DFL_CORE;
	default:
		return SIG_DFL_TERM;	/* the rest of 1..31 and all RT */
	}
}

static bool default_is_fatal(int sig)
{
	enum sig_default d = sig_default_action(sig);

	return d == SIG_DFL_TERM || d == SIG_DFL_CORE;
}

/* Delivering sig would do nothing at all. Caller holds ss->lock. */
static bool sig_ignored(const struct signal_state *ss, int sig)
{
	unsigned long h = ss->action[sig - 1].handler;

	if (sig == SIGKILL)
		return false;
	return h == SIG_IGN || (h == SIG_DFL && !default_is_fatal(sig));
}

int signal_do_sigaction(struct signal_state *ss, int sig,
			const struct k_sigaction *act, struct k_sigaction *oact)
{
	unsigned long flags;

	if (!valid_signal(sig) || (act && (sigmask(sig) & SIG_UNCATCHABLE)))
		return -EINVAL;
	spin_lock_irqsave(&ss->lock, flags);
	if (oact)
		*oact = ss->action[sig - 1];
	if (act) {
		struct k_sigaction *ka = &ss->action[sig - 1];

		*ka = *act;
		ka->mask &= ~SIG_UNCATCHABLE;
		/* POSIX: setting a pending signal to be ignored discards it,
		 * blocked or not. */
		if (sig_ignored(ss, sig))
			ss->pending &= ~sigmask(sig);
	}
	spin_unlock_irqrestore(&ss->lock, flags);
	return 0;
}

int signal_do_sigprocmask(struct signal_state *ss, int how,
			  const sigset_t *set, sigset_t *oldset)
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&ss->lock, flags);
	if (oldset)
		*oldset = ss->blocked;
	if (set) {
		switch (how) {
		case SIG_BLOCK:
			ss->blocked |= *set;
			break;
		case SIG_UNBLOCK:
			ss->blocked &= ~*set;
			break;
		case SIG_SETMASK:
			ss->blocked = *set;
			break;
		default:
			ret = -EINVAL;
		}
		ss->blocked &= ~SIG_UNCATCHABLE;
	} else if (how < SIG_BLOCK || how > SIG_SETMASK) {
		ret = -EINVAL;		/* Linux checks how even without set */
	}
	spin_unlock_irqrestore(&ss->lock, flags);
	return ret;
}

/* Caller holds ss->lock. */
static bool __signal_send(struct signal_state *ss, int sig)
{
	/* A blocked signal is kept even if ignored now: the disposition may
	 * change before it is unblocked (Linux's sig_ignored()). */
	if (!(ss->blocked & sigmask(sig)) && sig_ignored(ss, sig))
		return false;
	ss->pending |= sigmask(sig);
	return true;
}

bool signal_state_send(struct signal_state *ss, int sig)
{
	unsigned long flags;
	bool queued;

	spin_lock_irqsave(&ss->lock, flags);
	queued = __signal_send(ss, sig);
	spin_unlock_irqrestore(&ss->lock, flags);
	return queued;
}

/* Caller holds ss->lock. */
static sigset_t deliverable(const struct signal_state *ss)
{
	return ss->pending & ~ss->blocked;
}

int signal_state_dequeue(struct signal_state *ss, struct k_sigaction *ka)
{
	unsigned long flags;
	sigset_t ready;
	int sig = 0;

	spin_lock_irqsave(&ss->lock, flags);
	ready = deliverable(ss);
	if (ready) {
		sig = __builtin_ctzll(ready) + 1;
		ss->pending &= ~sigmask(sig);
		*ka = ss->action[sig - 1];
		if (ka->handler > SIG_IGN && (ka->flags & SA_RESETHAND))
			ss->action[sig - 1].handler = SIG_DFL;
	}
	spin_unlock_irqrestore(&ss->lock, flags);
	return sig;
}

static const char *const sig_names[32] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",
	[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF",
	[SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

const char *signal_name(int sig, char *buf, size_t size)
{
	if (sig > 0 && sig < 32)
		return sig_names[sig];
	ksnprintf(buf, size, "signal %d", sig);
	return buf;
}

int signal_from_name(const char *name)
{
	uint64_t n;

	if (parse_u64(name, &n, false))
		return n >= 1 && n <= _NSIG ? (int)n : 0;
	for (int sig = 1; sig < 32; sig++)
		if (!strcmp(name, sig_names[sig]) ||
		    !strcmp(name, sig_names[sig] + 3))
			return sig;
	return 0;
}

/* ------------------------------------------------------------ processes */

int send_signal(struct process *p, int sig)
{
	struct signal_state *ss = &p->signal;
	unsigned long flags;
	bool wake;

	if (sig == 0)
		return 0;
	if (!valid_signal(sig))
		return -EINVAL;
	spin_lock_irqsave(&ss->lock, flags);
	wake = __signal_send(ss, sig) &&
	       (deliverable(ss) & sigmask(sig));
	if (sig == SIGKILL && !ss->group_exit_sig)
		ss->group_exit_sig = SIGKILL;
	spin_unlock_irqrestore(&ss->lock, flags);
	/* A sleeping system call checks signal_pending() when it wakes and
	 * gives up with -EINTR; every sleep in the kernel loops on its
	 * condition, so waking one that does not check is harmless. */
	if (wake && p->thread)
		wake_up_process(p->thread);
	return 0;
}

/* Does p match kill(2)'s pid <= 0 forms, sent by `me` (NULL: the
 * kernel)? 0: my process group; -1: every process but me; < -1: the
 * group -pid. */
static bool kill_group_matches(const struct process *p,
			       const struct process *me, int pid)
{
	if (pid == -1)
		return p != me;
	if (pid == 0)
		return !me || p->pgid == me->pgid;
	return p->pgid == -pid;
}

int kill_pid(int pid, int sig)
{
	struct process *me = current ? current->proc : NULL;
	struct process *p;
	unsigned long flags;
	int ret = -ESRCH;

	if (sig != 0 && !valid_signal(sig))
		return -EINVAL;
	if (pid == (int)0x80000000)	/* -INT_MIN names no group */
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	if (pid > 0) {
		p = find_process_by_pid(pid);
		if (p)
			ret = send_signal(p, sig);
	} else {
		for_each_process(p) {
			if (!kill_group_matches(p, me, pid))
				continue;
			ret = send_signal(p, sig);
		}
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return ret;
}

bool signal_pending(struct thread *t)
{
	struct process *p = t->proc;

	return p && (READ_ONCE(p->signal.pending) &
		     ~READ_ONCE(p->signal.blocked));
}

bool fatal_signal_pending(struct thread *t)
{
	struct process *p = t->proc;

	return p && (READ_ONCE(p->signal.group_exit_sig) ||
		     (READ_ONCE(p->signal.pending) & sigmask(SIGKILL)));
}

void signal_child_exited(struct process *parent)
{
	if (parent)
		send_signal(parent, SIGCHLD);
}

void signal_exec_reset(struct process *p)
{
	signal_state_exec(&p->signal);
}

/* ------------------------------------------------------------- delivery */

/* End the current process because of sig. Interrupts on. */
static __noreturn void do_signal_exit(int sig)
{
	do_exit(signal_exit_status(sig));
}

/*
 * Build the frame that runs ka's handler for sig on the way out (the
 * arch's rt_sigframe, <arch/user.h>). 0, or a negative errno when the
 * frame could not be written (the process is then killed with SIGSEGV,
 * as Linux does). Called with interrupts off; the frame is written with
 * them on, since writing the user stack may fault pages in (and the fault
 * path may send TLB-flush IPIs).
 */
static int setup_rt_frame(struct pt_regs *regs, int sig,
			  const struct k_sigaction *ka, sigset_t saved)
{
	unsigned long restorer = ka->restorer, flags = ka->flags;
	int ret;

	if (!(flags & SA_RESTORER)) {
		/* No restorer given (glibc on arm64): exec's trampoline. */
		restorer = USER_SIGPAGE;
		flags |= SA_RESTORER;
	}
	arch_irq_enable();
	ret = arch_setup_rt_frame(regs, sig, ka->handler, restorer, flags,
				  saved);
	arch_irq_disable();
	return ret;
}

/*
 * rt_sigreturn: the handler returned (through its restorer, which makes
 * this call); put back the registers and the mask the frame saved. A
 * frame that cannot be read or is not one we built kills the process
 * with SIGSEGV. Returns the restored return-value register, so that
 * do_syscall()'s store of the result leaves it as it was.
 */
long signal_rt_sigreturn(struct pt_regs *regs)
{
	struct process *p = current_process();
	unsigned long flags;
	uint64_t blocked;

	if (!p)
		return -ENOSYS;
	if (arch_rt_sigreturn(regs, &blocked) != 0) {
		printk("%s[%d]: killed by SIGSEGV: bad signal frame at sp 0x%lx\n",
		       p->name, p->pid, user_stack_pointer(regs));
		spin_lock_irqsave(&p->signal.lock, flags);
		if (!p->signal.group_exit_sig)
			p->signal.group_exit_sig = SIGSEGV;
		spin_unlock_irqrestore(&p->signal.lock, flags);
		do_signal_exit(SIGSEGV);
	}
	spin_lock_irqsave(&p->signal.lock, flags);
	p->signal.blocked = blocked & ~SIG_UNCATCHABLE;
	spin_unlock_irqrestore(&p->signal.lock, flags);
	return regs_return_value(regs);
}

/* Act on one pending signal, if any. Interrupts off. Returns true when
 * there may be more to do. */
static bool do_signal(struct pt_regs *regs, struct process *p)
{
	struct signal_state *ss = &p->signal;
	struct k_sigaction ka;
	unsigned long flags;
	int sig = signal_state_dequeue(ss, &ka);
	sigset_t saved;

	if (!sig) {
		/* rt_sigsuspend's mask lasts until a handler ran or until
		 * it returns to user mode with none to run. */
		spin_lock_irqsave(&ss->lock, flags);
		if (ss->restore_blocked) {
			ss->blocked = ss->saved_blocked;
			ss->restore_blocked = false;
		}
		spin_unlock_irqrestore(&ss->lock, flags);
		return false;
	}
	if (ka.handler == SIG_IGN)
		return true;
	if (ka.handler == SIG_DFL) {
		if (!default_is_fatal(sig))
			return true;	/* ignore, stop and continue alike */
		goto fatal;
	}
	spin_lock_irqsave(&ss->lock, flags);
	saved = ss->restore_blocked ? ss->saved_blocked : ss->blocked;
	ss->restore_blocked = false;
	spin_unlock_irqrestore(&ss->lock, flags);
	if (setup_rt_frame(regs, sig, &ka, saved) == 0) {
		spin_lock_irqsave(&ss->lock, flags);
		ss->blocked |= ka.mask;
		if (!(ka.flags & SA_NODEFER))
			ss->blocked |= sigmask(sig);
		ss->blocked &= ~SIG_UNCATCHABLE;
		spin_unlock_irqrestore(&ss->lock, flags);
		return false;		/* one handler per return */
	}
	spin_lock_irqsave(&ss->lock, flags);
	ss->blocked = saved;
	spin_unlock_irqrestore(&ss->lock, flags);
	{
		char sb[16];

		printk("%s[%d]: killed by SIGSEGV: no signal frame for %s "
		       "(handler 0x%lx, sp 0x%lx)\n", p->name, p->pid,
		       signal_name(sig, sb, sizeof(sb)), ka.handler,
		       user_stack_pointer(regs));
	}
	sig = SIGSEGV;
fatal:
	spin_lock_irqsave(&ss->lock, flags);
	if (!ss->group_exit_sig || ss->group_exit_sig == SIGKILL)
		ss->group_exit_sig = sig;
	spin_unlock_irqrestore(&ss->lock, flags);
	arch_irq_enable();
	do_signal_exit(sig);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	struct process *p;

	for (;;) {
		sched_preempt_irq();
		p = current->proc;
		if (!p || !do_signal(regs, p))
			return;
	}
}

/* -------------------------------------------------------- fatal faults */

/*
 * Decide what a fault's signal does. If the process has a handler for it
 * (not blocked), it is delivered like any signal: returns false, no
 * report. Otherwise (SIG_DFL, ignored or blocked, which Linux's
 * force_sig overrides) the process is to die of it: the signal becomes
 * its fatal signal and true is returned so the caller prints the report;
 * exit_to_user_mode() then ends the process.
 */
static bool force_sig_fault(struct process *p, int sig)
{
	struct signal_state *ss = &p->signal;
	unsigned long flags;
	bool fatal;

	spin_lock_irqsave(&ss->lock, flags);
	fatal = ss->action[sig - 1].handler <= SIG_IGN ||
		(ss->blocked & sigmask(sig));
	if (fatal) {
		ss->action[sig - 1].handler = SIG_DFL;
		ss->blocked &= ~sigmask(sig);
		if (!ss->group_exit_sig)
			ss->group_exit_sig = sig;
	}
	ss->pending |= sigmask(sig);
	spin_unlock_irqrestore(&ss->lock, flags);
	return fatal;
}

/*
 * The report of a process killed by a fault: what, where in its address
 * space, where in its program (docs/console.md, "When a program is
 * killed"; the words are stable, tests match them):
 *   faulttest[12]: killed by SIGSEGV: write to a read-only page at 0x400000
 *     address 0x400000: 00400000-00401000 r-xp 00000000 00:00 0 /bin/faulttest
 *     pc 0x401136 <write_readonly+0x16> in /bin/faulttest, sp 0x7ffffffde8a0
 */
static void fault_report(struct process *p, int sig, const char *what,
			 unsigned long addr, bool has_addr,
			 struct pt_regs *regs)
{
	char sb[16], vma[128], sym[96];
	unsigned long pc = instruction_pointer(regs);
	const char *fn = process_symbolize(p, pc, sym, sizeof(sym));
	const char *prog = p->has_exe ? p->exe_path : p->name;

	if (has_addr)
		printk("%s[%d]: killed by %s: %s at 0x%lx\n", p->name, p->pid,
		       signal_name(sig, sb, sizeof(sb)), what, addr);
	else
		printk("%s[%d]: killed by %s: %s\n", p->name, p->pid,
		       signal_name(sig, sb, sizeof(sb)), what);
	if (has_addr && p->mm)
		printk("  address 0x%lx: %s\n", addr,
		       describe_vma(p->mm, addr, vma, sizeof(vma)));
	if (fn)
		printk("  pc 0x%lx <%s> in %s, sp 0x%lx\n", pc, fn, prog,
		       user_stack_pointer(regs));
	else
		printk("  pc 0x%lx in %s, sp 0x%lx\n", pc, prog,
		       user_stack_pointer(regs));
}

/* A thread in user mode without a process (the arch tests make them):
 * no signals to send, it just ends. */
static __noreturn void orphan_thread_fault(const char *what, unsigned long addr,
					   struct pt_regs *regs)
{
	printk("user fault: %s at %#lx, pc %#lx (thread %s)\n", what, addr,
	       instruction_pointer(regs), current->name);
	arch_irq_enable();
	kthread_exit(-EFAULT);
}

void user_page_fault(const struct page_fault *pf, struct pt_regs *regs)
{
	struct process *p = current->proc;
	char why[64];
	int ret = do_page_fault(pf);

	if (ret == 0)
		return;
	page_fault_reason(pf, why, sizeof(why));
	if (!p)
		orphan_thread_fault(why, pf->addr, regs);
	/* No page to be had: kill someone (maybe p), then retry. */
	if (ret == -ENOMEM) {
		out_of_memory();
		return;
	}
	/* A file page beyond the end of the file, or unreadable: SIGBUS,
	 * as Linux. */
	if (ret == -EIO) {
		if (force_sig_fault(p, SIGBUS))
			fault_report(p, SIGBUS, "access to a file page beyond "
				     "its end or unreadable", pf->addr, true,
				     regs);
		return;
	}
	if (force_sig_fault(p, SIGSEGV))
		fault_report(p, SIGSEGV, why, pf->addr, true, regs);
}

void user_exception(int sig, const char *what, struct pt_regs *regs,
		    unsigned long addr)
{
	struct process *p = current->proc;

	if (!valid_signal(sig))
		sig = SIGSEGV;
	if (!p)
		orphan_thread_fault(what, addr, regs);
	if (force_sig_fault(p, sig))
		fault_report(p, sig, what, addr, addr != 0, regs);
}
