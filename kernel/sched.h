/*
 * kernel/sched.h - the scheduler: which thread runs on which CPU.
 *
 * Each CPU has a run queue of ready threads, served round robin: a thread
 * runs until it sleeps, yields, or uses up its time slice (SCHED_SLICE
 * ticks; the tick then asks for a switch and the switch happens as the
 * interrupt returns, unless the thread has preemption off). A CPU with
 * nothing to run runs its idle thread, which halts until an interrupt and
 * pulls a ready thread from the busiest other CPU (simple balancing). New
 * threads start on the least loaded CPU.
 *
 * Sleeping, the Linux way:
 *	set_current_state(THREAD_SLEEPING);
 *	if (!condition)
 *		schedule();
 *	set_current_state(THREAD_RUNNING);
 * and the waker makes the condition true, then wake_up_process(t). Wait
 * queues (kernel/wait.h) package this up.
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "kernel/types.h"
#include "kernel/thread.h"
#include "kernel/lockdebug.h"

#define current		arch_current()

#define SCHED_SLICE	3	/* ticks a thread may run while others wait */

/* The boot context, which becomes the thread "main" of CPU 0. */
extern struct thread boot_thread;

/* Make the boot context a thread and CPU 0's idle thread; scheduling on. */
void sched_init(void);
/* True once sched_init() has run. */
extern bool sched_running;

/* Give up the CPU; come back when woken (or at once, if still RUNNING). */
void schedule(void);
/* Let other ready threads on this CPU run first. */
void yield(void);
/* Sleep for at least ms milliseconds (rounded up to ticks). Misuse is
 * reported with the caller's file:line. */
void __sleep_ms(unsigned int ms, const char *file, int line);
#define sleep_ms(ms)	__sleep_ms(ms, __FILE__, __LINE__)
/*
 * Sleep (state set by the caller) until woken or `ticks` ticks pass.
 * Returns the ticks left: 0 means it timed out.
 */
long schedule_timeout(long ticks);

static inline void set_current_state(int state)
{
	__atomic_store_n(&current->state, state, __ATOMIC_SEQ_CST);
}

/*
 * Make a sleeping (or new) thread ready to run. Returns false if it was
 * not sleeping. Any context, interrupts on or off.
 */
bool wake_up_process(struct thread *t);
/*
 * The same, from a waker about to sleep itself (a pipe's writer that
 * will wait for the answer): t is queued on the waker's CPU, which is
 * about to be free, instead of being sent to an idle one (Linux's
 * WF_SYNC). Two processes playing ping-pong stay on one CPU.
 */
bool wake_up_process_sync(struct thread *t);

/* Ask CPU `cpu` to reschedule soon (IPI when it is another CPU). */
void resched_cpu(unsigned int cpu);

/* Called by timer_tick() on every CPU: time slices. */
void sched_tick(void);
/* Called by the arch at the end of an interrupt, interrupts off. */
void sched_preempt_irq(void);

/* This CPU's idle loop (halts until an interrupt when there is no work). */
__noreturn void cpu_idle_loop(void);
/* Set up CPU cpu's run queue around its idle thread (before it starts). */
void sched_init_cpu(unsigned int cpu, struct thread *idle);
/* First scheduler code on a secondary CPU, on its idle thread. */
__noreturn void sched_secondary_start(void);

/* Threads ready or running on cpu (idle not counted). */
unsigned int sched_nr_running(unsigned int cpu);
/* Context switches on cpu since boot. */
uint64_t sched_nr_switches(unsigned int cpu);
/* Nanoseconds cpu's idle thread has run. */
uint64_t sched_idle_ns(unsigned int cpu);

/* Used by kthread.c: the first code a new thread runs, and the last. */
void sched_finish_switch(void);
__noreturn void sched_exit_current(void);

/* Every thread, for ps and leak checks: call fn(t, arg) under a lock. */
void for_each_thread(void (*fn)(struct thread *t, void *arg), void *arg);

#endif
