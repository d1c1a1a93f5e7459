/*
 * arch/mmu.h (arm64) - the MMU contract: the kernel's own mappings, and
 * user address spaces. The same names and meanings on every architecture;
 * docs/arch-boundary.md tables them with each arch's implementation.
 * Page tables are walked by mm/pgtable.c over this arch's entry formats
 * (arch/arm64/pgtable.h draws the bits).
 *
 * Kernel mappings (vmalloc, ioremap), in the one kernel table (TTBR1)
 * every CPU shares. Addresses and sizes are page aligned and lie in the
 * vmalloc or the ioremap window.
 *   arch_map_kernel_range() maps [va, va + size) to [pa, pa + size) with
 *     `prot`; 0, or -1 if page-table memory ran out or the range is not
 *     in a window or is mapped already (nothing is left half-mapped then).
 *     Works from the first C code on (early tables come from a pool).
 *   arch_unmap_kernel_range() removes the mappings and flushes the TLB
 *     (broadcast to the inner-shareable domain, so every CPU's copy goes).
 *   arch_kernel_pte_present() tells whether va is mapped (for tests).
 *   arch_kernel_translate() says what is mapped at va, for crash reports:
 *     1 and the leaf's physical address, PROT_* and level; 0 if nothing;
 *     -EINVAL if va is outside the two windows; -EBUSY if the table's lock
 *     is held (never spins: it runs inside fault handlers).
 * One lock serialises changes to the kernel table; callers need none.
 *
 * User address spaces (struct arch_mm, mm/arch_mm.h; nothing runs in user
 * mode yet).
 * Calls on one arch_mm must not overlap (its owner holds a lock around
 * each); different arch_mms are independent.
 *   arch_mm_create(mm): an empty user half. arm64: a TTBR0 root; the
 *     kernel stays in TTBR1. 0 or -ENOMEM.
 *   arch_mm_destroy(mm): frees every table, gives up its ASID. No CPU may
 *     have it loaded.
 *   arch_mm_map(mm, va, pa, size, prot): as pgtable_map() with the largest
 *     leaves that fit, inside [0, TASK_SIZE). 0, -EINVAL, -ENOMEM. New
 *     entries only: no flush is needed.
 *   arch_mm_unmap(mm, va, size), arch_mm_protect(mm, va, size, prot): as
 *     pgtable_unmap() / pgtable_protect(), then the TLB flush the change
 *     needs (arch_flush_tlb_mm_range) on every CPU that may cache it.
 *   arch_switch_mm(mm): load mm's user half on this CPU (NULL: none, the
 *     kernel only). Interrupts off. arm64: TTBR0 = root | ASID << 48.
 *   arch_flush_tlb_mm(mm), arch_flush_tlb_mm_range(mm, va, size): drop the
 *     TLB entries of mm (of the range) on every CPU: arm64's TLBI ...IS
 *     broadcasts in hardware.
 * ASIDs come from the generation allocator of mm/asid.h.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_DEVICE	0x8	/* device registers: Device-nGnRE */
#define PROT_USER	0x10	/* user mode may use it (user tables only) */

/* Where vmalloc areas live (inside the kernel half, below the ioremap window). */
#define VMALLOC_START	0xffffa00000000000UL
#define VMALLOC_END	0xffffbfffffffffffUL

/* The user half: [0, TASK_SIZE). */
#define TASK_SIZE	(1UL << 48)

/* One user address space's MMU state: mm/arch_mm.h defines it (the same
 * fields on every arch; this header includes nothing from mm/). */
struct arch_mm;

int arch_map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
			  unsigned int prot);
void arch_unmap_kernel_range(unsigned long va, size_t size);
bool arch_kernel_pte_present(unsigned long va);
int arch_kernel_translate(unsigned long va, phys_addr_t *pa,
			  unsigned int *prot, unsigned int *level);

int arch_mm_create(struct arch_mm *mm);
void arch_mm_destroy(struct arch_mm *mm);
int arch_mm_map(struct arch_mm *mm, unsigned long va, phys_addr_t pa,
		size_t size, unsigned int prot);
size_t arch_mm_unmap(struct arch_mm *mm, unsigned long va, size_t size);
long arch_mm_protect(struct arch_mm *mm, unsigned long va, size_t size,
		     unsigned int prot);
void arch_switch_mm(struct arch_mm *mm);
void arch_flush_tlb_mm(struct arch_mm *mm);
void arch_flush_tlb_mm_range(struct arch_mm *mm, unsigned long va,
			     size_t size);

#endif
