/*
 * arch/arm64/sysreg.h - system register bits and page-table descriptor
 * bits, usable from C and from assembly (Arm ARM, DDI 0487: D13 for the
 * registers, D8.3 for the VMSAv8-64 descriptors).
 */
#ifndef ARCH_ARM64_SYSREG_H
#define ARCH_ARM64_SYSREG_H

#ifdef __ASSEMBLER__
#define _UL(x)	x
#else
#define _UL(x)	x##UL
#endif

/* SCTLR_EL1 */
#define SCTLR_M			(_UL(1) << 0)	/* MMU on */
#define SCTLR_A			(_UL(1) << 1)	/* alignment check */
#define SCTLR_C			(_UL(1) << 2)	/* data cache */
#define SCTLR_SA		(_UL(1) << 3)	/* stack alignment check */
#define SCTLR_I			(_UL(1) << 12)	/* instruction cache */
#define SCTLR_EL1_RES1		_UL(0x30d00800)	/* RES1 bits; all else off */
/* What EL0 may do (arch/arm64/process.c sets these on every CPU). */
#define SCTLR_SA0		(_UL(1) << 4)	/* EL0 sp alignment check */
#define SCTLR_DZE		(_UL(1) << 14)	/* EL0 may DC ZVA (memset) */
#define SCTLR_UCT		(_UL(1) << 15)	/* EL0 may read CTR_EL0 */
#define SCTLR_nTWE		(_UL(1) << 18)	/* EL0 WFE not trapped */
#define SCTLR_SPAN		(_UL(1) << 23)	/* 0: PAN set on entry to EL1 */
#define SCTLR_UCI		(_UL(1) << 26)	/* EL0 cache maintenance */

/* CPACR_EL1.FPEN = 0b11: FP/SIMD not trapped at EL0 or EL1. */
#define CPACR_FPEN		(_UL(3) << 20)

/* ID_AA64MMFR1_EL1.PAN (bits 23:20): nonzero when PAN exists. */
#define ID_MMFR1_PAN_SHIFT	20

/* PSTATE / SPSR bits. */
#define PSR_MODE_MASK		_UL(0xf)
#define PSR_MODE_EL0t		_UL(0)
#define PSR_MODE32		(_UL(1) << 4)	/* AArch32: never for us */
#define PSR_F			(_UL(1) << 6)
#define PSR_I			(_UL(1) << 7)
#define PSR_A			(_UL(1) << 8)
#define PSR_D			(_UL(1) << 9)
#define PSR_PAN			(_UL(1) << 22)
#define PSR_SS			(_UL(1) << 21)
#define PSR_IL			(_UL(1) << 20)
#define PSR_NZCV		(_UL(0xf) << 28)

/* SCR_EL3 */
#define SCR_NS			(_UL(1) << 0)
#define SCR_RES1		(_UL(3) << 4)
#define SCR_SMD			(_UL(1) << 7)
#define SCR_HCE			(_UL(1) << 8)
#define SCR_RW			(_UL(1) << 10)

#define HCR_RW			(_UL(1) << 31)
#define CPTR_EL2_RES1		0x33ff

/* SPSR: all of DAIF masked, return to EL2h / EL1h. */
#define SPSR_EL2H_MASKED	0x3c9
#define SPSR_EL1H_MASKED	0x3c5

/*
 * MAIR_EL1 attribute slots: the AttrIndx of a descriptor picks one.
 */
#define MT_DEVICE_nGnRnE	0
#define MT_NORMAL		1	/* write-back, read/write-allocate */
#define MT_DEVICE_nGnRE		2
#define MT_NORMAL_NC		3
#define MAIR_VALUE		((_UL(0x00) << (8 * MT_DEVICE_nGnRnE)) | \
				 (_UL(0xff) << (8 * MT_NORMAL)) | \
				 (_UL(0x04) << (8 * MT_DEVICE_nGnRE)) | \
				 (_UL(0x44) << (8 * MT_NORMAL_NC)))

/* TCR_EL1: 48-bit VAs in both halves, 4 KiB granule, inner-shareable
 * write-back walks. IPS is filled from ID_AA64MMFR0_EL1 at boot. */
#define TCR_T0SZ		(_UL(16) << 0)
#define TCR_EPD0		(_UL(1) << 7)
#define TCR_EPD1		(_UL(1) << 23)
#define TCR_IRGN0_WBWA		(_UL(1) << 8)
#define TCR_ORGN0_WBWA		(_UL(1) << 10)
#define TCR_SH0_INNER		(_UL(3) << 12)
#define TCR_TG0_4K		(_UL(0) << 14)
#define TCR_T1SZ		(_UL(16) << 16)
#define TCR_IRGN1_WBWA		(_UL(1) << 24)
#define TCR_ORGN1_WBWA		(_UL(1) << 26)
#define TCR_SH1_INNER		(_UL(3) << 28)
#define TCR_TG1_4K		(_UL(2) << 30)
#define TCR_VALUE		(TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | \
				 TCR_SH0_INNER | TCR_TG0_4K | TCR_T1SZ | \
				 TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | \
				 TCR_SH1_INNER | TCR_TG1_4K)

/* Descriptors. */
#define PTE_VALID		(_UL(1) << 0)
#define PTE_TABLE		(_UL(3) << 0)	/* table (levels 0-2) */
#define PTE_BLOCK		(_UL(1) << 0)	/* block (levels 1-2) */
#define PTE_PAGE		(_UL(3) << 0)	/* page (level 3) */
#define PTE_ATTRINDX(i)		((_UL(i)) << 2)
#define PTE_AP_RO		(_UL(1) << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER		(_UL(3) << 8)
#define PTE_AF			(_UL(1) << 10)	/* access flag */
#define PTE_PXN			(_UL(1) << 53)	/* not executable at EL1 */
#define PTE_UXN			(_UL(1) << 54)	/* not executable at EL0 */
#define PTE_ADDR_MASK		_UL(0x0000fffffffff000)

/* The early kernel map: normal memory, writable, executable. */
#define PTE_KERNEL_BLOCK	(PTE_BLOCK | PTE_ATTRINDX(MT_NORMAL) | \
				 PTE_SH_INNER | PTE_AF)

#endif
