/*
 * kernel/mutex.c - sleeping locks (contract: kernel/mutex.h).
 *
 * The owner field, the handoff flag and the FIFO of waiters are guarded
 * by wait_lock. A waiter queues itself and sleeps; the unlocker frees the
 * mutex and wakes the first waiter, which takes it when it runs unless a
 * running thread took it first. A first waiter that has waited
 * MUTEX_HANDOFF_NS and lost sets handoff: then the unlocker makes it the
 * owner before waking it (Linux's MUTEX_FLAG_HANDOFF).
 */
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/time.h"

/* How long the first waiter may lose to running threads (Linux: 1 ms). */
#define MUTEX_HANDOFF_NS	1000000ULL

void mutex_init(struct mutex *m, const char *name)
{
	spin_lock_init(&m->wait_lock, "mutex wait_lock");
	m->owner = NULL;
	m->handoff = false;
	m->waiters.next = m->waiters.prev = &m->waiters;
	m->name = name;
}

static void set_owner(struct mutex *m, struct thread *t, const char *file, int line)
{
	WRITE_ONCE(m->owner, t);
	m->file = file;
	m->line = line;
}

bool __mutex_trylock(struct mutex *m, const char *file, int line)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&m->wait_lock, flags);
	ok = m->owner == NULL;
	if (ok)
		set_owner(m, current, file, line);
	spin_unlock_irqrestore(&m->wait_lock, flags);
	return ok;
}

void __mutex_lock(struct mutex *m, const char *file, int line)
{
	struct wait_queue_entry me = { .thread = current };
	unsigned long flags;

	__might_sleep(file, line);
	spin_lock_irqsave(&m->wait_lock, flags);
	if (!m->owner) {
		set_owner(m, current, file, line);
		spin_unlock_irqrestore(&m->wait_lock, flags);
		return;
	}
	if (m->owner == current && lock_debug) {
		spin_unlock_irqrestore(&m->wait_lock, flags);
		lockdebug_report_start("recursive locking of", "mutex", m->name,
				       file, line);
		printk(KERN_ERR "  held by this thread since %s:%d; not taken again\n",
		       m->file, m->line);
		return;
	}
	me.next = &m->waiters;
	me.prev = m->waiters.prev;
	m->waiters.prev->next = &me;
	m->waiters.prev = &me;
	me.queued = true;
	uint64_t since = clock_ns();

	for (;;) {
		if (m->owner == current)
			break;			/* handed to us */
		if (!m->owner) {		/* free: ours, first come */
			WRITE_ONCE(m->owner, current);
			break;
		}
		/* Lost to a running thread: the first waiter, after long
		 * enough, asks for the next unlock to be handed to it. */
		if (m->waiters.next == &me && clock_ns() - since >= MUTEX_HANDOFF_NS)
			m->handoff = true;
		set_current_state(THREAD_SLEEPING);
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait_lock, flags);
	}
	if (me.queued) {
		me.prev->next = me.next;
		me.next->prev = me.prev;
		me.queued = false;
	}
	set_current_state(THREAD_RUNNING);
	m->file = file;
	m->line = line;
	spin_unlock_irqrestore(&m->wait_lock, flags);
}

void __mutex_unlock(struct mutex *m, const char *file, int line)
{
	unsigned long flags;
	struct thread *next = NULL;

	spin_lock_irqsave(&m->wait_lock, flags);
	if (m->owner != current) {
		struct thread *owner = m->owner;

		spin_unlock_irqrestore(&m->wait_lock, flags);
		if (!lock_debug)
			return;
		lockdebug_report_start(owner ? "unlock by a non-owner of" :
				       "unlock of", "mutex", m->name, file, line);
		if (owner)
			printk(KERN_ERR "  held by thread '%s' since %s:%d; left held\n",
			       owner->name, m->file, m->line);
		else
			printk(KERN_ERR "  the mutex is not held; left as it is\n");
		return;
	}
	if (m->waiters.next != &m->waiters) {
		struct wait_queue_entry *e = m->waiters.next;

		next = e->thread;
		if (m->handoff) {	/* it lost long enough: it is the owner */
			e->prev->next = e->next;
			e->next->prev = e->prev;
			e->queued = false;
			m->handoff = false;
			set_owner(m, next, NULL, 0);
		} else {		/* free; it takes it when it runs */
			set_owner(m, NULL, NULL, 0);
		}
		wake_up_process(next);
	} else {
		set_owner(m, NULL, NULL, 0);
	}
	spin_unlock_irqrestore(&m->wait_lock, flags);
}
