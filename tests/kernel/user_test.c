/*
 * tests/kernel/user_test.c - the user-program suites: real programs from
 * the initramfs (our user/bin programs and Debian's busybox), started with
 * process_spawn() as the console's `run` does, their output captured
 * from the console (kunit_capture_start: a program's stdout is the
 * tty, which prints through printk) and their exit status checked.
 *
 * After every program, memory is checked to be back (tests/kernel/
 * mem_check.h: pages neither free nor in a slab, AnonPages, PageTables,
 * slab objects, thread stacks, threads, processes, all exactly as
 * before). A page or object lost by a fault, fork, exit or the OOM
 * killer shows as a difference.
 *
 * A program missing from the initramfs skips its case (tools/run-tests
 * lists these cases as MUST_RUN where the initramfs is built in).
 */
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "tests/kernel/mem_check.h"

static const char *const test_envp[] = { "PATH=/bin", "HOME=/", NULL };

#define OUT_SIZE	16384
static char out[OUT_SIZE];

/* The path of a program, or skip the case if the initramfs has none. */
static void find_program(struct kunit *test, const char *name, char *path,
			 size_t size)
{
	int r = program_find(name, path, size);

	if (r)
		kunit_skip(test, "no %s in the initramfs (error %d)", name, r);
}

/* Start argv[0] (found in /bin); its pid in *pid. */
static void start(struct kunit *test, const char *const *argv, int *pid)
{
	char path[64];

	find_program(test, argv[0], path, sizeof(path));
	*pid = process_spawn(path, argv, test_envp);
	KUNIT_ASSERT_GT(test, *pid, 0);
}

/* Run argv to its end with its output in `out`, its wait status in
 * *status. No warning may come meanwhile; memory must come back
 * afterwards. */
static void run(struct kunit *test, const char *const *argv, int *status)
{
	struct mem_snapshot before;
	char path[64];
	int pid;

	find_program(test, argv[0], path, sizeof(path));
	mem_snapshot_quiet(&before);
	kunit_capture_start(test, out, sizeof(out));
	pid = process_spawn(path, argv, test_envp);
	*status = pid > 0 ? process_wait(pid) : pid;
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_ASSERT_GT(test, pid, 0);
	mem_expect_back(test, &before);
}

#define EXITED(code)	((code) << 8)

static void memhog_32m(struct kunit *test)
{
	const char *const argv[] = { "memhog", "32M", NULL };
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "memhog: 32 MiB written at");
	KUNIT_EXPECT_STR_CONTAINS(test, out, ", 0 mismatches");
}

/* One memhog per CPU, all at once: faults on every CPU into the same
 * allocator, TLB shootdowns while others run. */
static void memhog_on_every_cpu(struct kunit *test)
{
	const char *const argv[] = { "memhog", "8M", "2", NULL };
	unsigned int n = num_online_cpus();
	struct mem_snapshot before;
	int pids[NR_CPUS];

	mem_snapshot_quiet(&before);
	kunit_capture_start(test, out, sizeof(out));
	for (unsigned int i = 0; i < n; i++)
		start(test, argv, &pids[i]);
	for (unsigned int i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, process_wait(pids[i]), EXITED(0));
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	/* Each one's line, and none with a mismatch. */
	unsigned int lines = 0;

	for (const char *s = out; (s = strstr(s, ", 0 mismatches")); s++)
		lines++;
	KUNIT_EXPECT_EQ(test, lines, n * 2);
	mem_expect_back(test, &before);
}

static void forktest_tree(struct kunit *test)
{
	const char *const argv[] = { "forktest", NULL };
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "every copy private, all exited 0");
}

/* Every forbidden access kills its child with the expected signal, and
 * the kernel says so in its report, with the VMA and the symbol. */
