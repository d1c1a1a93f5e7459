/*
 * arch/x86_64/signal.c - the signal frame on the user stack, in Linux's
 * x86_64 layout (arch/x86/include/uapi/asm/sigcontext.h, ucontext.h and
 * the kernel's struct rt_sigframe), so that libc's handlers and its
 * restorer (__restore_rt: mov eax, 15; syscall) work unchanged. The
 * contract is <arch/user.h>.
 *
 *   higher addresses
 *     (the interrupted code's stack, then its 128-byte red zone)
 *     FXSAVE image, 512 bytes, 64-byte aligned   <- sigcontext.fpstate
 *     struct rt_sigframe                         <- rsp at handler entry
 *       pretcode  (the restorer: the handler's `ret` goes there)
 *       ucontext  (uc_flags, uc_link, uc_stack, sigcontext, uc_sigmask)
 *       siginfo   (128 bytes)
 */
#include "arch/x86_64/user.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/user.h>

#define SA_RESTORER	0x04000000UL
#define SS_DISABLE	2
#define RED_ZONE	128

struct sigcontext {			/* Linux's struct sigcontext (64-bit) */
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip;
	uint64_t eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;		/* user address of the FXSAVE image */
	uint64_t reserved1[8];
};

struct user_stack {			/* stack_t */
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint8_t rest[112];
};

struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	struct siginfo info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "Linux's sigcontext");
_Static_assert(sizeof(struct ucontext) == 304, "Linux's ucontext");
_Static_assert(sizeof(struct siginfo) == 128, "Linux's siginfo");

/* This thread's FPU registers, as FXSAVE stores them. */
static void fpu_save_current(uint8_t area[512])
{
	struct thread *t = current;
	unsigned long flags = arch_irq_save();

	if (t->ctx.user)
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(t->ctx.fxsave) : "memory");
	memcpy(area, t->ctx.fxsave, 512);
	arch_irq_restore(flags);
}

/* Make area this thread's FPU registers (MXCSR already sanitised). */
static void fpu_restore_current(const uint8_t area[512])
{
	struct thread *t = current;
	unsigned long flags = arch_irq_save();

	memcpy(t->ctx.fxsave, area, 512);
	if (t->ctx.user)
		__asm__ __volatile__("fxrstor64 (%0)" : : "r"(t->ctx.fxsave) : "memory");
	arch_irq_restore(flags);
}

/* The MXCSR bits this CPU accepts (FXSAVE's MXCSR_MASK; 0 means the
 * default 0xffbf, SDM vol. 1, 11.6.6). */
static uint32_t mxcsr_mask(void)
{
	static uint8_t area[512] __aligned(16);
	static uint32_t mask;
	unsigned long flags;

	if (!mask) {
		flags = arch_irq_save();
		memset(area, 0, sizeof(area));
		__asm__ __volatile__("fxsave64 (%0)" : : "r"(area) : "memory");
		memcpy(&mask, area + 28, 4);
		if (!mask)
			mask = 0xffbf;
		arch_irq_restore(flags);
	}
	return mask;
}

int arch_setup_rt_frame(struct pt_regs *r, int sig, unsigned long handler,
			unsigned long restorer, unsigned long sa_flags,
			uint64_t blocked)
{
	uint8_t fpu[512];
	struct rt_sigframe f;
	unsigned long sp, fp_addr, frame;

	if (!(sa_flags & SA_RESTORER))
		return -EFAULT;
	sp = r->rsp - RED_ZONE;
	fp_addr = ALIGN_DOWN(sp - sizeof(fpu), 64);
	frame = ALIGN_DOWN(fp_addr - sizeof(f), 16) - 8;	/* as after a call */

	memset(&f, 0, sizeof(f));
	f.pretcode = restorer;
	f.uc.uc_stack.ss_flags = SS_DISABLE;
	f.uc.uc_mcontext = (struct sigcontext) {
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
		.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
		.rdi = r->rdi, .rsi = r->rsi, .rbp = r->rbp, .rbx = r->rbx,
		.rdx = r->rdx, .rax = r->rax, .rcx = r->rcx, .rsp = r->rsp,
		.rip = r->rip, .eflags = r->rflags,
		.cs = (uint16_t)r->cs, .ss = (uint16_t)r->ss,
		.err = r->vector < 32 ? r->error : 0,
		.trapno = r->vector < 32 ? r->vector : 0,
		.oldmask = blocked,
		.fpstate = fp_addr,
	};
	f.uc.uc_sigmask = blocked;
	f.info.si_signo = sig;
	fpu_save_current(fpu);
	if (copy_to_user((void *)fp_addr, fpu, sizeof(fpu)) ||
	    copy_to_user((void *)frame, &f, sizeof(f)))
		return -EFAULT;

	r->rsp = frame;
	r->rip = handler;
	r->rdi = (uint64_t)sig;
	r->rsi = frame + offsetof(struct rt_sigframe, info);
	r->rdx = frame + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->rflags &= ~(X86_RFLAGS_TF | X86_RFLAGS_DF | X86_RFLAGS_RF);
	return 0;
}

long arch_rt_sigreturn(struct pt_regs *r, uint64_t *blocked)
{
	unsigned long frame = r->rsp - 8;
	struct rt_sigframe f;
	const struct sigcontext *sc = &f.uc.uc_mcontext;
	uint8_t fpu[512];
	uint32_t mxcsr;

	if (copy_from_user(&f, (const void *)frame, sizeof(f)))
		return -EFAULT;
	if (sc->fpstate) {
		if (copy_from_user(fpu, (const void *)sc->fpstate, sizeof(fpu)))
			return -EFAULT;
		memcpy(&mxcsr, fpu + 24, 4);
		mxcsr &= mxcsr_mask();	/* FXRSTOR faults on reserved bits */
		memcpy(fpu + 24, &mxcsr, 4);
		fpu_restore_current(fpu);
	}
	r->r8 = sc->r8;   r->r9 = sc->r9;   r->r10 = sc->r10; r->r11 = sc->r11;
	r->r12 = sc->r12; r->r13 = sc->r13; r->r14 = sc->r14; r->r15 = sc->r15;
	r->rdi = sc->rdi; r->rsi = sc->rsi; r->rbp = sc->rbp; r->rbx = sc->rbx;
	r->rdx = sc->rdx; r->rax = sc->rax; r->rcx = sc->rcx; r->rsp = sc->rsp;
	r->rip = sc->rip;
	r->rflags = (r->rflags & ~X86_RFLAGS_USER) | (sc->eflags & X86_RFLAGS_USER) |
		    X86_RFLAGS_IF;
	r->cs = USER_CS;
	r->ss = USER_DS;
	r->vector = SYSCALL_VECTOR;	/* not an exception frame any more */
	r->error = 0;
	*blocked = f.uc.uc_sigmask;
	return 0;
}
