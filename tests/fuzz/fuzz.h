/*
 * tests/fuzz/fuzz.h - what the fuzz targets share.
 *
 * CHECK(cond) states a property every input must keep. When it does not
 * hold, it names the condition and its line on stderr, then traps: under
 * libFuzzer that is a crash whose input is saved, under make fuzz-replay
 * a failure naming the input file. (A bare trap is not enough: the
 * compiler merges a function's traps, so the report's line can be the
 * wrong one.)
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #c);			\
		__builtin_trap();					\
	}								\
} while (0)

/* libFuzzer's entry point, which each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