static void faulttest_all(struct kunit *test)
{
	const char *const argv[] = { "faulttest", "all", NULL };
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out,
				  "all killed by the expected signal");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "faulttest: null-read killed by SIGSEGV");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "faulttest: ro-write killed by SIGSEGV");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "faulttest: bad-insn killed by SIGILL");
	/* The kernel's side (kernel/signal.c fault_report). */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "]: killed by SIGSEGV: read of a not-present page at 0x0");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "  address 0x0: no VMA");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "]: killed by SIGSEGV: write to a read-only page at");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "]: killed by SIGILL: ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " in /bin/faulttest, sp ");
	/* The pc named by the function it is in (the program's .symtab). */
	KUNIT_EXPECT_STR_CONTAINS(test, out, " <null_read+0x");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " <null_write+0x");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "<_end+");
}

static void kattack_is_stopped(struct kunit *test)
{
	const char *const argv[] = { "kattack", NULL };
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "attempts, all stopped");
	KUNIT_EXPECT_STR_NOT_CONTAINS(test, out, "NOT STOPPED");
}

static void sysfuzz_runs_to_the_end(struct kunit *test)
{
	const char *const argv[] = { "sysfuzz", "1", "3000", NULL };
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "sysfuzz: 3000 calls, seed 1,");
}

/* Debian's busybox, unmodified: a shell, a pipe, fork, execve, wait4. */
static void busybox_sh_pipe(struct kunit *test)
{
	const char *const argv[] = {
		"busybox", "sh", "-c", "echo hello | busybox wc -c", NULL,
	};
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "6\n");
}

/* Our /bin/dd (user/bin/dd.c; busybox's has no third line): GNU's three
 * summary lines on the console, /dev/zero to /dev/null in 4 KiB blocks. */
static void dd_prints_gnu_summary(struct kunit *test)
{
	const char *const argv[] = {
		"dd", "if=/dev/zero", "of=/dev/null", "bs=4k", "count=256", NULL,
	};
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	/* Each console line carries printk's time stamp: a line at a time. */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] 256+0 records in\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] 256+0 records out\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out,
		"] 1048576 bytes (1.0 MB, 1.0 MiB) copied, ");
}

/* A script must name /bin/dd (busybox sh would run its own applet for a
 * bare dd): ours writes the blocks to a pipe, and a bad operand exits 1
 * with GNU's words before anything is copied. */
static void busybox_sh_runs_bin_dd(struct kunit *test)
{
	const char *const argv[] = {
		"busybox", "sh", "-c",
		"/bin/dd if=/dev/zero bs=1000 count=3 | busybox wc -c; "
		"/bin/dd bs=1x; echo status $?", NULL,
	};
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] 3+0 records out\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out,
		"] 3000 bytes (3.0 kB, 2.9 KiB) copied, ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] 3000\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] dd: invalid number: '1x'\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] status 1\n");
}

/* A handler: the shell's trap catches SIGUSR1 it sends itself (kill,
 * rt_sigaction, the signal frame, rt_sigreturn) and carries on. */
static void busybox_trap_runs_the_handler(struct kunit *test)
{
	const char *const argv[] = {
		"busybox", "sh", "-c",
		"trap 'echo caught USR1' USR1; kill -USR1 $$; echo after $?",
		NULL,
	};
	int status;

	run(test, argv, &status);
	KUNIT_EXPECT_EQ(test, status, EXITED(0));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "caught USR1\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "after 0\n");
}

/* kill(2) from the kernel ends a program asleep in nanosleep at once,
 * and its status says which signal (the console's `kill`). */
static void kill_ends_a_sleeping_program(struct kunit *test)
{
	const char *const argv[] = { "busybox", "sleep", "20", NULL };
	struct mem_snapshot before;
	uint64_t t0;
	int pid;

	mem_snapshot_quiet(&before);
	start(test, argv, &pid);
	sleep_ms(100);
	KUNIT_EXPECT_EQ(test, kill_pid(pid, 0), 0);		/* it exists */
	t0 = clock_ns();
	KUNIT_EXPECT_EQ(test, kill_pid(pid, SIGTERM), 0);
	KUNIT_EXPECT_EQ(test, process_wait(pid), SIGTERM);
	KUNIT_EXPECT_LT(test, clock_ns() - t0, 5000000000ULL);	/* not 20 s */
	KUNIT_EXPECT_EQ(test, kill_pid(pid, 0), -ESRCH);	/* reaped */
	mem_expect_back(test, &before);
}

