/*
 * drivers/mmc/sdhci.c - a standard SD host controller, PIO (sdhci.h).
 * Written from the SD Host Controller Simplified Specification; checked
 * against QEMU's sdhci model (raspi3b's Arasan) only: docs/drivers/sd.md.
 */
#include "drivers/mmc/sdhci.h"
#include "kernel/errno.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/time.h"
#include <arch/cpu.h>
#include <arch/mmio.h>

enum {
	BLOCK = 0x04,		/* block size 11:0, count 31:16 */
	ARGUMENT = 0x08,
	XFER_CMD = 0x0c,	/* transfer mode 15:0, command 31:16 */
	RESPONSE = 0x10,	/* 0x10-0x1c: response bits 127:8 */
	BUFFER = 0x20,		/* the data port */
	PRESENT = 0x24,		/* present state */
	HOST_CTL = 0x28,	/* host control 7:0, power 15:8 */
	CLOCK_CTL = 0x2c,	/* clock 15:0, timeout 23:16, reset 31:24 */
	INT_STATUS = 0x30,	/* normal 15:0, error 31:16; write 1s to clear */
	INT_ENABLE = 0x34,	/* which bits INT_STATUS may show */
	SIGNAL_ENABLE = 0x38,	/* which raise the interrupt line */
	CAPS = 0x40,
	VERSION = 0xfc,		/* host controller version 31:16 */
};

#define XFER_BLOCK_COUNT	(1U << 1)
#define XFER_READ		(1U << 4)
#define XFER_MULTI		(1U << 5)
#define CMD_RESP_136		(1U << 16)
#define CMD_RESP_48		(2U << 16)
#define CMD_RESP_48_BUSY	(3U << 16)
#define CMD_CRC_CHECK		(1U << 19)
#define CMD_INDEX_CHECK		(1U << 20)
#define CMD_DATA		(1U << 21)

#define PRESENT_CMD_INHIBIT	(1U << 0)
#define PRESENT_DAT_INHIBIT	(1U << 1)
#define PRESENT_CARD		(1U << 16)

#define HOST_CTL_4BIT		(1U << 1)
#define POWER_ON_3V3		(0x0fU << 8)	/* 3.3 V (111b) and on */

#define CLOCK_INTERNAL_EN	(1U << 0)
#define CLOCK_STABLE		(1U << 1)
#define CLOCK_CARD_EN		(1U << 2)
#define TIMEOUT_MAX		(0x0eU << 16)
#define RESET_ALL		(1U << 24)
#define RESET_CMD		(1U << 25)
#define RESET_DAT		(1U << 26)

#define INT_CMD_DONE		(1U << 0)
#define INT_XFER_DONE		(1U << 1)
#define INT_WRITE_READY		(1U << 4)
#define INT_READ_READY		(1U << 5)
#define INT_ERROR		(1U << 15)
#define ERR_CMD_TIMEOUT		(1U << 16)
#define ERR_CMD_CRC		(1U << 17)
#define ERR_CMD_END_BIT		(1U << 18)
#define ERR_CMD_INDEX		(1U << 19)
#define ERR_DATA_TIMEOUT	(1U << 20)
#define ERR_DATA_CRC		(1U << 21)
#define ERR_DATA_END_BIT	(1U << 22)

#define CMD_TIMEOUT_MS		100

static uint32_t rd(struct sdhci *h, unsigned int reg)
{
	return readl((volatile char *)h->regs + reg);
}

static void wr(struct sdhci *h, unsigned int reg, uint32_t v)
{
	writel(v, (volatile char *)h->regs + reg);
}

/* Wait until (reg & mask) == want, at most ms. */
static bool wait_reg(struct sdhci *h, unsigned int reg, uint32_t mask,
		     uint32_t want, unsigned int ms)
{
	uint64_t end = clock_ns() + (uint64_t)ms * 1000000;

	while ((rd(h, reg) & mask) != want) {
		if (clock_ns() > end)
			return false;
		arch_cpu_relax();
	}
	return true;
}

/* Reset the command and data circuits after an error, one after the
 * other (QEMU's model takes one reset bit a write). */
static void reset_lines(struct sdhci *h)
{
	wr(h, CLOCK_CTL, (rd(h, CLOCK_CTL) & 0x00ffffff) | RESET_CMD);
	wait_reg(h, CLOCK_CTL, RESET_CMD, 0, 100);
	wr(h, CLOCK_CTL, (rd(h, CLOCK_CTL) & 0x00ffffff) | RESET_DAT);
	wait_reg(h, CLOCK_CTL, RESET_DAT, 0, 100);
}

