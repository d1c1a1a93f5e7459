/*
 * kernel/timer.c - one list of pending timers, sorted by expiry, run by
 * CPU 0's tick. The contract is in kernel/timer.h.
 */
#include "kernel/timer.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>

static DEFINE_SPINLOCK(timer_lock);
static struct timer_list *timer_head;		/* soonest first */
static struct timer_list *running_timer;	/* callback in progress */

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *))
{
	*t = (struct timer_list){ .function = fn };
}

/* Under timer_lock. */
static void insert(struct timer_list *t)
{
	struct timer_list **p = &timer_head;

	while (*p && (*p)->expires <= t->expires)	/* FIFO among equals */
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->pending = true;
}

/* Under timer_lock. */
static bool unlink(struct timer_list *t)
{
	if (!t->pending)
		return false;
	for (struct timer_list **p = &timer_head; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->pending = false;
	return true;
}

bool mod_timer(struct timer_list *t, uint64_t expires)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&timer_lock, flags);
	was = unlink(t);
	t->expires = expires;
	t->armed = true;
	insert(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

void timer_start_periodic(struct timer_list *t, uint64_t period)
{
	t->period = period ? period : 1;
	mod_timer(t, jiffies + t->period);
}

bool del_timer(struct timer_list *t)
{
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&timer_lock, flags);
	t->armed = false;
	was = unlink(t);
	spin_unlock_irqrestore(&timer_lock, flags);
	return was;
}

bool del_timer_sync(struct timer_list *t)
{
	bool was = del_timer(t);

	while (READ_ONCE(running_timer) == t)
		arch_cpu_relax();
	return was;
}

void run_timers(void)
{
	unsigned long flags;

	spin_lock_irqsave(&timer_lock, flags);
	while (timer_head && timer_head->expires <= jiffies) {
		struct timer_list *t = timer_head;

		timer_head = t->next;
		t->pending = false;
		if (!t->period)
			t->armed = false;
		WRITE_ONCE(running_timer, t);
		spin_unlock_irqrestore(&timer_lock, flags);
		t->function(t);
		spin_lock_irqsave(&timer_lock, flags);
		WRITE_ONCE(running_timer, NULL);
		if (t->period && t->armed && !t->pending) {
			t->expires += t->period;
			if (t->expires <= jiffies)	/* fell behind: skip */
				t->expires = jiffies + 1;
			insert(t);
		}
	}
	spin_unlock_irqrestore(&timer_lock, flags);
}
