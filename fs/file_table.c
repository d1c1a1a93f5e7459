/*
 * fs/file_table.c - struct file's life (kernel/file.h): allocate, take
 * and drop references. Here rather than in kernel/file.c because a file
 * of a file system holds an inode and a mount, which the last fput gives
 * back, and because fs/ is built for the host too.
 */
#include "fs/fs.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "mm/kmalloc.h"

static unsigned long nr_files;

unsigned long get_nr_files(void)
{
	return __atomic_load_n(&nr_files, __ATOMIC_RELAXED);
}

struct file *file_alloc(const struct file_operations *ops,
			unsigned int f_flags, void *private_data)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	__atomic_fetch_add(&nr_files, 1, __ATOMIC_RELAXED);
	f->f_count = 1;
	f->f_flags = f_flags;
	f->f_op = ops;
	f->private_data = private_data;
	return f;
}

struct file *get_file(struct file *f)
{
	__atomic_fetch_add(&f->f_count, 1, __ATOMIC_RELAXED);
	return f;
}

/* The last reference: the operations' release, then the inode and the
 * mount the file held. */
void fput(struct file *f)
{
	int left = __atomic_sub_fetch(&f->f_count, 1, __ATOMIC_ACQ_REL);

	BUG_ON(left < 0);
	if (left)
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f);
	if (f->f_inode)
		iput(f->f_inode);
	if (f->f_mnt)
		mntput(f->f_mnt);
	__atomic_fetch_sub(&nr_files, 1, __ATOMIC_RELAXED);
	kfree(f);
}

void file_getattr(struct file *f, struct kstat *st)
{
	if (f->f_inode) {
		vfs_getattr(f->f_inode, st);
		return;
	}
	memset(st, 0, sizeof(*st));
	st->mode = S_IFCHR | 0666;
	st->nlink = 1;
	st->blksize = 4096;
	if (f->f_op->getattr)
		f->f_op->getattr(f, st);
}
