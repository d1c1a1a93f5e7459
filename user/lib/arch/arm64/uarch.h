/*
 * user/lib/arch/arm64/uarch.h - what user programs need to know about the
 * CPU and about where our kernel lives (arch/arm64/include/arch/page.h).
 * The only other arch-specific user code is crt0.S and syscall.S beside it.
 */
#ifndef USER_UARCH_H
#define USER_UARCH_H

#define UARCH_NAME		"arm64"
/* The kernel's direct map of RAM: QEMU virt's RAM starts at 1 GiB, and
 * the kernel is loaded 2 MiB in. */
#define UARCH_KERNEL_DATA	0xffff800040200000UL
/* The kernel's text (KERNEL_BASE + TEXT_OFFSET). */
#define UARCH_KERNEL_TEXT	0xffffffff80080000UL
/* A function that returns at once: `ret` (0xd65f03c0, little-endian). */
#define UARCH_RET_INSN		{ 0xc0, 0x03, 0x5f, 0xd6 }
#define UARCH_RET_INSN_SIZE	4
/* open()'s O_DIRECTORY and O_DIRECT: flags whose values differ by arch. */
#define UARCH_O_DIRECTORY	040000
#define UARCH_O_DIRECT		0200000

#endif
