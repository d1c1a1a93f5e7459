/*
 * arch/arm64/pgtable.h - the entry formats mm/pgtable.c walks the arm64
 * page tables with (VMSAv8-64, 4 KiB granule, 48-bit VAs: Arm ARM D8.3;
 * the descriptor bits are in arch/arm64/sysreg.h). mm/pgtable.h counts
 * levels from the pages up, the Arm ARM from the root down:
 *
 *   mm/pgtable.h level   4 (root)   3            2            1
 *   Arm ARM level        0          1            2            3
 *   a leaf there         -          1 GiB block  2 MiB block  4 KiB page
 *
 *   63  58..55   54  53  52..51  47..12   11  10  9..8  7     6     5  4..2     1  0
 *   -   SW       UXN PXN -       address  nG  AF  SH    AP[2] AP[1] NS AttrIndx T  V
 *
 * Bits 1:0: 0bx0 invalid, 0b11 a table (Arm levels 0-2) or a page (level
 * 3), 0b01 a block. AP[2] makes a leaf read-only, AP[1] lets EL0 use it;
 * nG tags it with the ASID (user leaves) instead of matching every
 * address space (kernel leaves, global).
 *
 * Accessed and dirty: AF (bit 10) is the young bit; every leaf is made
 * with it set, since nothing handles access-flag faults yet and TCR_EL1.HA
 * (hardware AF updates, ARMv8.1) is off. Dirty is software bit 55
 * (Linux's PTE_DIRTY): the Cortex-A72 (Raspberry Pi 4, the benchmark CPU)
 * has no DBM hardware dirty state, so dirtiness will come from the fault
 * path as in Linux (a clean writable page is mapped read-only; the first
 * write faults and sets bit 55 and write permission). Nothing sets it yet.
 *
 * Non-present entries (V = 0: the MMU ignores every other bit):
 *
 *   63..58    57..2             1   0
 *   0         payload (56 bits) 1   0 (V)
 *
 * the same layout as x86_64's: bit 1 marks a payload, bits 63..58 stay
 * free for software flags of such entries.
 */
#ifndef ARCH_ARM64_PGTABLE_H
#define ARCH_ARM64_PGTABLE_H

#include "arch/arm64/sysreg.h"
#include "mm/pgtable.h"

#define PTE_USER		(_UL(1) << 6)	/* AP[1]: EL0 may use it */
#define PTE_NG			(_UL(1) << 11)	/* not global: ASID-tagged */
#define PTE_DIRTY		(_UL(1) << 55)	/* software */
#define PTE_TYPE_MASK		_UL(3)

#define PTE_PAYLOAD_MARK	(_UL(1) << 1)
#define PTE_PAYLOAD_SHIFT	2
#define PTE_PAYLOAD_BITS	56

/* The kernel's (TTBR1: global leaves, tables may be inside the kernel
 * image) and a user address space's (TTBR0: ASID-tagged leaves). */
extern const struct pgtable_fmt arm64_kernel_fmt;
extern const struct pgtable_fmt arm64_user_fmt;

#endif
