/*
 * tests/kernel/e2e_user.h - what the end-to-end suites (fs_user, swap_user)
 * share: the harness's promises about the machine (kunit.expect=), user
 * programs started from /bin, and console commands as if typed.
 */
#ifndef TESTS_KERNEL_E2E_USER_H
#define TESTS_KERNEL_E2E_USER_H

#include "kernel/console.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "mm/vmstat.h"

static const char *const test_envp[] = { "PATH=/bin", "HOME=/", NULL };

/* A process's wait status for exit(code). */
#define EXITED(code)	((code) << 8)

/* What the console printed since capture() (each suite has its own). */
#define OUT_SIZE	16384
static char out[OUT_SIZE];

static inline void capture(struct kunit *test)
{
	memset(out, 0, sizeof(out));
	kunit_capture_start(test, out, sizeof(out));
}

/* How many times s occurs in out (a line each, for whole-line s). */
static inline unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	for (const char *p = out; (p = strstr(p, s)); p += strlen(s))
		n++;
	return n;
}

/* The value the harness promised for key, or skip the case. A copy:
 * kunit_expectation's buffer is reused by the next lookup, and a case
 * may hold up to four values. */
static inline const char *promised(struct kunit *test, const char *key)
{
	static char copies[4][64];
	static unsigned int next;
	const char *v = kunit_expectation(key);
	char *c = copies[next++ % ARRAY_SIZE(copies)];

	if (!v)
		kunit_do_skip(test, "no disk promised (kunit.expect=%s)", key);
	strlcpy(c, v ? v : "", sizeof(copies[0]));
	return c;
}

/* Start /bin/argv[0]; its pid (a failure ends the case). */
static inline int start(struct kunit *test, const char *const *argv)
{
	char path[64];
	int pid;

	ksnprintf(path, sizeof(path), "/bin/%s", argv[0]);
	pid = process_spawn(path, argv, test_envp);
	if (pid <= 0) {
		KUNIT_FAIL(test, "process_spawn %s: error %d", path, pid);
		kunit_end_case(test);
	}
	return pid;
}

/* Run `busybox sh -c cmd` to its end, output appended to `out` (the
 * capture is the caller's); its wait status. */
static inline int sh(struct kunit *test, const char *cmd)
{
	const char *const argv[] = { "busybox", "sh", "-c", cmd, NULL };

	return process_wait(start(test, argv));
}

/* A console command as typed (the line is copied: commands cut it up). */
static inline int console(const char *line)
{
	static char buf[128];

	strlcpy(buf, line, sizeof(buf));
	return console_execute(buf);
}

/*
 * Wait until pswpout has moved by n pages since out0, for up to 300 s: on
 * a loaded host a memhog filling RAM first has run at 1-2 MiB/s. True if
 * it did (the caller expects or asserts it).
 */
static inline bool wait_pswpout(unsigned long out0, unsigned long n)
{
	for (int i = 0; i < 3000 && global_vm_event(PSWPOUT) - out0 < n; i++)
		sleep_ms(100);
	return global_vm_event(PSWPOUT) - out0 >= n;
}

#endif
