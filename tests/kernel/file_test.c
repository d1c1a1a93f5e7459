/*
 * tests/kernel/file_test.c - the file layer from kernel threads: the fd
 * table (lowest free fd, dup, close-on-exec, the RLIMIT_NOFILE limit,
 * fork's copy), pipes between two threads (data, EOF, EPIPE, a blocked
 * reader and a blocked writer woken, O_NONBLOCK), the terminal's line
 * discipline fed through console_input_push() as the UART would, and path
 * lookup in a tree built from an archive made here (symlinks, "..",
 * ELOOP, ENOTDIR, ENAMETOOLONG) and the archives it refuses.
 * Every case ends with as many open files as it started with.
 */
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/file.h"
#include "fs/initramfs.h"
#include "kernel/kthread.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "tests/suites/cpio_build.h"

static unsigned long files_at_start;

static int file_test_init(struct kunit *test)
{
	files_at_start = get_nr_files();
	return 0;
}

static void file_test_exit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, get_nr_files(), files_at_start);
}

/* ------------------------------------------------------------ fd table */

static void fd_table_gives_lowest_free_and_stops_at_the_limit(struct kunit *test)
{
	struct files_struct *files = files_alloc();
	struct file *f;
	int fd;

	KUNIT_ASSERT_NOT_NULL(test, files);
	for (int i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, fd_install(files, dev_null_open(O_RDWR),
						 false), i);
	KUNIT_EXPECT_EQ(test, fd_close(files, 1), 0);
	KUNIT_EXPECT_EQ(test, fd_close(files, 1), -EBADF);
	KUNIT_EXPECT_EQ(test, fd_close(files, -1), -EBADF);
	KUNIT_EXPECT_EQ(test, fd_close(files, NR_OPEN_MAX), -EBADF);
	KUNIT_EXPECT_EQ(test, fd_install(files, dev_null_open(O_RDWR), false), 1);
	/* Fill the table: the next one is refused and stays the caller's. */
	for (fd = 3; fd < NR_OPEN_MAX; fd++)
		KUNIT_ASSERT_EQ(test, fd_install(files, dev_null_open(O_RDWR),
						 false), fd);
	f = dev_null_open(O_RDWR);
	KUNIT_EXPECT_EQ(test, fd_install(files, f, false), -EMFILE);
	fput(f);
	KUNIT_EXPECT_EQ(test, files_count(files), (unsigned int)NR_OPEN_MAX);
	KUNIT_EXPECT_NULL(test, fget(files, NR_OPEN_MAX));
	KUNIT_EXPECT_NULL(test, fget(files, -5));
	files_put(files);
}

static void dup_cloexec_and_fork_copy(struct kunit *test)
{
	struct files_struct *files = files_alloc(), *child;
	struct file *f;

	KUNIT_ASSERT_NOT_NULL(test, files);
	KUNIT_ASSERT_EQ(test, fd_install(files, dev_zero_open(O_RDONLY), false), 0);
	KUNIT_ASSERT_EQ(test, fd_install(files, dev_null_open(O_WRONLY), true), 1);
	KUNIT_EXPECT_EQ(test, fd_get_cloexec(files, 0), 0);
	KUNIT_EXPECT_EQ(test, fd_get_cloexec(files, 1), 1);
	KUNIT_EXPECT_EQ(test, fd_get_cloexec(files, 7), -EBADF);
	/* dup2 onto an open fd closes it; the new fd shares the file. */
	KUNIT_EXPECT_EQ(test, fd_dup_to(files, 0, 1, false), 1);
	KUNIT_EXPECT_EQ(test, fd_get_cloexec(files, 1), 0);
	f = fget(files, 0);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_EXPECT_PTR_EQ(test, fget(files, 1), f);
	KUNIT_EXPECT_EQ(test, f->f_count, 4);	/* fd 0, fd 1, two fgets */
	fput(f);
	fput(f);
	KUNIT_EXPECT_EQ(test, fd_dup_to(files, 9, 2, false), -EBADF);
	KUNIT_EXPECT_EQ(test, fd_dup_to(files, 0, 5, true), 5);
	KUNIT_EXPECT_EQ(test, fd_set_cloexec(files, 1, true), 0);

	/* fork: the same files, the same bits, more references. */
	child = files_dup(files);
	KUNIT_ASSERT_NOT_NULL(test, child);
	KUNIT_EXPECT_EQ(test, files_count(child), 3U);
	KUNIT_EXPECT_EQ(test, f->f_count, 6);
	KUNIT_EXPECT_EQ(test, fd_get_cloexec(child, 5), 1);
	/* exec in the child closes 1 and 5 there only. */
	files_close_on_exec(child);
	KUNIT_EXPECT_EQ(test, files_count(child), 1U);
	KUNIT_EXPECT_NOT_NULL(test, child->fd[0]);
	KUNIT_EXPECT_EQ(test, files_count(files), 3U);
	KUNIT_EXPECT_EQ(test, f->f_count, 4);
	files_put(child);
	files_put(files);
}

