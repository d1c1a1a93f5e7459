/*
 * sleeper MS - sleep MS milliseconds (nanosleep), then print
 * `sleeper: slept MS ms` and exit 0: for tests of background programs,
 * `wait`, `ps` and `kill`. Bad arguments: usage, exit 2.
 */
#include "libc.h"

int main(int argc, char **argv, char **envp)
{
	char *end;
	unsigned long ms;

	if (argc != 2)
		goto usage;
	ms = strtoul(argv[1], &end, 10);
	if (!*argv[1] || *end || argv[1][0] == '-')
		goto usage;
	sleep_ms(ms);
	printf("sleeper: slept %lu ms\n", ms);
	return 0;
usage:
	dprintf(2, "usage: sleeper MS\n");
	return 2;
}
