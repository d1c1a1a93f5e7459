/*
 * arch/arm64/mmu.h - the early page-table helpers start.c needs before
 * memblock knows any RAM.
 */
#ifndef ARCH_ARM64_MMU_H
#define ARCH_ARM64_MMU_H

#include "kernel/types.h"

/* How much of RAM from the kernel's 2 MiB-aligned base is direct-mapped
 * before arch_mm_init() (memblock allocates below its end until then). */
#define EARLY_DIRECT_MAP_SIZE	(32UL << 20)

/* Physical address of KERNEL_BASE (the 2 MiB block the Image sits in). */
phys_addr_t arm64_kernel_phys_base(void);

/* Map the early direct-map window around the kernel. First C call. */
void arm64_mmu_early_init(void);

/*
 * Make [phys, phys + len) readable through the direct map (2 MiB blocks of
 * normal memory) before arch_mm_init(): for the device tree or ATAGs the
 * loader left somewhere in RAM. Returns the virtual address, or NULL if
 * the early page-table pool ran out.
 */
void *arm64_early_map(phys_addr_t phys, uint64_t len);

#endif
