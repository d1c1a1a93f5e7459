/*
 * sysfuzz SEED COUNT - make COUNT system calls with random numbers
 * (0..450) and random arguments from a generator seeded with SEED, in a
 * child, and report:
 *
 *   sysfuzz: COUNT calls, seed SEED, N errors, M unknown
 *
 * (N: calls that returned an error other than -ENOSYS; M: -ENOSYS). Exit
 * 0 if the child got to the end, 1 if it died or its report was lost, 2
 * on bad arguments. The same seed makes the same calls on the same
 * kernel: a crash is replayed by running it again.
 *
 * What the kernel must survive is any argument; what the fuzzer must
 * survive is its own calls. So the child
 *  - gives up root when it has it (the same binary runs on the host's
 *    Linux in `make user-host-check`: it must not be able to harm it),
 *    closes its standard files (nothing reaches the console; a read can
 *    not wait for a keyboard) and blocks every signal it can;
 *  - never makes calls that would end the run (exit, execve, kill, ...),
 *    could wait forever (read, futex, nanosleep, ...) or could harm a
 *    Linux host (SysV IPC, memfd + fallocate, sending packets, ...): our
 *    kernel answers most of those with -ENOSYS anyway (`skip` below);
 *  - passes its own memory only as a "playground" mapping at a fixed
 *    address, so the kernel can write anywhere it is told to, and gives
 *    the memory calls (mmap, munmap, mprotect, mremap, madvise...) only
 *    addresses inside the playground or an unmapped window beside it, or
 *    addresses the kernel must refuse: they can change everything there
 *    and nothing of the fuzzer's own;
 *  - turns fork (clone) into a plain fork whose child exits at once, at
 *    most MAX_FORKS times, and reaps it.
 */
#include "libc.h"

#define NR_MAX		450
#define PAGE_SIZE	4096UL
#define PLAYGROUND	0x10000000000UL		/* 1 TiB */
#define PLAY_SIZE	(16UL << 20)
#define WINDOW		0x20000000000UL		/* 2 TiB: kept unmapped */
#define WINDOW_SIZE	(1UL << 30)
#define MAX_FORKS	32
#define MMAP_MAX	(16UL << 20)
#define NOBODY		65534

/* How a call is treated (flags; 0: random arguments as they come). */
enum {
	SKIP	= 1,	/* never made */
	MM	= 2,	/* args 0 (address) and 1 (length) stay in safe places */
	MREMAP	= 4,	/* mremap: also arg 2 (new length) and arg 4 (new address) */
	NOPTR1	= 8,	/* arg 1 is never a readable pointer (a new setting) */
	NOPTR2	= 16,	/* arg 2 likewise */
	FORK	= 32,	/* fork-like: made as clone(SIGCHLD) */
	FDARG0	= 64,	/* arg 0 (close/dup2/dup3: arg 1) must not be the report fd */
	MMAP	= 128,	/* mmap: length capped, a new mapping outside is undone */
};

struct rule {
	long nr;	/* __NR_none (-1) where this arch lacks the call */
	int flags;
};

