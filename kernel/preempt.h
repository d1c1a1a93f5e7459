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
 * preempt_enable() does not reschedule on the spot: a wake-up that arrives
 * meanwhile is acted on at the next interrupt or voluntary schedule().
 */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include "kernel/thread.h"

static inline void preempt_disable(void)
{
	arch_current()->preempt_count++;
	barrier();
}

static inline void preempt_enable(void)
{
	barrier();
	arch_current()->preempt_count--;
}

static inline int preempt_count(void)
{
	return arch_current()->preempt_count;
}

#endif
