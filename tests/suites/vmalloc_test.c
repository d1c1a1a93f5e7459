/*
 * tests/suites/vmalloc_test.c - the vmalloc area allocator: first fit,
 * guard pages between areas, lookups, vmap/vunmap of arena pages, the
 * crash-report description and vmallocinfo; ioremap's areas (ioremap_in,
 * iounmap_area) in a window of the vmalloc range. Host and kernel (on the
 * host mappings are bookkeeping, so nothing here touches the memory; the
 * kernel's real ioremap window is tests/kernel/ioremap_test.c's).
 */
#include "tests/suites/test_arena.h"
#include "kernel/printk.h"
#include "mm/vmalloc.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

static void areas_have_guard_pages(struct kunit *test)
{
	struct vm_struct *a = get_vm_area_caller(3 * PAGE_SIZE, VM_MAP, 0x1234);
	struct vm_struct *b = get_vm_area_caller(1, VM_MAP, 0x5678);
	struct vm_struct *c;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->size, 4 * PAGE_SIZE);	/* + guard */
	KUNIT_EXPECT_EQ(test, b->size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_GE(test, b->addr, a->addr + a->size);	/* no touching */
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr((void *)a->addr));
	KUNIT_EXPECT_PTR_EQ(test, find_vm_area((void *)(a->addr + 3 * PAGE_SIZE)), a);
	KUNIT_EXPECT_PTR_EQ(test, find_vm_area((void *)b->addr), b);
	/* A freed gap is reused first fit, if the new area fits. */
	unsigned long gap = a->addr;

	free_vm_area(a);
	c = get_vm_area_caller(2 * PAGE_SIZE, VM_MAP, 0x9abc);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, c->addr, gap);
	KUNIT_EXPECT_NULL(test, find_vm_area((void *)(c->addr + c->size)));
	free_vm_area(b);
	free_vm_area(c);
	KUNIT_EXPECT_NULL(test, get_vm_area_caller(0, VM_MAP, 0));
}

static struct test_arena arena;

/* vmap maps the pages; the guard stays unmapped; vunmap unmaps. */
static void vmap_maps_pages_and_not_guard(struct kunit *test)
{
	struct page *pages[4];
	unsigned long va;
	void *p;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	for (int i = 0; i < 4; i++)
		KUNIT_ASSERT_NOT_NULL(test, pages[i] = alloc_pages_node(&arena.pgdat, GFP_KERNEL, 0));
	p = vmap(pages, 4, 0, PROT_READ | PROT_WRITE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	va = (unsigned long)p;
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present(va + i * PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va + 4 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, find_vm_area(p)->nr_pages, 4u);
	KUNIT_EXPECT_GE(test, vmalloc_used_pages(), 4UL);
	vunmap(p);
	for (int i = 0; i < 4; i++)
		KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(va + i * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, find_vm_area(p));
	for (int i = 0; i < 4; i++)
		__free_page(pages[i]);
	test_arena_done(test, &arena);
}

static char out[8192];	/* vmallocinfo lists every area, boot's too */

/* What a crash report says about an address in the vmalloc range. */
static void describe_names_area_and_guard(struct kunit *test)
{
	struct vm_struct *a = get_vm_area_caller(2 * PAGE_SIZE, VM_MAP, 0x1000);
	char buf[160];

	KUNIT_ASSERT_NOT_NULL(test, a);
	a->nr_pages = 2;	/* as if mapped */
	KUNIT_EXPECT_TRUE(test, vmalloc_describe(a->addr + 8, buf, sizeof(buf)));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "vmalloc area");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "(2 pages) from");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, buf, "guard page");
	KUNIT_EXPECT_TRUE(test, vmalloc_describe(a->addr + 2 * PAGE_SIZE, buf, sizeof(buf)));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "guard page, an overrun past the area's end");
	KUNIT_EXPECT_FALSE(test, vmalloc_describe(0x1000, buf, sizeof(buf)));
	printk_capture_start(out, sizeof(out));
	show_vmallocinfo();
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, out, "pages=2 vmap");
	a->nr_pages = 0;
	free_vm_area(a);
}

/* A request larger than the range fails without taking an area. */
static void too_big_fails(struct kunit *test)
{
	struct page *pages[2] = { NULL, NULL };

	/* A NULL page in the array is refused, nothing left mapped. */
	KUNIT_EXPECT_NULL(test, vmap(pages, 2, 0, PROT_READ));
	KUNIT_EXPECT_NULL(test, get_vm_area_caller(VMALLOC_END - VMALLOC_START + 1, VM_MAP, 0));
}

/* A window for ioremap_in inside the vmalloc range (the host maps only there). */
#define WIN_START	(VMALLOC_START + (128UL << 20))
#define WIN_PAGES	16UL
#define WIN_END		(WIN_START + WIN_PAGES * PAGE_SIZE)
#define FAR_PHYS	0x12345678UL	/* mapped, never touched */

