/*
 * tests/suites/test_bytes.h - storing fields into firmware structures that
 * a suite builds by hand: ACPI tables, multiboot2 and PVH boot structures
 * (little-endian), flattened device trees (big-endian), and the ACPI
 * checksum byte.
 */
#ifndef TESTS_SUITES_TEST_BYTES_H
#define TESTS_SUITES_TEST_BYTES_H

#include "kernel/types.h"

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static inline void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

/* Set byte `at` so that the len bytes at p sum to 0 (mod 256), as ACPI
 * requires of its tables and the RSDP. */
static inline void fix_sum(uint8_t *p, size_t len, size_t at)
{
	uint8_t s = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		s += p[i];
	p[at] = (uint8_t)-s;
}

#endif
