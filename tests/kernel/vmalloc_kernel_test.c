/*
 * tests/kernel/vmalloc_kernel_test.c - vmalloc and vmap read back through
 * the mapping, in the kernel (on the host, tests/suites/vmalloc_test.c
 * can only check the bookkeeping: nothing is mapped there).
 *
 * Each page gets a pattern naming its pfn and its place in the area,
 * written through one alias and read through the other: the vmalloc
 * address and the direct map of the page the area says is behind it
 * (vm->pages[i], or the caller's array for vmap). A mapping that points
 * at the wrong page, the wrong offset, or nowhere fails here.
 */
#include "kernel/kunit.h"
#include "mm/page_alloc.h"
#include "mm/vmalloc.h"
#include "mm/arch_mm.h"
#include <arch/mmu.h>

#define NPAGES	5

static uint64_t word(unsigned long pfn, unsigned int i, unsigned long w,
		     uint64_t tag)
{
	return tag ^ ((uint64_t)pfn << 20) ^ ((uint64_t)i << 12) ^ w;
}

static void fill(void *va, unsigned long pfn, unsigned int i, uint64_t tag)
{
	uint64_t *p = va;

	for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
		p[w] = word(pfn, i, w, tag);
}

/* The page at va holds fill(pfn, i, tag); fails the case if not. */
static bool holds(struct kunit *test, const void *va, unsigned long pfn,
		  unsigned int i, uint64_t tag, const char *through)
{
	const uint64_t *p = va;

	for (unsigned long w = 0; w < PAGE_SIZE / 8; w++)
		if (p[w] != word(pfn, i, w, tag)) {
			KUNIT_FAIL(test, "page %u (pfn %#lx) word %lu through %s %p: %#llx, want %#llx",
				   i, pfn, w, through, va,
				   (unsigned long long)p[w],
				   (unsigned long long)word(pfn, i, w, tag));
			return false;
		}
	return true;
}

/*
 * Check both directions for page i of an area at va backed by page:
 * written through the area, read through the direct map; then written
 * through the direct map, read through the area.
 */
static bool same_memory(struct kunit *test, uint8_t *va, unsigned int i,
			struct page *page)
{
	void *direct = page_address(page);
	unsigned long pfn = page_to_pfn(page);
	void *v = va + (unsigned long)i * PAGE_SIZE;

	fill(v, pfn, i, 0xa5a5a5a5ULL);
	if (!holds(test, direct, pfn, i, 0xa5a5a5a5ULL, "the direct map"))
		return false;
	fill(direct, pfn, i, 0x5a5a5a5a00ULL);
	return holds(test, v, pfn, i, 0x5a5a5a5a00ULL, "the vmalloc alias");
}

/* vmalloc: every page of the area is the page vm->pages[] names. */
static void vmalloc_reads_back(struct kunit *test)
{
	uint8_t *va = vmalloc(NPAGES * PAGE_SIZE);
	struct vm_struct *vm;

	KUNIT_ASSERT_NOT_NULL(test, va);
	vm = find_vm_area(va);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, vm->nr_pages, (unsigned int)NPAGES);
	KUNIT_ASSERT_NOT_NULL(test, vm->pages);
	for (unsigned int i = 0; i < NPAGES; i++) {
		KUNIT_EXPECT_TRUE(test, arch_kernel_pte_present((unsigned long)va + i * PAGE_SIZE));
		if (!same_memory(test, va, i, vm->pages[i]))
			break;
	}
	vfree(va);
}

/* vzalloc: zero through the mapping, every byte. */
static void vzalloc_is_zero(struct kunit *test)
{
	const uint64_t *va = vzalloc(NPAGES * PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, va);
	for (unsigned long w = 0; w < NPAGES * PAGE_SIZE / 8; w++)
		if (va[w]) {
			KUNIT_FAIL(test, "vzalloc word %lu is %#llx", w,
				   (unsigned long long)va[w]);
			break;
		}
	vfree(va);
}

/*
 * vmap of pages in an order of the caller's choosing (backwards, one of
 * them twice): page i of the area is pages[i], and the alias for a page
 * mapped twice sees the other's writes.
 */
static void vmap_reads_back(struct kunit *test)
{
	struct page *own[NPAGES], *pages[NPAGES + 1];
	uint8_t *va;

	for (unsigned int i = 0; i < NPAGES; i++) {
		own[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, own[i]);
	}
	for (unsigned int i = 0; i < NPAGES; i++)
		pages[i] = own[NPAGES - 1 - i];
	pages[NPAGES] = own[1];
	va = vmap(pages, NPAGES + 1, 0, PROT_READ | PROT_WRITE);
	KUNIT_EXPECT_NOT_NULL(test, va);
	if (va) {
		for (unsigned int i = 0; i < NPAGES; i++)
			if (!same_memory(test, va, i, pages[i]))
				break;
		/* pages[NPAGES] is own[1], also mapped at NPAGES - 2 */
		fill(va + (NPAGES - 2) * PAGE_SIZE, page_to_pfn(own[1]), 7, 0x77);
		holds(test, va + NPAGES * PAGE_SIZE, page_to_pfn(own[1]), 7, 0x77,
		      "the second vmap alias");
		KUNIT_EXPECT_FALSE(test, arch_kernel_pte_present((unsigned long)va +
					(NPAGES + 1) * PAGE_SIZE));	/* the guard */
		vunmap(va);
	}
	for (unsigned int i = 0; i < NPAGES; i++)
		__free_page(own[i]);
}

static struct kunit_case vmalloc_kernel_cases[] = {
	KUNIT_CASE(vmalloc_reads_back),
	KUNIT_CASE(vzalloc_is_zero),
	KUNIT_CASE(vmap_reads_back),
	{}
};

static struct kunit_suite vmalloc_kernel_suite = {
	.name = "vmalloc_kernel",
	.test_cases = vmalloc_kernel_cases,
};
kunit_test_suite(vmalloc_kernel_suite);
