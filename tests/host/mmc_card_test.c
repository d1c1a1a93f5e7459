/*
 * tests/host/mmc_card_test.c - drivers/mmc/mmc_core.c against a simulated
 * SD card (host only, suite mmc_card; replay: --seed N).
 *
 * The card is a fake host controller whose request() plays an SD memory
 * card as the SD Physical Layer Simplified Specification describes it:
 * the states idle, ready, ident, stby, tran, data, rcv and prg (4.2, 4.3);
 * CMD0/2/3/7/8/9/12/13/16/17/18/24/25/55 and ACMD6/41/51; an OCR whose
 * busy bit clears after a number of ACMD41s, with CCS for a high-capacity
 * card, which stays busy for ever if the host did not set HCS (4.2.3); an
 * SDSC card addressed in bytes with a CSD 1.0, an SDHC card in blocks with
 * a CSD 2.0; R1 card status with the state the command found (4.10.1),
 * READY_FOR_DATA, APP_CMD after CMD55, OUT_OF_RANGE and ADDRESS_ERROR for
 * addresses past the end or not on a block, and ILLEGAL_COMMAND for a
 * command the state does not allow (no response, the bit in the next
 * status). Data goes through mmc_data_put_word / mmc_data_next_word, 4
 * bytes at a time, as a PIO host moves it, to and from a backing array.
 *
 * Faults it can be told to make: a command that is not answered
 * (-ETIMEDOUT) once, n times or always, a data CRC error (-EILSEQ), no
 * answer to CMD8 (a 1.x card), an empty slot, a card busy for ever in
 * ACMD41, CMD13 reporting the programming state for a number of polls
 * after each write (or for ever), write-protected sectors (WP_VIOLATION
 * found while programming, so said in the next status: CMD12's after a
 * multiple-block write, CMD13's after a single one). And, as the
 * specification allows, OUT_OF_RANGE in CMD12's response after a
 * multiple-block read of the last block, which a host must ignore.
 *
 * Every command is logged (opcode, ACMD or not, argument, response
 * flags, result), so a case checks the order and the arguments; anything
 * the card cannot accept from a host (a wrong response kind, data of the
 * wrong size) is a protocol violation, and every case ends with none.
 */
#include "tests/host/host.h"
#include "tests/suites/random_cuts.h"
#include "tests/suites/mmc_regs.h"
#include "tests/suites/test_arena.h"
#include "drivers/block/blk.h"
#include "drivers/mmc/mmc.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/time.h"
#include "mm/page_alloc.h"

#include <stdlib.h>

enum card_state {
	ST_IDLE, ST_READY, ST_IDENT, ST_STBY, ST_TRAN, ST_DATA, ST_RCV, ST_PRG,
};

#define LOG_MAX		4096
#define ALWAYS		(~0U)
#define CARD_RCA	0xb368
#define OCR_VOLTS	0x00ff8000U	/* 2.7-3.6 V */
#define OCR_BUSY_DONE	(1U << 31)	/* "card power up status" */
#define OCR_CCS		(1U << 30)
#define ACMD(op)	(0x100 | (op))	/* an application command, in faults */

struct cmd_rec {
	unsigned int op;		/* ACMD(n) for application commands */
	uint32_t arg;
	unsigned int flags, blocks;
	int ret;
	uint32_t resp;
};

struct fault {
	unsigned int op;		/* opcode, or ACMD(opcode) */
	unsigned int skip;		/* let this many through first */
	unsigned int times;		/* then fail this many (ALWAYS) */
	int err;			/* -ETIMEDOUT, or -EILSEQ on data */
};

struct sdcard {
	/* what it is */
	bool present, v1, hc;
	uint64_t nr_sectors;
	uint32_t cid[4], csd[4];
	uint8_t scr[8];
	unsigned int acmd41_busy;	/* ACMD41s answered busy (ALWAYS) */
	unsigned int write_busy;	/* CMD13s in prg after a write (ALWAYS) */
	uint8_t *store;			/* nr_sectors * 512, or NULL: zeros */
	uint64_t wp_start, wp_end;	/* write-protected sectors */
	struct fault faults[4];
	unsigned int nfaults;
	/* its state */
	enum card_state state;
	bool app, cmd8_ok;
	uint32_t rca, pending;		/* status bits for the next R1 */
	unsigned int busy41, prg_left, blocklen, width;
	/* what it saw */
	struct cmd_rec log[LOG_MAX];
	unsigned int nlog;
	unsigned long ncmds;
	unsigned int violations;
	char why[160];			/* the first violation */
	unsigned int clock_hz, bus_width;
};

static struct sdcard card;
static struct mmc_host host;
static bool host_added;

static void violate(struct sdcard *c, const char *fmt, unsigned int op,
		    uint32_t arg)
{
	if (!c->violations++)
		ksnprintf(c->why, sizeof(c->why), fmt, op, arg);
}

static unsigned int want_flags(unsigned int op)
{
	switch (op) {
	case 0:			return MMC_RSP_NONE;
	case 2: case 9:		return MMC_RSP_R2;
	case 7: case 12:	return MMC_RSP_R1B;
	case ACMD(41):		return MMC_RSP_R3;
	default:		return MMC_RSP_R1;
	}
}

/* An R1 for a command received in state st: the state it found, errors
 * latched from before plus this command's, READY_FOR_DATA, APP_CMD. The
 * latched bits are cleared by being reported. */
static uint32_t r1(struct sdcard *c, enum card_state st, uint32_t err, bool app)
{
	uint32_t s = c->pending | err | (uint32_t)st << 9;

	c->pending = 0;
	if (st != ST_PRG)
		s |= R1_READY_FOR_DATA;
	if (app)
		s |= R1_APP_CMD;
	return s;
}

/* A command the state does not allow: no response, and the next status
 * says so. */
static int illegal(struct sdcard *c)
{
	c->pending |= R1_ILLEGAL_COMMAND;
	return -ETIMEDOUT;
}

/* The fault planned for op, if it is this one's turn. */
static int fault_for(struct sdcard *c, unsigned int op, int kind)
{
	for (unsigned int i = 0; i < c->nfaults; i++) {
		struct fault *f = &c->faults[i];

		if (f->op != op || f->err != kind)
			continue;
		if (f->skip) {
			f->skip--;
			continue;
		}
		if (!f->times)
			continue;
		if (f->times != ALWAYS)
			f->times--;
		return f->err;
	}
	return 0;
}