static const struct rule rules[] = {
	/* End the run. */
	{ __NR_exit, SKIP }, { __NR_exit_group, SKIP },
	{ __NR_execve, SKIP }, { __NR_execveat, SKIP },
	{ __NR_kill, SKIP }, { __NR_tkill, SKIP }, { __NR_tgkill, SKIP },
	{ __NR_rt_sigqueueinfo, SKIP }, { __NR_rt_tgsigqueueinfo, SKIP },
	{ __NR_pidfd_send_signal, SKIP }, { __NR_rt_sigreturn, SKIP },
	{ __NR_reboot, SKIP }, { __NR_vfork, SKIP }, { __NR_clone3, SKIP },
	{ __NR_seccomp, SKIP }, { __NR_rseq, SKIP }, { __NR_alarm, SKIP },
	{ __NR_setitimer, SKIP }, { __NR_timer_create, SKIP },
	{ __NR_close_range, SKIP }, { __NR_process_vm_writev, SKIP },
	{ __NR_process_vm_readv, SKIP }, { __NR_io_setup, SKIP },
	{ __NR_io_submit, SKIP }, { __NR_io_uring_setup, SKIP },
	{ __NR_io_uring_enter, SKIP }, { __NR_io_uring_register, SKIP },
	{ __NR_userfaultfd, SKIP }, { __NR_ptrace, SKIP },
	{ __NR_unshare, SKIP }, { __NR_setns, SKIP },
	{ __NR_process_madvise, SKIP }, { __NR_perf_event_open, SKIP },
	/* May wait forever. */
	{ __NR_pause, SKIP }, { __NR_rt_sigsuspend, SKIP },
	{ __NR_rt_sigtimedwait, SKIP }, { __NR_nanosleep, SKIP },
	{ __NR_clock_nanosleep, SKIP }, { __NR_futex, SKIP },
	{ __NR_futex_waitv, SKIP }, { __NR_read, SKIP }, { __NR_readv, SKIP },
	{ __NR_pread64, SKIP }, { __NR_preadv, SKIP }, { __NR_preadv2, SKIP },
	{ __NR_recvfrom, SKIP }, { __NR_recvmsg, SKIP }, { __NR_recvmmsg, SKIP },
	{ __NR_poll, SKIP }, { __NR_ppoll, SKIP }, { __NR_select, SKIP },
	{ __NR_pselect6, SKIP }, { __NR_epoll_wait, SKIP },
	{ __NR_epoll_pwait, SKIP }, { __NR_epoll_pwait2, SKIP },
	{ __NR_accept, SKIP }, { __NR_accept4, SKIP }, { __NR_connect, SKIP },
	{ __NR_io_getevents, SKIP }, { __NR_io_pgetevents, SKIP },
	{ __NR_mq_timedreceive, SKIP }, { __NR_mq_timedsend, SKIP },
	{ __NR_pipe, SKIP }, { __NR_pipe2, SKIP }, { __NR_socketpair, SKIP },
	{ __NR_eventfd, SKIP }, { __NR_eventfd2, SKIP }, { __NR_flock, SKIP },
	/* Would harm a Linux host (our kernel: -ENOSYS). */
	{ __NR_shmget, SKIP }, { __NR_shmat, SKIP }, { __NR_shmdt, SKIP },
	{ __NR_shmctl, SKIP }, { __NR_msgget, SKIP }, { __NR_msgsnd, SKIP },
	{ __NR_msgrcv, SKIP }, { __NR_msgctl, SKIP }, { __NR_semget, SKIP },
	{ __NR_semop, SKIP }, { __NR_semctl, SKIP }, { __NR_semtimedop, SKIP },
	{ __NR_mq_open, SKIP }, { __NR_mq_unlink, SKIP },
	{ __NR_memfd_create, SKIP }, { __NR_fallocate, SKIP },
	{ __NR_sendto, SKIP }, { __NR_sendmsg, SKIP }, { __NR_sendmmsg, SKIP },
	{ __NR_mlockall, SKIP }, { __NR_sync, SKIP }, { __NR_syncfs, SKIP },
	{ __NR_prctl, SKIP },
	/* Memory calls: only on the playground, the window, or refused. */
	{ __NR_mmap, MM | MMAP }, { __NR_munmap, MM }, { __NR_mprotect, MM },
	{ __NR_pkey_mprotect, MM }, { __NR_madvise, MM }, { __NR_msync, MM },
	{ __NR_mlock, MM }, { __NR_mlock2, MM }, { __NR_munlock, MM },
	{ __NR_mbind, MM }, { __NR_remap_file_pages, MM },
	{ __NR_mremap, MM | MREMAP },
	/* New settings that could kill the fuzzer: only bad pointers. */
	{ __NR_rt_sigaction, NOPTR1 }, { __NR_rt_sigprocmask, NOPTR1 },
	{ __NR_setrlimit, NOPTR1 }, { __NR_prlimit64, NOPTR2 },
	/* Forks. */
	{ __NR_clone, FORK }, { __NR_fork, FORK },
	/* The report pipe stays open. */
	{ __NR_close, FDARG0 }, { __NR_dup2, FDARG0 }, { __NR_dup3, FDARG0 },
};

/* The calls this arch names ({ number, "name" }, from <arch/unistd.h>).
 * A number it does not name is never made: our kernel can only answer it
 * -ENOSYS, and the host's newer Linux may have given it a meaning there
 * (x86_64's 335 is uretprobe, which raises SIGILL). */
static const struct syscall_name {
	long nr;
	const char *name;
} names[] = {
#include "syscall_names.h"
};

