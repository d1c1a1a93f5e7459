/*
 * kernel/file.h - open files and file descriptors (Linux: struct file,
 * struct file_operations, struct files_struct).
 *
 * A `struct file` is one open of something: the console (kernel/tty.h),
 * one end of a pipe (kernel/pipe.c), a file or directory of a file system
 * (fs/fs.h: f_inode, f_mnt), /dev/null or /dev/zero. It is reference
 * counted (fs/file_table.c):
 * dup(), fork() and a pending read each hold a reference, and the
 * operations' release() runs when the last one goes (fput).
 *
 * A `struct files_struct` is a process's descriptor table: fd -> file,
 * with a close-on-exec bit per fd, at most NR_OPEN_MAX (RLIMIT_NOFILE,
 * 1024) descriptors, the lowest free number first, as POSIX wants. It
 * also holds the process's working directory (Linux keeps that apart, in
 * fs_struct; there is one per process here too).
 *
 * Operations take KERNEL buffers: the system calls (fs/ *_syscalls.c)
 * copy through a bounce buffer with copy_from_user/copy_to_user, so every
 * operation can be driven from a kernel thread in a test. Only ioctl's
 * argument is a user pointer, as in Linux.
 *
 * Locking: a files_struct's table is under its spinlock; fget takes a
 * reference under it, so a file stays alive while an operation runs even
 * if another thread closes the fd. f_pos is the open file's own (shared
 * after dup and fork, as in Linux) and is not locked: two processes
 * reading one file at once may see each other's position, never memory
 * outside the file.
 */
#ifndef KERNEL_FILE_H
#define KERNEL_FILE_H

#include "kernel/iov_iter.h"
#include "kernel/lib/errseq.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"

typedef long long loff_t;
typedef long ssize_t;

#define NR_OPEN_MAX	1024	/* RLIMIT_NOFILE: descriptors per process */

/* open() flags: Linux's values, the same on x86_64 and arm64 (the ones
 * that differ, O_DIRECTORY and O_NOFOLLOW, come from <arch/fcntl.h>). */
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#define O_CREAT		00000100
#define O_EXCL		00000200
#define O_NOCTTY	00000400
#define O_TRUNC		00001000
#define O_APPEND	00002000
#define O_NONBLOCK	00004000
#define O_CLOEXEC	02000000
#define O_PATH		010000000

/* fcntl() commands and the descriptor flag. */
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	1030
#define FD_CLOEXEC	1

/* lseek() whence. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2

/* *at() calls. */
#define AT_FDCWD		(-100)
#define AT_SYMLINK_NOFOLLOW	0x100
#define AT_EACCESS		0x200
#define AT_NO_AUTOMOUNT		0x800	/* accepted; nothing automounts */
#define AT_EMPTY_PATH		0x1000

/* st_mode: the type bits and the permission bits (octal, as Linux). */
#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)

/* poll() events. */
#define POLLIN		0x0001
#define POLLPRI		0x0002
#define POLLOUT		0x0004
#define POLLERR		0x0008
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040
#define POLLWRNORM	0x0100

/* What stat() reports, before the arch's layout (<arch/stat.h>). */
struct kstat {
	unsigned int mode;		/* S_IF* | permissions */
	unsigned long ino;
	unsigned long dev, rdev;	/* major << 8 | minor, as old Linux */
	unsigned int nlink;
	long long size;
	unsigned int blksize;
	unsigned int uid, gid;
	unsigned long long blocks;	/* 512-byte units */
	long long atime, mtime, ctime;	/* seconds */
};

struct file;
struct inode;
struct vfsmount;
struct address_space;
struct vm_area_struct;

/*
 * Readahead's state of one open file (mm/readahead.c; Linux's
 * file_ra_state): the current window [start, start + size) in pages, of
 * which the last async_size are the look-ahead part (its first page
 * carries PG_readahead), and the position of the previous read for
 * sequential detection. ra_pages is the window's limit (0: readahead is
 * off for this file). Kept here because struct file holds it; only
 * mm/readahead.c reads or changes it.
 */
struct file_ra_state {
	unsigned long start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages;
	loff_t prev_pos;
};

/* getdents64: the operation calls actor once per entry, from *pos on,
 * until it returns false (the user's buffer is full). */
struct dir_context {
	bool (*actor)(struct dir_context *ctx, const char *name, size_t len,
		      loff_t next_pos, unsigned long ino, unsigned int dtype);
};