static bool data_ok(struct sdcard *c, struct mmc_command *cmd, unsigned int op,
		    bool write, unsigned int blksz)
{
	struct mmc_data *d = cmd->data;

	if (!d || d->write != write || d->blksz != blksz || !d->blocks ||
	    (op == 17 || op == 24 || op == ACMD(51) ? d->blocks != 1 : d->blocks < 2)) {
		violate(c, "CMD%u arg 0x%x: data missing, of the wrong size or "
			"direction", op & 0xff, cmd->arg);
		return false;
	}
	return true;
}

/* The sector a read or write command names, or an error for its R1. */
static uint32_t address(struct sdcard *c, uint32_t arg, uint64_t *sector)
{
	if (c->hc) {
		*sector = arg;
	} else {
		if (arg % c->blocklen)
			return R1_ADDRESS_ERROR;
		*sector = arg / SECTOR_SIZE;
	}
	return *sector >= c->nr_sectors ? R1_OUT_OF_RANGE : 0;
}

static int read_blocks(struct sdcard *c, struct mmc_command *cmd,
		       unsigned int op, uint64_t sector)
{
	struct mmc_data *d = cmd->data;
	int crc = fault_for(c, op, -EILSEQ);

	for (unsigned int b = 0; b < d->blocks; b++) {
		const uint8_t *src = c->store ? c->store + (sector + b) * SECTOR_SIZE : NULL;

		if (sector + b >= c->nr_sectors) {
			/* the card stops at its end: no more data comes */
			c->pending |= R1_OUT_OF_RANGE;
			return -ETIMEDOUT;
		}
		for (unsigned int i = 0; i < SECTOR_SIZE; i += 4) {
			uint32_t w = 0;

			for (unsigned int k = 0; src && k < 4; k++)
				w |= (uint32_t)src[i + k] << (8 * k);
			mmc_data_put_word(d, w);
		}
		if (crc)
			return crc;	/* the host saw a bad CRC after block 1 */
	}
	/* A multiple-block read of the card's last block may leave
	 * OUT_OF_RANGE for CMD12's response (the card reads ahead); the
	 * specification tells hosts to ignore it there. */
	if (op == 18 && sector + d->blocks == c->nr_sectors)
		c->pending |= R1_OUT_OF_RANGE;
	return 0;
}

static int write_blocks(struct sdcard *c, struct mmc_command *cmd,
			unsigned int op, uint64_t sector)
{
	struct mmc_data *d = cmd->data;
	int crc = fault_for(c, op, -EILSEQ);

	for (unsigned int b = 0; b < d->blocks; b++) {
		uint8_t blk[SECTOR_SIZE];

		if (sector + b >= c->nr_sectors) {
			c->pending |= R1_OUT_OF_RANGE;
			return -EIO;
		}
		for (unsigned int i = 0; i < SECTOR_SIZE; i += 4) {
			uint32_t w = mmc_data_next_word(d);

			for (unsigned int k = 0; k < 4; k++)
				blk[i + k] = (uint8_t)(w >> (8 * k));
		}
		if (crc)
			return crc;	/* a block with a bad CRC is not written */
		if (sector + b >= c->wp_start && sector + b < c->wp_end) {
			/* found while programming: said in the next status */
			c->pending |= R1_WP_VIOLATION;
			continue;
		}
		if (c->store)
			memcpy(c->store + (sector + b) * SECTOR_SIZE, blk, SECTOR_SIZE);
	}
	return 0;
}

/* After a write: programming, which CMD13 sees for write_busy polls. */
static void programming(struct sdcard *c)
{
	c->prg_left = c->write_busy;
	c->state = c->prg_left ? ST_PRG : ST_TRAN;
}

