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

struct bcm2835_sdhost {
	struct mmc_host mmc;
	volatile void *regs;
	unsigned int core_hz;		/* the clock SDCDIV divides */
	uint32_t hcfg;			/* SDHCFG as set */
	char name[32];
};

/* Reset and power the controller; fill host->mmc (ops, clock range). */
void bcm2835_sdhost_setup(struct bcm2835_sdhost *h, volatile void *regs,
			  uint64_t phys, unsigned int core_hz);

#endif
