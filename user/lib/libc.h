/*
 * user/lib/libc.h - the small C library our user programs link with.
 *
 * It speaks only Linux's system-call ABI (numbers from the kernel's own
 * <arch/unistd.h>, error numbers from kernel/errno.h, mmap and signal
 * constants from kernel/abi/: one source for both), so a program built
 * with it runs on our kernel and, unchanged, on a Linux host of the same
 * architecture. Conventions follow the C library
 * a student knows: a wrapper returns -1 and sets errno on failure.
 * __syscall6() and sys_raw() return Linux's raw -errno instead; tests that
 * check an exact error use those.
 *
 * One header on purpose: the whole interface fits on a few screens.
 */
#ifndef USER_LIBC_H
#define USER_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arch/stat.h>
#include <arch/unistd.h>
#include "kernel/abi/mman.h"
#include "kernel/abi/signal.h"
#include "kernel/abi/sysinfo.h"
#include "kernel/errno.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "uarch.h"

typedef long ssize_t;
typedef int pid_t;

/* ---------------------------------------------------------- system calls */
/* The instruction itself (user/lib/arch/<arch>/syscall.S). */
long __syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* Any call by number, raw result: a value or -errno. */
#define sys_raw(nr, ...)	sys_raw_n(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define sys_raw_n(nr, a, b, c, d, e, f, ...) \
	__syscall6((nr), (long)(a), (long)(b), (long)(c), (long)(d), \
		   (long)(e), (long)(f))
/* A raw result turned into the C convention: -1 with errno set. */
long __syscall_ret(long r);

extern int errno;

#define AT_FDCWD	(-100)
#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_CREAT		0100
#define O_EXCL		0200
#define O_TRUNC		01000
#define O_CLOEXEC	02000000
#define O_DIRECTORY	UARCH_O_DIRECTORY
#define O_DIRECT	UARCH_O_DIRECT

/* lseek's whence, and st_mode's type bits (struct stat is the arch's own
 * layout, <arch/stat.h>, the file the kernel fills). Linux's values, the
 * same on both arches and as kernel/file.h's. */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define S_IFMT		0170000
#define S_IFREG		0100000
#define S_IFDIR		0040000
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)

#define MAP_FAILED	((void *)-1)

#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	1

/* wait4's status word, as Linux packs it. */
#define WIFEXITED(s)	(((s) & 0x7f) == 0)
#define WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define WIFSIGNALED(s)	(((s) & 0x7f) != 0 && ((s) & 0x7f) != 0x7f)
#define WTERMSIG(s)	((s) & 0x7f)

struct timespec {
	long tv_sec;
	long tv_nsec;
};

struct iovec {
	void *iov_base;
	size_t iov_len;
};

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int openat(int dirfd, const char *path, int flags, int mode);
int close(int fd);
long lseek(int fd, long off, int whence);
int fstat(int fd, struct stat *st);
int ftruncate(int fd, long length);
int fsync(int fd);
int fdatasync(int fd);
int pipe2(int fds[2], int flags);
int dup3(int oldfd, int newfd, int flags);
void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
/* fork() is clone(SIGCHLD): arm64 has no fork call, and the same call on
 * both arches keeps the kernel's one path under test. */
pid_t fork(void);
pid_t wait4(pid_t pid, int *status, int options, void *rusage);
pid_t waitpid(pid_t pid, int *status, int options);
int execve(const char *path, char *const argv[], char *const envp[]);
pid_t getpid(void);
pid_t getppid(void);
int kill(pid_t pid, int sig);
int clock_gettime(int clk, struct timespec *ts);
int nanosleep(const struct timespec *req, struct timespec *rem);
int sched_yield(void);
/* sysinfo(2): struct sysinfo is kernel/abi/sysinfo.h's. */
int sysinfo(struct sysinfo *info);
/* End the process (exit_group: every thread). No atexit handlers. */
__attribute__((noreturn)) void exit(int code);
__attribute__((noreturn)) void _exit(int code);

/* Run fn(arg) in a child (fork; the child exits 0 if fn returns) and
 * return its wait4 status, or -1 with errno if fork or wait4 failed. */
int run_in_child(void (*fn)(void *), void *arg);

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t now_ns(void);
/* Sleep for ms milliseconds. */
void sleep_ms(unsigned long ms);
/* The signal's name ("SIGSEGV"), or "signal N" in a static buffer. */
const char *signame(int sig);
/* Describe a wait4 status: "exited 0", "killed by SIGSEGV". */
const char *status_str(int status);

/* ---------------------------------------------------------- start-up */
/* crt0 calls this with the initial stack; it calls main and exits. */
__attribute__((noreturn)) void __libc_start(long *sp);
int main(int argc, char **argv, char **envp);
extern char **environ;
/* A value from the auxiliary vector (AT_PAGESZ...), or 0. */
#define AT_PAGESZ	6
#define AT_RANDOM	25
unsigned long getauxval(unsigned long type);

/* ---------------------------------------------------------- strings */
/* mem*, strlen, strcmp, strchr, strstr, strlcpy, parse_u64...: the
 * kernel's kernel/lib/string.h, whose code (kernel/lib/string.c and
 * strutil.c) this library compiles too. Here: what the kernel lacks. */
char *strcpy(char *dst, const char *src);
char *strrchr(const char *s, int c);
const char *strerror(int err);

/* ---------------------------------------------------------- numbers */
int atoi(const char *s);
long atol(const char *s);
/* C's strtoul: base 0 (0x.., 0.., decimal), 2..36. */
unsigned long strtoul(const char *s, char **end, int base);
long strtol(const char *s, char **end, int base);
/* A size with an optional K, M or G suffix (powers of 1024), decimal or
 * 0x hex (parse_u64's syntax); 0 and *ok = 0 when s is not one. */
uint64_t parse_size(const char *s, int *ok);

/* A seeded generator, struct prng with prng_seed, prng_next, prng_below:
 * the kernel's kernel/lib/random.h (xoshiro256**; the same seed, the same
 * sequence), whose code this library compiles too. */

/* ---------------------------------------------------------- output */
/* snprintf and vsnprintf are the kernel's ksnprintf and kvsnprintf
 * (kernel/lib/vsprintf.h: the conversions, flags, widths and lengths they
 * take; compiled into this library) under C's names. They return the
 * length the full output would have. */
#define snprintf	ksnprintf
#define vsnprintf	kvsnprintf
/* printf writes each call with one write() (lines from several processes
 * do not interleave); at most 1023 bytes a call. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int puts(const char *s);

/* ---------------------------------------------------------- memory */
/* malloc on mmap: size classes of 16..2048 bytes on free lists; larger
 * blocks are mappings of their own. */
void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

#endif
