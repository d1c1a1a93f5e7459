/*
 * tests/kernel/arm64_signal_test.c - arm64 signal frames
 * (arch/arm64/signal.c) in a hand-made address space (as in
 * arm64_user_test.c: pages mapped straight into an mm, no process):
 *   - a round trip in EL0: a program fills x0-x30, q0-q31, FPCR and the
 *     flags, then calls a test-only system call that builds the frame as
 *     signal delivery would; the EL0 handler clobbers all of them and
 *     returns to the restorer, which calls a test-only rt_sigreturn; the
 *     program then checks, in EL0, that everything came back. The
 *     kernel side checks the frame's layout at the offsets glibc uses and
 *     the registers at each step;
 *   - -EFAULT without SA_RESTORER, on an unmapped stack, for a frame
 *     whose fpsimd record was forged and for a misaligned sp; a hostile
 *     pstate (EL1h, DAIF masked, PAN, SS) comes back as NZCV and EL0t.
 *
 * The two test-only calls (numbers 509 and 510, beyond Linux's arm64
 * table) act only for the thread this test runs; for anyone else (a
 * fuzzer) they answer -ENOSYS. They go once the `signal` part's
 * rt_sigreturn and a real process can be used here.
 */
#include "arch/arm64/sysreg.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include "mm/arch_mm.h"
#include "tests/kernel/mem_check.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/page.h>
#include <arch/thread.h>
#include <arch/unistd.h>
#include <arch/user.h>

void arm64_fpsimd_save(struct arch_fpsimd_state *s);		/* thread_asm.S */

#define STR_(x)	#x
#define STR(x)	STR_(x)

#define UCODE		0x400000UL
#define USTACK		0x410000UL	/* three pages: the frame is 4.6 KiB */
#define USTACK_TOP	(USTACK + 3 * PAGE_SIZE)
#define UHOLE		0x500000UL	/* nothing mapped */

#define SIG		10
#define SA_RESTORER	0x04000000UL
#define FRAME_SIZE	4688		/* sizeof(struct rt_sigframe) */
#define MCTX		(128 + 176)	/* uc_mcontext in the frame */
#define RESERVED	(MCTX + 288)	/* its __reserved: fpsimd_context */
#define FPCR_PROG	0x800000UL	/* RMode = 2 (towards minus infinity) */
#define NR_SIGRETURN	509
#define NR_DELIVER	510

/*
 * sig_prog: v0-v31 = {0x100 + i, 0x200 + i}, FPCR = FPCR_PROG, x_i =
 *   3i + 1 (x8 = NR_DELIVER), Z and C set; the deliver call returns into
 *   the handler. Back here after sigreturn: exit(0) if all came back, else
 *   1 (flags), 2 (an x register), 3 (a vector register), 4 (FPCR).
 * sig_handler: clobbers x0-x29, v0-v31, FPCR and the flags, then ret.
 * sig_restorer: the test's rt_sigreturn; exit(99) if that failed.
 */
#define EXIT(code)	"mov x0, #" #code "\n mov x8, #" STR(__NR_exit) "\n svc #0\n"
extern const char sig_prog[], sig_handler[], sig_restorer[], sig_prog_end[];
__asm__(
	".pushsection .rodata.arm64_signal_test, \"a\"\n"
	".arch_extension fp\n"
	".arch_extension simd\n"
	".balign 4\n"
	"sig_prog:\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"  mov x9, #(0x100 + \\i)\n"
	"  dup v\\i\\().2d, x9\n"
	"  mov x9, #(0x200 + \\i)\n"
	"  mov v\\i\\().d[1], x9\n"
	" .endr\n"
	" mov x9, #" STR(FPCR_PROG) "\n"
	" msr fpcr, x9\n"
	" .irp i,0,1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"  mov x\\i, #(\\i * 3 + 1)\n"
	" .endr\n"
	" mov x8, #" STR(NR_DELIVER) "\n"
	" cmp x8, x8\n"			/* Z = 1, C = 1 */
	" svc #0\n"
	" b.ne 1f\n"
	" b.cc 1f\n"
	" .irp i,0,1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
	"  cmp x\\i, #(\\i * 3 + 1)\n"
	"  b.ne 2f\n"
	" .endr\n"
	" cmp x8, #" STR(NR_DELIVER) "\n"
	" b.ne 2f\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"  umov x9, v\\i\\().d[0]\n"
	"  cmp x9, #(0x100 + \\i)\n"
	"  b.ne 3f\n"
	"  umov x9, v\\i\\().d[1]\n"
	"  cmp x9, #(0x200 + \\i)\n"
	"  b.ne 3f\n"
	" .endr\n"
	" mrs x9, fpcr\n"
	" cmp x9, #" STR(FPCR_PROG) "\n"
	" b.ne 4f\n"
	EXIT(0)
	"1:\n" EXIT(1)
	"2:\n" EXIT(2)
	"3:\n" EXIT(3)
	"4:\n" EXIT(4)

	"sig_handler:\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29\n"
	"  mov x\\i, #(0xd000 + \\i)\n"
	" .endr\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"  dup v\\i\\().2d, x1\n"
	" .endr\n"
	" mov x9, #0x400000\n"		/* RMode = 1 */
	" msr fpcr, x9\n"
	" mov x9, #0\n"
	" cmp x9, #1\n"		/* N = 1, Z = 0, C = 0 */
	" ret\n"

	"sig_restorer:\n"
	" mov x8, #" STR(NR_SIGRETURN) "\n"
	" svc #0\n"
	EXIT(99)
	"sig_prog_end:\n"
	".popsection\n");

