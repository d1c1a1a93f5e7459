/*
 * fs/fs.h - the VFS: files, directories and mounts, whatever file system
 * holds them. docs/fs/vfs.md.
 *
 * The objects (Linux's names, reduced):
 *   super_block   one mounted file system (ext2 on vda, the initramfs)
 *   inode         one file, directory or symlink of it, cached while used;
 *                 its page cache is i_data (mm/filemap.h)
 *   vfsmount      where a super_block is attached in the name space
 *   path          (mount, inode): a place in the name space
 *   file          an open inode (kernel/file.h), f_inode/f_mnt set
 *
 * There is no dentry cache: lookup asks the directory's file system
 * (ext2 reads its directory through the page cache, which is the cache).
 * Inodes are cached by (super_block, ino) while referenced; an unused
 * inode of a live file stays cached until memory pressure or drop_caches
 * (its pages are what is worth keeping) and is evicted then.
 *
 * A file system registers a file_system_type; mount calls its fill_super,
 * which reads the on-disk superblock, checks it (a malformed one is
 * refused with the reason in err, never trusted), and sets s_root.
 *
 * Locking: inode->i_rwsem (a sleeping lock) serialises writes, truncate
 * and directory changes of that inode; a rename or an operation on two
 * directories takes the super_block's s_vfs_rename_mutex first. The
 * inode cache and the mount table have their own spinlocks. Inode
 * operations run with the directory's i_rwsem held (the VFS takes it).
 */
#ifndef FS_FS_H
#define FS_FS_H

#include "kernel/errno.h"
#include "kernel/file.h"
#include "kernel/lib/list.h"
#include "kernel/mutex.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "mm/filemap.h"

struct block_device;
struct super_block;
struct inode;
struct kstatfs;

#ifndef NAME_MAX
#define NAME_MAX	255
#endif
#ifndef PATH_MAX
#define PATH_MAX	4096
#endif
#define MAXSYMLINKS	40

/* d_type of getdents64 (Linux's DT_*). */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

/* What statfs() reports. */
struct kstatfs {
	unsigned long f_type, f_bsize;
	unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	unsigned long f_namelen;
};

struct inode_operations {
	/* The entry name[0..len) of dir: 0 and *out (a reference), or
	 * -ENOENT, -EIO / -EUCLEAN (a corrupt directory, reported). The VFS
	 * asks for ".." too (the parent; the root's is itself), never ".". */
	int (*lookup)(struct inode *dir, const char *name, size_t len,
		      struct inode **out);
	/* Make a regular file (create), directory or symlink in dir. The
	 * VFS has checked that name does not exist and holds dir's
	 * i_rwsem. 0 and *out (create: the new inode with a reference,
	 * e.g. iget of the number just written), or -errno (-ENOSPC,
	 * -EMLINK, -EIO). */
	int (*create)(struct inode *dir, const char *name, size_t len,
		      unsigned int mode, struct inode **out);
	int (*mkdir)(struct inode *dir, const char *name, size_t len,
		     unsigned int mode);
	int (*symlink)(struct inode *dir, const char *name, size_t len,
		       const char *target);
	/* Remove the entry (a non-directory / an empty directory) and
	 * drop the inode's link count (drop_nlink on the cached inode: the
	 * VFS holds a reference to it); the inode goes when its last link
	 * and reference do (iput -> evict_inode). -ENOTEMPTY. */
	int (*unlink)(struct inode *dir, const char *name, size_t len);
	int (*rmdir)(struct inode *dir, const char *name, size_t len);
	/* Move an entry, replacing a target that exists (the VFS has checked
	 * types: a directory only over an empty directory, never into its
	 * own subtree). */
	int (*rename)(struct inode *old_dir, const char *old_name,
		      size_t old_len, struct inode *new_dir,
		      const char *new_name, size_t new_len);
	/* A symlink's target into buf (NUL-terminated): its length or
	 * -errno. */
	int (*readlink)(struct inode *inode, char *buf, size_t size);
	/* Change the size (truncate/ftruncate, O_TRUNC): free or reserve
	 * blocks; the VFS has already called truncate_pagecache for a
	 * shrink. 0 or -errno. i_rwsem is held. */
	int (*setsize)(struct inode *inode, loff_t size);
};

