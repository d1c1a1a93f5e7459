/*
 * kernel/lib/diag.c - the report counters (see diag.h). Portable: the
 * host tests count the same reports.
 */
#include "kernel/lib/diag.h"

static unsigned long diag_counts[NR_DIAG_KINDS];

static const char *const diag_names[NR_DIAG_KINDS] = {
	[DIAG_WARN] = "warn",
	[DIAG_BAD_PAGE] = "bad_page",
	[DIAG_SLAB] = "slab",
	[DIAG_DMA_API] = "dma_api",
	[DIAG_LOCKDEP] = "lockdep",
};

void diag_report(enum diag_kind kind)
{
	if ((unsigned int)kind < NR_DIAG_KINDS)
		__atomic_fetch_add(&diag_counts[kind], 1, __ATOMIC_RELAXED);
}

unsigned long diag_count(enum diag_kind kind)
{
	if ((unsigned int)kind >= NR_DIAG_KINDS)
		return 0;
	return __atomic_load_n(&diag_counts[kind], __ATOMIC_RELAXED);
}

const char *diag_name(enum diag_kind kind)
{
	return (unsigned int)kind < NR_DIAG_KINDS ? diag_names[kind] : "?";
}
