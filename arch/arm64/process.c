/*
 * arch/arm64/process.c - what user mode (EL0) needs of each CPU and of
 * each thread: the EL0 controls in SCTLR_EL1, FP/SIMD access and PAN
 * (once per CPU), and a thread's user registers (<arch/user.h>).
 *
 * Where a thread's user state lives:
 *   x0-x30, sp (SP_EL0), pc, pstate   the struct pt_regs at the top of its
 *                                     kernel stack (task_pt_regs), saved
 *                                     by every entry from EL0 (entry.S)
 *   q0-q31, FPSR, FPCR, TPIDR_EL0     live in the CPU while it runs, in
 *                                     its struct arch_context while it is
 *                                     switched out (thread_asm.S)
 */
#include "arch/arm64/sysreg.h"
#include "arch/arm64/trap.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/user.h>

void arm64_fpsimd_save(struct arch_fpsimd_state *s);		/* thread_asm.S */
void arm64_fpsimd_load(const struct arch_fpsimd_state *s);
__attribute__((noreturn)) void arm64_enter_user(struct pt_regs *r); /* entry.S */

_Static_assert(__builtin_offsetof(struct arch_context, tpidr_el0) == 8, "CTX_TPIDR");
_Static_assert(__builtin_offsetof(struct arch_context, user) == 16, "CTX_USER");
_Static_assert(__builtin_offsetof(struct arch_context, fpsimd) == 32, "CTX_FPSIMD");
_Static_assert(__builtin_offsetof(struct arch_fpsimd_state, fpsr) == 512, "fpsr");

static bool has_pan;

bool arm64_cpu_has_pan(void)
{
	return has_pan;
}

/*
 * Once on every CPU, before it can run user code:
 *  - SCTLR_EL1: EL0 may use DC ZVA (glibc's memset), read CTR_EL0, clean
 *    caches by VA (UCI), wait with WFI/WFE; its sp must stay 16-aligned
 *    (SA0: a misaligned sp is an SP alignment fault, SIGBUS).
 *  - CPACR_EL1.FPEN = 0b11: FP/SIMD for EL0 (and EL1, which is built
 *    with -mgeneral-regs-only and so never uses it: the registers are
 *    the user's; arch_context_switch saves them).
 *  - CNTKCTL_EL1.EL0VCTEN: EL0 may read the virtual counter, as on Linux.
 *  - PAN (ARMv8.1, ID_AA64MMFR1_EL1.PAN): SCTLR_EL1.SPAN = 0 sets
 *    PSTATE.PAN on every exception entry to EL1, and it is set now: the
 *    kernel then faults on any access to a page EL0 may use. The uaccess
 *    routines (uaccess.S) use LDTR/STTR, which access memory as EL0
 *    would and so need no PAN toggling. A Cortex-A72 has no PAN.
 */
void arm64_user_cpu_init(void)
{
	uint64_t sctlr, cpacr, mmfr1, cntkctl;

	__asm__ __volatile__("mrs %0, id_aa64mmfr1_el1" : "=r"(mmfr1));
	__asm__ __volatile__("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= SCTLR_SA0 | SCTLR_DZE | SCTLR_UCT | SCTLR_nTWE | SCTLR_UCI |
		 (_UL(1) << 16);		/* nTWI: EL0 WFI not trapped */
	if ((mmfr1 >> ID_MMFR1_PAN_SHIFT) & 0xf)
		sctlr &= ~SCTLR_SPAN;
	__asm__ __volatile__("msr sctlr_el1, %0\n\tisb" : : "r"(sctlr) : "memory");

	__asm__ __volatile__("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ __volatile__("msr cpacr_el1, %0\n\tisb"
			     : : "r"(cpacr | CPACR_FPEN) : "memory");

	__asm__ __volatile__("mrs %0, cntkctl_el1" : "=r"(cntkctl));
	__asm__ __volatile__("msr cntkctl_el1, %0"
			     : : "r"(cntkctl | 2) : "memory");	/* EL0VCTEN */

	if ((mmfr1 >> ID_MMFR1_PAN_SHIFT) & 0xf) {
		__asm__ __volatile__(".inst 0xd500419f" ::: "memory"); /* msr pan, #1 */
		has_pan = true;
	}
}

/* Once, on the boot CPU, after the console is up. */
void arm64_user_report(void)
{
	pr_info("user: EL0 with SVC; %s; UXN on kernel pages, PXN on user "
		"pages; FP/SIMD and TPIDR_EL0 per thread\n",
		has_pan ? "PAN on (uaccess by LDTR/STTR)" :
			  "no PAN on this CPU (uaccess by LDTR/STTR)");
}

struct pt_regs *task_pt_regs(struct thread *t)
{
	return (struct pt_regs *)((((unsigned long)t->stack + t->stack_size) &
				   ~15UL) - sizeof(struct pt_regs));
}

/* Only NZCV survives from what user code (a signal frame) asked for: EL0t,
 * AArch64, DAIF clear, no single-step, no PAN/UAO games. */
uint64_t arm64_user_spsr(uint64_t spsr)
{
	return (spsr & PSR_NZCV) | PSR_MODE_EL0t;
}

void start_thread(struct pt_regs *r, unsigned long pc, unsigned long sp)
{
	memset(r, 0, sizeof(*r));
	r->elr = pc;
	r->sp = sp;
	r->spsr = PSR_MODE_EL0t;	/* DAIF clear: interrupts on in EL0 */
	r->kind = 8;			/* as if entered from EL0 (AArch64) */
}

void arch_enter_user(struct pt_regs *r)
{
	struct thread *t = current;

	BUG_ON(r != task_pt_regs(t));
	if (!t->ctx.user)
		arch_reset_user_state(t);	/* no one else's FP/TLS state */
	r->spsr = arm64_user_spsr(r->spsr);
	arm64_enter_user(r);
}

static uint64_t read_tpidr_el0(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, tpidr_el0" : "=r"(v));
	return v;
}

void arch_copy_user_state(struct thread *child, const struct thread *parent)
{
	memset(&child->ctx.fpsimd, 0, sizeof(child->ctx.fpsimd));
	child->ctx.tpidr_el0 = 0;
	if (parent == current && parent->ctx.user) {
		/* Live in the CPU. A switch in the middle saves and restores
		 * them unchanged: the kernel never writes them. */
		arm64_fpsimd_save(&child->ctx.fpsimd);
		child->ctx.tpidr_el0 = read_tpidr_el0();
	} else if (parent->ctx.user) {
		child->ctx.fpsimd = parent->ctx.fpsimd;
		child->ctx.tpidr_el0 = parent->ctx.tpidr_el0;
	}
	child->ctx.user = 1;
}

void arch_reset_user_state(struct thread *t)
{
	static const struct arch_fpsimd_state zero;

	memset(&t->ctx.fpsimd, 0, sizeof(t->ctx.fpsimd));
	t->ctx.tpidr_el0 = 0;
	/* From here a switch saves the live registers as t's: set first,
	 * then clear them, so a switch in between cannot bring back another
	 * thread's values. */
	WRITE_ONCE(t->ctx.user, 1);
	__asm__ __volatile__("" ::: "memory");
	if (t == current) {
		arm64_fpsimd_load(&zero);
		__asm__ __volatile__("msr tpidr_el0, xzr" ::: "memory");
	}
}
