/*
 * kernel/kthread.c - kernel threads: a table of thread slots, stacks from
 * the page allocator, start, stop, exit, and the `ps` command. The
 * contract is in kernel/kthread.h.
 *
 * Ending a thread is a handshake with whoever frees it: the dying thread
 * marks itself exited (under threads_lock) and switches away for the last
 * time; only after that switch (on_cpu false) may its stack be freed:
 * by the kthread_stop() caller, or for a detached thread by the
 * scheduler right after the switch (sched_finish_switch).
 */
#include "kernel/kthread.h"
#include "kernel/console.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "mm/vmstat.h"
#include <arch/thread.h>

#define STACK_MAGIC	0x57ac6b0757ac6b07ULL	/* at the stack's lowest word */

static struct thread threads[MAX_THREADS];
static bool slot_used[MAX_THREADS];
static DEFINE_SPINLOCK(threads_lock);
static unsigned int next_id = 1;
static unsigned int nr_used;

unsigned int nr_threads(void)
{
	return READ_ONCE(nr_used) + 1;	/* + boot_thread */
}

static struct thread *slot_alloc(void)
{
	unsigned long flags;
	struct thread *t = NULL;

	spin_lock_irqsave(&threads_lock, flags);
	for (unsigned int i = 0; i < MAX_THREADS; i++) {
		if (!slot_used[i]) {
			slot_used[i] = true;
			nr_used++;
			t = &threads[i];
			memset(t, 0, sizeof(*t));
			t->id = next_id++;
			break;
		}
	}
	spin_unlock_irqrestore(&threads_lock, flags);
	return t;
}

void kthread_free(struct thread *t)
{
	unsigned long flags;

	if (t->stack_page) {
		if (*(uint64_t *)t->stack != STACK_MAGIC)
			pr_err("kthread: thread '%s' overran its %lu-byte stack\n",
			       t->name, (unsigned long)t->stack_size);
		mod_node_page_state(page_pgdat(t->stack_page), NR_KERNEL_STACK_KB,
				    -(long)(THREAD_STACK_SIZE / 1024));
		__free_pages(t->stack_page, THREAD_STACK_ORDER);
	}
	spin_lock_irqsave(&threads_lock, flags);
	slot_used[t - threads] = false;
	nr_used--;
	spin_unlock_irqrestore(&threads_lock, flags);
}

/* The first code of every new thread (arch_thread_init's entry). */
static void thread_start(void *arg)
{
	struct thread *t = arg;

	sched_finish_switch();	/* release the run-queue lock we came in with */
	arch_irq_enable();
	kthread_exit(t->fn(t->arg));
}

static struct thread *thread_alloc(int (*fn)(void *), void *arg,
				   const char *fmt, va_list ap)
{
	struct thread *t = slot_alloc();
	struct page *page;

	if (!t) {
		pr_err("kthread: all %d thread slots in use\n", MAX_THREADS);
		return NULL;
	}
	page = alloc_pages(GFP_KERNEL, THREAD_STACK_ORDER);
	if (!page) {
		pr_err("kthread: no memory for a %lu-byte stack\n", THREAD_STACK_SIZE);
		kthread_free(t);
		return NULL;
	}
	mod_node_page_state(page_pgdat(page), NR_KERNEL_STACK_KB,
			    THREAD_STACK_SIZE / 1024);
	kvsnprintf(t->name, sizeof(t->name), fmt, ap);
	t->stack_page = page;
	t->stack = page_address(page);
	t->stack_size = THREAD_STACK_SIZE;
	*(uint64_t *)t->stack = STACK_MAGIC;
	t->fn = fn;
	t->arg = arg;
	t->bound_cpu = -1;
	t->wake_cpu = -1;
	t->state = THREAD_NEW;
	t->preempt_count = 1;	/* it starts by releasing a run-queue lock */
	arch_thread_init(&t->ctx, (char *)t->stack + t->stack_size, thread_start, t);
	return t;
}

struct thread *kthread_create(int (*fn)(void *), void *arg, const char *fmt, ...)
{
	va_list ap;
	struct thread *t;

	might_sleep();
	va_start(ap, fmt);
	t = thread_alloc(fn, arg, fmt, ap);
	va_end(ap);
	return t;
}

struct thread *kthread_run(int (*fn)(void *), void *arg, const char *fmt, ...)
{
	va_list ap;
	struct thread *t;

	might_sleep();
	va_start(ap, fmt);
	t = thread_alloc(fn, arg, fmt, ap);
	va_end(ap);
	if (t)
		wake_up_process(t);
	return t;
}

static int idle_fn(void *arg)
{
	(void)arg;
	return 0;	/* never runs: idle threads enter cpu_idle_loop() */
}

