/*
 * tests/kernel/arm64_user_test.c - user mode (EL0) on arm64: threads
 * entering EL0 in a hand-made address space (struct arch_mm with pages
 * from alloc_pages; the programs are a few lines of assembly below,
 * copied into a user page), then:
 *   - a system call round trip: an unknown number gives -ENOSYS in x0,
 *     every other register and sp come back unchanged, exit() ends the
 *     thread with the code the program chose;
 *   - a user abort (unmapped address, write to a read-only page, an
 *     undefined instruction) ends the thread, not the kernel;
 *   - copy_from_user/copy_to_user/clear_user/strncpy_from_user on good,
 *     unmapped, read-only and kernel addresses;
 *   - PAN (where the CPU has it): PSTATE.PAN is set in the kernel and a
 *     plain kernel load from a user page faults, naming PAN;
 *   - UXN/PXN: the entry bits, and a kernel jump to a user page faults
 *     (caught by run_catching_faults, not a crash);
 *   - the timer preempts a user busy loop;
 *   - FP/SIMD registers, FPCR and TPIDR_EL0 survive switches between two
 *     user threads on one CPU.
 *
 * arm64 only: the Makefile builds tests/kernel/arm64_*.c into arm64
 * kernels alone.
 */
#include "arch/arm64/pgtable.h"
#include "arch/arm64/trap.h"
#include "kernel/errno.h"
#include "kernel/fault.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/thread.h"
#include "kernel/uaccess.h"
#include "mm/arch_mm.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "tests/kernel/mem_check.h"
#include <arch/cpu.h>
#include <arch/page.h>
#include <arch/unistd.h>
#include <arch/user.h>

#define STR_(x)	#x
#define STR(x)	STR_(x)

/* The address space (an mm from mm_alloc, with these pages mapped into
 * its table directly, outside any VMA): code, data (flag word + stack), a
 * read-only page, then nothing; and one anonymous VMA (do_mmap, faulted
 * in on demand by mm) at UANON. */
#define UCODE	0x400000UL
#define UDATA	0x401000UL
#define URO	0x402000UL
#define UHOLE	0x403000UL
#define USTACK_TOP (UDATA + PAGE_SIZE)
#define UANON	0x500000UL

/*
 * The user programs. Position-independent, each ends with exit(code):
 *   syscall_prog  x1-x30 (but x8, x29) get known values, x29 = sp; an
 *                 unknown system call (4000); every register checked;
 *                 exit(-x0) (ENOSYS = 38), exit(1) if one changed
 *   load_prog     x2 = UDATA: load from UHOLE, then exit(7)
 *   store_ro_prog x2 = UDATA: store to URO, then exit(7)
 *   udf_prog      udf, then exit(7)
 *   exit42_prog   exit(42)
 *   anon_prog     x2 = UDATA: store 42 at UANON (a demand-zero fault),
 *                 load it back, exit(what it read)
 *   spin_prog     x0 = seed, x2 = flag address: v0-v31 = seed + i,
 *                 TPIDR_EL0 = seed, FPCR.RMode = seed & 3; loop checking
 *                 them until the flag word is nonzero; exit(0), or
 *                 1 (a vector register changed), 2 (TPIDR_EL0), 3 (FPCR)
 */
