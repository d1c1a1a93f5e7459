/*
 * kernel/thread.h - what a kernel thread is.
 *
 * A thread is a kernel stack plus the registers saved on it when it is
 * not running (struct arch_context). The scheduler (kernel/sched.h) runs
 * threads; kernel/kthread.c makes and ends them. This header holds only
 * the structure, with no locks in it, so that kernel/preempt.h (which
 * every spinlock uses) can include it.
 *
 * Who may touch what: `preempt_count`, `held_locks` and `nr_held` belong
 * to the thread itself (an interrupt may change them but restores them
 * before it returns); `state`, `cpu`, `on_rq` and the run-queue links
 * change only under the lock of the run queue in `cpu` (see sched.c).
 */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include "kernel/types.h"
#include <arch/thread.h>

enum thread_state {
	THREAD_RUNNING,		/* running, or ready in a run queue */
	THREAD_SLEEPING,	/* waiting for wake_up_process() */
	THREAD_NEW,		/* made by kthread_create(), not started */
	THREAD_DEAD,		/* returned or called kthread_exit() */
};

#define THREAD_NAME_LEN		16
#define THREAD_MAX_HELD_LOCKS	8

struct spinlock;
struct mm_struct;
struct process;

/*
 * A dirtier's state in the IO-less dirty throttling (mm/backing-dev.h,
 * balance_dirty_pages): only the thread itself touches it. Zero is a
 * valid start (the first look comes after DIRTY_POLL_THRESH pages).
 */
struct dirty_throttle_task {
	int nr_dirtied;			/* pages since its last look */
	int nr_dirtied_pause;		/* look again after this many */
	uint64_t dirty_paused_when;	/* ms: when its last pause ended
					 * (its "virtual time") */
	unsigned int period_carry_us;	/* the periods' sub-ms remainders */
	unsigned long total_dirtied;	/* ever: the trace's progress */
};

/*
 * Thread flags (Linux's PF_* in task_struct.flags): what the thread is
 * doing, for code below that must know. Only the thread itself changes
 * them. Linux's PF_MEMALLOC also lets the thread into the reserves and
 * keeps it from recursing into reclaim; here it only marks the thread as
 * reclaiming, so that a write issued meanwhile is seen (the block
 * layer's DIRECT_RECLAIM_WRITE, docs/mm/reclaim.md).
 */
#define PF_MEMALLOC	(1U << 0)	/* reclaiming: direct reclaim or kswapd */
#define PF_KSWAPD	(1U << 1)	/* kswapd itself */

struct thread {
	int preempt_count;		/* > 0: this thread may not be preempted */
	unsigned int flags;		/* PF_*: the thread's own */
	volatile int state;		/* enum thread_state */
	unsigned int cpu;		/* run queue it is on / last ran on */
	int bound_cpu;			/* -1: any CPU (kthread_bind) */
	bool on_cpu;			/* its registers are live on a CPU */
	bool on_rq;			/* queued in cpu's run queue */
	bool is_idle;			/* a CPU's idle thread: never queued */
	bool detached;			/* frees itself when it ends */
	bool should_stop;		/* kthread_stop() was called */
	bool exited;
	/* Its CPU wants a switch (rq->need_resched) that preemption being
	 * off held back: preempt_enable() looks here (kernel/preempt.h). */
	bool resched;
	struct thread *rq_next, *rq_prev;	/* run-queue links */
	struct thread *joiner;		/* waiting in kthread_stop() */
	unsigned int slice_left;	/* ticks left of the time slice */

	struct arch_context ctx;	/* saved registers (stack pointer) */
	void *stack;			/* lowest address of the stack */
	size_t stack_size;
	void *stack_page;		/* struct page * when from alloc_pages */

	/* User space: a process's thread has both; a kernel thread neither.
	 * The scheduler loads mm's page table when it switches to the
	 * thread (NULL: the kernel's only); the arch keeps the thread's
	 * user registers on its stack and its FPU/SIMD and TLS state in
	 * ctx. */
	struct mm_struct *mm;
	struct process *proc;
	struct dirty_throttle_task dirty;	/* balance_dirty_pages */
	/* The mm whose mmap_lock this thread holds in a page fault
	 * (current_locked_mm, kernel/wait.h): reclaim it enters from the
	 * fault may work on that mm without taking the lock again. */
	struct mm_struct *fault_locked_mm;
	bool fault_may_retry;		/* current_fault_may_retry */

	int (*fn)(void *);
	void *arg;
	int exit_code;

	unsigned int id;
	char name[THREAD_NAME_LEN];
	uint64_t runtime_ns;		/* time on a CPU, to the last switch */
	uint64_t switched_in_ns;	/* clock_ns() when it last got a CPU */
	uint64_t nr_switches;		/* times it was switched in */
	/* The CPU whose queue its last wake-up put it on (-1: none yet),
	 * written under that queue's lock. t->cpu changes when an idle CPU
	 * pulls the thread; this does not, so it says where the wake-up
	 * itself chose. */
	int wake_cpu;

	/* Lock debugging (kernel/lib/lockdebug.c). */
	unsigned int nr_held;
	struct spinlock *held_locks[THREAD_MAX_HELD_LOCKS];
	bool in_lock_report;
};

/*
 * Mark current as reclaiming (Linux's memalloc_noreclaim_save/restore,
 * include/linux/sched/mm.h): save returns the old state for restore, so
 * the calls nest.
 */
static inline unsigned int memalloc_noreclaim_save(void)
{
	struct thread *t = arch_current();
	unsigned int old = t->flags & PF_MEMALLOC;

	t->flags |= PF_MEMALLOC;
	return old;
}

static inline void memalloc_noreclaim_restore(unsigned int old)
{
	struct thread *t = arch_current();

	t->flags = (t->flags & ~PF_MEMALLOC) | old;
}

static inline bool current_is_kswapd(void)
{
	return arch_current()->flags & PF_KSWAPD;
}

/* Is current reclaiming (direct reclaim or kswapd)? */
static inline bool current_in_reclaim(void)
{
	return arch_current()->flags & PF_MEMALLOC;
}

/* Is current in direct reclaim (reclaiming, and not kswapd)? */
static inline bool current_in_direct_reclaim(void)
{
	return (arch_current()->flags & (PF_MEMALLOC | PF_KSWAPD)) ==
	       PF_MEMALLOC;
}

#endif
