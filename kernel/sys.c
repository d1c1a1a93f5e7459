/*
 * kernel/sys.c - the small process system calls (Linux: kernel/sys.c,
 * kernel/sched/core.c): identities, limits, names, uname, random bytes,
 * process groups, resource use. Each checks its arguments as the man
 * page says and copies through kernel/uaccess.h.
 *
 * There are no users: every id is 0 (root), and the permission checks
 * that Linux makes on ids always pass.
 */
#include "kernel/abi/sysinfo.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/percpu.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"
#include "mm/page_alloc.h"
#include "mm/swap.h"
#include <arch/mmu.h>
#include <arch/user.h>

void get_random_bytes(void *buf, size_t len);	/* kernel/exec.c */

static struct process *self(void)
{
	return current_process();
}

SYSCALL_DEFINE0(getpid)
{
	return self() ? self()->pid : -ESRCH;
}

/* A process without a parent (spawned by the console) reports 0, as
 * Linux does for children of another pid namespace's init. */
SYSCALL_DEFINE0(getppid)
{
	struct process *p = self();
	unsigned long flags;
	int ppid;

	if (!p)
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	ppid = p->parent ? p->parent->pid : 0;
	spin_unlock_irqrestore(&process_lock, flags);
	return ppid;
}

/* One thread per process: its tid is the pid. */
SYSCALL_DEFINE0(gettid)
{
	return self() ? self()->pid : -ESRCH;
}

SYSCALL_DEFINE1(set_tid_address, int *, tidptr)
{
	struct process *p = self();

	if (!p)
		return -ESRCH;
	p->clear_child_tid = (unsigned long)tidptr;
	return p->pid;
}

/* Stored, never walked: without threads no robust futex outlives its
 * owner. The length must be struct robust_list_head's (24). */
SYSCALL_DEFINE2(set_robust_list, void *, head, size_t, len)
{
	struct process *p = self();

	if (len != 24)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	p->robust_list = (unsigned long)head;
	p->robust_len = len;
	return 0;
}

/* Restartable sequences are not supported; glibc carries on without. */
SYSCALL_DEFINE4(rseq, void *, rseq, uint32_t, len, int, flags, uint32_t,
		sig)
{
	return -ENOSYS;
}

SYSCALL_DEFINE0(getuid) { return 0; }
SYSCALL_DEFINE0(geteuid) { return 0; }
SYSCALL_DEFINE0(getgid) { return 0; }
SYSCALL_DEFINE0(getegid) { return 0; }

/* ---- resource limits */

/* prlimit's work on the current process (pid 0 or its own pid); other
 * processes: -EPERM for a change, read allowed. */
