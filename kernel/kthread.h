/*
 * kernel/kthread.h - making and ending kernel threads.
 *
 *	static int worker(void *arg)
 *	{
 *		while (!kthread_should_stop())
 *			sleep_ms(10);
 *		return 0;
 *	}
 *	struct thread *t = kthread_run(worker, NULL, "worker%d", 1);
 *	...
 *	int ret = kthread_stop(t);	// asks it to stop, waits, frees it
 *
 * Every thread made here must end in exactly one of two ways: someone
 * calls kthread_stop() on it (which waits for it and frees it), or it is
 * detached (kthread_detach()) and frees itself when its function returns.
 * Stacks are THREAD_STACK_SIZE, from the page allocator, and go back to
 * it when the thread is freed.
 */
#ifndef KERNEL_KTHREAD_H
#define KERNEL_KTHREAD_H

#include "kernel/types.h"
#include "kernel/thread.h"

#define THREAD_STACK_ORDER	2	/* 16 KiB */
#define THREAD_STACK_SIZE	(4096UL << THREAD_STACK_ORDER)
#define MAX_THREADS		256

/*
 * Make a thread that will run fn(arg), named from fmt (truncated to 15
 * characters). It does not run until wake_up_process(). Returns NULL (and
 * says why) when out of thread slots or stack memory. May sleep.
 */
struct thread *kthread_create(int (*fn)(void *), void *arg,
			      const char *fmt, ...) __printf(3, 4);
/* kthread_create() and start it. */
struct thread *kthread_run(int (*fn)(void *), void *arg,
			   const char *fmt, ...) __printf(3, 4);
/* Run it only on `cpu`; call before it is first woken. */
void kthread_bind(struct thread *t, unsigned int cpu);
/*
 * Set should_stop, wake the thread, wait for it to end, free it and
 * return what its function returned (or passed to kthread_exit).
 * Must not be called on a detached thread.
 */
int kthread_stop(struct thread *t);
/* True once kthread_stop() was called on the current thread. */
bool kthread_should_stop(void);
/* Nobody will stop t: it frees itself when it ends. */
void kthread_detach(struct thread *t);
/* End the current thread now. */
__noreturn void kthread_exit(int code);

/* Threads that exist (any state), counting main and the idle threads. */
unsigned int nr_threads(void);

/* For the scheduler: an idle thread for cpu, and freeing dead threads. */
struct thread *kthread_create_idle(unsigned int cpu);
void kthread_free(struct thread *t);

#endif
