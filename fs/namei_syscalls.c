/*
 * fs/namei_syscalls.c - the system calls that name files: open, stat,
 * access, readlink, getdents64, getcwd/chdir, mkdir, unlink, rmdir,
 * rename, symlink, truncate, chmod/chown, utimensat, statfs. Linux's
 * names, arguments and errnos over the VFS (fs/fs.h).
 *
 * A path is copied from user memory into a PATH_MAX kernel buffer first
 * (a bad pointer is -EFAULT, a long path -ENAMETOOLONG, both before the
 * file system is asked), then resolved from the *at() call's directory:
 * AT_FDCWD is the process's working directory.
 */
#include "fs/fs.h"
#include "kernel/lib/string.h"
#include "kernel/syscall.h"
#include "kernel/uaccess.h"
#include "mm/kmalloc.h"
#include <arch/fcntl.h>
#include <arch/stat.h>

static struct file *fdget(int fd)
{
	return fget(current_files(), fd);
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

/*
 * The directory an *at() call starts from: dfd's (references taken into
 * *base, *have set), or nothing for AT_FDCWD or an absolute path (the
 * VFS starts at the cwd or the root). -EBADF, -ENOTDIR.
 */
static int at_base(int dfd, const char *path, struct path *base, bool *have)
{
	struct file *f;

	*have = false;
	if (path[0] == '/' || dfd == AT_FDCWD)
		return 0;
	f = fdget(dfd);
	if (!f)
		return -EBADF;
	if (!f->f_inode || !S_ISDIR(f->f_inode->i_mode)) {
		fput(f);
		return -ENOTDIR;
	}
	base->mnt = f->f_mnt;
	base->inode = f->f_inode;
	path_get(base);
	*have = true;
	fput(f);
	return 0;
}

/* An *at() call's user path, copied and with its base: free with
 * put_at(). */
struct at_path {
	char *name;
	struct path base;
	bool have_base;
};

static int get_at(int dfd, const char *upath, struct at_path *at)
{
	long len = getname(upath, &at->name);
	int r;

	at->have_base = false;
	if (len < 0)
		return (int)len;
	if (len == 0) {
		kfree(at->name);
		return -ENOENT;
	}
	r = at_base(dfd, at->name, &at->base, &at->have_base);
	if (r < 0)
		kfree(at->name);
	return r;
}

static void put_at(struct at_path *at)
{
	if (at->have_base)
		path_put(&at->base);
	kfree(at->name);
}

static const struct path *at_basep(const struct at_path *at)
{
	return at->have_base ? &at->base : NULL;
}

/*
 * Resolve (dfd, upath) as the stat-like calls do. With AT_EMPTY_PATH and
 * an empty path, dfd itself: its path, or for a file with no inode (a
 * pipe) *filep set and *out empty. 0 or -errno.
 */
static int resolve_at(int dfd, const char *upath, bool follow,
		      unsigned int at_flags, struct path *out,
		      struct file **filep)
{
	struct at_path at;
	char *name;
	long len;
	int r;

