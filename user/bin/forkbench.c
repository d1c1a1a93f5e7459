/*
 * forkbench [SIZE [ROUNDS]] - the cost of fork + exit + wait for a process
 * that has SIZE (K/M/G suffixes; default 64M) of anonymous memory in use.
 *
 * Maps SIZE anonymous and writes one byte in every page first, so every
 * page is present and the fork has SIZE of private memory to share
 * copy-on-write (page-table copy, reference counts, write protection of
 * the parent's entries). Then ROUNDS times (default 100): fork(); the
 * child _exit(0)s at once, touching nothing; the parent wait4s for it.
 * Timed with CLOCK_MONOTONIC around all the rounds; one line:
 *
 *   forkbench: <SIZE MiB> MiB, <ROUNDS> rounds, fork+exit+wait <us> us per round
 *
 * The parent's next write to each page after the first round takes a COW
 * fault only if the page is still shared; forkbench does not write again,
 * so only fork, the child's exit (teardown) and wait4 are measured.
 * Exit 0; 1 if mmap, fork or wait4 failed or a child did not exit 0;
 * 2 on bad arguments (with the usage line). Runs on Linux unchanged.
 */
#include "libc.h"

#define PAGE_SIZE	4096UL

static void usage(void)
{
	dprintf(2, "usage: forkbench [SIZE[K|M|G] [ROUNDS]]\n");
	exit(2);
}

int main(int argc, char **argv, char **envp)
{
	uint64_t size = 64ULL << 20, pages, p, t0, t1, per_round_ns;
	unsigned long rounds = 100, r;
	volatile char *mem;
	int ok;

	if (argc > 3)
		usage();
	if (argc >= 2) {
		size = parse_size(argv[1], &ok);
		if (!ok || size == 0)
			usage();
	}
	if (argc == 3) {
		char *end;

		rounds = strtoul(argv[2], &end, 10);
		if (*end || rounds == 0 || argv[2][0] == '-')
			usage();
	}
	pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	size = pages * PAGE_SIZE;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		printf("forkbench: mmap of %llu bytes failed: %s\n",
		       (unsigned long long)size, strerror(errno));
		return 1;
	}
	for (p = 0; p < pages; p++)
		mem[p * PAGE_SIZE] = (char)p;

	t0 = now_ns();
	for (r = 0; r < rounds; r++) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			printf("forkbench: fork failed in round %lu: %s\n",
			       r, strerror(errno));
			return 1;
		}
		if (wait4(pid, &status, 0, NULL) != pid) {
			printf("forkbench: wait4(%d) failed: %s\n", pid,
			       strerror(errno));
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("forkbench: child %d %s\n", pid,
			       status_str(status));
			return 1;
		}
	}
	t1 = now_ns();
	per_round_ns = (t1 - t0) / rounds;
	printf("forkbench: %llu MiB, %lu rounds, fork+exit+wait %llu us per round\n",
	       (unsigned long long)(size >> 20), rounds,
	       (unsigned long long)((per_round_ns + 500) / 1000));
	return 0;
}