struct super_operations {
	/* Allocate an inode with room for the file system's part (the VFS
	 * initialises the common fields); free it. */
	struct inode *(*alloc_inode)(struct super_block *sb);
	void (*free_inode)(struct inode *inode);
	/* Fill a new (I_NEW) inode from disk: i_mode, i_nlink, times,
	 * the size (i_size_write), i_op, i_fop and i_data.a_ops (the VFS
	 * has address_space_init'ed i_data with no a_ops). 0 or -errno
	 * (-EUCLEAN with a reason printed for a corrupt inode). */
	int (*read_inode)(struct inode *inode);
	/* Write the inode's fields to its disk block (through the block
	 * device's cache; wait: written to disk too). */
	int (*write_inode)(struct inode *inode, bool wait);
	/* The last reference went: if i_nlink is 0, free its blocks and the
	 * inode on disk. The page cache is already truncated. */
	void (*evict_inode)(struct inode *inode);
	/* Optional, called under a spinlock (must not sleep): the last
	 * reference went; true to evict the inode now
	 * rather than keep it cached (an in-memory file system, whose
	 * inodes cost nothing to make again). */
	bool (*drop_inode)(struct inode *inode);
	/* Write the super_block's own metadata (bitmaps, counts, superblock);
	 * wait: and flush the disk's cache. */
	int (*sync_fs)(struct super_block *sb, bool wait);
	void (*put_super)(struct super_block *sb);
	int (*statfs)(struct super_block *sb, struct kstatfs *st);
};

/* A file system registers its type once at boot (register_filesystem,
 * from its init function called by vfs_init's caller). */
struct file_system_type {
	const char *name;		/* "ext2" */
	bool requires_dev;		/* mounts a block device */
	/* Read and check the super block on sb->s_bdev, set s_op, s_root,
	 * s_blocksize, s_fs_info. 0, or -errno with a one-line reason in
	 * err ("ext2: bad magic 0x1234 at byte 1080"). */
	int (*fill_super)(struct super_block *sb, char *err, size_t errlen);
	struct list_head list;
};

struct super_block {
	const struct super_operations *s_op;
	struct file_system_type *s_type;
	struct block_device *s_bdev;	/* NULL for the initramfs */
	/* The block device's page cache: metadata is read and written
	 * through it ("Buffers" in meminfo; fs/buffer.h). */
	struct address_space *s_bdev_mapping;
	unsigned long s_blocksize;
	unsigned int s_blocksize_bits;
	unsigned long s_dev;		/* major << 8 | minor, for stat */
	loff_t s_maxbytes;		/* the largest file (0: no limit) */
	bool s_readonly;		/* mounted read-only (or errors) */
	struct inode *s_root;
	void *s_fs_info;
	char s_id[16];			/* "vda" */
	struct mutex s_vfs_rename_mutex;
	struct mutex s_lock;		/* the file system's own metadata */
	spinlock_t s_inode_list_lock;
	struct list_head s_inodes;	/* every cached inode */
	struct list_head s_list;	/* in the list of super blocks */
	int s_active;			/* mounts */
	/* Every write-back error of its files (mapping_set_error records
	 * here too, through each mapping's sb_wb_err): syncfs reports each
	 * once to each open file (file.f_sb_err). */
	errseq_t s_wb_err;
};

/* i_state bits. */
#define I_NEW		0x01	/* being read: wait for unlock_new_inode */
#define I_DIRTY		0x02	/* fields changed: write_inode needed */
#define I_FREEING	0x04	/* being evicted */

