/*
 * tests/suites/io_pgtable_test.c - IOMMU page tables (drivers/iommu/
 * io-pgtable.c on the walker, mm/pgtable.c) driven through both entry
 * formats, the VT-d second level and the Arm stage 1, over a private page
 * arena, host and kernel: pages and blocks, splits (and a split with no
 * memory), a block never laid over a table, a page never inside a block
 * or over another, a random map/unmap run checked against a model, and
 * every page back.
 */
#include "drivers/iommu/arm-smmu-v3.h"
#include "drivers/iommu/intel-iommu.h"
#include "drivers/iommu/io-pgtable.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "tests/suites/test_arena.h"

#define M2	IO_PGTABLE_BLOCK_SIZE

static const struct pgtable_fmt *const fmts[] = { &vtd_sl_fmt, &smmu_s1_fmt };

/* Every format, 3 and 4 levels: pages, then the counts and the walk. */
static void pages_every_format(struct kunit *test)
{
	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++) {
		for (unsigned int levels = 3; levels <= 4; levels++) {
			struct test_arena a;
			struct io_pgtable pt;
			unsigned long top = (1UL << (12 + 9 * levels)) - PAGE_SIZE;
			uint64_t e;

			KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
			KUNIT_ASSERT_EQ(test, io_pgtable_init(&pt, fmts[f], levels,
							      true, &a.pgdat), 0);
			KUNIT_EXPECT_EQ(test, pt.nr_tables, 1UL);
			KUNIT_EXPECT_EQ(test, pt.ias_bits, 12 + 9 * levels);
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x5000, 0x12345000,
							     0x3000, IOMMU_READ), 0);
			KUNIT_EXPECT_EQ(test, pt.nr_tables, (unsigned long)levels);
			KUNIT_EXPECT_EQ(test, pt.nr_pages, 3UL);
			KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x6abc, &e),
					(phys_addr_t)0x12346abc);
			KUNIT_EXPECT_TRUE(test, fmts[f]->is_present(e));
			KUNIT_EXPECT_EQ(test, e & fmts[f]->addr_mask, 0x12346000ULL);
			KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x8000, &e),
					(phys_addr_t)0);
			KUNIT_EXPECT_EQ(test, e, 0ULL);
			/* the last page of the space; one past it; unaligned */
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, top, 0x1000, PAGE_SIZE,
							     IOMMU_WRITE), 0);
			KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, top + 0xfff, NULL),
					(phys_addr_t)0x1fff);
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, top + PAGE_SIZE, 0,
							     PAGE_SIZE, IOMMU_READ), -EINVAL);
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x100, 0, PAGE_SIZE,
							     IOMMU_READ), -EINVAL);
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x100000, 0, 0,
							     IOMMU_READ), -EINVAL);
			/* a page mapped already is refused and kept, and a
			 * range running into one leaves nothing of its own */
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x5000, 0x22222000,
							     PAGE_SIZE, IOMMU_READ), -EINVAL);
			KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x3000, 0x22222000,
							     0x3000, IOMMU_READ), -EINVAL);
			KUNIT_EXPECT_EQ(test, pt.nr_pages, 4UL);
			KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x5000, NULL),
					(phys_addr_t)0x12345000);
			KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x3000, NULL),
					(phys_addr_t)0);
			/* unmap counts only what was mapped, across holes */
			KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 0x4000, 0x6000),
					(size_t)0x3000);
			KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL);
			KUNIT_EXPECT_EQ(test, io_pgtable_free(&pt),
					(unsigned long)(2 * levels - 1));
			KUNIT_EXPECT_EQ(test, pt.nr_tables, 0UL);
			test_arena_done(test, &a);
		}
	}
}

/* Blocks: where both sides align, split by a partial unmap, never over a
 * table, and a page refused inside one. */