static void console_set_has_the_tty_on_0_1_2(struct kunit *test)
{
	struct files_struct *files = files_alloc_console();
	struct kstat st;

	KUNIT_ASSERT_NOT_NULL(test, files);
	KUNIT_EXPECT_EQ(test, files_count(files), 3U);
	for (int fd = 0; fd < 3; fd++) {
		file_getattr(files->fd[fd], &st);
		KUNIT_EXPECT_EQ(test, st.mode & S_IFMT, (unsigned int)S_IFCHR);
		KUNIT_EXPECT_EQ(test, st.rdev, 5UL << 8 | 1);
	}
	KUNIT_EXPECT_TRUE(test, file_readable(files->fd[0]));
	KUNIT_EXPECT_TRUE(test, file_writable(files->fd[1]));
	KUNIT_EXPECT_FALSE(test, file_readable(files->fd[1]));
	files_put(files);
}

/* --------------------------------------------------------------- pipes */

static ssize_t rd(struct file *f, char *buf, size_t n)
{
	return f->f_op->read(f, buf, n, &f->f_pos);
}

static ssize_t wr(struct file *f, const char *buf, size_t n)
{
	return f->f_op->write(f, buf, n, &f->f_pos);
}

static void pipe_carries_data_then_eof_and_epipe(struct kunit *test)
{
	struct file *p[2];
	char buf[16];

	KUNIT_ASSERT_EQ(test, pipe_create(p, 0), 0);
	KUNIT_EXPECT_EQ(test, wr(p[1], "hello", 5), 5L);
	KUNIT_EXPECT_EQ(test, rd(p[0], buf, 3), 3L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "hel", 3), 0);
	KUNIT_EXPECT_EQ(test, rd(p[0], buf, sizeof(buf)), 2L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "lo", 2), 0);
	KUNIT_EXPECT_EQ(test, p[0]->f_op->poll(p[0]) & POLLIN, 0U);
	KUNIT_EXPECT_EQ(test, wr(p[1], "x", 1), 1L);
	fput(p[1]);			/* the last writer goes */
	KUNIT_EXPECT_EQ(test, rd(p[0], buf, sizeof(buf)), 1L);
	KUNIT_EXPECT_EQ(test, rd(p[0], buf, sizeof(buf)), 0L);	/* EOF */
	KUNIT_EXPECT_NE(test, p[0]->f_op->poll(p[0]) & POLLHUP, 0U);
	fput(p[0]);

	KUNIT_ASSERT_EQ(test, pipe_create(p, 0), 0);
	fput(p[0]);			/* no reader */
	KUNIT_EXPECT_EQ(test, wr(p[1], "x", 1), (long)-EPIPE);
	KUNIT_EXPECT_NE(test, p[1]->f_op->poll(p[1]) & POLLERR, 0U);
	fput(p[1]);
}

