/*
 * fs/read_write.c - the generic file operations (fs/fs.h): llseek. The
 * page-cache ones (read, write, fsync) come with mm/filemap.c.
 */
#include "fs/internal.h"

/* The largest file a byte offset can describe (Linux's MAX_LFS_FILESIZE). */
#define MAX_LFS_FILESIZE	((loff_t)(~0ULL >> 1))

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

