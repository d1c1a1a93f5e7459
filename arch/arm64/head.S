/*
 * arch/arm64/head.S - from the boot loader to C, with the MMU on.
 *
 * The file starts with a Linux arm64 Image header (Documentation/arch/
 * arm64/booting.rst), so the same bytes boot as:
 *   - build/arm64/kernel.elf under QEMU virt -kernel (loaded at 0x40080000,
 *     x0 = 0; the device tree sits at the start of RAM);
 *   - build/arm64/Image under QEMU -kernel or U-Boot booti (x0 = the DTB);
 *   - kernel8.img on a Raspberry Pi (loaded at 0x80000, x0 = the DTB from
 *     the firmware; QEMU raspi3b without -dtb passes an ATAG list in x0).
 *
 * What happens, in order (all of it position-independent: the MMU is off
 * and the code runs at whatever physical address it was loaded at):
 *   1. Every core but core 0 parks in secondary_park (SMP start hook).
 *   2. EL3 -> EL2 -> EL1: the kernel runs at EL1; EL2 is set up so that EL1
 *      is AArch64, owns the timers and (GICv3) the interrupt controller's
 *      system registers.
 *   3. The counter is read: "time zero" of the boot log.
 *   4. BSS is cleared.
 *   5. Two sets of page tables (4 KiB granule, 48-bit VA):
 *        TTBR0: identity map of the 1 GiB around the kernel, only so that
 *               the instruction after "MMU on" still has a mapping;
 *        TTBR1: the kernel image at KERNEL_BASE, 2 MiB blocks.
 *   6. MMU and caches on, jump to the kernel's virtual address, switch the
 *      identity map off (TCR_EL1.EPD0), install the vectors, call
 *      arm64_start(x0 from the loader, counter at entry).
 * arch_mm_init() later replaces the TTBR1 tables with a full direct map
 * and a W^X kernel map built from memblock.
 */
#include "arch/arm64/sysreg.h"

#define KERNEL_BASE	0xffffffff80000000
#define TEXT_OFFSET	0x80000
#define EARLY_KERNEL_BLOCKS	16	/* 2 MiB each: 32 MiB of kernel VA */

/* struct secondary_boot (smp.c): one core starts at a time. */
#define SB_CPU		0
#define SB_STACK	8
#define SB_LOCAL	16
#define SB_TTBR1	24
#define SB_TCR		32
#define SB_MAIR		40

	.section .head.text, "ax"
	.global _head, _start
_head:
_start:
	/* --- The Image header: 64 bytes. --- */
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	TEXT_OFFSET			/* text_offset */
	.quad	0				/* image_size: patched by mkimage.sh */
	.quad	0xa				/* flags: LE, 4 KiB pages, anywhere */
	.quad	0, 0, 0				/* res2-res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5: no PE/COFF header */

primary_entry:
	mov	x19, x0				/* keep the loader's x0 (DTB) */

	/* 1. Only core 0 boots; the others wait for SMP start. */
	mrs	x1, mpidr_el1
	and	x1, x1, #0xffffff		/* Aff2.Aff1.Aff0 */
	cbnz	x1, secondary_park

	/* 2. Down to EL1. */
	bl	drop_to_el1

	/* 3. Time zero. */
	isb
	mrs	x20, cntvct_el0

	/* 4. Clear BSS (MMU off: these are physical addresses). Then make
	 * sure no stale cache line shadows the zeroes once caches are on. */
	adrp	x1, _bss_start
	add	x1, x1, :lo12:_bss_start
	adrp	x2, _bss_end
	add	x2, x2, :lo12:_bss_end
	mov	x3, x1
1:	cmp	x3, x2
	b.hs	2f
	stp	xzr, xzr, [x3], #16
	b	1b