/* The card's side of one command. */
static int card_cmd(struct sdcard *c, struct mmc_command *cmd, unsigned int op)
{
	enum card_state st = c->state;
	uint32_t err;
	uint64_t sector;
	int ret;

	if (!c->present)
		return op == 0 ? 0 : -ETIMEDOUT;
	if (fault_for(c, op, -ETIMEDOUT))
		return -ETIMEDOUT;
	if (cmd->flags != want_flags(op))
		violate(c, "CMD%u arg 0x%x: wrong response kind", op & 0xff, cmd->arg);
	/* Addressed commands: another card's RCA is not this card's business. */
	if ((op == 7 || op == 9 || op == 13 || (op == 55 && st != ST_IDLE)) &&
	    cmd->arg >> 16 != c->rca)
		return -ETIMEDOUT;
	switch (op) {
	case 0:
		c->state = ST_IDLE;
		c->rca = 0;
		c->cmd8_ok = false;
		c->busy41 = c->acmd41_busy;
		c->pending = 0;
		c->prg_left = 0;
		c->blocklen = SECTOR_SIZE;
		c->width = 1;
		return 0;
	case 8:
		if (st != ST_IDLE || c->v1)
			return illegal(c);	/* a 1.x card does not know it */
		if (((cmd->arg >> 8) & 0xf) != 1)
			return -ETIMEDOUT;	/* voltage not taken: silent */
		c->cmd8_ok = true;
		cmd->resp[0] = cmd->arg & 0xfff;
		return 0;
	case 55:
		if (st != ST_IDLE && st != ST_STBY && st != ST_TRAN)
			return illegal(c);
		c->app = true;
		cmd->resp[0] = r1(c, st, 0, true);
		return 0;
	case ACMD(41):
		if (st != ST_IDLE && st != ST_READY)
			return illegal(c);
		if (!(cmd->arg & OCR_VOLTS)) {	/* an inquiry */
			cmd->resp[0] = OCR_VOLTS;
			return 0;
		}
		/* A high-capacity card never finishes for a host that did
		 * not say it takes one (HCS). */
		if (c->busy41 || (c->hc && !(cmd->arg & OCR_CCS))) {
			if (c->busy41 != ALWAYS && c->busy41)
				c->busy41--;
			cmd->resp[0] = OCR_VOLTS;
			return 0;
		}
		c->state = ST_READY;
		cmd->resp[0] = OCR_BUSY_DONE | OCR_VOLTS | (c->hc ? OCR_CCS : 0);
		return 0;
	case 2:
		if (st != ST_READY)
			return illegal(c);
		memcpy(cmd->resp, c->cid, sizeof(c->cid));
		c->state = ST_IDENT;
		return 0;
	case 3:
		if (st != ST_IDENT && st != ST_STBY)
			return illegal(c);
		c->rca = CARD_RCA;
		c->state = ST_STBY;
		/* R6: the RCA, then status bits 23, 22, 19 and 12:0. */
		cmd->resp[0] = c->rca << 16 | (r1(c, st, 0, false) & 0x1fff);
		return 0;
	case 9:
		if (st != ST_STBY)
			return illegal(c);
		memcpy(cmd->resp, c->csd, sizeof(c->csd));
		return 0;
	case 7:
		if (st != ST_STBY)
			return illegal(c);
		c->state = ST_TRAN;
		cmd->resp[0] = r1(c, st, 0, false);
		return 0;
	case 13:
		if (st < ST_STBY)
			return illegal(c);
		cmd->resp[0] = r1(c, st, 0, false);
		if (st == ST_PRG && c->prg_left != ALWAYS && !--c->prg_left)
			c->state = ST_TRAN;
		return 0;
	case 16:
		if (st != ST_TRAN)
			return illegal(c);
		err = 0;
		if (!c->hc && (cmd->arg == 0 || cmd->arg > SECTOR_SIZE))
			err = R1_BLOCK_LEN_ERROR;
		else if (!c->hc)
			c->blocklen = cmd->arg;
		cmd->resp[0] = r1(c, st, err, false);
		return 0;
	case 17: case 18: case 24: case 25: {
		bool write = op >= 24;

		if (st != ST_TRAN)
			return illegal(c);
		if (!data_ok(c, cmd, op, write, c->blocklen))
			return -EIO;
		err = address(c, cmd->arg, &sector);
		cmd->resp[0] = r1(c, st, err, false);
		if (err)
			return -ETIMEDOUT;	/* refused: no data comes */
		c->state = write ? ST_RCV : ST_DATA;
		ret = write ? write_blocks(c, cmd, op, sector)
			    : read_blocks(c, cmd, op, sector);
		if (op == 17)
			c->state = ST_TRAN;
		else if (op == 24)
			programming(c);
		return ret;
	}
	case 12:
		if (st != ST_DATA && st != ST_RCV)
			return illegal(c);
		cmd->resp[0] = r1(c, st, 0, false);
		if (st == ST_DATA)
			c->state = ST_TRAN;
		else
			programming(c);
		return 0;
	case ACMD(6):
		if (st != ST_TRAN)
			return illegal(c);
		if (cmd->arg != 0 && cmd->arg != 2) {
			violate(c, "ACMD%u arg 0x%x: not a bus width", 6, cmd->arg);
			return illegal(c);
		}
		c->width = cmd->arg ? 4 : 1;
		cmd->resp[0] = r1(c, st, 0, true);
		return 0;
	case ACMD(51):
		if (st != ST_TRAN)
			return illegal(c);
		if (!data_ok(c, cmd, op, false, 8))
			return -EIO;
		cmd->resp[0] = r1(c, st, 0, true);
		for (unsigned int i = 0; i < 8; i += 4)
			mmc_data_put_word(cmd->data, (uint32_t)c->scr[i] |
					  (uint32_t)c->scr[i + 1] << 8 |
					  (uint32_t)c->scr[i + 2] << 16 |
					  (uint32_t)c->scr[i + 3] << 24);
		return 0;
	default:
		return illegal(c);
	}
}

static int card_request(struct mmc_host *h, struct mmc_command *cmd)
{
	struct sdcard *c = h->priv;
	unsigned int op = cmd->opcode | (c->app ? 0x100 : 0);
	struct cmd_rec *rec = c->nlog < LOG_MAX ? &c->log[c->nlog++] : NULL;
	int ret;

	c->app = false;		/* CMD55 applies to the next command only */
	c->ncmds++;
	ret = card_cmd(c, cmd, op);
	if (rec)
		*rec = (struct cmd_rec){
			.op = op, .arg = cmd->arg, .flags = cmd->flags,
			.blocks = cmd->data ? cmd->data->blocks : 0,
			.ret = ret, .resp = cmd->resp[0],
		};
	return ret;
}

static unsigned int card_set_ios(struct mmc_host *h, unsigned int hz,
				 unsigned int width)
{
	struct sdcard *c = h->priv;

	c->clock_hz = hz;
	c->bus_width = width;
	return hz;
}

static const struct mmc_host_ops card_ops = {
	.set_ios = card_set_ios,
	.request = card_request,
};

/* ------------------------------------------------------------ set-up */

enum card_kind { SDHC, SDSC, SDSC_V1 };

/* A card of kind with sectors of capacity (a multiple of 8192 for SDHC;
 * SDSC: what a CSD 1.0 with 512-byte blocks says), a backing array when
 * store is set. */
static void card_make(enum card_kind kind, uint64_t sectors, bool store)
{
	struct sdcard *c = &card;

	free(c->store);
	memset(c, 0, sizeof(*c));
	c->present = true;
	c->hc = kind == SDHC;
	c->v1 = kind == SDSC_V1;
	c->nr_sectors = sectors;
	if (c->hc) {
		mmc_make_csd_v2(c->csd, (uint32_t)(sectors / 1024 - 1), 0x32);
	} else {
		/* C_SIZE_MULT 7: (C_SIZE + 1) * 512 blocks of 512 bytes,
		 * or 1 KiB blocks past 1 GiB. */
		unsigned int bl = sectors > 4096 * 512 ? 10 : 9;

		mmc_make_csd_v1(c->csd, bl, (unsigned int)(sectors >> (9 + bl - 9)) - 1,
				7, 0x32);
	}
	mmc_make_cid(c->cid, 0x27, "PH", "SD04G", 6, 1, 0x1d2c3b4a, 2023, 11);
	/* SCR: structure 0, SD_SPEC 2, bus widths 1 and 4 (0x5). */
	c->scr[0] = 0x02;
	c->scr[1] = 0x35;
	c->acmd41_busy = 3;
	c->state = ST_IDLE;
	c->blocklen = SECTOR_SIZE;
	if (store) {
		c->store = malloc(sectors * SECTOR_SIZE);
		memset(c->store, 0, sectors * SECTOR_SIZE);
	}
}

static void host_make(bool cap_4bit, unsigned int max_blocks)
{
	memset(&host, 0, sizeof(host));
	host.name = "sdsim@0";
	host.ops = &card_ops;
	host.priv = &card;
	host.f_min = 400000;
	host.f_max = 50000000;
	host.cap_4bit = cap_4bit;
	host.max_blocks = max_blocks;
}

/* mmc_add_host, and the case's exit takes the disk away again. */
static int add_host(void)
{
	int e = mmc_add_host(&host);

	host_added = !e;
	return e;
}

