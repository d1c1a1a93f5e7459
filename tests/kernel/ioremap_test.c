/*
 * tests/kernel/ioremap_test.c - ioremap()/iounmap() in the arch's real
 * ioremap window, through the real page tables.
 *
 * The "device" is a RAM page from the page allocator, mapped with
 * PROT_DEVICE (uncached / Device-nGnRE) beside its cacheable direct-map
 * alias. Real hardware forbids relying on such mismatched aliases; under
 * QEMU's TCG there are no caches, so a value written through one alias
 * reads back through the other, which shows the mapping points at the
 * right page and offset. Only readl/writel touch the ioremap alias.
 */
#include "kernel/kunit.h"
#include "kernel/printk.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include <arch/mmio.h>
#include "mm/arch_mm.h"
#include <arch/mmu.h>
#include <arch/page.h>

static bool in_ioremap_window(unsigned long va)
{
	return va >= IOREMAP_BASE && va < IOREMAP_BASE + IOREMAP_SIZE;
}

/* Map, read and write through the window, unmap; the window is reused. */
static void ioremap_maps_and_iounmap_unmaps(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	volatile uint32_t *direct;
	phys_addr_t phys;
	struct vm_struct *area;
	unsigned long va;
	void *regs, *again;

	KUNIT_ASSERT_NOT_NULL(test, page);
	phys = PFN_PHYS(page_to_pfn(page));
	direct = page_address(page);
	direct[0x40 / 4] = 0x12345678;

	regs = ioremap(phys + 0x40, 0x20);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	va = (unsigned long)regs & PAGE_MASK;
	KUNIT_EXPECT_TRUE(test, in_ioremap_window(va));
	KUNIT_EXPECT_EQ(test, (unsigned long)regs & ~PAGE_MASK, 0x40UL);
	area = find_vm_area(regs);
	KUNIT_ASSERT_NOT_NULL(test, area);
	KUNIT_EXPECT_TRUE(test, area->flags & VM_IOREMAP);
	KUNIT_EXPECT_EQ(test, area->phys_addr, phys);
	KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present(va));
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va + PAGE_SIZE));	/* guard */
	KUNIT_EXPECT_EQ(test, readl(regs), 0x12345678u);
	writel(0xcafef00d, (uint8_t *)regs + 4);
	KUNIT_EXPECT_EQ(test, direct[0x44 / 4], 0xcafef00du);

	iounmap(regs);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va));
	KUNIT_EXPECT_NULL(test, find_vm_area((void *)va));

	/* Lowest fit: nothing below it was freed since, so the same place. */
	again = ioremap(phys, 4);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_EQ(test, (unsigned long)again, va);
	KUNIT_EXPECT_EQ(test, readl(again), 0u);
	iounmap(again);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va));
	__free_page(page);
}

/* A double iounmap and a vmalloc address are reported, not a crash. */
static void bad_iounmap_warns(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *regs, *v;

	KUNIT_ASSERT_NOT_NULL(test, page);
	regs = ioremap(PFN_PHYS(page_to_pfn(page)), PAGE_SIZE);
	v = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, regs);
	KUNIT_ASSERT_NOT_NULL(test, v);
	kunit_expect_reports(test, DIAG_WARN, 2);
	iounmap(regs);
	iounmap(regs);			/* twice */
	iounmap(v);			/* not ioremap's */
	KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present((unsigned long)v));
	vfree(v);
	__free_page(page);
}

static struct kunit_case ioremap_cases[] = {
	KUNIT_CASE(ioremap_maps_and_iounmap_unmaps),
	KUNIT_CASE(bad_iounmap_warns),
	{}
};

static struct kunit_suite ioremap_suite = {
	.name = "ioremap",
	.test_cases = ioremap_cases,
};
kunit_test_suite(ioremap_suite);
