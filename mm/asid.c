/*
 * mm/asid.c - the generation-rollover ASID/PCID allocator (mm/asid.h says
 * why and how). Everything happens under one lock: allocations are rare
 * (a new address space, or an old one after a rollover), and a switch
 * between address spaces of the current generation costs one lock round.
 */
#include "mm/asid.h"
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/panic.h"

bool asid_disabled;

static int set_asid(const char *val)
{
	if (!val)
		return -1;	/* a bare "asid": reported as malformed */
	if (!strcmp(val, "off"))
		asid_disabled = true;
	else if (!strcmp(val, "on"))
		asid_disabled = false;
	else
		return -1;
	return 0;
}
KERNEL_PARAM("asid", set_asid,
	     "on|off: tag TLB entries with ASIDs/PCIDs (default on); off flushes on every address-space switch");

#define LONG_BITS	(8 * sizeof(unsigned long))

static bool asid_test_and_set(struct asid_allocator *a, unsigned int n)
{
	unsigned long bit = 1UL << (n % LONG_BITS);
	bool was = a->map[n / LONG_BITS] & bit;

	a->map[n / LONG_BITS] |= bit;
	return was;
}

void asid_allocator_init(struct asid_allocator *a, unsigned int bits,
			 const char *name)
{
	BUG_ON(bits < 1 || bits > ASID_MAX_BITS);
	memset(a, 0, sizeof(*a));
	spin_lock_init(&a->lock, name);
	a->bits = bits;
	a->generation = 1UL << bits;
	a->next = 1;
	asid_test_and_set(a, 0);		/* the kernel's */
}

/*
 * A new generation: only the numbers CPUs run right now stay taken (a
 * CPU that has not switched since the last rollover still runs the one
 * kept then), and every CPU flushes before its next switch.
 */
static void asid_rollover(struct asid_allocator *a)
{
	a->generation += 1UL << a->bits;
	memset(a->map, 0, sizeof(a->map));
	asid_test_and_set(a, 0);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		uint64_t id = a->active[cpu];

		if (!id)
			id = a->reserved[cpu];
		a->active[cpu] = 0;
		a->reserved[cpu] = id;
		if (id)
			asid_test_and_set(a, asid_number(a, id));
	}
	a->flush_pending = ~0UL;
	a->next = 1;
	a->nr_rollovers++;
}

/* Was `id` running on some CPU at the last rollover? Then it keeps its
 * number in the new generation (every such copy is updated). */
static bool asid_keep_reserved(struct asid_allocator *a, uint64_t id,
			       uint64_t new_id)
{
	bool hit = false;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (id && a->reserved[cpu] == id) {
			a->reserved[cpu] = new_id;
			hit = true;
		}
	return hit;
}

static uint64_t asid_new(struct asid_allocator *a, uint64_t id)
{
	unsigned int count = 1U << a->bits, n;

	if (id) {
		uint64_t again = a->generation | asid_number(a, id);

		if (asid_keep_reserved(a, id, again))
			return again;
		/* Its old number, if still free, saves a search. */
		if (!asid_test_and_set(a, asid_number(a, id)))
			return again;
	}
	for (unsigned int tries = 0; tries < 2; tries++) {
		for (n = a->next; n < count; n++)
			if (!asid_test_and_set(a, n))
				goto found;
		asid_rollover(a);
	}
	panic("asid: every number is running on some CPU");
found:
	a->next = n + 1;
	a->nr_allocated++;
	return a->generation | n;
}

unsigned int asid_switch(struct asid_allocator *a, uint64_t *id,
			 unsigned int cpu, bool *flush)
{
	unsigned long flags;
	uint64_t mine;

	spin_lock_irqsave(&a->lock, flags);
	if (a->single) {
		/* One number: flush unless this CPU ran this address space
		 * last. Serial ids never repeat, so a new address space at a
		 * freed one's memory still counts as another. */
		if (!*id)
			*id = ++a->nr_allocated;
		*flush = a->active[cpu] != *id;
		a->active[cpu] = *id;
		spin_unlock_irqrestore(&a->lock, flags);
		return 1;
	}
	mine = *id;
	if (!mine || (mine & ~((1UL << a->bits) - 1)) != a->generation) {
		mine = asid_new(a, mine);
		*id = mine;
	}
	*flush = a->flush_pending & (1UL << cpu);
	a->flush_pending &= ~(1UL << cpu);
	a->active[cpu] = mine;
	spin_unlock_irqrestore(&a->lock, flags);
	return asid_number(a, mine);
}
