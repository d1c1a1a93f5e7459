/*
 * arch/mmio.h (arm64) - device register access and mapping.
 *
 * ioremap() maps a physical range of device registers as Device-nGnRE
 * memory into the kernel's ioremap window and returns its virtual address
 * (NULL if the window, the area descriptors or page-table memory ran
 * out). It works from the first line of C on, before memblock knows any
 * RAM (early page tables come from a small static pool; area descriptors
 * from vmalloc's static pool). iounmap() takes that address, unmaps the
 * registers and frees the window for reuse; an address that is not a
 * live ioremap is reported (WARN) and ignored. Both are in
 * kernel/ioremap.c, on vmalloc's area allocator.
 *
 * Accessors are single aligned loads and stores (ldr/str of the right
 * width, never split or merged by the compiler). As in Linux, readX() is
 * followed by a barrier so later normal-memory reads see what the device
 * wrote first, and writeX() is preceded by one so the device sees earlier
 * normal-memory writes (a DMA descriptor, say) before the doorbell.
 */
#ifndef ARCH_MMIO_H
#define ARCH_MMIO_H

#include "kernel/types.h"

void *ioremap(phys_addr_t phys, size_t size);
void iounmap(volatile void *addr);

#define __iormb()	__asm__ __volatile__("dmb oshld" ::: "memory")
#define __iowmb()	__asm__ __volatile__("dmb oshst" ::: "memory")

static inline uint8_t readb(const volatile void *a)
{
	uint8_t v;

	__asm__ __volatile__("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	__iormb();
	return v;
}

static inline uint16_t readw(const volatile void *a)
{
	uint16_t v;

	__asm__ __volatile__("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	__iormb();
	return v;
}

static inline uint32_t readl(const volatile void *a)
{
	uint32_t v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	__iormb();
	return v;
}

static inline uint64_t readq(const volatile void *a)
{
	uint64_t v;

	__asm__ __volatile__("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
	__iormb();
	return v;
}

static inline void writeb(uint8_t v, volatile void *a)
{
	__iowmb();
	__asm__ __volatile__("strb %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void writew(uint16_t v, volatile void *a)
{
	__iowmb();
	__asm__ __volatile__("strh %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void writel(uint32_t v, volatile void *a)
{
	__iowmb();
	__asm__ __volatile__("str %w0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

static inline void writeq(uint64_t v, volatile void *a)
{
	__iowmb();
	__asm__ __volatile__("str %x0, [%1]" : : "rZ"(v), "r"(a) : "memory");
}

#endif
