/*
 * drivers/mmc/mmc_fdt.c - the SD controllers a device tree names, found
 * and started (mmc.h, mmc_init). Enabled nodes only:
 *   brcm,bcm2835-sdhost			the Pi 3's card slot
 *   brcm,bcm2711-emmc2			the Pi 4's card slot (SDHCI)
 *   brcm,bcm2835-sdhci, brcm,bcm2835-mmc	the Pi 3's Arasan (SDHCI),
 *					which a firmware overlay can give the card
 * The Pi 3 wires its one slot (GPIO 48-53) to either controller by the
 * pins' function: ALT0 the SDHOST, ALT3 the Arasan. The firmware leaves
 * them at ALT0; the controller the tree enables gets them here. (QEMU's
 * raspi3b follows the pins too: the card sits on the Arasan until the
 * pins are ALT0.) The Pi 4's EMMC2 has pins of its own.
 */
#include "boot/boot_info.h"
#include "drivers/dma/bcm2835_dma.h"
#include "drivers/fdt/fdt.h"
#include "drivers/firmware/rpi_mbox.h"
#include "drivers/firmware/rpi_mbox_msg.h"
#include "drivers/mmc/bcm2835_sdhost.h"
#include "drivers/mmc/mmc.h"
#include "drivers/mmc/sdhci.h"
#include "kernel/errno.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "mm/kmalloc.h"
#include <arch/mmio.h>

#define GPIO_FSEL(pin)		(0x04 * ((pin) / 10))	/* GPFSELn */
#define GPIO_ALT0		4
#define GPIO_ALT3		7
#define SD_PIN_FIRST		48
#define SD_PIN_LAST		53
/* The VPU core clock SDHOST divides when neither the tree nor the
 * firmware says: 250 MHz, what the firmware runs it at with the UART
 * enabled (core_freq=250). */
#define SDHOST_CORE_HZ		250000000u

/* Route the card's pins to a function: GPFSEL holds 3 bits a pin. */
static void route_sd_pins(const struct fdt *dt, unsigned int function)
{
	int node = fdt_node_by_compatible(dt, -1, "brcm,bcm2835-gpio");
	struct fdt_reg reg;
	volatile char *gpio;

	if (node < 0 || fdt_get_reg_phys(dt, node, 0, &reg, NULL, 0) < 0) {
		pr_info("mmc: no brcm,bcm2835-gpio node: the card's pins are "
			"left as the firmware set them\n");
		return;
	}
	gpio = ioremap(reg.base, 0x1000);
	if (!gpio)
		return;
	for (unsigned int pin = SD_PIN_FIRST; pin <= SD_PIN_LAST; pin++) {
		volatile char *r = gpio + GPIO_FSEL(pin);
		unsigned int shift = 3 * (pin % 10);

		writel((readl(r) & ~(7U << shift)) | function << shift, r);
	}
}

/* A controller's input clock: the tree's clock-frequency, else the
 * firmware's rate for clock id (the mailbox), else dflt (0: unknown). */
static unsigned int clock_of(const struct fdt *dt, int node, uint32_t id,
			     unsigned int dflt, const char **from)
{
	uint32_t hz;
	char err[96];

	if (fdt_getprop_u32(dt, node, "clock-frequency", &hz) == 0 && hz) {
		*from = "device tree";
		return hz;
	}
	if (rpi_firmware_clock_rate(id, &hz, err, sizeof(err)) == 0 && hz) {
		*from = "firmware";
		return hz;
	}
	*from = "default";
	return dflt;
}

/*
 * The SDHOST's DMA, when the tree gives it one (dmas = <&dma DREQ>) and
 * the engine has a channel for it: its device sees RAM through its bus's
 * window (the VideoCore's alias) and does not snoop the caches; the FIFO
 * is SDDATA's address on that bus (reg before `ranges`, + 0x40).
 */
static void sdhost_dma(const struct fdt *dt, int node, struct bcm2835_sdhost *h)
{
	struct fdt_dma_range win;
	struct bcm2835_dma_chan *chan;
	struct fdt_reg bus_reg;
	char err[96] = "";

	if (!fdt_getprop(dt, node, "dmas", NULL))
		return;
	if (bcm2835_sdhost_dma_disabled()) {
		pr_info("mmc: %s: PIO (sdhost.dma=0)\n", h->name);
		return;
	}
	if (fdt_get_reg(dt, node, 0, &bus_reg, err, sizeof(err)) < 0 ||
	    fdt_dma_range(dt, node, &win, err, sizeof(err)) < 0) {
		pr_err("mmc: %s: no DMA: %s\n", h->name, err);
		return;
	}
	chan = bcm2835_dma_request(h->name);
	if (!chan) {
		pr_info("mmc: %s: PIO: no DMA channel free\n", h->name);
		return;
	}
	dma_device_init(&h->dev, h->name);
	h->dev.dma_mask = DMA_BIT_MASK(32);
	h->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	if (win.translated)
		dma_device_set_window(&h->dev, win.cpu, win.bus, win.size);
	dma_device_set_noncoherent(&h->dev);
	bcm2835_sdhost_use_dma(h, chan, (uint32_t)bus_reg.base + 0x40);
	pr_info("mmc: %s: DMA on channel %u, FIFO at bus 0x%08x, RAM at bus "
		"0x%llx\n", h->name, chan->ch, h->fifo_bus,
		(unsigned long long)(win.translated ? win.bus : 0));
}

