/*
 * tests/suites/pgtable_test.c - the one page-table walker (mm/pgtable.c),
 * host and kernel, over an entry format defined here and nowhere else
 * (so the walker is shown to know nothing of any real format), with
 * table pages from a private arena through the alloc_table hook (which
 * can be told to run out): map in pages and blocks of every size the
 * format and the caller allow, unmap and protect splitting 1 GiB and
 * 2 MiB blocks, non-present payloads seen by translate and walk, the
 * walk's order, free leaving root entries outside the range alone, the
 * -EINVAL cases, -ENOMEM leaving nothing mapped, and every page back.
 */
#include "kernel/kunit.h"
#include "kernel/wait.h"
#include "mm/internal.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"
#include "tests/suites/test_arena.h"

#define M2	PGTABLE_LEVEL_SIZE(2)
#define G1	PGTABLE_LEVEL_SIZE(3)

/*
 * The test format. Unlike any hardware's: the present bit is the top
 * one, and the leaf bit is only looked at above level 1.
 *   bit 63 P   present          bit 62 B   a block (levels 2, 3)
 *   bit 61 S   payload marker   bits 0-2   R W X  (prot 1, 2, 4)
 *   bit 5  A   young            bit 6  D   dirty
 *   bits 12-51 the address;     a payload entry: S | payload << 12
 */
#define T_P		BIT(63)
#define T_B		BIT(62)
#define T_S		BIT(61)
#define T_PROT		0x7UL
#define T_A		BIT(5)
#define T_D		BIT(6)
#define T_ADDR		0x000ffffffffff000ULL
#define T_PAYLOAD_BITS	49
#define PR		1U	/* the prot bits the format takes */
#define PW		2U
#define PX		4U

static unsigned int nr_syncs;

static uint64_t t_prot_to_attrs(unsigned int prot)
{
	if (!prot || (prot & ~T_PROT))
		return 0;
	return T_P | prot;
}

static unsigned int t_attrs_to_prot(uint64_t attrs)
{
	return (unsigned int)(attrs & T_PROT);
}

static uint64_t t_mk_table(phys_addr_t phys)
{
	return T_P | (phys & T_ADDR);
}

static uint64_t t_mk_leaf(phys_addr_t paddr, uint64_t attrs, unsigned int level)
{
	return (paddr & T_ADDR) | attrs | (level > 1 ? T_B : 0);
}

static uint64_t t_leaf_attrs(uint64_t e)
{
	return e & (T_P | T_PROT | T_A | T_D);
}

static bool t_is_present(uint64_t e)
{
	return e & T_P;
}

static bool t_is_leaf(uint64_t e, unsigned int level)
{
	return level > 1 && (e & T_B);
}

static uint64_t t_mk_nonpresent(uint64_t payload)
{
	return T_S | (payload << 12);
}

static uint64_t t_nonpresent_payload(uint64_t e)
{
	return (e & ~T_S) >> 12;
}

static void t_sync(void)
{
	nr_syncs++;
}

static const struct pgtable_fmt test_fmt = {
	.name = "test",
	.addr_mask = T_ADDR,
	.leaf_levels = BIT(1) | BIT(2) | BIT(3),
	.prot_to_attrs = t_prot_to_attrs,
	.attrs_to_prot = t_attrs_to_prot,
	.mk_table = t_mk_table,
	.mk_leaf = t_mk_leaf,
	.leaf_attrs = t_leaf_attrs,
	.is_present = t_is_present,
	.is_leaf = t_is_leaf,
	.payload_bits = T_PAYLOAD_BITS,
	.mk_nonpresent = t_mk_nonpresent,
	.nonpresent_payload = t_nonpresent_payload,
	.young_bit = T_A,
	.dirty_bit = T_D,
	.sync = t_sync,
};

/* The same format with pages only (and no payloads). */
static const struct pgtable_fmt test_fmt_pages = {
	.name = "test, pages only",
	.addr_mask = T_ADDR,
	.leaf_levels = BIT(1),
	.prot_to_attrs = t_prot_to_attrs,
	.attrs_to_prot = t_attrs_to_prot,
	.mk_table = t_mk_table,
	.mk_leaf = t_mk_leaf,
	.leaf_attrs = t_leaf_attrs,
	.is_present = t_is_present,
	.is_leaf = t_is_leaf,
};