	*filep = NULL;
	out->mnt = NULL;
	out->inode = NULL;
	len = getname(upath, &name);
	if (len < 0)
		return (int)len;
	if (len == 0 && (at_flags & AT_EMPTY_PATH)) {
		struct file *f;

		kfree(name);
		if (dfd == AT_FDCWD)
			return kern_path(NULL, ".", LOOKUP_FOLLOW, out, NULL, NULL);
		f = fdget(dfd);
		if (!f)
			return -EBADF;
		if (f->f_inode) {
			out->mnt = f->f_mnt;
			out->inode = f->f_inode;
			path_get(out);
			fput(f);
		} else {
			*filep = f;
		}
		return 0;
	}
	kfree(name);
	r = get_at(dfd, upath, &at);
	if (r < 0)
		return r;
	r = kern_path(at_basep(&at), at.name, follow ? LOOKUP_FOLLOW : 0, out,
		      NULL, NULL);
	put_at(&at);
	return r;
}

/* ------------------------------------------------------------- open */

static long do_openat(int dfd, const char *upath, int flags, int mode)
{
	struct at_path at;
	struct file *f;
	int r = get_at(dfd, upath, &at);

	if (r < 0)
		return r;
	f = file_open_at(at_basep(&at), at.name, (unsigned int)flags &
			 ~O_CLOEXEC, (unsigned int)mode);
	put_at(&at);
	if (IS_ERR(f))
		return PTR_ERR(f);
	r = fd_install(current_files(), f, flags & O_CLOEXEC);
	if (r < 0)
		fput(f);
	return r;
}

SYSCALL_DEFINE4(openat, int, dfd, const char *, path, int, flags, int, mode)
{
	return do_openat(dfd, path, flags, mode);
}

SYSCALL_DEFINE3(open, const char *, path, int, flags, int, mode)
{
	return do_openat(AT_FDCWD, path, flags, mode);
}

SYSCALL_DEFINE2(creat, const char *, path, int, mode)
{
	return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ------------------------------------------------------------- stat */

static long put_stat(const struct kstat *k, struct stat *ust)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	st.st_dev = k->dev;
	st.st_ino = k->ino;
	st.st_nlink = k->nlink;
	st.st_mode = k->mode;
	st.st_uid = k->uid;
	st.st_gid = k->gid;
	st.st_rdev = k->rdev;
	st.st_size = k->size;
	st.st_blksize = k->blksize;
	st.st_blocks = (long)(k->blocks ? k->blocks
					: ((unsigned long long)k->size + 511) / 512);
	st.st_atime_sec = k->atime;
	st.st_mtime_sec = k->mtime;
	st.st_ctime_sec = k->ctime;
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(fstat, int, fd, struct stat *, ust)
{
	struct file *f = fdget(fd);
	struct kstat k;
	long r;

	if (!f)
		return -EBADF;
	file_getattr(f, &k);
	r = put_stat(&k, ust);
	fput(f);
	return r;
}

/* The kstat of (dfd, upath), resolved as the stat calls' flags say
 * (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH): 0, or resolve_at's errno. */
static int stat_at(int dfd, const char *upath, int flags, struct kstat *k)
{
	struct path p;
	struct file *f;
	int r = resolve_at(dfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
			   (unsigned int)flags, &p, &f);

	if (r < 0)
		return r;
	if (f) {
		file_getattr(f, k);
		fput(f);
	} else {
		vfs_getattr(p.inode, k);
		path_put(&p);
	}
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
	sx.stx_blocks = k.blocks ? k.blocks : ((uint64_t)k.size + 511) / 512;
	sx.stx_uid = k.uid;
	sx.stx_gid = k.gid;
	sx.stx_atime.tv_sec = k.atime;
	sx.stx_mtime.tv_sec = k.mtime;
	sx.stx_ctime.tv_sec = k.ctime;
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
	struct path p;
	struct file *f;
	unsigned int m;
	int r;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	r = resolve_at(dfd, upath, !(flags & AT_SYMLINK_NOFOLLOW),
		       (unsigned int)flags, &p, &f);
	if (r < 0)
		return r;
	if (f) {
		fput(f);
		return 0;		/* a pipe through AT_EMPTY_PATH */
	}
	/* Everyone is root: only a read-only file system and the execute
	 * bits say no. */
	m = p.inode->i_mode;
	if ((mode & W_OK) && (S_ISREG(m) || S_ISDIR(m) || S_ISLNK(m)) &&
	    p.inode->i_sb->s_readonly)
		r = -EROFS;
	else if ((mode & X_OK) && !S_ISDIR(m) && !(m & 0111))
		r = -EACCES;
	path_put(&p);
	return r;
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
	struct path p;
	struct file *f;
	char *target;
	int r;

	if (size <= 0)
		return -EINVAL;
	r = resolve_at(dfd, upath, false, 0, &p, &f);
	if (r < 0)
		return r;
	target = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!target) {
		path_put(&p);
		return -ENOMEM;
	}
	r = vfs_readlink(p.inode, target, PATH_MAX);
	if (r >= 0) {
		size_t len = min((size_t)r, (size_t)size);

		r = copy_to_user(ubuf, target, len) ? -EFAULT : (int)len;
	}
	kfree(target);
	path_put(&p);
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
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	struct path cwd;
	long len;

	if (!path)
		return -ENOMEM;
	len = kern_path(NULL, ".", LOOKUP_FOLLOW, &cwd, NULL, NULL);
	if (len == 0) {
		len = vfs_path_name(&cwd, path, PATH_MAX);
		path_put(&cwd);
	}
	if (len >= 0 && (unsigned long)len + 1 > size)
		len = -ERANGE;
	if (len >= 0)
		len = copy_to_user(ubuf, path, (size_t)len + 1) ? -EFAULT
								: len + 1;
	kfree(path);
	return len;
}

SYSCALL_DEFINE1(chdir, const char *, upath)
{
	struct at_path at;
	struct path p;
	int r = get_at(AT_FDCWD, upath, &at);

	if (r < 0)
		return r;
	r = kern_path(NULL, at.name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p,
		      NULL, NULL);
	put_at(&at);
	if (r < 0)
		return r;
	files_set_cwd(current_files(), p.mnt, p.inode);	/* takes p's refs */
	return 0;
}

SYSCALL_DEFINE1(fchdir, int, fd)
{
	struct file *f = fdget(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (!f->f_inode || !S_ISDIR(f->f_inode->i_mode))
		r = -ENOTDIR;
	else
		files_set_cwd(current_files(), mntget(f->f_mnt),
			      ihold(f->f_inode));
	fput(f);
	return r;
}

/* ------------------------------------------------- changing the tree */

static long do_mkdirat(int dfd, const char *upath, int mode)
{
	struct at_path at;
	int r = get_at(dfd, upath, &at);

	if (r < 0)
		return r;
	r = vfs_mkdirat(at_basep(&at), at.name, (unsigned int)mode);
	put_at(&at);
	return r;
}

SYSCALL_DEFINE2(mkdir, const char *, path, int, mode)
{
	return do_mkdirat(AT_FDCWD, path, mode);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char *, path, int, mode)
{
	return do_mkdirat(dfd, path, mode);
}

#define AT_REMOVEDIR	0x200

static long do_unlinkat(int dfd, const char *upath, bool rmdir)
{
	struct at_path at;
	int r = get_at(dfd, upath, &at);

	if (r < 0)
		return r;
	r = vfs_unlinkat(at_basep(&at), at.name, rmdir);
	put_at(&at);
	return r;
}

SYSCALL_DEFINE1(rmdir, const char *, path)
{
	return do_unlinkat(AT_FDCWD, path, true);
}

SYSCALL_DEFINE1(unlink, const char *, path)
{
	return do_unlinkat(AT_FDCWD, path, false);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char *, path, int, flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_unlinkat(dfd, path, flags & AT_REMOVEDIR);
}

static long do_renameat2(int odfd, const char *from, int ndfd,
			 const char *to, unsigned int flags)
{
	struct at_path o, n;
	int r = get_at(odfd, from, &o);

	if (r < 0)
		return r;
	r = get_at(ndfd, to, &n);
	if (r < 0) {
		put_at(&o);
		return r;
	}
	r = vfs_renameat(at_basep(&o), o.name, at_basep(&n), n.name, flags);
	put_at(&n);
	put_at(&o);
	return r;
}

SYSCALL_DEFINE2(rename, const char *, from, const char *, to)
{
	return do_renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char *, from, int, newdfd,
		const char *, to)
{
	return do_renameat2(olddfd, from, newdfd, to, 0);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char *, from, int, newdfd,
		const char *, to, unsigned int, flags)
{
	return do_renameat2(olddfd, from, newdfd, to, flags);
}

static long do_symlinkat(const char *utarget, int dfd, const char *upath)
{
	struct at_path at;
	char *target;
	long len = getname(utarget, &target);
	int r;

	if (len < 0)
		return len;
	r = get_at(dfd, upath, &at);
	if (r == 0) {
		r = vfs_symlinkat(target, at_basep(&at), at.name);
		put_at(&at);
	}
	kfree(target);
	return r;
}

SYSCALL_DEFINE2(symlink, const char *, target, const char *, path)
{
	return do_symlinkat(target, AT_FDCWD, path);
}

SYSCALL_DEFINE3(symlinkat, const char *, target, int, dfd, const char *, path)
{
	return do_symlinkat(target, dfd, path);
}

/* Hard links are not in the VFS's contract: a file system with none
 * answers -EPERM, as Linux does (after checking the names exist). */
static long do_linkat(int odfd, const char *from, int ndfd, const char *to)
{
	struct path p;
	struct file *f;
	int r = resolve_at(odfd, from, false, 0, &p, &f);

	if (r < 0)
		return r;
	path_put(&p);
	return p.inode->i_sb->s_readonly ? -EROFS : -EPERM;
}

SYSCALL_DEFINE2(link, const char *, from, const char *, to)
{
	return do_linkat(AT_FDCWD, from, AT_FDCWD, to);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char *, from, int, newdfd,
		const char *, to, int, flags)
{
	return do_linkat(olddfd, from, newdfd, to);
}

/* ---------------------------------------------------------- attributes */

/* chmod/chown/utimes of an inode: in memory, written with the inode. */
static int setattr(struct inode *inode, int mode, int uid, int gid,
		   bool touch)
{
	if (inode->i_sb->s_readonly)
		return -EROFS;
	mutex_lock(&inode->i_rwsem);
	if (mode >= 0)
		inode->i_mode = (inode->i_mode & S_IFMT) | ((unsigned int)mode & 07777);
	if (uid != -1)
		inode->i_uid = (unsigned int)uid;
	if (gid != -1)
		inode->i_gid = (unsigned int)gid;
	if (touch)
		inode->i_atime = inode->i_mtime = current_time_sec();
	inode->i_ctime = current_time_sec();
	mark_inode_dirty(inode);
	mutex_unlock(&inode->i_rwsem);
	return 0;
}

static long setattr_at(int dfd, const char *upath, bool follow, int mode,
		       int uid, int gid, bool touch)
{
	struct path p;
	struct file *f;
	int r = resolve_at(dfd, upath, follow, 0, &p, &f);

	if (r < 0)
		return r;
	r = setattr(p.inode, mode, uid, gid, touch);
	path_put(&p);
	return r;
}

static long setattr_fd(int fd, int mode, int uid, int gid, bool touch)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->f_inode ? setattr(f->f_inode, mode, uid, gid, touch) : 0;
	fput(f);
	return r;
}

SYSCALL_DEFINE2(chmod, const char *, path, int, mode)
{
	return setattr_at(AT_FDCWD, path, true, mode & 07777, -1, -1, false);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char *, path, int, mode)
{
	return setattr_at(dfd, path, true, mode & 07777, -1, -1, false);
}

SYSCALL_DEFINE2(fchmod, int, fd, int, mode)
{
	return setattr_fd(fd, mode & 07777, -1, -1, false);
}

SYSCALL_DEFINE3(chown, const char *, path, int, uid, int, gid)
{
	return setattr_at(AT_FDCWD, path, true, -1, uid, gid, false);
}

SYSCALL_DEFINE3(lchown, const char *, path, int, uid, int, gid)
{
	return setattr_at(AT_FDCWD, path, false, -1, uid, gid, false);
}

SYSCALL_DEFINE5(fchownat, int, dfd, const char *, path, int, uid, int, gid,
		int, flags)
{
	return setattr_at(dfd, path, !(flags & AT_SYMLINK_NOFOLLOW), -1, uid,
			  gid, false);
}

SYSCALL_DEFINE3(fchown, int, fd, int, uid, int, gid)
{
	return setattr_fd(fd, -1, uid, gid, false);
}

/* The times given are not applied: the file is touched to now (what
 * busybox's touch asks for). */
SYSCALL_DEFINE4(utimensat, int, dfd, const char *, path, const void *, times,
		int, flags)
{
	if (!path)		/* futimens(fd): the fd itself */
		return setattr_fd(dfd, -1, -1, -1, true);
	return setattr_at(dfd, path, !(flags & AT_SYMLINK_NOFOLLOW), -1, -1,
			  -1, true);
}

SYSCALL_DEFINE2(truncate, const char *, upath, long, length)
{
	struct path p;
	struct file *f;
	int r = resolve_at(AT_FDCWD, upath, true, 0, &p, &f);

	if (r < 0)
		return r;
	r = vfs_truncate(p.inode, length);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE2(ftruncate, int, fd, long, length)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	/* Linux: -EINVAL unless a regular file open for writing. */
	if (length < 0 || !file_writable(f) || !f->f_inode ||
	    !S_ISREG(f->f_inode->i_mode))
		r = -EINVAL;
	else
		r = vfs_truncate(f->f_inode, length);
	fput(f);
	return r;
}

/* ------------------------------------------------------------ statfs */

struct statfs_user {			/* Linux's struct statfs, 64-bit */
	long f_type, f_bsize;
	unsigned long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int f_fsid[2];
	long f_namelen, f_frsize, f_flags, f_spare[4];
};

static long put_statfs(struct inode *inode, struct statfs_user *ubuf)
{
	struct kstatfs k;
	struct statfs_user st;
	int r = vfs_statfs(inode, &k);

	if (r < 0)
		return r;
	memset(&st, 0, sizeof(st));
	st.f_type = (long)k.f_type;
	st.f_bsize = (long)k.f_bsize;
	st.f_blocks = k.f_blocks;
	st.f_bfree = k.f_bfree;
	st.f_bavail = k.f_bavail;
	st.f_files = k.f_files;
	st.f_ffree = k.f_ffree;
	st.f_namelen = (long)k.f_namelen;
	st.f_frsize = (long)k.f_bsize;
	st.f_flags = inode->i_sb->s_readonly ? 1 : 0;	/* ST_RDONLY */
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char *, upath, struct statfs_user *, buf)
{
	struct path p;
	struct file *f;
	int r = resolve_at(AT_FDCWD, upath, true, 0, &p, &f);

	if (r < 0)
		return r;
	r = (int)put_statfs(p.inode, buf);
	path_put(&p);
	return r;
}

SYSCALL_DEFINE2(fstatfs, int, fd, struct statfs_user *, buf)
{
	struct file *f = fdget(fd);
	long r;

	if (!f)
		return -EBADF;
	r = f->f_inode ? put_statfs(f->f_inode, buf) : -ENOSYS;
	fput(f);
	return r;
}
