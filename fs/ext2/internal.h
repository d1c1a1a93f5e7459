/*
 * fs/ext2/internal.h - the ext2 glue's private declarations: how a
 * mounted ext2 and its inodes sit under the VFS (fs/fs.h). fs/ext2/vfs.c
 * (super block, inodes, directories), fs/ext2/file.c (the data path).
 * docs/fs/ext2.md, "In the kernel".
 *
 * Locking: sb->s_lock (a mutex) covers everything of one mounted ext2
 * that is on the disk: the bitmaps and counts (sbi), every inode's raw
 * copy (ext2_inode_info.raw), the scratch block and the reason buffer.
 * Order: a directory's or file's i_rwsem > a file page's lock > s_lock >
 * a block-device page's lock (fs/buffer.h). Nothing waits for a file
 * page's lock with s_lock held, and iget is never called with it held
 * (read_inode takes it).
 */
#ifndef FS_EXT2_INTERNAL_H
#define FS_EXT2_INTERNAL_H

#include "fs/buffer.h"
#include "fs/ext2/ext2.h"
#include "fs/fs.h"
#include "kernel/wait.h"

/* One mounted ext2 (sb->s_fs_info). */
struct ext2_mount {
	struct ext2_sb_info sbi;	/* read/write go through bc */
	struct bdev_cache bc;		/* the disk's page cache */
	struct super_block *sb;
	void *scratch;			/* one block, under s_lock */
	char err[160];			/* a reason, under s_lock */
	unsigned long wb_inflight;	/* bytes of file writes in flight */
	unsigned long wb_lookups;	/* write-back's block map look-ups
					 * under s_lock (EXT2_WB_AHEAD) */
	struct wait_queue_head wb_wait;	/* for wb_inflight to drop */
};

/*
 * An ext2 inode in memory. raw is the on-disk inode as it is on the disk
 * (under s_lock: every change to it is written at once), so namei.c,
 * which reads and writes inodes on the disk, and the glue never hold two
 * different copies. The VFS fields follow raw after each change
 * (ext2_raw_to_inode), except the times, which write_inode writes back.
 */
struct ext2_inode_info {
	struct ext2_inode raw;
	char name[24];			/* i_data.name: "vda:12" */
	bool read_error_reported;	/* a bad block map was printed */
	struct inode vfs_inode;
};

static inline struct ext2_mount *EXT2_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct ext2_inode_info *EXT2_I(struct inode *inode)
{
	return container_of(inode, struct ext2_inode_info, vfs_inode);
}

/* fs/ext2/vfs.c */
/* Print "ext2: DEV: reason" for an error the on-disk code explained in
 * m->err (-EUCLEAN, -EINVAL, -EFBIG); under s_lock. Returns err. */
int ext2_report(struct ext2_mount *m, int err);
/* The VFS fields of inode from its raw copy (size, links, blocks...). */
void ext2_raw_to_inode(struct inode *inode);

/* fs/ext2/file.c */
extern const struct address_space_operations ext2_aops;
/* Fault injection for tests: the next N write-back requests get no
 * memory (each run is then written synchronously). Not locked. */
extern unsigned int ext2_wb_fail_alloc;
/* Tests: called by write-back with each page (locked) before its blocks
 * are mapped. */
extern void (*ext2_wb_page_hook)(struct page *page);
extern const struct file_operations ext2_file_fops;
extern const struct inode_operations ext2_file_iops;

#endif
