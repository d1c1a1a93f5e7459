/*
 * arch/mmu.h (x86_64) - the MMU contract: the kernel's own mappings, and
 * user address spaces. The same names and meanings on every architecture;
 * docs/arch-boundary.md tables them with each arch's implementation.
 * Page tables are walked by mm/pgtable.c over this arch's entry formats
 * (arch/x86_64/pgtable.h draws the bits).
 *
 * Kernel mappings (vmalloc, ioremap). Addresses and sizes are page
 * aligned and lie in the vmalloc or the ioremap window: the kernel half's
 * top-level entries for those windows exist from boot and never change,
 * which is what lets every user address space share them.
 *   arch_map_kernel_range() maps [va, va + size) to [pa, pa + size) with
 *     `prot`; 0, or -1 if page-table memory ran out or the range is not
 *     in a window or is mapped already (nothing is left half-mapped then).
 *   arch_unmap_kernel_range() removes the mappings and flushes the TLB of
 *     this CPU (other CPUs: flush_tlb_kernel_range(), kernel/smp.h).
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
 *   arch_mm_create(mm): an empty user half. x86_64: a new PML4 whose
 *     upper 256 entries are copies of the kernel's. 0 or -ENOMEM.
 *   arch_mm_destroy(mm): frees every table, gives up its PCID. No CPU may
 *     have it loaded.
 *   arch_mm_map(mm, va, pa, size, prot): as pgtable_map() with the largest
 *     leaves that fit, inside [0, TASK_SIZE). 0, -EINVAL, -ENOMEM. New
 *     entries only: no flush is needed.
 *   arch_mm_unmap(mm, va, size), arch_mm_protect(mm, va, size, prot): as
 *     pgtable_unmap() / pgtable_protect(), then the TLB flush the change
 *     needs (arch_flush_tlb_mm_range) on every CPU that may cache it.
 *   arch_switch_mm(mm): load mm's user half on this CPU (NULL: none, the
 *     kernel only). Interrupts off. x86_64: CR3 = PML4 | PCID with the
 *     no-flush bit where the CPU has PCIDs; without them every switch
 *     flushes the non-global TLB entries.
 *   arch_flush_tlb_mm(mm), arch_flush_tlb_mm_range(mm, va, size): drop the
 *     TLB entries of mm (of the range) on this CPU; x86_64 also sends an
 *     IPI to every other CPU that has run mm since it was made (mm->cpus),
 *     which needs interrupts on when there is one.
 * PCIDs come from the generation allocator of mm/asid.h.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_DEVICE	0x8	/* uncached device registers */
#define PROT_USER	0x10	/* user mode may use it (user tables only) */

/* Where vmalloc areas live (inside the kernel half, below the ioremap window). */
#define VMALLOC_START	0xffffa00000000000UL
#define VMALLOC_END	0xffffbfffffffffffUL

/* The user half: [0, TASK_SIZE). */
#define TASK_SIZE	(1UL << 47)

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