static void pipe_nonblock_says_eagain(struct kunit *test)
{
	static char big[PIPE_BUF_SIZE];
	struct file *p[2];
	char c;

	KUNIT_ASSERT_EQ(test, pipe_create(p, O_NONBLOCK), 0);
	KUNIT_EXPECT_EQ(test, rd(p[0], &c, 1), (long)-EAGAIN);
	KUNIT_EXPECT_EQ(test, wr(p[1], big, sizeof(big)), (long)sizeof(big));
	KUNIT_EXPECT_EQ(test, wr(p[1], "x", 1), (long)-EAGAIN);
	KUNIT_EXPECT_EQ(test, p[1]->f_op->poll(p[1]) & POLLOUT, 0U);
	KUNIT_EXPECT_EQ(test, rd(p[0], &c, 1), 1L);
	/* Room for 1 byte, not for an atomic 2-byte write. */
	KUNIT_EXPECT_EQ(test, wr(p[1], "xy", 2), (long)-EAGAIN);
	KUNIT_EXPECT_EQ(test, wr(p[1], "x", 1), 1L);
	fput(p[0]);
	fput(p[1]);
}

struct pipe_thread {
	struct file *f;
	char buf[64];
	size_t n;
	ssize_t ret;
	bool done;
};

static int pipe_reader(void *arg)
{
	struct pipe_thread *t = arg;

	t->ret = rd(t->f, t->buf, t->n);
	WRITE_ONCE(t->done, true);
	return 0;
}

static int pipe_writer(void *arg)
{
	struct pipe_thread *t = arg;

	t->ret = wr(t->f, t->buf, t->n);
	WRITE_ONCE(t->done, true);
	return 0;
}

static void pipe_wakes_a_blocked_reader_and_writer(struct kunit *test)
{
	static char big[PIPE_BUF_SIZE];
	static struct pipe_thread t;
	struct thread *th;
	struct file *p[2];
	char buf[8];

	KUNIT_ASSERT_EQ(test, pipe_create(p, 0), 0);
	/* A reader of an empty pipe sleeps until a write. */
	t = (struct pipe_thread){ .f = p[0], .n = sizeof(t.buf) };
	th = kthread_run(pipe_reader, &t, "pipe-reader");
	KUNIT_ASSERT_NOT_NULL(test, th);
	sleep_ms(30);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t.done));
	KUNIT_EXPECT_EQ(test, wr(p[1], "wake", 4), 4L);
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, t.ret, 4L);
	KUNIT_EXPECT_EQ(test, memcmp(t.buf, "wake", 4), 0);

	/* A reader sleeping when the last writer closes gets EOF. */
	t = (struct pipe_thread){ .f = p[0], .n = sizeof(t.buf) };
	th = kthread_run(pipe_reader, &t, "pipe-reader");
	KUNIT_ASSERT_NOT_NULL(test, th);
	sleep_ms(30);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t.done));
	get_file(p[1]);
	fput(p[1]);			/* not the last reference: no EOF */
	sleep_ms(10);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t.done));
	fput(p[1]);
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, t.ret, 0L);
	fput(p[0]);

	/* A writer to a full pipe sleeps until a read makes room. */
	KUNIT_ASSERT_EQ(test, pipe_create(p, 0), 0);
	KUNIT_EXPECT_EQ(test, wr(p[1], big, sizeof(big)), (long)sizeof(big));
	t = (struct pipe_thread){ .f = p[1], .n = 5 };
	memcpy(t.buf, "after", 5);
	th = kthread_run(pipe_writer, &t, "pipe-writer");
	KUNIT_ASSERT_NOT_NULL(test, th);
	sleep_ms(30);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t.done));
	KUNIT_EXPECT_EQ(test, rd(p[0], buf, sizeof(buf)), 8L);
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, t.ret, 5L);
	/* And a sleeping writer whose reader goes gets EPIPE. */
	t = (struct pipe_thread){ .f = p[1], .n = 64 };
	th = kthread_run(pipe_writer, &t, "pipe-writer");
	KUNIT_ASSERT_NOT_NULL(test, th);
	sleep_ms(30);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(t.done));
	fput(p[0]);
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, t.ret, (long)-EPIPE);
	fput(p[1]);
}

struct stream {
	struct file *f;
	size_t total;
	bool ok;
};

