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

/*
 * The parts of the DMA-isolation cases both IOMMU suites share
 * (intel_iommu_test.c, arm_smmu_v3_test.c); what differs is how a unit
 * records a blocked access, which the suite supplies.
 */
struct kunit;
struct pci_dev;
struct page;
struct iommu_domain;

struct edu_iommu {
	void *unit;
	unsigned long (*nr_faults)(void *unit);	/* faults/events recorded */
	void (*drain)(void *unit);		/* read its fault/event queue now */
	bool irq;		/* it signals faults by interrupt (else polled) */
};

struct edu_case {
	struct pci_dev *pdev;
	struct iommu_domain *d;		/* the domain the PCI hook attached */
	void *bar;			/* BAR0 */
	struct page *src_pg, *dst_pg;
	uint8_t *src, *dst;		/* one page each */
};

/*
 * Find edu, check it sits in an IOMMU domain, enable it, map BAR0, check
 * its ID, set its 28-bit mask and give it a source and a destination
 * page. False: the case already skipped (no edu) or failed; return.
 */
bool edu_begin(struct kunit *test, struct edu_case *c);
void edu_end(struct edu_case *c);

/*
 * Steps 1 and 2 of the isolation case, strict mode: edu reads the
 * pattern (first byte `first`, then +1...) from a mapped page, then
 * writes it back into c->dst through a live mapping, which must land
 * (the control: without it, a blocked write below proves nothing). The
 * destination is then unmapped and filled with 0x5a. Returns the stale
 * IOVA, or 0 if the case failed.
 */
uint64_t edu_stale_iova(struct kunit *test, struct edu_case *c, uint8_t first);

/*
 * Step 3: with c->dst filled with 0x5a and hd no longer mapped to it
 * (edu_stale_iova), edu writes to hd again. The write must be stopped:
 * the page keeps its fill, and the unit and the domain each record a
 * fault (when the unit signals faults by interrupt, up to 1 s is given
 * for it; then its queue is drained). False if edu did not finish the
 * DMA (reported); the caller then cleans up and returns.
 */
bool edu_expect_blocked(struct kunit *test, struct edu_case *c, uint64_t hd,
			const struct edu_iommu *u);

/*
 * The lazy window: after a lazy unmap the table entry is gone but the
 * unit's TLB may still hold it, so a write to the stale IOVA may land
 * (reported, not required); after the flush queue's invalidation the
 * same write must be stopped (edu_expect_blocked). Leaves the domain
 * strict again.
 */
void edu_lazy_window_case(struct kunit *test, const struct edu_iommu *u);

#endif
