/*
 * user/bin/pattern.h - the test pattern of the file tests: bytes a
 * program writes and the host regenerates (tools/check-ext2 pattern), so
 * a file that went through the page cache, the disk and back can be
 * compared with what it must hold, byte for byte, without storing it.
 *
 * The file is cut in 4 KiB blocks; block i of seed s is
 *   bytes 0..7     i, little-endian
 *   bytes 8..15    s, little-endian
 *   bytes 16..4095 4080 bytes of R R (R twice) from offset (i * 61) % 4096
 * where R is 4096 bytes: 512 little-endian words of splitmix64 started
 * from s. A block in the wrong place, a stale block, a block of another
 * file and a block of zeros all differ. Header only: each program that
 * uses it is one file (docs/user.md).
 */
#ifndef USER_PATTERN_H
#define USER_PATTERN_H

#include "libc.h"

#define PATTERN_BLOCK	4096

struct pattern {
	uint64_t seed;
	unsigned char r[2 * PATTERN_BLOCK];	/* R twice */
};

static inline uint64_t pattern_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline void pattern_init(struct pattern *p, uint64_t seed)
{
	uint64_t st = seed;

	p->seed = seed;
	for (int w = 0; w < PATTERN_BLOCK / 8; w++) {
		uint64_t v = pattern_splitmix64(&st);

		for (int b = 0; b < 8; b++)
			p->r[w * 8 + b] = p->r[PATTERN_BLOCK + w * 8 + b] =
				(unsigned char)(v >> (8 * b));
	}
}

/* The whole block i into out[PATTERN_BLOCK]. */
static inline void pattern_block(const struct pattern *p, uint64_t i,
				 unsigned char *out)
{
	unsigned int off = (unsigned int)((i * 61) % PATTERN_BLOCK);

	for (int b = 0; b < 8; b++) {
		out[b] = (unsigned char)(i >> (8 * b));
		out[8 + b] = (unsigned char)(p->seed >> (8 * b));
	}
	memcpy(out + 16, p->r + off, PATTERN_BLOCK - 16);
}

/* The pattern's bytes [pos, pos + n) into out. */
static inline void pattern_fill(const struct pattern *p, uint64_t pos,
				unsigned char *out, size_t n)
{
	unsigned char blk[PATTERN_BLOCK];

	while (n) {
		uint64_t i = pos / PATTERN_BLOCK;
		size_t in = pos % PATTERN_BLOCK;
		size_t k = PATTERN_BLOCK - in;

		if (k > n)
			k = n;
		pattern_block(p, i, blk);
		memcpy(out, blk + in, k);
		out += k;
		pos += k;
		n -= k;
	}
}

/* Parse a seed or size argument (sizes take K/M/G); 0 if malformed. */
static inline int pattern_arg(const char *s, uint64_t *out)
{
	int ok;

	*out = parse_size(s, &ok);
	return ok;
}

#endif
