/*
 * tests/kernel/x86_64_user_test.c - ring 3 on x86_64: threads that run a
 * few hand-assembled instructions in user mode, in an address space made
 * here from pages (no processes, no ELF loader): SYSCALL/SYSRET round
 * trips, a user page fault that ends the thread and not the kernel, the
 * uaccess routines on good, missing and kernel addresses, SMEP/SMAP,
 * timer preemption of user code, and the FPU/SSE registers and the FS
 * base kept per thread across switches.
 *
 * The programs (nasm source beside each; assembled with nasm -f bin and
 * checked with objdump) run at CODE_VA; DATA_VA is a read-write page the
 * kernel also sees through the direct map (a "stop" byte at offset 0, FS
 * targets at 0x100), and the stack ends at STACK_TOP. A user thread is an
 * ordinary kernel thread whose `mm` is the address space; it enters ring 3
 * with start_thread() + arch_enter_user() and ends by exit(2), which the
 * scaffold turns into kthread_exit(code): kthread_stop() returns it.
 */
#include "arch/x86_64/io.h"
#include "arch/x86_64/user.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/sched.h"
#include "kernel/smp.h"
#include "kernel/uaccess.h"
#include "mm/mm.h"
#include "mm/page_alloc.h"
#include "tests/kernel/mem_check.h"
#include <arch/cpu.h>
#include <arch/page.h>
#include <arch/user.h>

#define CODE_VA		0x400000UL
#define DATA_VA		0x600000UL
#define STACK_VA	0x7ff000UL
#define STACK_TOP	0x800000UL
#define UNMAPPED_VA	0x700000UL

/*	mov rbx, 0x1122334455667788
 *	mov r12, rbx
 *	mov eax, 9999		; no such call
 *	syscall
 *	cmp rbx, r12		; callee-saved registers kept
 *	jne .bad
 *	mov edi, eax		; exit(result): -ENOSYS & 0xff = 218
 *	mov eax, 60
 *	syscall
 * .bad: mov edi, 1
 *	mov eax, 60
 *	syscall */
static const uint8_t prog_enosys[] = {
	0x48, 0xbb, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x49, 0x89,
	0xdc, 0xb8, 0x0f, 0x27, 0x00, 0x00, 0x0f, 0x05, 0x4c, 0x39, 0xe3, 0x75,
	0x09, 0x89, 0xc7, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xbf, 0x01,
	0x00, 0x00, 0x00, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05,
};

/*	mov rax, [0x700000]	; unmapped
 *	xor edi, edi		; exit(0): never reached
 *	mov eax, 60
 *	syscall */
static const uint8_t prog_fault[] = {
	0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x70, 0x00, 0x31, 0xff, 0xb8, 0x3c,
	0x00, 0x00, 0x00, 0x0f, 0x05,
};

/* spin: cmp byte [0x600000], 0
 *	je spin			; no system call, no fault: only the
 *	mov edi, 7		; timer can take the CPU away
 *	mov eax, 60
 *	syscall */
static const uint8_t prog_spin[] = {
	0x80, 0x3c, 0x25, 0x00, 0x00, 0x60, 0x00, 0x00, 0x74, 0xf6, 0xbf, 0x07,
	0x00, 0x00, 0x00, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05,
};

/* rbx = this thread's pattern, rdx = its FS base (set by the test):
 *	movq xmm0, rbx
 *	mov r12, rdx
 *	mov edi, 0x1002		; arch_prctl(ARCH_SET_FS, rdx)
 *	mov rsi, rdx
 *	mov eax, 158
 *	syscall
 *	test rax, rax
 *	jnz .e3
 *	sub rsp, 16
 *	mov edi, 0x1003		; arch_prctl(ARCH_GET_FS, rsp)
 *	mov rsi, rsp
 *	mov eax, 158
 *	syscall
 *	test rax, rax
 *	jnz .e3
 *	cmp [rsp], r12
 *	jne .e3
 * .loop: movq rax, xmm0	; still ours after every switch?
 *	cmp rax, rbx
 *	jne .e1
 *	mov rax, [fs:0]		; and the FS base too?
 *	cmp rax, rbx
 *	jne .e2
 *	cmp byte [0x600000], 0
 *	je .loop
 *	xor edi, edi
 *	jmp .exit
 * .e1: mov edi, 1 / jmp .exit
 * .e2: mov edi, 2 / jmp .exit
 * .e3: mov edi, 3
 * .exit: mov eax, 60
 *	syscall */