static bool in_window(const struct vm_struct *a)
{
	return a && a->addr >= WIN_START && a->addr + a->size <= WIN_END;
}

/* Map, describe, list, unmap; the freed window is handed out again. */
static void ioremap_area_maps_unmaps_and_reuses(struct kunit *test)
{
	char *p = ioremap_in(FAR_PHYS, 0x20, WIN_START, WIN_END, 0x4321);
	char *q, *big;
	struct vm_struct *a;
	unsigned long addr;
	char buf[160];

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p & ~PAGE_MASK, 0x678UL);
	a = find_vm_area(p);
	KUNIT_ASSERT_TRUE(test, in_window(a));
	addr = a->addr;
	KUNIT_EXPECT_TRUE(test, a->flags & VM_IOREMAP);
	KUNIT_EXPECT_EQ(test, a->size, 2 * PAGE_SIZE);		/* + guard */
	KUNIT_EXPECT_EQ(test, a->phys_addr, (phys_addr_t)0x12345000);
	KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present(addr));
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(addr + PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, vmalloc_describe(addr + 8, buf, sizeof(buf)));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "ioremap area");
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "(phys 0x12345000)");
	KUNIT_EXPECT_TRUE(test, vmalloc_describe(addr + PAGE_SIZE, buf, sizeof(buf)));
	KUNIT_EXPECT_STR_CONTAINS(test, buf, "guard page");
	printk_capture_start(out, sizeof(out));
	show_vmallocinfo();
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, out, "phys=0x12345000 ioremap");

	/* Straddling a page boundary takes both pages. */
	q = ioremap_in(0x1ff8, 0x10, WIN_START, WIN_END, 0x4321);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, find_vm_area(q)->size, 3 * PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, in_window(find_vm_area(q)));
	/* What is left of the window (16 - 2 - 3 pages) is too small. */
	big = ioremap_in(0, 11 * PAGE_SIZE, WIN_START, WIN_END, 0x4321);
	KUNIT_EXPECT_NULL(test, big);

	KUNIT_EXPECT_EQ(test, iounmap_area(p, 0), 0);
	KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present(addr));
	KUNIT_EXPECT_NULL(test, find_vm_area((void *)addr));
	p = ioremap_in(FAR_PHYS, 0x20, WIN_START, WIN_END, 0x4321);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, find_vm_area(p)->addr, addr);	/* reused */
	KUNIT_EXPECT_EQ(test, iounmap_area(p, 0), 0);
	KUNIT_EXPECT_EQ(test, iounmap_area(q, 0), 0);
	KUNIT_EXPECT_EQ(test, iounmap_area(NULL, 0), 0);	/* ignored */
	/* Empty again: the whole window fits (15 pages + guard). */
	big = ioremap_in(0, 15 * PAGE_SIZE, WIN_START, WIN_END, 0x4321);
	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_EXPECT_EQ(test, iounmap_area(big, 0), 0);
}

/* A second iounmap, or one of a non-ioremap address, warns and does nothing. */
static void bad_iounmap_is_reported(struct kunit *test)
{
	char *p = ioremap_in(FAR_PHYS, 0x20, WIN_START, WIN_END, 0x4321);
	struct vm_struct *v = get_vm_area_caller(PAGE_SIZE, VM_MAP, 0x1234);
	unsigned long addr;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, v);
	addr = find_vm_area(p)->addr;
	kunit_expect_reports(test, DIAG_WARN, 4);
	KUNIT_EXPECT_EQ(test, iounmap_area(p, 0), 0);
	printk_capture_start(out, sizeof(out));
	KUNIT_EXPECT_EQ(test, iounmap_area(p, 0), -1);		/* twice */
	KUNIT_EXPECT_EQ(test, iounmap_area((void *)v->addr, 0), -1);	/* vmap's */
	KUNIT_EXPECT_EQ(test, iounmap_area((void *)(addr + PAGE_SIZE * 8), 0), -1);
	KUNIT_EXPECT_EQ(test, iounmap_area((void *)(v->addr + PAGE_SIZE), 0), -1);
	printk_capture_stop();
	KUNIT_EXPECT_STR_CONTAINS(test, out, "not an ioremap address: in no area");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "not an ioremap address: a vmap area");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "inside an area, not at its start");
	KUNIT_EXPECT_PTR_EQ(test, find_vm_area((void *)v->addr), v);	/* untouched */
	free_vm_area(v);
}

static struct kunit_case vmalloc_cases[] = {
	KUNIT_CASE(areas_have_guard_pages),
	KUNIT_CASE(vmap_maps_pages_and_not_guard),
	KUNIT_CASE(describe_names_area_and_guard),
	KUNIT_CASE(too_big_fails),
	KUNIT_CASE(ioremap_area_maps_unmaps_and_reuses),
	KUNIT_CASE(bad_iounmap_is_reported),
	{}
};

static struct kunit_suite vmalloc_suite = {
	.name = "vmalloc",
	.test_cases = vmalloc_cases,
};
kunit_test_suite(vmalloc_suite);
