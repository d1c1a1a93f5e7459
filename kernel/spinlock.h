/*
 * kernel/spinlock.h - spinning locks.
 *
 * A ticket lock: each locker takes the next ticket and waits until the
 * owner counter reaches it, so CPUs get the lock in the order they asked
 * (fair, unlike a test-and-set lock). Hold a spinlock only for short,
 * non-sleeping sections. The _irqsave forms also disable interrupts on this
 * CPU, for data an interrupt handler touches too.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/types.h"
#include <arch/cpu.h>

typedef struct spinlock {
	uint16_t next;		/* next ticket to hand out */
	uint16_t owner;		/* ticket now allowed in */
	const char *name;	/* for reports */
} spinlock_t;

#define SPINLOCK_INIT(n) { .next = 0, .owner = 0, .name = (n) }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	l->next = 0;
	l->owner = 0;
	l->name = name;
}

static inline void spin_lock(spinlock_t *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint16_t want = owner;

	return __atomic_compare_exchange_n(&l->next, &want, (uint16_t)(owner + 1),
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

#define spin_lock_irqsave(l, flags) do { \
	(flags) = arch_irq_save(); \
	spin_lock(l); \
} while (0)

#define spin_unlock_irqrestore(l, flags) do { \
	spin_unlock(l); \
	arch_irq_restore(flags); \
} while (0)

#endif
