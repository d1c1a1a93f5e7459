/*
 * tests/host/sleep.c - sleeping locks and wait queues for the host build,
 * where there is one thread and no scheduler (docs/conventions.md,
 * "Sleeping in portable code").
 *
 * A mutex can never be contended here: taking one that is held is a
 * deadlock in a single-threaded program, so it panics with the place it
 * was taken. A wait queue keeps its entries as the kernel's does, and
 * schedule() (what wait_event calls while the condition is false) runs
 * the host's pending work once: the host block devices complete their
 * queued requests (host_set_idle_work). A wait whose condition that does
 * not make true would sleep for ever: after a few rounds with no
 * progress it panics, naming the place, instead of hanging the test.
 */
#include "kernel/mutex.h"
#include "kernel/panic.h"
#include "kernel/wait.h"
#include "tests/host/host.h"

static bool (*idle_work)(void);
static unsigned int idle_rounds;

/* One thread, and schedule() runs the pending work: a wait may always
 * sleep here (kernel/wait.h). */
bool can_sleep(void)
{
	return true;
}

/* A fatal signal, when a test asks for one (tests/host/host.h). */
static unsigned long kill_after, kill_asked;

void host_kill_after_checks(unsigned long n)
{
	kill_after = n;
	kill_asked = 0;
}

bool current_killed(void)
{
	return kill_after && ++kill_asked >= kill_after;
}

static struct mm_struct *host_locked_mm;

struct mm_struct *current_locked_mm(void)
{
	return host_locked_mm;
}

void set_current_locked_mm(struct mm_struct *mm)
{
	host_locked_mm = mm;
}

static bool host_fault_may_retry;

bool current_fault_may_retry(void)
{
	return host_fault_may_retry;
}

void set_current_fault_may_retry(bool may)
{
	host_fault_may_retry = may;
}

void host_set_idle_work(bool (*fn)(void))
{
	idle_work = fn;
}

void mutex_init(struct mutex *m, const char *name)
{
	*m = (struct mutex)MUTEX_INIT(*m);
	m->name = name;
}

void __mutex_lock(struct mutex *m, const char *file, int line)
{
	if (m->owner)
		panic("host: mutex %s taken at %s:%d is already held (taken at "
		      "%s:%d): a deadlock with one thread",
		      m->name ? m->name : "?", file, line,
		      m->file ? m->file : "?", m->line);
	m->owner = current;
	m->file = file;
	m->line = line;
}

bool __mutex_trylock(struct mutex *m, const char *file, int line)
{
	if (m->owner)
		return false;
	__mutex_lock(m, file, line);
	return true;
}

void __mutex_unlock(struct mutex *m, const char *file, int line)
{
	if (m->owner != current)
		panic("host: mutex %s unlocked at %s:%d by a non-owner",
		      m->name ? m->name : "?", file, line);
	m->owner = NULL;
}

void init_waitqueue_head(struct wait_queue_head *wq, const char *name)
{
	wq->lock = (spinlock_t)SPINLOCK_INIT("wait queue");
	(void)name;
	wq->list.next = wq->list.prev = &wq->list;
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	if (!e->queued) {
		e->thread = current;
		e->next = &wq->list;
		e->prev = wq->list.prev;
		wq->list.prev->next = e;
		wq->list.prev = e;
		e->queued = true;
	}
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *e)
{
	(void)wq;
	if (e->queued) {
		e->prev->next = e->next;
		e->next->prev = e->prev;
		e->queued = false;
	}
	idle_rounds = 0;
}

static void wake(struct wait_queue_head *wq, bool one)
{
	while (wq->list.next != &wq->list) {
		struct wait_queue_entry *e = wq->list.next;

		e->prev->next = e->next;
		e->next->prev = e->prev;
		e->queued = false;
		if (one)
			break;
	}
}

void wake_up(struct wait_queue_head *wq) { wake(wq, false); }
void wake_up_one(struct wait_queue_head *wq) { wake(wq, true); }

bool waitqueue_active(struct wait_queue_head *wq)
{
	return wq->list.next != &wq->list;
}

void schedule(void)
{
	if (idle_work && idle_work()) {
		idle_rounds = 0;
		return;
	}
	if (++idle_rounds > 1000)
		panic("host: a wait can never end (one thread, no pending "
		      "work): the condition waited for is never made true");
}

long schedule_timeout(long ticks)
{
	schedule();
	return ticks > 0 ? ticks - 1 : 0;
}

void yield(void)
{
	if (idle_work)
		idle_work();
}

void init_completion(struct completion *c)
{
	c->done = 0;
	init_waitqueue_head(&c->wait, "completion");
}

void complete(struct completion *c) { c->done++; wake_up(&c->wait); }
void complete_all(struct completion *c) { c->done = ~0U >> 1; wake_up(&c->wait); }

void wait_for_completion(struct completion *c)
{
	wait_event(c->wait, c->done);
	if (c->done != ~0U >> 1)
		c->done--;
}
