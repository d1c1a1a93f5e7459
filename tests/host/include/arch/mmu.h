/*
 * arch/mmu.h for host builds: the host is a third architecture with a
 * software page-table format of its own (tests/host/host_mmu.c), walked
 * by the portable walker (mm/pgtable.c) like the CPUs' formats, so page
 * table code - the MMU interface's portable half, mm/arch_mm.c, included
 * - runs under AddressSanitizer. Nothing is really mapped at these
 * addresses: host code must not touch vmalloc memory. The interface and
 * its contract are mm/arch_mm.h's; the host supplies the constants and
 * primitives: table pages from malloc, no TLB (the flushes and the
 * barrier do nothing, a switch only records the address space).
 * host_mmu_fail_after makes the Nth next kernel map (or any protection
 * change) fail (0: never), for the vmalloc model test.
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include "kernel/types.h"
#include <arch/page.h>

/* 256 MiB of pretend address space, never dereferenced on the host. */
#define VMALLOC_START	0x0000100000000000UL
#define VMALLOC_END	(VMALLOC_START + (256UL << 20) - 1)

/* The host has no ioremap window: it names the vmalloc one again. */
#define IOREMAP_BASE	VMALLOC_START
#define IOREMAP_SIZE	(VMALLOC_END - VMALLOC_START + 1)

/* The user half: [0, TASK_SIZE). */
#define TASK_SIZE	(1UL << 47)

/*
 * The host entry format, host_pte_fmt (leaves at levels 1, 2 and 3):
 *
 *   bit  0      V   present (a table or a leaf)
 *   bit  1      L   leaf (with V): a page at level 1, a block above;
 *                   without V: a non-present payload entry
 *   bits 2-5    R W X U   read, write, execute, user
 *   bit  6      A   young (accessed)
 *   bit  7      D   dirty
 *   bit  8      DEV device memory (uncached)
 *   bits 12-51      the output address (a table's, a page's or a block's)
 *
 * A payload entry is payload << 2 | L: 62 bits of payload, V clear.
 */
#define HOST_PTE_V	BIT(0)
#define HOST_PTE_L	BIT(1)
#define HOST_PTE_R	BIT(2)
#define HOST_PTE_W	BIT(3)
#define HOST_PTE_X	BIT(4)
#define HOST_PTE_U	BIT(5)
#define HOST_PTE_A	BIT(6)
#define HOST_PTE_D	BIT(7)
#define HOST_PTE_DEV	BIT(8)
#define HOST_PTE_ADDR	0x000ffffffffff000ULL
#define HOST_PTE_PAYLOAD_SHIFT	2

struct pgtable_fmt;
extern const struct pgtable_fmt host_pte_fmt;

extern unsigned int host_mmu_fail_after;

/* A zeroed, page-aligned table page from malloc (NULL when out of
 * memory), and back: the host's tables, kernel and user. */
struct pgtable;
void *host_table_alloc(struct pgtable *pt);
void host_table_free(struct pgtable *pt, void *table);

/* No TLB, no table walker: nothing to order. */
static inline void arch_map_barrier(void)
{
}

/* DMA cache maintenance: the host has no device and no caches to keep
 * (arm64's <arch/mmu.h> has the contract); each call is counted and the
 * last one kept, for tests/host/dma_noncoherent_test.c. */
struct host_dma_cache_log {
	unsigned long clean_inval, inval;	/* calls */
	void *last_va;
	size_t last_len;
	bool last_was_inval;
};
extern struct host_dma_cache_log host_dma_cache_log;

static inline void arch_dma_cache_clean_inval(void *va, size_t len)
{
	host_dma_cache_log.clean_inval++;
	host_dma_cache_log.last_va = va;
	host_dma_cache_log.last_len = len;
	host_dma_cache_log.last_was_inval = false;
}

static inline void arch_dma_cache_inval(void *va, size_t len)
{
	host_dma_cache_log.inval++;
	host_dma_cache_log.last_va = va;
	host_dma_cache_log.last_len = len;
	host_dma_cache_log.last_was_inval = true;
}

#endif
