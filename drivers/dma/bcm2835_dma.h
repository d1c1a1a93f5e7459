/*
 * drivers/dma/bcm2835_dma.h - the BCM2835's DMA engine: sixteen channels
 * that each follow a chain of control blocks in memory (source, target,
 * length, how: increment or not, paced by a peripheral's DREQ or not).
 * The Raspberry Pi 3's SDHOST has no DMA of its own; it moves its data
 * through one of these channels (docs/drivers/sd.md, "DMA").
 *
 * Everything the engine reads or writes is named by **bus address**: RAM
 * through the DMA API (the engine's struct device carries the soc bus's
 * window, physical + 0xc0000000, and is non-coherent: mm/dma-mapping.h),
 * a peripheral's register by its address on the VideoCore bus
 * (0x7e000000 + offset: the device tree's reg before `ranges`).
 *
 *	struct bcm2835_dma_chan *c = bcm2835_dma_request("sdhost");
 *	struct bcm2835_dma_xfer x = { .src = fifo_bus, .dst = buf_dma,
 *		.len = 4096, .ti = BCM2835_TI_DEST_INC | BCM2835_TI_SRC_DREQ |
 *				   BCM2835_TI_PERMAP(BCM2835_DREQ_SDHOST) };
 *	err = bcm2835_dma_run(c, &x, 1, 500);	// 0, -ETIMEDOUT, -EIO
 *
 * A channel belongs to one user at a time (bcm2835_dma_request); the
 * firmware keeps some channels for itself, and the device tree's
 * brcm,dma-channel-mask says which are ours. Polled: no interrupts.
 */
#ifndef DRIVERS_DMA_BCM2835_DMA_H
#define DRIVERS_DMA_BCM2835_DMA_H

#include "kernel/types.h"
#include "kernel/device.h"
#include "kernel/spinlock.h"
#include "mm/dma-mapping.h"

/* Transfer information (a control block's first word). */
#define BCM2835_TI_WAIT_RESP	(1U << 3)	/* wait for each write's answer */
#define BCM2835_TI_DEST_INC	(1U << 4)
#define BCM2835_TI_DEST_DREQ	(1U << 6)	/* writes paced by the peripheral */
#define BCM2835_TI_SRC_INC	(1U << 8)
#define BCM2835_TI_SRC_DREQ	(1U << 10)	/* reads paced by the peripheral */
#define BCM2835_TI_PERMAP(n)	((uint32_t)(n) << 16)	/* which DREQ */
#define BCM2835_DREQ_SDHOST	13

#define BCM2835_DMA_CHANNELS	15	/* 0-14; 15 sits elsewhere */
#define BCM2835_DMA_MAX_CBS	64	/* control blocks a chain */
#define BCM2835_DMA_MAX_LEN	(1U << 30)	/* bytes a control block */

struct bcm2835_dma_xfer {
	dma_addr_t src, dst;
	uint32_t len;
	uint32_t ti;
};

/* A control block as the engine reads it: 32-byte aligned. */
struct bcm2835_dma_cb {
	uint32_t ti, src, dst, len, stride, next;
	uint32_t reserved[2];
};

struct bcm2835_dma {
	volatile void *regs;
	uint32_t channel_mask;		/* ours to use */
	uint32_t in_use;
	struct device dev;		/* what the engine DMAs as */
	spinlock_t lock;
	char name[40];
};

struct bcm2835_dma_chan {
	struct bcm2835_dma *dma;
	unsigned int ch;
	const char *user;
	struct bcm2835_dma_cb *cbs;	/* the chain, BCM2835_DMA_MAX_CBS */
	unsigned long runs, errors;
	uint32_t last_debug;		/* DEBUG of the last failed run */
	dma_addr_t last_cb;		/* bus address of the last chain */
};

/*
 * The engine: registers mapped at regs, the channels in channel_mask
 * ours, the window (cpu, bus, size) of its bus for RAM. Resets each of
 * our channels. 0, or -ENOMEM.
 */
int bcm2835_dma_setup(struct bcm2835_dma *dma, volatile void *regs,
		      uint64_t phys, uint32_t channel_mask,
		      phys_addr_t win_cpu, dma_addr_t win_bus, uint64_t win_size);
/* The engine the device tree named (bcm2835_dma_init_fdt), or NULL. */
struct bcm2835_dma *bcm2835_dma_engine(void);
struct fdt;
/* Find "brcm,bcm2835-dma" in the tree and set it up: 0, -ENODEV, -EINVAL. */
int bcm2835_dma_init_fdt(const struct fdt *fdt);

/* A free channel for user (a name said in messages), or NULL. */
struct bcm2835_dma_chan *bcm2835_dma_request(const char *user);
void bcm2835_dma_release(struct bcm2835_dma_chan *c);

/*
 * Run the n transfers as one chain and wait, at most timeout_ms, for its
 * end. 0; -EINVAL (n or a length out of range), -ETIMEDOUT (the engine
 * never finished: the channel is aborted and reset), -EIO (the engine
 * said error: read or FIFO error, or an AXI write not answered; DEBUG is
 * kept in last_debug).
 */
int bcm2835_dma_run(struct bcm2835_dma_chan *c, const struct bcm2835_dma_xfer *x,
		    unsigned int n, unsigned int timeout_ms);

#endif
