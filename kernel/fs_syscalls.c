/*
 * kernel/fs_syscalls.c - the file system calls, with Linux's names,
 * arguments and errnos, over the file layer (kernel/file.h), the terminal
 * (kernel/tty.h), pipes and the read-only initramfs tree.
 *
 * Every user pointer goes through kernel/uaccess.h: data is copied
 * through a kernel bounce buffer of at most BOUNCE_SIZE bytes at a time,
 * so the file operations only ever see kernel memory. A bad pointer is
 * -EFAULT, never a kernel fault.
 *
 * The tree is read-only: opening a file for writing, O_CREAT of a new
 * name or O_TRUNC answers -EROFS. Not here yet (the VFS of the next
 * issue): mkdir, unlink, rename, chmod and the rest of a writable file
 * system; they answer -ENOSYS as unknown calls do.
 */
#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/initramfs.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/tty.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include <arch/fcntl.h>
#include <arch/stat.h>

#define BOUNCE_SIZE	4096
#define MAX_RW_COUNT	0x7ffff000L	/* Linux's cap on one read/write */
#define UIO_MAXIOV	1024

/* ------------------------------------------------------------ helpers */

static struct file *fdget(int fd)
{
	return fget(current_files(), fd);
}

/*
 * Move up to count bytes between user memory at ubuf and f at *pos
 * through a kernel bounce buffer, BOUNCE_SIZE bytes at a time: from f to
 * the user for a read, from the user to f for a write. Returns the bytes
 * moved, or an errno when none were: -EBADF (f not open for that
 * direction), -EISDIR (a read of a directory), -EINVAL (f cannot do it),
 * -EFAULT (ubuf not all user memory, or a copy that faulted), -ENOMEM, or
 * the file's own error. Stops at the first short chunk; a read of a pipe
 * or the terminal (no tree node) also stops after its first chunk, as
 * they return what they have while a file of the tree fills the request.
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
		if ((size_t)r < chunk || (!write && !f->f_node))
			break;
	}
	kfree(bounce);
	return done;
}

/* A path from user memory into a new PATH_MAX buffer (kfree it):
 * -EFAULT, -ENAMETOOLONG, -ENOMEM. */
static long getname(const char *upath, char **out)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!buf)
		return -ENOMEM;
	len = strncpy_from_user(buf, upath, PATH_MAX);
	if (len < 0 || len >= PATH_MAX) {
		kfree(buf);
		return len < 0 ? -EFAULT : -ENAMETOOLONG;
	}
	*out = buf;
	return len;
}

/* The current directory: NULL only when there is no tree at all. */
static const struct initramfs_node *cwd_node(void)
{
	const struct initramfs *fs = initramfs_root();

	if (current_files()->cwd)
		return current_files()->cwd;
	return fs ? fs->root : NULL;
}

/*
 * Resolve (dfd, upath) as the *at() calls do. With AT_EMPTY_PATH and an
 * empty path, the node of dfd itself (*filep set to its file, to fput):
 * for fstatat of a pipe there is no node, so *out is NULL then.
 */
static int resolve_at(int dfd, const char *upath, bool follow,
		      unsigned int at_flags, const struct initramfs_node **out,
		      struct file **filep)
{
	const struct initramfs_node *base = cwd_node();
	struct file *df = NULL;
	char *path;
	long len = getname(upath, &path);
	int r;

	*filep = NULL;
	if (len < 0)
		return (int)len;
	if (len == 0 && (at_flags & AT_EMPTY_PATH)) {
		kfree(path);
		if (dfd == AT_FDCWD) {
			*out = base;
			return base ? 0 : -ENOENT;
		}
		df = fdget(dfd);
		if (!df)
			return -EBADF;
		*filep = df;
		*out = df->f_node;
		return 0;
	}
	if (path[0] != '/' && dfd != AT_FDCWD) {
		df = fdget(dfd);
		if (!df) {
			kfree(path);
			return -EBADF;
		}
		if (!df->f_node || !S_ISDIR(df->f_node->mode)) {
			fput(df);
			kfree(path);
			return -ENOTDIR;
		}
		base = df->f_node;
	}
	r = initramfs_walk(initramfs_root(), base, path, follow, out);
	if (df)
		fput(df);
	kfree(path);
	return r;
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

/* ------------------------------------------------------- descriptors */

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(current_files(), fd);
}

