/*
 * arch/arm64/mmu.c - the kernel's page tables and user address spaces
 * (VMSAv8-64 with a 4 KiB granule and 48-bit VAs: four levels, 512 entries
 * each; Arm ARM D8 describes the walk), walked by mm/pgtable.c over the
 * formats of arch/arm64/pgtable.c: the arm64 primitives of the MMU
 * interface, whose portable half and contract are mm/arch_mm.[ch].
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
 *
 * User address spaces live in TTBR0 with the ASID in its top bits
 * (TCR_EL1.A1 = 0, 8-bit ASIDs: TCR_EL1.AS = 0); the kernel stays in
 * TTBR1, so nothing is shared or copied. With no user address space
 * loaded, TTBR0 points at an empty table with ASID 0.
 */
#include "arch/arm64/mmu.h"
#include "arch/arm64/pgtable.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "mm/asid.h"
#include "mm/memblock.h"
#include "mm/arch_mm.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/mmio.h>
#include "kernel/errno.h"
#include <arch/mmu.h>
#include <arch/page.h>

#define SZ_2M		(1UL << 21)
#define SZ_1G		(1UL << 30)
#define EARLY_POOL_PAGES 24
#define KERNEL_HALF	0xffff000000000000UL
#define FLUSH_ALL_PAGES	32	/* beyond this, one flush by ASID is cheaper */

extern uint64_t init_l0[512];	/* head.S */
extern char _head[], _text[], _etext[], _data[], _kernel_end[];

uint64_t kimage_voffset;		/* head.S stores it; declared in page.h */

static struct pgtable early_pgt;	/* head.S's tables, then the pool's */
static struct pgtable final_pgt;	/* arch_mm_init()'s */
static struct pgtable *kernel_pgt = &early_pgt;	/* what TTBR1 points at */
static uint64_t early_pool[EARLY_POOL_PAGES][512] __aligned(PAGE_SIZE);
static unsigned int early_pool_used;

static uint64_t empty_user_root[512] __aligned(PAGE_SIZE);
static struct asid_allocator asids;

phys_addr_t arm64_kernel_phys_base(void)
{
	return virt_to_phys(_head) - TEXT_OFFSET;
}

/*
 * A zeroed page for the early tables (NULL when the pool is used up); but
 * the root asked for by pgtable_init_alloc() is head.S's init_l0, adopted
 * as it is: the kernel image is mapped from it (init_l1, init_l2).
 */
static void *early_alloc_table(struct pgtable *pt)
{
	if (!pt->root)
		return init_l0;
	if (early_pool_used == EARLY_POOL_PAGES)
		return NULL;
	return early_pool[early_pool_used++];
}

/* Map the 2 MiB blocks of [start, end) not mapped yet (early maps overlap). */
static int early_map_blocks(phys_addr_t start, phys_addr_t end)
{
	for (phys_addr_t pa = start; pa < end; pa += SZ_2M) {
		uint64_t pte = 0;
		unsigned int level;

		pgtable_translate(&early_pgt, PAGE_OFFSET + pa, &pte, &level);
		if (pte & PTE_VALID)
			continue;
		if (pgtable_map(&early_pgt, PAGE_OFFSET + pa, pa, SZ_2M,
				PROT_READ | PROT_WRITE, SZ_2M))
			return -1;
	}
	arch_map_barrier();
	return 0;
}

void arm64_mmu_early_init(void)
{
	phys_addr_t base = arm64_kernel_phys_base();

	if (pgtable_init_alloc(&early_pgt, &arm64_kernel_fmt, 4, KERNEL_HALF, ~0UL,
			       early_alloc_table, NULL, NULL) ||
	    early_map_blocks(base, base + EARLY_DIRECT_MAP_SIZE))
		for (;;)	/* cannot happen: the pool is sized for it */
			;
}

