/*
 * arch/x86_64/user.h - x86_64 internals of user mode shared by the entry
 * code, traps, the context switch and the tests (the portable contract
 * is <arch/user.h>).
 */
#ifndef ARCH_X86_64_USER_H
#define ARCH_X86_64_USER_H

#include "kernel/types.h"
#include <arch/thread.h>
#include <arch/user.h>

/* GDT selectors (trap.c). SYSCALL loads CS/SS from STAR[47:32]
 * (kernel code, kernel data = +8); SYSRET to 64-bit mode from
 * STAR[63:48] + 16 (user code) and + 8 (user data), so user data sits
 * just below user code, and slot 3 (a 32-bit user code segment in Linux)
 * stays empty: no compatibility mode here. */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER32_CS	0x1b	/* STAR's SYSRET base; not a usable segment */
#define USER_DS		0x23
#define USER_CS		0x2b
#define TSS_SEL		0x30

#define SYSCALL_VECTOR	0x100	/* pt_regs.vector of a SYSCALL frame */

#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_FMASK		0xc0000084
#define MSR_FS_BASE		0xc0000100
#define MSR_KERNEL_GS_BASE	0xc0000102

#define X86_RFLAGS_TF	(1UL << 8)
#define X86_RFLAGS_DF	(1UL << 10)
#define X86_RFLAGS_IOPL	(3UL << 12)
#define X86_RFLAGS_NT	(1UL << 14)
#define X86_RFLAGS_RF	(1UL << 16)
#define X86_RFLAGS_AC	(1UL << 18)
/* What user mode may set in rflags (CF PF AF ZF SF TF DF OF RF AC):
 * never IOPL, NT, VM, and IF is always on. */
#define X86_RFLAGS_USER	0x50dd5UL

/* What CPUID told x86_user_init_cpu() (boot CPU). */
extern bool x86_have_smep, x86_have_smap;

/* Per CPU, from the trap set-up: EFER.SCE and the SYSCALL MSRs, CR0/CR4
 * bits for the FPU (FXSAVE, SSE exceptions), SMEP and SMAP. */
void x86_user_init_cpu(unsigned int cpu);
/* TSS.rsp0 of this CPU (trap.c), for the context switch. */
void x86_set_kernel_stack(unsigned long top);

/* A fresh context's user part: no user state, the FPU image in its
 * initial state (FCW 0x37f, MXCSR 0x1f80), FS base 0. */
void x86_init_user_context(struct arch_context *ctx);

static inline bool user_mode(const struct pt_regs *r)
{
	return (r->cs & 3) == 3;
}

/* For tests: a load from p without STAC, with an exception-table entry:
 * 0 and *val, or -EFAULT if it faulted (SMAP forbids it, or unmapped). */
long x86_read_nostac(const void *p, uint64_t *val);

#endif
