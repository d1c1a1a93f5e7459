/*
 * arch/arm64/mmu.c - the kernel's page tables (VMSAv8-64 with a 4 KiB
 * granule and 48-bit VAs: four levels, 512 entries each; level 1 and 2
 * entries may be 1 GiB and 2 MiB blocks). Arm ARM D8 describes the walk.
 *
 * head.S left TTBR1 with the kernel image in 2 MiB blocks (everything
 * writable and executable) and switched the identity map off. Then:
 *  - arm64_mmu_early_init() adds a small direct-map window around the
 *    kernel, so memblock can hand out memory before the real map exists;
 *    arm64_early_map() adds the device tree's blocks; ioremap() works at
 *    once. Their page tables come from a static pool in BSS.
 *  - arch_mm_init() builds new tables from memblock's map:
 *      every RAM range in the direct map with the largest blocks that fit,
 *        not executable;
 *      the kernel image in 4 KiB pages, W^X: text read-only + executable,
 *        rodata read-only, data/bss/symbols writable, nothing else
 *        executable;
 *      the ioremap window carried over (its level-1 table is shared, so
 *        mappings made before and after the switch all stay valid).
 */
#include "arch/arm64/mmu.h"
#include "arch/arm64/sysreg.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include <arch/machine.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/page.h>

#define SZ_2M		(1UL << 21)
#define SZ_1G		(1UL << 30)
#define EARLY_POOL_PAGES 24

/* Descriptor attributes (everything but the address and the type bits). */
#define ATTR_NORMAL	(PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN)
#define ATTR_KERNEL_RW	(ATTR_NORMAL | PTE_PXN)
#define ATTR_KERNEL_RX	(ATTR_NORMAL | PTE_AP_RO)
#define ATTR_KERNEL_RO	(ATTR_NORMAL | PTE_AP_RO | PTE_PXN)
#define ATTR_DEVICE	(PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_PXN | PTE_UXN)

extern uint64_t init_l0[512];	/* head.S */
extern char _head[], _text[], _etext[], _data[], _kernel_end[];

uint64_t kimage_voffset;		/* head.S stores it; declared in page.h */

static uint64_t *kernel_pgd = init_l0;	/* what TTBR1 points at */
static uint64_t early_pool[EARLY_POOL_PAGES][512] __aligned(PAGE_SIZE);
static unsigned int early_pool_used;
static bool pt_from_memblock;
static unsigned long mapped_4k, mapped_2m, mapped_1g;

phys_addr_t arm64_kernel_phys_base(void)
{
	return virt_to_phys(_head) - TEXT_OFFSET;
}

/*
 * A zeroed page for a page table: the static pool until memblock knows
 * RAM, then memblock, then the page allocator once it runs. NULL when out
 * of memory.
 */
static uint64_t *pt_alloc(void)
{
	if (pt_from_memblock) {
		if (totalram_pages())
			return (uint64_t *)get_zeroed_page(GFP_KERNEL);
		return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	}
	if (early_pool_used == EARLY_POOL_PAGES)
		return NULL;
	return early_pool[early_pool_used++];
}

/* Tables live either in the kernel image (head.S's, the pool) or in RAM
 * handed out by memblock (reached through the direct map). */
static uint64_t *table_virt(uint64_t desc)
{
	phys_addr_t pa = desc & PTE_ADDR_MASK;
	phys_addr_t kstart = virt_to_phys(_head), kend = virt_to_phys(_kernel_end);

	if (pa >= kstart && pa < kend)
		return (uint64_t *)(uintptr_t)(pa + kimage_voffset);
	return phys_to_virt(pa);
}

/* The table below entry *e, made if missing; NULL if a block is there or
 * no memory was left. */
static uint64_t *next_table(uint64_t *e)
{
	if (!(*e & PTE_VALID)) {
		uint64_t *t = pt_alloc();

		if (!t)
			return NULL;
		__asm__ __volatile__("dsb ishst" ::: "memory");
		*e = virt_to_phys(t) | PTE_TABLE;
		return t;
	}
	if ((*e & 3) != PTE_TABLE)
		return NULL;
	return table_virt(*e);
}

/*
 * Map [va, va + size) to pa with attributes `prot`, with blocks of at most
 * max_block. Entries already valid are left alone (a block there already
 * covers the range: the early maps overlap). Returns 0, or -1 if page-table
 * memory ran out.
 */
static int map_range(uint64_t *pgd, uint64_t va, uint64_t pa, uint64_t size,
		     uint64_t prot, uint64_t max_block)
{
	while (size) {
		uint64_t *l1 = next_table(&pgd[(va >> 39) & 511]);
		uint64_t step;

		if (!l1)
			return -1;
		uint64_t *l1e = &l1[(va >> 30) & 511];

		if (max_block >= SZ_1G && IS_ALIGNED(va | pa, SZ_1G) &&
		    size >= SZ_1G && !(*l1e & PTE_VALID)) {
			*l1e = pa | prot | PTE_BLOCK;
			mapped_1g++;
			step = SZ_1G;
			goto next;
		}
		if ((*l1e & 3) == PTE_BLOCK) {	/* already mapped by a block */
			step = SZ_1G - (va & (SZ_1G - 1));
			goto next;
		}
		uint64_t *l2 = next_table(l1e);

		if (!l2)
			return -1;
		uint64_t *l2e = &l2[(va >> 21) & 511];

		if (max_block >= SZ_2M && IS_ALIGNED(va | pa, SZ_2M) &&
		    size >= SZ_2M && !(*l2e & PTE_VALID)) {
			*l2e = pa | prot | PTE_BLOCK;
			mapped_2m++;
			step = SZ_2M;
			goto next;
		}
		if ((*l2e & 3) == PTE_BLOCK) {
			step = SZ_2M - (va & (SZ_2M - 1));
			goto next;
		}
		uint64_t *l3 = next_table(l2e);

		if (!l3)
			return -1;
		if (!(l3[(va >> 12) & 511] & PTE_VALID)) {
			l3[(va >> 12) & 511] = pa | prot | PTE_PAGE;
			mapped_4k++;
		}
		step = PAGE_SIZE;
next:
		if (step > size)
			step = size;
		va += step, pa += step, size -= step;
	}
	/* New entries only (never a live one changed): no TLB flush needed. */
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
	return 0;
}