void *arm64_early_map(phys_addr_t phys, uint64_t len)
{
	phys_addr_t start = ALIGN_DOWN(phys, SZ_2M);
	phys_addr_t end = ALIGN_UP(phys + len, SZ_2M);
	unsigned long flags;
	int r;

	if (!len || phys + len < phys || phys + len > (1ULL << 47))
		return NULL;
	spin_lock_irqsave(&kernel_pgt_lock, flags);
	r = early_map_blocks(start, end);
	spin_unlock_irqrestore(&kernel_pgt_lock, flags);
	return r ? NULL : phys_to_virt(phys);
}

extern char replace_ttbr1[];		/* head.S */
extern uint64_t idmap_l0[512];		/* head.S */

/*
 * Switch TTBR1 to root by head.S's replace_ttbr1 (break before make),
 * called at its physical address with head.S's identity map turned on
 * for the call (TTBR0 and TCR_EL1.EPD0 as before afterwards).
 * Interrupts masked by the caller.
 */
static void arm64_replace_ttbr1(phys_addr_t root)
{
	void (*fn)(phys_addr_t) =
		(void (*)(phys_addr_t))(uintptr_t)virt_to_phys(replace_ttbr1);
	uint64_t tcr, ttbr0;

	__asm__ __volatile__("dsb ishst\n\t"	/* the new tables are written */
			     "mrs %0, tcr_el1\n\t"
			     "mrs %1, ttbr0_el1" : "=r"(tcr), "=r"(ttbr0) : : "memory");
	__asm__ __volatile__("msr ttbr0_el1, %0\n\t"
			     "msr tcr_el1, %1\n\t"
			     "isb\n\t"
			     "tlbi vmalle1\n\t"
			     "dsb nsh\n\t"
			     "isb" : : "r"(virt_to_phys(idmap_l0)),
			     "r"(tcr & ~TCR_EPD0) : "memory");
	fn(root);
	__asm__ __volatile__("msr tcr_el1, %0\n\t"
			     "msr ttbr0_el1, %1\n\t"
			     "isb\n\t"
			     "tlbi vmalle1\n\t"
			     "dsb ish\n\t"
			     "isb" : : "r"(tcr), "r"(ttbr0) : "memory");
}

void arch_mm_init(void)
{
	unsigned int io = (IOREMAP_BASE >> 39) & 511;
	unsigned long flags;
	int r;

	r = pgtable_init_alloc(&final_pgt, &arm64_kernel_fmt, 4, KERNEL_HALF, ~0UL,
			       kernel_pgtable_alloc, NULL, NULL);
	if (r)
		panic("mmu: no memory for the kernel's top-level table (%d)", r);
	spin_lock_irqsave(&kernel_pgt_lock, flags);
	final_pgt.root[io] = early_pgt.root[io];	/* ioremap window: shared */
	map_mem(&final_pgt, SZ_1G);
	map_kernel(&final_pgt, _text, _etext, _data, _kernel_end);

	/* The new tables map the kernel at the same place, in pages where
	 * the old ones had 2 MiB blocks: break before make. */
	arm64_replace_ttbr1(virt_to_phys(final_pgt.root));
	kernel_pgt = &final_pgt;
	spin_unlock_irqrestore(&kernel_pgt_lock, flags);
	pr_info("mmu: direct map of %llu MiB at 0x%lx: %lu x 1 GiB, %lu x 2 MiB, "
		"%lu x 4 KiB; kernel image W^X at 0x%lx (physical 0x%llx)\n",
		(unsigned long long)(memblock_phys_mem_size() >> 20), PAGE_OFFSET,
		final_pgt.nr_leaves[3], final_pgt.nr_leaves[2],
		final_pgt.nr_leaves[1], (unsigned long)_text,
		(unsigned long long)virt_to_phys(_text));
	asid_allocator_init(&asids, 8, "asids");
	asids.single = asid_disabled;	/* asid=off */
	pr_info("mmu: user address spaces: %s\n", asids.single ?
		"ASIDs off (asid=off): a switch to another address space flushes" :
		"255 ASIDs (8-bit)");
	memblock_set_current_limit(memblock_end_of_DRAM());
}