static void blocks_every_format(struct kunit *test)
{
	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++) {
		const struct pgtable_fmt *fmt = fmts[f];
		struct test_arena a;
		struct io_pgtable pt;
		uint64_t blk, pg;
		unsigned long tables;

		KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
		KUNIT_ASSERT_EQ(test, io_pgtable_init(&pt, fmt, 3, true, &a.pgdat), 0);
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 2 * M2, 16 * M2,
						     2 * M2 + PAGE_SIZE,
						     IOMMU_READ | IOMMU_WRITE), 0);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 2UL);
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 2 * M2 + 0x12345, &blk),
				(phys_addr_t)(16 * M2 + 0x12345));
		KUNIT_EXPECT_TRUE(test, fmt->is_leaf(blk, 2));
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 4 * M2 + 0x10, &pg),
				(phys_addr_t)(18 * M2 + 0x10));
		KUNIT_EXPECT_FALSE(test, fmt->is_leaf(pg, 2));
		/* the split pages carry the block's rights */
		KUNIT_EXPECT_EQ(test, fmt->leaf_attrs(pg), fmt->leaf_attrs(blk));

		/* a page inside a block: refused, and the range left empty */
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 2 * M2 - PAGE_SIZE, 0,
						     2 * PAGE_SIZE, IOMMU_READ), -EINVAL);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 2 * M2 - PAGE_SIZE, NULL),
				(phys_addr_t)0);
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 2UL);
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 2 * M2 + PAGE_SIZE, 0,
						     PAGE_SIZE, IOMMU_READ), -EINVAL);

		/* one page out of the first block: split, one cleared */
		KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 2 * M2 + PAGE_SIZE,
						       PAGE_SIZE), (size_t)PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, pt.nr_splits, 1UL);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 1UL);
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL + 511);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 2 * M2 + PAGE_SIZE, NULL),
				(phys_addr_t)0);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 2 * M2 + 0x2abc, &pg),
				(phys_addr_t)(16 * M2 + 0x2abc));
		KUNIT_EXPECT_FALSE(test, fmt->is_leaf(pg, 2));
		KUNIT_EXPECT_EQ(test, fmt->leaf_attrs(pg), fmt->leaf_attrs(blk));

		/* 2 MiB aligned over the split range: its pages are in the
		 * way; once they are gone the empty table is still there,
		 * so pages (no block laid over the table and its memory) */
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 2 * M2, 32 * M2, M2,
						     IOMMU_READ), -EINVAL);
		KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 2 * M2, M2),
				(size_t)(M2 - PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL);
		tables = pt.nr_tables;
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 2 * M2, 32 * M2, M2,
						     IOMMU_READ), 0);
		KUNIT_EXPECT_EQ(test, pt.nr_tables, tables);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 1UL);
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL + 512);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 2 * M2 + PAGE_SIZE, NULL),
				(phys_addr_t)(32 * M2 + PAGE_SIZE));

		/* the whole second block at once: no split */
		KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 3 * M2, M2), (size_t)M2);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 0UL);
		KUNIT_EXPECT_EQ(test, pt.nr_splits, 1UL);

		/* without blocks: 2 MiB aligned still maps pages */
		pt.blocks = false;
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 6 * M2, 20 * M2, M2,
						     IOMMU_READ), 0);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 0UL);
		KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL + 512 + 512);

		tables = pt.nr_tables;
		KUNIT_EXPECT_EQ(test, io_pgtable_free(&pt), tables);
		test_arena_done(test, &a);
	}
}

/* A partial unmap of a block with no page for the split drops the whole
 * block and counts the part of the range it covered. */
