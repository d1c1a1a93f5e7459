/*
 * fs/open.c - opening files (fs/fs.h): file_open_at with open()'s flags,
 * vfs_open, stat, truncate, kernel_read_file; character devices by
 * number.
 */
#include "fs/internal.h"
#include "kernel/lib/string.h"
#include "mm/kmalloc.h"
#include "mm/vmalloc.h"
#include <arch/fcntl.h>

/* -------------------------------------------------- character devices */

#define MAX_CHRDEV	16

static struct {
	unsigned long rdev;
	chrdev_open_t open;
} chrdevs[MAX_CHRDEV];

int register_chrdev_open(unsigned long rdev, chrdev_open_t open)
{
	for (int i = 0; i < MAX_CHRDEV; i++) {
		if (chrdevs[i].open && chrdevs[i].rdev == rdev)
			return -EBUSY;
	}
	for (int i = 0; i < MAX_CHRDEV; i++) {
		if (!chrdevs[i].open) {
			chrdevs[i].rdev = rdev;
			chrdevs[i].open = open;
			return 0;
		}
	}
	return -ENOSPC;
}

struct file *chrdev_open(unsigned long rdev, unsigned int f_flags)
{
	for (int i = 0; i < MAX_CHRDEV; i++) {
		if (chrdevs[i].open && chrdevs[i].rdev == rdev) {
			struct file *f = chrdevs[i].open(f_flags);

			return f ? f : ERR_PTR(-ENOMEM);
		}
	}
	return ERR_PTR(-ENXIO);
}

/* ------------------------------------------------------------- open */

/* O_PATH files: they can be stat'ed, be a *at() base, and closed. */
static const struct file_operations path_fops;

struct file *vfs_open(const struct path *path, unsigned int flags)
{
	struct inode *inode = path->inode;
	bool write = (flags & O_ACCMODE) != O_RDONLY && !(flags & O_PATH);
	struct file *f;

	if (flags & O_PATH) {
		f = file_alloc(&path_fops, flags, NULL);
	} else if (S_ISLNK(inode->i_mode)) {
		return ERR_PTR(-ELOOP);
	} else if ((inode->i_mode & S_IFMT) == S_IFCHR) {
		f = chrdev_open(inode->i_rdev, flags);
		if (IS_ERR(f))
			return f;
	} else {
		if (S_ISDIR(inode->i_mode) && write)
			return ERR_PTR(-EISDIR);
		if (write && sb_may_write(inode->i_sb))
			return ERR_PTR(-EROFS);
		if (!inode->i_fop)
			return ERR_PTR(-ENXIO);
		f = file_alloc(inode->i_fop, flags, NULL);
	}
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_inode = ihold(inode);
	f->f_mnt = mntget(path->mnt);
	f->f_mapping = inode->i_mapping;
	file_ra_state_init(&f->f_ra);
	/* Write-back errors from here on (and one nobody was told of yet). */
	if (f->f_mapping)
		f->f_wb_err = filemap_sample_wb_err(f->f_mapping);
	f->f_sb_err = errseq_sample(&inode->i_sb->s_wb_err);
	return f;
}

/* O_CREAT: the file at path, made if it is not there. *created says
 * whether it was (then O_EXCL and O_TRUNC have nothing to do). */
static int open_create(const struct path *base, const char *path,
		       unsigned int flags, unsigned int mode, struct path *out,
		       bool *created)
{
	struct path parent;
	struct inode *dir, *inode;
	const char *name;
	size_t len;
	int r = kern_path(base, path, LOOKUP_PARENT, &parent, &name, &len);

	*created = false;
	if (r < 0)
		return r;
	dir = parent.inode;
	if (!len || is_dot_name(name, len) || name[len] == '/') {
		path_put(&parent);
		return -EISDIR;
	}
	mutex_lock(&dir->i_rwsem);
	r = dir->i_op->lookup(dir, name, len, &inode);
	if (r == 0) {
		iput(inode);
		mutex_unlock(&dir->i_rwsem);
		path_put(&parent);
		if (flags & O_EXCL)
			return -EEXIST;
		/* It exists: open it as without O_CREAT (symlinks, mounts). */
		return kern_path(base, path, (flags & O_NOFOLLOW) ? 0 :
				 LOOKUP_FOLLOW, out, NULL, NULL);
	}
	if (r == -ENOENT)
		r = sb_may_write(dir->i_sb);
	if (r == 0)
		r = dir->i_op->create ?
			dir->i_op->create(dir, name, len,
					  S_IFREG | (mode & 07777), &inode) :
			-EACCES;
	if (r == 0) {
		dir->i_mtime = dir->i_ctime = current_time_sec();
		out->mnt = mntget(parent.mnt);
		out->inode = inode;
		*created = true;
	}
	mutex_unlock(&dir->i_rwsem);
	path_put(&parent);
	return r;
}

