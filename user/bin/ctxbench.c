/*
 * ctxbench [ROUNDS] - the cost of a switch between two processes.
 *
 * A parent and its child ping-pong one byte over two pipes ROUNDS times
 * (default 20000): the parent writes to the first pipe and blocks reading
 * the second; the child reads the first and answers on the second. Each
 * round trip is two switches (parent -> child -> parent), each with a
 * pipe write, a wake-up and a blocking read, and, between processes, an
 * address-space switch (which is what PCID/ASID make cheaper). With more
 * than one CPU the two may run on different CPUs: then a "switch" is a
 * cross-CPU wake-up from idle; compare figures on the same -smp only.
 * Timed with CLOCK_MONOTONIC; one line:
 *
 *   ctxbench: <ROUNDS> round trips, <ns> ns per switch (2 switches a round trip)
 *
 * then the same calls without a switch, for comparison: the parent alone
 * writes one byte to a pipe and reads it back, ROUNDS times:
 *
 *   ctxbench: no switch: <ns> ns per write+read in one process
 *
 * The difference between the two figures is what the switch itself
 * (scheduler, address space, wake-up) costs.
 *
 * Exit 0; 1 if pipe2, fork, a read or a write failed or the child did not
 * exit 0; 2 on bad arguments (with the usage line). Runs on Linux unchanged.
 */
#include "libc.h"

static void usage(void)
{
	dprintf(2, "usage: ctxbench [ROUNDS]\n");
	exit(2);
}

/* The child: answer every byte on `in` with the same byte on `out`, until
 * `rounds` bytes went back. */
static void echo_loop(int in, int out, unsigned long rounds)
{
	unsigned long r;
	char c;

	for (r = 0; r < rounds; r++) {
		if (read(in, &c, 1) != 1 || write(out, &c, 1) != 1) {
			printf("ctxbench: child: round %lu: %s\n", r,
			       strerror(errno));
			_exit(1);
		}
	}
	_exit(0);
}

int main(int argc, char **argv, char **envp)
{
	unsigned long rounds = 20000, r;
	int ping[2], pong[2], solo[2], status;
	uint64_t t0, t1;
	pid_t pid;
	char c = 'x';

	if (argc > 2)
		usage();
	if (argc == 2) {
		char *end;

		rounds = strtoul(argv[1], &end, 10);
		if (*end || rounds == 0 || argv[1][0] == '-')
			usage();
	}
	if (pipe2(ping, 0) < 0 || pipe2(pong, 0) < 0) {
		printf("ctxbench: pipe2 failed: %s\n", strerror(errno));
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		printf("ctxbench: fork failed: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		echo_loop(ping[0], pong[1], rounds);
	}
	close(ping[0]);
	close(pong[1]);

	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1) {
			printf("ctxbench: round %lu: %s\n", r, strerror(errno));
			return 1;
		}
	}
	t1 = now_ns();

	if (wait4(pid, &status, 0, NULL) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("ctxbench: child %d did not exit 0\n", pid);
		return 1;
	}
	printf("ctxbench: %lu round trips, %llu ns per switch (2 switches a round trip)\n",
	       rounds, (unsigned long long)((t1 - t0) / (2 * rounds)));

	/* The baseline: the same two calls on one pipe, no other process. */
	if (pipe2(solo, 0) < 0) {
		printf("ctxbench: pipe2 failed: %s\n", strerror(errno));
		return 1;
	}
	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		if (write(solo[1], &c, 1) != 1 || read(solo[0], &c, 1) != 1) {
			printf("ctxbench: no switch: round %lu: %s\n", r,
			       strerror(errno));
			return 1;
		}
	}
	t1 = now_ns();
	printf("ctxbench: no switch: %llu ns per write+read in one process\n",
	       (unsigned long long)((t1 - t0) / rounds));
	return 0;
}
