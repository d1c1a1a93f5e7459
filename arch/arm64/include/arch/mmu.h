/*
 * arch/mmu.h (arm64) - changing the kernel's own mappings after boot
 * (vmalloc, ioremap). Addresses and sizes are page aligned. Mappings are
 * made in the one kernel page table (TTBR1) every CPU shares.
 *
 * arch_map_kernel_range() maps [va, va + size) to [pa, pa + size) with
 * `prot`; it returns 0, or -1 if page-table memory ran out (nothing is left
 * half-mapped then). The range must not be mapped already.
 * arch_unmap_kernel_range() removes the mappings and flushes the TLB
 * (broadcast to the inner-shareable domain, so every CPU's copy goes).
 * arch_kernel_pte_present() tells whether va is mapped (for tests).
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_DEVICE	0x8	/* device registers: Device-nGnRE */

/* Where vmalloc areas live (inside the kernel half, below the ioremap window). */
#define VMALLOC_START	0xffffa00000000000UL
#define VMALLOC_END	0xffffbfffffffffffUL

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
			  unsigned int prot);
void arch_unmap_kernel_range(unsigned long va, size_t size);
bool arch_kernel_pte_present(unsigned long va);

#endif