static int stream_writer(void *arg)
{
	struct stream *s = arg;
	char chunk[1000];

	for (size_t off = 0; off < s->total; off += sizeof(chunk)) {
		size_t n = min(sizeof(chunk), s->total - off);

		for (size_t i = 0; i < n; i++)
			chunk[i] = (char)((off + i) * 7 + 3);
		if (wr(s->f, chunk, n) != (ssize_t)n)
			return 0;
	}
	fput(s->f);		/* EOF for the reader */
	s->ok = true;
	return 0;
}

static void pipe_streams_64k_between_two_threads(struct kunit *test)
{
	static struct stream s;
	struct file *p[2];
	struct thread *th;
	size_t got = 0;
	char buf[777];
	bool same = true;
	ssize_t r;

	KUNIT_ASSERT_EQ(test, pipe_create(p, 0), 0);
	s = (struct stream){ .f = p[1], .total = 65536 };
	th = kthread_run(stream_writer, &s, "pipe-stream");
	KUNIT_ASSERT_NOT_NULL(test, th);
	while ((r = rd(p[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++)
			same &= buf[i] == (char)((got + (size_t)i) * 7 + 3);
		got += (size_t)r;
	}
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, r, 0L);
	KUNIT_EXPECT_TRUE(test, s.ok);
	KUNIT_EXPECT_EQ(test, got, 65536UL);
	KUNIT_EXPECT_TRUE(test, same);
	fput(p[0]);
}

/* ----------------------------------------------------------------- tty */

static int intr_pgrp, intr_sig;

static void record_intr(int pgrp, int sig)
{
	intr_pgrp = pgrp;
	intr_sig = sig;
}

static void type(const char *s)
{
	console_input_push(s, strlen(s));
}

static void tty_line_discipline_edits_lines(struct kunit *test)
{
	static char echo[512];
	struct file *f = tty_open(O_RDWR | O_NONBLOCK);
	tty_intr_fn old;
	struct termios t;
	char buf[64];

	KUNIT_ASSERT_NOT_NULL(test, f);
	old = tty_set_intr_handler(record_intr);
	tty_set_foreground(4242);
	KUNIT_EXPECT_EQ(test, tty_get_foreground(), 4242);

	kunit_capture_start(test, echo, sizeof(echo));
	type("ab\x7f" "c");		/* DEL erases the b */
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), (long)-EAGAIN);
	type("\r");			/* Enter: ICRNL makes it '\n' */
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, echo, "ab\b \bc\n");
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 3L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "ac\n", 3), 0);

	/* ^U kills the line, ^W a word; a read takes one line at a time. */
	type("junk\x15" "one two\x17" "x\nsecond\n");
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 6L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "one x\n", 6), 0);
	KUNIT_EXPECT_EQ(test, rd(f, buf, 3), 3L);	/* a short read... */
	KUNIT_EXPECT_EQ(test, rd(f, buf + 3, sizeof(buf)), 4L);	/* ...goes on */
	KUNIT_EXPECT_EQ(test, memcmp(buf, "second\n", 7), 0);

	/* ^D: the half line without a newline, then on an empty line EOF. */
	type("hi\x04\x04");
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 2L);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 0L);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), (long)-EAGAIN);

	/* ^C: the typed line is dropped and the handler hears SIGINT. */
	type("abc\x03" "d\n");
	KUNIT_EXPECT_EQ(test, intr_pgrp, 4242);
	KUNIT_EXPECT_EQ(test, intr_sig, 2);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 2L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "d\n", 2), 0);

	/* Raw mode: each byte at once, no editing. */
	tty_get_termios(&t);
	t.c_lflag &= ~(ICANON | ECHO);
	tty_set_termios(&t);
	type("q\x7f");
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 2L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "q\x7f", 2), 0);

	/* The prompt takes the terminal back: reads see EOF, settings reset. */
	tty_set_foreground(0);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 0L);
	tty_get_termios(&t);
	KUNIT_EXPECT_NE(test, t.c_lflag & ICANON, 0U);
	tty_set_intr_handler(old);
	fput(f);
}

struct tty_reader {
	struct file *f;
	char buf[32];
	ssize_t ret;
	bool done;
};