2:	bl	dcache_inval_range		/* [x1, x2) */

	/* kimage_voffset = link address - load address. */
	adrp	x1, _head
	ldr	x2, =_head
	sub	x21, x2, x1			/* x21 = voffset */
	sub	x22, x1, #TEXT_OFFSET		/* x22 = physical KERNEL_BASE */
	/* The early map below uses 2 MiB blocks from x22: a kernel loaded
	 * anywhere but a 2 MiB boundary + TEXT_OFFSET (the Image header's
	 * rule; a Pi's kernel_address= set by hand can break it) would run
	 * from wrong addresses the moment the MMU is on. Say so and stop. */
	tst	x22, #((1 << 21) - 1)
	b.ne	misaligned
	adrp	x3, kimage_voffset
	str	x21, [x3, :lo12:kimage_voffset]
	dc	ivac, x3

	/* 5. Page tables (all in BSS, so already zero). */
	/* TTBR0: identity map of the 2 MiB block holding .head.text (this
	 * code, enable_mmu and secondary_entry), so that the instruction
	 * after "MMU on" still has a mapping. No more: on a Raspberry Pi 3
	 * the 1 GiB around the kernel holds the peripherals (0x3f000000),
	 * which must never be mapped as cacheable memory. */
	adrp	x0, idmap_l0
	adrp	x1, idmap_l1
	adrp	x5, idmap_l2
	adrp	x6, enable_mmu			/* its physical page */
	lsr	x2, x6, #39
	and	x2, x2, #511
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, x2, lsl #3]
	lsr	x2, x6, #30
	and	x2, x2, #511
	orr	x3, x5, #PTE_TABLE
	str	x3, [x1, x2, lsl #3]
	lsr	x2, x6, #21
	and	x2, x2, #511
	lsr	x3, x6, #21			/* the block's base */
	lsl	x3, x3, #21
	ldr	x4, =PTE_KERNEL_BLOCK
	orr	x3, x3, x4
	str	x3, [x5, x2, lsl #3]

	/* TTBR1: L0[511] -> L1; L1[510] -> L2; L2[0..] = 2 MiB blocks. */
	adrp	x0, init_l0
	adrp	x1, init_l1
	adrp	x2, init_l2
	orr	x3, x1, #PTE_TABLE
	str	x3, [x0, #511 * 8]
	orr	x3, x2, #PTE_TABLE
	str	x3, [x1, #510 * 8]
	ldr	x4, =PTE_KERNEL_BLOCK
	orr	x3, x22, x4
	mov	x5, #EARLY_KERNEL_BLOCKS
3:	str	x3, [x2], #8
	add	x3, x3, #(1 << 21)
	subs	x5, x5, #1
	b.ne	3b

	/* 6. Translation control, then MMU and caches on. */
	ldr	x0, =MAIR_VALUE
	ldr	x1, =TCR_VALUE
	mrs	x2, id_aa64mmfr0_el1		/* IPS = the CPU's PA size */
	and	x2, x2, #0x7
	orr	x1, x1, x2, lsl #32
	adrp	x2, init_l0
	bl	enable_mmu
	ldr	x0, =high_entry
	br	x0

/*
 * enable_mmu: x0 = MAIR_EL1, x1 = TCR_EL1, x2 = TTBR1_EL1 (physical);
 * TTBR0 gets the identity map, so the return (to a physical address)
 * still has a mapping. Turns the MMU and caches on. Every core comes
 * through here once: the boot core with the values above, the others
 * with the boot core's (secondary_entry). Clobbers x0, x1.
 */
enable_mmu:
	msr	mair_el1, x0
	msr	tcr_el1, x1
	adrp	x0, idmap_l0
	msr	ttbr0_el1, x0
	msr	ttbr1_el1, x2
	tlbi	vmalle1
	dsb	ish
	isb
	mrs	x0, sctlr_el1
	ldr	x1, =(SCTLR_M | SCTLR_C | SCTLR_I)
	orr	x0, x0, x1
	msr	sctlr_el1, x0
	isb
	ret

	.ltorg

/*
 * replace_ttbr1: x0 = the new TTBR1_EL1 (physical). Break before make
 * (Arm ARM D8.14.1): the old and new tables map the kernel at the same
 * addresses with different block sizes, and letting the TLB hold
 * entries of both can give a TLB conflict abort. So walks through TTBR1
 * stop (TCR_EL1.EPD1), every cached translation goes, and only then the
 * new root is set and walks resume. Runs at its physical address through
 * the identity map (arm64_replace_ttbr1 in mmu.c turns it on): nothing
 * mapped by TTBR1 may be touched in between, not even the stack, and no
 * exception may be taken (interrupts masked). Clobbers x1, x2.
 */
	.global	replace_ttbr1
replace_ttbr1:
	mrs	x1, tcr_el1
	orr	x2, x1, #TCR_EPD1		/* break */
	msr	tcr_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	ttbr1_el1, x0			/* make */
	msr	tcr_el1, x1
	isb
	ret

/*
 * misaligned: the kernel was loaded where the early map cannot map it.
 * With no device tree read yet, the message goes to the board's default
 * UART at its fixed address (the PL011 the firmware set up): a Pi 3
 * (Cortex-A53) or Pi 4 when loaded below 1 GiB, else QEMU virt's. Each
 * character waits a bounded time for room. Then the core stops.
 */
misaligned:
	mrs	x0, midr_el1
	ubfx	x0, x0, #4, #12			/* part number */
	ldr	x1, =0x09000000			/* QEMU virt: RAM at 1 GiB */
	adrp	x2, _head
	lsr	x2, x2, #30
	cbnz	x2, 1f
	ldr	x1, =0xfe201000			/* Pi 4 */
	cmp	x0, #0xd03			/* Cortex-A53: Pi 3 */
	b.ne	1f
	ldr	x1, =0x3f201000
1:	adr	x2, misaligned_msg
2:	ldrb	w3, [x2], #1
	cbz	w3, 5f
	mov	x4, #0x100000			/* bounded wait for room */
3:	ldr	w5, [x1, #0x18]			/* UARTFR */
	tbz	w5, #5, 4f			/* TXFF clear */
	subs	x4, x4, #1
	b.ne	3b
4:	str	w3, [x1]			/* UARTDR */
	b	2b
5:	wfe
	b	5b

misaligned_msg:
	.asciz	"\r\nmm kernel: loaded at an address that is not a 2 MiB boundary + 0x80000, which the early page tables need (check kernel_address= in config.txt); stopped.\r\n"
	.balign	4
	.ltorg

/* dcache_inval_range: invalidate data cache lines covering [x1, x2).
 * Clobbers x3, x4. (With caches off, nothing here is dirty.) */
dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x4, #4
	lsl	x4, x4, x3			/* line size in bytes */
	sub	x3, x4, #1
	bic	x3, x1, x3
1:	cmp	x3, x2
	b.hs	2f
	dc	ivac, x3
	add	x3, x3, x4
	b	1b
2:	dsb	sy
	ret

/*
 * drop_to_el1: return at EL1h with interrupts masked, whatever EL the
 * loader started us in. Clobbers x0, x1.
 */
drop_to_el1:
	mrs	x0, CurrentEL
	lsr	x0, x0, #2
	cmp	x0, #3
	b.eq	from_el3
	cmp	x0, #2
	b.eq	from_el2
	b	at_el1
from_el3:
	/* Non-secure, EL2 is AArch64, HVC on, SMC off for lower ELs. */
	ldr	x0, =(SCR_NS | SCR_RES1 | SCR_SMD | SCR_HCE | SCR_RW)
	msr	scr_el3, x0
	mov	x0, #SPSR_EL2H_MASKED
	msr	spsr_el3, x0
	adr	x0, from_el2
	msr	elr_el3, x0
	eret
from_el2:
	ldr	x0, =HCR_RW			/* EL1 is AArch64, nothing trapped */
	msr	hcr_el2, x0
	mrs	x0, cnthctl_el2			/* EL1 may read the counter and */
	orr	x0, x0, #3			/* use the physical timer */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr		/* virtual count = physical count */
	mov	x0, #CPTR_EL2_RES1		/* no FP/SIMD trap to EL2 */
	msr	cptr_el2, x0
	msr	hstr_el2, xzr
	mrs	x0, midr_el1			/* what EL1 reads as MIDR/MPIDR */
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	/* GICv3 system registers: let EL1 use them (ICC_SRE_EL2). */
	mrs	x0, id_aa64pfr0_el1
	ubfx	x0, x0, #24, #4
	cbz	x0, 1f
	mrs	x0, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	orr	x0, x0, #0xf			/* SRE, DFB, DIB, Enable */
	msr	S3_4_C12_C9_5, x0
	isb
1:	msr	vttbr_el2, xzr
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #SPSR_EL1H_MASKED
	msr	spsr_el2, x0
	msr	elr_el2, x30
	eret
at_el1:
	msr	daifset, #0xf
	ldr	x0, =SCTLR_EL1_RES1		/* MMU, caches, alignment off */
	msr	sctlr_el1, x0
	isb
	ret

	.ltorg

/*
 * Cores that enter at _start with the boot core (a bare-metal ELF boot on
 * a multi-core board, e.g. QEMU raspi3b -kernel kernel.elf) wait here, in
 * WFI (under QEMU's TCG, WFE does not sleep and polling cores slow the boot
 * core down). They are not started: to start one, store an entry point in
 * secondary_release, clean that line to memory and send the core an
 * interrupt; it jumps there with x0 = its MPIDR. The normal ways in (PSCI
 * CPU_ON, the firmware's spin table) go to secondary_entry instead.
 */
	.global	secondary_park
secondary_park:
	msr	daifset, #0xf
	adrp	x1, secondary_release
1:	wfi
	ldr	x2, [x1, :lo12:secondary_release]
	cbz	x2, 1b
	mrs	x0, mpidr_el1
	br	x2

/*
 * secondary_entry: where a started secondary core begins (PSCI CPU_ON's
 * entry point, or the address written to its spin-table slot), at its
 * physical address with the MMU off, at EL1 or EL2. arch_cpu_start()
 * (smp.c) filled secondary_boot and cleaned it to memory: the tables and
 * translation settings to use (the boot CPU's, identity map still
 * included), the stack, and the per-CPU block.
 */
	.global	secondary_entry
secondary_entry:
	msr	daifset, #0xf
	bl	drop_to_el1
	adrp	x19, secondary_boot		/* physical: MMU off */
	add	x19, x19, :lo12:secondary_boot
	ldr	x0, [x19, #SB_MAIR]
	ldr	x1, [x19, #SB_TCR]
	ldr	x2, [x19, #SB_TTBR1]
	bl	enable_mmu
	ldr	x0, =secondary_high
	br	x0

	.ltorg

	.text
/*
 * drop_idmap: called at the kernel's virtual address right after
 * enable_mmu: walks on TTBR0 stop (TCR_EL1.EPD0) and the identity map's
 * TLB entries go. Clobbers x0.
 */
drop_idmap:
	mrs	x0, tcr_el1
	orr	x0, x0, #TCR_EPD0
	msr	tcr_el1, x0
	msr	ttbr0_el1, xzr
	isb
	tlbi	vmalle1
	dsb	ish
	isb
	ret

high_entry:
	bl	drop_idmap			/* now at the kernel's VA */
	adrp	x0, boot_stack_top
	add	x0, x0, :lo12:boot_stack_top
	mov	sp, x0
	mov	x29, xzr			/* ends every backtrace */
	mov	x30, xzr
	adrp	x0, arm64_cpu_locals		/* CPU 0's per-CPU block */
	add	x0, x0, :lo12:arm64_cpu_locals
	msr	tpidr_el1, x0
	adrp	x0, arm64_vectors
	add	x0, x0, :lo12:arm64_vectors
	msr	vbar_el1, x0
	isb
	mov	x0, x19
	mov	x1, x20
	bl	arm64_start
1:	wfi
	b	1b

secondary_high:
	bl	drop_idmap			/* as on CPU 0 */
	ldr	x19, =secondary_boot		/* now its virtual address */
	ldr	x0, [x19, #SB_STACK]
	mov	sp, x0
	ldr	x0, [x19, #SB_LOCAL]
	msr	tpidr_el1, x0
	adrp	x0, arm64_vectors
	add	x0, x0, :lo12:arm64_vectors
	msr	vbar_el1, x0
	isb
	mov	x29, xzr
	mov	x30, xzr
	ldr	x0, [x19, #SB_CPU]
	bl	arm64_secondary_start
2:	wfi
	b	2b

	.ltorg

	.data
	.balign 8
	.global secondary_release, secondary_boot
secondary_release:	.quad 0
	.balign	64				/* its own cache line */
secondary_boot:		.skip 64

	.bss
	.balign 4096
	.global init_l0, boot_stack_top
	.global	idmap_l0
idmap_l0:	.skip 4096
idmap_l1:	.skip 4096
idmap_l2:	.skip 4096
init_l0:	.skip 4096
init_l1:	.skip 4096
init_l2:	.skip 4096
	.balign 16
boot_stack:	.skip 16384
boot_stack_top:
