/*
 * tests/kernel/edu.h - QEMU's "edu" PCI device (docs/specs/edu.rst in
 * QEMU), as the IOMMU suites use it: a device that does DMA on command,
 * between RAM and its own 4 KiB buffer at device address EDU_BUF, so a
 * test can make a real device write to an IOVA and see what happens.
 * Its DMA mask is 28 bits.
 */
#ifndef TESTS_KERNEL_EDU_H
#define TESTS_KERNEL_EDU_H

#include "kernel/types.h"

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8
#define EDU_ID		0x00		/* BAR0 register: 0xRRrr00ed */
#define EDU_BUF		0x40000ULL	/* the device's own buffer */
#define EDU_CMD_TO_RAM	0x2		/* direction: buffer -> RAM */
#define PATTERN_LEN	64		/* bytes each test DMA moves */

/*
 * Run one edu DMA of PATTERN_LEN bytes from src to dst (cmd 0: RAM to
 * the buffer; EDU_CMD_TO_RAM: the buffer to RAM) and wait for it (edu
 * takes ~100 ms of virtual time). False if it did not finish in 3 s.
 */
bool edu_dma(void *bar, uint64_t src, uint64_t dst, uint32_t cmd);

/* True if all n bytes at p are v. */
bool all_bytes(const uint8_t *p, size_t n, uint8_t v);

#endif