static const uint8_t prog_state[] = {
	0x66, 0x48, 0x0f, 0x6e, 0xc3, 0x49, 0x89, 0xd4, 0xbf, 0x02, 0x10, 0x00,
	0x00, 0x48, 0x89, 0xd6, 0xb8, 0x9e, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48,
	0x85, 0xc0, 0x75, 0x52, 0x48, 0x83, 0xec, 0x10, 0xbf, 0x03, 0x10, 0x00,
	0x00, 0x48, 0x89, 0xe6, 0xb8, 0x9e, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x48,
	0x85, 0xc0, 0x75, 0x3a, 0x4c, 0x39, 0x24, 0x24, 0x75, 0x34, 0x66, 0x48,
	0x0f, 0x7e, 0xc0, 0x48, 0x39, 0xd8, 0x75, 0x1c, 0x64, 0x48, 0x8b, 0x04,
	0x25, 0x00, 0x00, 0x00, 0x00, 0x48, 0x39, 0xd8, 0x75, 0x15, 0x80, 0x3c,
	0x25, 0x00, 0x00, 0x60, 0x00, 0x00, 0x74, 0xde, 0x31, 0xff, 0xeb, 0x13,
	0xbf, 0x01, 0x00, 0x00, 0x00, 0xeb, 0x0c, 0xbf, 0x02, 0x00, 0x00, 0x00,
	0xeb, 0x05, 0xbf, 0x03, 0x00, 0x00, 0x00, 0xb8, 0x3c, 0x00, 0x00, 0x00,
	0x0f, 0x05,
};

/* ------------------------------------------------------------ the space */

static struct mm_struct test_mm;
static struct page *code_page, *data_page, *stack_page;
static struct mem_snapshot space_before;	/* for space_destroy */

static uint8_t *data_kva(void)
{
	return page_address(data_page);
}

/* An address space with prog at CODE_VA (read + exec), a data page and a
 * stack page (an ASSERT ends the case if memory ran out). */
static void space_create(struct kunit *test, const uint8_t *prog, size_t len)
{
	unsigned int rx = PROT_READ | PROT_EXEC | PROT_USER;
	unsigned int rw = PROT_READ | PROT_WRITE | PROT_USER;

	mem_snapshot_quiet(&space_before);
	memset(&test_mm, 0, sizeof(test_mm));
	/* Faults take mmap_lock, a mutex now: a zeroed one is not valid. */
	mutex_init(&test_mm.mmap_lock, "test_mm");
	code_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	data_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	stack_page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	KUNIT_ASSERT_NOT_NULL(test, code_page);
	KUNIT_ASSERT_NOT_NULL(test, data_page);
	KUNIT_ASSERT_NOT_NULL(test, stack_page);
	memcpy(page_address(code_page), prog, len);
	KUNIT_ASSERT_EQ(test, arch_mm_create(&test_mm.arch), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&test_mm.arch, CODE_VA,
					  PFN_PHYS(page_to_pfn(code_page)), PAGE_SIZE, rx), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&test_mm.arch, DATA_VA,
					  PFN_PHYS(page_to_pfn(data_page)), PAGE_SIZE, rw), 0);
	KUNIT_ASSERT_EQ(test, arch_mm_map(&test_mm.arch, STACK_VA,
					  PFN_PHYS(page_to_pfn(stack_page)), PAGE_SIZE, rw), 0);
}