/* Table pages from the arena, counted; the Nth next one fails. */
struct tables {
	struct test_arena a;
	unsigned long live;
	unsigned long fail_after;	/* 0: never */
};

static void *tables_alloc(struct pgtable *pt)
{
	struct tables *t = pt->private;
	struct page *pg;

	if (t->fail_after && --t->fail_after == 0)
		return NULL;
	pg = alloc_pages_node(&t->a.pgdat, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);
	if (!pg)
		return NULL;
	t->live++;
	return page_address(pg);
}

static void tables_free(struct pgtable *pt, void *table)
{
	struct tables *t = pt->private;

	t->live--;
	__free_page(virt_to_page(table));
}

static bool tables_make(struct kunit *test, struct tables *t)
{
	memset(t, 0, sizeof(*t));
	return test_arena_make(test, &t->a, 0);
}

static int make(struct pgtable *pt, struct tables *t,
		const struct pgtable_fmt *fmt, unsigned int levels,
		unsigned long start, unsigned long last)
{
	return pgtable_init_alloc(pt, fmt, levels, start, last, tables_alloc,
				  tables_free, t);
}

/* The user half of a 4-level table (x86's lower half). */
#define USER_LAST	((1UL << 47) - 1)

static void init_rejects(struct kunit *test)
{
	struct pgtable pt;
	static const struct pgtable_fmt gap = { .leaf_levels = BIT(1) | BIT(3) };
	static const struct pgtable_fmt no_pages = { .leaf_levels = BIT(2) };
	static const struct pgtable_fmt root_leaf = {
		.leaf_levels = BIT(1) | BIT(2) | BIT(3) | BIT(4) };

	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 2, 0, (1UL << 30) - 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 5, 0, USER_LAST, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, pt.root);
	/* wider than 3 levels reach; unaligned ends; backwards */
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 3, 0, (1UL << 40) - 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 4, 0x800, USER_LAST, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 4, 0, USER_LAST - 1, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &test_fmt, 4, 0x2000, 0xfff, NULL), -EINVAL);
	/* leaf levels must be 1 and the ones right above it, below the root */
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &gap, 4, 0, USER_LAST, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &no_pages, 4, 0, USER_LAST, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_init(&pt, &root_leaf, 3, 0, (1UL << 39) - 1, NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, pt.root);
}

/* Pages: map, translate, the counts, the -EINVAL cases, unmap. */
static void pages_map_unmap(struct kunit *test)
{
	struct tables t;
	struct pgtable pt;
	uint64_t pte;
	unsigned int level;
	unsigned long top = USER_LAST + 1 - PAGE_SIZE;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 1UL);
	nr_syncs = 0;
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x5000, 0x12345000, 0x3000, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 4UL);
	KUNIT_EXPECT_EQ(test, t.live, 4UL);
	KUNIT_EXPECT_EQ(test, nr_syncs, 3U);	/* one per table installed */
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 3UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x6abc, &pte, &level),
			(phys_addr_t)0x12346abc);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, pte, T_P | PR | 0x12346000ULL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x8000, &pte, &level), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pte, 0ULL);
	KUNIT_EXPECT_EQ(test, level, 0U);
	/* physical address 0 is a translation too: *pte tells */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x9000, 0, PAGE_SIZE, PR | PW, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x9000, &pte, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_TRUE(test, t_is_present(pte));
	/* the last page of the range, and one past it */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, top, 0x1000, PAGE_SIZE, PW, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, top + 0xfff, NULL, NULL),
			(phys_addr_t)0x1fff);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, top + PAGE_SIZE, 0, PAGE_SIZE, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, top + PAGE_SIZE, &pte, NULL), (phys_addr_t)0);
	/* unaligned, empty, wrapping, running out of the range, bad prot */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100, 0, PAGE_SIZE, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100000, 0x800, PAGE_SIZE, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100000, 0, 0x1800, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100000, 0, 0, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, ~0UL - 0xfff, 0, 0x2000, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, top, 0, 2 * PAGE_SIZE, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, top, NULL, NULL), (phys_addr_t)0x1000);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100000, 0, PAGE_SIZE, 0, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x100000, 0, PAGE_SIZE, 8, G1), -EINVAL);
	/* a page in the way: refused, it stays, nothing of the new range */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x3000, 0x40000000, 0x3000, PW, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x3000, NULL, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x4000, &pte, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pte, 0ULL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x5000, NULL, NULL),
			(phys_addr_t)0x12345000);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 5UL);
	/* unmap counts only what was mapped, across holes; outside: 0 */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, 0x4000, 0x6000), (size_t)0x4000);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, top + PAGE_SIZE, PAGE_SIZE), (size_t)0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x5000, NULL, NULL), (phys_addr_t)0);
	/* tables stay until free */
	KUNIT_EXPECT_EQ(test, t.live, 7UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 7UL);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 0UL);
	test_arena_done(test, &t.a);
}

