/*
 * kernel/lib/lockdebug.c - the lock debugger behind kernel/spinlock.h and
 * might_sleep() (kernel/sched.h).
 *
 * Each tracked spinlock records the thread that holds it and the file:line
 * where it was taken; each thread keeps a short stack of the spinlocks it
 * holds. Misuse is reported with the lock's name, the offending thread
 * and CPU, and both places (where it was taken, where it went wrong):
 *
 *   BUG: lock debug: recursive locking of spinlock 'demo'
 *     thread 'kunit' (id 1) on CPU 0 at tests/kernel/lock_test.c:40
 *     held by this thread since tests/kernel/lock_test.c:39 (CPU 0)
 *
 * Every report starts with "BUG: lock debug: " so tests and people can
 * find them. Portable: built into the host tests too.
 */
#include "kernel/spinlock.h"
#include "kernel/lockdebug.h"
#include "kernel/lib/diag.h"
#include "kernel/printk.h"
#include <arch/machine.h>	/* arch_clock_ns: kernel/time.h is above this */

bool lock_debug = true;
bool (*lockdebug_in_irq)(void);
uint64_t spin_lockup_ns = 10000000000ull;

static const char *lock_name(const spinlock_t *l)
{
	return l->name ? l->name : "(unnamed)";
}

void lockdebug_report_start(const char *what, const char *kind,
			    const char *name, const char *file, int line)
{
	struct thread *t = arch_current();

	diag_report(DIAG_LOCKDEP);
	printk(KERN_ERR "BUG: lock debug: %s %s '%s'\n", what, kind, name);
	printk(KERN_ERR "  thread '%s' (id %u) on CPU %u at %s:%d\n",
	       t->name, t->id, arch_cpu_id(), file, line);
}

bool lockdebug_check_recursion(spinlock_t *l, const char *file, int line)
{
	struct thread *t = arch_current();

	if (t->in_lock_report || l->holder != t || !spin_is_locked(l))
		return false;
	t->in_lock_report = true;
	lockdebug_report_start("recursive locking of", "spinlock", lock_name(l),
			       file, line);
	printk(KERN_ERR "  held by this thread since %s:%d (CPU %u); "
	       "not taken again\n", l->file, l->line, l->cpu);
	t->in_lock_report = false;
	preempt_enable();	/* undo the caller's: the lock is not taken */
	return true;
}

void lockdebug_spinning(spinlock_t *l, uint64_t *since, uint16_t first,
			const char *file, int line)
{
	struct thread *t = arch_current();
	struct thread *h = READ_ONCE(l->holder);
	/* One long hold, or many short ones that all went to others: read
	 * before the report starts (a test's holder lets go on seeing it). */
	uint16_t released = (uint16_t)(READ_ONCE(l->owner) - first);
	uint64_t now = arch_clock_ns();

	if (!*since) {
		*since = now;
		return;
	}
	if (*since == (uint64_t)-1 || t->in_lock_report ||
	    now - *since < READ_ONCE(spin_lockup_ns))
		return;
	unsigned long long waited_ms = (now - *since) / 1000000;

	*since = (uint64_t)-1;		/* once per wait */
	t->in_lock_report = true;
	lockdebug_report_start("lockup waiting for", "spinlock", lock_name(l),
			       file, line);
	if (l->raw || !h)
		printk(KERN_ERR "  waited %llu ms; its holder is not tracked (a "
		       "raw lock, or taken with lock debugging off); still "
		       "waiting\n", waited_ms);
	else
		printk(KERN_ERR "  waited %llu ms; held by thread '%s' (id %u) "
		       "since %s:%d (CPU %u); still waiting\n",
		       waited_ms, h->name, h->id, l->file, l->line, l->cpu);
	printk(KERN_ERR "  releases during the wait: %u (modulo 65536)\n",
	       released);
	t->in_lock_report = false;
}