static void mmc_card_exit(struct kunit *test)
{
	(void)test;
	if (host_added) {
		list_del(&host.bdev.list);
		bdi_unregister(&host.bdev.bdi);
		for (unsigned int i = 0; i < mmc_nr_hosts; i++)
			if (mmc_hosts[i] == &host) {
				mmc_hosts[i] = mmc_hosts[--mmc_nr_hosts];
				mmc_hosts[mmc_nr_hosts] = NULL;
			}
		host_added = false;
	}
	free(card.store);
	card.store = NULL;
}

static void add_fault(unsigned int op, unsigned int skip, unsigned int times, int err)
{
	card.faults[card.nfaults++] = (struct fault){ op, skip, times, err };
}

/* ------------------------------------------------------------ the log */

struct want {
	unsigned int op;
	uint32_t arg;
};

/* The log from entry from on is exactly want[0..n). */
static void expect_log(struct kunit *test, unsigned int from,
		       const struct want *want, unsigned int n)
{
	KUNIT_EXPECT_EQ(test, card.nlog - from, n);
	for (unsigned int i = 0; i < n && from + i < card.nlog; i++) {
		const struct cmd_rec *r = &card.log[from + i];

		if (r->op != want[i].op || r->arg != want[i].arg) {
			KUNIT_FAIL(test, "command %u: %sCMD%u arg 0x%08x, want %sCMD%u arg 0x%08x",
				   from + i, r->op & 0x100 ? "A" : "", r->op & 0xff, r->arg,
				   want[i].op & 0x100 ? "A" : "", want[i].op & 0xff,
				   want[i].arg);
			return;
		}
	}
}

static unsigned int count_op(unsigned int op)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < card.nlog; i++)
		n += card.log[i].op == op;
	return n;
}

static void expect_no_violation(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, card.violations, 0U);
	if (card.violations)
		kunit_info(test, "first violation: %s", card.why);
}

/* ------------------------------------------------------------ identification */

#define RCA_ARG		((uint32_t)CARD_RCA << 16)
#define ACMD41_HCS	(OCR_CCS | OCR_VOLTS)

/* A 4 GiB SDHC card on a 4-bit host: the whole sequence, in order, with
 * its arguments; what the card said, decoded; the clock and bus set. */
static void sdhc_card_identified_in_order(struct kunit *test)
{
	static const struct want seq[] = {
		{ 0, 0 }, { 8, 0x1aa },
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },	/* busy */
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },	/* busy */
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },	/* busy */
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },	/* ready, CCS */
		{ 2, 0 }, { 3, 0 }, { 9, RCA_ARG }, { 7, RCA_ARG },
		{ 55, RCA_ARG }, { ACMD(51), 0 },
		{ 55, RCA_ARG }, { ACMD(6), 2 },
	};

	card_make(SDHC, 8ULL << 20, false);
	host_make(true, 8);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	expect_log(test, 0, seq, ARRAY_SIZE(seq));
	expect_no_violation(test);
	KUNIT_EXPECT_TRUE(test, host.present);
	KUNIT_EXPECT_TRUE(test, host.card.high_capacity);
	KUNIT_EXPECT_EQ(test, host.card.csd_version, 2U);
	KUNIT_EXPECT_EQ(test, host.card.nr_sectors, 8ULL << 20);
	KUNIT_EXPECT_EQ(test, host.bdev.nr_sectors, 8ULL << 20);
	KUNIT_EXPECT_STREQ(test, host.bdev.name, "mmcblk0");
	KUNIT_EXPECT_EQ(test, host.card.rca, (uint32_t)CARD_RCA);
	KUNIT_EXPECT_TRUE(test, host.card.bus_4bit);
	KUNIT_EXPECT_EQ(test, host.card.ocr, OCR_BUSY_DONE | OCR_CCS | OCR_VOLTS);
	KUNIT_EXPECT_EQ(test, host.card.manfid, 0x27);
	KUNIT_EXPECT_STREQ(test, host.card.oemid, "PH");
	KUNIT_EXPECT_STREQ(test, host.card.name, "SD04G");
	KUNIT_EXPECT_EQ(test, host.card.prv_major, 6U);
	KUNIT_EXPECT_EQ(test, host.card.prv_minor, 1U);
	KUNIT_EXPECT_EQ(test, host.card.serial, 0x1d2c3b4aU);
	KUNIT_EXPECT_EQ(test, host.card.year, 2023U);
	KUNIT_EXPECT_EQ(test, host.card.month, 11U);
	KUNIT_EXPECT_EQ(test, host.card.max_hz, 25000000U);
	/* 25 MHz (TRAN_SPEED 0x32) under the host's 50, 4 bits on both sides. */
	KUNIT_EXPECT_EQ(test, card.clock_hz, 25000000U);
	KUNIT_EXPECT_EQ(test, card.bus_width, 4U);
	KUNIT_EXPECT_EQ(test, card.width, 4U);
	KUNIT_EXPECT_EQ(test, host.clock_hz, 25000000U);
	KUNIT_EXPECT_EQ(test, host.width, 4U);
	KUNIT_EXPECT_EQ(test, (unsigned int)card.state, (unsigned int)ST_TRAN);
}

/* A 2 GiB SDSC card (CSD 1.0, READ_BL_LEN 10) on a 1-bit host: HCS asked
 * (it answered CMD8) but no CCS, CMD16 512 last, no ACMD6. */
static void sdsc_card_identified_with_cmd16(struct kunit *test)
{
	static const struct want seq[] = {
		{ 0, 0 }, { 8, 0x1aa },
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },
		{ 55, 0 }, { ACMD(41), ACMD41_HCS },
		{ 2, 0 }, { 3, 0 }, { 9, RCA_ARG }, { 7, RCA_ARG },
		{ 55, RCA_ARG }, { ACMD(51), 0 },
		{ 16, 512 },
	};

	card_make(SDSC, 4ULL << 20, false);
	card.acmd41_busy = 1;
	host_make(false, 8);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	expect_log(test, 0, seq, ARRAY_SIZE(seq));
	expect_no_violation(test);
	KUNIT_EXPECT_FALSE(test, host.card.high_capacity);
	KUNIT_EXPECT_EQ(test, host.card.csd_version, 1U);
	KUNIT_EXPECT_EQ(test, host.card.nr_sectors, 4ULL << 20);
	KUNIT_EXPECT_TRUE(test, host.card.bus_4bit);	/* the card could */
	KUNIT_EXPECT_EQ(test, host.width, 1U);		/* the host cannot */
	KUNIT_EXPECT_EQ(test, card.width, 1U);
	KUNIT_EXPECT_EQ(test, card.bus_width, 1U);
	KUNIT_EXPECT_EQ(test, card.clock_hz, 25000000U);
}