/* The largest leaf the format and max_leaf allow, where both sides align. */
static void leaf_sizes(struct kunit *test)
{
	struct tables t;
	struct pgtable pt, pp;
	unsigned long va = 4 * G1 - M2 - PAGE_SIZE;	/* page, block, 1 GiB */
	phys_addr_t pa = 0x100000000ULL - M2 - PAGE_SIZE;
	size_t size = PAGE_SIZE + M2 + G1 + M2;
	uint64_t pte;
	unsigned int level;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, size, PR | PX, G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 2UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[3], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 4 * G1 + 0x12345678, &pte, &level),
			(phys_addr_t)(0x100000000ULL + 0x12345678));
	KUNIT_EXPECT_EQ(test, level, 3U);
	KUNIT_EXPECT_TRUE(test, t_is_leaf(pte, 3));
	KUNIT_EXPECT_EQ(test, t_attrs_to_prot(pte), PR | PX);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 5 * G1 + 0x1234, NULL, &level),
			(phys_addr_t)(0x100000000ULL + G1 + 0x1234));
	KUNIT_EXPECT_EQ(test, level, 2U);
	/* all of it in one go: the bytes that were mapped */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va, size), size);
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 0UL);

	/* max_leaf 2 MiB: 513 blocks and a page; PAGE_SIZE: pages */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, size, PR, M2), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[3], 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 514UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va, size), size);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 8 * G1, 0, 2 * M2, PR, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1024UL);
	/* an empty page table left there takes pages even when a block fits */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, 8 * G1, 2 * M2), 2 * M2);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 8 * G1, 0, 2 * M2, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1024UL);
	/* misaligned physical address: pages only */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 10 * G1, PAGE_SIZE, M2, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1536UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 0UL);
	pgtable_free(&pt);

	/* a format with pages only gets pages whatever max_leaf says */
	KUNIT_ASSERT_EQ(test, make(&pp, &t, &test_fmt_pages, 3, 0, (1UL << 39) - 1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pp, M2, M2, M2, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pp.nr_leaves[1], 512UL);
	KUNIT_EXPECT_EQ(test, pp.nr_leaves[2], 0UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&pp), 3UL);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	test_arena_done(test, &t.a);
}

/* Does every page of [va, va + size) translate to pa + its offset with
 * prot? One page in eight, and the ends. */
static bool maps_as(struct pgtable *pt, unsigned long va, phys_addr_t pa,
		    size_t size, unsigned int prot)
{
	for (size_t off = 0; off < size; off += (off + 8 * PAGE_SIZE < size) ?
			8 * PAGE_SIZE : PAGE_SIZE) {
		uint64_t pte;

		if (pgtable_translate(pt, va + off + 8, &pte, NULL) != pa + off + 8 ||
		    t_attrs_to_prot(pte) != prot)
			return false;
	}
	return true;
}

/* Unmapping a page out of a 1 GiB block splits it twice; the rest keeps
 * its translation and rights. */
