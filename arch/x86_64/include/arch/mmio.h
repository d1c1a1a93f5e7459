/*
 * arch/mmio.h (x86_64) - device register access and mapping.
 *
 * ioremap() maps a physical range of device registers uncached into the
 * kernel's ioremap window and returns its virtual address (NULL if the
 * window, the area descriptors or page-table memory ran out). iounmap()
 * takes that address, unmaps the registers and frees the window for
 * reuse; an address that is not a live ioremap is reported (WARN) and
 * ignored. Both are in kernel/ioremap.c, on vmalloc's area allocator. Accessors are volatile and ordered
 * with respect to each other; x86 needs no further barriers for UC memory.
 */
#ifndef ARCH_MMIO_H
#define ARCH_MMIO_H

#include "kernel/types.h"

void *ioremap(phys_addr_t phys, size_t size);
void iounmap(volatile void *addr);

static inline uint8_t readb(const volatile void *a)  { return *(const volatile uint8_t *)a; }
static inline uint16_t readw(const volatile void *a) { return *(const volatile uint16_t *)a; }
static inline uint32_t readl(const volatile void *a) { return *(const volatile uint32_t *)a; }
static inline uint64_t readq(const volatile void *a) { return *(const volatile uint64_t *)a; }
static inline void writeb(uint8_t v, volatile void *a)  { *(volatile uint8_t *)a = v; }
static inline void writew(uint16_t v, volatile void *a) { *(volatile uint16_t *)a = v; }
static inline void writel(uint32_t v, volatile void *a) { *(volatile uint32_t *)a = v; }
static inline void writeq(uint64_t v, volatile void *a) { *(volatile uint64_t *)a = v; }

#endif
