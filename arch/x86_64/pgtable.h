/*
 * arch/x86_64/pgtable.h - the bits of an x86_64 page-table entry (4-level
 * paging, Intel SDM vol. 3, 4.5, tables 4-15 to 4-20) and the two entry
 * formats mm/pgtable.c walks with them: the kernel's (global, never
 * user-accessible) and a user address space's.
 *
 *   63   62..58  57..52  51..12       11..9  8  7   6  5  4   3   2  1  0
 *   NX   (PKEY)  ignored  address      ign.   G  PS  D  A  PCD PWT U  W  P
 *
 * PS is in level-2 and level-3 entries (2 MiB and 1 GiB leaves); in a
 * level-1 entry bit 7 is PAT, which this kernel leaves 0. Entries that
 * point at a table carry P, W and (in user tables) U; the leaf decides the
 * final permissions, because the CPU ANDs every level's W and U.
 *
 * A non-present entry (P = 0) is ignored by the MMU in every other bit, so
 * software keeps a payload there (swap entries, later):
 *
 *   63..58    57..2             1   0
 *   0         payload (56 bits) 1   0 (P)
 *
 * Bit 1 marks "a payload is here", so even payload 0 gives a non-zero
 * entry; bits 63..58 stay free for software flags of such entries.
 * (Linux also inverts the payload against the L1 Terminal Fault
 * speculation bug: a non-present entry whose address bits name real RAM
 * can leak it on affected Intel CPUs. A teaching kernel with no user
 * space does not need that yet.)
 */
#ifndef ARCH_X86_64_PGTABLE_H
#define ARCH_X86_64_PGTABLE_H

#include "mm/pgtable.h"

#define PTE_P		(1ULL << 0)
#define PTE_W		(1ULL << 1)
#define PTE_U		(1ULL << 2)
#define PTE_PWT		(1ULL << 3)
#define PTE_PCD		(1ULL << 4)
#define PTE_A		(1ULL << 5)	/* accessed: the CPU sets it */
#define PTE_D		(1ULL << 6)	/* dirty: the CPU sets it on a write */
#define PTE_PS		(1ULL << 7)	/* a leaf at level 2 or 3 */
#define PTE_G		(1ULL << 8)	/* global: survives CR3 writes */
#define PTE_NX		(1ULL << 63)
#define PTE_ADDR	0x000ffffffffff000ULL

#define PTE_PAYLOAD_MARK	(1ULL << 1)
#define PTE_PAYLOAD_SHIFT	2
#define PTE_PAYLOAD_BITS	56

/* The NX bit where the CPU has it (EFER.NXE is set at boot), else 0:
 * arch_mm_init() sets it before the formats are used. */
extern uint64_t x86_nx_bit;

extern const struct pgtable_fmt x86_kernel_fmt;
extern const struct pgtable_fmt x86_user_fmt;

#endif
