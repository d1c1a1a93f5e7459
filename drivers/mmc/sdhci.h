/*
 * drivers/mmc/sdhci.h - the SD Host Controller Standard (SD Association's
 * "SD Host Controller Simplified Specification"): the Raspberry Pi 4's
 * EMMC2, the Pi 3's Arasan controller, and most SD hosts elsewhere.
 * Register accesses are all 32 bits wide, because the BCM2835's Arasan
 * loses 8- and 16-bit writes. PIO only for now (docs/drivers/sd.md).
 * The mmc_host contract is in mmc.h.
 */
#ifndef DRIVERS_MMC_SDHCI_H
#define DRIVERS_MMC_SDHCI_H

#include "drivers/mmc/mmc.h"

struct sdhci {
	struct mmc_host mmc;
	volatile void *regs;
	unsigned int base_hz;		/* the clock the divider divides */
	unsigned int version;		/* 0: 1.00, 1: 2.00, 2: 3.00, ... */
	char name[32];
};

/*
 * Reset the controller and power the card at 3.3 V; fill h->mmc. base_hz:
 * the base clock when the capabilities register gives none (0: trust it).
 * 0, or -ENODEV with why in err (no card in the slot, a reset that never
 * ended, no base clock known).
 */
int sdhci_setup(struct sdhci *h, volatile void *regs, uint64_t phys,
		unsigned int base_hz, char *err, size_t errlen);

#endif
