/*
 * drivers/mmc/sdhci.c - a standard SD host controller, by ADMA2 or PIO
 * (sdhci.h). Written from the SD Host Controller Simplified
 * Specification; checked against QEMU's sdhci models only (raspi3b's
 * Arasan: PIO; sdhci-pci on q35 and virt: ADMA2): docs/drivers/sd.md.
 */
#include "drivers/mmc/sdhci.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/dma-mapping.h"
#include "mm/kmalloc.h"
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
	ADMA_ERR = 0x54,	/* ADMA error status */
	ADMA_ADDR = 0x58,	/* ADMA system address 31:0 */
	ADMA_ADDR_HI = 0x5c,	/* and 63:32 */
	VERSION = 0xfc,		/* host controller version 31:16 */
};

#define XFER_DMA		(1U << 0)
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
#define HOST_CTL_DMA_MASK	(3U << 3)	/* DMA select */
#define HOST_CTL_ADMA32		(2U << 3)	/* ADMA2, 32-bit addresses */
#define HOST_CTL_ADMA64		(3U << 3)	/* ADMA2, 64-bit addresses */
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
#define ERR_ADMA		(1U << 25)	/* error status bit 9 */

#define CAPS_ADMA2		(1U << 19)
#define CAPS_64BIT		(1U << 28)	/* 64-bit system bus */

/* An ADMA2 descriptor: attributes 5:0, length 31:16 (0: 64 KiB), then
 * the data's address, 32 or 64 bits (little-endian, as both arches). */
#define ADMA_VALID		(1U << 0)
#define ADMA_END		(1U << 1)
#define ADMA_ACT_TRAN		(2U << 4)	/* transfer data */
#define ADMA_MAX_LEN		65536U
#define ADMA_DESCS		256		/* the table's size */
#define ADMA_DESC_SIZE(h)	((h)->adma64 ? 12U : 8U)
#define ADMA_PIECES		MMC_MAX_SG	/* pieces of memory a request */

#define CMD_TIMEOUT_MS		100

/* sdhci.dma=0: PIO even where ADMA2 could run (to compare, and to see
 * what DMA saves). */
static bool sdhci_dma_on = true;

static int set_sdhci_dma(const char *v)
{
	if (param_parse_bool(v, &sdhci_dma_on))
		return 0;
	pr_err("sdhci: sdhci.dma=%s: expected 1 or 0 (on, off)\n", v ? v : "");
	return -1;
}
KERNEL_PARAM("sdhci.dma", set_sdhci_dma, "1|0: SD host controllers move data by ADMA2 where they can (default 1); 0: by PIO");

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
			if (st & ERR_ADMA) {	/* read before the reset clears it */
				h->adma_err = rd(h, ADMA_ERR);
				h->adma_at = rd(h, ADMA_ADDR) |
					     (uint64_t)rd(h, ADMA_ADDR_HI) << 32;
			}
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

/* ------------------------------------------------------------ ADMA2 */

/* One request's mappings: its pieces and the descriptor table. */
struct adma_map {
	struct { dma_addr_t addr; unsigned int len; } piece[ADMA_PIECES];
	unsigned int n;
	enum dma_data_direction dir;
	dma_addr_t table;
	size_t table_len;
	unsigned int end_i, end_off;	/* the iterator after the transfer */
};

static void put_desc(struct sdhci *h, unsigned int i, uint64_t addr,
		     unsigned int len)
{
	uint32_t *t = (uint32_t *)((uint8_t *)h->adma_table + i * ADMA_DESC_SIZE(h));

	t[0] = (len & 0xffff) << 16 | ADMA_ACT_TRAN | ADMA_VALID;
	t[1] = (uint32_t)addr;
	if (h->adma64)
		t[2] = (uint32_t)(addr >> 32);
}

static void adma_unmap(struct sdhci *h, struct adma_map *m)
{
	struct device *dev = h->mmc.dma_dev;

	if (m->table_len)
		dma_unmap_single(dev, m->table, m->table_len, DMA_TO_DEVICE);
	m->table_len = 0;
	for (unsigned int i = 0; i < m->n; i++)
		dma_unmap_single(dev, m->piece[i].addr, m->piece[i].len, m->dir);
	m->n = 0;
}

/*
 * Map d's pieces for the device, describe them in the table (a piece
 * longer than 64 KiB takes several descriptors; the last says END), map
 * the table and give its address to the controller, ADMA2 selected. 0,
 * or -EINVAL (a piece the controller cannot take: PIO then) or -ENOMEM
 * (a mapping failed), with nothing left mapped.
 */