bool is_dot_name(const char *name, size_t len)
{
	return (len == 1 && name[0] == '.') ||
	       (len == 2 && name[0] == '.' && name[1] == '.');
}

struct file *file_open_at(const struct path *base, const char *path,
			  unsigned int flags, unsigned int mode)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY && !(flags & O_PATH);
	bool created = false;
	struct file *f;
	struct path p;
	int r;

	if ((flags & O_ACCMODE) == 3)
		return ERR_PTR(-EINVAL);
	if ((flags & O_CREAT) && !(flags & O_PATH))
		r = open_create(base, path, flags, mode, &p, &created);
	else
		r = kern_path(base, path, (flags & O_NOFOLLOW) ? 0 :
			      LOOKUP_FOLLOW, &p, NULL, NULL);
	if (r < 0)
		return ERR_PTR(r);
	if ((flags & O_DIRECTORY) && !S_ISDIR(p.inode->i_mode)) {
		r = -ENOTDIR;
		goto out;
	}
	if ((flags & O_CREAT) && S_ISDIR(p.inode->i_mode)) {
		r = -EISDIR;
		goto out;
	}
	if (S_ISLNK(p.inode->i_mode) && !(flags & O_PATH)) {
		r = -ELOOP;			/* O_NOFOLLOW on a symlink */
		goto out;
	}
	if ((flags & O_TRUNC) && write && !created && S_ISREG(p.inode->i_mode)) {
		r = vfs_truncate(p.inode, 0);
		if (r < 0)
			goto out;
	}
	f = vfs_open(&p, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC));
	path_put(&p);
	return f;
out:
	path_put(&p);
	return ERR_PTR(r);
}

/* ------------------------------------------------------------ attributes */

void vfs_getattr(struct inode *inode, struct kstat *st)
{
	memset(st, 0, sizeof(*st));
	st->mode = inode->i_mode;
	st->ino = inode->i_ino;
	st->dev = inode->i_sb->s_dev;
	st->rdev = inode->i_rdev;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->size = S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode) ||
		   S_ISDIR(inode->i_mode) ? i_size_read(inode) : 0;
	st->blksize = (unsigned int)inode->i_sb->s_blocksize;
	st->blocks = inode->i_blocks;
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
}

int vfs_truncate(struct inode *inode, loff_t size)
{
	int r;

	if (size < 0)
		return -EINVAL;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	r = sb_may_write(inode->i_sb);
	if (r < 0)
		return r;
	if (inode->i_sb->s_maxbytes && size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	if (!inode->i_op || !inode->i_op->setsize)
		return -EPERM;
	mutex_lock(&inode->i_rwsem);
	if (size < i_size_read(inode))
		truncate_pagecache(inode->i_mapping, size);
	r = inode->i_op->setsize(inode, size);
	if (r == 0) {
		i_size_write(inode, size);
		inode->i_mtime = inode->i_ctime = current_time_sec();
		mark_inode_dirty(inode);
	}
	mutex_unlock(&inode->i_rwsem);
	return r;
}

/* ------------------------------------------------ reading from the kernel */

ssize_t kernel_read(struct file *file, void *buf, size_t n, loff_t *pos)
{
	size_t done = 0;

	if (!file->f_op->read)
		return -EINVAL;
	while (done < n) {
		ssize_t r = file->f_op->read(file, (char *)buf + done, n - done,
					     pos);

		if (r < 0)
			return done ? (ssize_t)done : r;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

ssize_t kernel_write(struct file *file, const void *buf, size_t n,
		     loff_t *pos)
{
	size_t done = 0;

	if (!file->f_op->write)
		return -EINVAL;
	while (done < n) {
		ssize_t r = file->f_op->write(file, (const char *)buf + done,
					      n - done, pos);

		if (r < 0)
			return done ? (ssize_t)done : r;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

int kernel_read_file(struct file *file, void **buf, size_t *size,
		     size_t max_size)
{
	struct inode *inode = file->f_inode;
	loff_t len, pos = 0;
	ssize_t r;
	void *p;

	if (!inode || !S_ISREG(inode->i_mode))
		return -EACCES;
	len = i_size_read(inode);
	if (len < 0 || (unsigned long long)len > max_size)
		return -EFBIG;
	p = vmalloc(len ? (size_t)len : 1);
	if (!p)
		return -ENOMEM;
	r = kernel_read(file, p, (size_t)len, &pos);
	if (r < 0 || r != len) {
		vfree(p);
		return r < 0 ? (int)r : -EIO;
	}
	*buf = p;
	*size = (size_t)len;
	return 0;
}
