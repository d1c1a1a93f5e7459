/*
 * kernel/preempt.h - turning preemption off and on.
 *
 * The count lives in the running thread (current->preempt_count), so it
 * follows the thread and reading it needs no CPU number. While it is above
 * zero the scheduler will not take the CPU away from this thread at an
 * interrupt: spinlocks hold it up, since a thread preempted while holding
 * one would leave every other thread spinning on it. The thread may still
 * be interrupted; interrupts that take spinlocks must use the _irqsave
 * forms to avoid deadlock with the thread they interrupted.
 *
 * A switch asked for while preemption is off (a wake-up, or the time
 * slice running out, at an interrupt that could not preempt) waits for
 * the preempt_enable() that brings the count back to zero, which makes it
 * there, as an interrupt arriving at that moment would (with interrupts
 * on; with them off, at the next interrupt or schedule()). A thread that
 * is almost always inside short non-preemptible sections - a spinlock
 * taken again and again, cross-CPU calls back to back - thus still gives
 * way, which stop_machine() (kernel/stop_machine.h) counts on.
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include "kernel/thread.h"

static inline void preempt_disable(void)
{
	arch_current()->preempt_count++;
	barrier();
}

/* kernel/sched.c: make the switch current->resched asks for, if it can. */
void preempt_schedule(void);

static inline void preempt_enable(void)
{
	struct thread *t = arch_current();

	barrier();
	if (--t->preempt_count == 0 && __builtin_expect(t->resched, 0))
		preempt_schedule();
}

static inline int preempt_count(void)
{
	return arch_current()->preempt_count;
}

#endif