static int tty_reader_fn(void *arg)
{
	struct tty_reader *r = arg;

	r->ret = rd(r->f, r->buf, sizeof(r->buf));
	WRITE_ONCE(r->done, true);
	return 0;
}

static void tty_read_sleeps_until_a_line(struct kunit *test)
{
	static struct tty_reader r;
	struct thread *th;

	r = (struct tty_reader){ .f = tty_open(O_RDONLY) };
	KUNIT_ASSERT_NOT_NULL(test, r.f);
	tty_set_foreground(77);
	th = kthread_run(tty_reader_fn, &r, "tty-reader");
	KUNIT_ASSERT_NOT_NULL(test, th);
	sleep_ms(20);
	type("partial");
	sleep_ms(20);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(r.done));	/* no line yet */
	type(" line\n");
	kthread_stop(th);
	KUNIT_EXPECT_EQ(test, r.ret, 13L);
	KUNIT_EXPECT_EQ(test, memcmp(r.buf, "partial line\n", 13), 0);
	tty_set_foreground(0);
	fput(r.f);
}

/* --------------------------------------------------------- path lookup */

static uint8_t arc[4096];

static size_t build_tree_archive(void)
{
	struct cpio_builder b;

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_dir(&b, ".");
	cpio_add_dir(&b, "bin");
	cpio_add_file(&b, "bin/busybox", "BB");
	cpio_add_symlink(&b, "bin/sh", "busybox");
	cpio_add_symlink(&b, "bin/motd", "/etc/motd");
	cpio_add_symlink(&b, "bin/etc", "../etc");
	cpio_add_file(&b, "./etc/motd", "hello\n");	/* etc made on the way */
	cpio_add_symlink(&b, "loop1", "loop2");
	cpio_add_symlink(&b, "loop2", "/loop1");
	cpio_add_symlink(&b, "self", "self");
	cpio_add_trailer(&b);
	return b.overflow ? 0 : b.len;
}

static const char *node_path(const struct initramfs_node *n)
{
	static char buf[128];

	return initramfs_node_path(n, buf, sizeof(buf)) < 0 ? "?" : buf;
}

static void path_lookup_follows_links_and_refuses_loops(struct kunit *test)
{
	size_t len = build_tree_archive();
	const struct initramfs_node *n, *bin;
	struct initramfs fs;
	static char longname[300];
	char err[160];

	KUNIT_ASSERT_GT(test, len, 0UL);
	KUNIT_ASSERT_EQ(test, initramfs_build(&fs, arc, len, err, sizeof(err)), 0);

	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/bin/sh", true, &n), 0);
	KUNIT_EXPECT_STREQ(test, node_path(n), "/bin/busybox");
	KUNIT_EXPECT_EQ(test, n->size, 2UL);
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/bin/sh", false, &n), 0);
	KUNIT_EXPECT_TRUE(test, n->kind == NODE_LNK);
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "bin/motd", true, &n), 0);
	KUNIT_EXPECT_STREQ(test, node_path(n), "/etc/motd");
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "//bin/./etc/../bin/etc/motd",
					     true, &n), 0);
	KUNIT_EXPECT_STREQ(test, node_path(n), "/etc/motd");
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/..", true, &n), 0);
	KUNIT_EXPECT_STREQ(test, node_path(n), "/");
	/* Relative to a cwd. */
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/bin", true, &bin), 0);
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, bin, "sh", true, &n), 0);
	KUNIT_EXPECT_STREQ(test, node_path(n), "/bin/busybox");
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, bin, "../etc/motd", true, &n), 0);
	/* The kernel's own nodes. */
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/dev/null", true, &n), 0);
	KUNIT_EXPECT_TRUE(test, n->kind == NODE_DEV_NULL);
	KUNIT_ASSERT_EQ(test, initramfs_walk(&fs, NULL, "/proc/self/exe", false, &n), 0);
	/* The errors. */
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/nope", true, &n), -ENOENT);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "", true, &n), -ENOENT);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/etc/motd/x", true, &n),
			-ENOTDIR);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/etc/motd/", true, &n),
			-ENOTDIR);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/loop1", true, &n), -ELOOP);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/self/x", false, &n), -ELOOP);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/loop1", false, &n), 0);
	/* /proc/self/exe: a kernel thread runs no program. */
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, "/proc/self/exe", true, &n),
			-ENOENT);
	memset(longname, 'a', 256);
	KUNIT_EXPECT_EQ(test, initramfs_walk(&fs, NULL, longname, true, &n),
			-ENAMETOOLONG);
	initramfs_free(&fs);
}