#define EXIT(code)	"mov x0, #" #code "\n mov x8, #" STR(__NR_exit) "\n svc #0\n"
extern const char syscall_prog[], syscall_prog_end[];
extern const char load_prog[], load_prog_end[];
extern const char store_ro_prog[], store_ro_prog_end[];
extern const char udf_prog[], udf_prog_end[];
extern const char exit42_prog[], exit42_prog_end[];
extern const char anon_prog[], anon_prog_end[];
extern const char spin_prog[], spin_prog_end[];
__asm__(
	".pushsection .rodata.arm64_user_test, \"a\"\n"
	".arch_extension fp\n"
	".arch_extension simd\n"
	".balign 4\n"
	"syscall_prog:\n"
	" mov x29, sp\n"
	" .irp i,1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,30\n"
	"  mov x\\i, #(\\i * 3 + 1)\n"
	" .endr\n"
	" mov x0, #0x77\n"
	" mov x8, #4000\n"
	" svc #0\n"
	" .irp i,1,2,3,4,5,6,7,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,30\n"
	"  cmp x\\i, #(\\i * 3 + 1)\n"
	"  b.ne 1f\n"
	" .endr\n"
	" cmp x8, #4000\n"
	" b.ne 1f\n"
	" mov x9, sp\n"
	" cmp x9, x29\n"
	" b.ne 1f\n"
	" neg x0, x0\n"
	" mov x8, #" STR(__NR_exit) "\n"
	" svc #0\n"
	"1:\n" EXIT(1)
	"syscall_prog_end:\n"

	"load_prog:\n"
	" add x1, x2, #0x2000\n"	/* x2 = UDATA: UHOLE */
	" ldr x2, [x1]\n"
	EXIT(7)
	"load_prog_end:\n"

	"store_ro_prog:\n"
	" add x1, x2, #0x1000\n"	/* URO */
	" str x1, [x1]\n"
	EXIT(7)
	"store_ro_prog_end:\n"

	"udf_prog:\n"
	" udf #0\n"
	EXIT(7)
	"udf_prog_end:\n"

	"exit42_prog:\n"
	EXIT(42)
	"exit42_prog_end:\n"

	"anon_prog:\n"
	" add x1, x2, #0xff000\n"	/* UANON */
	" mov x3, #42\n"
	" str x3, [x1]\n"
	" ldr x0, [x1]\n"
	" mov x8, #" STR(__NR_exit) "\n"
	" svc #0\n"
	"anon_prog_end:\n"

	"spin_prog:\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"  add x3, x0, #\\i\n"
	"  dup v\\i\\().2d, x3\n"
	" .endr\n"
	" msr tpidr_el0, x0\n"
	" and x5, x0, #3\n"
	" lsl x5, x5, #22\n"
	" msr fpcr, x5\n"
	"2:\n"
	" .irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
	"  umov x3, v\\i\\().d[1]\n"
	"  add x4, x0, #\\i\n"
	"  cmp x3, x4\n"
	"  b.ne 3f\n"
	" .endr\n"
	" mrs x3, tpidr_el0\n"
	" cmp x3, x0\n"
	" b.ne 4f\n"
	" mrs x3, fpcr\n"
	" cmp x3, x5\n"
	" b.ne 5f\n"
	" ldr w3, [x2]\n"
	" cbz w3, 2b\n"
	EXIT(0)
	"3:\n" EXIT(1)
	"4:\n" EXIT(2)
	"5:\n" EXIT(3)
	"spin_prog_end:\n"
	".popsection\n");

/* ------------------------------------------------------------ the space */

static struct mm_struct *umm;
static struct page *ucode, *udata, *uro;

static struct page *zeroed_page(void)
{
	return alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
}

/* Code page: make the new instructions visible to instruction fetch. */
static void sync_icache(void *va, size_t size)
{
	for (unsigned long a = (unsigned long)va; a < (unsigned long)va + size; a += 64)
		__asm__ __volatile__("dc cvau, %0" : : "r"(a) : "memory");
	__asm__ __volatile__("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" ::: "memory");
}

/* Memory before space_create, for space_destroy's leak check. */
static struct mem_snapshot space_before;

/* The address space with prog at UCODE; false if out of memory. */
static bool space_create(struct kunit *test, const char *prog, const char *end)
{
	mem_snapshot_quiet(&space_before);
	ucode = zeroed_page();
	udata = zeroed_page();
	uro = zeroed_page();
	umm = mm_alloc();
	if (!ucode || !udata || !uro || !umm) {
		KUNIT_FAIL(test, "out of memory for the test's address space");
		return false;
	}
	memcpy(page_address(ucode), prog, (size_t)(end - prog));
	sync_icache(page_address(ucode), PAGE_SIZE);
	memcpy(page_address(uro), "read-only user page", 20);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&umm->arch, UCODE, virt_to_phys(page_address(ucode)),
					  PAGE_SIZE, PROT_READ | PROT_EXEC | PROT_USER), 0);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&umm->arch, UDATA, virt_to_phys(page_address(udata)),
					  PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_USER), 0);
	KUNIT_EXPECT_EQ(test, arch_mm_map(&umm->arch, URO, virt_to_phys(page_address(uro)),
					  PAGE_SIZE, PROT_READ | PROT_USER), 0);
	KUNIT_EXPECT_EQ(test, do_mmap(umm, UANON, PAGE_SIZE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, 0), (long)UANON);
	return true;
}

/* Tear the space down (its threads have ended: kthread_stop); then
 * memory must be back to what it was before space_create. */
