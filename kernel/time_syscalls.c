/*
 * kernel/time_syscalls.c - clocks and sleeping for user programs
 * (Linux: kernel/time/posix-timers.c, hrtimer.c's nanosleep).
 *
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are clock_ns(), the time since the
 * kernel started (nothing suspends). There is no real-time clock driver
 * yet (no RTC, no NTP): CLOCK_REALTIME is a fixed boot date,
 * REALTIME_BOOT_EPOCH, plus clock_ns(), so dates are wrong but move as
 * they should. Sleeps are in whole ticks (HZ = 100) and end early with
 * -EINTR when a signal arrives, writing the time left.
 */
#include "kernel/errno.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/time.h"
#include "kernel/uaccess.h"

#define NSEC_PER_SEC		1000000000LL
/* 2026-01-01 00:00:00 UTC: the date CLOCK_REALTIME starts from. */
#define REALTIME_BOOT_EPOCH	1767225600LL

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	3
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define TIMER_ABSTIME		1

struct k_timespec {
	long long tv_sec;
	long tv_nsec;
};

struct k_timeval {
	long tv_sec, tv_usec;
};

/* A sleep ends early when a signal is pending for the sleeper. */
static bool sleep_interrupted(void)
{
	return signal_pending(current);
}

/* The clock's time in ns, or -EINVAL for an unknown clock. */
static int64_t clock_read(int clock)
{
	switch (clock) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		return REALTIME_BOOT_EPOCH * NSEC_PER_SEC + (int64_t)clock_ns();
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return (int64_t)clock_ns();
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return (int64_t)(current->runtime_ns +
				 (clock_ns() - current->switched_in_ns));
	default:
		return -EINVAL;
	}
}

static struct k_timespec ns_to_ts(int64_t ns)
{
	return (struct k_timespec){ ns / NSEC_PER_SEC, (long)(ns % NSEC_PER_SEC) };
}

/* Copy in a timespec; -EFAULT, -EINVAL if out of range. */
static int get_ts(const struct k_timespec *uts, int64_t *ns)
{
	struct k_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	if (ts.tv_sec > INT64_MAX / NSEC_PER_SEC - 1)
		ts.tv_sec = INT64_MAX / NSEC_PER_SEC - 1;
	*ns = ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static int put_ts(struct k_timespec *uts, int64_t ns)
{
	struct k_timespec ts = ns_to_ts(ns);

	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Sleep until clock_ns() reaches `until` (monotonic); -EINTR with the
 * time left in *left on a signal. */
static long sleep_until(uint64_t until, int64_t *left)
{
	for (;;) {
		uint64_t now = clock_ns();
		uint64_t ticks;

		if (now >= until)
			return 0;
		if (sleep_interrupted()) {
			*left = (int64_t)(until - now);
			return -EINTR;
		}
		ticks = DIV_ROUND_UP(until - now, NSEC_PER_SEC / HZ);
		set_current_state(THREAD_SLEEPING);
		schedule_timeout((long)min(ticks, (uint64_t)0x7fffffff));
		set_current_state(THREAD_RUNNING);
	}
}

static long do_nanosleep(int clock, int flags, const struct k_timespec *ureq,
			 struct k_timespec *urem)
{
	int64_t req, now, left = 0;
	uint64_t until;
	long r;

	now = clock_read(clock);
	if (now < 0 || clock == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (clock == CLOCK_PROCESS_CPUTIME_ID)
		return -EOPNOTSUPP;
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	r = get_ts(ureq, &req);
	if (r)
		return r;
	if (flags & TIMER_ABSTIME)
		req = req > now ? req - now : 0;
	until = clock_ns() + (uint64_t)req;
	if (until < clock_ns())
		until = UINT64_MAX;
	r = sleep_until(until, &left);
	if (r == -EINTR && urem && !(flags & TIMER_ABSTIME) &&
	    put_ts(urem, left))
		return -EFAULT;
	return r;
}

SYSCALL_DEFINE2(nanosleep, const struct k_timespec *, req,
		struct k_timespec *, rem)
{
	return do_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

/* The system call returns -errno like the others (the C library turns
 * it into clock_nanosleep()'s positive return value). */
SYSCALL_DEFINE4(clock_nanosleep, int, clock, int, flags,
		const struct k_timespec *, req, struct k_timespec *, rem)
{
	return do_nanosleep(clock, flags, req, rem);
}

SYSCALL_DEFINE2(clock_gettime, int, clock, struct k_timespec *, uts)
{
	int64_t ns = clock_read(clock);

	if (ns < 0)
		return -EINVAL;
	return put_ts(uts, ns);
}

/* Every clock ticks in nanoseconds (the reads are ns-resolution). */
SYSCALL_DEFINE2(clock_getres, int, clock, struct k_timespec *, uts)
{
	if (clock_read(clock) < 0)
		return -EINVAL;
	if (!uts)
		return 0;
	return put_ts(uts, 1);
}

SYSCALL_DEFINE2(gettimeofday, struct k_timeval *, utv, void *, utz)
{
	int64_t ns = clock_read(CLOCK_REALTIME);
	struct k_timeval tv = { (long)(ns / NSEC_PER_SEC),
				(long)(ns % NSEC_PER_SEC / 1000) };

	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && clear_user(utz, 8))	/* struct timezone: no zone */
		return -EFAULT;
	return 0;
}

/* time(2) (x86_64 only; arm64 has none). */
SYSCALL_DEFINE1(time, long *, tloc)
{
	long t = (long)(clock_read(CLOCK_REALTIME) / NSEC_PER_SEC);

	if (tloc && copy_to_user(tloc, &t, sizeof(t)))
		return -EFAULT;
	return t;
}