/* A 1.x card does not answer CMD8: ACMD41 without HCS, SDSC, CMD16. */
static void v1_card_without_cmd8_is_sdsc(struct kunit *test)
{
	card_make(SDSC_V1, 64ULL << 11, false);
	host_make(true, 8);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	expect_no_violation(test);
	KUNIT_EXPECT_FALSE(test, host.card.high_capacity);
	KUNIT_EXPECT_EQ(test, host.card.nr_sectors, 64ULL << 11);
	KUNIT_EXPECT_EQ(test, count_op(16), 1U);
	KUNIT_EXPECT_EQ(test, count_op(ACMD(6)), 1U);
	KUNIT_EXPECT_EQ(test, host.width, 4U);
	for (unsigned int i = 0; i < card.nlog; i++) {
		if (card.log[i].op == 8)
			KUNIT_EXPECT_EQ(test, card.log[i].ret, -ETIMEDOUT);
		if (card.log[i].op == ACMD(41))
			KUNIT_EXPECT_EQ(test, card.log[i].arg, OCR_VOLTS);
	}
	/* CMD8 went unanswered, and the first CMD55 after it says so. */
	KUNIT_EXPECT_GE(test, count_op(8), 1U);
	for (unsigned int i = 0; i < card.nlog; i++)
		if (card.log[i].op == 55) {
			KUNIT_EXPECT_TRUE(test, card.log[i].resp & R1_ILLEGAL_COMMAND);
			break;
		}
}

/* An empty slot: nothing answers; -ENODEV, said as "no card", no disk. */
static void empty_slot_is_enodev(struct kunit *test)
{
	static char out[512];
	unsigned int before = mmc_nr_hosts;

	card_make(SDHC, 8192, false);
	card.present = false;
	host_make(true, 8);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, add_host(), -ENODEV);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmc: sdsim@0: no card: ACMD41 failed: no response");
	KUNIT_EXPECT_FALSE(test, host.present);
	KUNIT_EXPECT_EQ(test, mmc_nr_hosts, before);
	KUNIT_EXPECT_EQ(test, count_op(ACMD(41)), 0U);	/* CMD55 got no answer */
	KUNIT_EXPECT_LE(test, card.nlog, 10U);
}

/* A card busy for ever in ACMD41: -ETIMEDOUT after the spec's 1 s, not
 * much later, and said with its OCR. */
static void card_busy_in_acmd41_times_out(struct kunit *test)
{
	static char out[512];
	uint64_t t0;
	uint64_t ms;

	card_make(SDHC, 8192, false);
	card.acmd41_busy = ALWAYS;
	host_make(true, 8);
	kunit_capture_start(test, out, sizeof(out));
	t0 = clock_ns();
	KUNIT_EXPECT_EQ(test, add_host(), -ETIMEDOUT);
	ms = (clock_ns() - t0) / 1000000;
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_GE(test, ms, 1000ULL);
	KUNIT_EXPECT_LT(test, ms, 3000ULL);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "the card stayed busy in ACMD41 for 1000 ms (OCR 0x00ff8000)");
	KUNIT_EXPECT_FALSE(test, host.present);
	KUNIT_EXPECT_EQ(test, count_op(2), 0U);
	KUNIT_EXPECT_GT(test, card.ncmds, 4UL);
}

/* A command that is not answered once is sent again; identification goes
 * on (CMD9 twice in the log). Always unanswered: the step is named. */
static void identification_retries_a_timeout(struct kunit *test)
{
	static char out[512];

	card_make(SDHC, 8192, false);
	add_fault(9, 0, 1, -ETIMEDOUT);
	host_make(true, 8);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	KUNIT_EXPECT_EQ(test, count_op(9), 2U);
	KUNIT_EXPECT_EQ(test, host.card.nr_sectors, 8192ULL);
	expect_no_violation(test);
	mmc_card_exit(test);

	card_make(SDHC, 8192, false);
	add_fault(2, 0, ALWAYS, -ETIMEDOUT);
	host_make(true, 8);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, add_host(), -ETIMEDOUT);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "the card was not identified: CMD2 failed: no response (timeout)");
	KUNIT_EXPECT_EQ(test, count_op(2), 3U);
}

/* An SCR saying 1 bit only: no ACMD6 even on a 4-bit host. */
static void scr_without_4bit_stays_1bit(struct kunit *test)
{
	card_make(SDHC, 8192, false);
	card.scr[1] = 0x01;
	host_make(true, 8);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	KUNIT_EXPECT_FALSE(test, host.card.bus_4bit);
	KUNIT_EXPECT_EQ(test, count_op(ACMD(6)), 0U);
	KUNIT_EXPECT_EQ(test, host.width, 1U);
	KUNIT_EXPECT_EQ(test, count_op(16), 0U);
	expect_no_violation(test);
}

/* ------------------------------------------------------------ transfers */

#define MAX_BLOCKS	7
#define MAX_LEN		(3 * MAX_BLOCKS + 5)	/* sectors a request */
#define BATCH		3
#define SEG_ORDER	2			/* 16 KiB a segment's home */

struct io {
	struct blk_request req;
	struct blk_segment segs[4];
	struct page *pages[4];
	uint8_t *expect;		/* a read: the model's bytes */
	bool done;
	unsigned int n;
};

static void io_end(struct blk_request *req)
{
	((struct io *)req->private)->done = true;
}

/* The commands one transfer of n sectors at sector must make, appended to
 * want: each piece of at most MAX_BLOCKS, CMD12 after a multi-block one,
 * and after a write CMD13 busy + 1 times. */
static unsigned int plan(struct want *want, unsigned int k, bool write,
			 uint64_t sector, unsigned int n, unsigned int busy)
{
	while (n) {
		unsigned int m = n < MAX_BLOCKS ? n : MAX_BLOCKS;

		want[k].op = write ? (m > 1 ? 25 : 24) : (m > 1 ? 18 : 17);
		want[k++].arg = (uint32_t)(card.hc ? sector : sector * SECTOR_SIZE);
		if (m > 1)
			want[k++] = (struct want){ 12, 0 };
		for (unsigned int i = 0; write && i <= busy; i++)
			want[k++] = (struct want){ 13, RCA_ARG };
		sector += m;
		n -= m;
	}
	return k;
}

/* Bytes [0, len) of a request spread over 1-4 segments, cut at random
 * byte offsets, each in its own pages at a random offset (so an iterator
 * that ran on past a segment's end would read the wrong memory). */
