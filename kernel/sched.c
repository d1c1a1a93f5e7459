/*
 * kernel/sched.c - per-CPU run queues, schedule(), wake-ups, time slices,
 * idle and balancing. The contract is in kernel/sched.h.
 *
 * Locking. Each run queue has a lock (raw: not tracked by lock debugging,
 * because it is handed from thread to thread across a switch). A thread's
 * state, cpu, on_rq and queue links change only under the lock of the run
 * queue its `cpu` names. schedule() takes the lock, picks the next thread,
 * switches, and the thread switched to releases it (sched_finish_switch),
 * so while anyone else holds a run queue's lock, no switch on that CPU is
 * half done: a queued thread is never still on a CPU. Two run queues are
 * locked in CPU order (balancing).
 */
#include "kernel/sched.h"
#include "kernel/kthread.h"
#include "kernel/cmdline.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "mm/mm.h"
#include <arch/cpu.h>
#include <arch/thread.h>

struct rq {
	spinlock_t lock;
	struct thread *head, *tail;	/* ready threads, FIFO */
	unsigned int nr_queued;
	struct thread *curr, *idle;
	struct thread *prev;		/* switched away from, for finish */
	bool need_resched;
	uint64_t nr_switches;
	uint64_t idle_ns;
};

static DEFINE_PER_CPU(struct rq, runqueues);
#define cpu_rq(cpu)	per_cpu_ptr(runqueues, cpu)
#define this_rq()	this_cpu_ptr(runqueues)

struct thread boot_thread = {
	.state = THREAD_RUNNING, .bound_cpu = -1, .wake_cpu = -1, .on_cpu = true,
	.name = "main",
};
bool sched_running;

static int set_lockdebug(const char *v)
{
	bool on;

	if (!param_parse_bool(v, &on))
		return -1;
	lock_debug = on;
	return 0;
}
KERNEL_PARAM("lockdebug", set_lockdebug, "on/off: the lock debugger (default on)");

/* ---------------------------------------------------------------- queues */

static void enqueue(struct rq *rq, struct thread *t, unsigned int cpu)
{
	t->cpu = cpu;
	t->on_rq = true;
	t->rq_next = NULL;
	t->rq_prev = rq->tail;
	if (rq->tail)
		rq->tail->rq_next = t;
	else
		rq->head = t;
	rq->tail = t;
	rq->nr_queued++;
}

static void dequeue(struct rq *rq, struct thread *t)
{
	if (t->rq_prev)
		t->rq_prev->rq_next = t->rq_next;
	else
		rq->head = t->rq_next;
	if (t->rq_next)
		t->rq_next->rq_prev = t->rq_prev;
	else
		rq->tail = t->rq_prev;
	t->rq_next = t->rq_prev = NULL;
	t->on_rq = false;
	rq->nr_queued--;
}

unsigned int sched_nr_running(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	return READ_ONCE(rq->nr_queued) + (READ_ONCE(rq->curr) != rq->idle);
}

uint64_t sched_nr_switches(unsigned int cpu) { return cpu_rq(cpu)->nr_switches; }

uint64_t sched_idle_ns(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);
	uint64_t ns = rq->idle ? rq->idle->runtime_ns : 0;

	if (rq->idle && READ_ONCE(rq->curr) == rq->idle)
		ns += clock_ns() - rq->idle->switched_in_ns;
	return ns;
}

/* ---------------------------------------------------------------- switch */

/*
 * Load the address space the next thread runs in. No lazy TLB: a kernel
 * thread gets the kernel-only table, so an mm is never loaded on a CPU
 * that does not run one of its threads (mmput() may free it as soon as
 * its last thread switched away). With PCIDs/ASIDs the switch keeps the
 * other address spaces' TLB entries, so this costs a register write.
 */
static void switch_mm_irqs_off(struct mm_struct *mm)
{
	struct arch_mm *want = mm ? &mm->arch : NULL;

	if (cpu_loaded_mm[arch_cpu_id()] != want)
		arch_switch_mm(want);
}

void sched_finish_switch(void)
{
	struct rq *rq = this_rq();
	struct thread *prev = rq->prev;
	bool reap = prev->state == THREAD_DEAD && prev->detached;

	/* prev's registers are saved: another CPU may now run it. */
	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	spin_unlock(&rq->lock);
	if (reap)
		kthread_free(prev);	/* off its stack at last */
}

static void __schedule(bool preempt)
{
	unsigned long flags = arch_irq_save();
	struct rq *rq = this_rq();
	struct thread *prev = current, *next;

	spin_lock(&rq->lock);
	rq->need_resched = false;
	prev->resched = false;
	if (prev != rq->idle && !prev->on_rq &&
	    (preempt || prev->state == THREAD_RUNNING))
		enqueue(rq, prev, arch_cpu_id());
	next = rq->head;
	if (next)
		dequeue(rq, next);
	else
		next = rq->idle;
	next->slice_left = SCHED_SLICE;
	if (next == prev) {
		spin_unlock(&rq->lock);
		arch_irq_restore(flags);
		return;
	}
	uint64_t now = clock_ns();

	prev->runtime_ns += now - prev->switched_in_ns;
	next->switched_in_ns = now;
	next->nr_switches++;
	next->on_cpu = true;
	rq->nr_switches++;
	rq->curr = next;
	rq->prev = prev;
	arch_set_current(next);
	switch_mm_irqs_off(next->mm);
	arch_context_switch(&prev->ctx, &next->ctx);
	/* Back in prev, on whichever CPU switched to it. */
	sched_finish_switch();
	arch_irq_restore(flags);
}

