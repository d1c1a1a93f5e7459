/*
 * mm/arch_mm.h - struct arch_mm: what the arch MMU contract
 * (<arch/mmu.h>, docs/arch-boundary.md) keeps for one user address
 * space. The fields are the same on every architecture, so the struct
 * is defined here, above the arch boundary (<arch/...h> includes nothing
 * from mm/), and <arch/mmu.h> only names it.
 *
 * Owned by whoever owns the address space (later: struct mm_struct);
 * the arch_mm_* calls fill and use it. Calls on one arch_mm must not
 * overlap.
 */
#ifndef MM_ARCH_MM_H
#define MM_ARCH_MM_H

#include "kernel/types.h"
#include "mm/pgtable.h"

struct arch_mm {
	struct pgtable pgt;		/* the user half's table (x86_64: the
					 * PML4, sharing the kernel half;
					 * arm64: TTBR0's table) */
	uint64_t asid;			/* generation | ASID/PCID (mm/asid.h);
					 * 0 until it first runs */
	unsigned long cpus;		/* CPUs that loaded it since it was
					 * made (bit n = CPU n) */
};

#endif