/* Every thread in it has ended (kthread_stop). Then memory is back to
 * what it was before space_create (tests/kernel/mem_check.h): the
 * tables, the three pages, the threads' stacks. */
static void space_destroy(struct kunit *test)
{
	arch_mm_destroy(&test_mm.arch);
	__free_page(code_page);
	__free_page(data_page);
	__free_page(stack_page);
	mem_expect_back(test, &space_before);
}

/* ------------------------------------------------------------ threads */

struct uthread {
	unsigned long rbx, rdx;		/* initial user registers */
};

static int user_thread_fn(void *arg)
{
	struct uthread *u = arg;
	struct pt_regs *r = task_pt_regs(current);

	start_thread(r, CODE_VA, STACK_TOP);
	r->rbx = u->rbx;
	r->rdx = u->rdx;
	arch_reset_user_state(current);
	arch_enter_user(r);
}

/* A thread that enters ring 3 in test_mm; on `cpu` unless it is -1. */
static struct thread *user_thread(struct uthread *u, int cpu)
{
	struct thread *t = kthread_create(user_thread_fn, u, "user%d", cpu);

	if (!t)
		return NULL;
	t->mm = &test_mm;
	if (cpu >= 0)
		kthread_bind(t, (unsigned int)cpu);
	wake_up_process(t);
	return t;
}

/* A CPU other than this one when there is one (a user thread that never
 * yields must not starve the test itself if something is broken). */
static int other_cpu(void)
{
	unsigned int me = arch_cpu_id();

	return num_online_cpus() > 1 ? (int)((me + 1) % num_online_cpus()) : 0;
}

/* ------------------------------------------------------------ cases */

static void syscall_round_trip_enosys_then_exit(struct kunit *test)
{
	struct uthread u = { 0 };
	struct thread *t;

	space_create(test, prog_enosys, sizeof(prog_enosys));
	t = user_thread(&u, -1);
	KUNIT_ASSERT_NOT_NULL(test, t);
	/* exit(-ENOSYS): the call's result reached user code in rax, rbx
	 * and r12 survived, and __NR_exit ended the thread. */
	KUNIT_EXPECT_EQ(test, kthread_stop(t), (-ENOSYS) & 0xff);
	space_destroy(test);
}

static void user_page_fault_ends_the_thread_not_the_kernel(struct kunit *test)
{
	struct uthread u = { 0 };
	struct thread *t;
	int code;

	space_create(test, prog_fault, sizeof(prog_fault));
	t = user_thread(&u, -1);
	KUNIT_ASSERT_NOT_NULL(test, t);
	code = kthread_stop(t);
	/* exit(0) right after the load was never reached. */
	KUNIT_EXPECT_NE(test, code, 0);
	space_destroy(test);
}

/* Each ends the thread by an exception before its exit(0):
 *	ud2			#UD: SIGILL
 *	int3			#BP (the one DPL-3 gate): SIGTRAP
 *	xor ecx, ecx / div ecx	#DE: SIGFPE
 *	int 0x80		a DPL-0 gate: #GP, SIGSEGV
 * then	xor edi, edi / mov eax, 60 / syscall */
#define EXIT0	0x31, 0xff, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05
static const uint8_t prog_ud2[] = { 0x0f, 0x0b, EXIT0 };
static const uint8_t prog_int3[] = { 0xcc, EXIT0 };
static const uint8_t prog_div0[] = { 0x31, 0xc9, 0xf7, 0xf1, EXIT0 };
static const uint8_t prog_int80[] = { 0xcd, 0x80, EXIT0 };

static void user_exceptions_end_the_thread_not_the_kernel(struct kunit *test)
{
	static const struct { const uint8_t *code; size_t len; } progs[] = {
		{ prog_ud2, sizeof(prog_ud2) }, { prog_int3, sizeof(prog_int3) },
		{ prog_div0, sizeof(prog_div0) }, { prog_int80, sizeof(prog_int80) },
	};

	for (size_t i = 0; i < ARRAY_SIZE(progs); i++) {
		struct uthread u = { 0 };
		struct thread *t;

		space_create(test, progs[i].code, progs[i].len);
		t = user_thread(&u, -1);
		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_EXPECT_NE(test, kthread_stop(t), 0);	/* exit(0) not reached */
		space_destroy(test);
	}
}

