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

/*
 * Cache maintenance for a buffer shared with a device that does not snoop
 * the CPU's caches (the Raspberry Pi's VideoCore: the mailbox's property
 * buffer). Both work by the data cache's smallest line (CTR_EL0.DminLine)
 * over every line [va, va + len) touches, to the point of coherency, and
 * end with DSB SY, so a device access ordered after them sees memory.
 * clean_inval: before the device reads the buffer (what the CPU wrote
 * reaches RAM, no copy stays). inval: before the CPU reads what the device
 * wrote (no stale line, such as one fetched speculatively while the
 * device owned the buffer, hides it); lines are dropped whole, so the
 * buffer must own its first and last lines. arch/arm64/cache.c.
 */
void arch_dma_cache_clean_inval(void *va, size_t len);
void arch_dma_cache_inval(void *va, size_t len);

/* Set at boot where the CPU has PAN (arch/arm64/process.c). */
extern bool arm64_has_pan;

/*
 * Let the kernel touch user mappings directly until _end: PSTATE.PAN
 * cleared, then set again (where the CPU has PAN; a no-op elsewhere). The
 * uaccess routines do not need it (LDTR/STTR); tests that read through
 * user translations do. Do not sleep in between: PAN is the CPU's, not
 * the thread's.
 */
static inline void arch_user_access_begin(void)
{
	if (arm64_has_pan)
		__asm__ __volatile__(".inst 0xd500409f" ::: "memory"); /* msr pan, #0 */
}

static inline void arch_user_access_end(void)
{
	if (arm64_has_pan)
		__asm__ __volatile__(".inst 0xd500419f" ::: "memory"); /* msr pan, #1 */
}

#endif
