/*
 * arch/x86_64/process.c - a thread's user-mode state: its register frame
 * (task_pt_regs, start_thread), entering ring 3, the FPU/SSE registers and
 * the FS base (TLS) kept per thread and switched with it, and
 * arch_prctl(). The contract is <arch/user.h>.
 *
 * FPU: eager switching with FXSAVE/FXRSTOR (SDM vol. 1, 10.5): a thread
 * that has user state saves its x87/SSE registers when it is switched
 * out and gets them back when it is switched in. The kernel never
 * touches them (-mgeneral-regs-only), so a kernel thread in between
 * leaves them alone and needs no save of its own. XSAVE (AVX and later)
 * is left off on purpose: CR4.OSXSAVE stays 0, so CPUID tells programs
 * (glibc) there is no AVX, and 512 bytes hold everything they can use.
 */
#include "arch/x86_64/io.h"
#include "arch/x86_64/user.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <arch/page.h>
#include <arch/thread.h>
#include <arch/user.h>

/* entry.asm reads these by offset. */
_Static_assert(offsetof(struct x86_cpu_local, kernel_stack) == 24, "entry.asm");
_Static_assert(offsetof(struct x86_cpu_local, user_rsp) == 32, "entry.asm");
_Static_assert(offsetof(struct pt_regs, rip) == 17 * 8, "entry.asm");
_Static_assert(sizeof(struct pt_regs) % 16 == 0, "stack alignment");

#ifndef EPERM
#define EPERM		1	/* until kernel/errno.h has it */
#endif

#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

void x86_switch_stacks(struct arch_context *prev, struct arch_context *next);
__noreturn void x86_enter_user(struct pt_regs *regs);

static inline void fxsave(void *area)
{
	__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	__asm__ __volatile__("fxrstor64 (%0)" : : "r"(area) : "memory");
}

void x86_init_user_context(struct arch_context *ctx)
{
	uint16_t fcw = 0x37f;		/* all x87 exceptions masked, 64-bit */
	uint32_t mxcsr = 0x1f80;	/* all SSE exceptions masked */

	ctx->user = false;
	ctx->fs_base = 0;
	memset(ctx->fxsave, 0, sizeof(ctx->fxsave));
	memcpy(ctx->fxsave + 0, &fcw, sizeof(fcw));
	memcpy(ctx->fxsave + 24, &mxcsr, sizeof(mxcsr));
}

/*
 * Switch to next (interrupts off): this CPU's kernel-stack slots (TSS.rsp0
 * and the SYSCALL entry's) follow the thread; a thread with user state
 * saves its FPU registers and the next one's come back with its FS base.
 */
void arch_context_switch(struct arch_context *prev, struct arch_context *next)
{
	if (prev->user)
		fxsave(prev->fxsave);
	if (next->user) {
		fxrstor(next->fxsave);
		wrmsr(MSR_FS_BASE, next->fs_base);
	}
	if (next->stack_top)	/* 0: the boot thread, never in user mode */
		x86_set_kernel_stack(next->stack_top);
	x86_switch_stacks(prev, next);
}

struct pt_regs *task_pt_regs(struct thread *t)
{
	return (struct pt_regs *)t->ctx.stack_top - 1;
}

void start_thread(struct pt_regs *r, unsigned long pc, unsigned long sp)
{
	memset(r, 0, sizeof(*r));
	r->rip = pc;
	r->rsp = sp;
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->rflags = X86_RFLAGS_IF | 2;	/* bit 1 is always set */
}

__noreturn void arch_enter_user(struct pt_regs *r)
{
	struct thread *t = current;

	arch_irq_disable();
	if (!t->ctx.user) {
		/* First time in user mode: the thread's registers are the
		 * ones in ctx (arch_reset/copy_user_state), not whatever the
		 * FPU holds now. */
		t->ctx.user = true;
		fxrstor(t->ctx.fxsave);
		wrmsr(MSR_FS_BASE, t->ctx.fs_base);
	}
	x86_enter_user(r);
}

void arch_copy_user_state(struct thread *child, const struct thread *parent)
{
	if (parent == current && parent->ctx.user) {
		unsigned long flags = arch_irq_save();

		fxsave(child->ctx.fxsave);	/* live in the registers */
		arch_irq_restore(flags);
	} else {
		memcpy(child->ctx.fxsave, parent->ctx.fxsave,
		       sizeof(child->ctx.fxsave));
	}
	child->ctx.fs_base = parent->ctx.fs_base;
	child->ctx.user = false;	/* arch_enter_user loads it */
}

void arch_reset_user_state(struct thread *t)
{
	unsigned long flags = arch_irq_save();

	x86_init_user_context(&t->ctx);
	if (t == current)
		wrmsr(MSR_FS_BASE, 0);
	/* t->ctx.user is false now: its next arch_enter_user loads the
	 * initial FPU image. */
	arch_irq_restore(flags);
}

/*
 * SYSRET may return only a frame that SYSCALL made and nobody changed in
 * a way SYSRET cannot express: rcx/r11 still equal rip/rflags, user
 * segments, and rip canonical (on Intel CPUs, SYSRET with a
 * non-canonical rcx faults in ring 0 on the user stack). Everything else
 * leaves by IRETQ.
 */
int x86_sysret_ok(const struct pt_regs *r);
int x86_sysret_ok(const struct pt_regs *r)
{
	return r->rcx == r->rip && r->r11 == r->rflags &&
	       r->cs == USER_CS && r->ss == USER_DS &&
	       r->rip < TASK_SIZE - PAGE_SIZE &&
	       !(r->rflags & (X86_RFLAGS_TF | X86_RFLAGS_RF));
}

/* arch_prctl(2): the FS base for TLS (glibc sets it at start-up). */
SYSCALL_DEFINE2(arch_prctl, int, code, unsigned long, addr)
{
	struct thread *t = current;
	unsigned long flags;

	switch (code) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE)
			return -EPERM;	/* Linux: a non-user address */
		flags = arch_irq_save();
		t->ctx.fs_base = addr;
		wrmsr(MSR_FS_BASE, addr);
		arch_irq_restore(flags);
		return 0;
	case ARCH_GET_FS:
		if (copy_to_user((void *)addr, &t->ctx.fs_base,
				 sizeof(t->ctx.fs_base)))
			return -EFAULT;
		return 0;
	default:
		return -EINVAL;	/* ARCH_SET_GS/GET_GS and the rest */
	}
}
