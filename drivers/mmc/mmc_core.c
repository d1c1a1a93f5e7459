/*
 * drivers/mmc/mmc_core.c - the SD protocol above any host controller:
 * identifying a card, reading and writing its blocks, saying what went
 * wrong. The contract is in mmc.h; docs/drivers/sd.md tells the story.
 */
#include "drivers/mmc/mmc.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/page_alloc.h"

#define CMD_RETRIES	3		/* a command that timed out, once more */
#define ACMD41_MS	1000		/* power-up: the spec allows 1 s */
#define BUSY_MS		1000		/* a write's programming, CMD13 polled */
#define READ_TIMEOUT_MS	100		/* the spec's 100 ms per block */
#define WRITE_TIMEOUT_MS 500		/* and 250 ms (SDXC 500) */

struct mmc_host *mmc_hosts[MMC_MAX_HOSTS];	/* mmcblk<N> is mmc_hosts[N] */
unsigned int mmc_nr_hosts;

/* ------------------------------------------------------------ PIO data */

/* The iterator's next byte, past pieces used up; NULL at the end. */
static uint8_t *data_byte(struct mmc_data *d)
{
	while (d->sg_i < d->sg_len && d->sg_off >= d->sg[d->sg_i].len) {
		d->sg_i++;
		d->sg_off = 0;
	}
	if (d->sg_i >= d->sg_len)
		return NULL;
	return (uint8_t *)d->sg[d->sg_i].addr + d->sg_off++;
}

uint32_t mmc_data_next_word(struct mmc_data *d)
{
	uint32_t w = 0;

	for (unsigned int i = 0; i < 4; i++) {
		uint8_t *b = data_byte(d);

		if (!b)
			break;			/* past the end: zeros */
		w |= (uint32_t)*b << (8 * i);
	}
	return w;
}

void mmc_data_put_word(struct mmc_data *d, uint32_t w)
{
	for (unsigned int i = 0; i < 4; i++) {
		uint8_t *b = data_byte(d);

		if (!b)
			return;			/* past the end: dropped */
		*b = (uint8_t)(w >> (8 * i));
	}
}

unsigned int mmc_data_dma_pieces(const struct mmc_data *d, struct mmc_sg *out,
				 unsigned int max, unsigned int *end_i,
				 unsigned int *end_off)
{
	unsigned int left = d->blocks * d->blksz, n = 0;
	unsigned int i = d->sg_i, off = d->sg_off;

	for (; left && i < d->sg_len; i++, off = 0) {
		uint8_t *p = (uint8_t *)d->sg[i].addr + off;
		unsigned int len;

		if (off >= d->sg[i].len)
			continue;		/* used up */
		len = min(d->sg[i].len - off, left);
		if ((((uintptr_t)p | len) & 3) || n == max)
			return 0;
		out[n++] = (struct mmc_sg){ p, len };
		left -= len;
		*end_i = i;
		*end_off = off + len;
	}
	return left ? 0 : n;
}

/* ------------------------------------------------------------ commands */

static const char *host_name(const struct mmc_host *host)
{
	return host->present ? host->bdev.name : host->name;
}

/* One command; a timeout is tried again (a card may miss one). */
static int mmc_cmd(struct mmc_host *host, struct mmc_command *cmd)
{
	int err = -ETIMEDOUT;

	for (unsigned int i = 0; i < CMD_RETRIES && err == -ETIMEDOUT; i++) {
		memset(cmd->resp, 0, sizeof(cmd->resp));
		if (cmd->data) {
			cmd->data->sg_i = 0;
			cmd->data->sg_off = 0;
		}
		err = host->ops->request(host, cmd);
		if (cmd->data)
			break;			/* data moved: never twice */
	}
	return err;
}

static int simple_cmd(struct mmc_host *host, uint8_t opcode, uint32_t arg,
		      unsigned int flags, uint32_t *resp0)
{
	struct mmc_command cmd = { .opcode = opcode, .arg = arg, .flags = flags };
	int err = mmc_cmd(host, &cmd);

	if (resp0)
		*resp0 = cmd.resp[0];
	return err;
}

