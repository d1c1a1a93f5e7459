/*
 * tests/host/host_mmu_contract.c - host stand-ins for the arch MMU
 * functions beyond kernel mapping (declared at the end of
 * tests/host/include/arch/mmu.h), over the host's software format
 * (tests/host/host_mmu.c): the kernel table's report query, and user
 * address spaces whose table pages come from malloc, so ASan sees every
 * table the walker touches.
 */
#include <stdlib.h>
#include "kernel/lib/string.h"
#include "mm/arch_mm.h"
#include "mm/pgtable.h"
#include <arch/mmu.h>

int arch_kernel_translate(unsigned long va, phys_addr_t *pa,
			  unsigned int *prot, unsigned int *level)
{
	const struct pgtable_fmt *fmt = &host_pte_fmt;
	uint64_t pte = 0;

	if (va < VMALLOC_START || va > VMALLOC_END)
		return -22;		/* -EINVAL */
	*pa = pgtable_translate(host_kernel_pgtable(), va, &pte, level);
	if (!(pte & HOST_PTE_V))
		return 0;
	*prot = fmt->attrs_to_prot(fmt->leaf_attrs(pte));
	return 1;
}

static void *mm_table_alloc(struct pgtable *pt)
{
	void *t;

	(void)pt;
	if (posix_memalign(&t, PAGE_SIZE, PAGE_SIZE))
		return NULL;
	memset(t, 0, PAGE_SIZE);
	return t;
}

static void mm_table_free(struct pgtable *pt, void *t)
{
	(void)pt;
	free(t);
}

static struct arch_mm *host_current_mm;

int arch_mm_create(struct arch_mm *mm)
{
	memset(mm, 0, sizeof(*mm));
	return pgtable_init_alloc(&mm->pgt, &host_pte_fmt, 4, 0, TASK_SIZE - 1,
				  mm_table_alloc, mm_table_free, NULL);
}

void arch_mm_destroy(struct arch_mm *mm)
{
	if (host_current_mm == mm)
		abort();		/* the contract: nobody has it loaded */
	pgtable_free(&mm->pgt);
	mm->asid = 0;
}

int arch_mm_map(struct arch_mm *mm, unsigned long va, phys_addr_t pa,
		size_t size, unsigned int prot)
{
	return pgtable_map(&mm->pgt, va, pa, size, prot, 1UL << 30);
}

size_t arch_mm_unmap(struct arch_mm *mm, unsigned long va, size_t size)
{
	return pgtable_unmap(&mm->pgt, va, size);
}

long arch_mm_protect(struct arch_mm *mm, unsigned long va, size_t size,
		     unsigned int prot)
{
	return pgtable_protect(&mm->pgt, va, size, prot);
}

void arch_switch_mm(struct arch_mm *mm)
{
	host_current_mm = mm;
}

void arch_flush_tlb_mm(struct arch_mm *mm)
{
	(void)mm;
}

void arch_flush_tlb_mm_range(struct arch_mm *mm, unsigned long va, size_t size)
{
	(void)mm;
	(void)va;
	(void)size;
}