static void unmap_splits_blocks(struct kunit *test)
{
	struct tables t;
	struct pgtable pt;
	unsigned long va = 2 * G1, hole = va + 5 * M2 + 7 * PAGE_SIZE;
	phys_addr_t pa = 7 * G1;
	unsigned int level;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, G1, PR | PW, G1), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[3], 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, hole, PAGE_SIZE), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 2UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[3], 0UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 511UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 511UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, hole, NULL, &level), (phys_addr_t)0);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va, pa, hole - va, PR | PW));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, hole + PAGE_SIZE, pa + (hole - va) + PAGE_SIZE,
					va + G1 - hole - PAGE_SIZE, PR | PW));
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, hole - PAGE_SIZE, NULL, &level),
			pa + (hole - va) - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va + 100 * M2, NULL, &level),
			pa + 100 * M2);
	KUNIT_EXPECT_EQ(test, level, 2U);
	/* a whole 2 MiB block and part of the next: one split more */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va + 10 * M2, M2 + PAGE_SIZE),
			(size_t)(M2 + PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 3UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 509UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 511UL + 511);
	/* all of a block but its last page, then all but its first: each
	 * split, the one page left */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va + 30 * M2, M2 - PAGE_SIZE),
			(size_t)(M2 - PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va + 31 * M2 - PAGE_SIZE, NULL, NULL),
			pa + 31 * M2 - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va + 31 * M2 + PAGE_SIZE, M2 - PAGE_SIZE),
			(size_t)(M2 - PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va + 31 * M2, NULL, NULL), pa + 31 * M2);
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 5UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 507UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 511UL + 511 + 2);
	/* a page inside a block cannot be mapped */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va + 20 * M2, 0, PAGE_SIZE, PR, G1), -EINVAL);
	/* the whole GiB: what is left of it (3 blocks' worth is gone) */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va, G1), (size_t)(G1 - 3 * M2));
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[1] + pt.nr_leaves[2] + pt.nr_leaves[3], 0UL);
	pgtable_free(&pt);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	test_arena_done(test, &t.a);
}

/* Protect: splits a block it covers in part, skips holes and payloads,
 * keeps young and dirty, and changes nothing outside its range. */
static int set_young(unsigned long va, uint64_t *e, unsigned int level, void *arg)
{
	if (t_is_present(*e))
		*e |= T_A | T_D;
	return 0;
}

static void protect_splits_blocks(struct kunit *test)
{
	struct tables t;
	struct pgtable pt;
	unsigned long va = G1;
	phys_addr_t pa = 3 * G1;
	uint64_t pte;
	unsigned int level;
	unsigned long tables;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, G1, PR | PW, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_walk(&pt, va, G1, set_young, NULL), 0);
	/* 2 MiB aligned inside the GiB: one split, to 2 MiB blocks */
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 4 * M2, 2 * M2, PR), (long)(2 * M2));
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 1UL);
	KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 512UL);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 4 * M2, pa + 4 * M2, 2 * M2, PR));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 3 * M2, pa + 3 * M2, M2, PR | PW));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 6 * M2, pa + 6 * M2, M2, PR | PW));
	pgtable_translate(&pt, va + 5 * M2, &pte, &level);
	KUNIT_EXPECT_EQ(test, level, 2U);
	KUNIT_EXPECT_EQ(test, pte & (T_A | T_D), T_A | T_D);
	/* one page in the middle of a block: split to pages */
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 9 * M2 + 3 * PAGE_SIZE,
					      PAGE_SIZE, PR | PX), (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 2UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va + 9 * M2 + 3 * PAGE_SIZE, &pte, &level),
			pa + 9 * M2 + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t_attrs_to_prot(pte), PR | PX);
	KUNIT_EXPECT_EQ(test, pte & (T_A | T_D), T_A | T_D);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 9 * M2, pa + 9 * M2, 3 * PAGE_SIZE, PR | PW));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 9 * M2 + 4 * PAGE_SIZE,
					pa + 9 * M2 + 4 * PAGE_SIZE, M2 - 4 * PAGE_SIZE, PR | PW));
	/* across a hole and a payload: only the present leaves count */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, va + 9 * M2 + 10 * PAGE_SIZE, 2 * PAGE_SIZE),
			(size_t)(2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, va + 9 * M2 + 10 * PAGE_SIZE, 42), 0);
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 9 * M2 + 8 * PAGE_SIZE,
					      6 * PAGE_SIZE, PW), (long)(4 * PAGE_SIZE));
	pgtable_translate(&pt, va + 9 * M2 + 10 * PAGE_SIZE, &pte, NULL);
	KUNIT_EXPECT_EQ(test, pte, t_mk_nonpresent(42));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 9 * M2 + 12 * PAGE_SIZE,
					pa + 9 * M2 + 12 * PAGE_SIZE, 2 * PAGE_SIZE, PW));
	/* a prot the format refuses, or out of range: nothing changes */
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va, M2, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 0x800, M2, PR), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, USER_LAST + 1, M2, PR), -EINVAL);
	/* no page for the split: -ENOMEM, and no translation or right moved */
	tables = pt.nr_tables;
	t.fail_after = 1;
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 20 * M2 + PAGE_SIZE,
					      M2, PR), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, tables);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 20 * M2, pa + 20 * M2, 2 * M2, PR | PW));
	/* the first end split, the second fails: still nothing changed */
	t.fail_after = 2;
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 20 * M2 + PAGE_SIZE,
					      M2, PR), -ENOMEM);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, tables + 1);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 20 * M2, pa + 20 * M2, 2 * M2, PR | PW));
	t.fail_after = 0;
	KUNIT_EXPECT_EQ(test, pgtable_protect(&pt, va + 20 * M2 + PAGE_SIZE,
					      M2, PR), (long)M2);
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 20 * M2, pa + 20 * M2, PAGE_SIZE, PR | PW));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 20 * M2 + PAGE_SIZE,
					pa + 20 * M2 + PAGE_SIZE, M2, PR));
	KUNIT_EXPECT_TRUE(test, maps_as(&pt, va + 21 * M2 + PAGE_SIZE,
					pa + 21 * M2 + PAGE_SIZE, M2 - PAGE_SIZE, PR | PW));
	pgtable_free(&pt);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	test_arena_done(test, &t.a);
}

