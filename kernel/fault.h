/*
 * kernel/fault.h - CPU exceptions, crash reports, and catching a fault on
 * purpose (for tests of the crash path).
 *
 * When the CPU raises an exception in the kernel, the arch trap code fills
 * a struct fault_info and calls crash_report(), which prints what happened
 * in words, the registers, and a symbolised backtrace. Then:
 *  - if the faulting code runs under run_catching_faults(), execution
 *    resumes there (the test checks the report and carries on);
 *  - otherwise the machine stops (in test mode QEMU exits with failure).
 * panic() goes through the same report.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include "kernel/types.h"

struct fault_info {
	unsigned long vector;		/* arch exception number / class */
	const char *name;		/* "Page fault", "Data abort", ... */
	unsigned long error_code;	/* arch error code or syndrome */
	unsigned long addr;		/* faulting data address, if addr_valid */
	bool addr_valid;
	unsigned long pc, fp, sp;	/* where it happened */
	bool is_panic;			/* a panic() rather than a CPU fault */
};

/*
 * Run fn(arg). If it faults (or panics), the crash report is printed as
 * usual, fn is abandoned, and this returns true with *fi describing the
 * fault. Returns false if fn returned normally. Not nestable.
 */
bool run_catching_faults(void (*fn)(void *), void *arg, struct fault_info *fi);

/*
 * Forget a run_catching_faults() whose caller was abandoned without
 * returning (the test runner does this when a case ends early, from inside
 * the function being run). Harmless when nothing is being caught.
 */
void fault_catch_abandon(void);

/* Called by the arch trap code after the report; returns only if nobody
 * is catching (the caller then stops the machine). */
void fault_try_recover(const struct fault_info *fi);

/*
 * The end of every crash report, for the arch trap code once it has
 * printed the registers and backtrace: close the report, resume a test
 * that provoked the fault (fault_try_recover), else end a test run as
 * failed, else halt.
 */
__noreturn void crash_report_end(const struct fault_info *fi);

/*
 * Walk the frame-pointer chain from (pc, fp), printing one line a frame.
 * A function that faults before making its frame record (a leaf, or at its
 * first instruction) is missing from that chain; `maybe_ret` is where its
 * return address would be if so (x86: the word at the stack pointer,
 * arm64: the link register). It is printed marked "?" when it is a kernel
 * address the chain does not already show. Pass 0 when there is none.
 */
void print_backtrace(unsigned long pc, unsigned long fp, unsigned long maybe_ret);

/* Describe a kernel virtual address in words ("direct map, phys 0x...",
 * "kernel image: sym+off", "NULL page", "non-canonical"...). */
void describe_address(char *buf, size_t size, unsigned long addr);

/* Set by `test=`: a crash that nobody catches ends the QEMU run as failed. */
extern bool kernel_test_mode;

/* The message of the panic in progress (empty when none). */
extern char panic_message[256];

#endif
