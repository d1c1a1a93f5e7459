/*
 * fs/fd_syscalls.c - the system calls on descriptors themselves: close,
 * dup, dup2, dup3, fcntl, ioctl, pipe, pipe2, poll, ppoll. Linux's names,
 * arguments and errnos, over the fd table of kernel/file.h.
 */
#include "fs/fs.h"
#include "kernel/lib/string.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/timer.h"
#include "kernel/tty.h"
#include "kernel/uaccess.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"

static struct file *fdget(int fd)
{
	return fget(current_files(), fd);
}

/* ------------------------------------------------------- descriptors */

SYSCALL_DEFINE1(close, int, fd)
{
	return fd_close(current_files(), fd);
}

SYSCALL_DEFINE1(dup, int, oldfd)
{
	struct file *f = fdget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_install(current_files(), f, false);
	if (fd < 0)
		fput(f);
	return fd;
}

SYSCALL_DEFINE2(dup2, int, oldfd, int, newfd)
{
	if (oldfd == newfd) {
		struct file *f = fdget(oldfd);

		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return fd_dup_to(current_files(), oldfd, newfd, false);
}

SYSCALL_DEFINE3(dup3, int, oldfd, int, newfd, int, flags)
{
	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	return fd_dup_to(current_files(), oldfd, newfd, flags & O_CLOEXEC);
}

SYSCALL_DEFINE3(fcntl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct files_struct *files = current_files();
	struct file *f = fget(files, fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg >= NR_OPEN_MAX) {
			r = -EINVAL;
			break;
		}
		r = fd_install_from(files, get_file(f), (int)arg,
				    cmd == F_DUPFD_CLOEXEC);
		if (r < 0)
			fput(f);
		break;
	case F_GETFD:
		r = fd_get_cloexec(files, fd) == 1 ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_cloexec(files, fd, arg & FD_CLOEXEC);
		break;
	case F_GETFL:
		r = f->f_flags;
		break;
	case F_SETFL: {
		unsigned int changeable = O_APPEND | O_NONBLOCK;

		f->f_flags = (f->f_flags & ~changeable) |
			     ((unsigned int)arg & changeable);
		r = 0;
		break;
	}
	default:
		r = -EINVAL;
	}
	fput(f);
	return r;
}

SYSCALL_DEFINE3(ioctl, int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fdget(fd);
	long r;
	int on;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		r = fd_set_cloexec(current_files(), fd, cmd == FIOCLEX);
		break;
	case FIONBIO:
		if (copy_from_user(&on, (void *)arg, sizeof(on))) {
			r = -EFAULT;
			break;
		}
		f->f_flags = on ? f->f_flags | O_NONBLOCK
				: f->f_flags & ~O_NONBLOCK;
		r = 0;
		break;
	default:
		r = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	}
	fput(f);
	return r;
}

static long do_pipe2(int *ufds, int flags)
{
	struct files_struct *files = current_files();
	struct file *ends[2];
	int fds[2], r;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	if (!access_ok(ufds, sizeof(fds)))
		return -EFAULT;
	r = pipe_create(ends, (unsigned int)flags);
	if (r < 0)
		return r;
	fds[0] = fd_install(files, ends[0], flags & O_CLOEXEC);
	if (fds[0] < 0) {
		fput(ends[0]);
		fput(ends[1]);
		return fds[0];
	}
	fds[1] = fd_install(files, ends[1], flags & O_CLOEXEC);
	if (fds[1] < 0) {
		fd_close(files, fds[0]);
		fput(ends[1]);
		return fds[1];
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		fd_close(files, fds[0]);
		fd_close(files, fds[1]);
		return -EFAULT;
	}
	return 0;
}

SYSCALL_DEFINE2(pipe2, int *, fds, int, flags)
{
	return do_pipe2(fds, flags);
}

SYSCALL_DEFINE1(pipe, int *, fds)
{
	return do_pipe2(fds, 0);
}

/* ------------------------------------------------------------- poll */

struct pollfd {
	int fd;
	short events, revents;
};

struct kernel_timespec {
	long tv_sec, tv_nsec;
};

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);

void poll_wake_all(void)
{
	wake_up(&poll_wq);
}

/* Fill each revents; the number of entries with any. */
static int poll_once(struct pollfd *fds, unsigned int nfds)
{
	int ready = 0;

	for (unsigned int i = 0; i < nfds; i++) {
		struct file *f;
		unsigned int mask;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = fdget(fds[i].fd);
		if (!f) {
			mask = POLLNVAL;
		} else {
			mask = f->f_op->poll ? f->f_op->poll(f)
					     : POLLIN | POLLOUT | POLLRDNORM |
					       POLLWRNORM;
			fput(f);
		}
		mask &= (unsigned int)(uint16_t)fds[i].events | POLLERR |
			POLLHUP | POLLNVAL;
		fds[i].revents = (short)mask;
		ready += mask != 0;
	}
	return ready;
}

/*
 * poll and ppoll: one wait queue for every poller (poll_wake_all), woken
 * whenever a pipe or the terminal changes; each wake-up checks every fd
 * again. Simple, and enough for a shell and its pipes. timeout_ms < 0:
 * no limit.
 */
static long do_poll(struct pollfd *ufds, unsigned int nfds, long timeout_ms)
{
	struct pollfd *fds;
	long ticks = timeout_ms < 0 ? -1 : (long)msecs_to_jiffies(
			(unsigned int)min(timeout_ms, 0x7fffffffL)) + 1;
	long r;

	if (nfds > NR_OPEN_MAX)
		return -EINVAL;
	fds = kmalloc(sizeof(*fds) * (nfds ? nfds : 1), GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, sizeof(*fds) * nfds)) {
		kfree(fds);
		return -EFAULT;
	}
	for (;;) {
		struct wait_queue_entry we = { 0 };

		prepare_to_wait(&poll_wq, &we);
		r = poll_once(fds, nfds);
		if (r || timeout_ms == 0 || ticks == 0) {
			finish_wait(&poll_wq, &we);
			break;
		}
		if (file_interrupted()) {
			finish_wait(&poll_wq, &we);
			r = -EINTR;
			break;
		}
		if (ticks < 0)
			schedule();
		else
			ticks = schedule_timeout(ticks);
		finish_wait(&poll_wq, &we);
	}
	if (r >= 0 && copy_to_user(ufds, fds, sizeof(*fds) * nfds))
		r = -EFAULT;
	kfree(fds);
	return r;
}

SYSCALL_DEFINE3(poll, struct pollfd *, fds, unsigned int, nfds,
		int, timeout_ms)
{
	return do_poll(fds, nfds, timeout_ms < 0 ? -1 : timeout_ms);
}

/* The signal mask argument is not applied: nothing here blocks signals
 * during the wait yet (the signal layer may add it). */
SYSCALL_DEFINE5(ppoll, struct pollfd *, fds, unsigned int, nfds,
		const struct kernel_timespec *, uts, const void *, sigmask,
		size_t, sigsetsize)
{
	struct kernel_timespec ts;
	long ms = -1;

	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L)
			return -EINVAL;
		ms = ts.tv_sec > 0x7fffffffL / 1000 ? 0x7fffffffL :
		     ts.tv_sec * 1000 + (ts.tv_nsec + 999999) / 1000000;
	}
	return do_poll(fds, nfds, ms);
}

