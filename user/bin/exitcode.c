/*
 * exitcode N - exit with status N (0..255) at once: for tests of wait4,
 * the console's `run` and the exit path. Bad arguments: usage, exit 2...
 * which a test cannot tell from `exitcode 2`, so tests use other values.
 */
#include "libc.h"

int main(int argc, char **argv, char **envp)
{
	char *end;
	unsigned long n;

	if (argc != 2)
		goto usage;
	n = strtoul(argv[1], &end, 10);
	if (!*argv[1] || *end || n > 255)
		goto usage;
	return (int)n;
usage:
	dprintf(2, "usage: exitcode N  (0..255)\n");
	return 2;
}
