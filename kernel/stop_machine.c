/*
 * kernel/stop_machine.c - every CPU stopped while one function runs
 * (contract: kernel/stop_machine.h).
 *
 * A stop is a struct stop_job on the caller's stack, handed to the
 * stopper thread of every other online CPU. The caller and the stoppers
 * walk through its states in lock step: each acknowledges the state it
 * has done, and the last to acknowledge moves the job to the next state.
 *
 *   GATHER     arrived, preemption off, interrupts still on
 *   IRQ_OFF    interrupts off on every CPU
 *   RUN        the chosen CPU has run fn (the others just acknowledge)
 *   EXIT       all let go
 */
#include "kernel/stop_machine.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/mutex.h"
#include "kernel/percpu.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include <arch/cpu.h>

enum stop_state { STOP_GATHER, STOP_IRQ_OFF, STOP_RUN, STOP_EXIT };

struct stop_job {
	int (*fn)(void *arg);
	void *arg;
	int ret;
	unsigned int runner;		/* the caller's CPU: it runs fn */
	unsigned int nr_cpus;		/* CPUs taking part, the caller's too */
	int state;			/* enum stop_state */
	unsigned int acked;		/* CPUs done with state */
	unsigned int left;		/* stoppers still touching the job */
};

static struct thread *stopper[NR_CPUS];
static struct stop_job *stopper_job[NR_CPUS];	/* waiting for stopper[cpu] */
static DEFINE_MUTEX(stop_mutex);		/* one stop at a time */

/* This CPU is done with `state`; the last CPU moves the job on. */
static void ack_state(struct stop_job *job, int state)
{
	if (__atomic_add_fetch(&job->acked, 1, __ATOMIC_ACQ_REL) == job->nr_cpus) {
		/* Nobody acknowledges the next state before seeing it. */
		__atomic_store_n(&job->acked, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&job->state, state + 1, __ATOMIC_RELEASE);
	}
}

/* As a stopper (the job is the caller's: let go of it last) or the caller. */
static void take_part(struct stop_job *job, unsigned int cpu, bool as_stopper)
{
	unsigned long flags = 0;
	int seen = STOP_GATHER;

	preempt_disable();
	ack_state(job, STOP_GATHER);
	for (;;) {
		int state = __atomic_load_n(&job->state, __ATOMIC_ACQUIRE);

		if (state == seen) {
			arch_cpu_relax();
			continue;
		}
		seen = state;
		if (state == STOP_EXIT)
			break;
		if (state == STOP_IRQ_OFF)
			flags = arch_irq_save();
		else if (state == STOP_RUN && cpu == job->runner)
			job->ret = job->fn(job->arg);
		ack_state(job, state);
	}
	arch_irq_restore(flags);
	/* Before preemption is back on: a switch there would keep the
	 * caller spinning until this thread ran again. */
	if (as_stopper)
		__atomic_sub_fetch(&job->left, 1, __ATOMIC_RELEASE);
	preempt_enable();
}

static int stopper_main(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;

	for (;;) {
		set_current_state(THREAD_SLEEPING);
		struct stop_job *job = __atomic_load_n(&stopper_job[cpu],
						       __ATOMIC_ACQUIRE);

		if (!job) {
			schedule();
			continue;
		}
		set_current_state(THREAD_RUNNING);
		__atomic_store_n(&stopper_job[cpu], NULL, __ATOMIC_RELAXED);
		take_part(job, cpu, true);	/* job is gone after this */
	}
	return 0;
}

void stop_machine_init(void)
{
	for_each_online_cpu(cpu) {
		struct thread *t = kthread_create(stopper_main,
						  (void *)(uintptr_t)cpu,
						  "stop/%u", cpu);

		if (!t) {
			pr_err("stop_machine: no stopper thread for CPU %u; stop_machine() will refuse\n",
			       cpu);
			continue;
		}
		kthread_bind(t, cpu);
		kthread_detach(t);	/* runs as long as the machine */
		stopper[cpu] = t;
		wake_up_process(t);
	}
}

/* Before the stoppers (one CPU only): fn here with interrupts off. */
static int run_alone(int (*fn)(void *arg), void *arg)
{
	unsigned long flags;
	int ret;

	preempt_disable();
	flags = arch_irq_save();
	ret = fn(arg);
	arch_irq_restore(flags);
	preempt_enable();
	return ret;
}

/*
 * The caller takes part itself, as its own CPU's stopper would: with
 * preemption off it cannot be moved to another CPU meanwhile, and fn runs
 * on its stack and its CPU.
 */
int stop_machine(int (*fn)(void *arg), void *arg)
{
	struct stop_job job = { .fn = fn, .arg = arg, .state = STOP_GATHER };
	unsigned long online;
	unsigned int me;

	might_sleep();
	mutex_lock(&stop_mutex);
	online = READ_ONCE(cpu_online_mask);
	if (!stopper[0]) {
		mutex_unlock(&stop_mutex);
		if (__builtin_popcountl(online) > 1) {
			pr_err("stop_machine: %d CPUs online and no stopper threads yet\n",
			       __builtin_popcountl(online));
			return -EAGAIN;
		}
		return run_alone(fn, arg);
	}
	for_each_online_cpu(cpu) {
		if (!stopper[cpu]) {
			mutex_unlock(&stop_mutex);
			pr_err("stop_machine: CPU %u has no stopper thread\n", cpu);
			return -ENOMEM;
		}
	}
	preempt_disable();
	me = arch_cpu_id();
	job.runner = me;
	job.nr_cpus = (unsigned int)__builtin_popcountl(online);
	job.left = job.nr_cpus - 1;
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(online & (1UL << cpu)) || cpu == me)
			continue;
		__atomic_store_n(&stopper_job[cpu], &job, __ATOMIC_RELEASE);
		wake_up_process(stopper[cpu]);
		/* Now, not when the thread there has used its slice: every
		 * other CPU waits for the slowest to arrive. */
		resched_cpu(cpu);
	}
	take_part(&job, me, false);
	while (__atomic_load_n(&job.left, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
	preempt_enable();
	mutex_unlock(&stop_mutex);
	return job.ret;
}
