/*
 * kernel/mutex.c - sleeping locks with hand-off (contract: kernel/mutex.h).
 *
 * The owner field and the FIFO of waiters are guarded by wait_lock. A
 * waiter queues itself and sleeps; the unlocker makes the first waiter
 * the owner and wakes it, so the mutex is never free while someone waits.
 */
#include "kernel/mutex.h"
#include "kernel/printk.h"

void mutex_init(struct mutex *m, const char *name)
{
	spin_lock_init(&m->wait_lock, "mutex wait_lock");
	m->owner = NULL;
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
	while (m->owner != current) {
		set_current_state(THREAD_SLEEPING);
		spin_unlock_irqrestore(&m->wait_lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait_lock, flags);
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

		e->prev->next = e->next;
		e->next->prev = e->prev;
		e->queued = false;
		next = e->thread;
	}
	set_owner(m, next, NULL, 0);	/* hand-off, or free */
	if (next)
		wake_up_process(next);
	spin_unlock_irqrestore(&m->wait_lock, flags);
}