void schedule(void)
{
	__schedule(false);
}

void yield(void)
{
	schedule();	/* still RUNNING: goes to the back of the queue */
}

void sched_preempt_irq(void)
{
	if (!sched_running)
		return;
	struct rq *rq = this_rq();

	if (rq->need_resched && current->preempt_count == 0)
		__schedule(true);
}

void preempt_schedule(void)
{
	unsigned long flags;

	/* Interrupts off: the next interrupt or schedule() will do. */
	if (!sched_running || !arch_irqs_enabled())
		return;
	flags = arch_irq_save();
	if (this_rq()->need_resched && current->preempt_count == 0)
		__schedule(true);
	else
		current->resched = false;	/* nothing to do: stale */
	arch_irq_restore(flags);
}

__noreturn void sched_exit_current(void)
{
	arch_irq_disable();
	current->state = THREAD_DEAD;
	__schedule(false);
	for (;;)
		;	/* a dead thread is never switched back to */
}

/* ---------------------------------------------------------------- wake */

void resched_cpu(unsigned int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	WRITE_ONCE(rq->need_resched, true);
	if (cpu != arch_cpu_id())
		arch_send_ipi(cpu, IPI_RESCHEDULE);
	else
		current->resched = true;	/* for preempt_enable() */
}

/* The least loaded CPU t may run on (new threads start there). */
static unsigned int select_cpu(struct thread *t)
{
	unsigned int best = arch_cpu_id(), load = ~0U;

	if (t->bound_cpu >= 0)
		return (unsigned int)t->bound_cpu;
	for_each_online_cpu(cpu) {
		unsigned int l = sched_nr_running(cpu);

		if (l < load) {
			load = l;
			best = cpu;
		}
	}
	return best;
}

/*
 * Where a woken thread should run: its last CPU if that one is idle (its
 * cache is there), else an idle CPU with nothing queued, else its last
 * CPU anyway. Without the second choice a thread woken while its CPU
 * runs something else waits there for that thread's slice (30 ms), or
 * for an idle CPU's next tick to pull it (10 ms), while a CPU sits
 * halted: measured, a writer and its flusher handing ext2's s_lock to
 * each other page by page, with a second disk's writer running beside
 * them, left both CPUs idle 46% of the time. A hint read without
 * locks; wake_up_process locks both queues before it acts on it. A sync
 * wake-up (the waker is about to sleep) goes to the waker's CPU: sent
 * to the idle CPU, each round trip of a pipe ping-pong paid a wake-up
 * IPI to a halted vCPU, and a switch took 47-49 us instead of 21-24.
 */
static unsigned int wake_target(const struct thread *t, unsigned int cpu,
				bool sync)
{
	if (t->bound_cpu >= 0 || t->state == THREAD_NEW)
		return cpu;
	if (sync)
		return arch_cpu_id();	/* the waker's, soon free */
	if (READ_ONCE(cpu_rq(cpu)->curr) == cpu_rq(cpu)->idle)
		return cpu;
	for_each_online_cpu(c) {
		struct rq *rq = cpu_rq(c);

		if (c != cpu && READ_ONCE(rq->curr) == rq->idle &&
		    !READ_ONCE(rq->nr_queued))
			return c;
	}
	return cpu;
}

/* Both queues locked, the lower CPU first (as pull_one); a and b may be
 * the same. */
static void lock_two(unsigned int a, unsigned int b)
{
	if (a == b) {
		spin_lock(&cpu_rq(a)->lock);
	} else {
		spin_lock(&cpu_rq(min(a, b))->lock);
		spin_lock(&cpu_rq(max(a, b))->lock);
	}
}

static void unlock_two(unsigned int a, unsigned int b)
{
	spin_unlock(&cpu_rq(a)->lock);
	if (a != b)
		spin_unlock(&cpu_rq(b)->lock);
}

static bool try_to_wake_up(struct thread *t, bool sync)
{
	unsigned long flags = arch_irq_save();
	struct rq *rq;
	unsigned int cpu, target;

	if (t->state == THREAD_NEW)
		t->cpu = select_cpu(t);	/* nobody else knows t yet */
	for (;;) {
		cpu = READ_ONCE(t->cpu);
		target = wake_target(t, cpu, sync);
		lock_two(cpu, target);
		if (t->cpu == cpu)
			break;
		unlock_two(cpu, target);	/* migrated meanwhile */
	}
	rq = cpu_rq(cpu);
	if (t->state != THREAD_SLEEPING && t->state != THREAD_NEW) {
		unlock_two(cpu, target);
		arch_irq_restore(flags);
		return false;
	}
	t->state = THREAD_RUNNING;
	/* Still on its CPU, before schedule() (it will see RUNNING), or
	 * queued by a preemption: nothing more to do. Else it is off every
	 * CPU with its registers saved (a CPU switching away from it holds
	 * its queue's lock until the switch is done), so it may be queued
	 * anywhere, as pull_one moves a queued thread. */
	if (rq->curr != t && !t->on_rq) {
		struct rq *dst = cpu_rq(target);

		enqueue(dst, t, target);
		t->wake_cpu = (int)target;
		if (dst->curr == dst->idle)
			resched_cpu(target);
	}
	unlock_two(cpu, target);
	arch_irq_restore(flags);
	return true;
}