/* Non-present payloads: stored, read back, walked, in the way of a map,
 * cleared by unmap; the cases that are refused. */
struct seen {
	unsigned int n;
	unsigned long va[8];
	unsigned int level[8];
	uint64_t e[8];
	unsigned int stop_at;	/* return 1 on this visit (1-based; 0: never) */
};

static int record(unsigned long va, uint64_t *e, unsigned int level, void *arg)
{
	struct seen *s = arg;

	if (s->n < ARRAY_SIZE(s->va)) {
		s->va[s->n] = va;
		s->level[s->n] = level;
		s->e[s->n] = *e;
	}
	s->n++;
	return s->n == s->stop_at ? 7 : 0;
}

static void nonpresent_payloads(struct kunit *test)
{
	struct tables t;
	struct pgtable pt, io;
	const uint64_t big = (1ULL << T_PAYLOAD_BITS) - 1;
	struct seen s = { 0 };
	uint64_t pte;
	unsigned int level;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 3, 0, (1UL << 39) - 1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 0x7000, big), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_nonpresent, 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x7123, &pte, &level), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_FALSE(test, t_is_present(pte));
	KUNIT_EXPECT_EQ(test, t_nonpresent_payload(pte), big);
	/* replaced by another payload; a page or a map in the way refused */
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 0x7000, 5), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_nonpresent, 1UL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x6000, 0x10000, 0x2000, PR, M2), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x6000, NULL, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x8000, 0x10000, PAGE_SIZE, PR, M2), 0);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 0x8000, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 4 * M2, 4 * M2, M2, PR, M2), 0);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 4 * M2 + PAGE_SIZE, 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 0x9000, big + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 0x9800, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&pt, 1UL << 39, 1), -EINVAL);
	/* the walk sees the payload, the page and the block, in order */
	KUNIT_EXPECT_EQ(test, pgtable_walk(&pt, 0, 8 * M2, record, &s), 0);
	KUNIT_EXPECT_EQ(test, s.n, 3U);
	KUNIT_EXPECT_EQ(test, s.va[0], 0x7000UL);
	KUNIT_EXPECT_EQ(test, s.level[0], 1U);
	KUNIT_EXPECT_EQ(test, s.e[0], t_mk_nonpresent(5));
	KUNIT_EXPECT_EQ(test, s.va[1], 0x8000UL);
	KUNIT_EXPECT_EQ(test, s.va[2], 4 * M2);
	KUNIT_EXPECT_EQ(test, s.level[2], 2U);
	/* unmap clears it and does not count it as mapped */
	KUNIT_EXPECT_EQ(test, pgtable_unmap(&pt, 0x7000, 0x2000), (size_t)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt.nr_nonpresent, 0UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x7000, &pte, &level), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pte, 0ULL);
	pgtable_free(&pt);
	/* a format without payloads refuses them */
	KUNIT_ASSERT_EQ(test, make(&io, &t, &test_fmt_pages, 3, 0, (1UL << 39) - 1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_set_nonpresent(&io, 0x7000, 1), -EINVAL);
	pgtable_free(&io);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	test_arena_done(test, &t.a);
}

