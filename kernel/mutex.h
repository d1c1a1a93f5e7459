/*
 * kernel/mutex.h - sleeping locks.
 *
 * A mutex is held by one thread at a time; others sleep until it is free.
 * Hand-off: mutex_unlock() gives the mutex straight to the thread that
 * has waited longest, so waiters are served in order and none starves.
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
