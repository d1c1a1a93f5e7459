/*
 * mm/arch_mm.c - the portable half of the MMU interface (mm/arch_mm.h):
 * the kernel table under its lock, and user address spaces, over the
 * portable walker (mm/pgtable.c) and the arch's primitives.
 */
#include "mm/arch_mm.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "mm/memblock.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/page.h>

DEFINE_SPINLOCK(kernel_pgt_lock);
struct arch_mm *cpu_loaded_mm[NR_CPUS];

/* ------------------------------------------------------ building the kernel table */

void *kernel_pgtable_alloc(struct pgtable *pt)
{
	if (totalram_pages())
		return pgtable_page_alloc(pt);
	return memblock_alloc(PAGE_SIZE, PAGE_SIZE);
}

/* Boot-time mappings must succeed: there is no one to report failure to. */
static void map_or_panic(struct pgtable *pt, unsigned long va, phys_addr_t pa,
			 size_t size, unsigned int prot, size_t max_leaf)
{
	int r = pgtable_map(pt, va, pa, size, prot, max_leaf);

	if (r)
		panic("mmu: cannot map 0x%lx (error %d)", va, r);
}

void map_mem(struct pgtable *pt, size_t max_leaf)
{
	phys_addr_t start, end;
	uint64_t i;

	for_each_mem_range(i, &start, &end)
		map_or_panic(pt, PAGE_OFFSET + start, start, end - start,
			     PROT_READ | PROT_WRITE, max_leaf);
}

void map_kernel(struct pgtable *pt, const void *text, const void *etext,
		const void *data, const void *end)
{
	unsigned long t = (unsigned long)text, d = (unsigned long)data;
	unsigned long et = ALIGN_UP((unsigned long)etext, PAGE_SIZE);

	map_or_panic(pt, t, virt_to_phys(text), et - t,
		     PROT_READ | PROT_EXEC, PAGE_SIZE);
	map_or_panic(pt, et, virt_to_phys((void *)et), d - et,
		     PROT_READ, PAGE_SIZE);
	/* data, bss, symbol table */
	map_or_panic(pt, d, virt_to_phys(data), (unsigned long)end - d,
		     PROT_READ | PROT_WRITE, PAGE_SIZE);
}

/* ------------------------------------------------------ kernel mappings */

/* Is [va, va + size) non-empty and inside the vmalloc or ioremap window? */
static bool in_windows(unsigned long va, size_t size)
{
	unsigned long last = va + size - 1;

	if (!size || last < va)
		return false;
	return (va >= VMALLOC_START && last <= VMALLOC_END) ||
	       (va >= IOREMAP_BASE && last <= IOREMAP_BASE + IOREMAP_SIZE - 1);
}

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
			  unsigned int prot)
{
	unsigned long flags;
	int r;

	if (!in_windows(va, size))
		return -1;
	spin_lock_irqsave(&kernel_pgt_lock, flags);
	r = pgtable_map(arch_kernel_pgtable(), va, pa, size, prot, PAGE_SIZE);
	spin_unlock_irqrestore(&kernel_pgt_lock, flags);
	arch_map_barrier();
	return r ? -1 : 0;
}

void arch_unmap_kernel_range(unsigned long va, size_t size)
{
	unsigned long flags;
	size_t gone;

	spin_lock_irqsave(&kernel_pgt_lock, flags);
	gone = pgtable_unmap(arch_kernel_pgtable(), va, size);
	spin_unlock_irqrestore(&kernel_pgt_lock, flags);
	if (gone)
		arch_flush_tlb_kernel_range(va, size);
}

bool arch_kernel_pte_present(unsigned long va)
{
	struct pgtable *pt;
	unsigned long flags;
	uint64_t pte = 0;
	unsigned int level;

	spin_lock_irqsave(&kernel_pgt_lock, flags);
	pt = arch_kernel_pgtable();
	pgtable_translate(pt, va & PAGE_MASK, &pte, &level);
	spin_unlock_irqrestore(&kernel_pgt_lock, flags);
	return pt->fmt->is_present(pte);
}

int arch_kernel_translate(unsigned long va, phys_addr_t *pa,
			  unsigned int *prot, unsigned int *level)
{
	unsigned long flags = arch_irq_save();
	const struct pgtable_fmt *fmt;
	struct pgtable *pt;
	uint64_t pte = 0;

	if (!in_windows(va & PAGE_MASK, PAGE_SIZE)) {
		arch_irq_restore(flags);
		return -EINVAL;
	}
	if (!spin_trylock(&kernel_pgt_lock)) {
		arch_irq_restore(flags);
		return -EBUSY;
	}
	pt = arch_kernel_pgtable();
	*pa = pgtable_translate(pt, va, &pte, level);
	spin_unlock(&kernel_pgt_lock);
	arch_irq_restore(flags);
	fmt = pt->fmt;
	if (!fmt->is_present(pte))
		return 0;
	*prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	return 1;
}

/* ------------------------------------------------------ user address spaces */

int arch_mm_create(struct arch_mm *mm)
{
	int r;

	memset(mm, 0, sizeof(*mm));
	r = arch_pgd_alloc(&mm->pgt);
	mm->pgt.user = true;	/* its faults' tables: no reserves */
	return r;
}

void arch_mm_destroy(struct arch_mm *mm)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		BUG_ON(READ_ONCE(cpu_loaded_mm[cpu]) == mm);
	pgtable_free(&mm->pgt);
	/* Its ASID is not handed out again before the next rollover, which
	 * flushes every CPU: stale entries tagged with it never match. */
	mm->asid = 0;
}

int arch_mm_map(struct arch_mm *mm, unsigned long va, phys_addr_t pa,
		size_t size, unsigned int prot)
{
	int r = pgtable_map(&mm->pgt, va, pa, size, prot, arch_mm_max_leaf());

	arch_map_barrier();
	return r;
}

size_t arch_mm_unmap(struct arch_mm *mm, unsigned long va, size_t size)
{
	size_t gone = pgtable_unmap(&mm->pgt, va, size);

	if (gone)
		arch_flush_tlb_mm_range(mm, va, size);
	return gone;
}

long arch_mm_protect(struct arch_mm *mm, unsigned long va, size_t size,
		     unsigned int prot)
{
	long changed = pgtable_protect(&mm->pgt, va, size, prot);

	if (changed > 0)
		arch_flush_tlb_mm_range(mm, va, size);
	return changed;
}
