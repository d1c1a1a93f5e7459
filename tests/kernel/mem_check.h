/*
 * tests/kernel/mem_check.h - the one leak check of the kernel suites that
 * run user code: a snapshot of what a program could leave behind, taken
 * before, and an expectation that memory comes back to it afterwards.
 *
 *	struct mem_snapshot before;
 *
 *	mem_snapshot_quiet(&before);	// earlier cases' threads gone first
 *	... spawn, run, wait ...
 *	mem_expect_back(test, &before);	// settles, then every field equal
 *
 * What is compared, exactly (every per-CPU difference added in, the
 * per-CPU page lists drained):
 *   used        pages neither free nor in a slab (managed - free - slab):
 *               user pages, page tables, thread stacks, any alloc_pages
 *               leak. Slab pages are left out because which CPU's slab
 *               an object came from decides whether a page is kept; a
 *               leaked object shows in slab_objects instead.
 *   anon        NR_ANON_MAPPED      pagetables  NR_PAGETABLE
 *   stack_kb    NR_KERNEL_STACK_KB  slab_objects  over every cache
 *   threads     nr_threads()        processes   nr_processes()
 * The network stack's slab objects are left out (net_slab_objects): its
 * timers free them whenever they expire, not when a test's program ends.
 * free and slab are kept too, only to print when something differs.
 *
 * Why not just free pages: after a run, free pages are often a few to a
 * few dozen lower and slab pages higher by exactly as many (freed objects
 * wait in CPUs' sheaves and caches' barns, keeping their slab pages, and
 * sheaves are pages themselves). And why slab objects: a leaked VMA (one small kmalloc
 * object) usually sits in a slab page that stays anyway, so free + slab
 * pages does not move; the object count does.
 */
#ifndef TESTS_KERNEL_MEM_CHECK_H
#define TESTS_KERNEL_MEM_CHECK_H

#include "kernel/kunit.h"
#include "kernel/types.h"

struct mem_snapshot {
	unsigned long used;		/* pages: managed - free - slab */
	unsigned long anon, pagetables;	/* pages */
	unsigned long stack_kb;		/* KiB of thread stacks */
	unsigned long slab_objects;	/* objects in use, all caches */
	unsigned int threads, processes;
	unsigned long free, slab;	/* pages: shown, not compared */
};

/* Take a snapshot now (per-CPU page lists drained first). */
void mem_snapshot(struct mem_snapshot *m);

/*
 * Wait (1 s at most) until the thread count holds still for 20 ms, so
 * threads earlier cases left dying are freed, then take snapshots until
 * two in a row are alike (1 s more at most) and keep the last. It is
 * also the base mem_expect_back's report compares each slab cache's
 * objects with (the last quiet snapshot's, kept by mem_check.c).
 */
void mem_snapshot_quiet(struct mem_snapshot *m);

/* True if every compared field of a and b is equal. */
bool mem_snapshot_equal(const struct mem_snapshot *a,
			const struct mem_snapshot *b);

/*
 * Expect memory back to `before`: snapshots are retaken for up to 2 s
 * (a dead thread's stack is freed after its last switch, on whichever
 * CPU ran it; a reaped process's last references drop just after the
 * wait); then each field that still differs fails the case, and every
 * field is printed. Returns true if all came back.
 */
bool mem_expect_back(struct kunit *test, const struct mem_snapshot *before);

#endif
