/*
 * tests/suites/intel_iommu_test.c - the pure logic of the VT-d driver
 * (drivers/iommu/intel-*.c), host and kernel: the DMAR table parser over
 * fake ACPI tables (good ones, and each malformed case with its message),
 * the second-level page tables over a private page arena (4 KiB and
 * 2 MiB entries, splits, rights, failure leaves nothing mapped, every
 * page back), and the fault-reason words.
 */
#include "drivers/acpi/acpi.h"
#include "drivers/iommu/intel-iommu.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "tests/suites/test_arena.h"
#include "tests/suites/test_bytes.h"

#define TABLES_PHYS	0x20000ULL
#define TABLES_SIZE	4096

static uint8_t tables[TABLES_SIZE];

static const void *fake_map(uint64_t phys, uint64_t len)
{
	if (phys >= TABLES_PHYS && phys + len <= TABLES_PHYS + TABLES_SIZE)
		return tables + (phys - TABLES_PHYS);
	return NULL;
}

/* A DMAR at +0x200 with what QEMU's q35 gives (one DRHD, INCLUDE_PCI_ALL,
 * an IOAPIC scope), an endpoint-scoped DRHD, an RMRR, an unknown type. */
#define DMAR_OFF	0x200
static uint32_t build_dmar(uint8_t *t)
{
	uint32_t off = 48;

	memset(t, 0, 1024);
	memcpy(t, "DMAR", 4);
	t[8] = 1;
	t[36] = 38;		/* HAW 39 bits */
	t[37] = 1;		/* INTR_REMAP */
	/* DRHD 1: include all, scope IOAPIC id 0 at 00:1f.7... */
	put16(t + off, 0);
	put16(t + off + 2, 16 + 8);
	t[off + 4] = 1;
	put16(t + off + 6, 0);
	put64(t + off + 8, 0xfed90000);
	t[off + 16] = DMAR_SCOPE_IOAPIC;
	t[off + 17] = 8;
	t[off + 20] = 0;	/* enumeration id */
	t[off + 21] = 0xff;	/* start bus */
	t[off + 22] = 0;
	t[off + 23] = 0;
	off += 24;
	/* DRHD 2: endpoint 00:03.0 only */
	put16(t + off, 0);
	put16(t + off + 2, 16 + 8);
	put64(t + off + 8, 0xfed91000);
	t[off + 16] = DMAR_SCOPE_ENDPOINT;
	t[off + 17] = 8;
	t[off + 21] = 0;
	t[off + 22] = 3;
	t[off + 23] = 0;
	off += 24;
	/* an ATSR-like unknown structure (type 9), skipped */
	put16(t + off, 9);
	put16(t + off + 2, 8);
	off += 8;
	/* RMRR for 00:1d.0, 0xe8000-0xe8fff */
	put16(t + off, 1);
	put16(t + off + 2, 24 + 8);
	put64(t + off + 8, 0xe8000);
	put64(t + off + 16, 0xe8fff);
	t[off + 24] = DMAR_SCOPE_ENDPOINT;
	t[off + 25] = 8;
	t[off + 30] = 0x1d;
	t[off + 31] = 0;
	off += 32;
	put32(t + 4, off);
	fix_sum(t, off, 9);
	return off;
}

