/*
 * arch/x86_64/mmu.c - the kernel's page tables (4-level paging, SDM vol. 3
 * ch. 4.5).
 *
 * The boot code left temporary tables: the first 4 GiB identity-mapped and
 * direct-mapped with 2 MiB pages, and the kernel at -2 GiB. arch_mm_init()
 * replaces them with tables built from memblock's view of RAM:
 *   - the kernel image at KERNEL_BASE in 4 KiB pages with W^X permissions
 *     (text read-only + executable, rodata read-only, data and bss
 *     writable, nothing else executable);
 *   - every RAM range in the direct map, with the largest pages that fit
 *     (1 GiB where the CPU has them, then 2 MiB, then 4 KiB), not executable;
 *   - no identity map: a stray low pointer now faults.
 * ioremap() maps device registers uncached in their own window.
 */
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include "arch/x86_64/io.h"
#include <arch/machine.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/page.h>

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_PS		(1ULL << 7)	/* large page (in PDPT or PD) */
#define PTE_G		(1ULL << 8)
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL

#define SZ_2M		(1ULL << 21)
#define SZ_1G		(1ULL << 30)

extern char _text[], _etext[], _data[], _kernel_end[];
extern char _boot_start[];

static uint64_t *kernel_pml4;
static bool have_gbpages, have_nx;
static uint64_t nx_bit;
static unsigned long mapped_4k, mapped_2m, mapped_1g;

/*
 * A zeroed page for a page table: from memblock during boot, from the page
 * allocator once it runs (it has all memory then). NULL when out of memory.
 */
static uint64_t *pt_alloc(void)
{
	if (totalram_pages())
		return (uint64_t *)get_zeroed_page(GFP_KERNEL);
	return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
}

/* The table one level down from entry *e, made if missing (NULL: no memory). */
static uint64_t *next_table(uint64_t *e)
{
	if (!(*e & PTE_P)) {
		uint64_t *t = pt_alloc();

		if (!t)
			return NULL;
		*e = virt_to_phys(t) | PTE_P | PTE_W;
		return t;
	}
	BUG_ON(*e & PTE_PS);	/* a large page is in the way */
	return phys_to_virt(*e & PTE_ADDR);
}

/*
 * Map [va, va+size) to pa with `flags`, using pages of at most max_page.
 * Returns 0, or -1 when a page table could not be allocated (what was
 * mapped before that stays mapped: the caller unmaps it).
 */
static int map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags,
		     uint64_t max_page)
{
	while (size) {
		uint64_t *pdpt = next_table(&kernel_pml4[(va >> 39) & 511]);

		if (!pdpt)
			return -1;
		uint64_t *pdpte = &pdpt[(va >> 30) & 511];

		if (max_page >= SZ_1G && have_gbpages && IS_ALIGNED(va, SZ_1G) &&
		    IS_ALIGNED(pa, SZ_1G) && size >= SZ_1G && !(*pdpte & PTE_P)) {
			*pdpte = pa | flags | PTE_PS;
			va += SZ_1G, pa += SZ_1G, size -= SZ_1G;
			mapped_1g++;
			continue;
		}
		uint64_t *pd = next_table(pdpte);

		if (!pd)
			return -1;
		uint64_t *pde = &pd[(va >> 21) & 511];

		if (max_page >= SZ_2M && IS_ALIGNED(va, SZ_2M) &&
		    IS_ALIGNED(pa, SZ_2M) && size >= SZ_2M && !(*pde & PTE_P)) {
			*pde = pa | flags | PTE_PS;
			va += SZ_2M, pa += SZ_2M, size -= SZ_2M;
			mapped_2m++;
			continue;
		}
		uint64_t *pt = next_table(pde);

		if (!pt)
			return -1;
		pt[(va >> 12) & 511] = pa | flags;
		va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE;
		mapped_4k++;
	}
	return 0;
}

/* Boot-time mappings must succeed: there is no one to report failure to. */
static void map_range_or_panic(uint64_t va, uint64_t pa, uint64_t size,
			       uint64_t flags, uint64_t max_page)
{
	if (map_range(va, pa, size, flags, max_page))
		panic("mmu: out of memory for page tables mapping 0x%llx",
		      (unsigned long long)va);
}

static void map_kernel_image(void)
{
	uint64_t text = (uint64_t)_text, etext = ALIGN_UP((uint64_t)_etext, PAGE_SIZE);
	uint64_t data = (uint64_t)_data, end = (uint64_t)_kernel_end;

	/* text: read-only, executable */
	map_range_or_panic(text, virt_to_phys(_text), etext - text, PTE_P | PTE_G, PAGE_SIZE);
	/* rodata: read-only */
	map_range_or_panic(etext, virt_to_phys((void *)etext), data - etext,
		  PTE_P | PTE_G | nx_bit, PAGE_SIZE);
	/* data, bss, symbol table: writable, not executable */
	map_range_or_panic(data, virt_to_phys(_data), end - data,
		  PTE_P | PTE_W | PTE_G | nx_bit, PAGE_SIZE);
}

void arch_mm_init(void)
{
	uint32_t a, b, c, d;
	phys_addr_t start, end;
	uint64_t i;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	have_gbpages = d & (1U << 26);
	have_nx = d & (1U << 20);
	nx_bit = have_nx ? PTE_NX : 0;

	kernel_pml4 = pt_alloc();
	for_each_mem_range(i, &start, &end)
		map_range_or_panic(PAGE_OFFSET + start, start, end - start,
			  PTE_P | PTE_W | PTE_G | nx_bit, SZ_1G);
	map_kernel_image();

	__asm__ __volatile__("mov %0, %%cr3" : : "r"(virt_to_phys(kernel_pml4)) : "memory");
	pr_info("mmu: direct map of %llu MiB at 0x%lx: %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB pages; kernel image W^X%s\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20), PAGE_OFFSET,
		mapped_1g, mapped_2m, mapped_4k, have_nx ? "" : " (no NX on this CPU)");
	memblock_set_current_limit(memblock_end_of_DRAM());
}

static uint64_t prot_flags(unsigned int prot)
{
	uint64_t f = PTE_P | PTE_G;

	if (prot & PROT_WRITE)
		f |= PTE_W;
	if (!(prot & PROT_EXEC))
		f |= nx_bit;
	if (prot & PROT_DEVICE)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

/* The 4 KiB entry for va, or NULL if a level above is missing. */
static uint64_t *lookup_pte(unsigned long va)
{
	uint64_t *e = &kernel_pml4[(va >> 39) & 511];

	for (int shift = 30; shift >= 12; shift -= 9) {
		if (!(*e & PTE_P) || (*e & PTE_PS))
			return NULL;
		e = (uint64_t *)phys_to_virt(*e & PTE_ADDR) + ((va >> shift) & 511);
	}
	return e;
}

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
			  unsigned int prot)
{
	if (map_range(va, pa, size, prot_flags(prot), PAGE_SIZE)) {
		arch_unmap_kernel_range(va, size);
		return -1;
	}
	return 0;
}

void arch_unmap_kernel_range(unsigned long va, size_t size)
{
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		uint64_t *pte = lookup_pte(a);

		if (pte && (*pte & PTE_P)) {
			*pte = 0;
			__asm__ __volatile__("invlpg (%0)" : : "r"(a) : "memory");
		}
	}
}

bool arch_kernel_pte_present(unsigned long va)
{
	uint64_t *pte = lookup_pte(va);

	return pte && (*pte & PTE_P);
}
