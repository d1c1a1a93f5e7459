/*
 * fs/read_write.c - the generic file operations of a file in the page
 * cache (fs/fs.h): read, write, llseek, fsync. A file system whose
 * regular files keep their data in the page cache (ext2) points its
 * i_fop at these and provides the address_space_operations underneath.
 */
#include "fs/internal.h"

/* The largest file a byte offset can describe (Linux's MAX_LFS_FILESIZE). */
#define MAX_LFS_FILESIZE	((loff_t)(~0ULL >> 1))

ssize_t generic_file_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	struct iov_iter to;

	iov_iter_kbuf(&to, buf, n);
	return generic_file_read_iter(f, &to, pos);
}

ssize_t generic_file_read_iter(struct file *f, struct iov_iter *to,
			       loff_t *pos)
{
	if (*pos < 0)
		return -EINVAL;
	return filemap_read_iter(f, to, pos);
}

/*
 * write(2): under the inode's i_rwsem (one writer at a time; truncate
 * waits), O_APPEND moves *pos to the end first; a write that would start
 * past the file system's largest file is -EFBIG, one that would cross
 * it is cut there. mtime and ctime change when bytes were written.
 */
ssize_t generic_file_write(struct file *f, const char *buf, size_t n,
			   loff_t *pos)
{
	struct inode *inode = f->f_inode;
	loff_t max = inode->i_sb->s_maxbytes ? inode->i_sb->s_maxbytes
					     : MAX_LFS_FILESIZE;
	ssize_t r;

	if (*pos < 0)
		return -EINVAL;
	if (!n)
		return 0;
	mutex_lock(&inode->i_rwsem);
	if (f->f_flags & O_APPEND)
		*pos = i_size_read(inode);
	if (*pos >= max) {
		mutex_unlock(&inode->i_rwsem);
		return -EFBIG;
	}
	if ((loff_t)n > max - *pos)
		n = (size_t)(max - *pos);
	r = generic_perform_write(f, buf, n, pos);
	if (r > 0) {
		inode->i_mtime = inode->i_ctime = current_time_sec();
		mark_inode_dirty(inode);
	}
	mutex_unlock(&inode->i_rwsem);
	return r;
}

loff_t generic_file_llseek(struct file *f, loff_t off, int whence)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_pos;
		break;
	case SEEK_END:
		base = f->f_inode ? i_size_read(f->f_inode) : 0;
		break;
	default:
		return -EINVAL;
	}
	if ((off > 0 && base > MAX_LFS_FILESIZE - off) || base + off < 0)
		return -EINVAL;
	f->f_pos = base + off;
	return f->f_pos;
}

/*
 * fsync: the data of [start, end], then the inode, then the file
 * system's own metadata (its sync_fs, which flushes the disk's cache).
 * fdatasync skips the inode unless its size changed (not tracked here:
 * the inode is written when dirty either way). A write-back error is
 * reported once to each open file, whoever else was told of it
 * (file_write_and_wait_range; docs/mm/filemap.md, "Write-back errors").
 */
int generic_file_fsync(struct file *f, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = f->f_inode;
	struct super_block *sb = inode->i_sb;
	int r = file_write_and_wait_range(f, start, end);
	int r2 = write_inode_now(inode, true);
	int r3 = 0;

	(void)datasync;
	if (sb->s_op && sb->s_op->sync_fs && !sb->s_readonly)
		r3 = sb->s_op->sync_fs(sb, true);
	return r ? r : r2 ? r2 : r3;
}

const struct file_operations generic_ro_fops = {
	.read = generic_file_read,
	.read_iter = generic_file_read_iter,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
};