/* The walk: ascending, a block partly in the range once at its start,
 * only the range, and a non-zero return stops it. */
static void walk_order_and_stop(struct kunit *test)
{
	struct tables t;
	struct pgtable pt;
	struct seen s = { 0 };

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 5 * G1, 0, G1, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 3 * G1 + M2, 0, M2, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 3 * G1 - PAGE_SIZE, 0, PAGE_SIZE, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 1UL << 40, 0, PAGE_SIZE, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_walk(&pt, 3 * G1 + M2 + PAGE_SIZE, 3 * G1, record, &s), 0);
	KUNIT_EXPECT_EQ(test, s.n, 2U);
	KUNIT_EXPECT_EQ(test, s.va[0], 3 * G1 + M2);
	KUNIT_EXPECT_EQ(test, s.level[0], 2U);
	KUNIT_EXPECT_EQ(test, s.va[1], 5 * G1);
	KUNIT_EXPECT_EQ(test, s.level[1], 3U);
	memset(&s, 0, sizeof(s));
	KUNIT_EXPECT_EQ(test, pgtable_walk(&pt, 0, USER_LAST + 1, record, &s), 0);
	KUNIT_EXPECT_EQ(test, s.n, 4U);
	KUNIT_EXPECT_EQ(test, s.va[0], 3 * G1 - PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, s.va[3], 1UL << 40);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	KUNIT_EXPECT_EQ(test, pgtable_walk(&pt, 0, USER_LAST + 1, record, &s), 7);
	KUNIT_EXPECT_EQ(test, s.n, 2U);
	pgtable_free(&pt);
	test_arena_done(test, &t.a);
}

/*
 * An address space that shares the kernel's half, as x86 does: its root
 * entries 256-511 are copies of the kernel table's. Freeing it frees its
 * own tables only; the kernel's still translate. Sign-extended kernel
 * addresses index the table by their low 48 bits.
 */
static void free_leaves_outside_range(struct kunit *test)
{
	struct tables t;
	struct pgtable kern, user;
	const unsigned long kstart = 0xffff800000000000UL;
	const unsigned long kimage = 0xffffffff80000000UL;
	struct seen s = { 0 };

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	KUNIT_ASSERT_EQ(test, make(&kern, &t, &test_fmt, 4, kstart, ~0UL), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&kern, kimage, 0x200000, 3 * PAGE_SIZE, PR | PX, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&kern, kstart, 0, G1, PR | PW, G1), 0);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&kern, kimage + PAGE_SIZE + 5, NULL, NULL),
			(phys_addr_t)0x201005);
	KUNIT_EXPECT_EQ(test, pgtable_map(&kern, 0x1000, 0, PAGE_SIZE, PR, G1), -EINVAL);
	KUNIT_EXPECT_EQ(test, kern.nr_tables, 5UL);	/* root, 2 + 1, page table */
	KUNIT_EXPECT_EQ(test, pgtable_walk(&kern, kstart, ~0UL - kstart + 1, record, &s), 0);
	KUNIT_EXPECT_EQ(test, s.n, 4U);
	KUNIT_EXPECT_EQ(test, s.va[0], kstart);
	KUNIT_EXPECT_EQ(test, s.va[1], kimage);

	KUNIT_ASSERT_EQ(test, make(&user, &t, &test_fmt, 4, 0, USER_LAST), 0);
	for (unsigned int i = 256; i < PGTABLE_ENTRIES; i++)
		user.root[i] = kern.root[i];
	KUNIT_EXPECT_EQ(test, pgtable_map(&user, 0x400000, 0x1000000, 2 * PAGE_SIZE, PR | PW, G1), 0);
	KUNIT_EXPECT_EQ(test, user.nr_tables, 4UL);
	KUNIT_EXPECT_EQ(test, t.live, 9UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&user), 4UL);
	KUNIT_EXPECT_EQ(test, t.live, 5UL);
	KUNIT_EXPECT_EQ(test, pgtable_translate(&kern, kimage + 2 * PAGE_SIZE, NULL, NULL),
			(phys_addr_t)0x202000);
	KUNIT_EXPECT_EQ(test, pgtable_free(&kern), 5UL);
	KUNIT_EXPECT_EQ(test, t.live, 0UL);
	test_arena_done(test, &t.a);
}