static void space_destroy(struct kunit *test)
{
	if (umm) {
		/* Our pages are outside the VMAs: unmap them ourselves. */
		arch_mm_unmap(&umm->arch, UCODE, 3 * PAGE_SIZE);
		mmput(umm);		/* the VMA's pages and every table */
	}
	umm = NULL;
	if (ucode)
		__free_pages(ucode, 0);
	if (udata)
		__free_pages(udata, 0);
	if (uro)
		__free_pages(uro, 0);
	ucode = udata = uro = NULL;
	mem_expect_back(test, &space_before);
}

/* Run the current kernel thread in the test's address space (Linux's
 * kthread_use_mm): the scheduler reloads it whenever it switches back. */
static void use_mm(struct mm_struct *mm)
{
	unsigned long flags = arch_irq_save();

	current->mm = mm;
	arch_switch_mm(mm ? &mm->arch : NULL);
	arch_irq_restore(flags);
}

/* ------------------------------------------------------------ user threads */

struct user_start {
	unsigned long pc, sp, x0, x2;
};

static int enter_user(void *arg)
{
	const struct user_start *u = arg;
	struct pt_regs *r = task_pt_regs(current);

	start_thread(r, u->pc, u->sp);
	r->x[0] = u->x0;
	r->x[2] = u->x2;
	arch_enter_user(r);
}

/* A thread that enters EL0 at UCODE in the test's space; started unless
 * cpu < -1; bound to cpu if cpu >= 0. */
static struct thread *user_thread(struct user_start *u, int cpu)
{
	struct thread *t = kthread_create(enter_user, u, "user%lx", u->x0);

	if (!t)
		return NULL;
	t->mm = umm;
	if (cpu >= 0)
		kthread_bind(t, (unsigned int)cpu);
	wake_up_process(t);
	return t;
}

/* Run the program alone and return its exit code. */
static int run_prog(struct kunit *test, const char *prog, const char *end)
{
	struct user_start u = { UCODE, USTACK_TOP, 0, UDATA };
	struct thread *t;
	int code = -1000;

	if (space_create(test, prog, end)) {
		t = user_thread(&u, -1);
		KUNIT_EXPECT_NOT_NULL(test, t);
		if (t)
			code = kthread_stop(t);
	}
	space_destroy(test);
	return code;
}

static void syscall_round_trip(struct kunit *test)
{
	/* -ENOSYS reached user code in x0, and nothing else changed
	 * (space_destroy checks that memory came back). */
	KUNIT_EXPECT_EQ(test, run_prog(test, syscall_prog, syscall_prog_end), ENOSYS);
}

static void user_faults_end_the_thread(struct kunit *test)
{
	/* Each program would exit(7) if the access went through; the
	 * kernel carries on either way. */
	KUNIT_EXPECT_NE(test, run_prog(test, load_prog, load_prog_end), 7);
	KUNIT_EXPECT_NE(test, run_prog(test, store_ro_prog, store_ro_prog_end), 7);
	KUNIT_EXPECT_NE(test, run_prog(test, udf_prog, udf_prog_end), 7);
	KUNIT_EXPECT_EQ(test, run_prog(test, exit42_prog, exit42_prog_end), 42);
	/* A fault mm resolves (demand zero) is retried, not fatal. */
	KUNIT_EXPECT_EQ(test, run_prog(test, anon_prog, anon_prog_end), 42);
}

/* ------------------------------------------------------------ uaccess */

