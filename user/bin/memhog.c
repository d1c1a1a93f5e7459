/*
 * memhog [-v] [-s] SIZE [PASSES] - map SIZE bytes (K/M/G suffixes) of
 * anonymous memory, write a pattern in every page, read it all back and
 * verify.
 *
 * Each pass: mmap (no MAP_POPULATE: every first touch is a demand-zero
 * fault), write every 8-byte word of every page with a value derived from
 * the page's index, the word's index and a seed (new each pass and each
 * process, so a page that went to the wrong place or the wrong process is
 * caught), read everything back, munmap. One line a pass:
 *
 *   memhog: <MiB> MiB written at <rate> MiB/s, verified at <rate> MiB/s, <N> mismatches
 *
 * N counts words that differ. Exit 0 only if every pass had none; 1 on a
 * mismatch or a failed mmap; 2 on bad arguments (with the usage line).
 *
 * With -v, a second line a pass says how much swap was in use (sysinfo(2):
 * totalswap - freeswap, times mem_unit) after the mmap, after the write
 * pass and after the verify pass (before the munmap), and how long each
 * pass took, for tools/bench-swap's figures:
 *
 *   memhog: swap in use: <K> KiB before, <K> KiB after the write pass, <K> KiB after the verify pass, write pass <T> ms, verify pass <T> ms
 *
 * (or "memhog: swap in use: unknown (sysinfo: <error>)" if the call fails).
 *
 * With -s the memory is shared (MAP_SHARED|MAP_ANONYMOUS) and, after the
 * write pass, a child (fork) reads it all back and writes a second
 * pattern over it before it exits; the parent's verify pass then checks
 * the child's pattern, so each page must reach both processes (through
 * swap, when it outgrows RAM). Its own line a pass, before the pass line
 * (whose mismatches then include the child's):
 *
 *   memhog: shared: child verified and rewrote <MiB> MiB, <N> mismatches
 */
#include "libc.h"

#define PAGE_SIZE	4096UL
#define WORDS		(PAGE_SIZE / sizeof(uint64_t))

/* The value of word w of page p: a mix of both and the seed, so no two
 * pages and no two words hold the same value. */
static inline uint64_t pattern(uint64_t seed, uint64_t p, uint64_t w)
{
	uint64_t z = seed ^ (p * 0x9e3779b97f4a7c15ULL) ^ (w << 48);

	z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
	return z ^ (z >> 29);
}

/* MiB per second for bytes in ns nanoseconds. */
static uint64_t rate(uint64_t bytes, uint64_t ns)
{
	if (ns == 0)
		ns = 1;
	return (uint64_t)((unsigned __int128)bytes * 1000000000u / ns >> 20);
}

static void usage(void)
{
	dprintf(2, "usage: memhog [-v] [-s] SIZE[K|M|G] [PASSES]\n");
	exit(2);
}

static int sysinfo_err;	/* errno of the last failed sysinfo(2) */

/* Bytes of swap in use, as sysinfo(2) reports it; -1 if the call fails. */
static int64_t swap_in_use(void)
{
	struct sysinfo si;

	if (sysinfo(&si) < 0) {
		sysinfo_err = errno;
		return -1;
	}
	return (int64_t)((si.totalswap - si.freeswap) * (uint64_t)si.mem_unit);
}

/*
 * -s: a child checks the parent's pattern (seed) in the shared memory and
 * writes its own (~seed) over it. Returns the mismatches it found (or 1
 * if it could not run, or died: the memory then holds no known pattern).
 */
