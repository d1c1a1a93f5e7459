/*
 * tests/kernel/process_test.c - processes end to end: a tiny static ELF
 * program (tests/kernel/<arch>_user_code.c, wrapped in an ELF header
 * here) is spawned, runs in user mode, exits, and is reaped with the
 * right status; its pid is gone after the wait and every page it used is
 * back. Bad programs and bad arguments are refused before anything runs.
 */
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/elf.h"
#include "kernel/lib/string.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"
#include "tests/kernel/mem_check.h"
#include "tests/kernel/user_code.h"
#include <arch/user.h>

#define IMG_SIZE	0x2000
#define LOAD_ADDR	0x400000UL

static uint8_t image[IMG_SIZE] __aligned(8);

static void put(uint64_t off, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++)
		image[off + i] = (uint8_t)(v >> (8 * i));
}

/* One R+X PT_LOAD at LOAD_ADDR holding the headers and, at offset
 * 0x1000, the code; the entry is the code. */
static void make_image(void)
{
	memset(image, 0, sizeof(image));
	memcpy(image, "\177ELF", 4);
	image[4] = 2;
	image[5] = 1;
	image[6] = 1;
	put(16, ET_EXEC, 2);
	put(18, ELF_ARCH_MACHINE, 2);
	put(20, 1, 4);
	put(24, LOAD_ADDR + 0x1000, 8);
	put(32, 64, 8);
	put(52, 64, 2);
	put(54, 56, 2);
	put(56, 1, 2);
	put(64 + 0, PT_LOAD, 4);
	put(64 + 4, PF_R | PF_X, 4);
	put(64 + 8, 0, 8);
	put(64 + 16, LOAD_ADDR, 8);
	put(64 + 32, IMG_SIZE, 8);
	put(64 + 40, IMG_SIZE, 8);
	put(64 + 48, 0x1000, 8);
	memcpy(image + 0x1000, user_code_exit_argc, user_code_exit_argc_size);
}

static const char *const argv2[] = { "exit", "two", NULL };
static const char *const envp1[] = { "HOME=/", NULL };

static int run(const char *const *argv, const char *const *envp)
{
	int pid = process_spawn_image("exit_argc", image, sizeof(image),
				      argv, envp);

	return pid < 0 ? pid : process_wait(pid);
}

static void spawn_runs_and_exits_with_status(struct kunit *test)
{
	struct mem_snapshot before;
	int pid, status;

	make_image();
	mem_snapshot_quiet(&before);

	pid = process_spawn_image("exit_argc", image, sizeof(image), argv2,
				  envp1);
	KUNIT_ASSERT_GT(test, pid, 0);
	status = process_wait(pid);
	KUNIT_EXPECT_EQ(test, status, 42 << 8);	/* argc 2 + 40 */
	KUNIT_EXPECT_EQ(test, process_wait(pid), -ECHILD);
	KUNIT_EXPECT_EQ(test, run((const char *const[]){ "a", NULL }, NULL),
			41 << 8);
	mem_expect_back(test, &before);
}

static void pids_are_positive_and_freed_after_wait(struct kunit *test)
{
	unsigned int before = nr_processes();
	unsigned long flags;
	int pids[4];

	make_image();
	for (unsigned int i = 0; i < ARRAY_SIZE(pids); i++) {
		pids[i] = process_spawn_image("exit_argc", image,
					      sizeof(image), argv2, NULL);
		KUNIT_ASSERT_GT(test, pids[i], 0);
		for (unsigned int j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, pids[i], pids[j]);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(pids); i++) {
		KUNIT_EXPECT_EQ(test, process_wait(pids[i]), 42 << 8);
		spin_lock_irqsave(&process_lock, flags);
		KUNIT_EXPECT_NULL(test, find_process_by_pid(pids[i]));
		spin_unlock_irqrestore(&process_lock, flags);
	}
	KUNIT_EXPECT_EQ(test, nr_processes(), before);
	KUNIT_EXPECT_EQ(test, process_wait(0), -ECHILD);
	KUNIT_EXPECT_EQ(test, process_wait_nohang(-5), -ECHILD);
}

