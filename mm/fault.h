/*
 * mm/fault.h - the portable page-fault entry. Each architecture's trap
 * handler decodes a page fault (x86_64: the error code and CR2; arm64:
 * ESR_EL1's abort syndrome and FAR_EL1) into a struct page_fault and calls
 * do_page_fault() before anything else; only when that returns "not
 * handled" does the crash report follow, and it then names the reason in
 * the same words on both architectures (page_fault_report()).
 *
 * do_page_fault() hands user faults (and user-memory accessors' faults
 * on user addresses) to the running thread's address space
 * (handle_mm_fault, mm/mm.h): demand zero, copy-on-write, stack growth;
 * swap-in and the access/dirty-bit faults of reclaim plug in there.
 */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include "kernel/types.h"

enum fault_access {
	FAULT_READ,
	FAULT_WRITE,
	FAULT_EXEC,		/* an instruction fetch */
};

enum fault_type {
	FAULT_NOT_PRESENT,	/* no translation (x86 P=0; arm64 translation fault) */
	FAULT_PERMISSION,	/* a translation that forbids the access */
	FAULT_ACCESS_FLAG,	/* arm64: the leaf's access flag (young) is clear */
	FAULT_OTHER,		/* reserved bit, alignment, external abort... */
};

struct page_fault {
	unsigned long addr;		/* the faulting virtual address */
	unsigned long pc;		/* the instruction that faulted */
	enum fault_access access;
	enum fault_type type;
	bool user;			/* from user mode */
	bool uaccess;			/* kernel mode, in a user-memory
					 * accessor (kernel/uaccess.h: its
					 * pc is in the exception table) */
	unsigned int level;		/* mm/pgtable.h level the walk stopped
					 * at (1 = 4 KiB leaves); 0 unknown */
};

/*
 * Try to resolve the fault (map what should be there). Returns 0 when it
 * did and the access may be retried; -EFAULT when it did not: the caller
 * then reports it (a kernel fault: crash report; a user fault: SIGSEGV;
 * a user-memory accessor: its -EFAULT); -ENOMEM when no page was to be
 * had (a user fault: the OOM killer's business); -EIO when a file page
 * is not there to map (beyond the end of the file, a read that failed: a
 * user fault gets SIGBUS, an accessor its -EFAULT). Runs in the trap
 * handler with interrupts on (the arch enables them when the fault came
 * from code that had them); takes the mm's mmap_lock, which sleeps, so
 * no kernel code may touch user memory while holding it.
 */
int do_page_fault(const struct page_fault *pf);

/* The reason in words: "write to a read-only page", "read of a
 * not-present page"... Returns buf. */
const char *page_fault_reason(const struct page_fault *pf, char *buf,
			      size_t size);

/*
 * For the crash report of an unhandled page fault: prints the reason and,
 * for a kernel address in the vmalloc or ioremap window (the kernel ranges
 * that change after boot), what the kernel page table holds there.
 */
void page_fault_report(const struct page_fault *pf);

#endif
