/*
 * kernel/lib/random.h - a small, fast, seedable pseudo-random generator
 * (xoshiro256** seeded through splitmix64) for randomised tests and
 * benchmarks. Not for anything that needs unpredictability.
 */
#ifndef KERNEL_LIB_RANDOM_H
#define KERNEL_LIB_RANDOM_H

#include "kernel/types.h"

struct prng {
	uint64_t s[4];
};

void prng_seed(struct prng *r, uint64_t seed);
uint64_t prng_next(struct prng *r);
/* Uniform in [0, bound), bound > 0, without modulo bias. */
uint64_t prng_below(struct prng *r, uint64_t bound);

#endif