static void report(struct mmc_host *host, const struct mmc_command *cmd,
		   const char *what, int err, uint32_t r1)
{
	char r1s[128];

	host->cmd_errors++;
	if (err) {
		pr_err("%s: CMD%u arg 0x%08x %s failed: %s (host status 0x%x)\n",
		       host_name(host), cmd->opcode, cmd->arg, what,
		       mmc_strerror(err), host->status);
		return;
	}
	mmc_r1_errors(r1, r1s, sizeof(r1s));
	pr_err("%s: CMD%u arg 0x%08x %s failed: the card says %s (status 0x%08x)\n",
	       host_name(host), cmd->opcode, cmd->arg, what, r1s, r1);
}

/* A pause while the card works: sleep where the caller may. */
static void pause_ms(struct mmc_host *host, unsigned int ms)
{
	if (can_sleep())
		wait_event_timeout(host->wq, false, ms);
	else
		udelay((uint64_t)ms * 1000);
}

/* CMD55 then the application command. */
static int app_cmd(struct mmc_host *host, struct mmc_command *cmd)
{
	uint32_t r1;
	int err = simple_cmd(host, MMC_APP_CMD, host->card.rca << 16, MMC_RSP_R1, &r1);

	if (err)
		return err;
	if (!(r1 & R1_APP_CMD))
		return -EIO;
	return mmc_cmd(host, cmd);
}

/* Ask CMD13 until the card is back in transfer state, ready for data. */
static int wait_ready(struct mmc_host *host, uint32_t *status)
{
	uint64_t end = clock_ns() + (uint64_t)BUSY_MS * 1000000;

	for (;;) {
		int err = simple_cmd(host, MMC_SEND_STATUS, host->card.rca << 16,
				     MMC_RSP_R1, status);

		if (err)
			return err;
		if ((*status & R1_READY_FOR_DATA) &&
		    R1_STATE(*status) == R1_STATE_TRAN)
			return 0;
		if (clock_ns() > end)
			return -EBUSY;
		pause_ms(host, 1);
	}
}

/* ------------------------------------------------------------ I/O */

/*
 * count blocks at sector, through the pieces of sg: one CMD17/18 or
 * CMD24/25 per host->max_blocks, CMD12 after each multi-block one, and
 * after a write CMD13 until the card has programmed it. The first error
 * is reported and returned, *bad the first sector of the failed command.
 * Errors the card finds while it moves or programs the blocks (a
 * write-protected block, an ECC failure) come in the status of the
 * command after (CMD12, or CMD13 after a single write): they fail the
 * command as an error in its own response does.
 */
static int mmc_transfer(struct mmc_host *host, bool write, uint64_t sector,
			struct mmc_sg *sg, unsigned int sg_len,
			unsigned int count, uint64_t *bad)
{
	struct mmc_data data = {
		.sg = sg, .sg_len = sg_len, .blksz = SECTOR_SIZE, .write = write,
		.timeout_ms = write ? WRITE_TIMEOUT_MS : READ_TIMEOUT_MS,
	};
	unsigned int sg_i = 0, sg_off = 0;

	if (!host->present)
		return -ENODEV;
	while (count) {
		unsigned int n = count < host->max_blocks ? count : host->max_blocks;
		struct mmc_command cmd = {
			.opcode = write ? (n > 1 ? MMC_WRITE_MULTIPLE_BLOCK : MMC_WRITE_BLOCK)
					: (n > 1 ? MMC_READ_MULTIPLE_BLOCK : MMC_READ_SINGLE_BLOCK),
			.arg = (uint32_t)(host->card.high_capacity ? sector : sector * SECTOR_SIZE),
			.flags = MMC_RSP_R1,
			.data = &data,
		};
		char what[48];
		uint32_t st = 0;
		int err;

		data.blocks = n;
		memset(cmd.resp, 0, sizeof(cmd.resp));
		data.sg_i = sg_i;
		data.sg_off = sg_off;
		err = host->ops->request(host, &cmd);
		ksnprintf(what, sizeof(what), "(%s %u block%s at sector %llu)",
			  write ? "write" : "read", n, n == 1 ? "" : "s",
			  (unsigned long long)sector);
		/* The card's own word first: a command it refused sends no
		 * data, and the host's data timeout would hide why. */
		if (cmd.resp[0] & R1_ERRORS) {
			report(host, &cmd, what, 0, cmd.resp[0]);
			err = -EIO;
		} else if (err) {
			report(host, &cmd, what, err, 0);
		}
		if (n > 1) {
			struct mmc_command stop = {
				.opcode = MMC_STOP_TRANSMISSION, .flags = MMC_RSP_R1B,
			};
			int serr = mmc_cmd(host, &stop);
			uint32_t late = stop.resp[0] & R1_ERRORS;

			/* A read of the card's last block may leave OUT_OF_RANGE
			 * here (the card read ahead): the specification (4.3.3)
			 * says to ignore it; QEMU's card says ADDRESS_ERROR. */
			if (!write && sector + n == host->card.nr_sectors)
				late &= ~(R1_OUT_OF_RANGE | R1_ADDRESS_ERROR);
			if (serr && !err) {
				report(host, &stop, what, serr, 0);
				err = serr;
			} else if (late && !err) {
				/* found during the transfer (a write-protected
				 * block, an ECC failure): said in CMD12's status */
				report(host, &cmd, what, 0, stop.resp[0]);
				err = -EIO;
			}
		}
		if (write || err) {
			int werr = wait_ready(host, &st);

			if (werr && !err) {
				struct mmc_command status = {
					.opcode = MMC_SEND_STATUS,
					.arg = host->card.rca << 16,
				};

				report(host, &status, "(after a write)", werr, st);
				err = werr;
			} else if ((st & R1_ERRORS) && !err) {
				/* found while programming: the first status after
				 * the write says it */
				report(host, &cmd, what, 0, st);
				err = -EIO;
			}
		}
		if (err) {
			if (bad)
				*bad = sector;
			return err;
		}
		sg_i = data.sg_i;
		sg_off = data.sg_off;
		sector += n;
		count -= n;
	}
	return 0;
}

