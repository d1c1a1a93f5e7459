/*
 * forktest [DEPTH [WIDTH]] - a tree of forks checking that every copy of
 * memory is private (copy-on-write), and that every exit status arrives.
 *
 * The root (node 0) fills three buffers - one in .bss, one from mmap, one
 * on its stack - with its own pattern. Every process with depth < DEPTH
 * forks WIDTH children (node n's children are n*WIDTH+1 .. n*WIDTH+WIDTH).
 * A child first checks it inherited its parent's pattern (so no sibling's
 * write leaked into the parent's pages), writes its own, makes its
 * children, lets the others run, checks its own pattern is still there
 * (no sibling's or child's write leaked into its pages), collects each
 * child's status with wait4 and exits 0 only if all of that held. The
 * root does the same and prints one line:
 *
 *   forktest: <N> processes, every copy private, all exited 0
 *
 * or, on a failure, a line for each problem and
 *   forktest: <N> processes, <M> problems
 * Exit 0 only if all is well; 2 on bad arguments. Defaults: DEPTH 3,
 * WIDTH 2 (15 processes).
 */
#include "libc.h"

#define BSS_WORDS	(4 * 512)	/* 4 pages */
#define HEAP_WORDS	(16 * 512)	/* 16 pages */
#define STACK_WORDS	512		/* 1 page */
#define MAX_PROCESSES	1000

static uint64_t bss_buf[BSS_WORDS];
static uint64_t *heap_buf;
static unsigned depth_max = 3, width = 2;

static uint64_t pattern(unsigned node, unsigned long w)
{
	uint64_t z = ((uint64_t)node << 32 | w) * 0x9e3779b97f4a7c15ULL;

	return z ^ (z >> 29);
}

static void fill(uint64_t *buf, unsigned long n, unsigned node)
{
	unsigned long w;

	for (w = 0; w < n; w++)
		buf[w] = pattern(node, w);
}

/* 0 if buf holds node's pattern; else prints where it does not and 1. */
static int check(const char *what, const char *region, uint64_t *buf,
		 unsigned long n, unsigned me, unsigned node)
{
	unsigned long w;

	for (w = 0; w < n; w++)
		if (buf[w] != pattern(node, w)) {
			printf("forktest: node %u (pid %d): %s: %s word %lu is %llx, expected node %u's %llx\n",
			       me, getpid(), what, region, w,
			       (unsigned long long)buf[w], node,
			       (unsigned long long)pattern(node, w));
			return 1;
		}
	return 0;
}

static int check_all(const char *what, uint64_t *stack_buf, unsigned me,
		     unsigned node)
{
	return check(what, ".bss", bss_buf, BSS_WORDS, me, node) +
	       check(what, "mmap", heap_buf, HEAP_WORDS, me, node) +
	       check(what, "stack", stack_buf, STACK_WORDS, me, node);
}

/*
 * Node `me` at `depth`, its buffers already holding its pattern: make its
 * subtree, check, collect. Returns the number of problems seen here and
 * reported by the children (a child's exit status, capped at 255).
 */
static int run_node(unsigned me, unsigned depth, uint64_t *stack_buf)
{
	pid_t pids[64];
	unsigned k, n = 0;
	int problems = 0, i;

	if (depth < depth_max) {
		for (k = 0; k < width; k++) {
			unsigned child = me * width + k + 1;
			pid_t pid = fork();

			if (pid < 0) {
				printf("forktest: node %u: fork: %s\n", me, strerror(errno));
				problems++;
				break;
			}
			if (pid == 0) {
				uint64_t own_stack[STACK_WORDS];
				int r;

				/* What this child inherited is its parent's
				 * pattern: the stack buffer is the parent's
				 * frame, copied with the rest. */
				r = check_all("inherited copy", stack_buf, child, me);
				fill(bss_buf, BSS_WORDS, child);
				fill(heap_buf, HEAP_WORDS, child);
				fill(own_stack, STACK_WORDS, child);
				r += run_node(child, depth + 1, own_stack);
				exit(r > 255 ? 255 : r);
			}
			pids[n++] = pid;
		}
	}
	/* Let the children write their copies before checking ours. */
	for (i = 0; i < 8; i++)
		sched_yield();
	problems += check_all("own copy", stack_buf, me, me);
	for (k = 0; k < n; k++) {
		int status;

		if (waitpid(pids[k], &status, 0) != pids[k]) {
			printf("forktest: node %u: wait4(%d): %s\n", me, pids[k], strerror(errno));
			problems++;
		} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("forktest: node %u: child pid %d %s\n", me, pids[k], status_str(status));
			problems += WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		}
	}
	/* Our copy must still be ours after every child wrote and exited. */
	problems += check_all("own copy after the children", stack_buf, me, me);
	return problems;
}

static void usage(void)
{
	dprintf(2, "usage: forktest [DEPTH [WIDTH]]  (at most %d processes, WIDTH <= 64)\n",
		MAX_PROCESSES);
	exit(2);
}

static unsigned arg(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end || s[0] == '-' || !*s || v > 64)
		usage();
	return (unsigned)v;
}

int main(int argc, char **argv, char **envp)
{
	uint64_t stack_buf[STACK_WORDS];
	unsigned long total = 1, level = 1;
	unsigned d;
	int problems;

	if (argc > 3)
		usage();
	if (argc > 1)
		depth_max = arg(argv[1]);
	if (argc > 2)
		width = arg(argv[2]);
	if (width == 0)
		usage();
	for (d = 0; d < depth_max; d++) {
		level *= width;
		total += level;
		if (total > MAX_PROCESSES)
			usage();
	}
	heap_buf = mmap(NULL, HEAP_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (heap_buf == MAP_FAILED) {
		printf("forktest: mmap: %s\n", strerror(errno));
		return 1;
	}
	fill(bss_buf, BSS_WORDS, 0);
	fill(heap_buf, HEAP_WORDS, 0);
	fill(stack_buf, STACK_WORDS, 0);
	problems = run_node(0, 0, stack_buf);
	if (problems) {
		printf("forktest: %lu processes, %d problems\n", total, problems);
		return 1;
	}
	printf("forktest: %lu processes, every copy private, all exited 0\n", total);
	return 0;
}