/* A memhog bigger than RAM is killed by the OOM killer with Linux's
 * line; a small one running beside it finishes as if nothing happened. */
static void oom_kills_the_hog(struct kunit *test)
{
	char size[24];
	const char *const hog[] = { "memhog", size, NULL };
	const char *const small[] = { "memhog", "4M", "20", NULL };
	struct mem_snapshot before;
	int hog_pid, small_pid;

	/* Under TCG a hog writes some 100 MiB/s: above 1 GiB of RAM the
	 * run would take minutes (tools/run-tests requires the case on the
	 * 512 MiB and 64 MiB machines). */
	if (totalram_pages() > (1UL << (30 - PAGE_SHIFT)))
		kunit_skip(test, "%lu MiB of RAM: too much to fill under TCG",
			   totalram_pages() >> (20 - PAGE_SHIFT));
	ksnprintf(size, sizeof(size), "%luM",
		  (totalram_pages() >> (20 - PAGE_SHIFT)) + 64);
	mem_snapshot_quiet(&before);
	kunit_capture_start(test, out, sizeof(out));
	start(test, small, &small_pid);
	start(test, hog, &hog_pid);
	KUNIT_EXPECT_EQ(test, process_wait(hog_pid), SIGKILL);
	KUNIT_EXPECT_EQ(test, process_wait(small_pid), EXITED(0));
	/* Allocations failing on the way to the OOM kill may warn (as
	 * Linux's "page allocation failure"): those are expected here. */
	kunit_expect_reports(test, DIAG_WARN,
			     kunit_capture_stop(test, DIAG_WARN));
	KUNIT_EXPECT_STR_CONTAINS(test, out, "Out of memory: Killed process");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "(memhog) total-vm:");
	KUNIT_EXPECT_STR_CONTAINS(test, out, ", 0 mismatches");
	mem_expect_back(test, &before);
}

/* The console's commands (kernel/proc_console.c) as typed. */
static void console_run_wait_ps_kill(struct kunit *test)
{
	char l1[] = "run busybox sh -c 'exit 3'";
	char l2[] = "run busybox sleep 1 &";
	char l3[] = "ps";
	char l4[] = "wait";
	char l5[] = "kill -SIGFOO 1";
	char l6[] = "kill 32000";
	char path[64];

	find_program(test, "busybox", path, sizeof(path));
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, console_execute(l1), 1);
	KUNIT_EXPECT_EQ(test, console_execute(l2), 0);
	KUNIT_EXPECT_EQ(test, console_execute(l3), 0);
	KUNIT_EXPECT_EQ(test, console_execute(l4), 0);
	KUNIT_EXPECT_EQ(test, console_execute(l5), 1);
	KUNIT_EXPECT_EQ(test, console_execute(l6), 1);
	KUNIT_EXPECT_CAPTURED_REPORTS(test, DIAG_WARN, 0);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "run: busybox exited with status 3");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "[1] ");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "  PID  PPID STAT      VSZ      RSS     SWAP COMMAND");
	KUNIT_EXPECT_STR_CONTAINS(test, out, " busybox exited with status 0");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "kill: '-SIGFOO' is not a signal");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "kill: no process 32000");
}

static struct kunit_case user_cases[] = {
	KUNIT_CASE_SLOW(console_run_wait_ps_kill),
	KUNIT_CASE(memhog_32m),
	KUNIT_CASE(memhog_on_every_cpu),
	KUNIT_CASE(forktest_tree),
	KUNIT_CASE(faulttest_all),
	KUNIT_CASE(kattack_is_stopped),
	KUNIT_CASE(sysfuzz_runs_to_the_end),
	KUNIT_CASE(busybox_sh_pipe),
	KUNIT_CASE(busybox_trap_runs_the_handler),
	KUNIT_CASE(dd_prints_gnu_summary),
	KUNIT_CASE(busybox_sh_runs_bin_dd),
	KUNIT_CASE(kill_ends_a_sleeping_program),
	KUNIT_CASE_SLOW(oom_kills_the_hog),
	{}
};

static struct kunit_suite user_suite = {
	.name = "user",
	.test_cases = user_cases,
};
kunit_test_suite(user_suite);
