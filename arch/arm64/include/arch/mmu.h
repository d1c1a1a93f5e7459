/*
 * arch/mmu.h (arm64) - the constants and inline primitives of the MMU
 * interface. The interface itself, its contract and the out-of-line
 * arch_* primitives are declared once, in mm/arch_mm.h; arch/arm64/mmu.c
 * implements them over the entry formats of arch/arm64/pgtable.c
 * (arch/arm64/pgtable.h draws the bits).
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"

/* Where vmalloc areas live (inside the kernel half, below the ioremap
 * window; IOREMAP_BASE and IOREMAP_SIZE are in <arch/page.h>). */
#define VMALLOC_START	0xffffa00000000000UL
#define VMALLOC_END	0xffffbfffffffffffUL

/* The user half: [0, TASK_SIZE). */
#define TASK_SIZE	(1UL << 48)

/* After new entries (never a changed live one): the table walker sees
 * them once the stores complete (DSB ISHST) and this CPU's pipeline is
 * refilled (ISB); no TLB flush is needed. */
static inline void arch_map_barrier(void)
{
	__asm__ __volatile__("dsb ishst\n\tisb" ::: "memory");
}

/* Let the kernel touch user mappings directly until _end (with PAN on:
 * clear PSTATE.PAN). No PAN yet: nothing to do. */
static inline void arch_user_access_begin(void)
{
}

static inline void arch_user_access_end(void)
{
}

#endif