static long do_prlimit(int pid, unsigned int res, const struct rlimit *new,
		       struct rlimit *old)
{
	struct process *p = self(), *target;
	unsigned long flags;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (new && new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	target = pid ? find_process_by_pid(pid) : p;
	if (!target) {
		spin_unlock_irqrestore(&process_lock, flags);
		return -ESRCH;
	}
	if (old)
		*old = target->rlim[res];
	if (new) {
		if (target != p) {
			spin_unlock_irqrestore(&process_lock, flags);
			return -EPERM;
		}
		target->rlim[res] = *new;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return 0;
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource,
		const struct rlimit *, unew, struct rlimit *, uold)
{
	struct rlimit new, old;
	long r;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	r = do_prlimit(pid, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (r)
		return r;
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit *, urlim)
{
	struct rlimit old;
	long r = do_prlimit(0, resource, NULL, &old);

	if (r)
		return r;
	return copy_to_user(urlim, &old, sizeof(old)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource,
		const struct rlimit *, urlim)
{
	struct rlimit new;

	if (copy_from_user(&new, urlim, sizeof(new)))
		return -EFAULT;
	return do_prlimit(0, resource, &new, NULL);
}

/* ---- names */

struct new_utsname {
	char sysname[65], nodename[65], release[65], version[65],
	     machine[65], domainname[65];
};

/* sysname "Linux": programs that parse uname (busybox, glibc's version
 * check) expect it; the release says which kernel this really is. */
SYSCALL_DEFINE1(uname, struct new_utsname *, uname)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "mm", sizeof(u.nodename));
	strlcpy(u.release, "6.1.0-mm", sizeof(u.release));
	strlcpy(u.version, "#1 SMP the mm teaching kernel",
		sizeof(u.version));
	strlcpy(u.machine, UTS_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(uname, &u, sizeof(u)) ? -EFAULT : 0;
}

#define PR_SET_NAME	15
#define PR_GET_NAME	16

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long,
		arg3, unsigned long, arg4, unsigned long, arg5)
{
	struct process *p = self();
	char name[PROCESS_NAME_LEN];
	long n;

	if (!p)
		return -ESRCH;
	switch (option) {
	case PR_SET_NAME:
		n = strncpy_from_user(name, (const char *)arg2, sizeof(name));
		if (n < 0)
			return n;
		name[sizeof(name) - 1] = '\0';	/* truncated, as Linux */
		strlcpy(p->name, name, sizeof(p->name));
		strlcpy(current->name, name, sizeof(current->name));
		return 0;
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		strlcpy(name, p->name, sizeof(name));
		return copy_to_user((void *)arg2, name, sizeof(name)) ?
			-EFAULT : 0;
	default:
		return -EINVAL;
	}
}

SYSCALL_DEFINE1(umask, unsigned int, mask)
{
	struct process *p = self();
	unsigned int old;

	if (!p)
		return -ESRCH;
	old = p->umask;
	p->umask = mask & 0777;
	return old;
}

/* ---- random bytes */

#define GRND_NONBLOCK	0x1
#define GRND_RANDOM	0x2
#define GRND_INSECURE	0x4

/* From the kernel's generator (kernel/exec.c: seeded from the clock,
 * not unpredictable). Never blocks. */
SYSCALL_DEFINE3(getrandom, void *, ubuf, size_t, count, unsigned int, flags)
{
	uint8_t chunk[256];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (count > 0x1ffffff)		/* Linux's MAX_RW_COUNT-ish cap */
		count = 0x1ffffff;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	while (done < count) {
		size_t n = min(count - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user((uint8_t *)ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}

/* ---- process groups and sessions (no job control: just kept) */

/* The process `pid` (0: the caller), process_lock held. */
static struct process *lookup(int pid)
{
	return pid ? find_process_by_pid(pid) : self();
}

/* getpgid and getsid: the process group (or, with sid, the session) of
 * process `pid` (0: the caller); -ESRCH if there is no such process. */
static int get_pgid_or_sid(int pid, bool sid)
{
	unsigned long flags;
	struct process *p;
	int r;

	if (pid < 0)
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	p = lookup(pid);
	r = !p ? -ESRCH : sid ? p->sid : p->pgid;
	spin_unlock_irqrestore(&process_lock, flags);
	return r;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	return get_pgid_or_sid(pid, false);
}

SYSCALL_DEFINE0(getpgrp)
{
	return self() ? self()->pgid : -ESRCH;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	return get_pgid_or_sid(pid, true);
}

/* setpgid: the caller or one of its children; pgid 0 = the pid. */
SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct process *me = self(), *p;
	unsigned long flags;
	int r = 0;

	if (pgid < 0)
		return -EINVAL;
	if (!me)
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	p = lookup(pid);
	if (!p || (p != me && p->parent != me))
		r = -ESRCH;
	else if (p->sid != me->sid)
		r = -EPERM;
	else
		p->pgid = pgid ? pgid : p->pid;
	spin_unlock_irqrestore(&process_lock, flags);
	return r;
}

/* setsid: a group leader may not start a session (-EPERM). */
SYSCALL_DEFINE0(setsid)
{
	struct process *p = self();
	unsigned long flags;
	int r;

	if (!p)
		return -ESRCH;
	spin_lock_irqsave(&process_lock, flags);
	if (p->pgid == p->pid) {
		r = -EPERM;
	} else {
		p->pgid = p->sid = p->pid;
		r = p->pid;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return r;
}

/* ---- resource use */

struct k_timeval {
	long tv_sec, tv_usec;
};

struct k_rusage {
	struct k_timeval ru_utime, ru_stime;
	long ru_other[14];		/* maxrss .. nivcsw: 0 here */
};

struct k_tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

static struct k_timeval ns_to_timeval(uint64_t ns)
{
	return (struct k_timeval){ (long)(ns / 1000000000ULL),
				   (long)(ns % 1000000000ULL / 1000) };
}

/* Time is not split between user and kernel mode: all of it counts as
 * user time. */
#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN	(-1)
#define RUSAGE_THREAD	1

SYSCALL_DEFINE2(getrusage, int, who, struct k_rusage *, uru)
{
	struct process *p = self();
	struct k_rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	if (!p)
		return -ESRCH;
	memset(&ru, 0, sizeof(ru));
	ru.ru_utime = ns_to_timeval(who == RUSAGE_CHILDREN ? p->children_ns :
				    current->runtime_ns);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}

/* times(2): clock ticks (HZ = 100, AT_CLKTCK) since boot. */
SYSCALL_DEFINE1(times, struct k_tms *, ubuf)
{
	struct process *p = self();
	struct k_tms t = { 0 };

	if (p) {
		t.tms_utime = (long)(current->runtime_ns / (1000000000 / HZ));
		t.tms_cutime = (long)(p->children_ns / (1000000000 / HZ));
	}
	if (ubuf && copy_to_user(ubuf, &t, sizeof(t)))
		return -EFAULT;
	return (long)jiffies;
}

/* sysinfo(2): sizes in mem_unit (a page); the swap figures are the slots
 * of the areas that are on (si_swapinfo, as Linux's). */
SYSCALL_DEFINE1(sysinfo, struct sysinfo *, uinfo)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(clock_ns() / 1000000000ULL);
	si.totalram = totalram_pages();
	si.freeram = nr_free_pages();
	si_swapinfo(&si.totalswap, &si.freeswap);
	si.procs = (unsigned short)nr_processes();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}

/* ---- scheduling */

SYSCALL_DEFINE0(sched_yield)
{
	yield();
	return 0;
}

/* Every process may run on every online CPU. len must hold the mask's
 * bits (a multiple of sizeof(long), at least one long). */
SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len,
		unsigned long *, umask)
{
	unsigned long mask = READ_ONCE(cpu_online_mask);
	unsigned long flags;
	bool found;

	if (len < sizeof(mask) || (len & (sizeof(long) - 1)))
		return -EINVAL;
	spin_lock_irqsave(&process_lock, flags);
	found = lookup(pid) != NULL;
	spin_unlock_irqrestore(&process_lock, flags);
	if (!found)
		return -ESRCH;
	if (clear_user(umask, len) || copy_to_user(umask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}
