/*
 * faulttest CASE - make one forbidden memory access; the kernel must kill
 * the process with the signal Linux sends (SIGSEGV, or SIGILL for
 * bad-insn) and carry on. `faulttest all` runs every case in a child and
 * prints, per case,
 *
 *   faulttest: CASE killed by SIGNAME
 *
 * (or `faulttest: CASE exited N, expected SIGNAME`), then
 *
 *   faulttest: <N> cases, all killed by the expected signal
 *   faulttest: <N> cases, <M> not killed by the expected signal
 *
 * and exits 0 only if every case died of its expected signal. A single
 * case that survives its access prints so and exits 1; an unknown case
 * prints the usage line and exits 2.
 */
#include "libc.h"

#define PAGE_SIZE	4096UL

/* Addresses read through volatile globals, so the compiler cannot see a
 * null or wild dereference and replace it with a trap of its own. */
static volatile uintptr_t null_addr = 0;
static volatile uintptr_t kernel_data = UARCH_KERNEL_DATA;
static volatile uintptr_t kernel_text = UARCH_KERNEL_TEXT;
static volatile int sink;
static volatile int recurse_on = 1;
static const unsigned char ret_insn[] = UARCH_RET_INSN;

static void *map(int prot)
{
	void *p = mmap(NULL, PAGE_SIZE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("faulttest: mmap: %s\n", strerror(errno));
		exit(1);
	}
	return p;
}

static void null_read(void)
{
	sink = *(volatile int *)null_addr;
}

static void null_write(void)
{
	*(volatile int *)null_addr = 1;
}

static void kernel_read(void)
{
	sink = *(volatile int *)kernel_data;
}

static void kernel_write(void)
{
	*(volatile int *)kernel_data = 1;
}

static void kernel_exec(void)
{
	((void (*)(void))kernel_text)();
}

static void ro_write(void)
{
	volatile int *p = map(PROT_READ);

	*p = 1;
}

static void text_write(void)
{
	*(volatile unsigned char *)(uintptr_t)&text_write = 0;
}

static void nx_exec(void)
{
	unsigned char *p = map(PROT_READ | PROT_WRITE);

	memcpy(p, ret_insn, sizeof(ret_insn));
	((void (*)(void))(uintptr_t)p)();
}

static void prot_none(void)
{
	volatile int *p = map(PROT_NONE);

	sink = *p;
}

static void mprotect_ro(void)
{
	volatile int *p = map(PROT_READ | PROT_WRITE);

	*p = 1;			/* allowed: the page is now present */
	if (mprotect((void *)p, PAGE_SIZE, PROT_READ) < 0) {
		printf("faulttest: mprotect: %s\n", strerror(errno));
		exit(1);
	}
	*p = 2;
}

/* 1 KiB a frame, forever: the stack grows to its limit, then SIGSEGV. */
static int recurse(int depth)
{
	volatile char frame[1024];

	frame[depth & 1023] = (char)depth;
	if (recurse_on)
		return recurse(depth + 1) + frame[(depth * 7) & 1023];
	return frame[0];
}

static void stack_overflow(void)
{
	sink = recurse(0);
}

void __illegal_insn(void);

static void bad_insn(void)
{
	__illegal_insn();
}

static const struct fault_case {
	const char *name;
	void (*fn)(void);
	int sig;
	const char *what;
} cases[] = {
	{ "null-read", null_read, SIGSEGV, "read of address 0" },
	{ "null-write", null_write, SIGSEGV, "write to address 0" },
	{ "kernel-read", kernel_read, SIGSEGV, "read of the kernel's direct map" },
	{ "kernel-write", kernel_write, SIGSEGV, "write to the kernel's direct map" },
	{ "kernel-exec", kernel_exec, SIGSEGV, "call into the kernel's text" },
	{ "ro-write", ro_write, SIGSEGV, "write to a PROT_READ mapping" },
	{ "text-write", text_write, SIGSEGV, "write to our own code" },
	{ "nx-exec", nx_exec, SIGSEGV, "execute from a PROT_READ|PROT_WRITE mapping" },
	{ "prot-none", prot_none, SIGSEGV, "read of a PROT_NONE mapping" },
	{ "mprotect-ro", mprotect_ro, SIGSEGV, "write after mprotect(PROT_READ)" },
	{ "stack-overflow", stack_overflow, SIGSEGV, "recursion past the stack limit" },
	{ "bad-insn", bad_insn, SIGILL, "an undefined instruction" },
};
#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void run_case(void *arg)
{
	((const struct fault_case *)arg)->fn();
}

static int all(void)
{
	unsigned i, wrong = 0;

	for (i = 0; i < NCASES; i++) {
		int status = run_in_child(run_case, (void *)&cases[i]);

		if (status < 0) {
			printf("faulttest: %s: fork or wait4 failed: %s\n",
			       cases[i].name, strerror(errno));
			wrong++;
		} else if (WIFSIGNALED(status) && WTERMSIG(status) == cases[i].sig) {
			printf("faulttest: %s killed by %s\n", cases[i].name,
			       signame(WTERMSIG(status)));
		} else {
			printf("faulttest: %s %s, expected %s\n", cases[i].name,
			       status_str(status), signame(cases[i].sig));
			wrong++;
		}
	}
	if (wrong) {
		printf("faulttest: %u cases, %u not killed by the expected signal\n",
		       (unsigned)NCASES, wrong);
		return 1;
	}
	printf("faulttest: %u cases, all killed by the expected signal\n",
	       (unsigned)NCASES);
	return 0;
}

static void usage(void)
{
	unsigned i;

	dprintf(2, "usage: faulttest all");
	for (i = 0; i < NCASES; i++)
		dprintf(2, "|%s", cases[i].name);
	dprintf(2, "\n");
	exit(2);
}

int main(int argc, char **argv, char **envp)
{
	unsigned i;

	if (argc != 2)
		usage();
	if (!strcmp(argv[1], "all"))
		return all();
	for (i = 0; i < NCASES; i++)
		if (!strcmp(argv[1], cases[i].name)) {
			printf("faulttest: %s: %s, expecting %s\n", cases[i].name,
			       cases[i].what, signame(cases[i].sig));
			cases[i].fn();
			printf("faulttest: %s was not stopped\n", cases[i].name);
			return 1;
		}
	usage();
	return 2;
}
