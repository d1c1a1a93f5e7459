/*
 * tests/host/host_mmu_contract.c - host stand-ins for the arch MMU
 * functions beyond kernel mapping (declared at the end of
 * tests/host/include/arch/mmu.h), over the host's kernel table and
 * software format (tests/host/host_mmu.c).
 */
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