void arm64_mmu_early_init(void)
{
	phys_addr_t base = arm64_kernel_phys_base();

	if (map_range(kernel_pgd, PAGE_OFFSET + base, base, EARLY_DIRECT_MAP_SIZE,
		      ATTR_KERNEL_RW, SZ_2M))
		for (;;)	/* cannot happen: the pool is sized for it */
			;
}

void *arm64_early_map(phys_addr_t phys, uint64_t len)
{
	phys_addr_t start = ALIGN_DOWN(phys, SZ_2M);
	phys_addr_t end = ALIGN_UP(phys + len, SZ_2M);

	if (!len || phys + len < phys || phys + len > (1ULL << 47))
		return NULL;
	if (map_range(kernel_pgd, PAGE_OFFSET + start, start, end - start,
		      ATTR_KERNEL_RW, SZ_2M))
		return NULL;
	return phys_to_virt(phys);
}

static void map_kernel_image(uint64_t *pgd)
{
	uint64_t text = (uint64_t)_text, etext = ALIGN_UP((uint64_t)_etext, PAGE_SIZE);
	uint64_t data = (uint64_t)_data, end = (uint64_t)_kernel_end;

	if (map_range(pgd, text, virt_to_phys(_text), etext - text, ATTR_KERNEL_RX, PAGE_SIZE) ||
	    map_range(pgd, etext, virt_to_phys((void *)etext), data - etext,
		      ATTR_KERNEL_RO, PAGE_SIZE) ||
	    map_range(pgd, data, virt_to_phys(_data), end - data, ATTR_KERNEL_RW, PAGE_SIZE))
		panic("mmu: cannot map the kernel image");
}

void arch_mm_init(void)
{
	phys_addr_t start, end;
	uint64_t i, *pgd;
	unsigned int io = (IOREMAP_BASE >> 39) & 511;

	pt_from_memblock = true;
	mapped_4k = mapped_2m = mapped_1g = 0;
	pgd = pt_alloc();
	pgd[io] = kernel_pgd[io];		/* ioremap window: shared */
	for_each_mem_range(i, &start, &end)
		if (map_range(pgd, PAGE_OFFSET + start, start, end - start,
			      ATTR_KERNEL_RW, SZ_1G))
			panic("mmu: cannot map RAM 0x%llx-0x%llx",
			      (unsigned long long)start, (unsigned long long)end);
	map_kernel_image(pgd);

	/* The new tables map the kernel at the same place: switch, then drop
	 * every cached translation of the old ones. */
	__asm__ __volatile__("dsb ishst\n\t"
			     "msr ttbr1_el1, %0\n\t"
			     "isb\n\t"
			     "tlbi vmalle1\n\t"
			     "dsb ish\n\t"
			     "isb" : : "r"(virt_to_phys(pgd)) : "memory");
	kernel_pgd = pgd;
	pr_info("mmu: direct map of %llu MiB at 0x%lx: %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB; kernel image W^X at 0x%lx (physical 0x%llx)\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20), PAGE_OFFSET,
		mapped_1g, mapped_2m, mapped_4k, (unsigned long)_text,
		(unsigned long long)virt_to_phys(_text));
	memblock_set_current_limit(memblock_end_of_DRAM());
}

static uint64_t prot_attrs(unsigned int prot)
{
	uint64_t a;

	if (prot & PROT_DEVICE)
		return ATTR_DEVICE;
	a = ATTR_NORMAL;
	if (!(prot & PROT_WRITE))
		a |= PTE_AP_RO;
	if (!(prot & PROT_EXEC))
		a |= PTE_PXN;
	return a;
}

/* The level-3 entry for va, or NULL if a level above is missing (or a
 * block maps it). */
static uint64_t *lookup_pte(unsigned long va)
{
	uint64_t *e = &kernel_pgd[(va >> 39) & 511];

	for (int shift = 30; shift >= 12; shift -= 9) {
		if ((*e & 3) != PTE_TABLE)
			return NULL;
		e = table_virt(*e) + ((va >> shift) & 511);
	}
	return e;
}

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
			  unsigned int prot)
{
	if (map_range(kernel_pgd, va, pa, size, prot_attrs(prot), PAGE_SIZE)) {
		arch_unmap_kernel_range(va, size);
		return -1;
	}
	return 0;
}

void arch_unmap_kernel_range(unsigned long va, size_t size)
{
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE) {
		uint64_t *pte = lookup_pte(a);

		if (pte && (*pte & PTE_VALID)) {
			*pte = 0;
			__asm__ __volatile__("dsb ishst\n\t"
					     "tlbi vaae1is, %0\n\t"
					     "dsb ish\n\t"
					     "isb" : : "r"(a >> 12) : "memory");
		}
	}
}

bool arch_kernel_pte_present(unsigned long va)
{
	uint64_t *pte = lookup_pte(va);

	return pte && (*pte & PTE_VALID);
}