static const char *name_of(long nr)
{
	unsigned i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].nr == nr)
			return names[i].name;
	return NULL;
}

static int rule_of(long nr)
{
	unsigned i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (rules[i].nr == nr)
			return rules[i].flags;
	return 0;
}

static struct prng rng;
static int report_fd;

/* An address the memory calls may be given: inside the playground or
 * the window (with the room left there), or one the kernel must refuse. */
static unsigned long mm_addr(unsigned long *room)
{
	unsigned long pages;

	switch (prng_below(&rng, 6)) {
	case 0:
	case 1:
		pages = prng_below(&rng, PLAY_SIZE / PAGE_SIZE);
		*room = PLAY_SIZE - pages * PAGE_SIZE;
		return PLAYGROUND + pages * PAGE_SIZE;
	case 2:
		pages = prng_below(&rng, WINDOW_SIZE / PAGE_SIZE);
		*room = WINDOW_SIZE - pages * PAGE_SIZE;
		return WINDOW + pages * PAGE_SIZE;
	case 3:
		*room = ~0UL;
		return prng_below(&rng, 2) ? UARCH_KERNEL_DATA : UARCH_KERNEL_TEXT;
	case 4:
		*room = 0x10000;	/* below any program's text */
		return 0;
	default:
		*room = ~0UL;
		return ~0UL - prng_below(&rng, 3) * PAGE_SIZE;
	}
}

/* A length: small, a few pages, or huge - capped at room. */
static unsigned long mm_len(unsigned long room)
{
	unsigned long len;

	switch (prng_below(&rng, 4)) {
	case 0: len = prng_below(&rng, 3 * PAGE_SIZE); break;
	case 1: len = prng_below(&rng, 64) * PAGE_SIZE; break;
	case 2: len = prng_below(&rng, PLAY_SIZE); break;
	default: len = prng_next(&rng); break;
	}
	return len > room ? room : len;
}

/* Any argument: small numbers, addresses in and out of the playground,
 * read-only memory (our own text), kernel addresses, -1, huge values. */
static unsigned long any_arg(int readable_ok)
{
	switch (prng_below(&rng, readable_ok ? 9 : 6)) {
	case 0: return prng_below(&rng, 65);
	case 1: return 0;
	case 2: return ~0UL;
	case 3: return prng_below(&rng, 2) ? UARCH_KERNEL_DATA : UARCH_KERNEL_TEXT;
	case 4: return WINDOW + prng_below(&rng, WINDOW_SIZE / PAGE_SIZE) * PAGE_SIZE;
	case 5: {
		static const unsigned long huge[] = {
			1UL << 63, 0x7fffffffffffUL, 0xffffffffUL, 0x80000000UL,
			0x7fffffffUL, 1UL << 47, 1UL << 48,
		};
		return prng_below(&rng, 2) ? prng_next(&rng)
					   : huge[prng_below(&rng, 7)];
	}
	case 6:
	case 7:
		return PLAYGROUND + prng_below(&rng, PLAY_SIZE / PAGE_SIZE) * PAGE_SIZE +
		       (prng_below(&rng, 4) ? 0 : prng_below(&rng, PAGE_SIZE));
	default:
		return (unsigned long)&main & ~(PAGE_SIZE - 1);
	}
}

struct counts {
	unsigned long calls, errors, unknown, forks;
};