static void uaccess_good_bad_and_kernel_addresses(struct kunit *test)
{
	char buf[64];
	static char kernel_buf[32] = "kernel secret";
	char *ro = (char *)URO, *data = (char *)UDATA;

	if (!space_create(test, exit42_prog, exit42_prog_end))
		goto out;
	use_mm(umm);
	/* Good addresses. */
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, ro, 20), 0UL);
	KUNIT_EXPECT_STREQ(test, buf, "read-only user page");
	KUNIT_EXPECT_EQ(test, copy_to_user(data + 3, "hello, user", 12), 0UL);
	KUNIT_EXPECT_STREQ(test, (char *)page_address(udata) + 3, "hello, user");
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, data + 3, sizeof(buf)), 11L);
	KUNIT_EXPECT_STREQ(test, buf, "hello, user");
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, data + 3, 5), 5L);
	KUNIT_EXPECT_EQ(test, clear_user(data + 3, 5), 0UL);
	KUNIT_EXPECT_STREQ(test, (char *)page_address(udata) + 8, ", user");
	KUNIT_EXPECT_EQ(test, ((char *)page_address(udata))[3], 0);

	/* The portable strncpy_from_user on top of it. */
	KUNIT_EXPECT_EQ(test, copy_to_user(data + 3, "hello, user", 12), 0UL);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, data + 3, sizeof(buf)), 11L);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, data + 3, 4), 4L);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, kernel_buf, 4), (long)-EFAULT);

	/* Not present yet, but in a VMA: mm faults it in and the copy
	 * carries on (demand zero, then the data). */
	KUNIT_EXPECT_EQ(test, copy_to_user((char *)UANON + 100, "lazy", 5), 0UL);
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (char *)UANON + 98, 8), 0UL);
	KUNIT_EXPECT_STREQ(test, buf + 2, "lazy");
	KUNIT_EXPECT_EQ(test, buf[0], 0);

	/* Unmapped: all of it, or the bytes past the last mapped one. */
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (void *)UHOLE, 16), 16UL);
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, (char *)UHOLE - 5, 16), 11UL);
	KUNIT_EXPECT_EQ(test, copy_to_user((void *)(UHOLE + 8), buf, 8), 8UL);
	KUNIT_EXPECT_EQ(test, clear_user((void *)UHOLE, 9), 9UL);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, (char *)UHOLE, 8), (long)-EFAULT);
	/* A string running into the hole. */
	memset((char *)page_address(uro) + PAGE_SIZE - 4, 'x', 4);
	KUNIT_EXPECT_EQ(test, strncpy_from_user(buf, (char *)UHOLE - 4, 16), (long)-EFAULT);

	/* Read-only: the copy stops, nothing is written. */
	KUNIT_EXPECT_EQ(test, copy_to_user(ro, "x", 1), 1UL);
	KUNIT_EXPECT_EQ(test, clear_user(ro, 16), 16UL);
	KUNIT_EXPECT_EQ(test, ((char *)page_address(uro))[0], 'r');

	/* Kernel addresses: refused by access_ok, and by the unprivileged
	 * loads/stores themselves (EL0 has no access to kernel pages). */
	KUNIT_EXPECT_EQ(test, copy_from_user(buf, kernel_buf, 8), 8UL);
	KUNIT_EXPECT_EQ(test, arch_copy_from_user(buf, kernel_buf, 8), 8UL);
	KUNIT_EXPECT_EQ(test, arch_copy_to_user(kernel_buf, "XXXXXXXX", 8), 8UL);
	KUNIT_EXPECT_EQ(test, arch_clear_user(kernel_buf, 8), 8UL);
	KUNIT_EXPECT_STREQ(test, kernel_buf, "kernel secret");
	use_mm(NULL);
out:
	space_destroy(test);
}

/*
 * The copies move 64-byte blocks, then words, then bytes; a fault in a
 * block or word is redone byte by byte. Whatever the length and however
 * far before a fault a copy starts, the count not copied is exact and
 * every byte before the fault arrived: UDATA is writable with the
 * read-only URO after it, URO is readable with nothing mapped after it.
 */
static void uaccess_stops_exactly_at_the_fault(struct kunit *test)
{
	static char src[512], dst[512];
	static const size_t lens[] = { 7, 8, 63, 64, 65, 200, 512 };
	char *data, *ro;

	if (!space_create(test, exit42_prog, exit42_prog_end))
		goto out;
	data = page_address(udata);	/* what the user sees at UDATA */
	ro = page_address(uro);		/* and at URO */
	use_mm(umm);
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
		size_t n = lens[l];

		for (size_t off = 1; off <= n + 1 && !test->failed; off++) {
			size_t want = off < n ? n - off : 0;
			size_t room = off < n ? off : n;
			size_t left;

			/* to the user: `off` bytes before the read-only page */
			memset(data + PAGE_SIZE - off, 0, off);
			left = copy_to_user((char *)UDATA + PAGE_SIZE - off, src, n);
			KUNIT_EXPECT_EQ(test, left, want);
			KUNIT_EXPECT_EQ(test, memcmp(data + PAGE_SIZE - off, src, room), 0);
			/* zeroing the same */
			left = clear_user((char *)UDATA + PAGE_SIZE - off, n);
			KUNIT_EXPECT_EQ(test, left, want);
			for (size_t i = 0; i < room; i++)
				if (data[PAGE_SIZE - off + i])
					KUNIT_FAIL(test, "clear_user of %zu bytes %zu "
						   "before the fault: byte %zu not 0",
						   n, off, i);
			/* from the user: `off` bytes before the hole */
			memcpy(ro + PAGE_SIZE - off, src, off);
			memset(dst, 0, sizeof(dst));
			left = copy_from_user(dst, (char *)URO + PAGE_SIZE - off, n);
			KUNIT_EXPECT_EQ(test, left, want);
			KUNIT_EXPECT_EQ(test, memcmp(dst, src, room), 0);
		}
	}
	/* And a long copy with nothing in the way, at odd alignments. */
	for (size_t a = 0; a < 16; a++) {
		memset(data, 0, PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, copy_to_user((char *)UDATA + a, src + a % 8,
						   sizeof(src) - 8), 0UL);
		KUNIT_EXPECT_EQ(test, memcmp(data + a, src + a % 8, sizeof(src) - 8), 0);
		KUNIT_EXPECT_EQ(test, data[a + sizeof(src) - 8], 0);
		memset(dst, 0, sizeof(dst));
		KUNIT_EXPECT_EQ(test, copy_from_user(dst + a % 8, (char *)UDATA + a,
						     sizeof(src) - 8), 0UL);
		KUNIT_EXPECT_EQ(test, memcmp(dst + a % 8, src + a % 8, sizeof(src) - 8), 0);
	}
	use_mm(NULL);
