/*
 * tests/kernel/vfs_kernel_test.c - the file system calls as a real
 * program makes them: busybox (from the initramfs) changes a tree on
 * testfs mounted on /tmp, and its error messages carry Linux's errnos.
 * The VFS's own suite, host and kernel, is tests/suites/vfs_test.c.
 */
#include "fs/fs.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/process.h"
#include "tests/suites/vfs_testfs.h"

static unsigned long files_before;

static int vfs_kernel_init(struct kunit *test)
{
	vfs_test_ensure_root();
	testfs_register();
	files_before = get_nr_files();
	return do_mount(NULL, "/tmp", "testfs", false);
}

static void vfs_kernel_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, testfs_nr_nodes(), 0UL);
	KUNIT_EXPECT_EQ(test, get_nr_files(), files_before);
}

/*
 * The system calls, as busybox makes them: a tree made, written, moved
 * and removed on testfs, and the errnos it reports in words (EEXIST,
 * EROFS, ENOENT, EXDEV then EROFS for mv's copy, ENOTEMPTY, EINVAL for
 * a directory moved into itself, EISDIR).
 */
static char out[4096];

static void busybox_changes_the_tree(struct kunit *test)
{
	static const char script[] =
		"cd /bin && ./busybox readlink /proc/self/exe; "
		"cd /tmp/.. && bin/sh -c 'readlink /proc/self/exe'; "
		"cd /tmp && mkdir d && cd d && pwd && echo hello > f && "
		"cat f && mv f g && ls && rm g && cd .. && rmdir d && "
		"echo abc > t && truncate -s 1 t && cat t && echo; "
		"mkdir /tmp; mkdir /bin/x; rmdir /tmp/nope; mv /tmp/t /bin/t; "
		"mkdir -p /tmp/p/q && rmdir /tmp/p; mv /tmp/p /tmp/p/q/r; "
		"cat /tmp/p; rm /tmp/p; ln -s t /tmp/s && readlink /tmp/s && cat /tmp/s && echo; "
		"rm -r /tmp/p /tmp/s && rm /tmp/t && echo done";
	const char *const argv[] = { "busybox", "sh", "-c", script, NULL };
	const char *const envp[] = { "PATH=/bin", NULL };
	char path[64];
	int pid, status;

	if (program_find("busybox", path, sizeof(path)))
		kunit_skip(test, "no busybox in the initramfs");
	kunit_capture_start(test, out, sizeof(out));
	pid = process_spawn(path, argv, envp);
	KUNIT_ASSERT_GT(test, pid, 0);
	status = process_wait(pid);
	KUNIT_EXPECT_EQ(test, status, 0);
	/* Each line is captured with its printk time stamp. */
	/* execve of a relative path, of a symlink: /proc/self/exe is the
	 * program's canonical absolute path, twice. */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] /bin/busybox\n");
	KUNIT_EXPECT_STR_CONTAINS(test, strstr(out, "] /bin/busybox\n") + 1,
				  "] /bin/busybox\n");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] /tmp/d\n");	/* getcwd */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] hello\n");	/* write, read */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] g\n");		/* rename, getdents */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] a\n");		/* truncate */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'/tmp': File exists");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'/bin/x': Read-only file system");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'/tmp/nope': No such file or directory");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "can't create '/bin/t': Read-only");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'/tmp/p': Directory not empty");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "Invalid argument");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "cat: read error: Is a directory");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "'/tmp/p' is a directory");
	KUNIT_EXPECT_STR_CONTAINS(test, out, "] t\n");		/* readlink */
	KUNIT_EXPECT_STR_CONTAINS(test, out, "done");
}

static struct kunit_case vfs_kernel_cases[] = {
	KUNIT_CASE(busybox_changes_the_tree),
	{}
};

static struct kunit_suite vfs_kernel_suite = {
	.name = "vfs_kernel",
	.init = vfs_kernel_init,
	.exit = vfs_kernel_exit,
	.test_cases = vfs_kernel_cases,
};
kunit_test_suite(vfs_kernel_suite);