struct names {
	struct dir_context ctx;
	char list[128];
};

static bool collect(struct dir_context *ctx, const char *name, size_t len,
		    loff_t next, unsigned long ino, unsigned int dtype)
{
	struct names *n = container_of(ctx, struct names, ctx);
	size_t at = strlen(n->list);

	if (at + len + 2 > sizeof(n->list))
		return false;
	memcpy(n->list + at, name, len);
	memcpy(n->list + at + len, " ", 2);
	return true;
}

/* The tree of the test archive as a file system, opened through the VFS
 * from its root (a mount of its own, not in the name space). */
static struct vfsmount tree_mnt;

static struct file *tree_open(struct super_block *sb, const char *path,
			      unsigned int flags)
{
	struct path root = { &tree_mnt, sb->s_root };

	tree_mnt.mnt_sb = sb;
	tree_mnt.mnt_parent = &tree_mnt;
	return file_open_at(&root, path, flags, 0);
}

static void directory_lists_sorted_and_files_read_back(struct kunit *test)
{
	size_t len = build_tree_archive();
	struct super_block *sb;
	struct names names = { .ctx.actor = collect };
	struct file *f;
	char err[160], buf[16];

	sb = initramfs_mount_tree(arc, len, err, sizeof(err));
	KUNIT_ASSERT_NOT_NULL(test, sb);
	f = tree_open(sb, "bin", O_RDONLY);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, f->f_op->iterate(f, &names.ctx, &f->f_pos), 0);
	KUNIT_EXPECT_STREQ(test, names.list, ". .. busybox etc motd sh ");
	fput(f);

	KUNIT_EXPECT_EQ(test, PTR_ERR(tree_open(sb, "etc/motd", O_WRONLY)),
			(long)-EROFS);
	KUNIT_EXPECT_EQ(test, PTR_ERR(tree_open(sb, "etc/new", O_WRONLY | O_CREAT)),
			(long)-EROFS);
	f = tree_open(sb, "bin/motd", O_RDONLY);	/* an absolute symlink */
	KUNIT_EXPECT_EQ(test, PTR_ERR(f), (long)-ENOENT); /* "/" is not this tree */
	f = tree_open(sb, "bin/etc/motd", O_RDONLY);	/* a relative one */
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	KUNIT_EXPECT_EQ(test, rd(f, buf, 4), 4L);
	KUNIT_EXPECT_EQ(test, rd(f, buf + 4, sizeof(buf)), 2L);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 0L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "hell", 4), 0);
	KUNIT_EXPECT_EQ(test, f->f_op->llseek(f, -3, SEEK_END), 3LL);
	KUNIT_EXPECT_EQ(test, rd(f, buf, sizeof(buf)), 3L);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "lo\n", 3), 0);
	fput(f);
	KUNIT_EXPECT_EQ(test, PTR_ERR(tree_open(sb, "bin", O_RDWR)),
			(long)-EISDIR);
	initramfs_kill_sb(sb);
}

/* Build a tree from one bad archive: refused, with `why` in the reason. */
static void expect_tree_refused(struct kunit *test, struct cpio_builder *b,
				const char *why)
{
	struct initramfs fs;
	char err[160] = "";

	cpio_add_trailer(b);
	KUNIT_EXPECT_EQ(test, initramfs_build(&fs, b->buf, b->len, err,
					      sizeof(err)), -EINVAL);
	KUNIT_EXPECT_STR_CONTAINS(test, err, why);
	KUNIT_EXPECT_NULL(test, fs.root);
}