/* The divided clock: version 3 takes any N in 10 bits (base / 2N, N = 0:
 * base); earlier versions a power of two up to 256 in 8 bits. */
static unsigned int sdhci_set_ios(struct mmc_host *mmc, unsigned int hz,
				  unsigned int width)
{
	struct sdhci *h = mmc->priv;
	uint32_t ctl = rd(h, CLOCK_CTL) & ~0xffffU;
	unsigned int n = 0, set = 0;

	wr(h, CLOCK_CTL, ctl);				/* clock off first */
	if (hz) {
		if (h->version >= 2) {
			if (h->base_hz > hz)
				n = (h->base_hz + 2 * hz - 1) / (2 * hz);
			if (n > 0x3ff)
				n = 0x3ff;
			set = n ? h->base_hz / (2 * n) : h->base_hz;
		} else {
			unsigned int div = 1;		/* base / div */

			while (div < 256 && h->base_hz / div > hz)
				div *= 2;
			n = div / 2;
			set = h->base_hz / div;
		}
		ctl |= (n & 0xff) << 8 | ((n >> 8) & 3) << 6 | CLOCK_INTERNAL_EN |
		       TIMEOUT_MAX;
		wr(h, CLOCK_CTL, ctl);
		if (!wait_reg(h, CLOCK_CTL, CLOCK_STABLE, CLOCK_STABLE, 20))
			return 0;			/* said by the first command */
		wr(h, CLOCK_CTL, ctl | CLOCK_CARD_EN);
	}
	wr(h, HOST_CTL, (rd(h, HOST_CTL) & ~HOST_CTL_4BIT) |
			(width == 4 ? HOST_CTL_4BIT : 0));
	return set;
}

static int error_of(uint32_t st)
{
	if (st & (ERR_CMD_TIMEOUT | ERR_DATA_TIMEOUT))
		return -ETIMEDOUT;
	if (st & (ERR_CMD_CRC | ERR_DATA_CRC))
		return -EILSEQ;
	return -EIO;
}

