/*
 * mm/memblock.c - the boot-time physical range allocator (contract in
 * mm/memblock.h).
 *
 * Each list is a sorted array of [base, base + size) regions. Every change
 * is planned before it is made: we first count how many slots the result
 * needs, refuse (with a message) if that is more than the array holds, and
 * only then touch the array, in an order whose intermediate states never
 * need more slots than the start or the end. So a full array never loses
 * what it already recorded.
 */
#include "mm/memblock.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/cmdline.h"
#include <arch/page.h>

static struct memblock_region memblock_memory_init[INIT_MEMBLOCK_REGIONS];
static struct memblock_region memblock_reserved_init[INIT_MEMBLOCK_REGIONS];

struct memblock memblock = {
	.current_limit = MEMBLOCK_ALLOC_ANYWHERE,
	.memory = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = memblock_memory_init,
		.name = "memory",
	},
	.reserved = {
		.max = INIT_MEMBLOCK_REGIONS,
		.regions = memblock_reserved_init,
		.name = "reserved",
	},
};

typedef unsigned long long ull;	/* for printing phys_addr_t with %llx */

void memblock_init(struct memblock *mb,
		   struct memblock_region *mem, unsigned long nr_mem,
		   struct memblock_region *rsv, unsigned long nr_rsv)
{
	memset(mb, 0, sizeof(*mb));
	mb->current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	mb->memory.regions = mem;
	mb->memory.max = nr_mem;
	mb->memory.name = "memory";
	mb->reserved.regions = rsv;
	mb->reserved.max = nr_rsv;
	mb->reserved.name = "reserved";
}

/* ---------------------------------------------------------------- arrays */

static phys_addr_t reg_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

