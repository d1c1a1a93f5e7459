/*
 * drivers/mmc/bcm2835_sdhost.c - the Raspberry Pi 3's SD card controller
 * (bcm2835_sdhost.h). Registers from Broadcom's BCM2835 peripheral
 * documentation as the Raspberry Pi community recorded it; behaviour
 * checked against QEMU's raspi3b model only (docs/drivers/sd.md).
 */
#include "drivers/mmc/bcm2835_sdhost.h"
#include "drivers/dma/bcm2835_dma.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

enum {
	SDCMD = 0x00,	/* command, flags; NEW starts it, cleared when done */
	SDARG = 0x04,
	SDTOUT = 0x08,	/* data timeout, in card clocks */
	SDCDIV = 0x0c,	/* card clock = core / (SDCDIV + 2) */
	SDRSP0 = 0x10,	/* response bits 31:0 ... SDRSP3 127:96 */
	SDHSTS = 0x20,	/* status; write 1s to clear */
	SDVDD = 0x30,	/* bit 0: card power */
	SDEDM = 0x34,	/* debug: FIFO level (8:4), state machine (3:0) */
	SDHCFG = 0x38,	/* bus width, interrupts */
	SDHBCT = 0x3c,	/* block size in bytes */
	SDDATA = 0x40,	/* the FIFO */
	SDHBLC = 0x50,	/* block count */
};

#define CMD_NEW		0x8000
#define CMD_FAIL	0x4000
#define CMD_BUSYWAIT	0x0800
#define CMD_NO_RESPONSE	0x0400
#define CMD_LONG_RESPONSE 0x0200
#define CMD_WRITE	0x0080
#define CMD_READ	0x0040

#define HSTS_REW_TIME_OUT 0x080
#define HSTS_CMD_TIME_OUT 0x040
#define HSTS_CRC16_ERROR 0x020
#define HSTS_CRC7_ERROR	0x010
#define HSTS_FIFO_ERROR	0x008
#define HSTS_CLEAR	0x7f8	/* every error and interrupt bit */

#define HCFG_SLOW_CARD	(1U << 3)
#define HCFG_WIDE_EXT_BUS (1U << 2)	/* 4-bit card bus */
#define HCFG_WIDE_INT_BUS (1U << 1)

#define EDM_FIFO_LEVEL(e) (((e) >> 4) & 0x1f)
#define EDM_FSM(e)	((e) & 0xf)
#define FSM_IDENTMODE	0x0
#define FSM_DATAMODE	0x1
#define FSM_READWAIT	0x4
#define FSM_WRITEWAIT2	0xd
#define FIFO_WORDS	16
#define CMD_TIMEOUT_MS	100

static uint32_t rd(struct bcm2835_sdhost *h, unsigned int reg)
{
	return readl((volatile char *)h->regs + reg);
}

static void wr(struct bcm2835_sdhost *h, unsigned int reg, uint32_t v)
{
	writel(v, (volatile char *)h->regs + reg);
}

static unsigned int sdhost_set_ios(struct mmc_host *mmc, unsigned int hz,
				   unsigned int width)
{
	struct bcm2835_sdhost *h = mmc->priv;
	uint32_t div = 0x7ff;

	if (hz) {
		div = (h->core_hz + hz - 1) / hz;	/* never faster than hz */
		div = div < 2 ? 0 : div - 2;
		if (div > 0x7ff)
			div = 0x7ff;
	}
	wr(h, SDCDIV, div);
	h->hcfg = HCFG_WIDE_INT_BUS | HCFG_SLOW_CARD |
		  (width == 4 ? HCFG_WIDE_EXT_BUS : 0);
	wr(h, SDHCFG, h->hcfg);
	/* Data timeout: about half a second of card clocks. */
	wr(h, SDTOUT, hz ? hz / 2 : 0xf00000);
	return hz ? h->core_hz / (div + 2) : 0;
}

static int status_error(uint32_t hsts, bool crc_matters)
{
	if (hsts & (HSTS_CMD_TIME_OUT | HSTS_REW_TIME_OUT))
		return -ETIMEDOUT;
	if (hsts & HSTS_CRC16_ERROR)
		return -EILSEQ;
	if ((hsts & HSTS_CRC7_ERROR) && crc_matters)
		return -EILSEQ;
	if (hsts & HSTS_FIFO_ERROR)
		return -EIO;
	return 0;
}

static bool dma_off;

static int set_dma(const char *value)
{
	unsigned int on;

	if (param_parse_uint(value, 0, 1, &on)) {
		dma_off = !on;
		return 0;
	}
	pr_err("sdhost: sdhost.dma=%s: expected 0 (PIO) or 1 (DMA)\n",
	       value ? value : "");
	return -1;
}
KERNEL_PARAM("sdhost.dma", set_dma, "1: the Pi 3's SD card controller moves data by DMA when the device tree gives it a DMA engine (default); 0: by PIO");