bool wake_up_process(struct thread *t)
{
	return try_to_wake_up(t, false);
}

bool wake_up_process_sync(struct thread *t)
{
	return try_to_wake_up(t, true);
}

/* ---------------------------------------------------------------- tick */

void sched_tick(void)
{
	if (!sched_running)
		return;
	struct rq *rq = this_rq();
	struct thread *t = current;

	if (t == rq->idle)
		return;
	if (t->slice_left > 1) {
		t->slice_left--;
	} else if (READ_ONCE(rq->nr_queued)) {
		rq->need_resched = true;	/* slice used up, others wait */
		t->resched = true;
	} else {
		t->slice_left = SCHED_SLICE;
	}
}

/* ---------------------------------------------------------------- balance */

/*
 * Called by an idle CPU: take one ready thread from the CPU with the most
 * queued, if it has any waiting. Returns true if one was moved here.
 */
static bool pull_one(unsigned int this_cpu)
{
	unsigned int busiest = this_cpu, most = 0;

	for_each_online_cpu(cpu) {
		unsigned int n = READ_ONCE(cpu_rq(cpu)->nr_queued);

		if (cpu != this_cpu && n > most) {
			most = n;
			busiest = cpu;
		}
	}
	if (!most)
		return false;

	struct rq *src = cpu_rq(busiest), *dst = cpu_rq(this_cpu);
	struct thread *moved = NULL;
	unsigned long flags = arch_irq_save();

	if (busiest < this_cpu) {
		spin_lock(&src->lock);
		spin_lock(&dst->lock);
	} else {
		spin_lock(&dst->lock);
		spin_lock(&src->lock);
	}
	for (struct thread *t = src->head; t; t = t->rq_next) {
		if (t->bound_cpu < 0) {
			dequeue(src, t);
			enqueue(dst, t, this_cpu);
			moved = t;
			break;
		}
	}
	spin_unlock(&src->lock);
	spin_unlock(&dst->lock);
	arch_irq_restore(flags);
	return moved != NULL;
}

/* ---------------------------------------------------------------- idle */

__noreturn void cpu_idle_loop(void)
{
	for (;;) {
		struct rq *rq;

		arch_irq_disable();
		rq = this_rq();
		if (rq->nr_queued || rq->need_resched || pull_one(arch_cpu_id())) {
			arch_irq_enable();
			schedule();
			continue;
		}
		arch_wait_for_interrupt();	/* sti; hlt: no lost wake-up */
	}
}

void sched_init_cpu(unsigned int cpu, struct thread *idle)
{
	struct rq *rq = cpu_rq(cpu);

	spin_lock_init_raw(&rq->lock, "rq->lock");
	idle->is_idle = true;
	idle->state = THREAD_RUNNING;
	idle->bound_cpu = (int)cpu;
	idle->cpu = cpu;
	rq->idle = idle;
	if (!rq->curr)
		rq->curr = idle;
}

__noreturn void sched_secondary_start(void)
{
	struct thread *idle = current;

	idle->on_cpu = true;
	idle->switched_in_ns = clock_ns();
	cpu_idle_loop();
}

void sched_init(void)
{
	boot_thread.switched_in_ns = clock_ns();
	cpu_rq(0)->curr = &boot_thread;
	sched_running = true;
}

/* ---------------------------------------------------------------- sleeping */

struct timeout {
	struct timer_list timer;
	struct thread *thread;
};

static void timeout_fire(struct timer_list *t)
{
	wake_up_process(container_of(t, struct timeout, timer)->thread);
}

long schedule_timeout(long ticks)
{
	struct timeout to = { .thread = current };
	uint64_t expires = jiffies + (uint64_t)ticks;

	timer_setup(&to.timer, timeout_fire);
	mod_timer(&to.timer, expires);
	schedule();
	del_timer_sync(&to.timer);
	uint64_t now = jiffies;

	return now >= expires ? 0 : (long)(expires - now);
}

void __sleep_ms(unsigned int ms, const char *file, int line)
{
	/* Against the clock, not just ticks: under emulation ticks may
	 * arrive in bursts, and a sleep must last at least ms. */
	uint64_t end = clock_ns() + (uint64_t)ms * 1000000ULL;
	uint64_t now;

	__might_sleep(file, line);
	while ((now = clock_ns()) < end) {
		uint64_t left_ms = DIV_ROUND_UP(end - now, 1000000ULL);

		set_current_state(THREAD_SLEEPING);
		schedule_timeout((long)msecs_to_jiffies(left_ms) + 1);
	}
}
