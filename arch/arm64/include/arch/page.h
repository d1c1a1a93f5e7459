/*
 * arch/page.h (arm64) - page size and the kernel's virtual memory layout.
 *
 * 4 KiB granule, 48-bit virtual addresses. The upper half (TTBR1_EL1)
 * holds everything the kernel maps; the lower half (TTBR0_EL1) is empty
 * once boot has switched over (it held an identity map for a moment).
 *
 *   0xffff800000000000  direct map: physical address p is at PAGE_OFFSET + p
 *   0xffffc00000000000  ioremap window (device registers, Device-nGnRE)
 *   0xffffffff80000000  kernel image: KERNEL_BASE + TEXT_OFFSET is the first
 *                       byte of the Image, wherever the loader put it
 *
 * The same constants as x86_64, so describe_address() and the tests read
 * both the same way. Unlike x86_64 the image's physical address is only
 * known at run time (QEMU virt loads it at 0x40080000, a Raspberry Pi at
 * 0x80000, U-Boot anywhere 2 MiB aligned + TEXT_OFFSET): kimage_voffset
 * (set by head.S, as in Linux) is the difference between the two.
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
#define TEXT_OFFSET	0x80000UL		/* the Image header's text_offset */

/*
 * Physical memory below this is ZONE_DMA32. RAM on QEMU virt starts at
 * 1 GiB, on a Raspberry Pi at 0: both have DMA32 memory at the bottom.
 */
#define ARCH_DMA32_LIMIT	0x100000000ULL

/* Kernel-image virtual address minus its physical address (head.S). */
extern uint64_t kimage_voffset;

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_BASE)
		return v - kimage_voffset;
	return v - PAGE_OFFSET;
}

#endif