SYSCALL_DEFINE1(dup, int, oldfd)
{
	struct file *f = fdget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(current_files(), f, false);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	if (oldfd == newfd) {
		struct file *f = fdget(oldfd);

		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return fd_dup_to(current_files(), oldfd, newfd, false);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_dup_to(current_files(), oldfd, newfd, flags & O_CLOEXEC);
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct files_struct *files = current_files();
	struct file *f = fget(files, fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_MAX) {
			r = -EINVAL;
			break;
		}
		r = fd_install_from(files, get_file(f), (int)arg,
				    cmd == F_DUPFD_CLOEXEC);
		if (r < 0)
			fput(f);
		break;
	case F_GETFD:
		r = fd_get_cloexec(files, fd) == 1 ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(files, fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->f_flags;
		break;
	case F_SETFL: {
		unsigned int changeable = O_APPEND | O_NONBLOCK;

		f->f_flags = (f->f_flags & ~changeable) |
			     ((unsigned int)arg & changeable);
		r = 0;
		break;
	}
	default:
		r = -EINVAL;
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fdget(fd);
	long r;
	int on;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		r = fd_set_cloexec(current_files(), fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		if (copy_from_user(&on, (void *)arg, sizeof(on))) {
			r = -EFAULT;
			break;
		}
		f->f_flags = on ? f->f_flags | O_NONBLOCK
				: f->f_flags & ~O_NONBLOCK;
		r = 0;
		break;
	default:
		r = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return r;
}

static long do_pipe2(int *ufds, int flags)
{
	struct files_struct *files = current_files();
	struct file *ends[2];
	int fds[2], r;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!access_ok(ufds, sizeof(fds)))
		return -EFAULT;
	r = pipe_create(ends, (unsigned int)flags);
	if (r < 0)
		return r;
	fds[0] = fd_install(files, ends[0], flags & O_CLOEXEC);
	if (fds[0] < 0) {
		fput(ends[0]);
		fput(ends[1]);
		return fds[0];
	}
	fds[1] = fd_install(files, ends[1], flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(files, fds[0]);
		fput(ends[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(files, fds[0]);
		fd_close(files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(pipe2, int *, fds, int, flags)
{
	return do_pipe2(fds, flags);
}

SYSCALL_DEFINE1(pipe, int *, fds)
{
	return do_pipe2(fds, 0);
}

/* ------------------------------------------------------------- open */

static long do_openat(int dfd, const char *upath, int flags)
{
	const struct initramfs_node *n;
	struct file *f, *df;
	bool follow = !(flags & O_NOFOLLOW);
	int r, err;

	if ((flags & O_ACCMODE) == 3)
		return -EINVAL;
	r = resolve_at(dfd, upath, follow, 0, &n, &df);
	if (r == -ENOENT && (flags & O_CREAT))
		return -EROFS;		/* would create a name: read-only */
	if (r < 0)
		return r;
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return -EEXIST;
	if ((flags & O_DIRECTORY) && !S_ISDIR(n->mode))
		return -ENOTDIR;
	if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY &&
	    S_ISREG(n->mode))
		return -EROFS;
	f = initramfs_open(n, (unsigned int)flags &
			   ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC),
			   &err);
	if (!f)
		return err;
	r = fd_install(current_files(), f, flags & O_CLOEXEC);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE4(openat, int, dfd, const char *, path, int, flags, int, mode)
{
	return do_openat(dfd, path, flags);
}

SYSCALL_DEFINE3(open, const char *, path, int, flags, int, mode)
{
	return do_openat(AT_FDCWD, path, flags);
}

/* ------------------------------------------------------------- stat */

static void kstat_of(const struct initramfs_node *n, struct file *f,
		     struct kstat *st)
{
	if (n)
		initramfs_node_stat(n, st);
	else
		file_getattr(f, st);
}

static long put_stat(const struct kstat *k, struct stat *ust)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = k->dev;
	st.st_ino = k->ino;
	st.st_nlink = k->nlink;
	st.st_mode = k->mode;
	st.st_rdev = k->rdev;
	st.st_size = k->size;
	st.st_blksize = k->blksize;
	st.st_blocks = (k->size + 511) / 512;
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(fstat, int, fd, struct stat *, ust)
{
	struct file *f = fdget(fd);
	struct kstat k;
	long r;

	if (!f)
		return -EBADF;
	kstat_of(f->f_node, f, &k);
	r = put_stat(&k, ust);
	fput(f);
	return r;
}

/* The kstat of (dfd, upath), resolved as the stat calls' flags say
 * (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH): 0, or resolve_at's errno. */
static int stat_at(int dfd, const char *upath, int flags, struct kstat *k)
{
	const struct initramfs_node *n;
	struct file *f;
	int r = resolve_at(dfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
			   (unsigned int)flags, &n, &f);

	if (r < 0)
		return r;
	kstat_of(n, f, k);
	if (f)
		fput(f);
	return 0;
}

static long do_fstatat(int dfd, const char *upath, struct stat *ust,
		       int flags)
{
	struct kstat k;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	r = stat_at(dfd, upath, flags, &k);
	if (r < 0)
		return r;
	return put_stat(&k, ust);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char *, path, struct stat *, st,
		int, flags)
{
	return do_fstatat(dfd, path, st, flags);
}

SYSCALL_DEFINE2(stat, const char *, path, struct stat *, st)
{
	return do_fstatat(AT_FDCWD, path, st, 0);
}

SYSCALL_DEFINE2(lstat, const char *, path, struct stat *, st)
{
	return do_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

struct statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t __reserved;
};

struct statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, __spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t __spare2[14];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is 256 bytes");

#define STATX_BASIC_STATS	0x7ffU
#define AT_STATX_SYNC_TYPE	0x6000

SYSCALL_DEFINE5(statx, int, dfd, const char *, path, int, flags,
		unsigned int, mask, struct statx *, ubuf)
{
	struct kstat k;
	struct statx sx;
	int r;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if (mask & 0x80000000U)		/* STATX__RESERVED */
		return -EINVAL;
	r = stat_at(dfd, path, flags, &k);
	if (r < 0)
		return r;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = k.blksize;
	sx.stx_nlink = k.nlink;
	sx.stx_mode = (uint16_t)k.mode;
	sx.stx_ino = k.ino;
	sx.stx_size = (uint64_t)k.size;
	sx.stx_blocks = ((uint64_t)k.size + 511) / 512;
	sx.stx_rdev_major = (uint32_t)(k.rdev >> 8);
	sx.stx_rdev_minor = (uint32_t)(k.rdev & 0xff);
	sx.stx_dev_minor = (uint32_t)k.dev;
	return copy_to_user(ubuf, &sx, sizeof(sx)) ? -EFAULT : 0;
}

#define F_OK	0
#define X_OK	1
#define W_OK	2
#define R_OK	4

static long do_faccessat(int dfd, const char *upath, int mode, int flags)
{
	const struct initramfs_node *n;
	struct file *f;
	int r;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = resolve_at(dfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
		       (unsigned int)flags, &n, &f);
	if (r < 0)
		return r;
	if (f)
		fput(f);
	if (!n)
		return 0;		/* a pipe through AT_EMPTY_PATH */
	/* Everyone is root: only the tree's read-only-ness and the execute
	 * bits say no. */
	if ((mode & W_OK) && (S_ISREG(n->mode) || S_ISDIR(n->mode) ||
			      S_ISLNK(n->mode)))
		return -EROFS;
	if ((mode & X_OK) && !S_ISDIR(n->mode) && !(n->mode & 0111))
		return -EACCES;
	return 0;
}

SYSCALL_DEFINE2(access, const char *, path, int, mode)
{
	return do_faccessat(AT_FDCWD, path, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char *, path, int, mode)
{
	return do_faccessat(dfd, path, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char *, path, int, mode,
		int, flags)
{
	return do_faccessat(dfd, path, mode, flags);
}

static long do_readlinkat(int dfd, const char *upath, char *ubuf, int size)
{
	const struct initramfs_node *n;
	struct file *f;
	char *target;
	int r;

	if (size <= 0)
		return -EINVAL;
	r = resolve_at(dfd, upath, false, 0, &n, &f);
	if (r < 0)
		return r;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target)
		return -ENOMEM;
	r = initramfs_readlink(n, target, PATH_MAX);
	if (r == 0) {
		size_t len = min(strlen(target), (size_t)size);

		r = copy_to_user(ubuf, target, len) ? -EFAULT : (int)len;
	}
	kfree(target);
	return r;
}

SYSCALL_DEFINE3(readlink, const char *, path, char *, buf, int, size)
{
	return do_readlinkat(AT_FDCWD, path, buf, size);
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char *, path, char *, buf,
		int, size)
{
	return do_readlinkat(dfd, path, buf, size);
}

/* ---------------------------------------------------------- directories */

struct getdents_ctx {
	struct dir_context ctx;
	char *buf;
	size_t size, used;
	bool too_small;
};

struct linux_dirent64_head {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
} __packed;

static bool filldir(struct dir_context *ctx, const char *name, size_t len,
		    loff_t next_pos, unsigned long ino, unsigned int type)
{
	struct getdents_ctx *g = container_of(ctx, struct getdents_ctx, ctx);
	size_t reclen = ALIGN_UP(sizeof(struct linux_dirent64_head) + len + 1,
				 (size_t)8);
	struct linux_dirent64_head h = {
		.d_ino = ino, .d_off = next_pos, .d_reclen = (uint16_t)reclen,
		.d_type = (uint8_t)type,
	};

	if (g->used + reclen > g->size) {
		g->too_small = !g->used;
		return false;
	}
	memset(g->buf + g->used, 0, reclen);
	memcpy(g->buf + g->used, &h, sizeof(h));
	memcpy(g->buf + g->used + sizeof(h), name, len);
	g->used += reclen;
	return true;
}

SYSCALL_DEFINE3(getdents64, int, fd, void *, dirp, unsigned int, count)
{
	struct file *f = fdget(fd);
	struct getdents_ctx g = { .ctx.actor = filldir };
	long r;

	if (!f)
		return -EBADF;
	if (!f->f_op->iterate) {
		fput(f);
		return -ENOTDIR;
	}
	g.size = min((size_t)count, (size_t)65536);
	if (!access_ok(dirp, g.size)) {
		fput(f);
		return -EFAULT;
	}
	g.buf = kmalloc(g.size ? g.size : 1, GFP_KERNEL);
	if (!g.buf) {
		fput(f);
		return -ENOMEM;
	}
	r = f->f_op->iterate(f, &g.ctx, &f->f_pos);
	if (r == 0 && g.too_small)
		r = -EINVAL;
	else if (r == 0)
		r = copy_to_user(dirp, g.buf, g.used) ? -EFAULT : (long)g.used;
	kfree(g.buf);
	fput(f);
	return r;
}

SYSCALL_DEFINE2(getcwd, char *, ubuf, unsigned long, size)
{
	const struct initramfs_node *cwd = cwd_node();
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!path)
		return -ENOMEM;
	if (cwd)
		len = initramfs_node_path(cwd, path, PATH_MAX);
	else
		len = 1, memcpy(path, "/", 2);
	if (len >= 0 && (unsigned long)len + 1 > size)
		len = -ERANGE;
	if (len >= 0)
		len = copy_to_user(ubuf, path, (size_t)len + 1) ? -EFAULT
								: len + 1;
	kfree(path);
	return len;
}

SYSCALL_DEFINE1(chdir, const char *, path)
{
	const struct initramfs_node *n;
	struct file *f;
	int r = resolve_at(AT_FDCWD, path, true, 0, &n, &f);

	if (r < 0)
		return r;
	if (!S_ISDIR(n->mode))
		return -ENOTDIR;
	current_files()->cwd = n;
	return 0;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fdget(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->f_node || !S_ISDIR(f->f_node->mode))
		r = -ENOTDIR;
	else
		current_files()->cwd = f->f_node;
	fput(f);
	return r;
}

/* ------------------------------------------------------------- poll */

struct pollfd {
	int fd;
	short events, revents;
};

struct kernel_timespec {
	long tv_sec, tv_nsec;
};

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);

void poll_wake_all(void)
{
	wake_up(&poll_wq);
}

/* Fill each revents; the number of entries with any. */
static int poll_once(struct pollfd *fds, unsigned int nfds)
{
	int ready = 0;

	for (unsigned int i = 0; i < nfds; i++) {
		struct file *f;
		unsigned int mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fdget(fds[i].fd);
		if (!f) {
			mask = POLLNVAL;
		} else {
			mask = f->f_op->poll ? f->f_op->poll(f)
					     : POLLIN | POLLOUT | POLLRDNORM |
					       POLLWRNORM;
			fput(f);
		}
		mask &= (unsigned int)(uint16_t)fds[i].events | POLLERR |
			POLLHUP | POLLNVAL;
		fds[i].revents = (short)mask;
		ready += mask != 0;
	}
	return ready;
}

/*
 * poll and ppoll: one wait queue for every poller (poll_wake_all), woken
 * whenever a pipe or the terminal changes; each wake-up checks every fd
 * again. Simple, and enough for a shell and its pipes. timeout_ms < 0:
 * no limit.
 */
static long do_poll(struct pollfd *ufds, unsigned int nfds, long timeout_ms)
{
	struct pollfd *fds;
	long ticks = timeout_ms < 0 ? -1 : (long)msecs_to_jiffies(
			(unsigned int)min(timeout_ms, 0x7fffffffL)) + 1;
	long r;

	if (nfds > NR_OPEN_MAX)
		return -EINVAL;
	fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, sizeof(*fds) * nfds)) {
		kfree(fds);
		return -EFAULT;
	}
	for (;;) {
		struct wait_queue_entry we = { 0 };

		prepare_to_wait(&poll_wq, &we);
		r = poll_once(fds, nfds);
		if (r || timeout_ms == 0 || ticks == 0) {
			finish_wait(&poll_wq, &we);
			break;
		}
		if (file_interrupted()) {
			finish_wait(&poll_wq, &we);
			r = -EINTR;
			break;
		}
		if (ticks < 0)
			schedule();
		else
			ticks = schedule_timeout(ticks);
		finish_wait(&poll_wq, &we);
	}
	if (r >= 0 && copy_to_user(ufds, fds, sizeof(*fds) * nfds))
		r = -EFAULT;
	kfree(fds);
	return r;
}

SYSCALL_DEFINE3(poll, struct pollfd *, fds, unsigned int, nfds,
		int, timeout_ms)
{
	return do_poll(fds, nfds, timeout_ms < 0 ? -1 : timeout_ms);
}

/* The signal mask argument is not applied: nothing here blocks signals
 * during the wait yet (the signal layer may add it). */
SYSCALL_DEFINE5(ppoll, struct pollfd *, fds, unsigned int, nfds,
		const struct kernel_timespec *, uts, const void *, sigmask,
		size_t, sigsetsize)
{
	struct kernel_timespec ts;
	long ms = -1;

	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		ms = ts.tv_sec > 0x7fffffffL / 1000 ? 0x7fffffffL :
		     ts.tv_sec * 1000 + (ts.tv_nsec + 999999) / 1000000;
	}
	return do_poll(fds, nfds, ms);
}

/* ------------------------------------------------ a read-only tree says so */

/*
 * The calls that would change the tree. The path is still copied first
 * (a bad pointer is -EFAULT, a long path -ENAMETOOLONG, as Linux checks
 * them before the file system is asked); then -EROFS. The VFS of the next
 * issue gives them a writable file system.
 */
static long read_only_path(const char *upath)
{
	char *path;
	long len = getname(upath, &path);

	if (len < 0)
		return len;
	kfree(path);
	return len ? -EROFS : -ENOENT;
}

static long read_only_paths(const char *a, const char *b)
{
	long r = read_only_path(a);

	return r == -EROFS ? read_only_path(b) : r;
}

SYSCALL_DEFINE2(mkdir, const char *, path, int, mode)
{
	return read_only_path(path);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char *, path, int, mode)
{
	return read_only_path(path);
}

SYSCALL_DEFINE1(rmdir, const char *, path)
{
	return read_only_path(path);
}

SYSCALL_DEFINE1(unlink, const char *, path)
{
	return read_only_path(path);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char *, path, int, flags)
{
	return read_only_path(path);
}

SYSCALL_DEFINE2(rename, const char *, from, const char *, to)
{
	return read_only_paths(from, to);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char *, from, int, newdfd,
		const char *, to)
{
	return read_only_paths(from, to);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char *, from, int, newdfd,
		const char *, to, unsigned int, flags)
{
	return read_only_paths(from, to);
}

SYSCALL_DEFINE2(symlink, const char *, target, const char *, path)
{
	return read_only_paths(target, path);
}

SYSCALL_DEFINE3(symlinkat, const char *, target, int, dfd, const char *, path)
{
	return read_only_paths(target, path);
}

SYSCALL_DEFINE2(link, const char *, from, const char *, to)
{
	return read_only_paths(from, to);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char *, from, int, newdfd,
		const char *, to, int, flags)
{
	return read_only_paths(from, to);
}

SYSCALL_DEFINE2(chmod, const char *, path, int, mode)
{
	return read_only_path(path);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char *, path, int, mode)
{
	return read_only_path(path);
}

SYSCALL_DEFINE3(chown, const char *, path, int, uid, int, gid)
{
	return read_only_path(path);
}

SYSCALL_DEFINE3(lchown, const char *, path, int, uid, int, gid)
{
	return read_only_path(path);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char *, path, int, uid, int, gid,
		int, flags)
{
	return read_only_path(path);
}

SYSCALL_DEFINE2(truncate, const char *, path, long, length)
{
	return read_only_path(path);
}

/* An fd that is open: -EROFS for what changes it (nothing here is
 * writable), 0 for a flush (nothing is ever dirty). */
static long fd_check(int fd, long ok)
{
	struct file *f = fdget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return ok;
}

SYSCALL_DEFINE2(fchmod, int, fd, int, mode)
{
	return fd_check(fd, -EROFS);
}

SYSCALL_DEFINE3(fchown, int, fd, int, uid, int, gid)
{
	return fd_check(fd, -EROFS);
}

SYSCALL_DEFINE2(ftruncate, int, fd, long, length)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	/* Linux: -EINVAL unless a regular file open for writing. */
	r = file_writable(f) && f->f_node && S_ISREG(f->f_node->mode) ?
		-EROFS : -EINVAL;
	fput(f);
	return length < 0 ? -EINVAL : r;
}

SYSCALL_DEFINE4(utimensat, int, dfd, const char *, path, const void *, times,
		int, flags)
{
	if (!path)		/* futimens(fd): the fd itself */
		return fd_check(dfd, -EROFS);
	return read_only_path(path);
}

SYSCALL_DEFINE1(fsync, int, fd)
{
	return fd_check(fd, 0);
}

SYSCALL_DEFINE1(fdatasync, int, fd)
{
	return fd_check(fd, 0);
}