out:
	space_destroy(test);
}

/* ------------------------------------------------------------ PAN, PXN */

static char report[8192];

static void kernel_load(void *arg)
{
	(void)READ_ONCE(*(volatile unsigned long *)arg);
}

static void kernel_call(void *arg)
{
	((void (*)(void))arg)();
}

/* Run fn(arg) in the test's space; true if it faulted (report kept). */
static bool faults(void (*fn)(void *), void *arg)
{
	struct fault_info fi;
	bool caught;

	memset(report, 0, sizeof(report));
	printk_capture_start(report, sizeof(report));
	caught = run_catching_faults(fn, arg, &fi);
	printk_capture_stop();
	return caught;
}

static uint64_t read_pan(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, s3_0_c4_c2_3" : "=r"(v));	/* PAN */
	return v;
}

static void pan_stops_kernel_access_to_user_pages(struct kunit *test)
{
	if (!arm64_cpu_has_pan())
		kunit_skip(test, "this CPU has no PAN (ID_AA64MMFR1_EL1.PAN = 0; "
			   "a Cortex-A72 has none): run with -cpu max");
	KUNIT_EXPECT_NE(test, read_pan() & PSR_PAN, 0UL);
	if (!space_create(test, exit42_prog, exit42_prog_end))
		goto out;
	use_mm(umm);
	KUNIT_EXPECT_TRUE(test, faults(kernel_load, (void *)URO));
	KUNIT_EXPECT_STR_CONTAINS(test, report, "permission fault on a read");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "PAN: the kernel touched user memory");
	KUNIT_EXPECT_NE(test, read_pan() & PSR_PAN, 0UL);	/* still on */
	use_mm(NULL);
out:
	space_destroy(test);
}

static void uxn_pxn_bits_and_a_kernel_jump_to_user_code(struct kunit *test)
{
	uint64_t pte = 0;
	unsigned int level = 0;
	extern char _text[];

	if (!space_create(test, exit42_prog, exit42_prog_end))
		goto out;
	/* User code: EL0 may run it, EL1 may not; user data: neither. */
	pgtable_translate(&umm->arch.pgt, UCODE, &pte, &level);
	KUNIT_EXPECT_EQ(test, level, 1U);
	KUNIT_EXPECT_NE(test, pte & PTE_PXN, 0UL);
	KUNIT_EXPECT_EQ(test, pte & PTE_UXN, 0UL);
	KUNIT_EXPECT_NE(test, pte & PTE_USER, 0UL);
	KUNIT_EXPECT_NE(test, pte & PTE_NG, 0UL);
	pgtable_translate(&umm->arch.pgt, UDATA, &pte, &level);
	KUNIT_EXPECT_NE(test, pte & PTE_PXN, 0UL);
	KUNIT_EXPECT_NE(test, pte & PTE_UXN, 0UL);
	/* Kernel text: EL1 runs it, EL0 may not. */
	pgtable_translate(arch_kernel_pgtable(), (unsigned long)_text, &pte, &level);
	KUNIT_EXPECT_NE(test, pte & PTE_UXN, 0UL);
	KUNIT_EXPECT_EQ(test, pte & PTE_PXN, 0UL);

	use_mm(umm);
	KUNIT_EXPECT_TRUE(test, faults(kernel_call, (void *)UCODE));
	KUNIT_EXPECT_STR_CONTAINS(test, report, "Instruction abort from EL1");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "permission fault on an instruction fetch");
	KUNIT_EXPECT_STR_CONTAINS(test, report, "PXN: the kernel jumped to a user address");
	use_mm(NULL);
