/*
 * tests/suites/vfs_test.c - the VFS (fs/fs.h) on the host and in the
 * kernel, with testfs (an in-memory writable file system) mounted on
 * /tmp of the initramfs root: files made, written and read back through
 * file_open_at; ".." out of a mount and lookups into one; the errnos of
 * the name-space calls as Linux gives them; umount refused while busy;
 * the inode cache (one inode per (sb, ino), unlinked inodes evicted on
 * their last reference, unused ones pruned); getcwd's path.
 * Every case unmounts what it mounted and ends with no testfs node left.
 */
#include "fs/fs.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "mm/vmstat.h"
#include "tests/suites/vfs_testfs.h"
#include <arch/fcntl.h>

static unsigned long files_before;

static int vfs_test_init(struct kunit *test)
{
	if (!vfs_test_ensure_mm())
		return -ENOMEM;
	vfs_test_ensure_root();
	testfs_register();
	files_before = get_nr_files();
	return do_mount(NULL, "/tmp", "testfs", false);
}

static void vfs_test_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), 0);
	KUNIT_EXPECT_EQ(test, testfs_nr_nodes(), 0UL);
	KUNIT_EXPECT_EQ(test, get_nr_files(), files_before);
}

/* The error of opening path with flags (0 if it opened; closed again). */
static long open_err(const char *path, unsigned int flags)
{
	struct file *f = file_open_at(NULL, path, flags, 0644);

	if (IS_ERR(f))
		return PTR_ERR(f);
	fput(f);
	return 0;
}

static long lookup_err(const char *path, unsigned int flags)
{
	struct path p;
	int r = kern_path(NULL, path, flags, &p, NULL, NULL);

	if (r == 0)
		path_put(&p);
	return r;
}

/* The inode path names, with its references dropped again. */
static struct inode *inode_at(const char *path)
{
	struct path p;
	struct inode *inode;

	if (kern_path(NULL, path, LOOKUP_FOLLOW, &p, NULL, NULL) < 0)
		return NULL;
	inode = p.inode;
	path_put(&p);
	return inode;
}

static void files_written_and_read_back(struct kunit *test)
{
	struct file *f;
	char buf[16];
	loff_t pos = 0;

	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/a", 0755), 0);
	f = file_open_at(NULL, "/tmp/a/f", O_CREAT | O_RDWR, 0644);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, kernel_write(f, "hello world", 11, &pos), 11L);
	pos = 6;
	KUNIT_EXPECT_EQ(test, kernel_read(f, buf, sizeof(buf), &pos), 5L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "world", 5), 0);
	KUNIT_EXPECT_EQ(test, f->f_op->llseek(f, -5, SEEK_END), 6LL);
	KUNIT_EXPECT_EQ(test, f->f_op->llseek(f, -7, SEEK_SET), (loff_t)-EINVAL);
	fput(f);
	/* O_TRUNC empties it; O_APPEND writes at the end. */
	f = file_open_at(NULL, "/tmp/a/f", O_WRONLY | O_TRUNC | O_APPEND, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, i_size_read(f->f_inode), 0LL);
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_write(f, "ab", 2, &pos), 2L);
	pos = 0;
	KUNIT_EXPECT_EQ(test, kernel_write(f, "cd", 2, &pos), 2L);
	KUNIT_EXPECT_EQ(test, i_size_read(f->f_inode), 4LL);
	/* truncate: past the file system's largest file, below 0. */
	KUNIT_EXPECT_EQ(test, vfs_truncate(f->f_inode, TESTFS_MAX_BYTES + 1),
			-EFBIG);
	KUNIT_EXPECT_EQ(test, vfs_truncate(f->f_inode, -1), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_truncate(f->f_inode, 2), 0);
	KUNIT_EXPECT_EQ(test, i_size_read(f->f_inode), 2LL);
	fput(f);
	/* The same file by other paths: one inode. */
	KUNIT_EXPECT_PTR_EQ(test, inode_at("/tmp/a/../a/./f"),
			    inode_at("/tmp//a/f"));
	KUNIT_ASSERT_EQ(test, vfs_symlinkat("a/f", NULL, "/tmp/l"), 0);
	KUNIT_EXPECT_PTR_EQ(test, inode_at("/tmp/l"), inode_at("/tmp/a/f"));
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/l", false), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/a/f", false), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/a", true), 0);
}

