/*
 * tests/suites/random_cuts.h - where to cut a request's bytes [0, len)
 * into 1 to 4 pieces: random offsets, multiples of align, sorted; pieces
 * may be empty (two equal cuts). For the tests that feed a driver
 * scattered buffers (tests/kernel/mmc_test.c, tests/host/mmc_card_test.c).
 */
#ifndef TESTS_SUITES_RANDOM_CUTS_H
#define TESTS_SUITES_RANDOM_CUTS_H

#include "kernel/lib/random.h"

#define RANDOM_CUTS_MAX	4

/* Fills cuts[0..n] (cuts[0] = 0, cuts[n] = len); returns n, the pieces. */
static inline unsigned int random_cuts(struct prng *rng, unsigned int len,
				       unsigned int align,
				       unsigned int cuts[RANDOM_CUTS_MAX + 1])
{
	unsigned int n = 1 + (unsigned int)prng_below(rng, RANDOM_CUTS_MAX);

	cuts[0] = 0;
	for (unsigned int i = 1; i < n; i++)
		cuts[i] = (unsigned int)prng_below(rng, len / align + 1) * align;
	cuts[n] = len;
	for (unsigned int i = 1; i < n; i++)		/* n <= 4: simple */
		for (unsigned int j = i + 1; j < n; j++)
			if (cuts[j] < cuts[i]) {
				unsigned int t = cuts[i];

				cuts[i] = cuts[j];
				cuts[j] = t;
			}
	return n;
}

#endif