/* Where l is taken: in a handler, with interrupts on; both: report. */
static void check_irq_safety(spinlock_t *l, const char *file, int line)
{
	struct thread *t = arch_current();

	if (lockdebug_in_irq && lockdebug_in_irq()) {
		if (!l->irq_file) {
			l->irq_file = file;
			l->irq_line = line;
		}
	} else if (arch_irqs_enabled() && !l->irqs_on_file) {
		l->irqs_on_file = file;
		l->irqs_on_line = line;
	}
	if (!l->irq_file || !l->irqs_on_file || l->irq_reported ||
	    t->in_lock_report)
		return;
	l->irq_reported = true;
	t->in_lock_report = true;
	lockdebug_report_start("interrupt-unsafe use of", "spinlock",
			       lock_name(l), file, line);
	printk(KERN_ERR "  taken in an interrupt handler at %s:%d, and with "
	       "interrupts on at %s:%d: a CPU holding it there can be "
	       "interrupted by a handler that then waits for it forever; take "
	       "it there with spin_lock_irqsave\n", l->irq_file, l->irq_line,
	       l->irqs_on_file, l->irqs_on_line);
	t->in_lock_report = false;
}

void lockdebug_acquire(spinlock_t *l, const char *file, int line)
{
	struct thread *t = arch_current();

	check_irq_safety(l, file, line);
	l->holder = t;
	l->file = file;
	l->line = line;
	l->cpu = arch_cpu_id();
	if (t->nr_held < THREAD_MAX_HELD_LOCKS)
		t->held_locks[t->nr_held] = l;
	t->nr_held++;
}

bool lockdebug_check_release(spinlock_t *l, const char *file, int line)
{
	struct thread *t = arch_current();

	if (t->in_lock_report)
		return true;
	if (!spin_is_locked(l)) {
		t->in_lock_report = true;
		lockdebug_report_start("unlock of", "spinlock", lock_name(l),
				       file, line);
		printk(KERN_ERR "  the lock is not held; left as it is\n");
		t->in_lock_report = false;
		return false;
	}
	if (l->holder != t) {
		t->in_lock_report = true;
		lockdebug_report_start("unlock by a non-owner of", "spinlock",
				       lock_name(l), file, line);
		printk(KERN_ERR "  held by thread '%s' since %s:%d (CPU %u); "
		       "left held\n", l->holder ? l->holder->name : "?",
		       l->file, l->line, l->cpu);
		t->in_lock_report = false;
		return false;
	}
	return true;
}

void lockdebug_release(spinlock_t *l)
{
	struct thread *t = arch_current();
	unsigned int n = t->nr_held < THREAD_MAX_HELD_LOCKS ?
			 t->nr_held : THREAD_MAX_HELD_LOCKS;

	/* Usually the last one taken; unlocking out of order is allowed. */
	for (unsigned int i = n; i-- > 0;) {
		if (t->held_locks[i] == l) {
			for (; i + 1 < n; i++)
				t->held_locks[i] = t->held_locks[i + 1];
			break;
		}
	}
	if (t->nr_held)
		t->nr_held--;
	l->holder = NULL;
}

void __might_sleep(const char *file, int line)
{
	struct thread *t = arch_current();

	if (!lock_debug || t->in_lock_report)
		return;
	if (t->nr_held) {
		spinlock_t *l = t->held_locks[min(t->nr_held, (unsigned int)THREAD_MAX_HELD_LOCKS) - 1];

		t->in_lock_report = true;
		lockdebug_report_start("sleeping function called while holding",
				       "spinlock", lock_name(l), file, line);
		printk(KERN_ERR "  taken at %s:%d (CPU %u); %u spinlock%s held\n",
		       l->file, l->line, l->cpu, t->nr_held,
		       t->nr_held == 1 ? "" : "s");
		t->in_lock_report = false;
	} else if (t->preempt_count > 0) {
		t->in_lock_report = true;
		lockdebug_report_start("sleeping function called with",
				       "preemption", "disabled", file, line);
		printk(KERN_ERR "  preempt_count %d\n", t->preempt_count);
		t->in_lock_report = false;
	}
	if (!arch_irqs_enabled()) {
		t->in_lock_report = true;
		lockdebug_report_start("sleeping function called with",
				       "interrupts", "disabled", file, line);
		t->in_lock_report = false;
	}
}