static void mounts_are_crossed_both_ways(struct kunit *test)
{
	struct path root, p;

	get_fs_root(&root);
	/* /tmp is testfs's root; its ".." is the initramfs's root. */
	KUNIT_ASSERT_EQ(test, kern_path(NULL, "/tmp/..", 0, &p, NULL, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, p.inode, root.inode);
	KUNIT_EXPECT_PTR_EQ(test, p.mnt, root.mnt);
	path_put(&p);
	KUNIT_ASSERT_EQ(test, kern_path(NULL, "/tmp", 0, &p, NULL, NULL), 0);
	KUNIT_EXPECT_STREQ(test, p.inode->i_sb->s_type->name, "testfs");
	KUNIT_EXPECT_PTR_EQ(test, p.inode, p.mnt->mnt_sb->s_root);
	path_put(&p);
	/* "/.." stays at the root. */
	KUNIT_ASSERT_EQ(test, kern_path(NULL, "/../..", 0, &p, NULL, NULL), 0);
	KUNIT_EXPECT_PTR_EQ(test, p.inode, root.inode);
	path_put(&p);
	/* A mount on a directory of testfs, and out of it again. */
	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/m", 0755), 0);
	KUNIT_ASSERT_EQ(test, do_mount(NULL, "/tmp/m", "testfs", false), 0);
	KUNIT_EXPECT_EQ(test, do_mount(NULL, "/tmp/m", "testfs", false),
			-EBUSY);
	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/m/in", 0755), 0);
	KUNIT_EXPECT_PTR_EQ(test, inode_at("/tmp/m/in/../../m/in/../.."),
			    inode_at("/tmp"));
	/* Busy: a mount point is not removed, a mount with a mount below
	 * or an open file is not unmounted. */
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/m", true), -EBUSY);
	KUNIT_EXPECT_EQ(test, do_umount("/tmp"), -EBUSY);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/m/in", NULL, "/tmp/x",
					   0), -EXDEV);
	{
		struct file *f = file_open_at(NULL, "/tmp/m/in", O_RDONLY, 0);

		KUNIT_ASSERT_FALSE(test, IS_ERR(f));
		KUNIT_EXPECT_EQ(test, do_umount("/tmp/m"), -EBUSY);
		fput(f);
	}
	KUNIT_EXPECT_EQ(test, do_umount("/tmp/m/in"), -EINVAL);
	KUNIT_EXPECT_EQ(test, do_umount("/tmp/m"), 0);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/m/in", 0), (long)-ENOENT);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/m", true), 0);
	path_put(&root);
}

static void name_space_errnos_are_linuxs(struct kunit *test)
{
	static char longname[NAME_MAX + 8];

	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/d", 0755), 0);
	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/d/sub", 0755), 0);
	KUNIT_ASSERT_EQ(test, open_err("/tmp/f", O_CREAT | O_WRONLY), 0L);
	KUNIT_ASSERT_EQ(test, vfs_symlinkat("loop", NULL, "/tmp/loop"), 0);

	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/nope", 0), (long)-ENOENT);
	KUNIT_EXPECT_EQ(test, lookup_err("", 0), (long)-ENOENT);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/f/x", 0), (long)-ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/f/", 0), (long)-ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/f", LOOKUP_DIRECTORY),
			(long)-ENOTDIR);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/loop", LOOKUP_FOLLOW),
			(long)-ELOOP);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/loop", 0), 0L);
	memset(longname, 'a', NAME_MAX + 1);
	KUNIT_EXPECT_EQ(test, lookup_err(longname, 0), (long)-ENAMETOOLONG);

	KUNIT_EXPECT_EQ(test, vfs_mkdirat(NULL, "/tmp/d", 0755), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfs_mkdirat(NULL, "/tmp/nope/x", 0755), -ENOENT);
	KUNIT_EXPECT_EQ(test, vfs_mkdirat(NULL, "/dev/x", 0755), -EROFS);
	KUNIT_EXPECT_EQ(test, open_err("/tmp/f", O_CREAT | O_EXCL | O_WRONLY),
			(long)-EEXIST);
	KUNIT_EXPECT_EQ(test, open_err("/tmp/d", O_WRONLY), (long)-EISDIR);
	KUNIT_EXPECT_EQ(test, open_err("/tmp/f", O_RDONLY | O_DIRECTORY),
			(long)-ENOTDIR);
	KUNIT_EXPECT_EQ(test, open_err("/tmp/loop", O_RDONLY | O_NOFOLLOW),
			(long)-ELOOP);
	KUNIT_EXPECT_EQ(test, open_err("/dev/nope", O_CREAT | O_WRONLY),
			(long)-EROFS);

	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/d", false), -EISDIR);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/f", true), -ENOTDIR);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/d", true), -ENOTEMPTY);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/d/.", true), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/nope", false), -ENOENT);

	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/d", NULL, "/tmp/d/sub/x",
					   0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/d", NULL, "/tmp/f", 0),
			-ENOTDIR);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/f", NULL, "/tmp/d", 0),
			-EISDIR);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/f", NULL, "/tmp/loop",
					   RENAME_NOREPLACE), -EEXIST);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/f", NULL, "/dev/f", 0),
			-EXDEV);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/d/sub", NULL, "/tmp/d",
					   0), -ENOTEMPTY);
	/* A rename that works, over an existing file. */
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/f", NULL, "/tmp/loop", 0),
			0);
	KUNIT_EXPECT_EQ(test, lookup_err("/tmp/f", 0), (long)-ENOENT);
	KUNIT_EXPECT_EQ(test, vfs_renameat(NULL, "/tmp/d/sub", NULL, "/tmp/s",
					   0), 0);

	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/loop", false), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/s", true), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/d", true), 0);
}