static void split_without_memory(struct kunit *test)
{
	static struct page *hog[1100];

	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++) {
		struct test_arena a;
		struct io_pgtable pt;
		unsigned int n = 0;

		KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
		KUNIT_ASSERT_EQ(test, io_pgtable_init(&pt, fmts[f], 3, true, &a.pgdat), 0);
		KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, M2, 4 * M2, M2,
						     IOMMU_READ | IOMMU_WRITE), 0);
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 1UL);
		while (node_free_pages(&a.pgdat) && n < ARRAY_SIZE(hog)) {
			hog[n] = alloc_pages_node(&a.pgdat, GFP_KERNEL | __GFP_NOWARN, 0);
			if (!hog[n])
				break;
			n++;
		}
		KUNIT_EXPECT_EQ(test, node_free_pages(&a.pgdat), 0UL);
		/* the last 8 KiB of the block and 4 KiB past it */
		KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 2 * M2 - 2 * PAGE_SIZE,
						       3 * PAGE_SIZE),
				(size_t)(2 * PAGE_SIZE));
		KUNIT_EXPECT_EQ(test, pt.nr_blocks, 0UL);
		KUNIT_EXPECT_EQ(test, pt.nr_splits, 0UL);
		KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, M2, NULL),
				(phys_addr_t)0);
		while (n)
			__free_pages(hog[--n], 0);
		KUNIT_EXPECT_EQ(test, io_pgtable_free(&pt), 2UL);
		test_arena_done(test, &a);
	}
}

static void bad_levels(struct kunit *test)
{
	struct io_pgtable pt;

	KUNIT_EXPECT_EQ(test, io_pgtable_init(&pt, &vtd_sl_fmt, 2, false, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, io_pgtable_init(&pt, &smmu_s1_fmt, 5, false, NULL),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, pt.root);
}

/*
 * Random maps and unmaps in an 8 MiB window (2 MiB aligned pieces often,
 * so blocks come and split), checked page by page against a model. The
 * checks walk from the root (io_pgtable_iova_to_phys), while map and
 * unmap mostly go through the last level-1 table's hint: a hint pointing
 * at the wrong table, or kept across a block, shows up as a mismatch.
 */
#define WIN_PAGES	2048

#define WIN_BASE	(64 * M2)

/* Does the table translate window pages [from, to) as the model says? */
static bool model_matches(struct io_pgtable *pt, const uint64_t *model,
			  unsigned long from, unsigned long to)
{
	for (unsigned long i = from; i < to; i++) {
		phys_addr_t got = io_pgtable_iova_to_phys(pt,
				WIN_BASE + i * PAGE_SIZE + 8, NULL);

		if (got != (model[i] ? model[i] - 1 + 8 : 0))
			return false;
	}
	return true;
}

static void random_against_model(struct kunit *test)
{
	static uint64_t model[WIN_PAGES];	/* phys + 1, 0: unmapped */
	const unsigned long base = WIN_BASE;

	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++) {
		struct test_arena a;
		struct io_pgtable pt;
		struct prng r;
		bool ok = true;

		prng_seed(&r, test->seed + f);
		memset(model, 0, sizeof(model));
		KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
		KUNIT_ASSERT_EQ(test, io_pgtable_init(&pt, fmts[f], 4, true, &a.pgdat), 0);
		for (unsigned int op = 0; op < 1000 && ok; op++) {
			bool big = prng_below(&r, 2);
			unsigned long first = big ? prng_below(&r, WIN_PAGES / 512) * 512
						  : prng_below(&r, WIN_PAGES);
			unsigned long n = big ? 512 * (1 + prng_below(&r, 2))
					      : 1 + prng_below(&r, 40);
			size_t expect = 0;

			if (first + n > WIN_PAGES)
				n = WIN_PAGES - first;
			if (prng_below(&r, 2)) {
				phys_addr_t pa = (big ? 256 * M2 : 0x40000000) +
						 prng_below(&r, 64) * M2;
				bool clear = true;

				for (unsigned long i = 0; i < n; i++)
					clear &= !model[first + i];
				if (!clear)	/* a page in a block would refuse */
					continue;
				KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt,
						base + first * PAGE_SIZE, pa,
						n * PAGE_SIZE, IOMMU_READ), 0);
				for (unsigned long i = 0; i < n; i++)
					model[first + i] = pa + i * PAGE_SIZE + 1;
			} else {
				for (unsigned long i = 0; i < n; i++)
					if (model[first + i])
						expect += PAGE_SIZE;
				KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt,
						base + first * PAGE_SIZE,
						n * PAGE_SIZE), expect);
				for (unsigned long i = 0; i < n; i++)
					model[first + i] = 0;
			}
			/* the touched range and a page either side */
			ok = model_matches(&pt, model, first ? first - 1 : 0,
					   min(first + n + 1, (unsigned long)WIN_PAGES));
			KUNIT_EXPECT_TRUE(test, ok);
		}
		KUNIT_EXPECT_TRUE(test, model_matches(&pt, model, 0, WIN_PAGES));
		{
			unsigned long mapped = 0;

			for (unsigned long i = 0; i < WIN_PAGES; i++)
				mapped += !!model[i];
			KUNIT_EXPECT_EQ(test, pt.nr_pages + 512 * pt.nr_blocks, mapped);
		}
		/* both ways of reaching a leaf were taken */
		KUNIT_EXPECT_GT(test, pt.pgt.nr_hint_hits, 0UL);
		KUNIT_EXPECT_GT(test, pt.pgt.nr_walks, 0UL);
		if (!ok)
			kunit_info(test, "format %s: replay with --seed %llu",
				   fmts[f]->name, (unsigned long long)test->seed);
		io_pgtable_free(&pt);
		test_arena_done(test, &a);
	}
}