static void make_segments(struct prng *rng, struct io *io, unsigned int len)
{
	unsigned int cuts[RANDOM_CUTS_MAX + 1], k = 0;
	unsigned int n = random_cuts(rng, len, 1, cuts);

	for (unsigned int i = 0; i < n; i++) {
		unsigned int l = cuts[i + 1] - cuts[i];
		uint8_t *base;

		if (!l)
			continue;
		base = (uint8_t *)page_address(io->pages[k]) +
		       prng_below(rng, (PAGE_SIZE << SEG_ORDER) - l + 1);
		io->segs[k] = (struct blk_segment){
			.page = virt_to_page(base),
			.offset = (unsigned int)((uintptr_t)base & (PAGE_SIZE - 1)),
			.len = l,
		};
		k++;
	}
	io->req.nr_segs = k;
}

static void *seg_addr(const struct blk_segment *s)
{
	return (uint8_t *)page_address(s->page) + s->offset;
}

/* Copy between a request's segments and a flat buffer. */
static void seg_copy(struct io *io, uint8_t *flat, bool to_segs)
{
	for (unsigned int i = 0, at = 0; i < io->req.nr_segs; i++) {
		if (to_segs)
			memcpy(seg_addr(&io->segs[i]), flat + at, io->segs[i].len);
		else
			memcpy(flat + at, seg_addr(&io->segs[i]), io->segs[i].len);
		at += io->segs[i].len;
	}
}

#define MODEL_SECTORS	8192ULL		/* 4 MiB */

/*
 * One card kind: batches of 1-3 block requests (reads, writes, a flush
 * now and then) queued at once and run by mmc_run_queue, and plain
 * mmc_rw calls, of 1..26 sectors at random places (the host moves at
 * most 7 blocks a command), against a plain array. Every read returns
 * what the model says; the commands are exactly the plan (pieces, CMD12,
 * CMD13 until ready with the card busy 0-3 polls after each write); and
 * at the end the card's array is the model.
 */
static void random_io_on(struct kunit *test, enum card_kind kind, struct prng *rng,
			 struct test_arena *arena)
{
	static struct want want[BATCH * (MAX_LEN + 8) * 3];
	static struct io ios[BATCH];
	static uint8_t flat[MAX_LEN * SECTOR_SIZE];
	uint8_t *model = calloc(MODEL_SECTORS, SECTOR_SIZE);
	unsigned int reads = 0, writes = 0, splits = 0, rws = 0;

	KUNIT_ASSERT_NOT_NULL(test, model);
	card_make(kind, MODEL_SECTORS, true);
	host_make(true, MAX_BLOCKS);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	/* The card starts as the model: random bytes. */
	for (uint64_t i = 0; i < MODEL_SECTORS * SECTOR_SIZE; i++)
		model[i] = card.store[i] = (uint8_t)prng_next(rng);
	for (unsigned int b = 0; b < BATCH; b++)
		for (unsigned int s = 0; s < 4; s++) {
			ios[b].pages[s] = alloc_pages_node(&arena->pgdat, GFP_KERNEL, SEG_ORDER);
			KUNIT_ASSERT_NOT_NULL(test, ios[b].pages[s]);
		}
	for (unsigned int round = 0; round < 150; round++) {
		unsigned int from = card.nlog, k = 0;
		unsigned int nb = 1 + (unsigned int)prng_below(rng, BATCH);

		if (card.nlog > LOG_MAX - 400)
			card.nlog = from = 0;
		card.write_busy = (unsigned int)prng_below(rng, 4);
		if (prng_below(rng, 4) == 0) {
			/* mmc_rw: the core's own path, one flat buffer */
			unsigned int n = 1 + (unsigned int)prng_below(rng, MAX_LEN);
			uint64_t at = prng_below(rng, MODEL_SECTORS - n + 1);
			bool write = prng_below(rng, 2);

			if (write) {
				for (unsigned int i = 0; i < n * SECTOR_SIZE; i++)
					flat[i] = (uint8_t)prng_next(rng);
				memcpy(model + at * SECTOR_SIZE, flat, n * SECTOR_SIZE);
			} else {
				memset(flat, 0x5a, sizeof(flat));
			}
			k = plan(want, 0, write, at, n, card.write_busy);
			KUNIT_ASSERT_EQ(test, mmc_rw(&host, write, at, flat, n), 0);
			if (!write && memcmp(flat, model + at * SECTOR_SIZE, n * SECTOR_SIZE)) {
				KUNIT_FAIL(test, "round %u: mmc_rw read of %u at %llu "
					   "differs from the model", round, n,
					   (unsigned long long)at);
				break;
			}
			expect_log(test, from, want, k);
			rws++;
			continue;
		}
		for (unsigned int b = 0; b < nb; b++) {
			struct io *io = &ios[b];
			unsigned int n = 1 + (unsigned int)prng_below(rng, MAX_LEN);
			uint64_t at = prng_below(rng, MODEL_SECTORS - n + 1);
			unsigned int what = (unsigned int)prng_below(rng, 9);

			io->req = (struct blk_request){
				.op = what == 0 ? BLK_OP_FLUSH : what <= 4 ? BLK_OP_READ : BLK_OP_WRITE,
				.sector = at, .segs = io->segs,
				.end_io = io_end, .private = io,
			};
			io->done = false;
			io->n = n;
			free(io->expect);
			io->expect = NULL;
			if (io->req.op == BLK_OP_FLUSH) {
				io->req.nr_segs = 0;
			} else {
				make_segments(rng, io, n * SECTOR_SIZE);
				splits += n > MAX_BLOCKS;
				k = plan(want, k, io->req.op == BLK_OP_WRITE, at, n,
					 card.write_busy);
			}
			if (io->req.op == BLK_OP_WRITE) {
				for (unsigned int i = 0; i < n * SECTOR_SIZE; i++)
					flat[i] = (uint8_t)prng_next(rng);
				seg_copy(io, flat, true);
				memcpy(model + at * SECTOR_SIZE, flat, n * SECTOR_SIZE);
				writes++;
			} else if (io->req.op == BLK_OP_READ) {
				/* what the model holds when the queue gets to it */
				io->expect = malloc(n * SECTOR_SIZE);
				memcpy(io->expect, model + at * SECTOR_SIZE, n * SECTOR_SIZE);
				memset(flat, 0xa5, n * SECTOR_SIZE);
				seg_copy(io, flat, true);
				reads++;
			}
			KUNIT_ASSERT_EQ(test, blk_submit(&host.bdev, &io->req), 0);
		}
		KUNIT_EXPECT_FALSE(test, ios[0].done);	/* queued, not run */
		mmc_run_queue(&host);			/* as ->poll does */
		for (unsigned int b = 0; b < nb; b++) {
			struct io *io = &ios[b];

			KUNIT_ASSERT_TRUE(test, io->done);
			KUNIT_ASSERT_EQ(test, io->req.status, 0);
			if (!io->expect)
				continue;
			seg_copy(io, flat, false);
			if (memcmp(flat, io->expect, io->n * SECTOR_SIZE)) {
				KUNIT_FAIL(test, "round %u: read of %u sectors at %llu "
					   "in %u segments differs from the model",
					   round, io->n, (unsigned long long)io->req.sector,
					   io->req.nr_segs);
				goto out;
			}
		}
		expect_log(test, from, want, k);
		if (test->failed)
			break;
	}
	KUNIT_EXPECT_EQ(test, memcmp(card.store, model, MODEL_SECTORS * SECTOR_SIZE), 0);
	KUNIT_EXPECT_GT(test, splits, 10U);
	KUNIT_EXPECT_GT(test, reads, 20U);
	KUNIT_EXPECT_GT(test, writes, 20U);
	KUNIT_EXPECT_GT(test, rws, 10U);
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 0UL);
	expect_no_violation(test);
	kunit_info(test, "%s: %u block reads, %u writes (%u split), %u mmc_rw",
		   kind == SDHC ? "SDHC" : "SDSC", reads, writes, splits, rws);