static uint64_t child_rewrites(uint64_t *mem, uint64_t pages, uint64_t seed,
			       uint64_t size)
{
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		printf("memhog: shared: fork failed: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		uint64_t bad = 0, p, w;

		for (p = 0; p < pages; p++)
			for (w = 0; w < WORDS; w++) {
				if (mem[p * WORDS + w] != pattern(seed, p, w))
					bad++;
				mem[p * WORDS + w] = pattern(~seed, p, w);
			}
		printf("memhog: shared: child verified and rewrote %llu MiB, %llu mismatches\n",
		       (unsigned long long)(size >> 20),
		       (unsigned long long)bad);
		/* The count in the exit status: 255 means "255 or more". */
		_exit(bad > 255 ? 255 : (int)bad);
	}
	if (waitpid(pid, &status, 0) != pid) {
		printf("memhog: shared: waitpid failed: %s\n", strerror(errno));
		return 1;
	}
	if (!WIFEXITED(status)) {
		printf("memhog: shared: the child %s\n", status_str(status));
		return 1;
	}
	return (uint64_t)WEXITSTATUS(status);
}

int main(int argc, char **argv, char **envp)
{
	uint64_t size, pages, bad_total = 0, p, w, t0, t1, tv, t2;
	unsigned long passes = 1, pass;
	int ok, verbose = 0, shared = 0;

	while (argc >= 2 && argv[1][0] == '-' && argv[1][1] &&
	       !argv[1][2]) {
		if (argv[1][1] == 'v')
			verbose = 1;
		else if (argv[1][1] == 's')
			shared = 1;
		else
			usage();
		argv++;
		argc--;
	}
	if (argc < 2 || argc > 3)
		usage();
	size = parse_size(argv[1], &ok);
	if (!ok || size == 0)
		usage();
	if (argc == 3) {
		char *end;

		passes = strtoul(argv[2], &end, 10);
		if (*end || passes == 0 || argv[2][0] == '-')
			usage();
	}
	pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	size = pages * PAGE_SIZE;

	for (pass = 0; pass < passes; pass++) {
		uint64_t seed = now_ns() ^ ((uint64_t)getpid() << 32) ^ pass;
		uint64_t bad = 0;
		int64_t sw0 = 0, sw1 = 0, sw2 = 0;
		uint64_t *mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
				     (shared ? MAP_SHARED : MAP_PRIVATE) |
				     MAP_ANONYMOUS, -1, 0);

		if (mem == MAP_FAILED) {
			printf("memhog: mmap of %llu bytes failed: %s\n",
			       (unsigned long long)size, strerror(errno));
			return 1;
		}
		if (verbose)
			sw0 = swap_in_use();
		t0 = now_ns();
		for (p = 0; p < pages; p++)
			for (w = 0; w < WORDS; w++)
				mem[p * WORDS + w] = pattern(seed, p, w);
		t1 = now_ns();
		if (verbose) {
			sw1 = swap_in_use();
			tv = now_ns();	/* the verify pass's time leaves it out */
		} else {
			tv = t1;
		}
		if (shared) {
			bad += child_rewrites(mem, pages, seed, size);
			seed = ~seed;	/* the child's pattern */
			if (!verbose)
				tv = now_ns();
		}
		for (p = 0; p < pages; p++)
			for (w = 0; w < WORDS; w++)
				if (mem[p * WORDS + w] != pattern(seed, p, w))
					bad++;
		t2 = now_ns();
		if (verbose)
			sw2 = swap_in_use();
		munmap(mem, size);
		printf("memhog: %llu MiB written at %llu MiB/s, verified at %llu MiB/s, %llu mismatches\n",
		       (unsigned long long)(size >> 20),
		       (unsigned long long)rate(size, t1 - t0),
		       (unsigned long long)rate(size, t2 - tv),
		       (unsigned long long)bad);
		if (verbose && (sw0 < 0 || sw1 < 0 || sw2 < 0))
			printf("memhog: swap in use: unknown (sysinfo: %s)\n",
			       strerror(sysinfo_err));
		else if (verbose)
			printf("memhog: swap in use: %llu KiB before, %llu KiB after the write pass, %llu KiB after the verify pass, write pass %llu ms, verify pass %llu ms\n",
			       (unsigned long long)sw0 >> 10,
			       (unsigned long long)sw1 >> 10,
			       (unsigned long long)sw2 >> 10,
			       (unsigned long long)(t1 - t0) / 1000000,
			       (unsigned long long)(t2 - tv) / 1000000);
		bad_total += bad;
	}
	return bad_total ? 1 : 0;
}
