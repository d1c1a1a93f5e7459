/*
 * kattack - try every way into the kernel a user program has; each must
 * fail. Prints one line per attempt,
 *
 *   kattack: <what>: stopped (<how>)      or
 *   kattack: <what>: NOT STOPPED (<what happened>)
 *
 * and finally `kattack: <N> attempts, all stopped` (exit 0) or
 * `kattack: <N> attempts, <M> not stopped` (exit 1).
 *
 * Memory: read, write and execute the kernel's direct map and text, each
 * in a child that must die of SIGSEGV. System calls: a kernel address
 * passed as each pointer argument must give -EFAULT (the kernel checks a
 * user pointer before it uses it). mmap at address 0 must give -EPERM.
 * On Linux root may map page 0 (CAP_SYS_RAWIO), so kattack first gives
 * up root if it has it, as the unprivileged program it plays.
 */
#include "libc.h"

#define KDATA	((void *)UARCH_KERNEL_DATA)
#define KTEXT	((void *)UARCH_KERNEL_TEXT)
#define NOBODY	65534

static unsigned attempts, failures;
static volatile uintptr_t kdata_addr = UARCH_KERNEL_DATA;
static volatile uintptr_t ktext_addr = UARCH_KERNEL_TEXT;
static volatile int sink;

static void result(const char *what, int stopped, const char *how)
{
	attempts++;
	if (stopped) {
		printf("kattack: %s: stopped (%s)\n", what, how);
	} else {
		failures++;
		printf("kattack: %s: NOT STOPPED (%s)\n", what, how);
	}
}

/* ------------------------------------------------------------ memory */
static void read_kdata(void *a) { sink = *(volatile int *)kdata_addr; }
static void write_kdata(void *a) { *(volatile int *)kdata_addr = 0; }
static void read_ktext(void *a) { sink = *(volatile int *)ktext_addr; }
static void write_ktext(void *a) { *(volatile int *)ktext_addr = 0; }
static void exec_ktext(void *a) { ((void (*)(void))ktext_addr)(); }
static void exec_kdata(void *a) { ((void (*)(void))kdata_addr)(); }

static void memory(const char *what, void (*fn)(void *))
{
	int status = run_in_child(fn, NULL);

	if (status < 0)
		result(what, 0, "fork or wait4 failed");
	else
		result(what, WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
		       status_str(status));
}

/* ------------------------------------------------------------ syscalls */
/* A call must return exactly -want. */
static void expect(const char *what, long ret, int want)
{
	char how[64];

	if (ret == -want)
		snprintf(how, sizeof(how), "-%s", want == EFAULT ? "EFAULT" : "EPERM");
	else if (ret < 0 && ret > -4096)
		snprintf(how, sizeof(how), "error %ld, expected %d", -ret, want);
	else
		snprintf(how, sizeof(how), "returned %ld", ret);
	result(what, ret == -want, how);
}

#define EFAULT_ON(what, call)	expect(what, call, EFAULT)

