/*
 * tests/suites/mmc_regs.h - SD card registers built field by field, as
 * the SD Physical Layer Simplified Specification lays them out (CSD 1.0:
 * 5.3.2, CSD 2.0: 5.3.3, CID: 5.2), in the form a 136-bit response
 * hands them to the core: r[0] = bits 127:96 ... r[3] = bits 31:0. For
 * the mmc_decode suite and the simulated card (tests/host/mmc_card_test.c).
 */
#ifndef TESTS_SUITES_MMC_REGS_H
#define TESTS_SUITES_MMC_REGS_H

#include "kernel/types.h"
#include "kernel/lib/string.h"

/* Bits [start, start+size) of r set to v. */
static inline void mmc_set_bits(uint32_t r[4], unsigned int start,
				unsigned int size, uint32_t v)
{
	for (unsigned int i = 0; i < size; i++) {
		unsigned int b = start + i;
		uint32_t *w = &r[3 - b / 32];

		if ((v >> i) & 1)
			*w |= 1U << (b % 32);
		else
			*w &= ~(1U << (b % 32));
	}
}

/* A CSD 1.0: (C_SIZE + 1) << (C_SIZE_MULT + 2 + READ_BL_LEN) bytes. */
static inline void mmc_make_csd_v1(uint32_t csd[4], unsigned int bl_len,
				   unsigned int c_size, unsigned int mult,
				   uint8_t tran_speed)
{
	memset(csd, 0, 4 * sizeof(uint32_t));
	mmc_set_bits(csd, 126, 2, 0);		/* CSD_STRUCTURE */
	mmc_set_bits(csd, 112, 8, 0x0e);	/* TAAC */
	mmc_set_bits(csd, 96, 8, tran_speed);
	mmc_set_bits(csd, 84, 12, 0x5b5);	/* CCC */
	mmc_set_bits(csd, 80, 4, bl_len);	/* READ_BL_LEN */
	mmc_set_bits(csd, 62, 12, c_size);
	mmc_set_bits(csd, 47, 3, mult);
	mmc_set_bits(csd, 22, 4, bl_len);	/* WRITE_BL_LEN */
	mmc_set_bits(csd, 0, 8, 0x01);		/* CRC7 and the end bit */
}

/* A CSD 2.0: (C_SIZE + 1) * 512 KiB. */
static inline void mmc_make_csd_v2(uint32_t csd[4], uint32_t c_size,
				   uint8_t tran_speed)
{
	memset(csd, 0, 4 * sizeof(uint32_t));
	mmc_set_bits(csd, 126, 2, 1);
	mmc_set_bits(csd, 112, 8, 0x0e);
	mmc_set_bits(csd, 96, 8, tran_speed);
	mmc_set_bits(csd, 84, 12, 0x5b5);
	mmc_set_bits(csd, 80, 4, 9);		/* fixed at 9 in 2.0 */
	mmc_set_bits(csd, 48, 22, c_size);
	mmc_set_bits(csd, 22, 4, 9);
	mmc_set_bits(csd, 0, 8, 0x01);
}

/* A CID: MID, OID (2 characters), PNM (5), PRV (n.m), PSN, MDT. */
static inline void mmc_make_cid(uint32_t cid[4], uint8_t mid, const char *oid,
				const char *pnm, unsigned int prv_major,
				unsigned int prv_minor, uint32_t psn,
				unsigned int year, unsigned int month)
{
	memset(cid, 0, 4 * sizeof(uint32_t));
	mmc_set_bits(cid, 120, 8, mid);
	mmc_set_bits(cid, 112, 8, (uint8_t)oid[0]);
	mmc_set_bits(cid, 104, 8, (uint8_t)oid[1]);
	for (unsigned int i = 0; i < 5; i++)
		mmc_set_bits(cid, 96 - 8 * i, 8, (uint8_t)pnm[i]);
	mmc_set_bits(cid, 60, 4, prv_major);
	mmc_set_bits(cid, 56, 4, prv_minor);
	mmc_set_bits(cid, 24, 32, psn);
	mmc_set_bits(cid, 12, 8, year - 2000);
	mmc_set_bits(cid, 8, 4, month);
	mmc_set_bits(cid, 0, 8, 0x01);
}

#endif