/*
 * Out of table memory at each of the three tables a map needs (before
 * anything, after two pages, after a block too): -ENOMEM, nothing of the
 * range left, what was there before kept.
 */
static void enomem_leaves_nothing(struct kunit *test)
{
	struct tables t;
	struct pgtable pt;
	unsigned long va = G1 - 2 * PAGE_SIZE;	/* crosses a level-3 boundary */
	phys_addr_t pa = G1 - 2 * PAGE_SIZE;
	size_t size = 4 * PAGE_SIZE + M2;

	KUNIT_ASSERT_TRUE(test, tables_make(test, &t));
	for (unsigned long n = 1; n <= 4; n++) {
		KUNIT_ASSERT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), 0);
		KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 0x1000, 0x5000, PAGE_SIZE, PR, G1), 0);
		KUNIT_EXPECT_EQ(test, t.live, 4UL);
		t.fail_after = n;
		if (n == 4) {	/* three were enough */
			KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, size, PR, G1), 0);
			KUNIT_EXPECT_EQ(test, t.live, 4UL + 3);
			KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 5UL);
			KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 1UL);
		} else {
			KUNIT_EXPECT_EQ(test, pgtable_map(&pt, va, pa, size, PR, G1), -ENOMEM);
			KUNIT_EXPECT_EQ(test, t.live, 4UL + n - 1);
			KUNIT_EXPECT_EQ(test, pt.nr_leaves[1], 1UL);
			KUNIT_EXPECT_EQ(test, pt.nr_leaves[2], 0UL);
			KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va, NULL, NULL),
					(phys_addr_t)0);
			KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, G1, NULL, NULL),
					(phys_addr_t)0);
			KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, va + size - PAGE_SIZE,
								NULL, NULL), (phys_addr_t)0);
		}
		KUNIT_EXPECT_EQ(test, pgtable_translate(&pt, 0x1000, NULL, NULL),
				(phys_addr_t)0x5000);
		t.fail_after = 0;
		pgtable_free(&pt);
		KUNIT_EXPECT_EQ(test, t.live, 0UL);
	}
	/* the root could not be made */
	t.fail_after = 1;
	KUNIT_EXPECT_EQ(test, make(&pt, &t, &test_fmt, 4, 0, USER_LAST), -ENOMEM);
	KUNIT_EXPECT_NULL(test, pt.root);
	test_arena_done(test, &t.a);
}

/*
 * Without hooks the tables come from the page allocator of node, and
 * are counted in its PageTables, or SecPageTables for a device's format.
 */
static void tables_from_node(struct kunit *test)
{
	struct pgtable_fmt device_fmt = test_fmt;
	struct test_arena a;
	struct pgtable pt, dev;
	unsigned long before;

	device_fmt.secondary = true;
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	before = node_free_pages(&a.pgdat);
	KUNIT_ASSERT_EQ(test, pgtable_init(&pt, &test_fmt, 3, 0, (1UL << 39) - 1, &a.pgdat), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, G1, 0, PAGE_SIZE, PR, G1), 0);
	KUNIT_EXPECT_EQ(test, node_free_pages(&a.pgdat), before - 3);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&a.pgdat, NR_PAGETABLE), 3UL);
	KUNIT_ASSERT_EQ(test, pgtable_init(&dev, &device_fmt, 3, 0, (1UL << 39) - 1, &a.pgdat), 0);
	KUNIT_EXPECT_EQ(test, pgtable_map(&dev, 0, 0, PAGE_SIZE, PR, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&a.pgdat, NR_SECONDARY_PAGETABLE), 3UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&a.pgdat, NR_PAGETABLE), 3UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 3UL);
	KUNIT_EXPECT_EQ(test, pgtable_free(&dev), 3UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&a.pgdat, NR_PAGETABLE), 0UL);
	KUNIT_EXPECT_EQ(test, node_page_state_snapshot(&a.pgdat, NR_SECONDARY_PAGETABLE), 0UL);
	test_arena_done(test, &a);
}

/* Direct reclaim for the case below: frees the held pages, when asked
 * for the case's arena (in the kernel other CPUs reclaim meanwhile). */
static struct page *held;
static pg_data_t *held_node;

static unsigned long free_held(pg_data_t *pgdat, gfp_t gfp, unsigned int order)
{
	unsigned long n = 0;

	(void)gfp;
	(void)order;
	if (pgdat != held_node)
		return 0;
	while (held) {
		struct page *next = (struct page *)held->private;

		__free_pages(held, 0);
		held = next;
		n++;
	}
	return n;
}

