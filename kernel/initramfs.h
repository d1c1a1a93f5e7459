/*
 * kernel/initramfs.h - the read-only file tree the kernel carries: the
 * newc cpio archive linked between __initramfs_start and __initramfs_end
 * (the `user` build puts our programs and busybox there), parsed once at
 * boot into directories, regular files and symbolic links. File data
 * stays in the archive (kernel memory that lives for ever), so a file's
 * bytes can be handed to execve without a copy.
 *
 * Beside what the archive holds, the tree always has /dev/null,
 * /dev/zero, /dev/console and /dev/tty (the terminal), and
 * /proc/self/exe (a symlink to the running program's path).
 *
 * Path lookup is Linux's: absolute, or relative to a directory (the
 * process's cwd); "." and ".."; symbolic links followed, at most
 * MAXSYMLINKS of them in one lookup (-ELOOP); -ENOENT, -ENOTDIR,
 * -ENAMETOOLONG (a component over NAME_MAX, a path over PATH_MAX).
 */
#ifndef KERNEL_INITRAMFS_H
#define KERNEL_INITRAMFS_H

#include "kernel/types.h"

#define PATH_MAX	4096
#define NAME_MAX	255
#define MAXSYMLINKS	40

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

struct file;
struct files_struct;
struct kstat;

/* What stat() says about a node. */
void initramfs_node_stat(const struct initramfs_node *n, struct kstat *st);
/*
 * Open a node with open()'s flags: a file with f_node set, or the device
 * the node stands for. NULL with *err: -EROFS (a regular file opened for
 * writing), -EISDIR, -ELOOP (a symlink, without O_PATH), -ENOMEM.
 */
struct file *initramfs_open(const struct initramfs_node *n,
			    unsigned int f_flags, int *err);
/* A symlink's target into buf, NUL-terminated: 0, -EINVAL (not a
 * symlink), -ENAMETOOLONG, -ENOENT (/proc/self/exe with no program). */
int initramfs_readlink(const struct initramfs_node *n, char *buf,
		       size_t size);

/* The tree built at boot (initramfs_init); NULL before, or if the
 * archive was refused. */
const struct initramfs *initramfs_root(void);

/* Parse the embedded archive (boot, once, after kmalloc works): refuses a
 * malformed one with the reason and boots on with an empty tree. */
void initramfs_init(void);

/*
 * For execve: resolve path in the boot tree (relative paths from the
 * current process's cwd), following symlinks, to a regular file's bytes.
 * 0, or -ENOENT, -ENOTDIR, -ELOOP, -ENAMETOOLONG, -EACCES (not a regular
 * file).
 */
int initramfs_lookup(const char *path, const void **data, size_t *size);

/*
 * For execve, at its point of no return: record the program's file
 * (path resolved as initramfs_lookup does, from the current cwd) in
 * files->exe, so /proc/self/exe leads to it in this process and in its
 * forks. 0, or -errno and files->exe unchanged.
 */
int initramfs_set_exe(struct files_struct *files, const char *path);

/*
 * For the console's `run NAME`: a NAME with a '/' is a path; otherwise
 * /bin/NAME. Writes the path to run into buf; 0 if it names a regular
 * file (through symlinks), or -errno as initramfs_lookup.
 */
int initramfs_find_program(const char *name, char *buf, size_t size);

#endif
