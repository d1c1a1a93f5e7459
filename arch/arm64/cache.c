/*
 * arch/arm64/cache.c - data cache maintenance for buffers shared with a
 * device that does not see the CPU's caches (contract: <arch/mmu.h>).
 * Arm ARM D7.5.9 (DC CIVAC, DC IVAC: by virtual address to the point of
 * coherency) and D13.2.34 (CTR_EL0.DminLine: log2 of the smallest data
 * cache line, in words).
 */
#include <arch/mmu.h>

static uint64_t dcache_line(void)
{
	uint64_t ctr;

	__asm__ __volatile__("mrs %0, ctr_el0" : "=r"(ctr));
	return 4UL << ((ctr >> 16) & 0xf);
}

void arch_dma_cache_clean_inval(void *va, size_t len)
{
	uint64_t line = dcache_line();
	uint64_t a = (uint64_t)va & ~(line - 1), end = (uint64_t)va + len;

	__asm__ __volatile__("dsb sy" ::: "memory");	/* the CPU's stores first */
	for (; a < end; a += line)
		__asm__ __volatile__("dc civac, %0" : : "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}

void arch_dma_cache_inval(void *va, size_t len)
{
	uint64_t line = dcache_line();
	uint64_t a = (uint64_t)va & ~(line - 1), end = (uint64_t)va + len;

	for (; a < end; a += line)
		__asm__ __volatile__("dc ivac, %0" : : "r"(a) : "memory");
	__asm__ __volatile__("dsb sy" ::: "memory");
}