struct inode {
	unsigned long i_ino;
	unsigned int i_mode;		/* S_IF* | permissions */
	unsigned int i_nlink;
	unsigned int i_uid, i_gid;
	unsigned long i_rdev;
	long long i_atime, i_mtime, i_ctime;	/* seconds */
	unsigned long long i_blocks;	/* 512-byte units, for stat */
	unsigned long i_generation;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct address_space i_data;	/* the page cache; ->size is i_size */
	struct address_space *i_mapping;	/* &i_data */
	struct mutex i_rwsem;
	int i_count;			/* references (inode cache lock) */
	unsigned int i_state;		/* I_* */
	struct list_head i_sb_list;	/* in sb->s_inodes */
	struct list_head i_hash;	/* in the inode cache */
	struct list_head i_lru;		/* unused inodes, oldest first */
	void *i_private;		/* the file system's */
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return __atomic_load_n(&inode->i_data.size, __ATOMIC_RELAXED);
}
static inline void i_size_write(struct inode *inode, loff_t size)
{
	__atomic_store_n(&inode->i_data.size, size, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------- inodes */

/* The cached inode (sb, ino) with a reference, or a new locked one
 * (I_NEW) to be filled by read_inode: iget() does both and returns the
 * inode or an ERR_PTR. */
struct inode *iget(struct super_block *sb, unsigned long ino);
/* A new in-memory inode for a file the file system just created (ino
 * chosen by it): hashed, one reference. NULL: -ENOMEM. */
struct inode *new_inode(struct super_block *sb, unsigned long ino);
struct inode *ihold(struct inode *inode);
/* Drop a reference. The last one of an unlinked inode evicts it now
 * (truncate the page cache, evict_inode, free); of a linked one, the
 * inode stays cached (on the unused list) for a later lookup. */
void iput(struct inode *inode);
/* Fields changed: the inode is written by the next sync / fsync /
 * write_inode_now. */
void mark_inode_dirty(struct inode *inode);
int write_inode_now(struct inode *inode, bool wait);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
/* The current time in seconds (for i_mtime). */
long long current_time_sec(void);
/* The kernel has no real-time clock: a file system that knows a time
 * (ext2's superblock: when it was last written) moves the clock to it
 * if it is behind, so new timestamps are not older than the disk's (and
 * e2fsck does not take a deletion time of a few seconds for an orphan
 * list's link). Never moves it back. */
void vfs_clock_advance(long long t);

/* Evict unused inodes (and their pages) of every super block:
 * drop_caches mode 2; inode shrinker. Returns inodes evicted. */
unsigned long prune_icache(unsigned long nr);
/* drop_caches: 1 page cache, 2 inodes (and slab), 3 both (Linux's
 * /proc/sys/vm/drop_caches). Dirty pages are left: sync first. */
void drop_caches(int mode);

/* ------------------------------------------------------ file systems */

int register_filesystem(struct file_system_type *type);
struct file_system_type *get_fs_type(const char *name);

/*
 * Mount the file system of type fstype (NULL: try each that requires a
 * device) found on block device devname ("vda"; NULL for one without)
 * on directory path ("/mnt"). 0, or -errno with a reason printed:
 * -ENODEV (no such disk or type), -EINVAL (not that file system, a
 * corrupt super block), -EBUSY (already mounted there), -ENOTDIR.
 */
int do_mount(const char *devname, const char *path, const char *fstype,
	     bool readonly);
/* Unmount: write everything back, drop the inodes. -EBUSY while a file,
 * a cwd or a mount below is in it. */
int do_umount(const char *path);
/* Write every dirty page and inode of every file system and flush the
 * disks (sync(2)). */
void sync_filesystems(bool wait);

/* ------------------------------------------------------ the name space */

struct vfsmount {
	struct super_block *mnt_sb;
	struct vfsmount *mnt_parent;	/* itself for the root mount */
	struct inode *mnt_mountpoint;	/* a directory of mnt_parent */
	int mnt_count;
	struct list_head mnt_list;
	char mnt_devname[16];
	char mnt_path[64];		/* for `mount` with no argument */
};

struct path {
	struct vfsmount *mnt;
	struct inode *inode;
};
/* Take / drop the references a path holds. */
void path_get(const struct path *p);
void path_put(const struct path *p);

/* Lookup flags. */
#define LOOKUP_FOLLOW		0x01	/* follow a symlink in the last part */
#define LOOKUP_DIRECTORY	0x02	/* the last part must be a directory */
#define LOOKUP_PARENT		0x04	/* stop at the parent (create) */

/*
 * Resolve path from base (NULL: the root for an absolute path, else the
 * current process's cwd) as Linux does: ".", "..", mount points crossed
 * both ways, symlinks followed (at most MAXSYMLINKS: -ELOOP). 0 and *out
 * (references taken), or -ENOENT, -ENOTDIR, -ENAMETOOLONG, -ELOOP, -EIO.
 * LOOKUP_PARENT: *out is the parent directory and last/last_len its final
 * component (in path's own bytes).
 */
int kern_path(const struct path *base, const char *path, unsigned int flags,
	      struct path *out, const char **last, size_t *last_len);
/* The root of the name space (references taken). */
void get_fs_root(struct path *root);

/* open/create with open()'s flags and mode: a file, or an ERR_PTR. */
struct file *file_open_at(const struct path *base, const char *path,
			  unsigned int flags, unsigned int mode);
/* Open an inode already found (the VFS's common open). */
struct file *vfs_open(const struct path *path, unsigned int flags);

/* What stat() says about an inode. */
void vfs_getattr(struct inode *inode, struct kstat *st);

/* Read a whole file the kernel needs (execve's program, a test's data)
 * into a vmalloc'ed buffer: 0 and *buf (vfree it), *size; or -errno. */
int kernel_read_file(struct file *file, void **buf, size_t *size,
		     size_t max_size);
ssize_t kernel_read(struct file *file, void *buf, size_t n, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t n,
		     loff_t *pos);

/* --------------------------------------- generic parts for file systems */

/* read/write/llseek/fsync/mmap of a regular file in the page cache. */
ssize_t generic_file_read(struct file *f, char *buf, size_t n, loff_t *pos);
ssize_t generic_file_read_iter(struct file *f, struct iov_iter *to,
			       loff_t *pos);
ssize_t generic_file_write(struct file *f, const char *buf, size_t n,
			   loff_t *pos);
loff_t generic_file_llseek(struct file *f, loff_t off, int whence);
int generic_file_fsync(struct file *f, loff_t start, loff_t end, int datasync);
extern const struct file_operations generic_ro_fops;

/* Boot: the inode cache, the initramfs as "/", and `root=DEV` (mounted
 * on /mnt, see docs/fs/vfs.md). */
void vfs_init(void);
/* vfs_init's portable part: the inode cache, and the initramfs of the
 * archive [initramfs, +size) mounted on "/" (a refused archive is
 * reported and an empty tree, with /dev and /proc, mounted instead). */
void vfs_init_root(const void *initramfs, size_t size);

/* ------------------------------------------------ helpers of the VFS */

/* Take / drop a mount's reference. */
struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
/* Call fn for each mount, oldest first (the console's `mount`). */
void for_each_mount(void (*fn)(const struct vfsmount *mnt, void *arg),
		    void *arg);

/*
 * How fs/ reaches the running process, registered by kernel/file.c (fs/
 * is built for the host too, which has no processes): get_cwd takes
 * references on the current directory; exe_path writes the running
 * program's path (/proc/self/exe), 0 or -ENOENT. Without them relative
 * paths start at the root and there is no program.
 */
struct vfs_task_ops {
	void (*get_cwd)(struct path *out);
	int (*exe_path)(char *buf, size_t size);
};
void vfs_set_task_ops(const struct vfs_task_ops *ops);
int vfs_exe_path(char *buf, size_t size);

/*
 * Character devices by number (i_rdev: major << 8 | minor): the kernel
 * registers how to open /dev/null, /dev/zero, /dev/console; opening an
 * inode with that rdev opens the device. -EBUSY if taken, -ENOSPC.
 */
typedef struct file *(*chrdev_open_t)(unsigned int f_flags);
int register_chrdev_open(unsigned long rdev, chrdev_open_t open);
/* The device's file, or an ERR_PTR (-ENXIO: none registered). */
struct file *chrdev_open(unsigned long rdev, unsigned int f_flags);

/* Change the name space (the system calls' work). Each resolves its
 * paths from base like kern_path and returns 0 or -errno as Linux. */
int vfs_mkdirat(const struct path *base, const char *path, unsigned int mode);
int vfs_symlinkat(const char *target, const struct path *base,
		  const char *path);
/* rmdir: true for AT_REMOVEDIR. */
int vfs_unlinkat(const struct path *base, const char *path, bool rmdir);
#define RENAME_NOREPLACE	1
int vfs_renameat(const struct path *obase, const char *opath,
		 const struct path *nbase, const char *npath,
		 unsigned int flags);
/* truncate/ftruncate: -EISDIR, -EINVAL (negative), -EROFS, -EFBIG. */
int vfs_truncate(struct inode *inode, loff_t size);
/* A symlink's target: length (not NUL-terminated in buf) or -errno. */
int vfs_readlink(struct inode *inode, char *buf, size_t size);
/* The absolute path of a directory into buf (getcwd): its length, or
 * -ERANGE, -ENOENT (removed). Found by walking ".." and searching each
 * parent for the child's inode number (there is no dentry cache). */
int vfs_path_name(const struct path *dir, char *buf, size_t size);
/* The canonical absolute path of path (from the cwd; symlinks, ".",
 * "..", mounts resolved) into buf: its length, or -errno (execve's
 * /proc/self/exe). */
int vfs_real_path(const char *path, char *buf, size_t size);
/* statfs of the file system holding inode. */
int vfs_statfs(struct inode *inode, struct kstatfs *st);
/* write_inode_now + sync_fs of one file system (syncfs). */
int sync_filesystem(struct super_block *sb);
/* syncfs(2) of the file system holding f: sync_filesystem, then the
 * write-back errors of any of its files since f last asked (or was
 * opened), once (errseq, sb->s_wb_err). 0 or -errno. */
int vfs_syncfs(struct file *f);

#endif
