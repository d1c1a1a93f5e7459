/*
 * kernel/panic.c - panic() and WARN_ON(). A panic raises a trap on purpose
 * (arch_panic_trap) so that it is reported by exactly the same code as a
 * CPU fault: registers, decoded cause, backtrace.
 */
#include "kernel/panic.h"
#include "kernel/fault.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include <arch/machine.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(panic_message, sizeof(panic_message), fmt, ap);
	va_end(ap);
	arch_panic_trap();
	/* Only reached if a test caught the panic and resumed elsewhere. */
	for (;;)
		arch_halt();
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	diag_report(DIAG_WARN);
	printk(KERN_WARNING "------------[ cut here ]------------\n");
	printk(KERN_WARNING "WARNING: %s at %s:%d\n", cond, file, line);
	print_backtrace((unsigned long)__builtin_return_address(0),
			(unsigned long)__builtin_frame_address(0), 0);
	printk(KERN_WARNING "---[ end trace ]---\n");
}