/* Index of the first region that ends after addr (cnt if none). */
static unsigned long type_search(const struct memblock_type *t,
				 phys_addr_t addr)
{
	unsigned long lo = 0, hi = t->cnt;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (reg_end(&t->regions[mid]) > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The caller has checked there is room. */
static void type_insert(struct memblock_type *t, unsigned long i,
			phys_addr_t base, phys_addr_t end,
			enum memblock_flags flags)
{
	struct memblock_region *r = t->regions;

	memmove(&r[i + 1], &r[i], (t->cnt - i) * sizeof(*r));
	r[i].base = base;
	r[i].size = end - base;
	r[i].flags = flags;
	t->cnt++;
}

static void type_delete(struct memblock_type *t, unsigned long i)
{
	struct memblock_region *r = t->regions;

	memmove(&r[i], &r[i + 1], (t->cnt - i - 1) * sizeof(*r));
	t->cnt--;
}

static void type_recount(struct memblock_type *t)
{
	phys_addr_t sum = 0;

	for (unsigned long i = 0; i < t->cnt; i++)
		sum += t->regions[i].size;
	t->total_size = sum;
}

/* Join neighbours that touch and have the same flags. */
static void type_merge(struct memblock_type *t)
{
	struct memblock_region *r = t->regions;
	unsigned long i = 0;

	while (i + 1 < t->cnt) {
		if (reg_end(&r[i]) == r[i + 1].base &&
		    r[i].flags == r[i + 1].flags) {
			r[i].size += r[i + 1].size;
			type_delete(t, i + 1);
		} else {
			i++;
		}
	}
}

/*
 * Clamp a range that would run past the top of the address space. Returns
 * the (possibly shortened) size.
 */
static phys_addr_t clamp_size(const char *op, phys_addr_t base,
			      phys_addr_t size, bool loud)
{
	if (size > PHYS_ADDR_MAX - base) {
		if (loud)
			pr_warn("memblock: %s [%#llx + %#llx] runs past the top of the address space; clamped to end at %#llx\n",
				op, (ull)base, (ull)size, (ull)PHYS_ADDR_MAX);
		size = PHYS_ADDR_MAX - base;
	}
	return size;
}

/* ---------------------------------------------------------------- add */

enum add_pass { ADD_COUNT, ADD_EXTEND, ADD_INSERT };

/*
 * Walk the gaps of [base, end) not yet covered by t. A gap whose neighbour
 * touches it with the same flags extends that neighbour (joining two
 * neighbours if both do); any other gap needs a new region. ADD_COUNT only
 * counts; ADD_EXTEND does the extensions (never needs a slot); ADD_INSERT
 * then inserts the rest. Returns the number of gaps needing a new region.
 */
static unsigned long add_walk(struct memblock_type *t, phys_addr_t base,
			      phys_addr_t end, enum memblock_flags flags,
			      enum add_pass pass, unsigned long *joins)
{
	struct memblock_region *r = t->regions;
	unsigned long inserts = 0;
	phys_addr_t cur = base;

	while (cur < end) {
		unsigned long i = type_search(t, cur);
		phys_addr_t gend;
		bool left, right;

		if (i < t->cnt && r[i].base <= cur) {	/* covered */
			cur = reg_end(&r[i]);
			continue;
		}
		gend = (i < t->cnt && r[i].base < end) ? r[i].base : end;
		left = i > 0 && reg_end(&r[i - 1]) == cur &&
		       r[i - 1].flags == flags;
		right = i < t->cnt && r[i].base == gend && r[i].flags == flags;

		if (left && right) {
			(*joins)++;
			if (pass == ADD_EXTEND) {
				r[i - 1].size = reg_end(&r[i]) - r[i - 1].base;
				type_delete(t, i);
			}
		} else if (left) {
			if (pass == ADD_EXTEND)
				r[i - 1].size += gend - cur;
		} else if (right) {
			if (pass == ADD_EXTEND) {
				r[i].size += r[i].base - cur;
				r[i].base = cur;
			}
		} else {
			inserts++;
			if (pass == ADD_INSERT)
				type_insert(t, i, cur, gend, flags);
		}
		cur = gend;
	}
	return inserts;
}

/* Cover [base, base + size) in t; parts already covered keep their flags. */
static int type_add(struct memblock_type *t, phys_addr_t base,
		    phys_addr_t size, enum memblock_flags flags)
{
	phys_addr_t end = base + size;
	unsigned long joins = 0, inserts, need;

	inserts = add_walk(t, base, end, flags, ADD_COUNT, &joins);
	need = t->cnt - joins + inserts;
	if (need > t->max) {
		pr_err("memblock: %s list full (%lu regions): [%#llx-%#llx] does not fit and was not added\n",
		       t->name, t->max, (ull)base, (ull)(end - 1));
		return -1;
	}
	add_walk(t, base, end, flags, ADD_EXTEND, &joins);
	add_walk(t, base, end, flags, ADD_INSERT, &joins);
	type_recount(t);
	return 0;
}

/* ---------------------------------------------------------------- remove */

/* Take [base, base + size) out of t. Only splitting one region needs a slot. */
static int type_remove(struct memblock_type *t, phys_addr_t base,
		       phys_addr_t size)
{
	struct memblock_region *r = t->regions;
	phys_addr_t end = base + size;
	unsigned long i = type_search(t, base);

	if (i < t->cnt && r[i].base < base && reg_end(&r[i]) > end) {
		if (t->cnt >= t->max) {
			pr_err("memblock: %s list full (%lu regions): cannot split [%#llx-%#llx] to take out [%#llx-%#llx]; nothing changed\n",
			       t->name, t->max, (ull)r[i].base,
			       (ull)(reg_end(&r[i]) - 1), (ull)base,
			       (ull)(end - 1));
			return -1;
		}
		type_insert(t, i + 1, end, reg_end(&r[i]), r[i].flags);
		r[i].size = base - r[i].base;
		type_recount(t);
		return 0;
	}
	while (i < t->cnt && r[i].base < end) {
		phys_addr_t rb = r[i].base, re = reg_end(&r[i]);

		if (rb < base) {
			r[i].size = base - rb;
			i++;
		} else if (re > end) {
			r[i].base = end;
			r[i].size = re - end;
			break;
		} else {
			type_delete(t, i);
		}
	}
	type_recount(t);
	return 0;
}

/* True if every byte of [base, end) is covered by t. */
static bool type_covers(const struct memblock_type *t, phys_addr_t base,
			phys_addr_t end)
{
	unsigned long i = type_search(t, base);
	phys_addr_t cur = base;

	while (cur < end) {
		if (i >= t->cnt || t->regions[i].base > cur)
			return false;
		cur = reg_end(&t->regions[i]);
		i++;
	}
	return true;
}

/* ---------------------------------------------------------------- flags */

static enum memblock_flags new_flags(enum memblock_flags old,
				     enum memblock_flags mask, bool set)
{
	return set ? (old | mask) : (old & ~mask);
}

/* Set or clear mask on the regions of t inside [base, base + size). */
static int type_set_flags(struct memblock_type *t, phys_addr_t base,
			  phys_addr_t size, enum memblock_flags mask, bool set)
{
	struct memblock_region *r = t->regions;
	phys_addr_t end = base + size;
	unsigned long i = type_search(t, base), j, splits = 0;

	/* Plan: a region changing flags that sticks out of either end splits. */
	for (j = i; j < t->cnt && r[j].base < end; j++) {
		if (new_flags(r[j].flags, mask, set) == r[j].flags)
			continue;
		splits += r[j].base < base;
		splits += reg_end(&r[j]) > end;
	}
	if (t->cnt + splits > t->max) {
		pr_err("memblock: %s list full (%lu regions): cannot split to %s flags %#x on [%#llx-%#llx]; nothing changed\n",
		       t->name, t->max, set ? "set" : "clear", (unsigned)mask,
		       (ull)base, (ull)(end - 1));
		return -1;
	}
	for (; i < t->cnt && r[i].base < end; i++) {
		enum memblock_flags nf = new_flags(r[i].flags, mask, set);
		phys_addr_t rb = r[i].base, re = reg_end(&r[i]);

		if (nf == r[i].flags)
			continue;
		if (rb < base) {
			type_insert(t, i + 1, base, re, r[i].flags);
			r[i].size = base - rb;
			continue;	/* the next loop step flags the new piece */
		}
		if (re > end) {
			type_insert(t, i + 1, end, re, r[i].flags);
			r[i].size = end - rb;
		}
		r[i].flags = nf;
	}
	type_merge(t);
	return 0;
}

/* ---------------------------------------------------------------- public */

int memblock_add_in(struct memblock *mb, phys_addr_t base, phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("add", base, size, true);
	return type_add(&mb->memory, base, size, MEMBLOCK_NONE);
}

int memblock_remove_in(struct memblock *mb, phys_addr_t base, phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("remove", base, size, false);
	return type_remove(&mb->memory, base, size);
}

int memblock_reserve_in(struct memblock *mb, phys_addr_t base,
			phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("reserve", base, size, false);
	return type_add(&mb->reserved, base, size, MEMBLOCK_NONE);
}

int memblock_phys_free_in(struct memblock *mb, phys_addr_t base,
			  phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("free", base, size, false);
	if (!type_covers(&mb->reserved, base, base + size)) {
		pr_err("memblock: free of [%#llx-%#llx], which is not (all) reserved; nothing changed\n",
		       (ull)base, (ull)(base + size - 1));
		return -1;
	}
	return type_remove(&mb->reserved, base, size);
}

int memblock_mark_nomap_in(struct memblock *mb, phys_addr_t base,
			   phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("mark_nomap", base, size, false);
	return type_set_flags(&mb->memory, base, size, MEMBLOCK_NOMAP, true);
}

int memblock_clear_nomap_in(struct memblock *mb, phys_addr_t base,
			    phys_addr_t size)
{
	if (!size)
		return 0;
	size = clamp_size("clear_nomap", base, size, false);
	return type_set_flags(&mb->memory, base, size, MEMBLOCK_NOMAP, false);
}

/* Highest aligned [x, x + size) inside [start, end) that is free, or 0. */
static phys_addr_t find_top_down(const struct memblock *mb, phys_addr_t size,
				 phys_addr_t align, phys_addr_t start,
				 phys_addr_t end)
{
	phys_addr_t fs, fe;
	u64 i;

	for_each_free_mem_range_reverse_in(mb, i, &fs, &fe) {
		phys_addr_t cand;

		fs = max(fs, start);
		fe = min(fe, end);
		if (fe <= fs || fe - fs < size)
			continue;
		cand = ALIGN_DOWN(fe - size, align);
		if (cand >= fs)
			return cand;
	}
	return 0;
}

phys_addr_t memblock_phys_alloc_range_in(struct memblock *mb,
					 phys_addr_t size, phys_addr_t align,
					 phys_addr_t start, phys_addr_t end)
{
	phys_addr_t found;

	if (!size) {
		pr_err("memblock: allocation of 0 bytes refused\n");
		return 0;
	}
	if (!align || (align & (align - 1))) {
		pr_err("memblock: alignment %#llx is not a power of two (allocating %#llx bytes)\n",
		       (ull)align, (ull)size);
		return 0;
	}
	if (end == MEMBLOCK_ALLOC_ACCESSIBLE)
		end = mb->current_limit;
	start = max(start, (phys_addr_t)PAGE_SIZE);	/* 0 means failure */
	found = start < end ? find_top_down(mb, size, align, start, end) : 0;
	if (!found) {
		pr_err("memblock: no free %#llx bytes aligned to %#llx in [%#llx-%#llx)\n",
		       (ull)size, (ull)align, (ull)start, (ull)end);
		return 0;
	}
	if (memblock_reserve_in(mb, found, size)) {
		pr_err("memblock: allocation of %#llx bytes at %#llx failed: it could not be recorded as reserved\n",
		       (ull)size, (ull)found);
		return 0;
	}
	return found;
}

phys_addr_t memblock_phys_alloc_in(struct memblock *mb, phys_addr_t size,
				   phys_addr_t align)
{
	return memblock_phys_alloc_range_in(mb, size, align, 0,
					    MEMBLOCK_ALLOC_ACCESSIBLE);
}

void *memblock_alloc_in(struct memblock *mb, phys_addr_t size,
			phys_addr_t align)
{
	phys_addr_t pa = memblock_phys_alloc_in(mb, size, align);
	void *p;

	if (!pa)
		return NULL;
	p = phys_to_virt(pa);
	memset(p, 0, size);
	return p;
}

void memblock_set_current_limit_in(struct memblock *mb, phys_addr_t limit)
{
	mb->current_limit = limit;
}

phys_addr_t memblock_phys_mem_size_in(const struct memblock *mb)
{
	return mb->memory.total_size;
}

phys_addr_t memblock_reserved_size_in(const struct memblock *mb)
{
	return mb->reserved.total_size;
}

phys_addr_t memblock_start_of_DRAM_in(const struct memblock *mb)
{
	return mb->memory.cnt ? mb->memory.regions[0].base : 0;
}

phys_addr_t memblock_end_of_DRAM_in(const struct memblock *mb)
{
	const struct memblock_type *t = &mb->memory;

	return t->cnt ? reg_end(&t->regions[t->cnt - 1]) : 0;
}

bool memblock_is_memory_in(const struct memblock *mb, phys_addr_t addr)
{
	unsigned long i = type_search(&mb->memory, addr);

	return i < mb->memory.cnt && mb->memory.regions[i].base <= addr;
}

bool memblock_is_region_reserved_in(const struct memblock *mb,
				    phys_addr_t base, phys_addr_t size)
{
	unsigned long i;

	if (!size)
		return false;
	size = clamp_size("is_region_reserved", base, size, false);
	i = type_search(&mb->reserved, base);
	return i < mb->reserved.cnt &&
	       mb->reserved.regions[i].base < base + size;
}

static void dump_type(const struct memblock_type *t)
{
	pr_info(" %s.cnt  = %lu (of %lu), total %#llx bytes\n",
		t->name, t->cnt, t->max, (ull)t->total_size);
	for (unsigned long i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		pr_info(" %s[%lu]\t[%#018llx-%#018llx], %#llx bytes flags: %#x\n",
			t->name, i, (ull)r->base, (ull)(reg_end(r) - 1),
			(ull)r->size, (unsigned)r->flags);
	}
}

void memblock_dump_in(const struct memblock *mb)
{
	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = %#llx reserved size = %#llx current limit = %#llx\n",
		(ull)mb->memory.total_size, (ull)mb->reserved.total_size,
		(ull)mb->current_limit);
	dump_type(&mb->memory);
	dump_type(&mb->reserved);
}

static int check_type(const struct memblock_type *t)
{
	const struct memblock_region *r = t->regions;
	phys_addr_t sum = 0;

	if (t->cnt > t->max) {
		pr_err("memblock: check: %s.cnt %lu > max %lu\n",
		       t->name, t->cnt, t->max);
		return -1;
	}
	for (unsigned long i = 0; i < t->cnt; i++) {
		if (!r[i].size || r[i].size > PHYS_ADDR_MAX - r[i].base) {
			pr_err("memblock: check: %s[%lu] has bad size %#llx at %#llx\n",
			       t->name, i, (ull)r[i].size, (ull)r[i].base);
			return -1;
		}
		sum += r[i].size;
		if (i == 0)
			continue;
		if (reg_end(&r[i - 1]) > r[i].base) {
			pr_err("memblock: check: %s[%lu] and [%lu] overlap or are unsorted\n",
			       t->name, i - 1, i);
			return -1;
		}
		if (reg_end(&r[i - 1]) == r[i].base &&
		    r[i - 1].flags == r[i].flags) {
			pr_err("memblock: check: %s[%lu] and [%lu] touch with equal flags (not merged)\n",
			       t->name, i - 1, i);
			return -1;
		}
	}
	if (sum != t->total_size) {
		pr_err("memblock: check: %s total %#llx, regions add up to %#llx\n",
		       t->name, (ull)t->total_size, (ull)sum);
		return -1;
	}
	return 0;
}

int memblock_check_in(const struct memblock *mb)
{
	if (check_type(&mb->memory) || check_type(&mb->reserved))
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- boot */

/* Reserve [start, end) grown to whole pages; a named, checked range. */
static int reserve_named(struct memblock *mb, const char *what,
			 phys_addr_t start, phys_addr_t end)
{
	phys_addr_t b, e;

	if (start == end)
		return 0;
	if (end < start) {
		pr_err("memblock: %s range [%#llx-%#llx) is backwards; not reserved\n",
		       what, (ull)start, (ull)end);
		return -1;
	}
	b = ALIGN_DOWN(start, PAGE_SIZE);
	e = end > PHYS_ADDR_MAX - (PAGE_SIZE - 1) ? PHYS_ADDR_MAX
						   : ALIGN_UP(end, PAGE_SIZE);
	if (memblock_reserve_in(mb, b, e - b)) {
		pr_err("memblock: could not reserve %s\n", what);
		return -1;
	}
	return 0;
}

/* mem=SIZE (Linux's): use at most SIZE bytes of RAM, the lowest. 0: all. */
static phys_addr_t mem_limit;

phys_addr_t memblock_mem_limit(void)
{
	return mem_limit;
}

static int set_mem_limit(const char *value)
{
	uint64_t n;

	if (!parse_u64(value, &n, true) || n < (16ULL << 20)) {
		pr_err("memblock: mem=%s: expected a size of at least 16M "
		       "(as 256M or 1G)\n", value ? value : "");
		return -1;
	}
	mem_limit = ALIGN_DOWN((phys_addr_t)n, PAGE_SIZE);
	return 0;
}
KERNEL_PARAM("mem", set_mem_limit, "use at most this much RAM, the lowest, as Linux's mem= (256M, 1G): a small machine on a big board");

/* The end of what the loader put in RAM for us (image, boot information,
 * modules, device tree): mem= never cuts below it. */
static phys_addr_t loaded_end(const struct boot_info *bi)
{
	phys_addr_t end = max(bi->kernel_end, bi->info_end);

	for (unsigned int i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++)
		end = max(end, (phys_addr_t)(bi->modules[i].base + bi->modules[i].size));
	if (bi->dtb && bi->dtb_size)
		end = max(end, (phys_addr_t)(bi->dtb + bi->dtb_size));
	return ALIGN_UP(end, PAGE_SIZE);
}

int memblock_apply_mem_limit_in(struct memblock *mb, const struct boot_info *bi,
				phys_addr_t limit)
{
	phys_addr_t total = 0, cut = 0, all;

	if (!limit)
		return 0;
	for (unsigned long i = 0; i < mb->memory.cnt && !cut; i++) {
		const struct memblock_region *r = &mb->memory.regions[i];

		if (total + r->size > limit)
			cut = r->base + (limit - total);
		total += r->size;
	}
	if (!cut)
		return 0;		/* no more memory than the limit */
	all = memblock_phys_mem_size_in(mb);
	if (loaded_end(bi) > cut) {
		pr_info("memblock: mem=: what the loader put in RAM ends at "
			"%#llx, above the limit: kept up to there\n",
			(unsigned long long)loaded_end(bi));
		cut = loaded_end(bi);
	}
	if (memblock_remove_in(mb, cut, PHYS_ADDR_MAX - cut))
		return -1;
	pr_info("memblock: mem=: using %llu MiB of %llu MiB; RAM from %#llx "
		"up left out\n",
		(unsigned long long)(memblock_phys_mem_size_in(mb) >> 20),
		(unsigned long long)(all >> 20), (unsigned long long)cut);
	return 0;
}

int memblock_add_boot_info_in(struct memblock *mb, const struct boot_info *bi)
{
	int ret = 0;

	if (bi->mem_dropped)
		pr_warn("memblock: the boot loader's map had %u more ranges than boot_info holds; that memory is not used\n",
			bi->mem_dropped);
	for (unsigned int i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_RANGES; i++) {
		const struct boot_mem_range *m = &bi->mem[i];
		phys_addr_t size = clamp_size("firmware range", m->base,
					      m->size, m->type == BOOT_MEM_USABLE);
		phys_addr_t b, e;

		if (m->type != BOOT_MEM_USABLE || !size)
			continue;
		if (m->base > PHYS_ADDR_MAX - (PAGE_SIZE - 1))
			continue;
		b = ALIGN_UP(m->base, PAGE_SIZE);
		e = ALIGN_DOWN(m->base + size, PAGE_SIZE);
		if (e > b && memblock_add_in(mb, b, e - b))
			ret = -1;
	}
	/* Non-usable ranges win where they overlap usable ones. */
	for (unsigned int i = 0; i < bi->nr_mem && i < BOOT_MAX_MEM_RANGES; i++) {
		const struct boot_mem_range *m = &bi->mem[i];
		phys_addr_t size = clamp_size("firmware range", m->base,
					      m->size, false);
		phys_addr_t b, e, end = m->base + size;

		if (m->type == BOOT_MEM_USABLE || !size)
			continue;
		b = ALIGN_DOWN(m->base, PAGE_SIZE);
		e = end > PHYS_ADDR_MAX - (PAGE_SIZE - 1) ? PHYS_ADDR_MAX
							  : ALIGN_UP(end, PAGE_SIZE);
		if (memblock_remove_in(mb, b, e - b))
			ret = -1;
	}
	/*
	 * The loader put the kernel where the map says the firmware keeps
	 * something (OVMF's ACPI NVS at 8 MiB, under a kernel image of more
	 * than 7 MiB): that memory holds us now, whatever the firmware kept
	 * there is gone, and the direct map must cover the image like any
	 * RAM (kernel code converts image addresses to direct-map ones).
	 * Said, and made memory again.
	 */
	if (bi->kernel_end > bi->kernel_start) {
		phys_addr_t b = ALIGN_DOWN(bi->kernel_start, PAGE_SIZE);
		phys_addr_t e = ALIGN_UP(bi->kernel_end, PAGE_SIZE);
		bool hole = false;

		for (phys_addr_t a = b; a < e && !hole; a += PAGE_SIZE)
			hole = !memblock_is_memory_in(mb, a);
		if (hole) {
			pr_warn("memblock: the kernel image [%#llx-%#llx] lies "
				"partly over memory the firmware's map does not "
				"call usable: the loader put it there; treated "
				"as RAM\n", (unsigned long long)b,
				(unsigned long long)e - 1);
			if (memblock_add_in(mb, b, e - b))
				ret = -1;
		}
	}
	if (reserve_named(mb, "kernel image", bi->kernel_start, bi->kernel_end))
		ret = -1;
	if (reserve_named(mb, "boot information", bi->info_start, bi->info_end))
		ret = -1;
	for (unsigned int i = 0; i < bi->nr_modules && i < BOOT_MAX_MODULES; i++) {
		const struct boot_module *mod = &bi->modules[i];
		phys_addr_t size = clamp_size("module", mod->base, mod->size,
					      true);

		if (reserve_named(mb, "module", mod->base, mod->base + size))
			ret = -1;
	}
	if (bi->dtb && bi->dtb_size) {
		phys_addr_t size = clamp_size("DTB", bi->dtb, bi->dtb_size, true);

		if (reserve_named(mb, "device tree", bi->dtb, bi->dtb + size))
			ret = -1;
	}
	return ret;
}

/* ---------------------------------------------------------------- iterators */

bool __next_mem_range(const struct memblock *mb, u64 *idx,
		      phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *t = &mb->memory;

	if (*idx >= t->cnt)
		return false;
	if (start)
		*start = t->regions[*idx].base;
	if (end)
		*end = reg_end(&t->regions[*idx]);
	(*idx)++;
	return true;
}

/*
 * The free-range cursor packs two indices as Linux's does: the low 32 bits
 * are the memory region, the high 32 bits the gap between reserved regions
 * (gap k lies between reserved[k - 1] and reserved[k]).
 */
static void rsv_gap(const struct memblock_type *rt, unsigned long k,
		    phys_addr_t *gs, phys_addr_t *ge)
{
	*gs = k ? reg_end(&rt->regions[k - 1]) : 0;
	*ge = k < rt->cnt ? rt->regions[k].base : PHYS_ADDR_MAX;
}

bool __next_free_mem_range(const struct memblock *mb, u64 *idx,
			   phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mt = &mb->memory, *rt = &mb->reserved;
	unsigned long a = (uint32_t)*idx, b = *idx >> 32;

	for (; a < mt->cnt; a++) {
		const struct memblock_region *m = &mt->regions[a];
		phys_addr_t ms = m->base, me = reg_end(m);

		if (m->flags & MEMBLOCK_NOMAP)
			continue;
		for (; b <= rt->cnt; b++) {
			phys_addr_t gs, ge;

			rsv_gap(rt, b, &gs, &ge);
			if (gs >= me)
				break;
			if (ge <= ms)
				continue;
			if (start)
				*start = max(ms, gs);
			if (end)
				*end = min(me, ge);
			if (me <= ge)
				a++;
			else
				b++;
			*idx = (u64)a | ((u64)b << 32);
			return true;
		}
	}
	*idx = (u64)a | ((u64)b << 32);
	return false;
}

bool __next_free_mem_range_rev(const struct memblock *mb, u64 *idx,
			       phys_addr_t *start, phys_addr_t *end)
{
	const struct memblock_type *mt = &mb->memory, *rt = &mb->reserved;
	long a, b;

	if (*idx == MEMBLOCK_ITER_REV_START) {
		a = (long)mt->cnt - 1;
		b = (long)rt->cnt;
	} else {
		a = (long)(int32_t)(uint32_t)*idx;
		b = (long)(int32_t)(uint32_t)(*idx >> 32);
	}
	for (; a >= 0; a--) {
		const struct memblock_region *m = &mt->regions[a];
		phys_addr_t ms = m->base, me = reg_end(m);

		if (m->flags & MEMBLOCK_NOMAP)
			continue;
		for (; b >= 0; b--) {
			phys_addr_t gs, ge;

			rsv_gap(rt, (unsigned long)b, &gs, &ge);
			if (ge <= ms)
				break;
			if (gs >= me)
				continue;
			if (start)
				*start = max(ms, gs);
			if (end)
				*end = min(me, ge);
			if (ms >= gs)
				a--;
			else
				b--;
			*idx = (u64)(uint32_t)a | ((u64)(uint32_t)b << 32);
			return true;
		}
	}
	*idx = (u64)(uint32_t)-1 | ((u64)(uint32_t)-1 << 32);
	return false;
}

/* ---------------------------------------------------------------- global */

int memblock_add(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_in(&memblock, base, size);
}

int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	return memblock_remove_in(&memblock, base, size);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_reserve_in(&memblock, base, size);
}

int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return memblock_phys_free_in(&memblock, base, size);
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_mark_nomap_in(&memblock, base, size);
}

