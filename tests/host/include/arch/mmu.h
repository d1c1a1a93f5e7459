/*
 * arch/mmu.h for host builds: the kernel-mapping interface vmalloc uses,
 * as bookkeeping only. Host tests exercise the vmalloc area allocator;
 * nothing is really mapped at these addresses, so host code must not
 * touch vmalloc memory. A bit per page of the range records "mapped", so
 * tests can check that guard pages stay unmapped and vfree unmaps.
 * host_mmu_fail_after makes the Nth next map call fail (0: never).
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"
#include <arch/page.h>

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_DEVICE	0x8

/* 256 MiB of pretend address space, never dereferenced on the host. */
#define VMALLOC_START	0x0000100000000000UL
#define VMALLOC_END	(VMALLOC_START + (256UL << 20) - 1)
#define HOST_VMALLOC_PAGES	((256UL << 20) >> PAGE_SHIFT)

/* Weak: one copy whichever files include this. */
__attribute__((weak)) uint8_t host_vmalloc_mapped[HOST_VMALLOC_PAGES / 8];
__attribute__((weak)) unsigned int host_mmu_fail_after;

static inline bool host_pte_bit(unsigned long va, int set)
{
	unsigned long i = (va - VMALLOC_START) >> PAGE_SHIFT;
	bool was = host_vmalloc_mapped[i / 8] & (1u << (i % 8));

	if (set > 0)
		host_vmalloc_mapped[i / 8] |= (uint8_t)(1u << (i % 8));
	else if (set == 0)
		host_vmalloc_mapped[i / 8] &= (uint8_t)~(1u << (i % 8));
	return was;
}

static inline bool arch_kernel_pte_present(unsigned long va)
{
	if (va < VMALLOC_START || va > VMALLOC_END)
		return false;
	return host_pte_bit(va, -1);
}

static inline void arch_unmap_kernel_range(unsigned long va, size_t size)
{
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE)
		host_pte_bit(a, 0);
}

static inline int arch_map_kernel_range(unsigned long va, phys_addr_t pa,
					size_t size, unsigned int prot)
{
	(void)pa;
	(void)prot;
	if (host_mmu_fail_after && --host_mmu_fail_after == 0)
		return -1;
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE)
		if (a < VMALLOC_START || a > VMALLOC_END || host_pte_bit(a, -1))
			return -1;	/* outside, or mapped already */
	for (unsigned long a = va; a < va + size; a += PAGE_SIZE)
		host_pte_bit(a, 1);
	return 0;
}

#endif
