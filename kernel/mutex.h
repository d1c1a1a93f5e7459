/*
 * kernel/mutex.h - sleeping locks.
 *
 * A mutex is held by one thread at a time; others sleep until it is free.
 * mutex_unlock() frees it and wakes the thread that has waited longest,
 * which takes it when it runs, unless a running thread took it first: a
 * contended mutex then does not cost a context switch per acquisition
 * (with hand-off to every waiter, threads that take a lock per page ran
 * in a convoy, thousands of switches a second each). None starves: a
 * first waiter that has waited 1 ms and lost sets handoff, and the next
 * mutex_unlock() makes it the owner before waking it (as Linux).
 * Only the holder may unlock it; a mutex may not be taken twice by the
 * same thread; mutex_lock() may sleep, so not with a spinlock held or
 * interrupts off. With lock debugging on, each of these is reported
 * with the mutex's name and where it was taken (kernel/spinlock.h).
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include "kernel/types.h"
#include "kernel/wait.h"

struct mutex {
	spinlock_t wait_lock;
	struct thread *owner;
	struct wait_queue_entry waiters;	/* sentinel, FIFO */
	bool handoff;		/* the next unlock gives it to the first waiter */
	const char *name;
	const char *file;			/* where the owner took it */
	int line;
};

#define MUTEX_INIT(m) { .wait_lock = SPINLOCK_INIT("mutex wait_lock"), \
	.waiters = { .next = &(m).waiters, .prev = &(m).waiters }, .name = #m }
#define DEFINE_MUTEX(m) struct mutex m = MUTEX_INIT(m)

void mutex_init(struct mutex *m, const char *name);
void __mutex_lock(struct mutex *m, const char *file, int line);
bool __mutex_trylock(struct mutex *m, const char *file, int line);
void __mutex_unlock(struct mutex *m, const char *file, int line);
#define mutex_lock(m)		__mutex_lock(m, __FILE__, __LINE__)
#define mutex_trylock(m)	__mutex_trylock(m, __FILE__, __LINE__)
#define mutex_unlock(m)		__mutex_unlock(m, __FILE__, __LINE__)

static inline bool mutex_is_locked(struct mutex *m)
{
	return READ_ONCE(m->owner) != NULL;
}

#endif
