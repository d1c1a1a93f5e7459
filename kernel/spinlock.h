/*
 * kernel/spinlock.h - spinning locks.
 *
 * Two ways to wait, one lock word (next, owner: free when they are equal):
 *  - ticket (on real hardware): each locker takes the next ticket and waits
 *    until owner reaches it, so CPUs get the lock in the order they asked
 *    (fair, unlike a test-and-set lock);
 *  - test-and-set (in a virtual machine, `spin_lock_virt`): a locker takes
 *    the lock only when it is free (next == owner: next goes up by one,
 *    as a ticket would), and otherwise waits until it is free again.
 *    Unfair, but no waiter can hold the others up. With tickets, the
 *    lock goes to the next ticket in line even when that CPU is a host
 *    thread the host has just preempted: every CPU behind it waits for
 *    the host to run it again (lock-waiter preemption). Four vCPUs on a
 *    two-core host swapping at once ran 3-9x slower that way (docs/smp.md,
 *    "Locks"). Linux does the same: virt_spin_lock() on x86 guests.
 *    The unfairness is bounded: a waiter passed over SPIN_STARVE_RELEASES
 *    times draws a ticket and is served next.
 * The two agree on the lock word, so the mode may change at any time,
 * even with locks held or waited for (the lock suite flips it under
 * contention). kernel/smp.c picks it at boot: arch_cpu_virtualized(), or
 * the `spinlock=ticket|tas` option. Hold a spinlock only for short,
 * non-sleeping sections: taking one turns preemption off until it is
 * released (kernel/preempt.h). The _irqsave forms also disable interrupts
 * on this CPU, for data an interrupt handler touches too.
 *
 * Lock debugging (on by default, `lockdebug=off` to measure without it,
 * kernel/lib/lockdebug.c) remembers which thread holds each lock and
 * where (file:line) it took it, and reports with the lock's name:
 *  - recursion: taking a lock this thread already holds (the report is
 *    printed and the lock is not taken again, instead of deadlocking);
 *  - unlock by a thread that does not hold it, or of a lock nobody holds
 *    (reported, and the lock is left as it was);
 *  - sleeping while holding any spinlock or with interrupts off (checked
 *    by might_sleep() in every function that can sleep, kernel/sched.h);
 *  - a lockup: waiting for a lock more than 10 seconds (a
 *    deadlock, or a holder that slept or never unlocked) is reported once
 *    per wait with the holder and where it took the lock, and the wait
 *    goes on. No lock is held that long without a bug;
 *  - a lock taken in an interrupt handler and elsewhere with interrupts
 *    on (Linux lockdep's "inconsistent lock state"): reported once per
 *    lock with both places, the first time both have happened, whether
 *    or not the interrupt ever came at the wrong moment. The second place
 *    must use spin_lock_irqsave.
 * A "raw" lock (spin_lock_init_raw) is not tracked: the scheduler's run
 * queue locks are taken by one thread and released by the next one.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/types.h"
#include "kernel/preempt.h"
#include <arch/cpu.h>

typedef struct spinlock {
	union {
		struct {
			uint16_t next;	/* next ticket to hand out */
			uint16_t owner;	/* ticket now allowed in */
		};
		uint32_t word;		/* both, for spin_take_if_free */
	};
	bool raw;		/* not tracked by lock debugging */
	const char *name;	/* for reports */
	/* Lock debugging: who holds it and where they took it. */
	struct thread *holder;
	const char *file;
	int line;
	unsigned int cpu;
	/* ... and, the first time each happened, where it was taken in an
	 * interrupt handler and where with interrupts on (both: a CPU that
	 * holds it with interrupts on can be interrupted by a handler that
	 * then waits for it forever: reported once). */
	const char *irq_file, *irqs_on_file;
	int irq_line, irqs_on_line;
	bool irq_reported;
} spinlock_t;

#define SPINLOCK_INIT(n) { .next = 0, .owner = 0, .name = (n) }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

/* Lock debugging switch (default on) and its hooks. */
extern bool lock_debug;
/* Is this CPU in an interrupt handler? Registered by kernel/profile.c,
 * which knows (get_irq_regs); NULL: never (host builds, early boot). */
