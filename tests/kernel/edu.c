/*
 * tests/kernel/edu.c - driving QEMU's edu device for the IOMMU suites
 * (see edu.h).
 */
#include "tests/kernel/edu.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_CMD_START	0x1

bool edu_dma(void *bar, uint64_t src, uint64_t dst, uint32_t cmd)
{
	uint64_t start = clock_ns();

	writeq(src, (char *)bar + EDU_DMA_SRC);
	writeq(dst, (char *)bar + EDU_DMA_DST);
	writeq(PATTERN_LEN, (char *)bar + EDU_DMA_CNT);
	writel(cmd | EDU_CMD_START, (char *)bar + EDU_DMA_CMD);
	while (readl((char *)bar + EDU_DMA_CMD) & EDU_CMD_START) {
		if (clock_ns() - start > 3000000000ULL)
			return false;
		arch_cpu_relax();
	}
	return true;
}

bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}