/* Wait for one of the bits in want (or an error); clear what came. */
static int wait_int(struct sdhci *h, uint32_t want, unsigned int ms)
{
	uint64_t end = clock_ns() + (uint64_t)ms * 1000000;

	for (;;) {
		uint32_t st = rd(h, INT_STATUS);

		if (st & (INT_ERROR | 0xffff0000U)) {
			h->mmc.status = st;
			wr(h, INT_STATUS, st);
			reset_lines(h);
			return error_of(st);
		}
		if (st & want) {
			wr(h, INT_STATUS, st & want);
			return 0;
		}
		if (clock_ns() > end) {
			h->mmc.status = st | 0x80000000U;	/* ours: timed out */
			reset_lines(h);
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
}

static int pio(struct sdhci *h, struct mmc_data *d)
{
	uint32_t ready = d->write ? INT_WRITE_READY : INT_READ_READY;

	for (unsigned int b = 0; b < d->blocks; b++) {
		int err = wait_int(h, ready, d->timeout_ms);

		if (err)
			return err;
		for (unsigned int w = 0; w < d->blksz / 4; w++) {
			if (d->write)
				wr(h, BUFFER, mmc_data_next_word(d));
			else
				mmc_data_put_word(d, rd(h, BUFFER));
		}
	}
	return wait_int(h, INT_XFER_DONE, d->timeout_ms);
}

static int sdhci_request(struct mmc_host *mmc, struct mmc_command *cmd)
{
	struct sdhci *h = mmc->priv;
	struct mmc_data *d = cmd->data;
	uint32_t inhibit = PRESENT_CMD_INHIBIT, c = (uint32_t)cmd->opcode << 24;
	int err;

	mmc->status = 0;
	if (d || (cmd->flags & MMC_RSP_BUSY))
		inhibit |= PRESENT_DAT_INHIBIT;
	if (!wait_reg(h, PRESENT, inhibit, 0, CMD_TIMEOUT_MS)) {
		mmc->status = rd(h, PRESENT);
		reset_lines(h);
		return -ETIMEDOUT;
	}
	wr(h, INT_STATUS, 0xffffffffU);
	if (cmd->flags & MMC_RSP_136)
		c |= CMD_RESP_136;
	else if (cmd->flags & MMC_RSP_BUSY)
		c |= CMD_RESP_48_BUSY;
	else if (cmd->flags & MMC_RSP_PRESENT)
		c |= CMD_RESP_48;
	if (cmd->flags & MMC_RSP_CRC)
		c |= CMD_CRC_CHECK;
	if (cmd->flags & MMC_RSP_OPCODE)
		c |= CMD_INDEX_CHECK;
	if (d) {
		if (d->blksz % 4 || d->blksz > 2048 || d->blocks > 0xffff)
			return -EINVAL;
		wr(h, BLOCK, d->blocks << 16 | d->blksz);
		c |= CMD_DATA | XFER_BLOCK_COUNT | (d->write ? 0 : XFER_READ) |
		     (d->blocks > 1 ? XFER_MULTI : 0);
	}
	wr(h, ARGUMENT, cmd->arg);
	wr(h, XFER_CMD, c);
	err = wait_int(h, INT_CMD_DONE, CMD_TIMEOUT_MS);
	if (err)
		return err;
	if (cmd->flags & MMC_RSP_136) {
		/* The controller keeps bits 127:8 (no CRC): put them back in
		 * place, bits 127:96 in resp[0]. */
		uint32_t r[4];

		for (unsigned int i = 0; i < 4; i++)
			r[i] = rd(h, RESPONSE + 4 * i);
		cmd->resp[0] = r[3] << 8 | r[2] >> 24;
		cmd->resp[1] = r[2] << 8 | r[1] >> 24;
		cmd->resp[2] = r[1] << 8 | r[0] >> 24;
		cmd->resp[3] = r[0] << 8;
	} else if (cmd->flags & MMC_RSP_PRESENT) {
		cmd->resp[0] = rd(h, RESPONSE);
	}
	if (d) {
		mmc->nr_pio++;
		return pio(h, d);
	}
	if (cmd->flags & MMC_RSP_BUSY) {
		/* The end of busy shows as the data line free again. */
		if (!wait_reg(h, PRESENT, PRESENT_DAT_INHIBIT, 0, 1000)) {
			mmc->status = rd(h, PRESENT);
			reset_lines(h);
			return -ETIMEDOUT;
		}
		wr(h, INT_STATUS, INT_XFER_DONE);
	}
	return 0;
}

static const struct mmc_host_ops sdhci_ops = {
	.set_ios = sdhci_set_ios,
	.request = sdhci_request,
};

int sdhci_setup(struct sdhci *h, volatile void *regs, uint64_t phys,
		unsigned int base_hz, char *err, size_t errlen)
{
	uint32_t caps;

	h->regs = regs;
	ksnprintf(h->name, sizeof(h->name), "sdhci@%llx", (unsigned long long)phys);
	wr(h, CLOCK_CTL, RESET_ALL);
	if (!wait_reg(h, CLOCK_CTL, RESET_ALL, 0, 100)) {
		ksnprintf(err, errlen, "the controller's reset never ended");
		return -ENODEV;
	}
	h->version = (rd(h, VERSION) >> 16) & 0xff;
	caps = rd(h, CAPS);
	h->base_hz = ((caps >> 8) & (h->version >= 2 ? 0xff : 0x3f)) * 1000000;
	if (!h->base_hz)
		h->base_hz = base_hz;
	if (!h->base_hz) {
		ksnprintf(err, errlen, "no base clock: the capabilities (0x%08x) "
			  "give none and neither does the device tree", caps);
		return -ENODEV;
	}
	wr(h, HOST_CTL, POWER_ON_3V3);
	/* Every status bit visible, none raises the interrupt: polled. */
	wr(h, INT_ENABLE, 0xffff00ffU & ~0x00000100U);
	wr(h, SIGNAL_ENABLE, 0);
	udelay(10000);
	if (!(rd(h, PRESENT) & PRESENT_CARD)) {
		ksnprintf(err, errlen, "no card in the slot");
		return -ENODEV;
	}
	h->mmc.name = h->name;
	h->mmc.ops = &sdhci_ops;
	h->mmc.priv = h;
	h->mmc.f_min = h->base_hz / (h->version >= 2 ? 2046 : 256);
	h->mmc.f_max = h->base_hz < 50000000 ? h->base_hz : 50000000;
	h->mmc.cap_4bit = true;
	h->mmc.max_blocks = 0xffff;
	return 0;
}
