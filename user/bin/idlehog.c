/*
 * idlehog PAGES SECONDS - a known working set for `idle PID` and its test
 * (docs/mm/page_idle.md): map PAGES pages of anonymous memory at
 * IDLEHOG_ADDR (0x10000000), write every one, sleep one second, then for
 * SECONDS seconds keep writing the even-numbered pages only and exit 0.
 * Measured over that time, `idle` must find exactly the odd pages idle.
 * Bad arguments: usage, exit 2; no memory: exit 1.
 */
#include "libc.h"

#define PAGE_SIZE	4096UL
#define IDLEHOG_ADDR	0x10000000UL

int main(int argc, char **argv, char **envp)
{
	unsigned long pages, seconds;
	volatile uint64_t *p;
	uint64_t until;
	char *end;

	if (argc != 3)
		goto usage;
	pages = strtoul(argv[1], &end, 10);
	if (!*argv[1] || *end || !pages || pages > (1UL << 20))
		goto usage;
	seconds = strtoul(argv[2], &end, 10);
	if (!*argv[2] || *end || seconds > 3600)
		goto usage;
	p = mmap((void *)IDLEHOG_ADDR, pages * PAGE_SIZE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if ((long)p < 0) {
		dprintf(2, "idlehog: mmap of %lu pages failed\n", pages);
		return 1;
	}
	for (unsigned long i = 0; i < pages; i++)
		p[i * (PAGE_SIZE / 8)] = i;
	printf("idlehog: %lu pages at %#lx, touching the even ones for %lu s\n",
	       pages, IDLEHOG_ADDR, seconds);
	sleep_ms(1000);
	until = now_ns() + seconds * 1000000000ULL;
	while (now_ns() < until) {
		for (unsigned long i = 0; i < pages; i += 2)
			p[i * (PAGE_SIZE / 8)]++;
		sleep_ms(20);
	}
	return 0;
usage:
	dprintf(2, "usage: idlehog PAGES SECONDS\n");
	return 2;
}
