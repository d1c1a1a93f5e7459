/*
 * drivers/mmc/sdhci.h - the SD Host Controller Standard (SD Association's
 * "SD Host Controller Simplified Specification"): the Raspberry Pi 4's
 * EMMC2, the Pi 3's Arasan controller, and most SD hosts elsewhere.
 * Register accesses are all 32 bits wide, because the BCM2835's Arasan
 * loses 8- and 16-bit writes. Data moves by ADMA2 when the controller
 * has it and the host has a DMA device (mmc.dma_dev: the PCI front end,
 * sdhci_pci.c), else by PIO (docs/drivers/sd.md). sdhci.dma=0 forces
 * PIO. The mmc_host contract is in mmc.h.
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
	/* ADMA2 (when adma): the descriptor table, built per request and
	 * mapped for the device while it runs; 12-byte descriptors with 64-bit
	 * addresses or 8-byte ones with 32-bit addresses. */
	bool adma;			/* data by ADMA2 */
	void *adma_table;
	bool adma64;
	uint32_t adma_err;		/* ADMA error status of the last error */
	uint64_t adma_at;		/* and the descriptor it stopped at */
};

/*
 * Reset the controller and power the card at 3.3 V; fill h->mmc. base_hz:
 * the base clock when the capabilities register gives none (0: trust it).
 * Set before the call: h->name (empty: "sdhci@<phys>") and h->mmc.dma_dev
 * (NULL: PIO; else ADMA2 through it when the capabilities say ADMA2, with
 * 64-bit descriptors when they say 64-bit and the DMA API takes a 64-bit
 * mask, else a 32-bit mask). 0, or -ENODEV with why in err (no card in
 * the slot, a reset that never ended, no base clock known).
 */
int sdhci_setup(struct sdhci *h, volatile void *regs, uint64_t phys,
		unsigned int base_hz, char *err, size_t errlen);

#endif
