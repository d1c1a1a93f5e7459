/*
 * mm/arch_mm.h - the MMU interface: the kernel's own mappings (vmalloc,
 * ioremap) and user address spaces, the same on every architecture.
 * docs/arch-boundary.md tables it with each arch's side.
 *
 * The logic lives once, in mm/arch_mm.c: it takes the kernel table's
 * lock, checks the windows, calls the portable walker (mm/pgtable.c) and
 * asks for the TLB flush a change needs. What differs per architecture
 * is the small set of arch_* primitives declared at the end of this
 * header (and the inline ones and the constants of <arch/mmu.h>: the
 * window bounds, TASK_SIZE). The PROT_* bits below are portable: each
 * arch's formats translate them (prot_to_attrs). The entry formats (struct
 * pgtable_fmt) are each arch's too, in arch/<arch>/pgtable.c.
 *
 * Kernel mappings. Addresses and sizes are page aligned and lie in the
 * vmalloc or the ioremap window ([VMALLOC_START, VMALLOC_END],
 * [IOREMAP_BASE, IOREMAP_BASE + IOREMAP_SIZE)): the kernel half's
 * top-level entries for those windows exist from boot and never change,
 * which is what lets every user address space share them (x86_64 copies
 * them into each new root; arm64 keeps the kernel in TTBR1).
 * kernel_pgt_lock serialises every change to the kernel table; callers
 * need no lock of their own.
 *   arch_map_kernel_range() maps [va, va + size) to [pa, pa + size) with
 *     `prot` in 4 KiB pages; 0, or -1 if page-table memory ran out or the
 *     range is not in a window or is mapped already (nothing is left
 *     half-mapped then). On arm64 it works from the first C code on
 *     (the early tables come from a pool).
 *   arch_unmap_kernel_range() removes the mappings and flushes the TLB of
 *     this CPU (arch_flush_tlb_kernel_range(); arm64 reaches every CPU,
 *     on x86_64 other CPUs need flush_tlb_kernel_range(), kernel/smp.h).
 *   arch_kernel_pte_present() tells whether va is mapped (for tests).
 *   arch_kernel_translate() says what is mapped at va, for crash reports:
 *     1 and the leaf's physical address, PROT_* and level; 0 if nothing;
 *     -EINVAL if va is outside the two windows; -EBUSY if the table's lock
 *     is held (never spins: it runs inside fault handlers).
 *
 * User address spaces (struct arch_mm below; nothing runs in user mode
 * yet). Calls on one arch_mm must not overlap (its owner holds a lock
 * around each); different arch_mms are independent.
 *   arch_mm_create(mm): an empty user half [0, TASK_SIZE) (the root from
 *     arch_pgd_alloc()). 0 or -ENOMEM.
 *   arch_mm_destroy(mm): frees every table, gives up its ASID/PCID. No
 *     CPU may have it loaded (BUG).
 *   arch_mm_map(mm, va, pa, size, prot): as pgtable_map() with the largest
 *     leaves the CPU has (arch_mm_max_leaf()), inside [0, TASK_SIZE).
 *     0, -EINVAL, -ENOMEM. New entries only: no flush is needed.
 *   arch_mm_unmap(mm, va, size), arch_mm_protect(mm, va, size, prot): as
 *     pgtable_unmap() / pgtable_protect(), then the TLB flush the change
 *     needs (arch_flush_tlb_mm_range) on every CPU that may cache it.
 * ASIDs and PCIDs come from the generation allocator of mm/asid.h.
 */
#ifndef MM_ARCH_MM_H
#define MM_ARCH_MM_H

#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/abi/mman.h"
#include "kernel/types.h"
#include "mm/pgtable.h"
#include <arch/mmu.h>

/* What a CPU mapping allows, in every arch's format. */
/* PROT_READ, PROT_WRITE, PROT_EXEC: Linux's values, kernel/abi/mman.h. */
#define PROT_DEVICE	0x8	/* device registers: uncached, never executed */
#define PROT_USER	0x10	/* user mode may use it (user tables only) */

/*
 * What the MMU interface keeps for one user address space. Owned by
 * whoever owns the address space (later: struct mm_struct); the arch_mm_*
 * calls fill and use it.
 */
