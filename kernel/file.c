/*
 * kernel/file.c - open files and descriptor tables (kernel/file.h), and
 * the two simplest devices, /dev/null and /dev/zero.
 */
#include "kernel/file.h"
#include "fs/fs.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/tty.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"

#define BITS_PER_LONG	(8 * sizeof(unsigned long))

/* struct file itself (file_alloc, fput): fs/file_table.c. */

/* -------------------------------------------------------- the fd table */

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (files)
		spin_lock_init(&files->lock, "files_struct");
	return files;
}

struct files_struct *files_alloc_console(void)
{
	struct files_struct *files = files_alloc();

	if (!files)
		return NULL;
	for (int fd = 0; fd < 3; fd++) {
		struct file *f = tty_open(fd == 0 ? O_RDWR : O_WRONLY);

		if (!f || fd_install(files, f, false) != fd) {
			if (f)
				fput(f);
			files_put(files);
			return NULL;
		}
	}
	return files;
}

static bool test_cloexec(struct files_struct *files, int fd)
{
	return files->cloexec[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void assign_cloexec(struct files_struct *files, int fd, bool on)
{
	unsigned long bit = 1UL << (fd % BITS_PER_LONG);

	if (on)
		files->cloexec[fd / BITS_PER_LONG] |= bit;
	else
		files->cloexec[fd / BITS_PER_LONG] &= ~bit;
}

struct files_struct *files_dup(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned long flags;

	if (!files)
		return NULL;
	spin_lock_irqsave(&old->lock, flags);
	for (int fd = 0; fd < NR_OPEN_MAX; fd++)
		if (old->fd[fd])
			files->fd[fd] = get_file(old->fd[fd]);
	memcpy(files->cloexec, old->cloexec, sizeof(files->cloexec));
	if (old->cwd) {
		files->cwd_mnt = mntget(old->cwd_mnt);
		files->cwd = ihold(old->cwd);
	}
	spin_unlock_irqrestore(&old->lock, flags);
	return files;
}

/* Take every file for which pick(fd) is true out of the table, then drop
 * them outside the lock (release may sleep or wake others). */
static void close_where(struct files_struct *files, bool only_cloexec)
{
	for (int fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *f = NULL;
		unsigned long flags;

		spin_lock_irqsave(&files->lock, flags);
		if (files->fd[fd] && (!only_cloexec || test_cloexec(files, fd))) {
			f = files->fd[fd];
			files->fd[fd] = NULL;
			assign_cloexec(files, fd, false);
		}
		spin_unlock_irqrestore(&files->lock, flags);
		if (f)
			fput(f);
	}
}

void files_close_on_exec(struct files_struct *files)
{
	close_where(files, true);
}

void files_put(struct files_struct *files)
{
	if (!files)
		return;
	close_where(files, false);
	files_set_cwd(files, NULL, NULL);
	kfree(files);
}

int fd_install_from(struct files_struct *files, struct file *f, int min_fd,
		    bool cloexec)
{
	unsigned long flags;
	int ret = -EMFILE;

	if (min_fd < 0)
		return -EINVAL;
	spin_lock_irqsave(&files->lock, flags);
	for (int fd = min_fd; fd < NR_OPEN_MAX; fd++) {
		if (!files->fd[fd]) {
			files->fd[fd] = f;
			assign_cloexec(files, fd, cloexec);
			ret = fd;
			break;
		}
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return ret;
}

struct file *fget(struct files_struct *files, int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (!files || fd < 0 || fd >= NR_OPEN_MAX)
		return NULL;
	spin_lock_irqsave(&files->lock, flags);
	if (files->fd[fd])
		f = get_file(files->fd[fd]);
	spin_unlock_irqrestore(&files->lock, flags);
	return f;
}

int fd_close(struct files_struct *files, int fd)
{
	struct file *f = NULL;
	unsigned long flags;

	if (fd < 0 || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, flags);
	f = files->fd[fd];
	files->fd[fd] = NULL;
	assign_cloexec(files, fd, false);
	spin_unlock_irqrestore(&files->lock, flags);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

int fd_dup_to(struct files_struct *files, int oldfd, int newfd, bool cloexec)
{
	struct file *f, *old = NULL;
	unsigned long flags;

	if (oldfd < 0 || oldfd >= NR_OPEN_MAX || newfd < 0 ||
	    newfd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, flags);
	f = files->fd[oldfd];
	if (!f) {
		spin_unlock_irqrestore(&files->lock, flags);
		return -EBADF;
	}
	if (oldfd != newfd) {
		old = files->fd[newfd];
		files->fd[newfd] = get_file(f);
	}
	assign_cloexec(files, newfd, cloexec);
	spin_unlock_irqrestore(&files->lock, flags);
	if (old)
		fput(old);
	return newfd;
}

int fd_get_cloexec(struct files_struct *files, int fd)
{
	unsigned long flags;
	int ret = -EBADF;

	if (fd < 0 || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, flags);
	if (files->fd[fd])
		ret = test_cloexec(files, fd);
	spin_unlock_irqrestore(&files->lock, flags);
	return ret;
}

int fd_set_cloexec(struct files_struct *files, int fd, bool on)
{
	unsigned long flags;
	int ret = -EBADF;

	if (fd < 0 || fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock_irqsave(&files->lock, flags);
	if (files->fd[fd]) {
		assign_cloexec(files, fd, on);
		ret = 0;
	}
	spin_unlock_irqrestore(&files->lock, flags);
	return ret;
}

unsigned int files_count(struct files_struct *files)
{
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&files->lock, flags);
	for (int fd = 0; fd < NR_OPEN_MAX; fd++)
		n += files->fd[fd] != NULL;
	spin_unlock_irqrestore(&files->lock, flags);
	return n;
}

static struct files_struct *console_files;

struct files_struct *current_files(void)
{
	struct process *p = current_process();

	if (p)
		return p->files;
	return console_files;
}

void files_set_cwd(struct files_struct *files, struct vfsmount *mnt,
		   struct inode *dir)
{
	struct vfsmount *old_mnt;
	struct inode *old;
	unsigned long flags;

	spin_lock_irqsave(&files->lock, flags);
	old_mnt = files->cwd_mnt;
	old = files->cwd;
	files->cwd_mnt = mnt;
	files->cwd = dir;
	spin_unlock_irqrestore(&files->lock, flags);
	if (old)
		iput(old);
	if (old_mnt)
		mntput(old_mnt);
}

/* The VFS asks for the current directory and program here. */
static void task_get_cwd(struct path *out)
{
	struct files_struct *files = current_files();
	unsigned long flags;

	out->mnt = NULL;
	out->inode = NULL;
	if (!files)
		return;
	spin_lock_irqsave(&files->lock, flags);
	if (files->cwd) {
		out->mnt = mntget(files->cwd_mnt);
		out->inode = ihold(files->cwd);
	}
	spin_unlock_irqrestore(&files->lock, flags);
}

static int task_exe_path(char *buf, size_t size)
{
	struct process *p = current_process();

	if (!p || !p->has_exe)
		return -ENOENT;		/* a kernel thread: no program */
	if (strlen(p->exe_path) >= size)
		return -ENAMETOOLONG;
	memcpy(buf, p->exe_path, strlen(p->exe_path) + 1);
	return 0;
}

static const struct vfs_task_ops task_ops = {
	.get_cwd = task_get_cwd,
	.exe_path = task_exe_path,
};

void files_init(void)
{
	console_files = files_alloc_console();
	if (!console_files)
		panic("files: no memory for the console's descriptor table");
	vfs_set_task_ops(&task_ops);
	register_chrdev_open(1 << 8 | 3, dev_null_open);
	register_chrdev_open(1 << 8 | 5, dev_zero_open);
	register_chrdev_open(5 << 8 | 1, tty_open);
}

/* ---------------------------------------------------------------- signals */

static const struct file_signal_ops *signal_ops;

void file_set_signal_ops(const struct file_signal_ops *ops)
{
	WRITE_ONCE(signal_ops, ops);
}

bool file_interrupted(void)
{
	const struct file_signal_ops *ops = READ_ONCE(signal_ops);

	return current_process() && ops && ops->pending && ops->pending();
}

void file_sigpipe(void)
{
	const struct file_signal_ops *ops = READ_ONCE(signal_ops);

	if (current_process() && ops && ops->sigpipe)
		ops->sigpipe();
}

ssize_t file_wait_io(struct file *f, struct wait_queue_head *wq,
		     ssize_t (*attempt)(struct file *f, void *arg), void *arg)
{
	struct wait_queue_entry we = { 0 };
	ssize_t ret;

	for (;;) {
		prepare_to_wait(wq, &we);
		ret = attempt(f, arg);
		if (ret != -EAGAIN)
			break;
		if (f->f_flags & O_NONBLOCK)
			break;
		if (file_interrupted()) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(wq, &we);
	return ret;
}

/* ------------------------------------------------------ /dev/null, /dev/zero */

static ssize_t null_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	return 0;
}

static ssize_t null_write(struct file *f, const char *buf, size_t n,
			  loff_t *pos)
{
	return (ssize_t)n;
}

static ssize_t zero_read(struct file *f, char *buf, size_t n, loff_t *pos)
{
	memset(buf, 0, n);
	return (ssize_t)n;
}

static loff_t dev_llseek(struct file *f, loff_t off, int whence)
{
	f->f_pos = 0;
	return 0;
}

static void null_getattr(struct file *f, struct kstat *st)
{
	st->rdev = 1 << 8 | 3;		/* Linux's mem major 1, null minor 3 */
}

static void zero_getattr(struct file *f, struct kstat *st)
{
	st->rdev = 1 << 8 | 5;
}

static const struct file_operations null_fops = {
	.read = null_read, .write = null_write, .llseek = dev_llseek,
	.getattr = null_getattr,
};
static const struct file_operations zero_fops = {
	.read = zero_read, .write = null_write, .llseek = dev_llseek,
	.getattr = zero_getattr,
};

struct file *dev_null_open(unsigned int f_flags)
{
	return file_alloc(&null_fops, f_flags, NULL);
}

struct file *dev_zero_open(unsigned int f_flags)
{
	return file_alloc(&zero_fops, f_flags, NULL);
}
