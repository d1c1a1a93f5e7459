/*
 * kernel/lockdebug.h - what the lock debugger offers besides the hooks
 * in kernel/spinlock.h (see kernel/lib/lockdebug.c).
 */
#ifndef KERNEL_LOCKDEBUG_H
#define KERNEL_LOCKDEBUG_H

#include "kernel/types.h"

/*
 * Check that the caller may sleep: no spinlock held, preemption and
 * interrupts on. Reports (does not stop) otherwise. Every function that
 * can sleep calls might_sleep() first.
 */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

/* Print the first two lines of a report (for mutexes and the like). */
void lockdebug_report_start(const char *what, const char *kind,
			    const char *name, const char *file, int line);

#endif