struct arch_mm {
	struct pgtable pgt;		/* the user half's table (x86_64: the
					 * PML4, sharing the kernel half;
					 * arm64: TTBR0's table) */
	uint64_t asid;			/* generation | ASID/PCID (mm/asid.h);
					 * 0 until it first runs */
	unsigned long cpus;		/* CPUs that loaded it since it was
					 * made (bit n = CPU n) */
	unsigned long stale_cpus;	/* x86_64: CPUs that must drop its
					 * entries when they next load it (a
					 * flush they were not interrupted
					 * for: they were running another) */
};

/* Serialises changes to the kernel table (Linux: init_mm's
 * page_table_lock). The arch takes it too when it changes the table
 * itself (arm64's early maps, the switch to the final table). */
extern spinlock_t kernel_pgt_lock;

/* What each CPU has loaded in its user half (NULL: none); written by
 * arch_switch_mm(), read by arch_mm_destroy()'s check. */
extern struct arch_mm *cpu_loaded_mm[NR_CPUS];

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

/*
 * ---- For arch_mm_init(), which builds the kernel table (boot only).
 * kernel_pgtable_alloc(): a zeroed page for a kernel table (the
 *   pgtable's alloc callback): from memblock during boot, from the page
 *   allocator once it runs (callers hold kernel_pgt_lock then: it never
 *   sleeps). NULL when out of memory.
 * map_mem(): every RAM range of memblock into the direct map at
 *   PAGE_OFFSET, read-write and not executable, in leaves up to max_leaf.
 * map_kernel(): the kernel image W^X in 4 KiB pages: [text, etext)
 *   read-only and executable, [etext, data) read-only, [data, end)
 *   read-write (data, bss, symbols). Both panic when they cannot map.
 */
void *kernel_pgtable_alloc(struct pgtable *pt);
void map_mem(struct pgtable *pt, size_t max_leaf);
void map_kernel(struct pgtable *pt, const void *text, const void *etext,
		const void *data, const void *end);

/*
 * ---- What each architecture supplies (arch/<arch>/mmu.c; the host's in
 * tests/host/host_mmu*.c). One more, inline in <arch/mmu.h>:
 * arch_map_barrier(), called after new entries were written (never a
 * changed live one), makes them visible to this CPU's table walker before
 * the mapping is used: arm64 DSB ISHST + ISB, nothing on x86_64.
 */

/* The kernel table (x86_64: the one PML4's kernel half; arm64: TTBR1's,
 * the early one until arch_mm_init() switches). Under kernel_pgt_lock. */
struct pgtable *arch_kernel_pgtable(void);

/* After kernel entries in [va, va + size) were removed: drop this CPU's
 * cached translations of them (arm64: broadcast, every CPU's). */
void arch_flush_tlb_kernel_range(unsigned long va, size_t size);

/* Make pgt an empty user half [0, TASK_SIZE) in this arch's user entry
 * format (Linux: pgd_alloc). x86_64 copies the kernel half's 256
 * top-level entries into the new PML4; arm64 needs nothing more (TTBR1
 * holds the kernel). 0 or -ENOMEM; pgtable_free() undoes it. */
int arch_pgd_alloc(struct pgtable *pgt);

/* The largest leaf a user mapping may use: 1 GiB where the CPU has such
 * pages (x86_64 without them: 2 MiB). */
size_t arch_mm_max_leaf(void);

/* Load mm's user half on this CPU (NULL: none, the kernel only) and
 * record it in cpu_loaded_mm and mm->cpus. Interrupts off. x86_64: CR3 =
 * PML4 | PCID with the no-flush bit where the CPU has PCIDs (without them
 * every switch flushes the non-global entries); arm64: TTBR0 = root |
 * ASID << 48. */
void arch_switch_mm(struct arch_mm *mm);

/* Drop the TLB entries of mm (of a range of it) on every CPU that may
 * cache them: arm64's TLBI ...IS broadcasts in hardware; x86_64 flushes
 * this CPU and sends an IPI to every other CPU in mm->cpus, which needs
 * interrupts on when there is one. */
void arch_flush_tlb_mm(struct arch_mm *mm);
void arch_flush_tlb_mm_range(struct arch_mm *mm, unsigned long va,
			     size_t size);

#endif