static void bad_program_is_refused(struct kunit *test)
{
	struct mem_snapshot before;

	make_image();
	mem_snapshot_quiet(&before);
	put(18, 3 /* EM_386 */, 2);
	KUNIT_EXPECT_EQ(test, process_spawn_image("bad", image,
						  sizeof(image), argv2, NULL),
			-ENOEXEC);
	make_image();
	put(24, LOAD_ADDR + IMG_SIZE, 8);	/* entry past the segment */
	KUNIT_EXPECT_EQ(test, process_spawn_image("bad", image,
						  sizeof(image), argv2, NULL),
			-ENOEXEC);
	mem_expect_back(test, &before);
}

/* More strings than execve takes: -E2BIG, nothing left behind. */
static const char *many[5000];

static void too_many_arguments(struct kunit *test)
{
	struct mem_snapshot before;

	make_image();
	for (unsigned int i = 0; i < ARRAY_SIZE(many) - 1; i++)
		many[i] = "x";
	many[ARRAY_SIZE(many) - 1] = NULL;
	mem_snapshot_quiet(&before);
	KUNIT_EXPECT_EQ(test, run(many, NULL), -E2BIG);
	mem_expect_back(test, &before);
}

static bool in_initramfs(const char *path)
{
	char buf[64];

	return program_find(path, buf, sizeof(buf)) == 0;
}

/* A program from the initramfs, run to its end: its status word. */
static int run_path(struct kunit *test, const char *path,
		    const char *const *argv)
{
	int pid = process_spawn(path, argv, envp1);

	KUNIT_EXPECT_GT(test, pid, 0);
	return pid < 0 ? pid : process_wait(pid);
}

/* Our forktest: a tree of fork, COW writes and wait4 (user/bin). */
static void forktest_tree_exits_zero(struct kunit *test)
{
	struct mem_snapshot before;

	if (!in_initramfs("/bin/forktest"))
		kunit_skip(test, "no /bin/forktest in the initramfs");
	mem_snapshot_quiet(&before);
	KUNIT_EXPECT_EQ(test, run_path(test, "/bin/forktest",
				       (const char *const[]){ "forktest", "2",
							      "2", NULL }),
			0);
	mem_expect_back(test, &before);
}

/* Debian's busybox, unmodified: its static glibc start-up (brk, TLS,
 * uname, prlimit...), then sh forking, exec'ing another program and
 * waiting for it: `false` gives 1, which sh passes on. */
static void busybox_sh_forks_execs_waits(struct kunit *test)
{
	struct mem_snapshot before;

	if (!in_initramfs("/bin/busybox"))
		kunit_skip(test, "no /bin/busybox in the initramfs");
	mem_snapshot_quiet(&before);
	KUNIT_EXPECT_EQ(test, run_path(test, "/bin/busybox",
				       (const char *const[]){ "busybox", "true",
							      NULL }),
			0);
	KUNIT_EXPECT_EQ(test, run_path(test, "/bin/sh",
				       (const char *const[]){ "sh", "-c",
				       "/bin/false; exit $(($? + 6))", NULL }),
			7 << 8);
	mem_expect_back(test, &before);
}

static struct kunit_case process_cases[] = {
	KUNIT_CASE(spawn_runs_and_exits_with_status),
	KUNIT_CASE(pids_are_positive_and_freed_after_wait),
	KUNIT_CASE(bad_program_is_refused),
	KUNIT_CASE(too_many_arguments),
	KUNIT_CASE(forktest_tree_exits_zero),
	KUNIT_CASE(busybox_sh_forks_execs_waits),
	{}
};

static struct kunit_suite process_suite = {
	.name = "process",
	.test_cases = process_cases,
};
kunit_test_suite(process_suite);
