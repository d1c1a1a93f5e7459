/*
 * tests/host/spinlock_model_test.c - how long a spinlock waiter can be
 * passed over (kernel/lib/spinlock.c).
 *
 * The host has one CPU, so the other CPUs are played by a hook that
 * arch_cpu_relax() calls on every turn of the waiter's loop: between two
 * turns they may let the lock go, take it while it is free, or draw a
 * ticket, as real CPUs could between two of the waiter's looks. The
 * waiter runs the kernel's own spin_lock() on a raw lock (lock debugging
 * tracks one thread per lock; the others never touch it through the API).
 *
 * The model: each acquisition by another CPU after the wait began is
 * counted. A test-and-set waiter that has seen SPIN_STARVE_RELEASES
 * releases draws a ticket, and then only the tickets drawn before it are
 * served first; so the others get in at most SPIN_STARVE_RELEASES times
 * plus the tickets ahead. A ticket waiter lets in only the tickets ahead.
 * The hammer case is the one CI met: another CPU that takes the lock
 * back the moment it lets go (kswapd walking one process's PTEs while the
 * process faults). Without the bound the waiter never gets in; the hook
 * gives up after HOOK_GIVE_UP acquisitions so the failure is a number,
 * not a hang.
 *
 * Replay: build/host/unit 'spinlock_model*' --seed N.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>

#define HOOK_GIVE_UP	100000u

/* What the other CPUs are doing to the lock. */
static struct {
	spinlock_t *lock;
	struct prng rng;
	bool held;		/* one of them holds it */
	unsigned int tickets;	/* tickets they drew and wait on */
	uint16_t ticket[8];	/* which, oldest first */
	bool hammer;		/* take it back as soon as it is let go */
	unsigned long took;	/* acquisitions since the waiter began */
	unsigned long turns;
} O;

/* The oldest ticket of theirs is served, if its turn has come. */
static void others_serve(void)
{
	if (O.tickets && O.lock->owner == O.ticket[0]) {
		O.held = true;
		O.tickets--;
		for (unsigned int i = 0; i < O.tickets; i++)
			O.ticket[i] = O.ticket[i + 1];
		O.took++;
	}
}

static void others_release(void)
{
	spinlock_t *l = O.lock;

	__atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
	O.held = false;
	others_serve();
}

static void others_take_if_free(void)
{
	if (spin_take_if_free(O.lock)) {
		O.held = true;
		O.took++;
	}
}

static void others_draw_ticket(void)
{
	uint16_t t = __atomic_fetch_add(&O.lock->next, 1, __ATOMIC_RELAXED);

	O.ticket[O.tickets++] = t;
	others_serve();			/* it was free: theirs at once */
}

/* Between two turns of the waiter. */
static void others_turn(void)
{
	O.turns++;
	if (O.took >= HOOK_GIVE_UP) {	/* starved: let the waiter in */
		if (O.held)
			others_release();
		return;
	}
	if (O.hammer) {
		if (O.held)
			others_release();
		if (!O.held)
			others_take_if_free();
		return;
	}
	switch (prng_below(&O.rng, 8)) {
	case 0: case 1: case 2:
		if (O.held)
			others_release();
		break;
	case 3: case 4:
		if (O.held)
			others_release();
		if (!O.held)
			others_take_if_free();
		break;
	case 5:
		if (!O.held)
			others_take_if_free();
		break;
	case 6:
		if (O.tickets < 3 && !prng_below(&O.rng, 4))
			others_draw_ticket();
		break;
	default:
		break;			/* nothing this turn */
	}
}

static void start(spinlock_t *l, bool hammer)
{
	spin_lock_init_raw(l, "model");
	O.lock = l;
	O.held = false;
	O.tickets = 0;
	O.hammer = hammer;
	O.took = 0;
	O.turns = 0;
}

/* The others hold the lock, with `ahead` tickets of theirs queued. */
static void others_hold(unsigned int ahead)
{
	others_take_if_free();
	for (unsigned int i = 0; i < ahead; i++)
		others_draw_ticket();
	O.took = 0;			/* counted from the waiter's arrival */
}

/* The waiter, in test-and-set mode or with a ticket, takes l while the
 * others play between its turns. */
static void waiter_takes(spinlock_t *l, bool tas)
{
	spin_lock_virt = tas;
	host_cpu_relax_hook = others_turn;
	spin_lock(l);
	host_cpu_relax_hook = NULL;
}

/* The waiter's acquisition: it holds the lock, alone, nothing lost. */
static void expect_waiter_holds(struct kunit *test, spinlock_t *l)
{
	KUNIT_EXPECT_FALSE(test, O.held);
	KUNIT_EXPECT_TRUE(test, spin_is_locked(l));
	/* Only the others' tickets may still be queued behind it. */
	KUNIT_EXPECT_EQ(test, (uint16_t)(l->next - l->owner), 1 + O.tickets);
}

