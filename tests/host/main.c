/*
 * tests/host/main.c - the host test runner: runs the KUnit suites linked
 * into this binary (portable suites from tests/suites and host-only ones
 * from tests/host) and prints KTAP.
 *
 *   build/host/unit [GLOB] [--seed N] [--expect KEY:VALUE,...] [--list]
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/string.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *glob = "*";

	host_console_init();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			uint64_t seed;

			if (!parse_u64(argv[++i], &seed, false)) {
				fprintf(stderr, "unit: bad seed '%s'\n", argv[i]);
				return 2;
			}
			kunit_set_seed(seed);
		} else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc) {
			if (kunit_set_expectations(argv[++i]) != 0)
				return 2;
		} else if (strcmp(argv[i], "--list") == 0) {
			kunit_list();
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: %s [GLOB] [--seed N] [--expect KEY:VALUE,...] [--list]\n", argv[0]);
			return 2;
		} else {
			glob = argv[i];
		}
	}
	return kunit_run_all(glob, NULL) ? 0 : 1;
}