/* One random call. Returns 0, or -1 if it was skipped (draw again). */
static int one_call(struct counts *c)
{
	long nr = (long)prng_below(&rng, NR_MAX + 1), r;
	int flags = rule_of(nr);
	unsigned long a[6], room;
	unsigned i;

	if ((flags & SKIP) || !name_of(nr))
		return -1;
	for (i = 0; i < 6; i++)
		a[i] = any_arg(!((flags & NOPTR1 && i == 1) || (flags & NOPTR2 && i == 2)));
	if (flags & MM) {
		a[0] = mm_addr(&room);
		a[1] = mm_len(room);
		if (flags & MREMAP) {
			a[2] = mm_len(room);
			a[4] = mm_addr(&room);
			a[2] = a[2] > room ? room : a[2];
		}
		if (flags & MMAP) {
			if (a[1] > MMAP_MAX)
				a[1] = MMAP_MAX;
		}
	}
	if (flags & FDARG0) {
		if (a[0] == (unsigned long)report_fd || (nr != __NR_close &&
		    a[1] == (unsigned long)report_fd))
			return -1;
	}
	if (flags & FORK) {
		if (c->forks >= MAX_FORKS)
			return -1;
		c->forks++;
		r = sys_raw(__NR_clone, SIGCHLD, 0, 0, 0, 0);
		if (r == 0)
			sys_raw(__NR_exit_group, 0);
		if (r > 0)
			wait4((pid_t)r, NULL, 0, NULL);
	} else {
		r = __syscall6(nr, (long)a[0], (long)a[1], (long)a[2],
			       (long)a[3], (long)a[4], (long)a[5]);
	}
	/* A new mapping the kernel placed itself (outside the playground and
	 * the window) is undone, so memory does not pile up. */
	if ((flags & MMAP) && r > 0 && (unsigned long)r + a[1] > (unsigned long)r &&
	    ((unsigned long)r < PLAYGROUND || (unsigned long)r >= WINDOW + WINDOW_SIZE))
		munmap((void *)r, a[1]);
	c->calls++;
	if (r == -ENOSYS)
		c->unknown++;
	else if (r < 0 && r > -4096)
		c->errors++;
	return 0;
}

static __attribute__((noreturn)) void fuzz(unsigned long seed, unsigned long count)
{
	struct counts c = { 0, 0, 0, 0 };
	unsigned long all = ~0UL;
	char line[128];
	int fd;

	if (sys_raw(__NR_getuid, 0) == 0) {
		sys_raw(__NR_setresgid, NOBODY, NOBODY, NOBODY);
		sys_raw(__NR_setresuid, NOBODY, NOBODY, NOBODY);
	}
	sys_raw(__NR_rt_sigprocmask, 2 /* SIG_SETMASK */, &all, 0, 8);
	for (fd = 0; fd < 3; fd++)
		if (fd != report_fd)
			close(fd);
	if (mmap((void *)PLAYGROUND, PLAY_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != (void *)PLAYGROUND) {
		dprintf(report_fd, "\nsysfuzz-error: cannot map the playground: %s\n",
			strerror(errno));
		_exit(1);
	}
	prng_seed(&rng, seed);
	while (c.calls < count)
		one_call(&c);
	snprintf(line, sizeof(line), "\nsysfuzz-report %lu %lu %lu\n",
		 c.calls, c.errors, c.unknown);
	if (write(report_fd, line, strlen(line)) < 0)
		_exit(3);
	_exit(0);
}

static void usage(void)
{
	dprintf(2, "usage: sysfuzz SEED COUNT\n");
	exit(2);
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || s[0] == '-')
		usage();
	return v;
}

int main(int argc, char **argv, char **envp)
{
	static char buf[65536];
	unsigned long seed, count, calls = 0, errors = 0, unknown = 0;
	size_t len = 0;
	int fds[2], status, got = 0;
	char *p;
	pid_t pid;
	ssize_t n;

	if (argc != 3)
		usage();
	seed = number(argv[1]);
	count = number(argv[2]);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		printf("sysfuzz: pipe2: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("sysfuzz: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		report_fd = fds[1];
		fuzz(seed, count);
	}
	close(fds[1]);
	/* Whatever the child wrote to the pipe, keep the last 64 KiB; its
	 * report is the last line. */
	for (;;) {
		if (len == sizeof(buf) - 1) {
			memmove(buf, buf + sizeof(buf) / 2, sizeof(buf) / 2);
			len -= sizeof(buf) / 2;
		}
		n = read(fds[0], buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid) {
		printf("sysfuzz: wait4: %s\n", strerror(errno));
		return 1;
	}
	for (p = buf + len; p > buf && !got; p--)
		if (!strncmp(p - 1, "\nsysfuzz-report ", 16)) {
			calls = strtoul(p + 15, &p, 10);
			errors = strtoul(p, &p, 10);
			unknown = strtoul(p, &p, 10);
			got = 1;
		}
	if ((p = strchr(buf, 's')) && !strncmp(p, "sysfuzz-error", 13))
		printf("%s", p);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !got || calls != count) {
		printf("sysfuzz: seed %lu: the child %s before the end%s\n", seed,
		       status_str(status), got ? "" : " (no report)");
		return 1;
	}
	printf("sysfuzz: %lu calls, seed %lu, %lu errors, %lu unknown\n",
	       calls, seed, errors, unknown);
	return 0;
}
