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

/* One wait for one lock: its turns and the lock debugger's clock, and
 * the lock's owner half when the wait began. Each release since moved
 * owner up by one, and each one but the last let someone else in. */
struct spin_wait {
	unsigned int spins;
	uint64_t since;
	uint16_t first;
};

static void spin_turn(spinlock_t *l, struct spin_wait *w, const char *file,
		      int line)
{
	arch_cpu_relax();
	if (lock_debug && !(++w->spins % SPIN_CHECK_EVERY))
		lockdebug_spinning(l, &w->since, w->first, file, line);
}

static void wait_for_ticket(spinlock_t *l, uint16_t ticket,
			    struct spin_wait *w, const char *file, int line)
{
	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		spin_turn(l, w, file, line);
}

/*
 * Test-and-set: take the lock whenever it is seen free. A CPU that lets
 * it go and takes it straight back (kswapd visiting one mm's PTEs page
 * after page, each under its page_table_lock) can win that race every
 * time: a waiter on another CPU once waited more than 10 s for the
 * faulting process's page_table_lock (x86_64-swap, in CI). So the
 * unfairness is bounded: a waiter that has seen the lock released
 * SPIN_STARVE_RELEASES times without getting it draws a ticket. A
 * test-and-set locker cannot take the lock while a ticket is out
 * (kernel/spinlock.h), so the waiter is next. Only such a waiter queues,
 * so lock-waiter preemption (why virtual machines do not use tickets)
 * can stall the others only behind a CPU that was running a moment ago.
 * The host's spinlock_model counts the passes; the lock suite's
 * test_and_set_waiter_is_not_starved times the waits on the machines.
 */
void spin_lock_wait_free(spinlock_t *l, const char *file, int line)
{
	struct spin_wait w = {
		.first = __atomic_load_n(&l->owner, __ATOMIC_RELAXED),
	};

	for (;;) {
		uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);

		if (__atomic_load_n(&l->next, __ATOMIC_RELAXED) == owner) {
			if (spin_take_if_free(l))
				return;
			continue;	/* someone else saw it free first */
		}
		if ((uint16_t)(owner - w.first) >= SPIN_STARVE_RELEASES) {
			uint16_t ticket = __atomic_fetch_add(&l->next, 1,
							     __ATOMIC_RELAXED);

			wait_for_ticket(l, ticket, &w, file, line);
			return;
		}
		spin_turn(l, &w, file, line);
	}
}

void spin_lock_wait_ticket(spinlock_t *l, uint16_t ticket, const char *file,
			   int line)
{
	struct spin_wait w = {
		.first = __atomic_load_n(&l->owner, __ATOMIC_RELAXED),
	};

	wait_for_ticket(l, ticket, &w, file, line);
}