static void test_and_set_waiter_queues_after_the_bound(struct kunit *test)
{
	spinlock_t l;
	bool mode = spin_lock_virt;

	start(&l, true);
	others_hold(0);
	waiter_takes(&l, true);
	kunit_info(test, "the hammer took the lock %lu times during the wait",
		   O.took);
	/* It took it back after each of the releases the waiter saw, then
	 * found a ticket out and waited. */
	KUNIT_EXPECT_EQ(test, O.took, (unsigned long)SPIN_STARVE_RELEASES);
	expect_waiter_holds(test, &l);
	spin_unlock(&l);
	KUNIT_EXPECT_FALSE(test, spin_is_locked(&l));
	spin_lock_virt = mode;
}

static void ticket_waiter_lets_in_only_the_tickets_ahead(struct kunit *test)
{
	spinlock_t l;
	bool mode = spin_lock_virt;

	start(&l, true);
	others_hold(2);
	waiter_takes(&l, false);
	KUNIT_EXPECT_EQ(test, O.took, 2UL);
	expect_waiter_holds(test, &l);
	spin_unlock(&l);
	spin_lock_virt = mode;
}

/*
 * Random others, thousands of waits in both modes: every wait ends, the
 * waiter holds the lock alone, and the others got in no more often than
 * the model allows. Also counted: that the waits went through every way
 * (free at once, won a race, queued past the bound, behind tickets).
 */
static void random_others_never_starve_the_waiter(struct kunit *test)
{
	bool mode = spin_lock_virt;
	unsigned long waits = 0, queued = 0, ahead_any = 0, worst = 0;
	struct prng rng;

	kunit_info(test, "seed %llu (replay: build/host/unit 'spinlock_model*' --seed %llu)",
		   (unsigned long long)test->seed, (unsigned long long)test->seed);
	prng_seed(&rng, test->seed);
	prng_seed(&O.rng, test->seed ^ 0x5eed);
	for (unsigned int i = 0; i < 20000 && !test->failed; i++) {
		spinlock_t l;
		bool tas = prng_below(&rng, 4) != 0;
		unsigned int ahead = (unsigned int)prng_below(&rng, 3);
		unsigned long bound;

		start(&l, prng_below(&rng, 8) == 0);
		/* Start anywhere on the 16-bit ring: wrap-around included. */
		l.next = l.owner = (uint16_t)prng_next(&rng);
		if (prng_below(&rng, 4))
			others_hold(ahead);
		else
			ahead = 0;
		ahead_any += ahead != 0;
		waiter_takes(&l, tas);
		/* Tickets drawn during the wait may be served before a
		 * test-and-set waiter queues: at most 3 out at once, so at
		 * most 3 beyond the releases that it counts. */
		bound = tas ? SPIN_STARVE_RELEASES + 3 : ahead;
		if (O.took > bound) {
			KUNIT_FAIL(test, "wait %u (%s, %u tickets ahead): others took the lock %lu times, bound %lu",
				   i, tas ? "test-and-set" : "ticket", ahead,
				   O.took, bound);
		}
		expect_waiter_holds(test, &l);
		spin_unlock(&l);
		/* Let the others' tickets queued behind it through: then it
		 * is free. */
		others_serve();
		for (unsigned int n = 0; O.held && n < 8; n++)
			others_release();
		KUNIT_EXPECT_FALSE(test, O.held || O.tickets);
		KUNIT_EXPECT_FALSE(test, spin_is_locked(&l));
		waits++;
		queued += tas && O.took >= SPIN_STARVE_RELEASES;
		if (O.took > worst)
			worst = O.took;
	}
	spin_lock_virt = mode;
	kunit_info(test, "%lu waits, %lu queued past the bound, %lu with tickets ahead; others got in at most %lu times in one wait",
		   waits, queued, ahead_any, worst);
	KUNIT_EXPECT_GT(test, queued, 100UL);
	KUNIT_EXPECT_GT(test, ahead_any, 1000UL);
}

static struct kunit_case spinlock_model_cases[] = {
	KUNIT_CASE(test_and_set_waiter_queues_after_the_bound),
	KUNIT_CASE(ticket_waiter_lets_in_only_the_tickets_ahead),
	KUNIT_CASE(random_others_never_starve_the_waiter),
	{}
};

static struct kunit_suite spinlock_model_suite = {
	.name = "spinlock_model",
	.test_cases = spinlock_model_cases,
};
kunit_test_suite(spinlock_model_suite);