struct uaccess_result {
	size_t good_to, good_from, unmapped_from, unmapped_to, partial;
	size_t kernel_from, kernel_to, clear, clear_unmapped;
	long str, str_long, str_bad, str_edge;
	long nostac;
	uint64_t nostac_val;
	char back[64], s[32];
	unsigned int edge_checks, edge_bad;	/* uaccess_edges() */
	char edge_first[96];
};

static struct uaccess_result ur;

static void edge_check(bool ok, const char *what, size_t n, size_t off)
{
	ur.edge_checks++;
	if (!ok && !ur.edge_bad++)
		ksnprintf(ur.edge_first, sizeof(ur.edge_first),
			  "%s of %zu bytes %zu before the fault", what, n, off);
}

/*
 * The copies move quadwords, then bytes; a fault in a quadword is redone
 * byte by byte. Whatever the length and however far before the unmapped
 * page after the data page a copy starts, the count not copied must be
 * exact and every byte before the fault must have arrived.
 */
static void uaccess_edges(char *udata, uint8_t *kva)
{
	static const size_t lens[] = { 7, 8, 9, 63, 64, 65, 200, 512 };
	static char src[512], dst[512];

	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	for (size_t l = 0; l < ARRAY_SIZE(lens); l++) {
		size_t n = lens[l];

		for (size_t off = 1; off <= n + 1; off++) {
			size_t want = off < n ? n - off : 0;
			size_t room = off < n ? off : n;
			char *u = udata + PAGE_SIZE - off;
			uint8_t *k = kva + PAGE_SIZE - off;
			bool zero = true;

			memset(k, 0, off);
			edge_check(copy_to_user(u, src, n) == want &&
				   !memcmp(k, src, room), "copy_to_user", n, off);
			memset(dst, 0, sizeof(dst));
			edge_check(copy_from_user(dst, u, n) == want &&
				   !memcmp(dst, src, room), "copy_from_user", n, off);
			memset(k, 0xee, off);
			edge_check(clear_user(u, n) == want, "clear_user", n, off);
			for (size_t i = 0; i < room; i++)
				zero &= !k[i];
			edge_check(zero, "clear_user's bytes", n, off);
		}
	}
}

/* Runs as a kernel thread with test_mm loaded (its `mm`). */
static int uaccess_fn(void *arg)
{
	static const char msg[] = "copied to user space and back";
	char big[64];
	uint8_t *kva = data_kva();
	char *udata = (char *)DATA_VA;

	(void)arg;
	ur.good_to = copy_to_user(udata, msg, sizeof(msg));
	ur.good_from = copy_from_user(ur.back, udata, sizeof(msg));
	ur.unmapped_from = copy_from_user(big, (void *)UNMAPPED_VA, sizeof(big));
	ur.unmapped_to = copy_to_user((void *)UNMAPPED_VA, big, sizeof(big));
	/* 16 bytes before the data page's end, 16 after (the page after it
	 * is unmapped): exactly 16 not copied. */
	ur.partial = copy_from_user(big, udata + PAGE_SIZE - 16, 32);
	ur.kernel_from = copy_from_user(big, kva, 8);
	ur.kernel_to = copy_to_user(kva, big, 8);
	ur.clear = clear_user(udata + 256, 100);
	ur.clear_unmapped = clear_user((void *)(UNMAPPED_VA - 8), 16);
	memcpy(kva + 512, "hello", 6);
	ur.str = strncpy_from_user(ur.s, udata + 512, sizeof(ur.s));
	memset(kva + 1024, 'x', 64);
	ur.str_long = strncpy_from_user(big, udata + 1024, 32);
	ur.str_bad = strncpy_from_user(big, (void *)UNMAPPED_VA, 32);
	/* a string in the page's last bytes, with no NUL before the end */
	memset(kva + PAGE_SIZE - 4, 'y', 4);
	ur.str_edge = strncpy_from_user(big, udata + PAGE_SIZE - 4, 32);
	/* A plain kernel load from a mapped user page, no STAC: with SMAP
	 * it faults, and the exception table turns that into -EFAULT. */
	ur.nostac = x86_read_nostac(udata, &ur.nostac_val);
	uaccess_edges(udata, kva);
	return 0;
}