extern bool (*lockdebug_in_irq)(void);
/* true: test-and-set waiting (a virtual machine); false: tickets. */
extern bool spin_lock_virt;
void lockdebug_acquire(spinlock_t *l, const char *file, int line);
bool lockdebug_check_recursion(spinlock_t *l, const char *file, int line);
bool lockdebug_check_release(spinlock_t *l, const char *file, int line);
void lockdebug_release(spinlock_t *l);
/* Called every 2^16 turns of a waiting loop: reports a lockup once the
 * wait that *since started (0: not yet) passes spin_lockup_ns (10 s;
 * tests lower it), with how often the lock was released since the wait
 * began (first: l's owner half then). */
extern uint64_t spin_lockup_ns;
void lockdebug_spinning(spinlock_t *l, uint64_t *since, uint16_t first,
			const char *file, int line);

static inline void spin_lock_init(spinlock_t *l, const char *name)
{
	*l = (spinlock_t)SPINLOCK_INIT(name);
}

static inline void spin_lock_init_raw(spinlock_t *l, const char *name)
{
	spin_lock_init(l, name);
	l->raw = true;
}

/* Take l if nobody holds it (next == owner): next goes up by one, as if
 * we had drawn the ticket now being served. One compare-and-swap of both
 * halves, expecting them equal: it fails whenever someone holds the lock
 * or waits with a ticket. (Comparing next alone with an owner read just
 * before could succeed after next wrapped around 65536 tickets while
 * the lock was held: two holders.) */
static inline uint32_t spin_word(uint16_t next, uint16_t owner)
{
	spinlock_t w = { .next = next, .owner = owner };

	return w.word;
}

static inline bool spin_take_if_free(spinlock_t *l)
{
	uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	uint32_t want = spin_word(owner, owner);

	return __atomic_compare_exchange_n(&l->word, &want,
					   spin_word((uint16_t)(owner + 1), owner),
					   false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

/* A test-and-set waiter that has seen the lock released this many times
 * without getting it queues with a ticket (kernel/lib/spinlock.c). */
#define SPIN_STARVE_RELEASES	32

/* The waits, out of line (kernel/lib/spinlock.c): a lock taken at the
 * first try costs one atomic and a compare inline; only a waiter calls. */
void spin_lock_wait_free(spinlock_t *l, const char *file, int line);
void spin_lock_wait_ticket(spinlock_t *l, uint16_t ticket, const char *file,
			   int line);

static inline void __spin_lock(spinlock_t *l, const char *file, int line)
{
	preempt_disable();
	if (lock_debug && !l->raw && lockdebug_check_recursion(l, file, line))
		return;		/* reported; taking it again would hang */
	if (__atomic_load_n(&spin_lock_virt, __ATOMIC_RELAXED)) {
		/* Test-and-set: take it if free, else wait until it is. */
		if (!spin_take_if_free(l))
			spin_lock_wait_free(l, file, line);
	} else {
		uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

		if (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
			spin_lock_wait_ticket(l, ticket, file, line);
	}
	if (lock_debug && !l->raw)
		lockdebug_acquire(l, file, line);
}

static inline bool __spin_trylock(spinlock_t *l, const char *file, int line)
{
	preempt_disable();
	if (!spin_take_if_free(l)) {
		preempt_enable();
		return false;
	}
	if (lock_debug && !l->raw)
		lockdebug_acquire(l, file, line);
	return true;
}

static inline void __spin_unlock(spinlock_t *l, const char *file, int line)
{
	if (lock_debug && !l->raw) {
		if (!lockdebug_check_release(l, file, line))
			return;		/* reported; not ours to release */
		lockdebug_release(l);
	}
	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
	preempt_enable();
}

#define spin_lock(l)	__spin_lock(l, __FILE__, __LINE__)
#define spin_trylock(l)	__spin_trylock(l, __FILE__, __LINE__)
#define spin_unlock(l)	__spin_unlock(l, __FILE__, __LINE__)

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

#define spin_lock_irq(l) do { arch_irq_disable(); spin_lock(l); } while (0)
#define spin_unlock_irq(l) do { spin_unlock(l); arch_irq_enable(); } while (0)

#endif