static void dmar_good_table(struct kunit *test)
{
	static struct dmar_info info;
	uint32_t len = build_dmar(tables + DMAR_OFF);
	char err[160] = "";

	KUNIT_ASSERT_EQ(test, dmar_parse(tables + DMAR_OFF, len, &info, err,
					 sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, info.haw, 39);
	KUNIT_EXPECT_EQ(test, info.flags, 1);
	KUNIT_ASSERT_EQ(test, info.nr_drhd, 2u);
	KUNIT_EXPECT_TRUE(test, info.drhd[0].include_all);
	KUNIT_EXPECT_EQ(test, info.drhd[0].reg_base, 0xfed90000ULL);
	KUNIT_EXPECT_EQ(test, info.drhd[0].reg_size, 4096u);
	KUNIT_EXPECT_EQ(test, info.drhd[0].nr_scopes, 1u);
	KUNIT_EXPECT_EQ(test, info.drhd[0].scopes[0].type, DMAR_SCOPE_IOAPIC);
	KUNIT_EXPECT_EQ(test, info.drhd[0].scopes[0].start_bus, 0xff);
	KUNIT_EXPECT_FALSE(test, info.drhd[1].include_all);
	KUNIT_EXPECT_TRUE(test, dmar_scope_matches(&info.drhd[1].scopes[0], 0,
						   (3 << 3) | 0));
	KUNIT_EXPECT_FALSE(test, dmar_scope_matches(&info.drhd[1].scopes[0], 0,
						    (3 << 3) | 1));
	KUNIT_EXPECT_FALSE(test, dmar_scope_matches(&info.drhd[0].scopes[0], 0xff, 0));
	KUNIT_EXPECT_EQ(test, info.nr_skipped, 1u);
	KUNIT_ASSERT_EQ(test, info.nr_rmrr, 1u);
	KUNIT_EXPECT_EQ(test, info.rmrr[0].base, 0xe8000ULL);
	KUNIT_EXPECT_EQ(test, info.rmrr[0].limit, 0xe8fffULL);
	KUNIT_EXPECT_TRUE(test, dmar_scope_matches(&info.rmrr[0].scopes[0], 0,
						   0x1d << 3));
}

/* Parse a broken copy; expect failure and a message containing want. */
static void expect_bad(struct kunit *test, uint32_t len, const char *want)
{
	static struct dmar_info info;
	char err[160] = "";

	put32(tables + DMAR_OFF + 4, len);
	KUNIT_EXPECT_EQ(test, dmar_parse(tables + DMAR_OFF, len, &info, err,
					 sizeof(err)), -1);
	KUNIT_EXPECT_STR_CONTAINS(test, err, want);
}

static void dmar_malformed(struct kunit *test)
{
	uint8_t *t = tables + DMAR_OFF;
	uint32_t len;

	len = build_dmar(t);
	expect_bad(test, 40, "shorter than its 48-byte fixed part");

	len = build_dmar(t);
	put16(t + 48 + 2, 2);			/* structure length < 4 */
	expect_bad(test, len, "is less than 4");

	len = build_dmar(t);
	put16(t + 48 + 2, (uint16_t)(len - 48 + 8));	/* past the table */
	expect_bad(test, len, "runs past the table end");

	len = build_dmar(t);
	t[48 + 17] = 16;			/* scope longer than the DRHD */
	expect_bad(test, len, "runs past the structure end");

	len = build_dmar(t);
	t[48 + 17] = 3;				/* scope shorter than its header */
	expect_bad(test, len, "is less than 6");

	len = build_dmar(t);
	t[48 + 17] = 7;				/* half a path entry */
	expect_bad(test, len, "half a path entry");

	len = build_dmar(t);
	put16(t + 48 + 2, 12);			/* DRHD shorter than 16 */
	put16(t + 48 + 12, 0);			/* (following: a 12-byte gap) */
	expect_bad(test, len, "DRHD at offset 48");

	len = build_dmar(t);
	put64(t + 48 + 8, 0xfed90010);		/* unaligned registers */
	expect_bad(test, len, "not a page address");

	len = build_dmar(t);
	put16(t + len - 32 + 2, 16);		/* RMRR shorter than 24 */
	put32(t + 4, len - 16);
	expect_bad(test, len - 16, "RMRR");

	len = build_dmar(t);
	put64(t + len - 32 + 16, 0xe7000);	/* limit below base */
	expect_bad(test, len, "below base");

	len = build_dmar(t);
	memcpy(t, "DMAX", 4);
	expect_bad(test, len, "not 'DMAR'");

	len = build_dmar(t);
	t[len] = 5;				/* 3 trailing bytes: no header */
	expect_bad(test, len + 3, "header runs past the table end");
}

/* RSDP (rev 2, XSDT) -> XSDT -> { "APIC" dummy, DMAR }; then the lookup. */
static void dmar_found_through_xsdt(struct kunit *test)
{
	uint8_t *r = tables, *x = tables + 0x100, *a = tables + 0x180;
	static struct dmar_info info;
	uint64_t phys = 0;
	uint32_t len = 0, dlen;
	const uint8_t *t;
	char err[160] = "";

	memset(tables, 0, sizeof(tables));
	dlen = build_dmar(tables + DMAR_OFF);
	memcpy(a, "APIC", 4);
	put32(a + 4, 44);
	fix_sum(a, 44, 9);
	memcpy(x, "XSDT", 4);
	put32(x + 4, 36 + 16);
	put64(x + 36, TABLES_PHYS + 0x180);
	put64(x + 44, TABLES_PHYS + DMAR_OFF);
	fix_sum(x, 52, 9);
	memcpy(r, "RSD PTR ", 8);
	r[15] = 2;
	put32(r + 20, 36);
	put64(r + 24, TABLES_PHYS + 0x100);
	fix_sum(r, 20, 8);
	fix_sum(r, 36, 32);
	t = acpi_find_table(TABLES_PHYS, fake_map, "DMAR", &phys, err, sizeof(err));
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, phys, TABLES_PHYS + DMAR_OFF);
	memcpy(&len, t + 4, 4);
	KUNIT_EXPECT_EQ(test, len, dlen);
	KUNIT_EXPECT_EQ(test, dmar_parse(t, len, &info, err, sizeof(err)), 0);
	KUNIT_EXPECT_EQ(test, info.nr_drhd, 2u);
	KUNIT_EXPECT_NULL(test, acpi_find_table(TABLES_PHYS, fake_map, "MCFG",
						NULL, err, sizeof(err)));
	tables[DMAR_OFF + 40] ^= 1;		/* break the checksum */
	KUNIT_EXPECT_NULL(test, acpi_find_table(TABLES_PHYS, fake_map, "DMAR",
						NULL, err, sizeof(err)));
	KUNIT_EXPECT_STR_CONTAINS(test, err, "checksum");
}