static void uaccess_good_unmapped_and_kernel_addresses(struct kunit *test)
{
	struct thread *t;

	space_create(test, prog_fault, sizeof(prog_fault));
	memset(data_kva() + 256, 0xee, 100);
	memset(&ur, 0, sizeof(ur));
	t = kthread_create(uaccess_fn, NULL, "uaccess");
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mm = &test_mm;
	wake_up_process(t);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);

	KUNIT_EXPECT_EQ(test, ur.good_to, 0UL);
	KUNIT_EXPECT_EQ(test, ur.good_from, 0UL);
	KUNIT_EXPECT_STREQ(test, ur.back, "copied to user space and back");
	KUNIT_EXPECT_STREQ(test, (char *)data_kva(), "copied to user space and back");
	KUNIT_EXPECT_EQ(test, ur.unmapped_from, 64UL);
	KUNIT_EXPECT_EQ(test, ur.unmapped_to, 64UL);
	KUNIT_EXPECT_EQ(test, ur.partial, 16UL);
	KUNIT_EXPECT_EQ(test, ur.kernel_from, 8UL);
	KUNIT_EXPECT_EQ(test, ur.kernel_to, 8UL);
	KUNIT_EXPECT_EQ(test, ur.clear, 0UL);
	KUNIT_EXPECT_EQ(test, data_kva()[256], 0);
	KUNIT_EXPECT_EQ(test, data_kva()[355], 0);
	KUNIT_EXPECT_EQ(test, ur.clear_unmapped, 16UL);
	KUNIT_EXPECT_EQ(test, ur.str, 5L);
	KUNIT_EXPECT_STREQ(test, ur.s, "hello");
	KUNIT_EXPECT_EQ(test, ur.str_long, 32L);
	KUNIT_EXPECT_EQ(test, ur.str_bad, (long)-EFAULT);
	KUNIT_EXPECT_EQ(test, ur.str_edge, (long)-EFAULT);
	if (x86_have_smap)
		KUNIT_EXPECT_EQ(test, ur.nostac, (long)-EFAULT);
	else
		KUNIT_EXPECT_EQ(test, ur.nostac, 0L);
	KUNIT_EXPECT_EQ(test, ur.edge_checks, 4U * (8 + 9 + 10 + 64 + 65 + 66 + 201 + 513));
	if (ur.edge_bad)
		KUNIT_FAIL(test, "%u edge checks failed, the first: %s",
			   ur.edge_bad, ur.edge_first);
	space_destroy(test);
}

struct demand_result {
	unsigned long rw, ro;
	size_t to, from, to_ro, from_ro;
	char back[12];
};

static struct demand_result dr;

/* Runs with a real address space (mm/mm.h) loaded: its pages are not
 * there until touched, so every copy below faults first. */
static int demand_fn(void *arg)
{
	char *rw = (char *)dr.rw, *ro = (char *)dr.ro;
	char buf[12];

	(void)arg;
	/* Straddles two pages, neither faulted in yet: both demand-zero
	 * through the uaccess path, and the copy retried. */
	dr.to = copy_to_user(rw + PAGE_SIZE - 6, "hello, page!", 12);
	dr.from = copy_from_user(dr.back, rw + PAGE_SIZE - 6, 12);
	dr.from_ro = copy_from_user(buf, ro, sizeof(buf));	/* zeroes */
	dr.to_ro = copy_to_user(ro, buf, sizeof(buf));	/* refused */
	return 0;
}