out:
	for (unsigned int b = 0; b < BATCH; b++) {
		for (unsigned int s = 0; s < 4; s++)
			if (ios[b].pages[s])
				__free_pages(ios[b].pages[s], SEG_ORDER);
		free(ios[b].expect);
		memset(&ios[b], 0, sizeof(ios[b]));
	}
	free(model);
	mmc_card_exit(test);
}

static void random_io_matches_a_model(struct kunit *test)
{
	static struct test_arena arena;
	struct prng rng;

	prng_seed(&rng, test->seed);
	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	random_io_on(test, SDHC, &rng, &arena);
	if (!test->failed)
		random_io_on(test, SDSC, &rng, &arena);
	test_arena_done(test, &arena);
}

/* ------------------------------------------------------------ errors */

/* A small card with a pattern, identified, on a 7-block host. */
static void error_card(struct kunit *test, enum card_kind kind)
{
	card_make(kind, MODEL_SECTORS, true);
	for (uint64_t i = 0; i < MODEL_SECTORS * SECTOR_SIZE; i++)
		card.store[i] = (uint8_t)(i * 7 + (i >> 9));
	host_make(true, MAX_BLOCKS);
	KUNIT_ASSERT_EQ(test, add_host(), 0);
	card.nlog = 0;
}

/*
 * A CRC error in the data of a block request's second CMD18 (sectors
 * 107-113 of 100-119): the request fails with -EILSEQ, the line names
 * the command, its argument and its sectors; the transfer is stopped
 * (CMD12) and the card asked for its state (CMD13), nothing more is
 * read; req->error_sector is what the block layer promises (blk.h: the
 * request's first sector). The same request then succeeds.
 */
static void crc_error_is_named_and_the_next_request_succeeds(struct kunit *test)
{
	static char out[1024];
	static struct test_arena arena;
	static const struct want seq[] = {
		{ 18, 100 }, { 12, 0 }, { 18, 107 }, { 12, 0 }, { 13, RCA_ARG },
	};
	struct page *pg;
	struct blk_segment seg;
	struct blk_request req = { .op = BLK_OP_READ, .sector = 100, .segs = &seg,
				   .nr_segs = 1 };
	uint8_t *buf;

	KUNIT_ASSERT_TRUE(test, test_arena_make(test, &arena, 0));
	pg = alloc_pages_node(&arena.pgdat, GFP_KERNEL, SEG_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	buf = page_address(pg);
	seg = (struct blk_segment){ .page = pg, .offset = 0, .len = 20 * SECTOR_SIZE };
	error_card(test, SDHC);
	add_fault(18, 1, 1, -EILSEQ);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, blk_execute(&host.bdev, &req), -EILSEQ);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD18 arg 0x0000006b (read 7 "
				  "blocks at sector 107) failed: CRC error");
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 1UL);
	KUNIT_EXPECT_EQ(test, req.error_sector, 100ULL);
	KUNIT_EXPECT_EQ(test, host.bdev.nr_errors, 1UL);
	expect_log(test, 0, seq, ARRAY_SIZE(seq));
	card.nlog = 0;
	memset(buf, 0, 20 * SECTOR_SIZE);
	KUNIT_EXPECT_EQ(test, blk_execute(&host.bdev, &req), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, card.store + 100 * SECTOR_SIZE,
				     20 * SECTOR_SIZE), 0);
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 1UL);
	/* A CRC error on a write's data: the same, and nothing of it lands. */
	add_fault(24, 0, 1, -EILSEQ);
	memset(buf, 0xee, SECTOR_SIZE);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 42, buf, 1), -EILSEQ);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD24 arg 0x0000002a (write 1 "
				  "block at sector 42) failed: CRC error");
	KUNIT_EXPECT_NE(test, card.store[42 * SECTOR_SIZE], 0xee);
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 42, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, card.store[42 * SECTOR_SIZE + 511], 0xee);
	expect_no_violation(test);
	mmc_card_exit(test);
	__free_pages(pg, SEG_ORDER);
	test_arena_done(test, &arena);
}

/* A read past the end (mmc_rw: the block layer would refuse it) on each
 * kind: -EIO, the card's "out of range" said with the command and the
 * argument in the card's own units; the card then reads as before. */
static void read_past_the_end_says_out_of_range(struct kunit *test)
{
	static char out[1024];
	static uint8_t buf[SECTOR_SIZE];
	char want[128];

	for (int kind = SDHC; kind <= SDSC; kind++) {
		uint64_t bad = MODEL_SECTORS + 8;

		error_card(test, (enum card_kind)kind);
		kunit_capture_start(test, out, sizeof(out));
		KUNIT_EXPECT_EQ(test, mmc_rw(&host, false, bad, buf, 1), -EIO);
		kunit_capture_stop(test, DIAG_WARN);
		ksnprintf(want, sizeof(want), "mmcblk0: CMD17 arg 0x%08x (read 1 block "
			  "at sector %llu) failed: the card says out of range",
			  (uint32_t)(kind == SDHC ? bad : bad * SECTOR_SIZE),
			  (unsigned long long)bad);
		KUNIT_EXPECT_STR_CONTAINS(test, out, want);
		KUNIT_EXPECT_EQ(test, host.cmd_errors, 1UL);
		KUNIT_EXPECT_EQ(test, mmc_rw(&host, false, MODEL_SECTORS - 1, buf, 1), 0);
		KUNIT_EXPECT_EQ(test, memcmp(buf, card.store + (MODEL_SECTORS - 1) * SECTOR_SIZE,
					     SECTOR_SIZE), 0);
		KUNIT_EXPECT_EQ(test, host.cmd_errors, 1UL);
		expect_no_violation(test);
		mmc_card_exit(test);
	}
}

