/*
 * drivers/block/blk_pattern.h - the deterministic disk pattern the
 * virtio-blk tests write and tools/check-disk-pattern recomputes on the
 * host: byte i (0..511) of sector n depends on both.
 */
#ifndef DRIVERS_BLOCK_BLK_PATTERN_H
#define DRIVERS_BLOCK_BLK_PATTERN_H

#include "kernel/types.h"

static inline uint8_t blk_pattern_byte(uint64_t sector, unsigned int i)
{
	return (uint8_t)(sector * 251 + i * 13 + (sector >> 8) * 7 + (i >> 4) + 1);
}

#endif