/*
 * A user table's pages skip the reserves while its fault may retry: with
 * the zone at its min watermark the map fails (the fault would reclaim
 * and come back) and nothing below min is taken; when the fault may not
 * retry, or for any other table, the tables come from the reserves as
 * GFP_ATOMIC allows, each page counted in the zone's `reserve` event. A
 * table marked may_sleep (fork's child) reclaims first, and takes the
 * reserves only when reclaim found nothing.
 */
static void user_tables_skip_the_reserves(struct kunit *test)
{
	const unsigned long min = 16;
	unsigned long (*saved)(pg_data_t *, gfp_t, unsigned int);
	struct page *head = NULL;
	struct zone *zone = NULL, *z;
	struct test_arena a;
	unsigned long reserve;
	struct pgtable pt;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	for_each_populated_zone_in(z, &a.pgdat)
		if (!zone)
			zone = z;
	KUNIT_ASSERT_EQ(test, pgtable_init(&pt, &test_fmt, 3, 0, (1UL << 39) - 1, &a.pgdat), 0);
	pt.user = true;
	zone_set_watermarks(zone, min);
	test_arena_take_all(&a, 0, &head);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min);
	reserve = zone->events[ZE_RESERVE];
	/* Two pages reclaim can free. */
	held = head;
	head = (struct page *)((struct page *)head->private)->private;
	((struct page *)held->private)->private = 0;

	set_current_fault_may_retry(true);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, G1, 0, PAGE_SIZE, PR, PAGE_SIZE), -ENOMEM);
	set_current_fault_may_retry(false);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min);
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE], reserve);
	/* may_sleep: its two tables are the pages reclaim freed. */
	held_node = &a.pgdat;
	saved = page_alloc_try_to_free_pages;
	page_alloc_try_to_free_pages = free_held;
	pt.may_sleep = true;
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 4 * G1, 0, PAGE_SIZE, PR, PAGE_SIZE), 0);
	pt.may_sleep = false;
	KUNIT_EXPECT_PTR_EQ(test, held, NULL);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min);
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE], reserve);
	/* The last try of a fault (and access_remote_vm): the reserves. */
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, G1, 0, PAGE_SIZE, PR, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min - 2);
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE] - reserve, 2UL);
	/* Not a user table: the reserves, retry or not. */
	pt.user = false;
	set_current_fault_may_retry(true);
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 2 * G1, 0, PAGE_SIZE, PR, PAGE_SIZE), 0);
	set_current_fault_may_retry(false);
	KUNIT_EXPECT_EQ(test, zone->free_pages, min - 4);
	/* may_sleep with nothing to reclaim: the reserves, as before. */
	pt.may_sleep = true;
	KUNIT_EXPECT_EQ(test, pgtable_map(&pt, 3 * G1, 0, PAGE_SIZE, PR, PAGE_SIZE), 0);
	pt.may_sleep = false;
	page_alloc_try_to_free_pages = saved;
	KUNIT_EXPECT_EQ(test, zone->free_pages, min - 6);
	KUNIT_EXPECT_EQ(test, zone->events[ZE_RESERVE] - reserve, 6UL);

	KUNIT_EXPECT_EQ(test, pgtable_free(&pt), 9UL);
	test_arena_give_back(&head);
	zone_set_watermarks(zone, 0);
	test_arena_done(test, &a);
}

static struct kunit_case pgtable_cases[] = {
	KUNIT_CASE(init_rejects),
	KUNIT_CASE(pages_map_unmap),
	KUNIT_CASE(leaf_sizes),
	KUNIT_CASE(unmap_splits_blocks),
	KUNIT_CASE(protect_splits_blocks),
	KUNIT_CASE(nonpresent_payloads),
	KUNIT_CASE(walk_order_and_stop),
	KUNIT_CASE(free_leaves_outside_range),
	KUNIT_CASE(enomem_leaves_nothing),
	KUNIT_CASE(tables_from_node),
	KUNIT_CASE(user_tables_skip_the_reserves),
	{}
};

static struct kunit_suite pgtable_suite = {
	.name = "pgtable",
	.test_cases = pgtable_cases,
};
kunit_test_suite(pgtable_suite);