static void uaccess_faults_in_demand_zero_pages(struct kunit *test)
{
	struct mm_struct *mm;
	struct thread *t;

	memset(&dr, 0, sizeof(dr));
	mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, mm);
	dr.rw = (unsigned long)do_mmap(mm, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	dr.ro = (unsigned long)do_mmap(mm, 0, PAGE_SIZE, PROT_READ,
				       MAP_PRIVATE | MAP_ANONYMOUS, 0);
	KUNIT_ASSERT_LT(test, dr.rw, TASK_SIZE);
	KUNIT_ASSERT_LT(test, dr.ro, TASK_SIZE);
	t = kthread_create(demand_fn, NULL, "demand");
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mm = mm;
	wake_up_process(t);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);
	KUNIT_EXPECT_EQ(test, dr.to, 0UL);
	KUNIT_EXPECT_EQ(test, dr.from, 0UL);
	KUNIT_EXPECT_EQ(test, memcmp(dr.back, "hello, page!", 12), 0);
	KUNIT_EXPECT_EQ(test, dr.from_ro, 0UL);
	KUNIT_EXPECT_EQ(test, dr.to_ro, 12UL);
	/* Pages after mmput() are mm's to account (its slab caches keep
	 * some): this case does not count them. */
	mmput(mm);
}

static void smep_smap_on_where_the_cpu_has_them(struct kunit *test)
{
	uint32_t a, b, c, d;
	uint64_t cr4;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		kunit_skip(test, "no CPUID leaf 7");
	cpuid(7, 0, &a, &b, &c, &d);
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	KUNIT_EXPECT_EQ(test, !!(cr4 & (1UL << 20)), !!(b & (1U << 7)));	/* SMEP */
	KUNIT_EXPECT_EQ(test, !!(cr4 & (1UL << 21)), !!(b & (1U << 20)));	/* SMAP */
	KUNIT_EXPECT_EQ(test, x86_have_smap, !!(b & (1U << 20)));
	if (!(b & (1U << 20)))
		kunit_skip(test, "this CPU has no SMAP (qemu -cpu max has it)");
}

static volatile bool witness_ran;

static int witness_fn(void *arg)
{
	(void)arg;
	WRITE_ONCE(witness_ran, true);
	return 0;
}

static void timer_preempts_a_user_busy_loop(struct kunit *test)
{
	struct uthread u = { 0 };
	int cpu = other_cpu();
	struct thread *spin, *w;

	space_create(test, prog_spin, sizeof(prog_spin));
	spin = user_thread(&u, cpu);
	KUNIT_ASSERT_NOT_NULL(test, spin);
	sleep_ms(20);			/* it is in ring 3 by now */
	WRITE_ONCE(witness_ran, false);
	w = kthread_create(witness_fn, NULL, "witness");
	KUNIT_ASSERT_NOT_NULL(test, w);
	kthread_bind(w, (unsigned int)cpu);
	wake_up_process(w);
	for (int i = 0; i < 200 && !READ_ONCE(witness_ran); i++)
		sleep_ms(10);
	/* The witness ran on the spinner's CPU while it spun. */
	KUNIT_EXPECT_TRUE(test, READ_ONCE(witness_ran));
	WRITE_ONCE(data_kva()[0], 1);	/* let the spinner leave */
	KUNIT_EXPECT_EQ(test, kthread_stop(spin), 7);
	KUNIT_EXPECT_EQ(test, kthread_stop(w), 0);
	space_destroy(test);
}

