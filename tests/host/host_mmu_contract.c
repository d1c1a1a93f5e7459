/*
 * tests/host/host_mmu_contract.c - the host's primitives for user address
 * spaces (mm/arch_mm.h): tables in the host's software format
 * (tests/host/host_mmu.c) with pages from malloc, so ASan sees every
 * table the walker touches; no TLB, so a switch only records the address
 * space and the flushes do nothing.
 */
#include "mm/arch_mm.h"
#include "mm/pgtable.h"
#include <arch/mmu.h>

int arch_pgd_alloc(struct pgtable *pgt)
{
	return pgtable_init_alloc(pgt, &host_pte_fmt, 4, 0, TASK_SIZE - 1,
				  host_table_alloc, host_table_free, NULL);
}

size_t arch_mm_max_leaf(void)
{
	return 1UL << 30;
}

void arch_switch_mm(struct arch_mm *mm)
{
	WRITE_ONCE(cpu_loaded_mm[0], mm);
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