static void unlinked_inodes_go_with_their_last_reference(struct kunit *test)
{
	unsigned long nodes = testfs_nr_nodes();
	struct file *f = file_open_at(NULL, "/tmp/u", O_CREAT | O_RDWR, 0644);
	struct inode *a, *b;

	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, testfs_nr_nodes(), nodes + 1);
	/* One inode per file, however often it is looked up. */
	a = iget(f->f_inode->i_sb, f->f_inode->i_ino);
	b = iget(f->f_inode->i_sb, f->f_inode->i_ino);
	KUNIT_EXPECT_PTR_EQ(test, a, f->f_inode);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	iput(a);
	iput(b);
	/* Unlinked while open: it stays until the file is closed. */
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/u", false), 0);
	KUNIT_EXPECT_EQ(test, testfs_nr_nodes(), nodes + 1);
	KUNIT_EXPECT_EQ(test, f->f_inode->i_nlink, 0U);
	fput(f);
	KUNIT_EXPECT_EQ(test, testfs_nr_nodes(), nodes);
	/* A linked, unused inode stays cached until pruned. */
	KUNIT_ASSERT_EQ(test, open_err("/tmp/k", O_CREAT | O_WRONLY), 0L);
	a = inode_at("/tmp/k");
	KUNIT_EXPECT_PTR_EQ(test, inode_at("/tmp/k"), a);
	KUNIT_EXPECT_GT(test, prune_icache(~0UL), 0UL);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/k", false), 0);
}

static void getcwd_walks_up_through_mounts(struct kunit *test)
{
	struct path p;
	char buf[64];

	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/a", 0755), 0);
	KUNIT_ASSERT_EQ(test, vfs_mkdirat(NULL, "/tmp/a/bc", 0755), 0);
	KUNIT_ASSERT_EQ(test, kern_path(NULL, "/tmp/a/bc", 0, &p, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfs_path_name(&p, buf, sizeof(buf)), 9);
	KUNIT_EXPECT_STREQ(test, buf, "/tmp/a/bc");
	KUNIT_EXPECT_EQ(test, vfs_path_name(&p, buf, 9), -ERANGE);
	path_put(&p);
	KUNIT_ASSERT_EQ(test, kern_path(NULL, "/", 0, &p, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, vfs_path_name(&p, buf, sizeof(buf)), 1);
	KUNIT_EXPECT_STREQ(test, buf, "/");
	path_put(&p);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/a/bc", true), 0);
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/a", true), 0);
}

/* testfs counts evictions of linked inodes; drop_caches 2 must evict
 * an unused one, and count itself. */
static void drop_caches_evicts_unused_inodes(struct kunit *test)
{
	unsigned long slab = global_vm_event(DROP_SLAB);
	unsigned long pc = global_vm_event(DROP_PAGECACHE);
	unsigned long ev;

	KUNIT_ASSERT_EQ(test, open_err("/tmp/k", O_CREAT | O_WRONLY), 0L);
	KUNIT_ASSERT_NOT_NULL(test, inode_at("/tmp/k"));	/* cached, unused */
	ev = testfs_nr_evicted();
	drop_caches(1);
	KUNIT_EXPECT_EQ(test, testfs_nr_evicted(), ev);	/* pages only */
	KUNIT_EXPECT_EQ(test, global_vm_event(DROP_PAGECACHE), pc + 1);
	drop_caches(2);
	KUNIT_EXPECT_GT(test, testfs_nr_evicted(), ev);
	KUNIT_EXPECT_EQ(test, global_vm_event(DROP_SLAB), slab + 1);
	/* Evicted, not lost: the file is read from its file system again. */
	KUNIT_EXPECT_NOT_NULL(test, inode_at("/tmp/k"));
	KUNIT_EXPECT_EQ(test, vfs_unlinkat(NULL, "/tmp/k", false), 0);
}

static struct kunit_case vfs_cases[] = {
	KUNIT_CASE(drop_caches_evicts_unused_inodes),
	KUNIT_CASE(files_written_and_read_back),
	KUNIT_CASE(mounts_are_crossed_both_ways),
	KUNIT_CASE(name_space_errnos_are_linuxs),
	KUNIT_CASE(unlinked_inodes_go_with_their_last_reference),
	KUNIT_CASE(getcwd_walks_up_through_mounts),
	{}
};

static struct kunit_suite vfs_suite = {
	.name = "vfs",
	.init = vfs_test_init,
	.exit = vfs_test_exit,
	.test_cases = vfs_cases,
};
kunit_test_suite(vfs_suite);