static void syscalls(void)
{
	static char buf[256];
	struct iovec kiov = { KDATA, 16 };
	int fds[2], status, dirfd;
	pid_t pid;

	if (pipe2(fds, 0) < 0) {
		result("pipe2 for the read/write tests", 0, strerror(errno));
		return;
	}
	write(fds[1], "kattack", 7);
	EFAULT_ON("read into the kernel", sys_raw(__NR_read, fds[0], KDATA, 7));
	EFAULT_ON("write from the kernel", sys_raw(__NR_write, fds[1], KDATA, 16));
	EFAULT_ON("write from kernel text", sys_raw(__NR_write, fds[1], KTEXT, 16));
	EFAULT_ON("readv with a kernel iovec array", sys_raw(__NR_readv, fds[0], KDATA, 1));
	EFAULT_ON("readv into the kernel", sys_raw(__NR_readv, fds[0], &kiov, 1));
	EFAULT_ON("writev with a kernel iovec array", sys_raw(__NR_writev, fds[1], KDATA, 1));
	EFAULT_ON("writev from the kernel", sys_raw(__NR_writev, fds[1], &kiov, 1));
	close(fds[0]);
	close(fds[1]);

	EFAULT_ON("pipe2 fds into the kernel", sys_raw(__NR_pipe2, KDATA, 0));
	EFAULT_ON("uname into the kernel", sys_raw(__NR_uname, KDATA));
	EFAULT_ON("clock_gettime into the kernel",
		  sys_raw(__NR_clock_gettime, CLOCK_MONOTONIC, KDATA));
	EFAULT_ON("nanosleep request from the kernel", sys_raw(__NR_nanosleep, KDATA, 0));
	EFAULT_ON("rt_sigaction new action from the kernel",
		  sys_raw(__NR_rt_sigaction, SIGUSR1, KDATA, 0, 8));
	EFAULT_ON("rt_sigaction old action into the kernel",
		  sys_raw(__NR_rt_sigaction, SIGUSR1, 0, KDATA, 8));
	EFAULT_ON("rt_sigprocmask set from the kernel",
		  sys_raw(__NR_rt_sigprocmask, 0, KDATA, 0, 8));
	EFAULT_ON("rt_sigprocmask old set into the kernel",
		  sys_raw(__NR_rt_sigprocmask, 0, 0, KDATA, 8));
	EFAULT_ON("getrandom into the kernel", sys_raw(__NR_getrandom, KDATA, 16, 0));
	EFAULT_ON("fstat into the kernel", sys_raw(__NR_fstat, 1, KDATA));
	EFAULT_ON("newfstatat path in the kernel",
		  sys_raw(__NR_newfstatat, AT_FDCWD, KDATA, buf, 0));
	EFAULT_ON("newfstatat of / into the kernel",
		  sys_raw(__NR_newfstatat, AT_FDCWD, "/", KDATA, 0));
	EFAULT_ON("openat path in the kernel",
		  sys_raw(__NR_openat, AT_FDCWD, KDATA, O_RDONLY, 0));
	EFAULT_ON("readlinkat path in the kernel",
		  sys_raw(__NR_readlinkat, AT_FDCWD, KDATA, buf, sizeof(buf)));
	EFAULT_ON("readlinkat of /bin/sh into the kernel",
		  sys_raw(__NR_readlinkat, AT_FDCWD, "/bin/sh", KDATA, 64));
	EFAULT_ON("getcwd into the kernel", sys_raw(__NR_getcwd, KDATA, 64));
	dirfd = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY, 0);
	if (dirfd < 0) {
		result("getdents64 into the kernel", 0, "cannot open / to try it");
	} else {
		EFAULT_ON("getdents64 into the kernel",
			  sys_raw(__NR_getdents64, dirfd, KDATA, 4096));
		close(dirfd);
	}
	EFAULT_ON("execve path in the kernel", sys_raw(__NR_execve, KDATA, 0, 0));
	EFAULT_ON("prlimit64 new limit from the kernel",
		  sys_raw(__NR_prlimit64, 0, 3 /* RLIMIT_STACK */, KDATA, 0));
	EFAULT_ON("prlimit64 old limit into the kernel",
		  sys_raw(__NR_prlimit64, 0, 3 /* RLIMIT_STACK */, 0, KDATA));
	EFAULT_ON("sysinfo into the kernel",
		  sys_raw(__NR_sysinfo, KDATA));

	/* wait4's status: a child that has exited, its status word aimed at
	 * the kernel. Then reap it whatever the kernel did. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid < 0) {
		result("wait4 status into the kernel", 0, "fork failed");
	} else {
		sleep_ms(20);
		EFAULT_ON("wait4 status into the kernel",
			  sys_raw(__NR_wait4, pid, KDATA, 0, 0));
		wait4(pid, &status, 0, NULL);
	}
}

static void mmap_zero(void)
{
	long r = sys_raw(__NR_mmap, 0, 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	expect("mmap at address 0 (MAP_FIXED)", r, EPERM);
	if (r == 0)
		munmap(0, 4096);
}

int main(int argc, char **argv, char **envp)
{
	if (sys_raw(__NR_getuid, 0) == 0) {
		sys_raw(__NR_setresgid, NOBODY, NOBODY, NOBODY);
		sys_raw(__NR_setresuid, NOBODY, NOBODY, NOBODY);
	}
	memory("read the kernel's direct map", read_kdata);
	memory("write the kernel's direct map", write_kdata);
	memory("execute in the kernel's direct map", exec_kdata);
	memory("read the kernel's text", read_ktext);
	memory("write the kernel's text", write_ktext);
	memory("execute the kernel's text", exec_ktext);
	syscalls();
	mmap_zero();
	if (failures) {
		printf("kattack: %u attempts, %u not stopped\n", attempts, failures);
		return 1;
	}
	printf("kattack: %u attempts, all stopped\n", attempts);
	return 0;
}