/* ------------------------------------------------------------ page tables */

static void pgtable_map_walk_unmap(struct kunit *test)
{
	struct test_arena a;
	struct io_pgtable pt;
	uint64_t pte;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	KUNIT_ASSERT_EQ(test, vtd_pgtable_init(&pt, 3, false, &a.pgdat), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 1UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x5000, 0x12345000, 0x3000,
					      IOMMU_READ), 0);
	/* root + level 2 + level 1 */
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 3UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x5123, &pte),
			(phys_addr_t)0x12345123);
	KUNIT_EXPECT_EQ(test, pte, 0x12345000ULL | VTD_PTE_R);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x7fff, NULL),
			(phys_addr_t)0x12347fff);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x8000, NULL), (phys_addr_t)0);
	/* the walk by hand: the level-3 entry points at a table with R|W */
	KUNIT_EXPECT_EQ(test, pt.root[0] & 3, 3ULL);
	/* beyond 39 bits with 3 levels, unaligned, no rights */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 1UL << 39, 0, 4096, IOMMU_READ),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x100, 0, 4096, IOMMU_READ),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x100000, 0, 4096, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 0x4000, 0x5000), (size_t)0x3000);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x5000, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 0UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_free(&pt), 3UL);
	test_arena_done(test, &a);
}