static void idle_entry(void *arg)
{
	(void)arg;
	sched_finish_switch();
	arch_irq_enable();
	cpu_idle_loop();
}

struct thread *kthread_create_idle(unsigned int cpu)
{
	struct thread *t;

	t = kthread_create(idle_fn, NULL, "idle/%u", cpu);
	if (!t)
		return NULL;
	/* CPU 0's idle is first reached by a switch; the others' CPUs start
	 * on it directly (sched_secondary_start). */
	arch_thread_init(&t->ctx, (char *)t->stack + t->stack_size, idle_entry, t);
	sched_init_cpu(cpu, t);
	t->preempt_count = cpu == 0 ? 1 : 0;
	return t;
}

void kthread_bind(struct thread *t, unsigned int cpu)
{
	t->bound_cpu = (int)cpu;
	t->cpu = cpu;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

__noreturn void kthread_exit(int code)
{
	struct thread *t = current;
	struct thread *joiner;
	unsigned long flags;

	t->exit_code = code;
	spin_lock_irqsave(&threads_lock, flags);
	__atomic_store_n(&t->exited, true, __ATOMIC_SEQ_CST);
	joiner = t->joiner;
	spin_unlock_irqrestore(&threads_lock, flags);
	if (joiner)
		wake_up_process(joiner);
	sched_exit_current();
}

/*
 * Wait until t has switched away for the last time. It is on its way out
 * (exited is set), so this is short; yielding lets it finish when it
 * shares this CPU with us.
 */
static void wait_off_cpu(struct thread *t)
{
	while (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) ||
	       READ_ONCE(t->state) != THREAD_DEAD)
		yield();
}

int kthread_stop(struct thread *t)
{
	unsigned long flags;
	int code;

	might_sleep();
	WRITE_ONCE(t->should_stop, true);
	if (t->state == THREAD_NEW) {	/* never started: it never will */
		kthread_free(t);
		return -1;
	}
	for (;;) {
		set_current_state(THREAD_SLEEPING);
		spin_lock_irqsave(&threads_lock, flags);
		t->joiner = current;
		bool done = t->exited;

		spin_unlock_irqrestore(&threads_lock, flags);
		if (done)
			break;
		wake_up_process(t);
		schedule();
	}
	set_current_state(THREAD_RUNNING);
	wait_off_cpu(t);
	code = t->exit_code;
	kthread_free(t);
	return code;
}

void kthread_detach(struct thread *t)
{
	unsigned long flags;
	bool exited;

	spin_lock_irqsave(&threads_lock, flags);
	exited = t->exited;
	if (!exited)
		t->detached = true;
	spin_unlock_irqrestore(&threads_lock, flags);
	if (exited) {
		wait_off_cpu(t);
		kthread_free(t);
	}
}

/* ---------------------------------------------------------------- ps */

void for_each_thread(void (*fn)(struct thread *t, void *arg), void *arg)
{
	unsigned long flags;

	spin_lock_irqsave(&threads_lock, flags);
	fn(&boot_thread, arg);
	for (unsigned int i = 0; i < MAX_THREADS; i++)
		if (slot_used[i])
			fn(&threads[i], arg);
	spin_unlock_irqrestore(&threads_lock, flags);
}

static const char *state_name(const struct thread *t)
{
	switch (t->state) {
	case THREAD_RUNNING:
		if (t->on_cpu)
			return "running";
		return t->is_idle ? "idle" : "ready";
	case THREAD_SLEEPING: return "sleeping";
	case THREAD_NEW: return "new";
	case THREAD_DEAD: return "dead";
	}
	return "?";
}

static void ps_line(struct thread *t, void *arg)
{
	uint64_t ns = t->runtime_ns;

	(void)arg;
	if (t->on_cpu)
		ns += clock_ns() - t->switched_in_ns;
	printk("%4u %-15s %-8s %3u %8llu.%03llu %8llu\n", t->id, t->name,
	       state_name(t), t->cpu, (unsigned long long)(ns / 1000000),
	       (unsigned long long)(ns / 1000 % 1000),
	       (unsigned long long)t->nr_switches);
}

static int cmd_ps(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		printk("threads: takes no arguments\n");
		return 1;
	}
	printk("  ID NAME            STATE    CPU   RUNTIME(ms) SWITCHES\n");
	for_each_thread(ps_line, NULL);
	printk("%u threads\n", nr_threads());
	return 0;
}
/* `ps` (kernel/proc_console.c) lists processes, then runs this. */
CONSOLE_COMMAND(threads, "kernel threads: id, name, state, CPU, run time, switches",
		cmd_ps);