int mmc_rw(struct mmc_host *host, bool write, uint64_t sector, void *buf,
	   unsigned int count)
{
	struct mmc_sg sg = { buf, count * SECTOR_SIZE };

	return mmc_transfer(host, write, sector, &sg, 1, count, NULL);
}

static int do_request(struct mmc_host *host, struct blk_request *req)
{
	struct mmc_sg sg[MMC_MAX_SG];
	uint64_t total = 0;

	if (req->op == BLK_OP_FLUSH)
		return 0;	/* no write cache: a write ends on the card */
	if (req->nr_segs > MMC_MAX_SG)
		return -EINVAL;
	for (unsigned int i = 0; i < req->nr_segs; i++) {
		sg[i].addr = (uint8_t *)page_address(req->segs[i].page) +
			     req->segs[i].offset;
		sg[i].len = req->segs[i].len;
		total += req->segs[i].len;
	}
	if (total % SECTOR_SIZE)
		return -EINVAL;
	return mmc_transfer(host, req->op == BLK_OP_WRITE, req->sector, sg,
			    req->nr_segs, (unsigned int)(total / SECTOR_SIZE),
			    &req->error_sector);
}

void mmc_run_queue(struct mmc_host *host)
{
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	if (host->busy) {
		spin_unlock_irqrestore(&host->lock, flags);
		return;
	}
	host->busy = true;
	while (!list_empty(&host->queue)) {
		struct blk_request *req = list_first_entry(&host->queue,
							   struct blk_request, queue);
		int status;

		list_del(&req->queue);
		spin_unlock_irqrestore(&host->lock, flags);
		status = do_request(host, req);
		blk_complete(&host->bdev, req, status);
		spin_lock_irqsave(&host->lock, flags);
	}
	host->busy = false;
	spin_unlock_irqrestore(&host->lock, flags);
}

static int mmc_blk_submit(struct block_device *bdev, struct blk_request *req)
{
	struct mmc_host *host = bdev->driver_data;
	unsigned long flags;

	if (req->nr_segs > MMC_MAX_SG)
		return -EINVAL;
	spin_lock_irqsave(&host->lock, flags);
	list_add_tail(&req->queue, &host->queue);
	spin_unlock_irqrestore(&host->lock, flags);
	wake_up(&host->wq);	/* the host's thread runs it, if it has one */
	return 0;
}

static void mmc_blk_poll(struct block_device *bdev)
{
	mmc_run_queue(bdev->driver_data);
}

static const struct block_device_ops mmc_blk_ops = {
	.submit = mmc_blk_submit,
	.poll = mmc_blk_poll,
};

/* ------------------------------------------------------------ the card */

