/*
 * tests/suites/asid_test.c - the generation-rollover ASID/PCID allocator
 * (mm/asid.h) on a private 2-bit instance: three numbers, so a rollover
 * comes after the third address space. Which switch must flush the TLB
 * cannot be seen reliably under QEMU's TCG (a switch may flush its soft
 * TLB anyway), so the promises the TLB depends on are checked here,
 * directly: numbers are
 * unique within a generation, a CPU keeps the number it runs across a
 * rollover, and every CPU is told to flush once after one. Host and
 * kernel.
 */
#include "kernel/kunit.h"
#include "mm/asid.h"

static struct asid_allocator a;

static unsigned int sw(uint64_t *id, unsigned int cpu, bool *flush)
{
	return asid_switch(&a, id, cpu, flush);
}

static void numbers_are_unique_and_stable(struct kunit *test)
{
	uint64_t m1 = 0, m2 = 0, m3 = 0;
	bool flush = true;

	asid_allocator_init(&a, 2, "test-asids");
	KUNIT_EXPECT_EQ(test, sw(&m1, 0, &flush), 1U);
	KUNIT_EXPECT_FALSE(test, flush);
	KUNIT_EXPECT_EQ(test, sw(&m2, 0, &flush), 2U);
	KUNIT_EXPECT_EQ(test, sw(&m3, 1, &flush), 3U);
	KUNIT_EXPECT_FALSE(test, flush);
	/* Switching back needs no new number and no flush. */
	KUNIT_EXPECT_EQ(test, sw(&m1, 0, &flush), 1U);
	KUNIT_EXPECT_FALSE(test, flush);
	KUNIT_EXPECT_EQ(test, m1 & ~3ULL, 4ULL);	/* generation 1 */
	KUNIT_EXPECT_EQ(test, a.nr_rollovers, 0UL);
	KUNIT_EXPECT_EQ(test, a.nr_allocated, 3UL);
}

static void rollover_keeps_running_numbers_and_flushes_each_cpu_once(struct kunit *test)
{
	uint64_t m1 = 0, m2 = 0, m3 = 0, m4 = 0;
	bool flush;

	asid_allocator_init(&a, 2, "test-asids");
	sw(&m1, 0, &flush);
	sw(&m2, 0, &flush);
	sw(&m3, 0, &flush);			/* CPU 0 runs m3 (number 3) */

	/* A fourth address space: no number left, a new generation. */
	KUNIT_EXPECT_EQ(test, sw(&m4, 0, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);		/* CPU 0 flushes first */
	KUNIT_EXPECT_EQ(test, a.nr_rollovers, 1UL);
	KUNIT_EXPECT_EQ(test, m4 & ~3ULL, 8ULL);

	/* CPU 1 has not flushed since: it must, whatever it switches to.
	 * m3 ran on CPU 0 at the rollover, so it keeps number 3. */
	KUNIT_EXPECT_EQ(test, sw(&m3, 1, &flush), 3U);
	KUNIT_EXPECT_TRUE(test, flush);
	KUNIT_EXPECT_EQ(test, m3 & ~3ULL, 8ULL);

	/* m1's old number 1 is m4's now: m1 gets the one left, 2. */
	KUNIT_EXPECT_EQ(test, sw(&m1, 1, &flush), 2U);
	KUNIT_EXPECT_FALSE(test, flush);	/* CPU 1 flushed once already */

	/* m2 finds nothing free: a second rollover. CPU 0 runs m4 (1) and
	 * CPU 1 runs m1 (2): both keep them, so m2 gets 3. */
	KUNIT_EXPECT_EQ(test, sw(&m2, 0, &flush), 3U);
	KUNIT_EXPECT_TRUE(test, flush);
	KUNIT_EXPECT_EQ(test, a.nr_rollovers, 2UL);
	KUNIT_EXPECT_EQ(test, sw(&m4, 1, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);
	KUNIT_EXPECT_EQ(test, m4 & ~3ULL, 12ULL);
}

static void numbers_of_one_generation_never_repeat(struct kunit *test)
{
	uint64_t ids[40] = { 0 };
	bool flush;

	asid_allocator_init(&a, 3, "test-asids");
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		unsigned int n = sw(&ids[i], i % 2, &flush);

		KUNIT_EXPECT_GE(test, n, 1U);
		KUNIT_EXPECT_LE(test, n, 7U);
		/* Every id of the current generation has its own number. */
		for (unsigned int j = 0; j < i; j++)
			if ((ids[j] >> 3) == (ids[i] >> 3))
				KUNIT_EXPECT_NE(test, ids[j] & 7, ids[i] & 7);
	}
	/* 40 address spaces over 7 numbers: at least 5 rollovers. */
	KUNIT_EXPECT_GE(test, a.nr_rollovers, 5UL);
}

/*
 * asid=off: one number for all, and a CPU flushes exactly when it
 * switches to an address space other than the one it ran last (a new
 * address space counts as another even if it reuses a freed one's id
 * slot: ids are serial).
 */
static void asid_off_flushes_on_every_change_of_address_space(struct kunit *test)
{
	uint64_t x = 0, y = 0, z = 0;
	bool flush;

	asid_allocator_init(&a, 8, "test-asid-off");
	a.single = true;			/* what asid=off makes the arch do */

	KUNIT_EXPECT_EQ(test, sw(&x, 0, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);		/* first: nothing known */
	KUNIT_EXPECT_EQ(test, sw(&x, 0, &flush), 1U);
	KUNIT_EXPECT_FALSE(test, flush);	/* same space again */
	KUNIT_EXPECT_EQ(test, sw(&y, 0, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);		/* another space */
	KUNIT_EXPECT_NE(test, x, y);
	KUNIT_EXPECT_EQ(test, sw(&y, 1, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);		/* CPU 1 ran none yet */
	KUNIT_EXPECT_EQ(test, sw(&x, 0, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);		/* back to x on CPU 0 */
	/* A new space (id 0) is never taken for the last one. */
	KUNIT_EXPECT_EQ(test, sw(&z, 0, &flush), 1U);
	KUNIT_EXPECT_TRUE(test, flush);
	KUNIT_EXPECT_EQ(test, asid_number(&a, z), 1U);
	KUNIT_EXPECT_EQ(test, a.nr_rollovers, 0UL);
}

static struct kunit_case asid_cases[] = {
	KUNIT_CASE(numbers_are_unique_and_stable),
	KUNIT_CASE(asid_off_flushes_on_every_change_of_address_space),
	KUNIT_CASE(rollover_keeps_running_numbers_and_flushes_each_cpu_once),
	KUNIT_CASE(numbers_of_one_generation_never_repeat),
	{}
};

static struct kunit_suite asid_suite = {
	.name = "asid",
	.test_cases = asid_cases,
};
kunit_test_suite(asid_suite);