static void fpu_and_fs_base_kept_per_thread(struct kunit *test)
{
	struct uthread u[2] = {
		{ .rbx = 0x0123456789abcdefULL, .rdx = DATA_VA + 0x100 },
		{ .rbx = 0xfedcba9876543210ULL, .rdx = DATA_VA + 0x110 },
	};
	int cpu = other_cpu();
	struct thread *t[2];

	space_create(test, prog_state, sizeof(prog_state));
	/* What each thread's fs:0 must read: its own pattern. */
	memcpy(data_kva() + 0x100, &u[0].rbx, 8);
	memcpy(data_kva() + 0x110, &u[1].rbx, 8);
	t[0] = user_thread(&u[0], cpu);
	t[1] = user_thread(&u[1], cpu);
	KUNIT_ASSERT_NOT_NULL(test, t[0]);
	KUNIT_ASSERT_NOT_NULL(test, t[1]);
	/* Both on one CPU, taking turns by the timer. */
	for (int i = 0; i < 300 && (READ_ONCE(t[0]->nr_switches) < 4 ||
				    READ_ONCE(t[1]->nr_switches) < 4); i++)
		sleep_ms(10);
	KUNIT_EXPECT_GE(test, READ_ONCE(t[0]->nr_switches), 4ULL);
	KUNIT_EXPECT_GE(test, READ_ONCE(t[1]->nr_switches), 4ULL);
	WRITE_ONCE(data_kva()[0], 1);
	/* 0: xmm0 and fs:0 held the thread's own value on every pass;
	 * 1: xmm0 changed, 2: the FS base changed, 3: arch_prctl failed. */
	KUNIT_EXPECT_EQ(test, kthread_stop(t[0]), 0);
	KUNIT_EXPECT_EQ(test, kthread_stop(t[1]), 0);
	space_destroy(test);
}

struct sigframe_result {
	int setup, setup_no_restorer, setup_bad_stack;
	long ret;
	struct pt_regs before, handler, after;
	uint64_t blocked;
};

static struct sigframe_result sr;

#define HANDLER		0x400100UL
#define RESTORER	0x400200UL
#define SA_RESTORER	0x04000000UL

/* With test_mm loaded: build a frame for regs that were interrupted at
 * some pc, "return" from the handler (its ret pops pretcode), restore. */
static int sigframe_fn(void *arg)
{
	struct pt_regs r;
	uint64_t *eflags;

	(void)arg;
	start_thread(&r, CODE_VA + 0x10, STACK_TOP - 0x40);
	r.rax = 1; r.rbx = 2; r.rcx = 3; r.rdx = 4; r.rsi = 5; r.rdi = 6;
	r.rbp = 7; r.r8 = 8; r.r9 = 9; r.r10 = 10; r.r11 = 11; r.r12 = 12;
	r.r13 = 13; r.r14 = 14; r.r15 = 15;
	r.rflags |= 1;			/* CF */
	sr.before = r;
	sr.setup_no_restorer = arch_setup_rt_frame(&r, 10, HANDLER, RESTORER,
						   0, 0x5555);
	sr.setup = arch_setup_rt_frame(&r, 10, HANDLER, RESTORER, SA_RESTORER,
				       0x5555);
	sr.handler = r;
	r.rsp += 8;			/* the handler's ret */
	r.rax = 0xdead;			/* clobbered by the handler */
	/* The handler (or an attacker) sets IOPL 3 in the saved eflags
	 * (uc_mcontext.eflags, frame + 8 + 40 + 136): refused. */
	eflags = (uint64_t *)((uint8_t *)page_address(stack_page) +
			      (sr.handler.rsp - STACK_VA) + 8 + 40 + 136);
	*eflags |= 0x3000;
	sr.ret = arch_rt_sigreturn(&r, &sr.blocked);
	sr.after = r;
	r.rsp = UNMAPPED_VA + 0x800;
	sr.setup_bad_stack = arch_setup_rt_frame(&r, 10, HANDLER, RESTORER,
						 SA_RESTORER, 0);
	return 0;
}

