/*
 * drivers/mmc/bcm2835_sdhost.c - the Raspberry Pi 3's SD card controller
 * (bcm2835_sdhost.h). Registers from Broadcom's BCM2835 peripheral
 * documentation as the Raspberry Pi community recorded it; behaviour
 * checked against QEMU's raspi3b model only (docs/drivers/sd.md).
 */
#include "drivers/mmc/bcm2835_sdhost.h"
#include "kernel/errno.h"
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
	/* Wait for the last words to leave and the card to take them. */
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

static int sdhost_request(struct mmc_host *mmc, struct mmc_command *cmd)
{
	struct bcm2835_sdhost *h = mmc->priv;
	struct mmc_data *d = cmd->data;
	uint32_t c = cmd->opcode & 0x3f;
	uint64_t end = clock_ns() + (uint64_t)CMD_TIMEOUT_MS * 1000000;
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
	err = pio(h, d);
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