#define HANDLER		(UCODE + (unsigned long)(sig_handler - sig_prog))
#define RESTORER	(UCODE + (unsigned long)(sig_restorer - sig_prog))

/* ------------------------------------------------------------ the space */

static struct mm_struct *umm;
static struct page *ucode, *ustack;	/* ustack: three pages (order 2) */

static void sync_icache(void *va, size_t size)
{
	for (unsigned long a = (unsigned long)va; a < (unsigned long)va + size; a += 64)
		__asm__ __volatile__("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ __volatile__("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" ::: "memory");
}

/* What memory looked like before the address space was built: every
 * page, page table and object comes back at space_destroy(). */
static struct mem_snapshot space_before;

static bool space_create(struct kunit *test)
{
	mem_snapshot_quiet(&space_before);
	ucode = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	ustack = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	umm = mm_alloc();
	if (!ucode || !ustack || !umm) {
		KUNIT_FAIL(test, "out of memory for the test's address space");
		return false;
	}
	memcpy(page_address(ucode), sig_prog, (size_t)(sig_prog_end - sig_prog));
	sync_icache(page_address(ucode), PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&umm->arch, UCODE, virt_to_phys(page_address(ucode)),
					  PAGE_SIZE, PROT_READ | PROT_EXEC | PROT_USER), 0);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&umm->arch, USTACK, virt_to_phys(page_address(ustack)),
					  3 * PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_USER), 0);
	return true;
}

static void space_destroy(struct kunit *test)
{
	if (umm) {
		arch_mm_unmap(&umm->arch, UCODE, PAGE_SIZE);
		arch_mm_unmap(&umm->arch, USTACK, 3 * PAGE_SIZE);
		mmput(umm);
	}
	umm = NULL;
	if (ucode)
		__free_pages(ucode, 0);
	if (ustack)
		__free_pages(ustack, 2);
	ucode = ustack = NULL;
	mem_expect_back(test, &space_before);
}

/* ------------------------------------------------- the test-only calls */

static struct thread *sig_thread;	/* the only thread they serve */

static struct {
	int setup;
	long ret;
	uint64_t blocked;
	struct pt_regs at_svc, handler, after;
	struct arch_fpsimd_state live_after;
	uint8_t frame[FRAME_SIZE + 16];	/* and the frame record */
} sr;

/* Deliver SIG now, as exit_to_user_mode would: the frame on the user
 * stack, the handler next. Records the registers and the frame. */
#define __NR_armsig_test_deliver	NR_DELIVER
SYSCALL_DEFINE0(armsig_test_deliver)
{
	struct pt_regs *r = task_pt_regs(current);

	if (current != READ_ONCE(sig_thread))
		return -ENOSYS;
	sr.at_svc = *r;
	sr.setup = arch_setup_rt_frame(r, SIG, HANDLER, RESTORER, SA_RESTORER, 0x5555);
	sr.handler = *r;
	if (sr.setup == 0 && copy_from_user(sr.frame, (const void *)r->sp, sizeof(sr.frame)))
		sr.setup = -1000;
	return (long)r->x[0];		/* the handler's x0: SIG */
}

/* rt_sigreturn, recording what it restored and the live FP/SIMD state. */
#define __NR_armsig_test_sigreturn	NR_SIGRETURN
SYSCALL_DEFINE0(armsig_test_sigreturn)
{
	struct pt_regs *r = task_pt_regs(current);
	unsigned long flags;

	if (current != READ_ONCE(sig_thread))
		return -ENOSYS;
	sr.ret = arch_rt_sigreturn(r, &sr.blocked);
	sr.after = *r;
	flags = arch_irq_save();
	arm64_fpsimd_save(&sr.live_after);
	arch_irq_restore(flags);
	return sr.ret ? sr.ret : (long)r->x[0];
}

/* ------------------------------------------------------------ the cases */

