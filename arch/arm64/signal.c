/*
 * arch/arm64/signal.c - the signal frame on the user stack, in Linux's
 * arm64 layout (arch/arm64/include/uapi/asm/sigcontext.h, ucontext.h and
 * the kernel's struct rt_sigframe / frame_record), so that libc's
 * handlers and its restorer (__restore_rt: mov x8, #139; svc #0) work
 * unchanged. The contract is <arch/user.h>.
 *
 *   higher addresses
 *     (the interrupted code's stack)
 *     struct frame_record { fp, lr }   16-aligned   <- x29 in the handler
 *     struct rt_sigframe                16-aligned   <- sp in the handler
 *       ucontext  (uc_flags, uc_link, uc_stack, uc_sigmask + padding to
 *                  Linux's 1024-bit sigset, then at offset 176 the
 *                  sigcontext: fault_address, x0-x30, sp, pc, pstate and
 *                  4096 bytes of records: fpsimd_context, then {0, 0})
 *       siginfo   (128 bytes)                     <- lowest
 *
 * Where the FP/SIMD registers are (arch/arm64/process.c): the kernel is
 * built with -mgeneral-regs-only, so while a user thread is in the kernel
 * its q0-q31, FPSR and FPCR are still live in the CPU; its struct
 * arch_context holds them only while it is switched out. So the frame
 * reads the live registers and sigreturn loads them, each with interrupts
 * off, so that no switch happens in the middle of either.
 */
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include <arch/cpu.h>
#include <arch/thread.h>
#include <arch/user.h>
#include "arch/arm64/sysreg.h"
#include "arch/arm64/trap.h"

void arm64_fpsimd_save(struct arch_fpsimd_state *s);		/* thread_asm.S */
void arm64_fpsimd_load(const struct arch_fpsimd_state *s);

#define SA_RESTORER	0x04000000UL
#define SS_DISABLE	2
#define FPSIMD_MAGIC	0x46508001U

struct user_stack {			/* stack_t */
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* A record in sigcontext.__reserved: its magic and its size in bytes
 * (header included); the list ends with {0, 0}. */
struct aarch64_ctx {
	uint32_t magic;
	uint32_t size;
};

struct fpsimd_context {
	struct aarch64_ctx head;	/* FPSIMD_MAGIC, 528 */
	uint32_t fpsr;
	uint32_t fpcr;
	uint64_t vregs[64];		/* q0-q31 (__uint128_t), low half first */
};

/* Linux's struct sigcontext up to __reserved (which follows at 288). */
struct sigcontext_regs {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint64_t pad;			/* __reserved is 16-aligned */
};

struct sigcontext {
	struct sigcontext_regs r;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct user_stack uc_stack;
	uint64_t uc_sigmask;		/* sigset_t: our 64 signals */
	uint8_t unused[1024 / 8 - 8];	/* to Linux's 1024-bit sigset */
	struct sigcontext uc_mcontext __attribute__((aligned(16)));
};

struct siginfo {
	int32_t si_signo, si_errno, si_code, pad;
	uint8_t rest[112];
};

struct rt_sigframe {
	struct siginfo info;
	struct ucontext uc;
};

struct frame_record {
	uint64_t fp;
	uint64_t lr;
};

/* The offsets glibc (and gdb) rely on. */
_Static_assert(sizeof(struct fpsimd_context) == 528, "fpsimd_context");
_Static_assert(offsetof(struct ucontext, uc_sigmask) == 40, "uc_sigmask");
_Static_assert(offsetof(struct ucontext, uc_mcontext) == 176, "uc_mcontext");
_Static_assert(offsetof(struct sigcontext, reserved) == 288, "__reserved");
_Static_assert(offsetof(struct rt_sigframe, uc) == 128, "rt_sigframe.uc");
_Static_assert(sizeof(struct rt_sigframe) % 16 == 0, "16-aligned frame");

#define SC_OFF		(offsetof(struct rt_sigframe, uc) + \
			 offsetof(struct ucontext, uc_mcontext))
#define RESERVED_OFF	(SC_OFF + offsetof(struct sigcontext, reserved))

/* ESR_EL1 exception classes that set FAR (an abort from EL0, a pc or sp
 * alignment fault): their address goes in sigcontext.fault_address. */
static bool esr_has_far(uint64_t esr)
{
	uint64_t ec = (esr >> 26) & 0x3f;

	return ec == 0x20 || ec == 0x22 || ec == 0x24 || ec == 0x26;
}

/* This thread's user FP/SIMD registers: live in the CPU once it has user
 * state, all zero (what EL0 will get) before. */
static void fpsimd_save_current(struct arch_fpsimd_state *s)
{
	unsigned long flags = arch_irq_save();

	if (current->ctx.user)
		arm64_fpsimd_save(s);
	else
		memset(s, 0, sizeof(*s));
	arch_irq_restore(flags);
}