/* ------------------------------------------------------ primitives */

struct pgtable *arch_kernel_pgtable(void)
{
	return kernel_pgt;
}

/* Broadcast to the inner-shareable domain: every CPU's copy goes. */
void arch_flush_tlb_kernel_range(unsigned long va, size_t size)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE)
		__asm__ __volatile__("tlbi vaae1is, %0" : : "r"(a >> 12) : "memory");
	__asm__ __volatile__("dsb ish\n\tisb" ::: "memory");
}

/* TTBR0's own root: the kernel stays in TTBR1, nothing is copied. */
int arch_pgd_alloc(struct pgtable *pgt)
{
	return pgtable_init(pgt, &arm64_user_fmt, 4, 0, TASK_SIZE - 1, NULL);
}

size_t arch_mm_max_leaf(void)
{
	return SZ_1G;
}

void arch_switch_mm(struct arch_mm *mm)
{
	unsigned int cpu = arch_cpu_id(), asid;
	uint64_t tcr;
	bool flush;

	if (!mm) {
		/* ASID 0 never tags a user entry: no flush needed. */
		__asm__ __volatile__("msr ttbr0_el1, %0\n\tisb"
				     : : "r"(virt_to_phys(empty_user_root)) : "memory");
		WRITE_ONCE(cpu_loaded_mm[cpu], NULL);
		return;
	}
	asid = asid_switch(&asids, &mm->asid, cpu, &flush);
	if (flush)	/* a rollover: every ASID goes, on this CPU */
		__asm__ __volatile__("dsb nshst\n\ttlbi vmalle1\n\tdsb nsh\n\tisb"
				     ::: "memory");
	__atomic_fetch_or(&mm->cpus, 1UL << cpu, __ATOMIC_RELAXED);
	WRITE_ONCE(cpu_loaded_mm[cpu], mm);
	__asm__ __volatile__("msr ttbr0_el1, %0\n\tisb"
			     : : "r"(virt_to_phys(mm->pgt.root) | ((uint64_t)asid << 48))
			     : "memory");
	/* head.S turned TTBR0 walks off (EPD0) when it dropped the identity
	 * map; the first user switch on each CPU turns them back on. */
	__asm__ __volatile__("mrs %0, tcr_el1" : "=r"(tcr));
	if (tcr & TCR_EPD0)
		__asm__ __volatile__("msr tcr_el1, %0\n\tisb"
				     : : "r"(tcr & ~TCR_EPD0) : "memory");
}

/*
 * TLBI ... IS broadcasts to every CPU in the inner-shareable domain, so a
 * flush here reaches every CPU that may cache mm: no IPI needed.
 */
void arch_flush_tlb_mm(struct arch_mm *mm)
{
	uint64_t asid = (uint64_t)asid_number(&asids, mm->asid) << 48;

	if (!mm->asid)
		return;			/* never ran: nothing cached */
	__asm__ __volatile__("dsb ishst\n\ttlbi aside1is, %0\n\tdsb ish\n\tisb"
			     : : "r"(asid) : "memory");
}

void arch_flush_tlb_mm_range(struct arch_mm *mm, unsigned long va, size_t size)
{
	uint64_t asid = (uint64_t)asid_number(&asids, mm->asid) << 48;
	unsigned long start = va & PAGE_MASK, end = ALIGN_UP(va + size, PAGE_SIZE);

	if (!mm->asid)
		return;
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_PAGES) {
		arch_flush_tlb_mm(mm);
		return;
	}
	__asm__ __volatile__("dsb ishst" ::: "memory");
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		__asm__ __volatile__("tlbi vae1is, %0"
				     : : "r"(asid | ((a >> 12) & ((1UL << 44) - 1)))
				     : "memory");
	__asm__ __volatile__("dsb ish\n\tisb" ::: "memory");
}