static void pgtable_superpages(struct kunit *test)
{
	struct test_arena a;
	struct io_pgtable pt;
	const unsigned long M2 = 2UL << 20;
	uint64_t pte;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	KUNIT_ASSERT_EQ(test, vtd_pgtable_init(&pt, 4, true, &a.pgdat), 0);
	/* 2 MiB + 4 KiB, both aligned: one superpage, one 4 KiB page */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 4 * M2, 16 * M2, M2 + 4096,
					      IOMMU_READ | IOMMU_WRITE), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_blocks, 1UL);
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 1UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 4 * M2 + 0x12345, &pte),
			(phys_addr_t)(16 * M2 + 0x12345));
	KUNIT_EXPECT_TRUE(test, pte & VTD_PTE_PS);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 5 * M2 + 0x10, NULL),
			(phys_addr_t)(17 * M2 + 0x10));
	/* physical address not 2 MiB aligned: 4 KiB pages only */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 8 * M2, 16 * M2 + 4096, M2,
					      IOMMU_READ), 0);
	KUNIT_EXPECT_EQ(test, pt.nr_blocks, 1UL);
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 513UL);
	/* unmapping one page of the superpage splits it */
	KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 4 * M2 + 4096, 4096),
			(size_t)4096);
	KUNIT_EXPECT_EQ(test, pt.nr_splits, 1UL);
	KUNIT_EXPECT_EQ(test, pt.nr_blocks, 0UL);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 4 * M2 + 4096, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 4 * M2 + 8192, NULL),
			(phys_addr_t)(16 * M2 + 8192));
	KUNIT_EXPECT_EQ(test, io_pgtable_unmap(&pt, 0, 16 * M2),
			(size_t)(2 * M2 + 4096 - 4096));
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 0UL);
	io_pgtable_free(&pt);
	KUNIT_EXPECT_EQ(test, pt.nr_tables, 0UL);
	test_arena_done(test, &a);
}

/* Out of table memory half way: -ENOMEM and nothing of the range mapped. */
static void pgtable_enomem_leaves_nothing(struct kunit *test)
{
	struct test_arena a;
	struct io_pgtable pt;
	static struct page *hog[1100];
	unsigned int n = 0;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &a, 0));
	KUNIT_ASSERT_EQ(test, vtd_pgtable_init(&pt, 3, false, &a.pgdat), 0);
	/* leave 2 pages: one level-2 and one level-1 table */
	while (node_free_pages(&a.pgdat) > 2 && n < ARRAY_SIZE(hog)) {
		hog[n] = alloc_pages_node(&a.pgdat, GFP_KERNEL, 0);
		if (!hog[n])
			break;
		n++;
	}
	/* 4 MiB spanning two level-1 tables: the second one cannot be made */
	KUNIT_EXPECT_EQ(test, io_pgtable_map(&pt, 0x1ff000, 0x40000000, 0x2000,
					      IOMMU_WRITE), -ENOMEM);
	KUNIT_EXPECT_EQ(test, io_pgtable_iova_to_phys(&pt, 0x1ff000, NULL), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, pt.nr_pages, 0UL);
	while (n)
		__free_pages(hog[--n], 0);
	io_pgtable_free(&pt);
	test_arena_done(test, &a);
}

static void fault_words(struct kunit *test)
{
	char buf[8];

	KUNIT_EXPECT_STR_CONTAINS(test, vtd_fault_reason_str(5), "write");
	KUNIT_EXPECT_STR_CONTAINS(test, vtd_fault_reason_str(6), "read");
	KUNIT_EXPECT_STR_CONTAINS(test, vtd_fault_reason_str(2), "context entry");
	KUNIT_EXPECT_STR_CONTAINS(test, vtd_fault_reason_str(0x22), "interrupt");
	KUNIT_EXPECT_STREQ(test, vtd_fault_reason_str(0x99), "unknown fault reason");
	vtd_format_sid(0x0018, buf, sizeof(buf));	/* 00:03.0 */
	KUNIT_EXPECT_STREQ(test, buf, "00:03.0");
	vtd_format_sid(0x01ff, buf, sizeof(buf));	/* 01:1f.7 */
	KUNIT_EXPECT_STREQ(test, buf, "01:1f.7");
}

static struct kunit_case intel_iommu_cases[] = {
	KUNIT_CASE(dmar_good_table),
	KUNIT_CASE(dmar_malformed),
	KUNIT_CASE(dmar_found_through_xsdt),
	KUNIT_CASE(pgtable_map_walk_unmap),
	KUNIT_CASE(pgtable_superpages),
	KUNIT_CASE(pgtable_enomem_leaves_nothing),
	KUNIT_CASE(fault_words),
	{}
};

static struct kunit_suite intel_iommu_suite = {
	.name = "intel_iommu",
	.test_cases = intel_iommu_cases,
};
kunit_test_suite(intel_iommu_suite);