/* A command the card misses once is sent again (CMD13 after a write);
 * a data command never is: CMD17 unanswered fails at once, said as no
 * response, and the card is asked for its state. */
static void a_timeout_is_retried_but_data_is_never_sent_twice(struct kunit *test)
{
	static char out[1024];
	static uint8_t buf[SECTOR_SIZE];
	static const struct want wseq[] = {
		{ 24, 5 }, { 13, RCA_ARG }, { 13, RCA_ARG },
	};
	static const struct want rseq[] = { { 17, 9 }, { 13, RCA_ARG } };

	error_card(test, SDHC);
	add_fault(13, 0, 1, -ETIMEDOUT);
	memset(buf, 0x3c, sizeof(buf));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 5, buf, 1), 0);
	expect_log(test, 0, wseq, ARRAY_SIZE(wseq));
	KUNIT_EXPECT_EQ(test, card.log[1].ret, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, card.store[5 * SECTOR_SIZE + 100], 0x3c);
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 0UL);
	card.nlog = 0;
	add_fault(17, 0, ALWAYS, -ETIMEDOUT);
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, false, 9, buf, 1), -ETIMEDOUT);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD17 arg 0x00000009 (read 1 "
				  "block at sector 9) failed: no response (timeout)");
	expect_log(test, 0, rseq, ARRAY_SIZE(rseq));
	expect_no_violation(test);
}

/* A card that never finishes programming: the write fails with -EBUSY
 * after the core's 1 s of CMD13, said as such. */
static void card_busy_for_ever_after_a_write(struct kunit *test)
{
	static char out[1024];
	static uint8_t buf[SECTOR_SIZE];

	error_card(test, SDSC);
	card.write_busy = ALWAYS;
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 3, buf, 1), -EBUSY);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD13 arg 0xb3680000 (after a "
				  "write) failed: the card stayed busy");
	KUNIT_EXPECT_GT(test, count_op(13), 2U);
	KUNIT_EXPECT_EQ(test, card.log[0].op, 24U);
	KUNIT_EXPECT_EQ(test, card.log[0].arg, 3U * SECTOR_SIZE);
	expect_no_violation(test);
}

/*
 * Write-protected sectors 200-209: the card takes the data, refuses to
 * program those blocks and says so in the next status (CMD13 after
 * CMD24, CMD12 after CMD25). The write fails with -EIO, said with the
 * data command, its argument and the card's "write protected"; what the
 * card refused is unchanged, and no further piece is sent. A read of the
 * last blocks, whose CMD12 may say OUT_OF_RANGE, is not an error.
 */
static void write_protect_fails_the_write(struct kunit *test)
{
	static char out[1024];
	static uint8_t buf[20 * SECTOR_SIZE], old[20 * SECTOR_SIZE];
	static const struct want seq[] = {
		{ 25, 195 }, { 12, 0 }, { 13, RCA_ARG },
	};

	error_card(test, SDHC);
	card.wp_start = 200;
	card.wp_end = 210;
	memcpy(old, card.store + 195 * SECTOR_SIZE, sizeof(old));
	memset(buf, 0x77, sizeof(buf));
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 205, buf, 1), -EIO);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD24 arg 0x000000cd (write 1 "
				  "block at sector 205) failed: the card says write protected");
	KUNIT_EXPECT_EQ(test, card.store[205 * SECTOR_SIZE], old[10 * SECTOR_SIZE]);
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 1UL);
	card.nlog = 0;
	kunit_capture_start(test, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 195, buf, 20), -EIO);
	kunit_capture_stop(test, DIAG_WARN);
	KUNIT_EXPECT_STR_CONTAINS(test, out, "mmcblk0: CMD25 arg 0x000000c3 (write 7 "
				  "blocks at sector 195) failed: the card says write protected");
	expect_log(test, 0, seq, ARRAY_SIZE(seq));
	KUNIT_EXPECT_EQ(test, card.store[199 * SECTOR_SIZE], 0x77);	/* programmed */
	KUNIT_EXPECT_EQ(test, memcmp(card.store + 200 * SECTOR_SIZE, old + 5 * SECTOR_SIZE,
				     15 * SECTOR_SIZE), 0);		/* refused, not sent */
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 2UL);
	/* Elsewhere the card writes; its last blocks read. */
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, true, 300, buf, 20), 0);
	KUNIT_EXPECT_EQ(test, mmc_rw(&host, false, MODEL_SECTORS - 10, buf, 10), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, card.store + (MODEL_SECTORS - 10) * SECTOR_SIZE,
				     10 * SECTOR_SIZE), 0);
	KUNIT_EXPECT_EQ(test, host.cmd_errors, 2UL);
	expect_no_violation(test);
}

static struct kunit_case mmc_card_cases[] = {
	KUNIT_CASE(sdhc_card_identified_in_order),
	KUNIT_CASE(sdsc_card_identified_with_cmd16),
	KUNIT_CASE(v1_card_without_cmd8_is_sdsc),
	KUNIT_CASE(empty_slot_is_enodev),
	KUNIT_CASE(card_busy_in_acmd41_times_out),
	KUNIT_CASE(identification_retries_a_timeout),
	KUNIT_CASE(scr_without_4bit_stays_1bit),
	KUNIT_CASE(random_io_matches_a_model),
	KUNIT_CASE(crc_error_is_named_and_the_next_request_succeeds),
	KUNIT_CASE(read_past_the_end_says_out_of_range),
	KUNIT_CASE(a_timeout_is_retried_but_data_is_never_sent_twice),
	KUNIT_CASE(card_busy_for_ever_after_a_write),
	KUNIT_CASE(write_protect_fails_the_write),
	{}
};

static struct kunit_suite mmc_card_suite = {
	.name = "mmc_card",
	.exit = mmc_card_exit,
	.test_cases = mmc_card_cases,
};
kunit_test_suite(mmc_card_suite);