static void bad_trees_are_refused_with_a_reason(struct kunit *test)
{
	struct cpio_builder b;

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "a", "x");
	cpio_add_file(&b, "a", "y");
	expect_tree_refused(test, &b, "'a' is in the archive twice");

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "etc", "x");
	cpio_add_file(&b, "etc/motd", "y");
	expect_tree_refused(test, &b, "'etc' is not a directory");

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add(&b, "dev/sda", 0060600, NULL, 0);
	expect_tree_refused(test, &b, "file type 060000 is not held");

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "dev/null", "");
	expect_tree_refused(test, &b, "/dev/null, which the kernel provides");

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "x/../y", "");
	expect_tree_refused(test, &b, "'..' in a name");

	cpio_builder_init(&b, arc, sizeof(arc));
	cpio_add_file(&b, "ok", "");
	/* Cut inside the trailer: the cpio reader's reason comes through. */
	{
		struct initramfs fs;
		char err[160] = "";

		KUNIT_EXPECT_EQ(test, initramfs_build(&fs, b.buf, b.len + 20,
						      err, sizeof(err)), -EINVAL);
		KUNIT_EXPECT_STR_CONTAINS(test, err, "cpio: offset 0x");
	}
}

/* ------------------------------------------------------ system calls */

/*
 * The system calls driven from a kernel thread (the console's table:
 * the terminal on 0, 1, 2). A kernel address is never a user pointer, so
 * each call that takes one answers -EFAULT for it, before touching it;
 * and the argument checks that need no user memory answer as Linux does.
 * A call this architecture lacks (__NR_none) is skipped.
 */
#define SKIPPED	(-9999L)
#define UIO_MAXIOV_TEST	1024

static long sc(long nr, unsigned long a0, unsigned long a1, unsigned long a2,
	       unsigned long a3)
{
	unsigned long args[6] = { a0, a1, a2, a3, 0, 0 };
	syscall_fn_t fn;

	if (nr == __NR_none)
		return SKIPPED;
	fn = syscall_lookup((unsigned long)nr);
	return fn ? fn(args) : -ENOSYS;
}

#define EXPECT_SC(test, want, nr, ...) do { \
	long __sc_ret = sc(nr, __VA_ARGS__); \
	if (__sc_ret != SKIPPED) \
		KUNIT_EXPECT_EQ(test, __sc_ret, (long)(want)); \
} while (0)