/* Make s this thread's user FP/SIMD registers, live at once (as
 * arch_reset_user_state does; interrupts off, so no switch in between). */
static void fpsimd_restore_current(const struct arch_fpsimd_state *s)
{
	struct thread *t = current;
	unsigned long flags = arch_irq_save();

	t->ctx.fpsimd = *s;
	t->ctx.user = 1;
	arm64_fpsimd_load(&t->ctx.fpsimd);
	arch_irq_restore(flags);
}

int arch_setup_rt_frame(struct pt_regs *r, int sig, unsigned long handler,
			unsigned long restorer, unsigned long sa_flags,
			uint64_t blocked)
{
	struct arch_fpsimd_state fp;
	struct fpsimd_context fc;
	struct sigcontext_regs sc;
	struct user_stack st = { .ss_flags = SS_DISABLE };
	struct frame_record rec = { .fp = r->x[29], .lr = r->elr };
	int32_t signo = sig;
	unsigned long rec_addr, frame;
	uint8_t *f;

	if (!(sa_flags & SA_RESTORER))
		return -EFAULT;
	rec_addr = ALIGN_DOWN(r->sp - sizeof(rec), 16);
	frame = rec_addr - sizeof(struct rt_sigframe);
	f = (uint8_t *)frame;

	memset(&sc, 0, sizeof(sc));
	sc.fault_address = esr_has_far(r->esr) ? r->far : 0;
	memcpy(sc.regs, r->x, sizeof(sc.regs));
	sc.sp = r->sp;
	sc.pc = r->elr;
	sc.pstate = r->spsr;

	fpsimd_save_current(&fp);
	fc.head.magic = FPSIMD_MAGIC;
	fc.head.size = sizeof(fc);
	fc.fpsr = fp.fpsr;
	fc.fpcr = fp.fpcr;
	memcpy(fc.vregs, fp.vregs, sizeof(fc.vregs));

	/* Zero first: siginfo's rest, uc_flags, uc_link, the padding and
	 * the terminating {0, 0} record after fpsimd_context. */
	if (frame > r->sp || clear_user(f, sizeof(struct rt_sigframe) + sizeof(rec)) ||
	    copy_to_user(f + offsetof(struct siginfo, si_signo), &signo, 4) ||
	    copy_to_user(f + 128 + offsetof(struct ucontext, uc_stack), &st, sizeof(st)) ||
	    copy_to_user(f + 128 + offsetof(struct ucontext, uc_sigmask), &blocked, 8) ||
	    copy_to_user(f + SC_OFF, &sc, sizeof(sc)) ||
	    copy_to_user(f + RESERVED_OFF, &fc, sizeof(fc)) ||
	    copy_to_user((void *)rec_addr, &rec, sizeof(rec)))
		return -EFAULT;

	r->x[0] = (uint64_t)sig;
	r->x[1] = frame + offsetof(struct rt_sigframe, info);
	r->x[2] = frame + offsetof(struct rt_sigframe, uc);
	r->x[29] = rec_addr;
	r->x[30] = restorer;
	r->sp = frame;
	r->elr = handler;
	r->spsr = arm64_user_spsr(r->spsr);	/* EL0t, DAIF clear, NZCV kept */
	return 0;
}

long arch_rt_sigreturn(struct pt_regs *r, uint64_t *blocked)
{
	unsigned long frame = r->sp;
	const uint8_t *f = (const uint8_t *)frame;
	struct arch_fpsimd_state fp;
	struct fpsimd_context fc;
	struct sigcontext_regs sc;
	uint64_t mask;

	/* The restorer runs with sp back at the frame: 16-aligned (SA0). */
	if (frame & 15)
		return -EFAULT;
	if (copy_from_user(&sc, f + SC_OFF, sizeof(sc)) ||
	    copy_from_user(&mask, f + 128 + offsetof(struct ucontext, uc_sigmask), 8) ||
	    copy_from_user(&fc, f + RESERVED_OFF, sizeof(fc)))
		return -EFAULT;
	/* The first record must be the fpsimd_context this file wrote
	 * (glibc never moves it); anything else is a forged frame. */
	if (fc.head.magic != FPSIMD_MAGIC || fc.head.size != sizeof(fc))
		return -EFAULT;

	memset(&fp, 0, sizeof(fp));
	fp.fpsr = fc.fpsr;
	fp.fpcr = fc.fpcr;
	memcpy(fp.vregs, fc.vregs, sizeof(fp.vregs));
	fpsimd_restore_current(&fp);

	memcpy(r->x, sc.regs, sizeof(r->x));
	r->sp = sc.sp;
	r->elr = sc.pc;
	r->spsr = arm64_user_spsr(sc.pstate);	/* only NZCV from the user */
	*blocked = mask;
	return 0;
}
