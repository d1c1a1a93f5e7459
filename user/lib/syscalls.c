/*
 * user/lib/syscalls.c - the system-call wrappers: each one is the raw call
 * (user/lib/arch/<arch>/syscall.S) plus the C convention for errors.
 */
#include "libc.h"

int errno;

long __syscall_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

#define SYS(nr, ...)	__syscall_ret(sys_raw(nr, __VA_ARGS__))

ssize_t read(int fd, void *buf, size_t n)
{
	return SYS(__NR_read, fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	return SYS(__NR_write, fd, buf, n);
}

int openat(int dirfd, const char *path, int flags, int mode)
{
	return (int)SYS(__NR_openat, dirfd, path, flags, mode);
}

int close(int fd)
{
	return (int)SYS(__NR_close, fd);
}

long lseek(int fd, long off, int whence)
{
	return SYS(__NR_lseek, fd, off, whence);
}

int fstat(int fd, struct stat *st)
{
	return (int)SYS(__NR_fstat, fd, st);
}

int ftruncate(int fd, long length)
{
	return (int)SYS(__NR_ftruncate, fd, length);
}

int fsync(int fd)
{
	return (int)SYS(__NR_fsync, fd);
}

int fdatasync(int fd)
{
	return (int)SYS(__NR_fdatasync, fd);
}

int pipe2(int fds[2], int flags)
{
	return (int)SYS(__NR_pipe2, fds, flags);
}

int dup3(int oldfd, int newfd, int flags)
{
	return (int)SYS(__NR_dup3, oldfd, newfd, flags);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
	return (void *)SYS(__NR_mmap, addr, len, prot, flags, fd, off);
}

int munmap(void *addr, size_t len)
{
	return (int)SYS(__NR_munmap, addr, len);
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)SYS(__NR_mprotect, addr, len, prot);
}

pid_t fork(void)
{
	/* clone(flags, newsp, parent_tid, child_tid/tls, tls/child_tid):
	 * the last three differ in order between arches, all 0 here. */
	return (pid_t)SYS(__NR_clone, SIGCHLD, 0, 0, 0, 0);
}

pid_t wait4(pid_t pid, int *status, int options, void *rusage)
{
	return (pid_t)SYS(__NR_wait4, pid, status, options, rusage);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	pid_t r;

	do
		r = wait4(pid, status, options, NULL);
	while (r < 0 && errno == EINTR);
	return r;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)SYS(__NR_execve, path, argv, envp);
}

pid_t getpid(void)
{
	return (pid_t)SYS(__NR_getpid, 0);
}

pid_t getppid(void)
{
	return (pid_t)SYS(__NR_getppid, 0);
}

int kill(pid_t pid, int sig)
{
	return (int)SYS(__NR_kill, pid, sig);
}

int clock_gettime(int clk, struct timespec *ts)
{
	return (int)SYS(__NR_clock_gettime, clk, ts);
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)SYS(__NR_nanosleep, req, rem);
}

int sched_yield(void)
{
	return (int)SYS(__NR_sched_yield, 0);
}

int sysinfo(struct sysinfo *info)
{
	return (int)SYS(__NR_sysinfo, info);
}

void _exit(int code)
{
	for (;;)
		sys_raw(__NR_exit_group, code);
}

void exit(int code)
{
	_exit(code);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sleep_ms(unsigned long ms)
{
	struct timespec ts = { (long)(ms / 1000), (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static const char *const signames[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT",
	[SIGILL] = "SIGILL", [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT",
	[SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE", [SIGKILL] = "SIGKILL",
	[SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGCHLD] = "SIGCHLD",
};

const char *signame(int sig)
{
	static char buf[16];

	if (sig > 0 && sig < (int)(sizeof(signames) / sizeof(signames[0])) &&
	    signames[sig])
		return signames[sig];
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}

const char *status_str(int status)
{
	static char buf[32];

	if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by %s", signame(WTERMSIG(status)));
	else
		snprintf(buf, sizeof(buf), "status 0x%x", status);
	return buf;
}

int run_in_child(void (*fn)(void *), void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}
