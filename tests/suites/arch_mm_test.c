/*
 * tests/suites/arch_mm_test.c - the user-address-space half of the arch
 * MMU contract (<arch/mmu.h>) as portable code sees it, on every
 * architecture: the host's software format under ASan, and x86_64's and
 * arm64's real formats in the kernel. Nothing is loaded or read through
 * the mappings here (tests/kernel/mmu_test.c does that), so the
 * physical addresses are never touched. What is checked: map, protect
 * and unmap change what the table says (through the walker and the
 * arch's own format), PROT_USER is kept, the largest leaf is used where
 * it fits, and destroy gives back every table page.
 */
#include "kernel/kunit.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>
#include <arch/page.h>

#define UVA	0x40000000UL		/* 1 GiB: a user address */
#define PA	0x12340000UL		/* never read or written */
#define SZ_2M	(1UL << 21)

static unsigned int prot_at(struct arch_mm *mm, unsigned long va,
			    phys_addr_t *pa, unsigned int *level)
{
	const struct pgtable_fmt *fmt = mm->pgt.fmt;
	uint64_t pte = 0;

	*pa = pgtable_translate(&mm->pgt, va, &pte, level);
	if (!fmt->is_present(pte))
		return 0;
	return fmt->attrs_to_prot(fmt->leaf_attrs(pte));
}

static void map_protect_unmap(struct kunit *test)
{
	unsigned int rw = PROT_READ | PROT_WRITE | PROT_USER, level;
	struct arch_mm mm;
	phys_addr_t pa;

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_tables, 1UL);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA, PA, 3 * PAGE_SIZE, rw), 0);
	KUNIT_EXPECT_EQ(test, prot_at(&mm, UVA + PAGE_SIZE + 8, &pa, &level) &
			(PROT_READ | PROT_WRITE | PROT_USER), rw);
	KUNIT_EXPECT_EQ(test, pa, (phys_addr_t)PA + PAGE_SIZE + 8);
	KUNIT_EXPECT_EQ(test, level, 1U);
	/* Mapped already: refused, nothing changes. */
	KUNIT_EXPECT_NE(test, arch_mm_map(&mm, UVA + PAGE_SIZE, PA, PAGE_SIZE, rw), 0);
	/* Outside the user half. */
	KUNIT_EXPECT_NE(test, arch_mm_map(&mm, TASK_SIZE, PA, PAGE_SIZE, rw), 0);

	KUNIT_EXPECT_EQ(test, arch_mm_protect(&mm, UVA + PAGE_SIZE, PAGE_SIZE,
					      PROT_READ | PROT_USER), (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, prot_at(&mm, UVA + PAGE_SIZE, &pa, &level) &
			(PROT_READ | PROT_WRITE | PROT_USER), (unsigned int)(PROT_READ | PROT_USER));
	KUNIT_EXPECT_TRUE(test, prot_at(&mm, UVA, &pa, &level) & PROT_WRITE);

	KUNIT_EXPECT_EQ(test, arch_mm_unmap(&mm, UVA, 3 * PAGE_SIZE),
			(size_t)(3 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, prot_at(&mm, UVA, &pa, &level), 0U);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_leaves[1], 0UL);
	arch_mm_destroy(&mm);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_tables, 0UL);
}

static void largest_leaf_and_destroy(struct kunit *test)
{
	unsigned int rw = PROT_READ | PROT_WRITE | PROT_USER, level;
	struct arch_mm mm;
	phys_addr_t pa;

	KUNIT_ASSERT_EQ(test, arch_mm_create(&mm), 0);
	/* 2 MiB aligned on both sides, and 2 MiB long: one level-2 leaf. */
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, UVA + SZ_2M, 0x40000000UL, SZ_2M, rw), 0);
	prot_at(&mm, UVA + SZ_2M + 0x1234, &pa, &level);
	KUNIT_EXPECT_EQ(test, level, 2U);
	KUNIT_EXPECT_EQ(test, pa, (phys_addr_t)0x40001234UL);
	/* A page far away: tables at every level. */
	KUNIT_ASSERT_EQ(test, arch_mm_map(&mm, TASK_SIZE - PAGE_SIZE, PA, PAGE_SIZE, rw), 0);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_tables, 1UL + 2 + 3);
	/* Protecting half the block splits it. */
	KUNIT_EXPECT_EQ(test, arch_mm_protect(&mm, UVA + SZ_2M, PAGE_SIZE,
					      PROT_READ | PROT_USER), (long)PAGE_SIZE);
	prot_at(&mm, UVA + SZ_2M + PAGE_SIZE, &pa, &level);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_tables, 1UL + 2 + 3 + 1);
	arch_mm_destroy(&mm);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_tables, 0UL);
	KUNIT_EXPECT_EQ(test, mm.pgt.nr_leaves[1] + mm.pgt.nr_leaves[2], 0UL);
}

static struct kunit_case arch_mm_cases[] = {
	KUNIT_CASE(map_protect_unmap),
	KUNIT_CASE(largest_leaf_and_destroy),
	{}
};

static struct kunit_suite arch_mm_suite = {
	.name = "arch_mm",
	.test_cases = arch_mm_cases,
};
kunit_test_suite(arch_mm_suite);
