/*
 * arch/mmu.h (x86_64) - the constants and inline primitives of the MMU
 * interface. The interface itself, its contract and the out-of-line
 * arch_* primitives are declared once, in mm/arch_mm.h; arch/x86_64/mmu.c
 * implements them over the entry formats of arch/x86_64/pgtable.c
 * (arch/x86_64/pgtable.h draws the bits).
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"

/* Where vmalloc areas live (inside the kernel half, below the ioremap
 * window; IOREMAP_BASE and IOREMAP_SIZE are in <arch/page.h>). */
#define VMALLOC_START	0xffffa00000000000UL
#define VMALLOC_END	0xffffbfffffffffffUL

/* The user half: [0, TASK_SIZE). */
#define TASK_SIZE	(1UL << 47)

/*
 * Let the kernel load and store through user mappings directly, until
 * arch_user_access_end(): SMAP (CR4.SMAP) otherwise faults every kernel
 * access to a user page. Only the uaccess routines (kernel/uaccess.h)
 * and tests that check translations by reading through them need this.
 * STAC/CLAC set and clear EFLAGS.AC; they are #UD without SMAP.
 */
extern bool x86_have_smap;

static inline void arch_user_access_begin(void)
{
	if (x86_have_smap)
		__asm__ __volatile__("stac" ::: "memory");
}

static inline void arch_user_access_end(void)
{
	if (x86_have_smap)
		__asm__ __volatile__("clac" ::: "memory");
}

/* New entries need no barrier: x86 table walks see stores in order. */
static inline void arch_map_barrier(void)
{
}

/*
 * Cache maintenance for a buffer a device reads or writes by DMA: nothing
 * to do, x86 DMA snoops the caches (the contract is arm64's
 * <arch/mmu.h>).
 */
static inline void arch_dma_cache_clean_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
}

static inline void arch_dma_cache_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
}

#endif