out:
	space_destroy(test);
}

/* ------------------------------------------------------------ switching */

/* Wait (10 s at most) until cond holds. */
#define WAIT_FOR(cond) \
	for (int _i = 0; _i < 1000 && !(cond); _i++) sleep_ms(10)

static void timer_preempts_a_user_busy_loop(struct kunit *test)
{
	struct user_start spin = { UCODE, USTACK_TOP, 0x100, UDATA };
	struct user_start quick = { UCODE + (spin_prog_end - spin_prog),
				    USTACK_TOP - 1024, 0x200, UDATA };
	struct thread *a, *b;
	char *code;

	if (!space_create(test, spin_prog, spin_prog_end))
		goto out;
	code = page_address(ucode);
	memcpy(code + (spin_prog_end - spin_prog), exit42_prog,
	       (size_t)(exit42_prog_end - exit42_prog));
	sync_icache(code, PAGE_SIZE);
	/* Both on CPU 0: b runs only if a, which never enters the kernel
	 * on its own, is preempted by the timer. */
	a = user_thread(&spin, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	WAIT_FOR(READ_ONCE(a->nr_switches) > 0);
	sleep_ms(30);
	b = user_thread(&quick, 0);
	KUNIT_EXPECT_NOT_NULL(test, b);
	if (b) {
		WAIT_FOR(READ_ONCE(b->exited));
		KUNIT_EXPECT_TRUE(test, READ_ONCE(b->exited));
	}
	WRITE_ONCE(*(volatile uint32_t *)page_address(udata), 1);
	KUNIT_EXPECT_EQ(test, kthread_stop(a), 0);
	if (b)
		KUNIT_EXPECT_EQ(test, kthread_stop(b), 42);
out:
	space_destroy(test);
}

static void fpsimd_and_tls_survive_switches(struct kunit *test)
{
	struct user_start s1 = { UCODE, USTACK_TOP, 0x1000, UDATA };
	struct user_start s2 = { UCODE, USTACK_TOP - 1024, 0x2001, UDATA };
	struct thread *a, *b;

	if (!space_create(test, spin_prog, spin_prog_end))
		goto out;
	a = user_thread(&s1, 0);
	b = user_thread(&s2, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	/* Several switches each way on CPU 0 (and the test thread's own
	 * switches in between, on whichever CPU). */
	WAIT_FOR((READ_ONCE(a->nr_switches) >= 5 && READ_ONCE(b->nr_switches) >= 5) ||
		 READ_ONCE(a->exited) || READ_ONCE(b->exited));
	KUNIT_EXPECT_GE(test, READ_ONCE(a->nr_switches), 5UL);
	KUNIT_EXPECT_GE(test, READ_ONCE(b->nr_switches), 5UL);
	WRITE_ONCE(*(volatile uint32_t *)page_address(udata), 1);
	/* 0: every check passed; 1 vector, 2 TPIDR_EL0, 3 FPCR changed. */
	KUNIT_EXPECT_EQ(test, kthread_stop(a), 0);
	KUNIT_EXPECT_EQ(test, kthread_stop(b), 0);
out:
	space_destroy(test);
}

static struct kunit_case arm64_user_cases[] = {
	KUNIT_CASE(syscall_round_trip),
	KUNIT_CASE(user_faults_end_the_thread),
	KUNIT_CASE(uaccess_good_bad_and_kernel_addresses),
	KUNIT_CASE(uaccess_stops_exactly_at_the_fault),
	KUNIT_CASE(pan_stops_kernel_access_to_user_pages),
	KUNIT_CASE(uxn_pxn_bits_and_a_kernel_jump_to_user_code),
	KUNIT_CASE(timer_preempts_a_user_busy_loop),
	KUNIT_CASE(fpsimd_and_tls_survive_switches),
	{ 0 }
};

static struct kunit_suite arm64_user_suite = {
	.name = "arm64_user",
	.test_cases = arm64_user_cases,
};
kunit_test_suite(arm64_user_suite);