static void signal_frame_round_trip(struct kunit *test)
{
	struct thread *t;
	const uint8_t *stack;
	uint64_t word;
	unsigned long off;

	space_create(test, prog_fault, sizeof(prog_fault));
	memset(&sr, 0, sizeof(sr));
	t = kthread_create(sigframe_fn, NULL, "sigframe");
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->mm = &test_mm;
	wake_up_process(t);
	KUNIT_EXPECT_EQ(test, kthread_stop(t), 0);

	KUNIT_EXPECT_EQ(test, sr.setup_no_restorer, -EFAULT);
	KUNIT_EXPECT_EQ(test, sr.setup, 0);
	/* The handler runs as if called: rsp 16-byte aligned minus 8, below
	 * the red zone; handler(sig, &info, &uc). */
	KUNIT_EXPECT_EQ(test, (sr.handler.rsp + 8) % 16, 0UL);
	KUNIT_EXPECT_LT(test, sr.handler.rsp, sr.before.rsp - 128 - 512);
	KUNIT_EXPECT_EQ(test, sr.handler.rip, HANDLER);
	KUNIT_EXPECT_EQ(test, sr.handler.rdi, 10UL);
	KUNIT_EXPECT_EQ(test, sr.handler.rdx, sr.handler.rsp + 8);	/* &uc */
	KUNIT_EXPECT_EQ(test, sr.handler.rsi, sr.handler.rsp + 8 + 304);	/* &info */
	/* Linux's offsets, read back through the direct map: pretcode at
	 * 0, uc_mcontext.rip at 8 + 40 + 128, uc_sigmask at 8 + 296. */
	stack = page_address(stack_page);
	off = sr.handler.rsp - STACK_VA;
	KUNIT_ASSERT_LT(test, off, PAGE_SIZE - 440);
	memcpy(&word, stack + off, 8);
	KUNIT_EXPECT_EQ(test, word, RESTORER);
	memcpy(&word, stack + off + 8 + 40 + 128, 8);
	KUNIT_EXPECT_EQ(test, word, CODE_VA + 0x10);
	memcpy(&word, stack + off + 8 + 296, 8);
	KUNIT_EXPECT_EQ(test, word, 0x5555ULL);
	/* And back: every register, the mask; IOPL stays 0. */
	KUNIT_EXPECT_EQ(test, sr.ret, 0L);
	KUNIT_EXPECT_EQ(test, sr.blocked, 0x5555ULL);
	KUNIT_EXPECT_EQ(test, sr.after.rip, sr.before.rip);
	KUNIT_EXPECT_EQ(test, sr.after.rsp, sr.before.rsp);
	KUNIT_EXPECT_EQ(test, sr.after.rax, 1ULL);
	KUNIT_EXPECT_EQ(test, sr.after.rcx, 3ULL);
	KUNIT_EXPECT_EQ(test, sr.after.r11, 11ULL);
	KUNIT_EXPECT_EQ(test, sr.after.r15, 15ULL);
	KUNIT_EXPECT_EQ(test, sr.after.rflags, sr.before.rflags);
	KUNIT_EXPECT_EQ(test, sr.after.cs, (uint64_t)USER_CS);
	KUNIT_EXPECT_EQ(test, sr.setup_bad_stack, -EFAULT);
	space_destroy(test);
}

static struct kunit_case x86_64_user_cases[] = {
	KUNIT_CASE(syscall_round_trip_enosys_then_exit),
	KUNIT_CASE(user_page_fault_ends_the_thread_not_the_kernel),
	KUNIT_CASE(user_exceptions_end_the_thread_not_the_kernel),
	KUNIT_CASE(uaccess_good_unmapped_and_kernel_addresses),
	KUNIT_CASE(uaccess_faults_in_demand_zero_pages),
	KUNIT_CASE(smep_smap_on_where_the_cpu_has_them),
	KUNIT_CASE(timer_preempts_a_user_busy_loop),
	KUNIT_CASE(fpu_and_fs_base_kept_per_thread),
	KUNIT_CASE(signal_frame_round_trip),
	{}
};

static struct kunit_suite x86_64_user_suite = {
	.name = "x86_64_user",
	.test_cases = x86_64_user_cases,
};
kunit_test_suite(x86_64_user_suite);
