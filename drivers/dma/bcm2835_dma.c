/*
 * drivers/dma/bcm2835_dma.c - the BCM2835 DMA engine (bcm2835_dma.h).
 * Registers as Broadcom's BCM2835 ARM Peripherals document describes
 * them (chapter 4); checked against QEMU's raspi3b model only.
 */
#include "drivers/dma/bcm2835_dma.h"
#include "drivers/fdt/fdt.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

#define CH(c)		(0x100 * (c))	/* a channel's registers */
#define CS		0x00
#define CONBLK_AD	0x04
#define DEBUG		0x20
#define ENABLE		0xff0		/* a bit per channel */

#define CS_ACTIVE	(1U << 0)
#define CS_END		(1U << 1)	/* write 1 to clear */
#define CS_INT		(1U << 2)	/* write 1 to clear */
#define CS_ERROR	(1U << 8)
#define CS_PRIORITY(p)	((uint32_t)(p) << 16)
#define CS_PANIC(p)	((uint32_t)(p) << 20)
#define CS_WAIT_WRITES	(1U << 28)	/* end only when writes are done */
#define CS_ABORT	(1U << 30)
#define CS_RESET	(1U << 31)
#define DEBUG_ERRORS	0x7U		/* read-last-not-set, FIFO, read */

static struct bcm2835_dma engine;
static bool engine_ready;
static struct bcm2835_dma_chan chans[BCM2835_DMA_CHANNELS];

static uint32_t rd(struct bcm2835_dma *d, unsigned int reg)
{
	return readl((volatile char *)d->regs + reg);
}

static void wr(struct bcm2835_dma *d, unsigned int reg, uint32_t v)
{
	writel(v, (volatile char *)d->regs + reg);
}

static void reset_channel(struct bcm2835_dma *d, unsigned int ch)
{
	uint64_t end = clock_ns() + 10000000;

	wr(d, CH(ch) + CS, CS_ABORT);
	while ((rd(d, CH(ch) + CS) & CS_ACTIVE) && clock_ns() < end)
		arch_cpu_relax();
	wr(d, CH(ch) + CS, CS_RESET);
	wr(d, CH(ch) + DEBUG, DEBUG_ERRORS);
	wr(d, CH(ch) + CS, CS_END | CS_INT);
}

int bcm2835_dma_setup(struct bcm2835_dma *d, volatile void *regs,
		      uint64_t phys, uint32_t channel_mask,
		      phys_addr_t win_cpu, dma_addr_t win_bus, uint64_t win_size)
{
	d->regs = regs;
	d->channel_mask = channel_mask & ((1U << BCM2835_DMA_CHANNELS) - 1);
	d->in_use = 0;
	spin_lock_init(&d->lock, "bcm2835_dma");
	ksnprintf(d->name, sizeof(d->name), "dma@%llx", (unsigned long long)phys);
	dma_device_init(&d->dev, d->name);
	d->dev.dma_mask = DMA_BIT_MASK(32);
	d->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	if (win_size)
		dma_device_set_window(&d->dev, win_cpu, win_bus, win_size);
	dma_device_set_noncoherent(&d->dev);	/* the VideoCore's bus */
	for (unsigned int ch = 0; ch < BCM2835_DMA_CHANNELS; ch++) {
		if (!(d->channel_mask & (1U << ch)))
			continue;
		reset_channel(d, ch);
		wr(d, ENABLE, rd(d, ENABLE) | (1U << ch));
	}
	return 0;
}

struct bcm2835_dma *bcm2835_dma_engine(void)
{
	return engine_ready ? &engine : NULL;
}

int bcm2835_dma_init_fdt(const struct fdt *fdt)
{
	struct fdt_dma_range win;
	struct fdt_reg reg;
	uint32_t mask = 0;
	char err[96] = "";
	void *regs;
	int node = -1;

	do
		node = fdt_node_by_compatible(fdt, node, "brcm,bcm2835-dma");
	while (node >= 0 && !fdt_node_is_enabled(fdt, node));
	if (node < 0)
		return -ENODEV;
	if (fdt_get_reg_phys(fdt, node, 0, &reg, err, sizeof(err)) < 0 ||
	    fdt_dma_range(fdt, node, &win, err, sizeof(err)) < 0) {
		pr_err("bcm2835-dma: %s\n", err);
		return -EINVAL;
	}
	/* Without the mask every channel could be the firmware's: use none. */
	if (fdt_getprop_u32(fdt, node, "brcm,dma-channel-mask", &mask) < 0 || !mask) {
		pr_info("bcm2835-dma: no brcm,dma-channel-mask: no channel is ours\n");
		return -ENODEV;
	}
	regs = ioremap(reg.base, 0x1000);
	if (!regs)
		return -ENOMEM;
	bcm2835_dma_setup(&engine, regs, reg.base, mask, win.cpu, win.bus,
			  win.translated ? win.size : 0);
	engine_ready = true;
	pr_info("bcm2835-dma: %s: channels 0x%04x ours, RAM at bus 0x%llx\n",
		engine.name, engine.channel_mask,
		(unsigned long long)(win.translated ? win.bus : 0));
	return 0;
}

