/*
 * kernel/lib/diag.h - counting the kernel's debug reports.
 *
 * The debugging checks print reports and carry on: WARN_ON(), the page
 * allocator's "BUG: Bad page state", the slab debugger's "BUG cache: ...",
 * the DMA API debugger's "DMA-API: ..." and the lock debugger's "BUG: lock
 * debug: ...". A report is a bug found, so a test run must not scroll past
 * one. Each report path calls diag_report() once per report; the test
 * runner (kernel/kunit.c) reads the counters around every case:
 *
 *  - a case that provokes reports on purpose declares how many of each
 *    kind with kunit_expect_reports(); any other case must leave every
 *    counter unchanged, or it fails;
 *  - reports outside any case (during boot, in a kthread after its case
 *    ended) and reports beyond what a case declared are "unexpected";
 *    the run's summary line prints them and the harness fails the
 *    configuration when there is one.
 *
 * Counters only grow and are safe to bump from any CPU and from
 * interrupts.
 */
#ifndef KERNEL_LIB_DIAG_H
#define KERNEL_LIB_DIAG_H

#include "kernel/types.h"

enum diag_kind {
	DIAG_WARN,		/* WARN_ON() */
	DIAG_BAD_PAGE,		/* page allocator: bad page state */
	DIAG_SLAB,		/* slab debugger: corruption, double free, leak */
	DIAG_DMA_API,		/* DMA API debugger: misuse of a mapping */
	DIAG_LOCKDEP,		/* lock debugger: recursion, sleeping in atomic... */
	NR_DIAG_KINDS,
};

/* Count one report of this kind (call once per report, not per line). */
void diag_report(enum diag_kind kind);

/* Reports of this kind since boot. */
unsigned long diag_count(enum diag_kind kind);

/* Short name for summaries: "warn", "bad_page", "slab", "dma_api", "lockdep". */
const char *diag_name(enum diag_kind kind);

#endif