int memblock_clear_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_clear_nomap_in(&memblock, base, size);
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	return memblock_phys_alloc_range_in(&memblock, size, align, start, end);
}

phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_in(&memblock, size, align);
}

void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_in(&memblock, size, align);
}

void memblock_set_current_limit(phys_addr_t limit)
{
	memblock_set_current_limit_in(&memblock, limit);
}

phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

phys_addr_t memblock_phys_mem_size(void)
{
	return memblock_phys_mem_size_in(&memblock);
}

phys_addr_t memblock_reserved_size(void)
{
	return memblock_reserved_size_in(&memblock);
}

phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock_start_of_DRAM_in(&memblock);
}

phys_addr_t memblock_end_of_DRAM(void)
{
	return memblock_end_of_DRAM_in(&memblock);
}

bool memblock_is_memory(phys_addr_t addr)
{
	return memblock_is_memory_in(&memblock, addr);
}

bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_is_region_reserved_in(&memblock, base, size);
}

void memblock_dump(void)
{
	memblock_dump_in(&memblock);
}

int memblock_check(void)
{
	return memblock_check_in(&memblock);
}

int memblock_add_boot_info(const struct boot_info *bi)
{
	int ret = memblock_add_boot_info_in(&memblock, bi);

	if (memblock_apply_mem_limit_in(&memblock, bi, mem_limit))
		ret = -1;
	return ret;
}