static int identify(struct mmc_host *host, char *err, size_t errlen)
{
	struct mmc_card *card = &host->card;
	struct mmc_command cmd;
	uint32_t r;
	bool v2;
	uint64_t end;
	int e;

	memset(card, 0, sizeof(*card));
	host->clock_hz = host->ops->set_ios(host, 400000, 1);
	host->width = 1;
	/* CMD0: every card back to idle; no response to wait for. */
	e = simple_cmd(host, MMC_GO_IDLE_STATE, 0, MMC_RSP_NONE, NULL);
	if (e) {
		ksnprintf(err, errlen, "CMD0 failed: %s", mmc_strerror(e));
		return e;
	}
	/* CMD8: 2.7-3.6 V and the check pattern 0xaa. A 1.x card does not
	 * know it and stays silent. */
	e = simple_cmd(host, SD_SEND_IF_COND, 0x1aa, MMC_RSP_R7, &r);
	if (e && e != -ETIMEDOUT) {
		ksnprintf(err, errlen, "CMD8 failed: %s", mmc_strerror(e));
		return e;
	}
	v2 = !e;
	if (v2 && (r & 0xfff) != 0x1aa) {
		ksnprintf(err, errlen, "CMD8 echoed 0x%03x, not 0x1aa: the card "
			  "does not take 2.7-3.6 V", r & 0xfff);
		return -EIO;
	}
	/* ACMD41 until the card says it is powered up (OCR bit 31); a 2.0
	 * card is asked whether it is high capacity (HCS, bit 30). */
	end = clock_ns() + (uint64_t)ACMD41_MS * 1000000;
	for (;;) {
		cmd = (struct mmc_command){
			.opcode = SD_APP_OP_COND, .flags = MMC_RSP_R3,
			.arg = (v2 ? (1U << 30) : 0) | 0x00ff8000,
		};
		e = app_cmd(host, &cmd);
		if (e) {
			ksnprintf(err, errlen, "ACMD41 failed: %s%s", mmc_strerror(e),
				  e == -ETIMEDOUT ? " (no card in the slot?)" : "");
			return e == -ETIMEDOUT ? -ENODEV : e;
		}
		if (cmd.resp[0] & (1U << 31))
			break;
		if (clock_ns() > end) {
			ksnprintf(err, errlen, "the card stayed busy in ACMD41 "
				  "for %u ms (OCR 0x%08x)", ACMD41_MS, cmd.resp[0]);
			return -ETIMEDOUT;
		}
		pause_ms(host, 10);
	}
	card->ocr = cmd.resp[0];
	card->high_capacity = v2 && (card->ocr & (1U << 30));
	/* CMD2: the card's identity; CMD3: the address it will answer to. */
	cmd = (struct mmc_command){ .opcode = MMC_ALL_SEND_CID, .flags = MMC_RSP_R2 };
	e = mmc_cmd(host, &cmd);
	if (e) {
		ksnprintf(err, errlen, "CMD2 failed: %s", mmc_strerror(e));
		return e;
	}
	memcpy(card->cid, cmd.resp, sizeof(card->cid));
	mmc_decode_cid(card);
	e = simple_cmd(host, SD_SEND_RELATIVE_ADDR, 0, MMC_RSP_R6, &r);
	if (e) {
		ksnprintf(err, errlen, "CMD3 failed: %s", mmc_strerror(e));
		return e;
	}
	card->rca = r >> 16;
	/* CMD9: capacity and speed. */
	cmd = (struct mmc_command){ .opcode = MMC_SEND_CSD, .arg = card->rca << 16,
				    .flags = MMC_RSP_R2 };
	e = mmc_cmd(host, &cmd);
	if (e) {
		ksnprintf(err, errlen, "CMD9 failed: %s", mmc_strerror(e));
		return e;
	}
	memcpy(card->csd, cmd.resp, sizeof(card->csd));
	if (mmc_decode_csd(card, err, errlen))
		return -EINVAL;
	if (card->high_capacity != (card->csd_version == 2)) {
		ksnprintf(err, errlen, "OCR says %s capacity but the CSD is "
			  "version %u", card->high_capacity ? "high" : "standard",
			  card->csd_version);
		return -EINVAL;
	}
	/* CMD7: select it (stand-by to transfer state). */
	e = simple_cmd(host, MMC_SELECT_CARD, card->rca << 16, MMC_RSP_R1B, &r);
	if (e) {
		ksnprintf(err, errlen, "CMD7 failed: %s", mmc_strerror(e));
		return e;
	}
	/* ACMD51: the SCR, 8 bytes, most significant first; SD_BUS_WIDTHS
	 * (bits 51:48) has bit 2 for 4-bit. */
	{
		uint8_t scr[8];
		struct mmc_sg sg = { scr, sizeof(scr) };
		struct mmc_data data = { .sg = &sg, .sg_len = 1, .blksz = 8,
					 .blocks = 1, .timeout_ms = READ_TIMEOUT_MS };

		cmd = (struct mmc_command){ .opcode = SD_APP_SEND_SCR,
					    .flags = MMC_RSP_R1, .data = &data };
		e = app_cmd(host, &cmd);
		if (e) {
			ksnprintf(err, errlen, "ACMD51 (SCR) failed: %s", mmc_strerror(e));
			return e;
		}
		card->scr[0] = (uint32_t)scr[0] << 24 | (uint32_t)scr[1] << 16 |
			       (uint32_t)scr[2] << 8 | scr[3];
		card->scr[1] = (uint32_t)scr[4] << 24 | (uint32_t)scr[5] << 16 |
			       (uint32_t)scr[6] << 8 | scr[7];
		card->bus_4bit = (card->scr[0] >> 16) & 0x4;
	}
	if (host->cap_4bit && card->bus_4bit) {
		cmd = (struct mmc_command){ .opcode = SD_APP_SET_BUS_WIDTH,
					    .arg = 2, .flags = MMC_RSP_R1 };
		e = app_cmd(host, &cmd);
		if (e) {
			ksnprintf(err, errlen, "ACMD6 (4-bit bus) failed: %s",
				  mmc_strerror(e));
			return e;
		}
		host->width = 4;
	}
	/* A standard-capacity card counts bytes: make its block 512. */
	if (!card->high_capacity) {
		e = simple_cmd(host, MMC_SET_BLOCKLEN, SECTOR_SIZE, MMC_RSP_R1, &r);
		if (e || (r & R1_ERRORS)) {
			ksnprintf(err, errlen, "CMD16 (512-byte blocks) failed: %s",
				  e ? mmc_strerror(e) : "the card refused");
			return e ? e : -EIO;
		}
	}
	host->clock_hz = host->ops->set_ios(host, card->max_hz < host->f_max ?
					    card->max_hz : host->f_max, host->width);
	return 0;
}