static void syscalls_refuse_kernel_pointers_and_bad_arguments(struct kunit *test)
{
	static char kbuf[256] = "/bin";
	unsigned long k = (unsigned long)kbuf;
	unsigned long at = (unsigned long)(long)AT_FDCWD;

	/* Kernel pointers: -EFAULT, whatever the call. */
	EXPECT_SC(test, -EFAULT, __NR_read, 0, k, 16, 0);
	EXPECT_SC(test, -EFAULT, __NR_write, 1, k, 16, 0);
	EXPECT_SC(test, -EFAULT, __NR_readv, 0, k, 1, 0);
	EXPECT_SC(test, -EFAULT, __NR_writev, 1, k, 1, 0);
	EXPECT_SC(test, -EFAULT, __NR_pipe2, k, 0, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_pipe, k, 0, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_fstat, 1, k, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_newfstatat, at, k, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_statx, at, k, 0, 0x7ff);
	EXPECT_SC(test, -EFAULT, __NR_openat, at, k, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_open, k, 0, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_readlinkat, at, k, 1, 16);
	EXPECT_SC(test, -EFAULT, __NR_faccessat, at, k, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_chdir, k, 0, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_getcwd, k, 256, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_ioctl, 0, TCGETS, k, 0);
	EXPECT_SC(test, -EFAULT, __NR_ioctl, 1, TIOCGWINSZ, k, 0);
	EXPECT_SC(test, -EFAULT, __NR_ppoll, k, 1, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_poll, k, 1, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_mkdirat, at, k, 0755, 0);
	EXPECT_SC(test, -EFAULT, __NR_unlinkat, at, k, 0, 0);
	/* Bad descriptors and arguments. */
	EXPECT_SC(test, -EBADF, __NR_close, (unsigned long)-1, 0, 0, 0);
	EXPECT_SC(test, -EBADF, __NR_close, 5000, 0, 0, 0);
	EXPECT_SC(test, -EBADF, __NR_read, 999, k, 1, 0);
	EXPECT_SC(test, -EBADF, __NR_read, 1, k, 1, 0);	/* fd 1: write only */
	EXPECT_SC(test, -EBADF, __NR_dup2, 0, NR_OPEN_MAX, 0, 0);
	EXPECT_SC(test, -EINVAL, __NR_dup3, 0, 0, 0, 0);	/* same fd */
	EXPECT_SC(test, -EINVAL, __NR_dup3, 0, 9, 1, 0);	/* bad flags */
	EXPECT_SC(test, -EINVAL, __NR_pipe2, k, 1, 0, 0);	/* flags first */
	EXPECT_SC(test, -EINVAL, __NR_fcntl, 0, 9999, 0, 0);
	EXPECT_SC(test, -EINVAL, __NR_fcntl, 0, F_DUPFD, NR_OPEN_MAX, 0);
	EXPECT_SC(test, -ESPIPE, __NR_lseek, 0, 0, SEEK_SET, 0);	/* a tty */
	EXPECT_SC(test, -EINVAL, __NR_lseek, 0, 0, 7, 0);
	EXPECT_SC(test, -ESPIPE, __NR_pread64, 0, k, 1, 0);
	EXPECT_SC(test, -ENOTTY, __NR_ioctl, 0, 0x12345678, 0, 0);
	EXPECT_SC(test, -ENOTDIR, __NR_getdents64, 0, k, 256, 0);
	EXPECT_SC(test, -EINVAL, __NR_readv, 0, k, UIO_MAXIOV_TEST + 1, 0);
	EXPECT_SC(test, -EINVAL, __NR_poll, k, NR_OPEN_MAX + 1, 0, 0);
	EXPECT_SC(test, -EFAULT, __NR_read, 0, k, 0, 0);	/* as Linux: before count */
	/* fcntl on the console's fds: flags, cloexec, dup above a floor. */
	EXPECT_SC(test, O_RDWR, __NR_fcntl, 0, F_GETFL, 0, 0);
	EXPECT_SC(test, 0, __NR_fcntl, 0, F_GETFD, 0, 0);
	{
		long fd = sc(__NR_fcntl, 1, F_DUPFD_CLOEXEC, 100, 0);

		KUNIT_ASSERT_GE(test, fd, 100L);
		EXPECT_SC(test, FD_CLOEXEC, __NR_fcntl, (unsigned long)fd,
			  F_GETFD, 0, 0);
		EXPECT_SC(test, 0, __NR_close, (unsigned long)fd, 0, 0, 0);
	}
	KUNIT_EXPECT_EQ(test, files_count(current_files()), 3U);
}

static struct kunit_case file_cases[] = {
	KUNIT_CASE(fd_table_gives_lowest_free_and_stops_at_the_limit),
	KUNIT_CASE(dup_cloexec_and_fork_copy),
	KUNIT_CASE(console_set_has_the_tty_on_0_1_2),
	KUNIT_CASE(pipe_carries_data_then_eof_and_epipe),
	KUNIT_CASE(pipe_nonblock_says_eagain),
	KUNIT_CASE(pipe_wakes_a_blocked_reader_and_writer),
	KUNIT_CASE(pipe_streams_64k_between_two_threads),
	KUNIT_CASE(tty_line_discipline_edits_lines),
	KUNIT_CASE(tty_read_sleeps_until_a_line),
	KUNIT_CASE(path_lookup_follows_links_and_refuses_loops),
	KUNIT_CASE(directory_lists_sorted_and_files_read_back),
	KUNIT_CASE(bad_trees_are_refused_with_a_reason),
	KUNIT_CASE(syscalls_refuse_kernel_pointers_and_bad_arguments),
	{}
};

static struct kunit_suite file_suite = {
	.name = "file",
	.init = file_test_init,
	.exit = file_test_exit,
	.test_cases = file_cases,
};
kunit_test_suite(file_suite);