/*
 * What an open file can do. Each may be NULL: the system call then gives
 * Linux's answer (read/write -EINVAL, llseek -ESPIPE, ioctl -ENOTTY,
 * iterate -ENOTDIR, poll "always ready"). read and write take kernel
 * buffers and the position to use (&file->f_pos, or pread's own) and
 * return bytes done or -errno; one that sleeps returns -EINTR when a
 * signal is pending and -EAGAIN for an O_NONBLOCK file that would wait.
 * poll returns POLLIN/POLLOUT/POLLHUP/POLLERR now (a sleeping poller is
 * woken by poll_wake_all()). release runs once, when the last reference
 * goes.
 */
struct file_operations {
	ssize_t (*read)(struct file *f, char *buf, size_t n, loff_t *pos);
	/* Optional: read straight into the iterator's buffer, user or
	 * kernel memory (kernel/iov_iter.h). read(2), pread64 and readv use
	 * it when present, saving the bounce buffer's copy; ->read stays
	 * for the kernel's own readers. */
	ssize_t (*read_iter)(struct file *f, struct iov_iter *to, loff_t *pos);
	ssize_t (*write)(struct file *f, const char *buf, size_t n,
			 loff_t *pos);
	loff_t (*llseek)(struct file *f, loff_t off, int whence);
	long (*ioctl)(struct file *f, unsigned int cmd, unsigned long arg);
	unsigned int (*poll)(struct file *f);
	int (*iterate)(struct file *f, struct dir_context *ctx, loff_t *pos);
	/* Until the VFS brings inodes: what fstat says about the file. */
	void (*getattr)(struct file *f, struct kstat *st);
	void (*release)(struct file *f);
	/* mmap of the file: set vma->vm_ops (and check the mode); 0 or
	 * -errno (-ENODEV when NULL: the file cannot be mapped). */
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	/* fsync/fdatasync: write [start, end] and the metadata; 0 or -errno
	 * (-EINVAL when NULL, as Linux for a file that cannot sync). */
	int (*fsync)(struct file *f, loff_t start, loff_t end, int datasync);
};

struct file {
	int f_count;				/* references (atomic) */
	unsigned int f_flags;			/* O_* given to open, F_SETFL */
	loff_t f_pos;
	const struct file_operations *f_op;
	void *private_data;			/* the operations' own */
	/* Files of a file system (fs/fs.h): the inode (a reference), where
	 * it was opened (a reference to the mount), its page cache. */
	struct inode *f_inode;
	struct vfsmount *f_mnt;
	struct address_space *f_mapping;
	struct file_ra_state f_ra;
	/* Cursors into the write-back errors of the file's page cache and of
	 * its file system, taken at open (kernel/lib/errseq.h): fsync and
	 * syncfs report each error since once to this open file. */
	errseq_t f_wb_err;
	errseq_t f_sb_err;
};

/*
 * A new file with one reference, flags f_flags and ops; NULL when out of
 * memory. Whether it may be read or written follows O_ACCMODE.
 */
struct file *file_alloc(const struct file_operations *ops,
			unsigned int f_flags, void *private_data);
/* Open files in the whole kernel (Linux's file-nr): leak checks. */
unsigned long get_nr_files(void);
/* Take / drop a reference; the last fput() calls release and frees. */
struct file *get_file(struct file *f);
void fput(struct file *f);
static inline bool file_readable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_WRONLY && !(f->f_flags & O_PATH);
}
static inline bool file_writable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_RDONLY && !(f->f_flags & O_PATH);
}

/* What stat() says about an open file (its getattr, or a character
 * device with no size when it has none). */
void file_getattr(struct file *f, struct kstat *st);

/* -------------------------------------------------------- the fd table */

struct files_struct {
	spinlock_t lock;
	struct file *fd[NR_OPEN_MAX];
	unsigned long cloexec[NR_OPEN_MAX / (8 * sizeof(unsigned long))];
	/* The working directory (fs/fs.h's struct path, references held;
	 * NULL: "/"). Changed under lock. */
	struct vfsmount *cwd_mnt;
	struct inode *cwd;
};

/* An empty table (cwd "/"); NULL when out of memory. */
struct files_struct *files_alloc(void);
/* A table with fd 0, 1 and 2 open on /dev/console (read, write, write),
 * for a new process; NULL when out of memory. */
