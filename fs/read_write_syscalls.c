/*
 * fs/read_write_syscalls.c - the system calls that move bytes: read,
 * write, pread64, pwrite64, readv, writev, lseek, sendfile; and those
 * that write back: fsync, fdatasync, sync, syncfs. Linux's names,
 * arguments and errnos.
 *
 * Every user pointer goes through kernel/uaccess.h. A file with
 * ->read_iter (a regular file in the page cache) is read straight into
 * the user's buffer (kernel/iov_iter.h); everything else is copied
 * through a kernel bounce buffer of at most BOUNCE_SIZE bytes at a time,
 * so those file operations only ever see kernel memory. A bad pointer is
 * -EFAULT, never a kernel fault.
 */
#include "fs/fs.h"
#include "kernel/lib/string.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/kmalloc.h"

#define BOUNCE_SIZE	4096
#define MAX_RW_COUNT	0x7ffff000L	/* Linux's cap on one read/write */
#define UIO_MAXIOV	1024

static struct file *fdget(int fd)
{
	return fget(current_files(), fd);
}

static bool is_reg_file(const struct file *f)
{
	return f->f_inode && S_ISREG(f->f_inode->i_mode);
}

/* Whether a read fills the whole request, chunk after chunk: a regular
 * file, and a file that never waits (no poll: always ready, as /dev/zero
 * and /dev/null; Linux's /dev/zero fills a 64 KiB read too). A pipe or
 * the terminal returns what it has, or the next chunk could block. */
static bool read_fills(const struct file *f)
{
	return is_reg_file(f) || !f->f_op->poll;
}

/*
 * Move up to count bytes between user memory at ubuf and f at *pos: a
 * read of a file with ->read_iter in one call straight to ubuf; otherwise
 * through a kernel bounce buffer, BOUNCE_SIZE bytes at a time: from f to
 * the user for a read, from the user to f for a write. Returns the bytes
 * moved, or an errno when none were: -EBADF (f not open for that
 * direction), -EISDIR (a read of a directory), -EINVAL (f cannot do it),
 * -EFAULT (ubuf not all user memory, or a copy that faulted), -ENOMEM, or
 * the file's own error. Stops at the first short chunk; a read of a pipe
 * or the terminal also stops after its first chunk, as they return what
 * they have while a regular file or /dev/zero fills the request.
 */