/*
 * The walk writes runs of pages from one mk_leaf(0, ...): every format
 * must make a leaf as (paddr & addr_mask) | bits that do not depend on
 * paddr.
 */
static void leaf_is_address_plus_bits(struct kunit *test)
{
	static const int prots[] = { IOMMU_READ, IOMMU_WRITE,
				     IOMMU_READ | IOMMU_WRITE };
	const phys_addr_t pas[] = { 0x1000, 0x40000000, 0x7ffffff000ULL };

	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++)
		for (unsigned int p = 0; p < ARRAY_SIZE(prots); p++) {
			uint64_t attrs = fmts[f]->prot_to_attrs(prots[p]);
			uint64_t bits = fmts[f]->mk_leaf(0, attrs, 1);

			for (unsigned int i = 0; i < ARRAY_SIZE(pas); i++)
				KUNIT_EXPECT_EQ(test, fmts[f]->mk_leaf(pas[i], attrs, 1),
						(pas[i] & fmts[f]->addr_mask) | bits);
		}
}

/*
 * What each format says about its own entries: attrs_to_prot undoes
 * prot_to_attrs (Arm stage 1 cannot say write-only: it maps read-write),
 * leaves at every level it lists are leaves and tables are not, and a
 * 1 GiB leaf (which the drivers do not ask for yet) translates.
 */
