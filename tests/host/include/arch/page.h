/*
 * arch/page.h for host builds: portable kernel code compiled into a normal
 * Linux program for unit tests. Physical addresses are host addresses
 * (an identity "direct map"), so an arena of pages is just aligned memory.
 */
#ifndef ARCH_PAGE_H
#define ARCH_PAGE_H

#include "kernel/types.h"

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_OFFSET	0UL
#define ARCH_DMA32_LIMIT	0x100000000ULL

static inline void *phys_to_virt(phys_addr_t pa) { return (void *)(uintptr_t)pa; }
static inline phys_addr_t virt_to_phys(const void *va) { return (uintptr_t)va; }

#endif
