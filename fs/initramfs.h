/*
 * fs/initramfs.h - the read-only file tree the kernel carries: the
 * newc cpio archive linked between __initramfs_start and __initramfs_end
 * (the `user` build puts our programs and busybox there), parsed once at
 * boot into directories, regular files and symbolic links. File data
 * stays in the archive (kernel memory that lives for ever), so a file's
 * bytes can be handed to execve without a copy.
 *
 * Beside what the archive holds, the tree always has /dev/null,
 * /dev/zero, /dev/console and /dev/tty (the terminal), /proc/self/exe (a
 * symlink to the running program's path), and /mnt and /tmp (empty
 * directories to mount file systems on).
 *
 * Path lookup is Linux's: absolute, or relative to a directory (the
 * process's cwd); "." and ".."; symbolic links followed, at most
 * MAXSYMLINKS of them in one lookup (-ELOOP); -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG (a component over NAME_MAX, a path over PATH_MAX).
 */
#ifndef FS_INITRAMFS_H
#define FS_INITRAMFS_H

#include "kernel/types.h"

#include "fs/fs.h"

enum initramfs_kind {
	NODE_DIR, NODE_REG, NODE_LNK,
	NODE_DEV_NULL, NODE_DEV_ZERO, NODE_DEV_TTY,
	NODE_PROC_SELF_EXE,		/* a symlink whose target is computed */
};

struct initramfs_node {
	const char *name;		/* not NUL-terminated: namelen bytes */
	size_t namelen;
	enum initramfs_kind kind;
	unsigned int mode;		/* S_IF* | permissions */
	unsigned long ino;
	const void *data;		/* file bytes, or a symlink's target */
	size_t size;
	struct initramfs_node *parent;	/* the root is its own parent */
	struct initramfs_node *children, *next;	/* a directory's entries */
};

struct initramfs {
	struct initramfs_node *root;
	unsigned long nr_nodes;
};

/*
 * Build a tree from a cpio archive in memory (which must outlive it).
 * 0, or -EINVAL with the reason in err (a malformed archive, a path
 * component that is not a directory, an entry of a kind the tree does
 * not hold, a name twice) and nothing allocated; -ENOMEM.
 */
int initramfs_build(struct initramfs *fs, const void *archive, size_t size,
		    char *err, size_t errlen);
void initramfs_free(struct initramfs *fs);

/*
 * Resolve path in fs from the directory cwd (NULL: the root). follow:
 * follow a symlink in the last component too. 0 and *out, or -errno.
 */
int initramfs_walk(const struct initramfs *fs,
		   const struct initramfs_node *cwd, const char *path,
		   bool follow, const struct initramfs_node **out);

/* A node's absolute path into buf: its length, or -ERANGE. */
int initramfs_node_path(const struct initramfs_node *n, char *buf,
			size_t size);

struct kstat;

/* What stat() says about a node. */
void initramfs_node_stat(const struct initramfs_node *n, struct kstat *st);
/* A symlink's target into buf, NUL-terminated: 0, -EINVAL (not a
 * symlink), -ENAMETOOLONG, -ENOENT (/proc/self/exe with no program). */
int initramfs_readlink(const struct initramfs_node *n, char *buf,
		       size_t size);

/*
 * The initramfs as a file system of the VFS (type "initramfs", read-only:
 * every write is -EROFS): the tree of an archive in memory (which must
 * outlive it), as a super block ready to mount. Its regular files are
 * read directly from the archive, not through the page cache: the
 * archive is kernel memory that lives for ever, so a cache would only
 * hold a second copy. NULL on failure, with the reason in err.
 */
struct super_block;
struct super_block *initramfs_mount_tree(const void *archive, size_t size,
					 char *err, size_t errlen);
/* The bytes of an initramfs regular file, in place (they live as long
 * as the archive): NULL if inode is not one. */
const void *initramfs_file_bytes(const struct inode *inode, size_t *size);
/* Unmounted tree of initramfs_mount_tree (tests): free it. */
void initramfs_kill_sb(struct super_block *sb);

#endif