static ssize_t do_rw(struct file *f, char *ubuf, size_t count, loff_t *pos,
		     bool write)
{
	ssize_t done = 0;
	char *bounce;

	if (write ? !file_writable(f) : !file_readable(f))
		return -EBADF;
	if (write ? !f->f_op->write : !f->f_op->read)
		return !write && f->f_op->iterate ? -EISDIR : -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	if (!access_ok(ubuf, count))
		return -EFAULT;
	if (!count)
		return 0;
	if (!write && f->f_op->read_iter) {
		struct iov_iter to;	/* straight into the user's buffer */

		iov_iter_ubuf(&to, ubuf, count);
		return f->f_op->read_iter(f, &to, pos);
	}
	bounce = kmalloc(min(count, (size_t)BOUNCE_SIZE), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	while ((size_t)done < count) {
		size_t chunk = min(count - (size_t)done, (size_t)BOUNCE_SIZE);
		ssize_t r;

		if (write) {
			r = copy_from_user(bounce, ubuf + done, chunk)
				? -EFAULT : f->f_op->write(f, bounce, chunk, pos);
		} else {
			r = f->f_op->read(f, bounce, chunk, pos);
			if (r > 0 && copy_to_user(ubuf + done, bounce, (size_t)r))
				r = -EFAULT;
		}
		if (r < 0) {
			if (!done)
				done = r;
			break;
		}
		done += r;
		if ((size_t)r < chunk || (!write && !read_fills(f)))
			break;
		/* Killed (say, while a throttled writer paused): no more
		 * chunks; the process dies on its way back to user mode. */
		if (fatal_signal_pending(current))
			break;
	}
	kfree(bounce);
	return done;
}

/* ------------------------------------------------------ read and write */

SYSCALL_DEFINE3(read, int, fd, char *, buf, size_t, count)
{
	struct file *f = fdget(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	r = do_rw(f, buf, count, &f->f_pos, false);
	fput(f);
	return r;
}

SYSCALL_DEFINE3(write, int, fd, const char *, buf, size_t, count)
{
	struct file *f = fdget(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	r = do_rw(f, (char *)buf, count, &f->f_pos, true);
	fput(f);
	return r;
}

static long do_pio(int fd, char *buf, size_t count, loff_t pos, bool write)
{
	struct file *f = fdget(fd);
	ssize_t r;

	if (!f)
		return -EBADF;
	if (pos < 0)
		r = -EINVAL;
	else if (!f->f_op->llseek)
		r = -ESPIPE;		/* a pipe or the terminal */
	else
		r = do_rw(f, buf, count, &pos, write);
	fput(f);
	return r;
}

SYSCALL_DEFINE4(pread64, int, fd, char *, buf, size_t, count, loff_t, pos)
{
	return do_pio(fd, buf, count, pos, false);
}

SYSCALL_DEFINE4(pwrite64, int, fd, const char *, buf, size_t, count,
		loff_t, pos)
{
	return do_pio(fd, (char *)buf, count, pos, true);
}

struct iovec {
	void *iov_base;
	size_t iov_len;
};

static long do_iov(int fd, const struct iovec *uiov, int iovcnt, bool write)
{
	struct file *f;
	struct iovec *iov;
	ssize_t done = 0;

	if (iovcnt < 0 || iovcnt > UIO_MAXIOV)
		return -EINVAL;
	f = fdget(fd);
	if (!f)
		return -EBADF;
	iov = kmalloc(sizeof(*iov) * (size_t)(iovcnt ? iovcnt : 1), GFP_KERNEL);
	if (!iov) {
		fput(f);
		return -ENOMEM;
	}
	if (copy_from_user(iov, uiov, sizeof(*iov) * (size_t)iovcnt)) {
		done = -EFAULT;
		goto out;
	}
	for (int i = 0; i < iovcnt; i++) {
		if (iov[i].iov_len > MAX_RW_COUNT) {
			done = -EINVAL;
			goto out;
		}
	}
	for (int i = 0; i < iovcnt; i++) {
		ssize_t r;

		if (!iov[i].iov_len)
			continue;
		r = do_rw(f, iov[i].iov_base, iov[i].iov_len, &f->f_pos,
			  write);
		if (r < 0) {
			if (!done)
				done = r;
			break;
		}
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
out:
	kfree(iov);
	fput(f);
	return done;
}

SYSCALL_DEFINE3(readv, int, fd, const struct iovec *, iov, int, iovcnt)
{
	return do_iov(fd, iov, iovcnt, false);
}

SYSCALL_DEFINE3(writev, int, fd, const struct iovec *, iov, int, iovcnt)
{
	return do_iov(fd, iov, iovcnt, true);
}

SYSCALL_DEFINE3(lseek, int, fd, loff_t, offset, unsigned int, whence)
{
	struct file *f = fdget(fd);
	loff_t r;

	if (!f)
		return -EBADF;
	if (whence > SEEK_END)
		r = -EINVAL;
	else if (!f->f_op->llseek)
		r = -ESPIPE;
	else
		r = f->f_op->llseek(f, offset, (int)whence);
	fput(f);
	return r;
}

SYSCALL_DEFINE4(sendfile, int, out_fd, int, in_fd, loff_t *, uoffset,
		size_t, count)
{
	struct file *in = fdget(in_fd), *out = fdget(out_fd);
	loff_t off, *pos;
	ssize_t done = 0;
	char *bounce = NULL;

	if (!in || !out) {
		done = -EBADF;
		goto out;
	}
	if (!file_readable(in) || !file_writable(out)) {
		done = -EBADF;
		goto out;
	}
	if (!in->f_op->read || !out->f_op->write) {
		done = -EINVAL;
		goto out;
	}
	pos = &in->f_pos;
	if (uoffset) {
		if (copy_from_user(&off, uoffset, sizeof(off))) {
			done = -EFAULT;
			goto out;
		}
		if (off < 0) {
			done = -EINVAL;
			goto out;
		}
		pos = &off;
	}
	count = min(count, (size_t)MAX_RW_COUNT);
	bounce = kmalloc(BOUNCE_SIZE, GFP_KERNEL);
	if (!bounce) {
		done = -ENOMEM;
		goto out;
	}
	while ((size_t)done < count) {
		size_t chunk = min(count - (size_t)done, (size_t)BOUNCE_SIZE);
		ssize_t r = in->f_op->read(in, bounce, chunk, pos), w;

		if (r <= 0) {
			if (!done)
				done = r;
			break;
		}
		w = out->f_op->write(out, bounce, (size_t)r, &out->f_pos);
		if (w < 0) {
			if (!done)
				done = w;
			break;
		}
		done += w;
		if (w < r || (size_t)r < chunk)
			break;
	}
	if (uoffset && done >= 0 &&
	    copy_to_user(uoffset, &off, sizeof(off)))
		done = -EFAULT;
out:
	kfree(bounce);
	if (in)
		fput(in);
	if (out)
		fput(out);
	return done;
}

/* ---------------------------------------------------------- write-back */

static long do_fsync(int fd, int datasync)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->f_op->fsync ? f->f_op->fsync(f, 0, (loff_t)(~0ULL >> 1),
					    datasync) : -EINVAL;
	fput(f);
	return r;
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return do_fsync(fd, 0);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return do_fsync(fd, 1);
}

/* sync(2) reports nothing, as Linux: the errors stay recorded for each
 * open file's fsync and syncfs. */
SYSCALL_DEFINE0(sync)
{
	sync_filesystems(true);
	return 0;
}

SYSCALL_DEFINE1(syncfs, int, fd)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = vfs_syncfs(f);
	fput(f);
	return r;
}