static void add_sdhost(const struct fdt *dt, int node, const struct fdt_reg *reg)
{
	struct bcm2835_sdhost *h = kzalloc(sizeof(*h), GFP_KERNEL);
	void *regs = ioremap(reg->base, 0x100);
	const char *from;
	unsigned int hz;

	if (!h || !regs) {
		pr_err("mmc: sdhost@%llx: no memory\n", (unsigned long long)reg->base);
		kfree(h);
		return;
	}
	route_sd_pins(dt, GPIO_ALT0);
	hz = clock_of(dt, node, RPI_CLOCK_CORE, SDHOST_CORE_HZ, &from);
	pr_info("mmc: sdhost@%llx: core clock %u Hz (%s)\n",
		(unsigned long long)reg->base, hz, from);
	bcm2835_sdhost_setup(h, regs, reg->base, hz);
	sdhost_dma(dt, node, h);
	if (mmc_add_host(&h->mmc)) {
		if (h->dma)
			bcm2835_dma_release(h->dma);
		kfree(h);		/* no card: said; registers stay mapped */
	}
}

/* A device-tree SDHCI and the device its DMA goes as. */
struct sdhci_fdt {
	struct sdhci h;
	struct device dev;
};

/*
 * The Pi 4's EMMC2 does ADMA2: its device sees RAM through its own bus's
 * window (emmc2bus: the first GiB only) and does not snoop the caches.
 * The Pi 3's Arasan is left without (its DMA is not usable: the firmware
 * trees and Linux drive it by PIO or the DMA engine). Written from the
 * trees; no Pi 4 has run it (QEMU 7.2 has none).
 */
static void sdhci_fdt_dma(const struct fdt *dt, int node, struct sdhci_fdt *s)
{
	struct fdt_dma_range win;
	char err[96] = "";

	if (fdt_dma_range(dt, node, &win, err, sizeof(err)) < 0) {
		pr_err("mmc: %s: no DMA: %s\n", s->h.name, err);
		return;
	}
	dma_device_init(&s->dev, s->h.name);
	s->dev.dma_mask = DMA_BIT_MASK(32);
	s->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	if (win.translated)
		dma_device_set_window(&s->dev, win.cpu, win.bus, win.size);
	dma_device_set_noncoherent(&s->dev);
	s->h.mmc.dma_dev = &s->dev;
}

static void add_sdhci(const struct fdt *dt, int node, const struct fdt_reg *reg,
		      bool bcm2835_pins)
{
	struct sdhci_fdt *s = kzalloc(sizeof(*s), GFP_KERNEL);
	struct sdhci *h = s ? &s->h : NULL;
	void *regs = ioremap(reg->base, 0x100);
	const char *from;
	unsigned int hz;
	char err[128];

	if (!s || !regs) {
		pr_err("mmc: sdhci@%llx: no memory\n", (unsigned long long)reg->base);
		kfree(s);
		return;
	}
	ksnprintf(h->name, sizeof(h->name), "sdhci@%llx", (unsigned long long)reg->base);
	if (!bcm2835_pins)
		sdhci_fdt_dma(dt, node, s);
	if (bcm2835_pins)
		route_sd_pins(dt, GPIO_ALT3);
	/* The base clock: the capabilities register's when it has one (QEMU),
	 * else this (a real Pi's controllers leave it 0). */
	hz = clock_of(dt, node, bcm2835_pins ? RPI_CLOCK_EMMC : RPI_CLOCK_EMMC2,
		      0, &from);
	if (sdhci_setup(h, regs, reg->base, hz, err, sizeof(err))) {
		pr_info("mmc: sdhci@%llx: %s\n", (unsigned long long)reg->base, err);
		kfree(s);
		return;
	}
	if (mmc_add_host(&h->mmc))
		kfree(s);
}

void mmc_init(const struct boot_info *bi)
{
	static const struct { const char *compatible; bool sdhost, pins; } kinds[] = {
		{ "brcm,bcm2835-sdhost", true, true },
		{ "brcm,bcm2711-emmc2", false, false },
		{ "brcm,bcm2835-sdhci", false, true },
		{ "brcm,bcm2835-mmc", false, true },
	};
	const struct fdt *dt = fdt_boot_tree(bi);
	char err[128];

	if (!dt)
		return;
	if (!bcm2835_dma_engine())
		bcm2835_dma_init_fdt(dt);	/* the SDHOST's DMA, if any */
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (int node = fdt_node_by_compatible(dt, -1, kinds[k].compatible);
		     node >= 0;
		     node = fdt_node_by_compatible(dt, node, kinds[k].compatible)) {
			struct fdt_reg reg;

			if (!fdt_node_is_enabled(dt, node))
				continue;
			if (fdt_get_reg_phys(dt, node, 0, &reg, err, sizeof(err)) < 0) {
				pr_err("mmc: %s node: %s\n", kinds[k].compatible, err);
				continue;
			}
			if (kinds[k].sdhost)
				add_sdhost(dt, node, &reg);
			else
				add_sdhci(dt, node, &reg, kinds[k].pins);
		}
	}
}
