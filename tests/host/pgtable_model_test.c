/*
 * tests/host/pgtable_model_test.c - the portable walker (mm/pgtable.c)
 * over the host's software entry format (tests/host/host_mmu.c), with
 * table pages from malloc so AddressSanitizer checks every access.
 *
 * Replay a failing seed: build/host/unit pgtable_model --seed N
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "mm/pgtable.h"
#include <arch/mmu.h>

#include <stdlib.h>

#define M2	PGTABLE_LEVEL_SIZE(2)
#define G1	PGTABLE_LEVEL_SIZE(3)
#define RW	(PROT_READ | PROT_WRITE)

/* Table pages from malloc, counted, and a way to run out. */
struct host_tables {
	long live;		/* allocated and not freed */
	long fail_after;	/* the Nth next allocation fails (0: never) */
};

static void *tables_alloc(struct pgtable *pt)
{
	struct host_tables *h = pt->private;
	void *t;

	if (h->fail_after && --h->fail_after == 0)
		return NULL;
	t = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (t) {
		memset(t, 0, PAGE_SIZE);
		h->live++;
	}
	return t;
}

static void tables_free(struct pgtable *pt, void *t)
{
	struct host_tables *h = pt->private;

	h->live--;
	free(t);
}

static int make(struct pgtable *pt, struct host_tables *h, unsigned int levels,
		unsigned long start, unsigned long last)
{
	memset(h, 0, sizeof(*h));
	return pgtable_init_alloc(pt, &host_pte_fmt, levels, start, last,
				  tables_alloc, tables_free, h);
}

/* Map, translate, unmap in pages; the counts follow. */
static void pages_basic(struct kunit *test)
{
	struct host_tables h;
	struct pgtable pt;
	uint64_t pte;
	unsigned int level;

	KUNIT_ASSERT_EQ(test, make(&pt, &h, 4, 0, (1UL << 47) - 1), 0);
	KUNIT_EXPECT_EQ(test, h.live, 1L);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x5000, 0x12345000, 0x3000, RW,
					  G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 4UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 3UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x6abc, &pte, &level),
			(phys_addr_t)0x12346abc);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, host_pte_fmt.attrs_to_prot(pte), (unsigned int)RW);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x8000, &pte, &level),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pte, 0ULL);
	KUNIT_EXPECT_EQ(test, level, 0U);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, 0x4000, 0x3000), (size_t)0x2000);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 4UL);
	KUNIT_EXPECT_EQ(test, h.live, 0L);
}

static struct kunit_case pgtable_model_cases[] = {
	KUNIT_CASE(pages_basic),
	{}
};

static struct kunit_suite pgtable_model_suite = {
	.name = "pgtable_model",
	.test_cases = pgtable_model_cases,
};
kunit_test_suite(pgtable_model_suite);
