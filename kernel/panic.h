/*
 * kernel/panic.h - stopping on a kernel bug.
 *
 * panic() prints the message, the registers of the caller, a symbolised
 * backtrace, and stops the machine (in test mode it leaves QEMU with a
 * failure status so the harness sees it at once). BUG_ON() is panic() with
 * the failed condition and its file:line. WARN_ON() reports and carries on;
 * it evaluates to the condition so it can guard a recovery path.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "kernel/types.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
void warn_slowpath(const char *file, int line, const char *cond);

#define BUG_ON(cond) do { \
	if (unlikely(cond)) \
		panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
} while (0)

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

#define WARN_ON(cond) ({ \
	bool _w = !!(cond); \
	if (unlikely(_w)) \
		warn_slowpath(__FILE__, __LINE__, #cond); \
	_w; \
})

#endif