static int adma_prepare(struct sdhci *h, struct mmc_data *d, struct adma_map *m)
{
	struct device *dev = h->mmc.dma_dev;
	struct mmc_sg pieces[ADMA_PIECES];
	unsigned int n, nd = 0, descs = 0;

	m->n = 0;
	m->table_len = 0;
	m->dir = d->write ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	/* Words (the 32-bit descriptor's rule, kept for both), and no more
	 * descriptors than the table holds. */
	n = mmc_data_dma_pieces(d, pieces, ADMA_PIECES, &m->end_i, &m->end_off);
	for (unsigned int i = 0; i < n; i++)
		descs += (pieces[i].len + ADMA_MAX_LEN - 1) / ADMA_MAX_LEN;
	if (!n || descs > ADMA_DESCS)
		return -EINVAL;
	for (unsigned int i = 0; i < n; i++) {
		unsigned int len = pieces[i].len;
		dma_addr_t a = dma_map_single(dev, pieces[i].addr, len, m->dir);

		if (dma_mapping_error(dev, a))
			goto fail;
		m->piece[m->n].addr = a;
		m->piece[m->n++].len = len;
		/* A bounce buffer or an IOVA keeps the alignment; check. */
		if ((a & 3) || (!h->adma64 && (a + len - 1) >> 32))
			goto misfit;
		for (unsigned int done = 0; done < len; done += ADMA_MAX_LEN)
			put_desc(h, nd++, a + done, min(len - done, ADMA_MAX_LEN));
	}
	((uint32_t *)((uint8_t *)h->adma_table + (nd - 1) * ADMA_DESC_SIZE(h)))[0] |=
		ADMA_END;
	m->table = dma_map_single(dev, h->adma_table, nd * ADMA_DESC_SIZE(h),
				  DMA_TO_DEVICE);
	if (dma_mapping_error(dev, m->table))
		goto fail;
	m->table_len = nd * ADMA_DESC_SIZE(h);
	wr(h, ADMA_ADDR, (uint32_t)m->table);
	if (h->adma64)
		wr(h, ADMA_ADDR_HI, (uint32_t)((uint64_t)m->table >> 32));
	wr(h, HOST_CTL, (rd(h, HOST_CTL) & ~HOST_CTL_DMA_MASK) |
			(h->adma64 ? HOST_CTL_ADMA64 : HOST_CTL_ADMA32));
	return 0;
misfit:
	adma_unmap(h, m);
	return -EINVAL;
fail:
	adma_unmap(h, m);
	return -ENOMEM;
}

/* The transfer ended (err from waiting for it): unmap, and move the
 * iterator past the data as PIO would have. */
static int adma_finish(struct sdhci *h, struct mmc_data *d, struct adma_map *m,
		       int err)
{
	adma_unmap(h, m);
	if (!err) {
		d->sg_i = m->end_i;
		d->sg_off = m->end_off;
	} else if (h->mmc.status & ERR_ADMA) {
		pr_err("%s: ADMA error: status 0x%x (%s%s) at descriptor 0x%llx\n",
		       h->name, h->adma_err,
		       (const char *[]){ "stopped", "fetching a descriptor",
					 "reserved state", "transferring data" }
			       [h->adma_err & 3],
		       h->adma_err & 4 ? ", length mismatch" : "",
		       (unsigned long long)h->adma_at);
	}
	return err;
}

/* DMA for the controller when it has ADMA2 and the host a DMA device. */
static void adma_setup(struct sdhci *h, uint32_t caps)
{
	struct device *dev = h->mmc.dma_dev;
	const char *why = NULL;

	if (!dev)
		return;			/* no DMA device: PIO, nothing said */
	if (!(caps & CAPS_ADMA2))
		why = "the controller has no ADMA2";
	else if (!sdhci_dma_on)
		why = "sdhci.dma=0";
	if (!why) {
		h->adma64 = (caps & CAPS_64BIT) &&
			    !dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
		if (!h->adma64 && dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)))
			why = "the DMA API refuses a 32-bit mask";
	}
	if (!why) {
		h->adma_table = kmalloc(ADMA_DESCS * 12, GFP_KERNEL);
		if (!h->adma_table)
			why = "no memory for the descriptor table";
	}
	if (why) {
		pr_info("mmc: %s: data by PIO (%s)\n", h->name, why);
		return;
	}
	h->adma = true;
	pr_info("mmc: %s: data by ADMA2, %s descriptors through %s\n", h->name,
		h->adma64 ? "64-bit" : "32-bit", dev->name ? dev->name : "?");
}

/* ------------------------------------------------------------ commands */

static int sdhci_request(struct mmc_host *mmc, struct mmc_command *cmd)
{
	struct sdhci *h = mmc->priv;
	struct mmc_data *d = cmd->data;
	uint32_t inhibit = PRESENT_CMD_INHIBIT, c = (uint32_t)cmd->opcode << 24;
	struct adma_map m;
	bool dma = false;
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
		/* Blocks by ADMA2; the SCR's 8 bytes (ACMD51) by PIO. */
		if (h->adma && d->blksz == SECTOR_SIZE) {
			err = adma_prepare(h, d, &m);
			if (err && err != -EINVAL)
				return err;
			dma = !err;	/* -EINVAL: a piece for PIO */
		}
		wr(h, BLOCK, d->blocks << 16 | d->blksz);
		c |= CMD_DATA | XFER_BLOCK_COUNT | (d->write ? 0 : XFER_READ) |
		     (d->blocks > 1 ? XFER_MULTI : 0) | (dma ? XFER_DMA : 0);
		if (dma)
			mmc->nr_dma++;
	}
	wr(h, ARGUMENT, cmd->arg);
	wr(h, XFER_CMD, c);
	err = wait_int(h, INT_CMD_DONE, CMD_TIMEOUT_MS);
	if (err)
		return dma ? adma_finish(h, d, &m, err) : err;
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
	if (dma)
		return adma_finish(h, d, &m, wait_int(h, INT_XFER_DONE,
					d->timeout_ms * d->blocks));
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
	if (!h->name[0])
		ksnprintf(h->name, sizeof(h->name), "sdhci@%llx",
			  (unsigned long long)phys);
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
	adma_setup(h, caps);
	return 0;
}
