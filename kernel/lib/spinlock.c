/*
 * kernel/lib/spinlock.c - the one setting spinlocks share: how a waiter
 * waits (kernel/spinlock.h). kernel/smp.c sets it at boot, before any
 * other CPU runs. Portable: the host tests flip it too. And the waits
 * themselves, out of the inline fast path.
 */
#include "kernel/spinlock.h"

bool spin_lock_virt;

/* How often a waiter looks at the clock for the lock debugger's lockup
 * report (kernel/lib/lockdebug.c): every 2^16 turns. */
#define SPIN_CHECK_EVERY	(1u << 16)

void spin_lock_wait_free(spinlock_t *l, const char *file, int line)
{
	unsigned int spins = 0;
	uint64_t since = 0;

	while (!spin_take_if_free(l)) {
		while (__atomic_load_n(&l->next, __ATOMIC_RELAXED) !=
		       __atomic_load_n(&l->owner, __ATOMIC_RELAXED)) {
			arch_cpu_relax();
			if (lock_debug && !(++spins % SPIN_CHECK_EVERY))
				lockdebug_spinning(l, &since, file, line);
		}
	}
}

void spin_lock_wait_ticket(spinlock_t *l, uint16_t ticket, const char *file,
			   int line)
{
	unsigned int spins = 0;
	uint64_t since = 0;

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		arch_cpu_relax();
		if (lock_debug && !(++spins % SPIN_CHECK_EVERY))
			lockdebug_spinning(l, &since, file, line);
	}
}
