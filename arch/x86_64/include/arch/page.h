/*
 * arch/page.h (x86_64) - page size and the kernel's virtual memory layout.
 *
 *   0xffff800000000000  direct map: physical address p is at PAGE_OFFSET + p
 *   0xffffc00000000000  ioremap window (device registers, uncached)
 *   0xffffffff80000000  kernel image (-mcmodel=kernel), physical 0 upward
 */
#ifndef ARCH_PAGE_H
#define ARCH_PAGE_H

#include "kernel/types.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#define PAGE_OFFSET	0xffff800000000000UL
#define IOREMAP_BASE	0xffffc00000000000UL
#define IOREMAP_SIZE	0x0000010000000000UL	/* 1 TiB */
#define KERNEL_BASE	0xffffffff80000000UL

/* Physical memory below this is ZONE_DMA32 (reachable with 32-bit DMA). */
#define ARCH_DMA32_LIMIT	0x100000000ULL

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_BASE)
		return v - KERNEL_BASE;
	return v - PAGE_OFFSET;
}

#endif
