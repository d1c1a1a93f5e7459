/*
 * drivers/mmc/bcm2835_sdhost.h - the BCM2835 "SDHOST" controller, which
 * drives the Raspberry Pi 3's card slot (GPIO 48-53 in function ALT0).
 * Broadcom's own design, not SDHCI: a command register with a "new"
 * flag, a 16-word data FIFO, one clock divider from the VPU core clock.
 * PIO only for now (docs/drivers/sd.md). The mmc_host contract is in
 * mmc.h.
 */
#ifndef DRIVERS_MMC_BCM2835_SDHOST_H
#define DRIVERS_MMC_BCM2835_SDHOST_H

#include "drivers/mmc/mmc.h"

struct bcm2835_dma_chan;

struct bcm2835_sdhost {
	struct mmc_host mmc;
	volatile void *regs;
	unsigned int core_hz;		/* the clock SDCDIV divides */
	uint32_t hcfg;			/* SDHCFG as set */
	char name[32];
	/* DMA (bcm2835_sdhost_use_dma): a channel of the BCM2835 DMA
	 * engine, paced by the SDHOST's DREQ, moving between the FIFO (its
	 * bus address) and the request's memory, mapped for dev. */
	struct bcm2835_dma_chan *dma;
	struct device dev;
	uint32_t fifo_bus;
};

/* Reset and power the controller; fill host->mmc (ops, clock range). */
void bcm2835_sdhost_setup(struct bcm2835_sdhost *h, volatile void *regs,
			  uint64_t phys, unsigned int core_hz);

/*
 * Move data by DMA through chan from now on, the FIFO at bus address
 * fifo_bus (SDDATA on the VideoCore bus: 0x7e202040), memory mapped for
 * h->dev (the caller sets its window and non-coherence: mm/dma-mapping.h).
 * A piece of a request that is not 4-byte aligned in address and length
 * goes by PIO (the engine moves words). The sdhost.dma=0 boot option
 * keeps PIO.
 */
void bcm2835_sdhost_use_dma(struct bcm2835_sdhost *h, struct bcm2835_dma_chan *chan,
			    uint32_t fifo_bus);
/* sdhost.dma=0 was given. */
bool bcm2835_sdhost_dma_disabled(void);

#endif