bool bcm2835_sdhost_dma_disabled(void)
{
	return dma_off;
}

/* Wait for the last words to leave and the card to take them: the FIFO
 * empty and the state machine back between blocks. */
static int wait_transfer_end(struct bcm2835_sdhost *h, uint64_t end)
{
	for (;;) {
		uint32_t edm = rd(h, SDEDM);
		unsigned int fsm = EDM_FSM(edm);

		if (EDM_FIFO_LEVEL(edm) == 0 &&
		    (fsm == FSM_DATAMODE || fsm == FSM_IDENTMODE ||
		     fsm == FSM_READWAIT || fsm == FSM_WRITEWAIT2))
			break;
		if (clock_ns() > end) {
			h->mmc.status = rd(h, SDHSTS) | edm << 16;
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	return status_error(rd(h, SDHSTS), true);
}

/*
 * The data by DMA (pieces: mmc_data_dma_pieces, n of them): each mapped
 * for the SDHOST's device, one control block each, between it and the
 * FIFO's bus address, paced by the SDHOST's DREQ; the iterator then moved
 * past them (end_i, end_off), as PIO would.
 */
static int dma_data(struct bcm2835_sdhost *h, struct mmc_data *d,
		    const struct mmc_sg *pieces, unsigned int n,
		    unsigned int end_i, unsigned int end_off, uint64_t end)
{
	enum dma_data_direction dir = d->write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	const uint32_t ti = BCM2835_TI_WAIT_RESP | BCM2835_TI_PERMAP(BCM2835_DREQ_SDHOST) |
		(d->write ? BCM2835_TI_SRC_INC | BCM2835_TI_DEST_DREQ
			  : BCM2835_TI_DEST_INC | BCM2835_TI_SRC_DREQ);
	struct bcm2835_dma_xfer x[MMC_MAX_SG];
	unsigned int mapped = 0;
	int err = 0;

	for (; mapped < n; mapped++) {
		dma_addr_t a = dma_map_single(&h->dev, pieces[mapped].addr,
					      pieces[mapped].len, dir);

		if (dma_mapping_error(&h->dev, a)) {
			err = -ENOMEM;
			break;
		}
		x[mapped] = (struct bcm2835_dma_xfer){
			.src = d->write ? a : h->fifo_bus,
			.dst = d->write ? h->fifo_bus : a,
			.len = pieces[mapped].len, .ti = ti,
		};
	}
	if (!err)
		err = bcm2835_dma_run(h->dma, x, n, d->timeout_ms * d->blocks);
	while (mapped--)
		dma_unmap_single(&h->dev, d->write ? x[mapped].src : x[mapped].dst,
				 pieces[mapped].len, dir);
	if (err) {
		h->mmc.status = rd(h, SDHSTS) | rd(h, SDEDM) << 16;
		return err;
	}
	d->sg_i = end_i;
	d->sg_off = end_off;
	return wait_transfer_end(h, end);
}

/* Move the data through the FIFO, a word at a time as it has room or
 * words. Bounded by the data's timeout. */
static int pio(struct bcm2835_sdhost *h, struct mmc_data *d)
{
	unsigned int words = d->blocks * d->blksz / 4;
	uint64_t end = clock_ns() + (uint64_t)d->timeout_ms * d->blocks * 1000000;

	while (words) {
		uint32_t edm = rd(h, SDEDM);
		unsigned int level = EDM_FIFO_LEVEL(edm);
		unsigned int n = d->write ? FIFO_WORDS - level : level;
		uint32_t hsts = rd(h, SDHSTS);
		int err = status_error(hsts, true);

		if (err) {
			h->mmc.status = hsts;
			return err;
		}
		if (!n) {
			if (clock_ns() > end) {
				h->mmc.status = hsts | edm << 16;
				return -ETIMEDOUT;
			}
			arch_cpu_relax();
			continue;
		}
		if (n > words)
			n = words;
		words -= n;
		while (n--) {
			if (d->write)
				wr(h, SDDATA, mmc_data_next_word(d));
			else
				mmc_data_put_word(d, rd(h, SDDATA));
		}
	}
	return wait_transfer_end(h, end);
}

static int sdhost_request(struct mmc_host *mmc, struct mmc_command *cmd)
{
	struct bcm2835_sdhost *h = mmc->priv;
	struct mmc_data *d = cmd->data;
	uint32_t c = cmd->opcode & 0x3f;
	uint64_t end = clock_ns() + (uint64_t)CMD_TIMEOUT_MS * 1000000;
	struct mmc_sg pieces[MMC_MAX_SG];
	unsigned int n, end_i = 0, end_off = 0;
	uint32_t v;
	int err;

	mmc->status = 0;
	while (rd(h, SDCMD) & CMD_NEW) {	/* the last one still going */
		if (clock_ns() > end) {
			mmc->status = rd(h, SDHSTS);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	wr(h, SDHSTS, HSTS_CLEAR);
	if (!(cmd->flags & MMC_RSP_PRESENT))
		c |= CMD_NO_RESPONSE;
	else if (cmd->flags & MMC_RSP_136)
		c |= CMD_LONG_RESPONSE;
	if (cmd->flags & MMC_RSP_BUSY)
		c |= CMD_BUSYWAIT;
	if (d) {
		if (d->blksz % 4)
			return -EINVAL;		/* the FIFO moves words */
		wr(h, SDHBCT, d->blksz);
		wr(h, SDHBLC, d->blocks);
		c |= d->write ? CMD_WRITE : CMD_READ;
	}
	wr(h, SDARG, cmd->arg);
	wr(h, SDCMD, c | CMD_NEW);
	end = clock_ns() + (uint64_t)CMD_TIMEOUT_MS * 1000000;
	while ((v = rd(h, SDCMD)) & CMD_NEW) {
		if (clock_ns() > end) {
			mmc->status = rd(h, SDHSTS);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	if (v & CMD_FAIL) {
		uint32_t hsts = rd(h, SDHSTS);

		mmc->status = hsts;
		wr(h, SDHSTS, HSTS_CLEAR);
		err = status_error(hsts, cmd->flags & MMC_RSP_CRC);
		/* A failure flag with no reason given: call it a timeout,
		 * which is what the controller does for a silent card. */
		return err ? err : -ETIMEDOUT;
	}
	if (cmd->flags & MMC_RSP_136) {
		for (unsigned int i = 0; i < 4; i++)
			cmd->resp[3 - i] = rd(h, SDRSP0 + 4 * i);
	} else if (cmd->flags & MMC_RSP_PRESENT) {
		cmd->resp[0] = rd(h, SDRSP0);
	}
	if (!d)
		return 0;
	if (h->dma && (n = mmc_data_dma_pieces(d, pieces, MMC_MAX_SG, &end_i,
						&end_off))) {
		mmc->nr_dma++;
		err = dma_data(h, d, pieces, n, end_i, end_off, clock_ns() +
			       (uint64_t)d->timeout_ms * d->blocks * 1000000);
	} else {
		mmc->nr_pio++;
		err = pio(h, d);
	}
	wr(h, SDHSTS, HSTS_CLEAR);
	return err;
}

static const struct mmc_host_ops sdhost_ops = {
	.set_ios = sdhost_set_ios,
	.request = sdhost_request,
};

void bcm2835_sdhost_setup(struct bcm2835_sdhost *h, volatile void *regs,
			  uint64_t phys, unsigned int core_hz)
{
	h->regs = regs;
	h->core_hz = core_hz;
	ksnprintf(h->name, sizeof(h->name), "sdhost@%llx", (unsigned long long)phys);
	/* Power off, everything to its reset value, power on. */
	wr(h, SDVDD, 0);
	wr(h, SDCMD, 0);
	wr(h, SDARG, 0);
	wr(h, SDTOUT, 0xf00000);
	wr(h, SDCDIV, 0x7ff);
	wr(h, SDHSTS, HSTS_CLEAR);
	wr(h, SDHCFG, 0);
	wr(h, SDHBCT, 0);
	wr(h, SDHBLC, 0);
	udelay(20000);
	wr(h, SDVDD, 1);
	udelay(20000);
	h->mmc.name = h->name;
	h->mmc.ops = &sdhost_ops;
	h->mmc.priv = h;
	h->mmc.f_min = core_hz / (0x7ff + 2);
	h->mmc.f_max = 50000000;
	h->mmc.cap_4bit = true;
	h->mmc.max_blocks = 511;	/* SDHBLC is 9 bits */
}

void bcm2835_sdhost_use_dma(struct bcm2835_sdhost *h, struct bcm2835_dma_chan *chan,
			    uint32_t fifo_bus)
{
	uint32_t edm = rd(h, SDEDM);

	/* DREQ when the FIFO has 4 words of room (writes) or 4 words of
	 * data (reads): the thresholds in SDEDM. */
	edm &= ~(0x1fU << 9 | 0x1fU << 14);
	edm |= 4U << 9 | 4U << 14;
	wr(h, SDEDM, edm);
	h->dma = chan;
	h->fifo_bus = fifo_bus;
}