static int enter_user(void *arg)
{
	struct pt_regs *r = task_pt_regs(current);

	(void)arg;
	start_thread(r, UCODE, USTACK_TOP - 64);
	arch_enter_user(r);
}

static uint64_t frame_u64(unsigned long off)
{
	uint64_t v;

	memcpy(&v, sr.frame + off, 8);
	return v;
}

static uint32_t frame_u32(unsigned long off)
{
	uint32_t v;

	memcpy(&v, sr.frame + off, 4);
	return v;
}

static void signal_frame_round_trip_in_el0(struct kunit *test)
{
	struct thread *t;
	unsigned long frame;
	int code;

	memset(&sr, 0, sizeof(sr));
	if (!space_create(test))
		goto out;
	t = kthread_create(enter_user, NULL, "sigframe");
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mm = umm;
	WRITE_ONCE(sig_thread, t);
	wake_up_process(t);
	code = kthread_stop(t);
	WRITE_ONCE(sig_thread, NULL);
	/* 0: in EL0 after sigreturn, x0-x30, q0-q31, FPCR and NZCV were the
	 * program's again (1 flags, 2 x, 3 q, 4 FPCR; 99 sigreturn failed). */
	KUNIT_EXPECT_EQ(test, code, 0);
	KUNIT_ASSERT_EQ(test, sr.setup, 0);

	/* The handler's entry: handler(SIG, &info, &uc), sp = the frame,
	 * 16-aligned, with the frame record just above it; lr = restorer. */
	frame = sr.handler.sp;
	KUNIT_EXPECT_EQ(test, frame % 16, 0UL);
	KUNIT_EXPECT_EQ(test, frame + FRAME_SIZE + 16, sr.at_svc.sp);
	KUNIT_EXPECT_EQ(test, sr.handler.elr, HANDLER);
	KUNIT_EXPECT_EQ(test, sr.handler.x[0], (uint64_t)SIG);
	KUNIT_EXPECT_EQ(test, sr.handler.x[1], frame);
	KUNIT_EXPECT_EQ(test, sr.handler.x[2], frame + 128);
	KUNIT_EXPECT_EQ(test, sr.handler.x[29], frame + FRAME_SIZE);
	KUNIT_EXPECT_EQ(test, sr.handler.x[30], RESTORER);
	KUNIT_EXPECT_EQ(test, sr.handler.spsr, sr.at_svc.spsr);	/* EL0t, Z|C */
	KUNIT_EXPECT_EQ(test, sr.at_svc.spsr, (uint64_t)0x60000000);

	/* Linux's layout, at the offsets glibc and gdb use. */
	KUNIT_EXPECT_EQ(test, frame_u32(0), (uint32_t)SIG);		/* si_signo */
	KUNIT_EXPECT_EQ(test, frame_u64(128 + 40), 0x5555ULL);		/* uc_sigmask */
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX), 0ULL);			/* fault_address */
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 8), 1ULL);		/* regs[0] */
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 8 + 8 * 8), (uint64_t)NR_DELIVER);
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 8 + 30 * 8), 91ULL);	/* regs[30] */
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 256), sr.at_svc.sp);
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 264), sr.at_svc.elr);	/* pc */
	KUNIT_EXPECT_EQ(test, frame_u64(MCTX + 272), sr.at_svc.spsr);	/* pstate */
	KUNIT_EXPECT_EQ(test, frame_u32(RESERVED), 0x46508001U);	/* FPSIMD_MAGIC */
	KUNIT_EXPECT_EQ(test, frame_u32(RESERVED + 4), 528U);
	KUNIT_EXPECT_EQ(test, frame_u32(RESERVED + 12), (uint32_t)FPCR_PROG);
	KUNIT_EXPECT_EQ(test, frame_u64(RESERVED + 16), 0x100ULL);	/* q0 */
	KUNIT_EXPECT_EQ(test, frame_u64(RESERVED + 24), 0x200ULL);
	KUNIT_EXPECT_EQ(test, frame_u64(RESERVED + 16 + 31 * 16 + 8), 0x21fULL);
	KUNIT_EXPECT_EQ(test, frame_u64(RESERVED + 528), 0ULL);	/* end record */
	KUNIT_EXPECT_EQ(test, frame_u64(FRAME_SIZE), 88ULL);		/* fp: x29 */
	KUNIT_EXPECT_EQ(test, frame_u64(FRAME_SIZE + 8), sr.at_svc.elr);	/* lr */

	/* And back: every register, the mask, FP/SIMD live again. */
	KUNIT_EXPECT_EQ(test, sr.ret, 0L);
	KUNIT_EXPECT_EQ(test, sr.blocked, 0x5555ULL);
	for (int i = 0; i < 31; i++)
		KUNIT_EXPECT_EQ(test, sr.after.x[i], sr.at_svc.x[i]);
	KUNIT_EXPECT_EQ(test, sr.after.sp, sr.at_svc.sp);
	KUNIT_EXPECT_EQ(test, sr.after.elr, sr.at_svc.elr);
	KUNIT_EXPECT_EQ(test, sr.after.spsr, sr.at_svc.spsr);
	KUNIT_EXPECT_EQ(test, sr.live_after.vregs[2 * 7], 0x107ULL);	/* q7 */
	KUNIT_EXPECT_EQ(test, sr.live_after.vregs[2 * 7 + 1], 0x207ULL);
	KUNIT_EXPECT_EQ(test, (uint64_t)sr.live_after.fpcr, FPCR_PROG);