int mmc_add_host(struct mmc_host *host)
{
	struct mmc_card *card = &host->card;
	struct block_device *b = &host->bdev;
	char err[128];
	int e;

	spin_lock_init(&host->lock, "mmc_host");
	INIT_LIST_HEAD(&host->queue);
	init_waitqueue_head(&host->wq, "mmc_host");
	if (!host->max_blocks)
		host->max_blocks = 1;
	e = identify(host, err, sizeof(err));
	if (e == -ENODEV) {		/* an empty slot is no error */
		pr_info("mmc: %s: no card: %s\n", host->name, err);
		return e;
	}
	if (e) {
		pr_err("mmc: %s: the card was not identified: %s (host status "
		       "0x%x)\n", host->name, err, host->status);
		return e;
	}
	if (mmc_nr_hosts == MMC_MAX_HOSTS) {
		pr_err("mmc: %s: a card, but already %u: not used\n", host->name,
		       MMC_MAX_HOSTS);
		return -ENOSPC;
	}
	memset(b, 0, sizeof(*b));
	ksnprintf(b->name, sizeof(b->name), "mmcblk%u", mmc_nr_hosts);
	mmc_hosts[mmc_nr_hosts++] = host;
	b->nr_sectors = card->nr_sectors;
	b->queue_depth = 1;
	b->max_segments = MMC_MAX_SG;
	b->ops = &mmc_blk_ops;
	b->driver_data = host;
	host->present = true;
	pr_info("%s: %s card %s%s (manufacturer 0x%02x, %s, rev %u.%u, serial "
		"0x%08x, %u/%u) %llu MiB, %u-bit at %u kHz on %s\n", b->name,
		card->high_capacity ? "SDHC/SDXC" : "SDSC", card->name,
		card->csd_version == 2 ? "" : " (CSD 1.0)", card->manfid,
		card->oemid, card->prv_major, card->prv_minor, card->serial,
		card->month, card->year,
		(unsigned long long)(card->nr_sectors >> 11), host->width,
		host->clock_hz / 1000, host->name);
	blk_register(b);
	return 0;
}
