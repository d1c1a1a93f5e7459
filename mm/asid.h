/*
 * mm/asid.h - address-space identifiers (arm64 ASIDs, x86_64 PCIDs): a
 * small number the TLB tags each user translation with, so switching
 * address spaces need not flush the TLB.
 *
 * There are fewer numbers (255 with 8-bit ASIDs, 4095 PCIDs) than address
 * spaces may exist, so numbers are handed out in generations, as Linux's
 * arm64 allocator (arch/arm64/mm/context.c) does:
 *   - an address space's id is generation | number; it is valid while its
 *     generation is the allocator's;
 *   - a number is never given out twice in one generation, and a freed
 *     address space's number is not reused in it either: stale TLB entries
 *     tagged with it may sit in any CPU's TLB, and nothing is cheaper
 *     than never matching them;
 *   - when the numbers run out (a rollover), the generation goes up, the
 *     map is cleared but for the number each CPU is running (it keeps it,
 *     so a CPU never needs an interrupt), and every CPU must flush its
 *     whole TLB before it next switches to a user address space.
 * So the TLB is flushed once per 255 (or 4095) new address spaces, on each
 * CPU at its own next switch, and never on an ordinary switch.
 *
 * Why this rather than Linux x86's per-CPU PCID slots (6 recently used
 * address spaces per CPU, no global state): one algorithm for both
 * architectures, portable and tested on the host; a global lock on the
 * (rare) allocation path is fine at this kernel's 8 CPUs.
 *
 * Number 0 is never handed out: it is the kernel-only context (x86_64
 * PCID 0 with the kernel's table; arm64 ASID 0 with an empty TTBR0).
 * Instances are independent (a test builds its own with 2 bits).
 *
 * `asid=off` on the command line (for measuring what ASIDs buy) sets
 * asid_disabled, and the arch then makes its allocator single-numbered
 * (a->single = true after asid_allocator_init): every address space gets
 * number 1, and a CPU flushes its whole TLB whenever it switches to an
 * address space other than the last one it ran (a switch to a kernel
 * thread and back costs nothing), which is how a CPU without ASIDs/PCIDs
 * behaves.
 */
#ifndef MM_ASID_H
#define MM_ASID_H

#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"

#define ASID_MAX_BITS	12

struct asid_allocator {
	spinlock_t lock;
	unsigned int bits;		/* numbers are 1 .. 2^bits - 1 */
	uint64_t generation;		/* a multiple of 2^bits, never 0 */
	unsigned int next;		/* where the search for a free one starts */
	unsigned long map[(1UL << ASID_MAX_BITS) / (8 * sizeof(unsigned long))];
	uint64_t active[NR_CPUS];	/* the id each CPU runs (0: none yet) */
	uint64_t reserved[NR_CPUS];	/* what it ran at the last rollover */
	unsigned long flush_pending;	/* CPUs to flush before their next
					 * user switch (bit n = CPU n) */
	unsigned long nr_rollovers, nr_allocated;
	bool single;			/* asid=off: number 1 for all; ids are
					 * serial numbers that never repeat */
};

/* Set by `asid=off`: the arch makes its allocator single-numbered. */
extern bool asid_disabled;

/* An allocator of 2^bits - 1 numbers (1 <= bits <= ASID_MAX_BITS). */
void asid_allocator_init(struct asid_allocator *a, unsigned int bits,
			 const char *name);

/*
 * CPU `cpu` switches to the address space whose id is *id (0 for one that
 * never ran): gives it a number of the current generation if it has none
 * (updating *id), records it as what the CPU runs, and returns the number
 * for the hardware. *flush is set when the CPU must flush its whole TLB,
 * every ASID/PCID, before using the number (a rollover happened since its
 * last switch). Interrupts off; callers on different CPUs may overlap.
 */
unsigned int asid_switch(struct asid_allocator *a, uint64_t *id,
			 unsigned int cpu, bool *flush);

/* The hardware number in an id. */
static inline unsigned int asid_number(const struct asid_allocator *a,
				       uint64_t id)
{
	return a->single ? 1 : id & ((1UL << a->bits) - 1);
}

#endif
