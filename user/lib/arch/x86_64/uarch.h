/*
 * user/lib/arch/x86_64/uarch.h - what user programs need to know about the
 * CPU and about where our kernel lives (arch/x86_64/include/arch/page.h).
 * The only other arch-specific user code is crt0.S and syscall.S beside it.
 */
#ifndef USER_UARCH_H
#define USER_UARCH_H

#define UARCH_NAME		"x86_64"
/* The kernel's direct map of RAM, 1 MiB in (where the image is loaded). */
#define UARCH_KERNEL_DATA	0xffff800000100000UL
/* The kernel's text (KERNEL_BASE, the image loaded at 1 MiB). */
#define UARCH_KERNEL_TEXT	0xffffffff80100000UL
/* A function that returns at once: `ret`. */
#define UARCH_RET_INSN		{ 0xc3 }
#define UARCH_RET_INSN_SIZE	1
/* open()'s O_DIRECTORY and O_DIRECT: flags whose values differ by arch. */
#define UARCH_O_DIRECTORY	0200000
#define UARCH_O_DIRECT		040000

#endif