out:
	space_destroy(test);
}

static struct {
	int no_restorer, unmapped, setup, forged_setup, misaligned_setup;
	long hostile, forged, misaligned;
	bool unchanged;
	uint64_t spsr, elr;
} hr;

/* A kernel thread in the test's space plays the process: frames built on
 * regs it made, a frame edited as a handler (or an attacker) could. */
static int hostile_fn(void *arg)
{
	struct pt_regs r, saved;
	uint64_t blocked, word;
	uint8_t *f;

	(void)arg;
	start_thread(&r, UCODE + 0x10, USTACK_TOP - 64);
	saved = r;
	hr.no_restorer = arch_setup_rt_frame(&r, SIG, HANDLER, RESTORER, 0, 0);
	r.sp = UHOLE + 0x800;
	hr.unmapped = arch_setup_rt_frame(&r, SIG, HANDLER, RESTORER, SA_RESTORER, 0);
	r.sp = saved.sp;
	hr.unchanged = !memcmp(&r, &saved, sizeof(r));

	/* pstate: EL1h, DAIF masked, PAN, single-step, IL, all of NZCV. */
	hr.setup = arch_setup_rt_frame(&r, SIG, HANDLER, RESTORER, SA_RESTORER, 0);
	f = (uint8_t *)r.sp;
	word = 0x3c5 | PSR_PAN | PSR_SS | PSR_IL | PSR_NZCV;
	if (copy_to_user(f + MCTX + 272, &word, 8))
		hr.setup = -1000;
	hr.hostile = arch_rt_sigreturn(&r, &blocked);
	hr.spsr = r.spsr;
	hr.elr = r.elr;

	/* A forged fpsimd record: refused. */
	hr.forged_setup = arch_setup_rt_frame(&r, SIG, HANDLER, RESTORER, SA_RESTORER, 0);
	f = (uint8_t *)r.sp;
	word = 0x1234;
	if (copy_to_user(f + RESERVED, &word, 4))
		hr.forged_setup = -1000;
	hr.forged = arch_rt_sigreturn(&r, &blocked);

	/* sp not back at the frame (misaligned): refused. */
	hr.misaligned_setup = arch_setup_rt_frame(&r, SIG, HANDLER, RESTORER, SA_RESTORER, 0);
	r.sp += 8;
	hr.misaligned = arch_rt_sigreturn(&r, &blocked);
	return 0;
}

static void bad_and_hostile_frames(struct kunit *test)
{
	struct thread *t;

	memset(&hr, 0, sizeof(hr));
	if (!space_create(test))
		goto out;
	t = kthread_create(hostile_fn, NULL, "sighostile");
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mm = umm;
	wake_up_process(t);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);

	KUNIT_EXPECT_EQ(test, hr.no_restorer, -EFAULT);
	KUNIT_EXPECT_EQ(test, hr.unmapped, -EFAULT);
	KUNIT_EXPECT_TRUE(test, hr.unchanged);
	KUNIT_EXPECT_EQ(test, hr.setup, 0);
	KUNIT_EXPECT_EQ(test, hr.hostile, 0L);
	/* Only NZCV survived: EL0t, DAIF clear, no PAN/SS/IL. */
	KUNIT_EXPECT_EQ(test, hr.spsr, (uint64_t)PSR_NZCV);
	KUNIT_EXPECT_EQ(test, hr.elr, UCODE + 0x10);
	KUNIT_EXPECT_EQ(test, hr.forged_setup, 0);
	KUNIT_EXPECT_EQ(test, hr.forged, -EFAULT);
	KUNIT_EXPECT_EQ(test, hr.misaligned_setup, 0);
	KUNIT_EXPECT_EQ(test, hr.misaligned, -EFAULT);
out:
	space_destroy(test);
}

static struct kunit_case arm64_signal_cases[] = {
	KUNIT_CASE(signal_frame_round_trip_in_el0),
	KUNIT_CASE(bad_and_hostile_frames),
	{ 0 }
};

static struct kunit_suite arm64_signal_suite = {
	.name = "arm64_signal",
	.test_cases = arm64_signal_cases,
};
kunit_test_suite(arm64_signal_suite);