static void formats_describe_their_entries(struct kunit *test)
{
	static const int prots[] = { IOMMU_READ, IOMMU_WRITE,
				     IOMMU_READ | IOMMU_WRITE };

	for (unsigned int p = 0; p < ARRAY_SIZE(prots); p++) {
		KUNIT_EXPECT_EQ(test, vtd_sl_fmt.attrs_to_prot(
				vtd_sl_fmt.prot_to_attrs(prots[p])), (unsigned int)prots[p]);
		KUNIT_EXPECT_EQ(test, smmu_s1_fmt.attrs_to_prot(
				smmu_s1_fmt.prot_to_attrs(prots[p])),
				(unsigned int)(prots[p] == IOMMU_READ ? IOMMU_READ :
					       IOMMU_READ | IOMMU_WRITE));
	}
	KUNIT_EXPECT_EQ(test, smmu_s1_fmt.attrs_to_prot(smmu_s1_fmt.prot_to_attrs(
			IOMMU_WRITE | IOMMU_MMIO)),
			(unsigned int)(IOMMU_READ | IOMMU_WRITE | IOMMU_MMIO));
	for (unsigned int f = 0; f < ARRAY_SIZE(fmts); f++) {
		const struct pgtable_fmt *fmt = fmts[f];
		uint64_t attrs = fmt->prot_to_attrs(IOMMU_READ);
		struct test_arena a;
		struct pgtable pt;
		uint64_t pte;
		unsigned int level;

		KUNIT_EXPECT_EQ(test, fmt->leaf_levels, (unsigned int)(BIT(1) | BIT(2) | BIT(3)));
		for (unsigned int l = 2; l <= 3; l++) {
			KUNIT_EXPECT_TRUE(test, fmt->is_leaf(fmt->mk_leaf(1UL << 30, attrs, l), l));
			KUNIT_EXPECT_FALSE(test, fmt->is_leaf(fmt->mk_table(0x5000), l));
		}
		KUNIT_EXPECT_TRUE(test, fmt->is_present(fmt->mk_leaf(0, attrs, 1)));
		KUNIT_EXPECT_FALSE(test, fmt->is_present(0));

		KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
		KUNIT_ASSERT_EQ(test, pgtable_init(&pt, fmt, 3, 0, (1UL << 39) - 1,
						   &a.pgdat), 0);
		KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 1UL << 30, 5UL << 30, 1UL << 30,
						  IOMMU_READ, 1UL << 30), 0);
		KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, (1UL << 30) + 0x123456, &pte,
							&level),
				(phys_addr_t)((5UL << 30) + 0x123456));
		KUNIT_EXPECT_EQ(test, level, 3U);
		KUNIT_EXPECT_EQ(test, fmt->leaf_attrs(pte), fmt->leaf_attrs(
				fmt->mk_leaf(0, attrs, 3)));
		KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 1UL);
		test_arena_done(test, &a);
	}
}

/* The hint follows the last level-1 table and is forgotten by free. */
static void hint_follows_the_walk(struct kunit *test)
{
	struct test_arena a;
	struct io_pgtable pt;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	KUNIT_ASSERT_EQ(test, io_pgtable_init(&pt, &vtd_sl_fmt, 3, true, &a.pgdat), 0);
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 3 * M2, 0x10000, PAGE_SIZE,
					     IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, pt.pgt.nr_walks, 1UL);
	/* the same 2 MiB: no walk; another: a walk, then the hint moves */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 3 * M2 + 0x5000, 0x20000,
					     PAGE_SIZE, IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, pt.pgt.nr_walks, 1UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 9 * M2, 0x30000, PAGE_SIZE,
					     IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, pt.pgt.nr_walks, 2UL);
	/* back to the first: through a walk, into the right table */
	KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 3 * M2, PAGE_SIZE),
			(size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt.pgt.nr_walks, 3UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 3 * M2, NULL),
			(phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 3 * M2 + 0x5000, NULL),
			(phys_addr_t)0x20000);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 9 * M2, NULL),
			(phys_addr_t)0x30000);
	/* a block's 2 MiB never becomes the hint */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 20 * M2, 40 * M2, M2,
					     IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 20 * M2, M2), (size_t)M2);
	KUNIT_EXPECT_EQ(test, pt.nr_blocks, 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 2UL);
	io_pgtable_free(&pt);
	KUNIT_EXPECT_NULL(test, pt.pgt.hint_table);
	test_arena_done(test, &a);
}

static struct kunit_case io_pgtable_cases[] = {
	KUNIT_CASE(leaf_is_address_plus_bits),
	KUNIT_CASE(formats_describe_their_entries),
	KUNIT_CASE(hint_follows_the_walk),
	KUNIT_CASE(pages_every_format),
	KUNIT_CASE(blocks_every_format),
	KUNIT_CASE(split_without_memory),
	KUNIT_CASE(bad_levels),
	KUNIT_CASE(random_against_model),
	{}
};

static struct kunit_suite io_pgtable_suite = {
	.name = "io_pgtable",
	.test_cases = io_pgtable_cases,
};
kunit_test_suite(io_pgtable_suite);