struct files_struct *files_alloc_console(void);
/* fork: a copy sharing every open file (a reference each), the
 * close-on-exec bits and cwd; NULL when out of memory. */
struct files_struct *files_dup(struct files_struct *files);
/* execve: close every descriptor marked close-on-exec. */
void files_close_on_exec(struct files_struct *files);
/* exit: close everything and free the table. NULL is allowed. */
void files_put(struct files_struct *files);

/*
 * Put f (whose reference the table takes over) in the lowest free slot
 * >= min_fd; returns the fd, or -EMFILE when none is free below
 * NR_OPEN_MAX (the caller still owns f then).
 */
int fd_install_from(struct files_struct *files, struct file *f, int min_fd,
		    bool cloexec);
static inline int fd_install(struct files_struct *files, struct file *f,
			     bool cloexec)
{
	return fd_install_from(files, f, 0, cloexec);
}
/* The file at fd with a reference taken (fput when done), or NULL. */
struct file *fget(struct files_struct *files, int fd);
/* Close fd: 0 or -EBADF. */
int fd_close(struct files_struct *files, int fd);
/* dup2/dup3: make newfd refer to oldfd's file (closing what newfd was);
 * returns newfd or -EBADF. */
int fd_dup_to(struct files_struct *files, int oldfd, int newfd,
	      bool cloexec);
/* The close-on-exec bit of fd: 0/1, or -EBADF; set it: 0 or -EBADF. */
int fd_get_cloexec(struct files_struct *files, int fd);
int fd_set_cloexec(struct files_struct *files, int fd, bool on);
/* Open descriptors (tests, leak checks). */
unsigned int files_count(struct files_struct *files);

/*
 * The running process's table. A thread without a process (the arch
 * tests run user code in kernel threads) gets a shared table with the
 * console on 0, 1 and 2, so write(1, ...) prints there too.
 */
struct files_struct *current_files(void);

/* Make the console table (boot, once, after the slab allocator), and
 * register with the VFS: the current directory and program (the
 * process's exe_path, for /proc/self/exe), and the
 * character devices (null, zero, console, tty). */
void files_init(void);
/* Set the working directory (the caller's references on mnt and dir
 * pass to the table; the old ones are dropped). NULL, NULL: "/". */
void files_set_cwd(struct files_struct *files, struct vfsmount *mnt,
		   struct inode *dir);

/* Wake every thread sleeping in poll(): a pipe or the tty changed. */
void poll_wake_all(void);

/*
 * Signals, which the signal layer registers (the file layer sits below
 * it): pending() says whether the current process has a signal to act
 * on, so a sleeping read, write or poll returns -EINTR; sigpipe() sends
 * SIGPIPE to the current process (a write to a pipe with no reader).
 * Before registration nothing interrupts and no SIGPIPE is sent.
 */
struct file_signal_ops {
	bool (*pending)(void);
	void (*sigpipe)(void);
};
void file_set_signal_ops(const struct file_signal_ops *ops);
/* The current thread should stop waiting: a signal is pending. */
bool file_interrupted(void);
/* Send SIGPIPE to the current process (if the signal layer is there). */
void file_sigpipe(void);

/*
 * The sleep of a read or write on a pipe or the terminal. Calls
 * attempt(f, arg) until it answers anything but -EAGAIN, and returns that
 * answer. -EAGAIN means "nothing can be done yet": attempt is called with
 * the current thread already queued on wq and marked sleeping, so a
 * wake_up(wq) between its check and the sleep is not lost; it takes its
 * own locks and must not sleep. Between attempts an O_NONBLOCK file ends
 * the wait with -EAGAIN and a pending signal with -EINTR (the caller
 * turns these into the bytes already done, if any).
 */
struct wait_queue_head;
ssize_t file_wait_io(struct file *f, struct wait_queue_head *wq,
		     ssize_t (*attempt)(struct file *f, void *arg), void *arg);

/* /dev/null and /dev/zero, opened with f_flags. */
struct file *dev_null_open(unsigned int f_flags);
struct file *dev_zero_open(unsigned int f_flags);

/* pipe2's two ends: fds[0] reads, fds[1] writes (f_flags: O_NONBLOCK).
 * 0 or -ENOMEM. */
int pipe_create(struct file *ends[2], unsigned int f_flags);
/* Pipe's ring size in bytes (one page). */
#define PIPE_BUF_SIZE	4096

#endif
