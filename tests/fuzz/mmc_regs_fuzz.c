/*
 * tests/fuzz/mmc_regs_fuzz.c - libFuzzer target for the SD card register
 * decoders (drivers/mmc/mmc.h: mmc_decode_csd, mmc_decode_cid), which read
 * what a card sends at identification.
 *
 * The input is a 128-bit register, most significant byte first (zero-
 * padded if shorter), decoded both as a CSD and as a CID. A CSD is either
 * refused with a message or decoded to a version that matches its
 * CSD_STRUCTURE, a capacity that matches its fields (recomputed here from
 * the bytes) and a speed of the TRAN_SPEED table; a CID gives printable,
 * terminated strings and a date in range.
 *
 *	make fuzz FUZZ=mmc_regs          (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/mmc_regs/: the registers of the mmc_decode
 * suite (tests/suites/mmc_regs.h) and of the simulated card.
 */
#include "tests/fuzz/fuzz.h"
#include "drivers/mmc/mmc.h"

#include <string.h>

/* Bits [start, start+size) of the big-endian 16 bytes: the reference. */
static uint64_t field(const uint8_t reg[16], unsigned int start, unsigned int size)
{
	uint64_t v = 0;

	for (unsigned int i = size; i-- > 0;) {
		unsigned int b = start + i;

		v = v << 1 | ((reg[15 - b / 8] >> (b % 8)) & 1);
	}
	return v;
}

static void check_string(const char *s, size_t len)
{
	CHECK(s[len] == '\0');
	for (size_t i = 0; i < len; i++)
		CHECK(s[i] >= 0x20 && s[i] < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t reg[16] = { 0 };
	struct mmc_card card;
	char err[128];
	unsigned int structure;
	int r;

	memcpy(reg, data, size < 16 ? size : 16);
	memset(&card, 0xa5, sizeof(card));
	for (unsigned int w = 0; w < 4; w++) {
		card.csd[w] = (uint32_t)reg[4 * w] << 24 | (uint32_t)reg[4 * w + 1] << 16 |
			      (uint32_t)reg[4 * w + 2] << 8 | reg[4 * w + 3];
		card.cid[w] = card.csd[w];
	}
	err[0] = '\0';
	r = mmc_decode_csd(&card, err, sizeof(err));
	structure = (unsigned int)field(reg, 126, 2);
	if (r) {
		CHECK(r == -EINVAL);
		CHECK(strncmp(err, "CSD ", 4) == 0);
		CHECK(strlen(err) < sizeof(err) - 1);
	} else {
		uint64_t want;

		CHECK(err[0] == '\0');
		CHECK(structure <= 1);
		CHECK(card.csd_version == structure + 1);
		if (structure == 0) {
			unsigned int bl_len = (unsigned int)field(reg, 80, 4);

			CHECK(bl_len >= 9 && bl_len <= 11);
			want = ((field(reg, 62, 12) + 1) << (field(reg, 47, 3) + 2 + bl_len)) >> 9;
			CHECK(want <= (4ULL << 30) >> 9);
		} else {
			want = (field(reg, 48, 22) + 1) * 1024;
			CHECK(want <= (2ULL << 40) >> 9);
		}
		CHECK(card.nr_sectors == want);
		CHECK(card.nr_sectors >= 4);
		/* 1.0 to 8.0 times 100 kbit/s ... 100 Mbit/s */
		CHECK(card.max_hz >= 100000 && card.max_hz <= 800000000);
		CHECK(card.max_hz % 10000 == 0);
		CHECK((field(reg, 96, 3)) <= 3 && field(reg, 99, 4) != 0);
	}
	mmc_decode_cid(&card);
	check_string(card.oemid, 2);
	check_string(card.name, 5);
	CHECK(card.manfid == reg[0]);
	CHECK(card.serial == (uint32_t)field(reg, 24, 32));
	CHECK(card.year >= 2000 && card.year <= 2255);
	CHECK(card.month <= 15);
	CHECK(card.prv_major <= 15 && card.prv_minor <= 15);
	return 0;
}