struct bcm2835_dma_chan *bcm2835_dma_request(const char *user)
{
	struct bcm2835_dma *d = bcm2835_dma_engine();
	struct bcm2835_dma_chan *c = NULL;
	unsigned long flags;
	struct page *pg;

	if (!d)
		return NULL;
	pg = alloc_pages(GFP_KERNEL, 0);	/* the chain: 64 x 32 bytes */
	if (!pg)
		return NULL;
	spin_lock_irqsave(&d->lock, flags);
	for (unsigned int ch = 0; ch < BCM2835_DMA_CHANNELS; ch++)
		if ((d->channel_mask & ~d->in_use) & (1U << ch)) {
			d->in_use |= 1U << ch;
			c = &chans[ch];
			c->ch = ch;
			break;
		}
	spin_unlock_irqrestore(&d->lock, flags);
	if (!c) {
		__free_pages(pg, 0);
		return NULL;
	}
	c->dma = d;
	c->user = user;
	c->cbs = page_address(pg);
	c->runs = c->errors = 0;
	return c;
}

void bcm2835_dma_release(struct bcm2835_dma_chan *c)
{
	struct bcm2835_dma *d = c->dma;
	unsigned long flags;

	reset_channel(d, c->ch);
	__free_pages(virt_to_page(c->cbs), 0);
	spin_lock_irqsave(&d->lock, flags);
	d->in_use &= ~(1U << c->ch);
	spin_unlock_irqrestore(&d->lock, flags);
}

int bcm2835_dma_run(struct bcm2835_dma_chan *c, const struct bcm2835_dma_xfer *x,
		    unsigned int n, unsigned int timeout_ms)
{
	struct bcm2835_dma *d = c->dma;
	const size_t bytes = n * sizeof(struct bcm2835_dma_cb);
	uint64_t end = clock_ns() + (uint64_t)timeout_ms * 1000000;
	dma_addr_t chain;
	uint32_t cs;
	int err = 0;

	if (!n || n > BCM2835_DMA_MAX_CBS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++)
		if (!x[i].len || x[i].len > BCM2835_DMA_MAX_LEN || x[i].len % 4 ||
		    (x[i].src | x[i].dst) >> 32)
			return -EINVAL;
	/* Each block's next is the one after it, by bus address: map the
	 * page first to learn it, fill, then hand it over. */
	chain = dma_map_single(&d->dev, c->cbs, bytes, DMA_TO_DEVICE);
	if (dma_mapping_error(&d->dev, chain))
		return -ENOMEM;
	dma_sync_single_for_cpu(&d->dev, chain, bytes, DMA_TO_DEVICE);
	for (unsigned int i = 0; i < n; i++) {
		struct bcm2835_dma_cb *cb = &c->cbs[i];

		cb->ti = x[i].ti;
		cb->src = (uint32_t)x[i].src;
		cb->dst = (uint32_t)x[i].dst;
		cb->len = x[i].len;
		cb->stride = 0;
		cb->next = i + 1 < n ? (uint32_t)(chain + (i + 1) * sizeof(*cb)) : 0;
		cb->reserved[0] = cb->reserved[1] = 0;
	}
	dma_sync_single_for_device(&d->dev, chain, bytes, DMA_TO_DEVICE);
	c->last_cb = chain;
	c->runs++;
	wr(d, CH(c->ch) + CS, CS_END | CS_INT);
	wr(d, CH(c->ch) + CONBLK_AD, (uint32_t)chain);
	wr(d, CH(c->ch) + CS, CS_ACTIVE | CS_PRIORITY(8) | CS_PANIC(15) |
			       CS_WAIT_WRITES);
	for (;;) {
		cs = rd(d, CH(c->ch) + CS);
		if (cs & CS_ERROR) {
			c->last_debug = rd(d, CH(c->ch) + DEBUG);
			err = -EIO;
			break;
		}
		if (!(cs & CS_ACTIVE))
			break;
		if (clock_ns() > end) {
			err = -ETIMEDOUT;
			break;
		}
		arch_cpu_relax();
	}
	if (err) {
		c->errors++;
		pr_err("bcm2835-dma: channel %u (%s): %s after %u ms (CS 0x%08x, "
		       "DEBUG 0x%08x, chain at bus 0x%llx)\n", c->ch, c->user,
		       err == -EIO ? "error" : "not finished", timeout_ms, cs,
		       c->last_debug, (unsigned long long)chain);
		reset_channel(d, c->ch);
	} else {
		wr(d, CH(c->ch) + CS, CS_END | CS_INT);
	}
	dma_unmap_single(&d->dev, chain, bytes, DMA_TO_DEVICE);
	return err;
}
