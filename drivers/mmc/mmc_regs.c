/*
 * drivers/mmc/mmc_regs.c - what an SD card says about itself, decoded:
 * the CSD (capacity, speed), the CID (who made it, when), the card
 * status's error bits in words. Pure functions of the registers' bits
 * (mmc.h, "Pure decoding"), apart from the protocol in mmc_core.c so the
 * fuzz target (tests/fuzz/mmc_regs_fuzz.c) links them alone.
 */
#include "drivers/mmc/mmc.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

uint32_t mmc_bits(const uint32_t resp[4], unsigned int start, unsigned int size)
{
	uint32_t v = 0;

	/* Bit by bit, most significant first: clear beats clever here. */
	for (unsigned int b = start + size; b-- > start;) {
		uint32_t word = resp[3 - b / 32];

		v = (v << 1) | ((word >> (b % 32)) & 1);
	}
	return v;
}

/* TRAN_SPEED: a unit (100 kbit/s times 10^u) times a value in tenths. */
static unsigned int tran_speed_hz(uint32_t ts)
{
	static const unsigned int tenths[16] = {
		0, 10, 12, 13, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80
	};
	unsigned int unit = ts & 7, hz = 10000;	/* 100 kbit/s / 10 */

	if (unit > 3)
		return 0;			/* reserved */
	for (unsigned int i = 0; i < unit; i++)
		hz *= 10;
	return hz * tenths[(ts >> 3) & 0xf];
}

int mmc_decode_csd(struct mmc_card *card, char *err, size_t errlen)
{
	const uint32_t *csd = card->csd;
	unsigned int structure = mmc_bits(csd, 126, 2);

	card->max_hz = tran_speed_hz(mmc_bits(csd, 96, 8));
	if (structure == 0) {
		/* CSD 1.0 (standard capacity): (C_SIZE + 1) * 2^(C_SIZE_MULT
		 * + 2) blocks of 2^READ_BL_LEN bytes. */
		unsigned int bl_len = mmc_bits(csd, 80, 4);
		uint64_t c_size = mmc_bits(csd, 62, 12);
		unsigned int mult = mmc_bits(csd, 47, 3);

		if (bl_len < 9 || bl_len > 11) {
			ksnprintf(err, errlen, "CSD 1.0 READ_BL_LEN %u is not 9-11",
				  bl_len);
			return -EINVAL;
		}
		card->csd_version = 1;
		card->nr_sectors = ((c_size + 1) << (mult + 2 + bl_len)) >> 9;
	} else if (structure == 1) {
		/* CSD 2.0 (SDHC, SDXC): (C_SIZE + 1) * 512 KiB. */
		uint64_t c_size = mmc_bits(csd, 48, 22);

		card->csd_version = 2;
		card->nr_sectors = (c_size + 1) * 1024;
	} else {
		ksnprintf(err, errlen, "CSD structure %u (%s) is not one this "
			  "kernel reads (1.0 or 2.0)", structure,
			  structure == 2 ? "SDUC, over 2 TiB" : "reserved");
		return -EINVAL;
	}
	if (!card->max_hz) {
		ksnprintf(err, errlen, "CSD TRAN_SPEED 0x%02x names no speed",
			  mmc_bits(csd, 96, 8));
		return -EINVAL;
	}
	return 0;
}

static char printable(uint32_t c)
{
	return c >= 0x20 && c < 0x7f ? (char)c : '?';
}

void mmc_decode_cid(struct mmc_card *card)
{
	const uint32_t *cid = card->cid;

	card->manfid = (uint8_t)mmc_bits(cid, 120, 8);
	card->oemid[0] = printable(mmc_bits(cid, 112, 8));
	card->oemid[1] = printable(mmc_bits(cid, 104, 8));
	card->oemid[2] = 0;
	for (unsigned int i = 0; i < 5; i++)
		card->name[i] = printable(mmc_bits(cid, 96 - 8 * i, 8));
	card->name[5] = 0;
	card->prv_major = mmc_bits(cid, 60, 4);
	card->prv_minor = mmc_bits(cid, 56, 4);
	card->serial = mmc_bits(cid, 24, 32);
	card->year = 2000 + mmc_bits(cid, 12, 8);
	card->month = mmc_bits(cid, 8, 4);
}

void mmc_r1_errors(uint32_t status, char *buf, size_t len)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ R1_OUT_OF_RANGE, "out of range" },
		{ R1_ADDRESS_ERROR, "address error" },
		{ R1_BLOCK_LEN_ERROR, "block length error" },
		{ R1_WP_VIOLATION, "write protected" },
		{ R1_COM_CRC_ERROR, "command CRC error" },
		{ R1_ILLEGAL_COMMAND, "illegal command" },
		{ R1_CARD_ECC_FAILED, "card ECC failed" },
		{ R1_CC_ERROR, "card controller error" },
		{ R1_ERROR, "general error" },
	};
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < ARRAY_SIZE(names) && n < len; i++)
		if (status & names[i].bit)
			n += (size_t)ksnprintf(buf + n, len - n, "%s%s",
					       n ? ", " : "", names[i].name);
}

const char *mmc_strerror(int err)
{
	switch (err) {
	case 0:		return "no error";
	case -ETIMEDOUT: return "no response (timeout)";
	case -EILSEQ:	return "CRC error";
	case -EIO:	return "controller error";
	case -ENODEV:	return "no card";
	case -EBUSY:	return "the card stayed busy";
	default:	return "error";
	}
}
