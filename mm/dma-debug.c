/*
 * mm/dma-debug.c - DMA API debugging (Linux's CONFIG_DMA_API_DEBUG, in
 * our own words): every mapping is recorded with its device, address,
 * size, direction, the function that made it (single, page, sg,
 * coherent) and the driver's return address; every unmap and sync is
 * checked against the record. Reports start "DMA-API: <device>:" and
 * name the mapping's origin symbolically (kernel/ksyms.h).
 *
 * Records come from a fixed pool (no allocation on the map path); when it
 * runs out, debugging switches itself off with a message, as Linux does.
 * A small ring remembers recent unmaps so a second unmap of the same
 * address is reported as a double unmap with where the first one was.
 */
#include "mm/dma-internal.h"
#include "mm/page_alloc.h"
#include "kernel/cmdline.h"
#include "kernel/ksyms.h"
#include "kernel/lib/diag.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>

#define DMA_DEBUG_ENTRIES	2048
#define DMA_DEBUG_BUCKETS	256
#define DMA_DEBUG_RECENT	32
#define DMA_DEBUG_SHOW_LEAKS	8

struct dma_debug_entry {
	struct list_head hash;		/* bucket, or the free list */
	struct list_head dev_list;	/* dev->dma_debug_list */
	struct device *dev;
	dma_addr_t addr;
	size_t size;
	phys_addr_t phys;
	enum dma_data_direction dir;
	enum dma_debug_type type;
	unsigned long caller;		/* where it was mapped */
	unsigned long unmap_caller;	/* recent ring: where it was unmapped */
	int sg_call_ents, sg_mapped_ents;
	unsigned int cpu;
};

bool dma_debug_enabled = true;

static DEFINE_SPINLOCK(dma_debug_lock);
static struct dma_debug_entry pool[DMA_DEBUG_ENTRIES];
static struct list_head free_entries;
static struct list_head buckets[DMA_DEBUG_BUCKETS];
static struct dma_debug_entry recent[DMA_DEBUG_RECENT];
static unsigned int recent_next;
static unsigned long nr_live;
static bool ready;

static const char *const type_names[] = {
	[DMA_DEBUG_SINGLE] = "single", [DMA_DEBUG_PAGE] = "page",
	[DMA_DEBUG_SG] = "scatter-gather", [DMA_DEBUG_COHERENT] = "coherent",
};

static int set_dma_debug(const char *v)
{
	return param_parse_bool(v, &dma_debug_enabled) ? 0 : -1;
}
KERNEL_PARAM("dma_debug", set_dma_debug, "on|off: check DMA API use (default on)");

static void where(char *buf, size_t size, unsigned long caller)
{
	if (caller)
		ksym_format(buf, size, caller - 1);	/* inside the call insn */
	else
		ksnprintf(buf, size, "?");
}

/*
 * More records when the static pool runs out: a page's worth at a time,
 * up to DMA_DEBUG_MAX_ENTRIES in all (Linux preallocates 65536 and grows
 * too). The pool is sized for the usual load; swap under memory pressure
 * keeps thousands of pages mapped for writes at once (a virtio-blk queue
 * full of 32-page requests), which is no leak. Under dma_debug_lock;
 * GFP_ATOMIC: any context may map. A page's records are never given
 * back.
 */
#define DMA_DEBUG_MAX_ENTRIES	65536
static unsigned long nr_entries = DMA_DEBUG_ENTRIES;

static void grow_locked(void)
{
	struct page *pg;
	struct dma_debug_entry *e;
	unsigned long n = PAGE_SIZE / sizeof(*e);

	if (nr_entries + n > DMA_DEBUG_MAX_ENTRIES)
		return;
	pg = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!pg)
		return;
	e = page_address(pg);
	for (unsigned long i = 0; i < n; i++)
		list_add_tail(&e[i].hash, &free_entries);
	nr_entries += n;
}

static void init_locked(void)
{
	if (ready)
		return;
	INIT_LIST_HEAD(&free_entries);
	for (int i = 0; i < DMA_DEBUG_BUCKETS; i++)
		INIT_LIST_HEAD(&buckets[i]);
	for (int i = 0; i < DMA_DEBUG_ENTRIES; i++)
		list_add_tail(&pool[i].hash, &free_entries);
	ready = true;
}

static struct list_head *bucket_of(dma_addr_t addr)
{
	return &buckets[(addr >> 12) % DMA_DEBUG_BUCKETS];
}

static struct dma_debug_entry *find_locked(struct device *dev, dma_addr_t addr)
{
	struct list_head *b = bucket_of(addr), *pos;

	for (pos = b->next; pos != b; pos = pos->next) {
		struct dma_debug_entry *e = list_entry(pos, struct dma_debug_entry, hash);

		if (e->dev == dev && e->addr == addr)
			return e;
	}
	return NULL;
}

/* The live mapping of dev that contains [addr, addr + size), if any. */
static struct dma_debug_entry *find_containing_locked(struct device *dev,
						      dma_addr_t addr)
{
	struct list_head *pos;

	for (pos = dev->dma_debug_list.next; pos != &dev->dma_debug_list; pos = pos->next) {
		struct dma_debug_entry *e = list_entry(pos, struct dma_debug_entry, dev_list);

		if (addr >= e->addr && addr - e->addr < e->size)
			return e;
	}
	return NULL;
}

static void report_origin(const struct dma_debug_entry *e, const char *what)
{
	char sym[96];

	where(sym, sizeof(sym), e->caller);
	printk(KERN_ERR "DMA-API: %s: %s at %s (cpu %u)\n", e->dev->name, what,
	       sym, e->cpu);
}

static void report_caller(struct device *dev, const char *what, unsigned long caller)
{
	char sym[96];

	where(sym, sizeof(sym), caller);
	printk(KERN_ERR "DMA-API: %s: %s %s\n", dev->name, what, sym);
}

/* The record of dev's mapping at addr, or a printed report and false. */
static void forget_locked(struct dma_debug_entry *e, unsigned long unmap_caller)
{
	list_del(&e->hash);
	list_del(&e->dev_list);
	e->dev->dma_debug_count--;
	nr_live--;
	recent[recent_next % DMA_DEBUG_RECENT] = *e;
	recent[recent_next % DMA_DEBUG_RECENT].unmap_caller = unmap_caller;
	recent_next++;
	list_add(&e->hash, &free_entries);
}

static const struct dma_debug_entry *recent_unmap(struct device *dev, dma_addr_t addr)
{
	for (unsigned int i = 0; i < DMA_DEBUG_RECENT && i < recent_next; i++) {
		const struct dma_debug_entry *r =
			&recent[(recent_next - 1 - i) % DMA_DEBUG_RECENT];

		if (r->dev == dev && r->addr == addr)
			return r;
	}
	return NULL;
}

void debug_dma_map(struct device *dev, dma_addr_t addr, size_t size,
		   enum dma_data_direction dir, enum dma_debug_type type,
		   phys_addr_t phys, unsigned long caller)
{
	struct dma_debug_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&dma_debug_lock, flags);
	init_locked();
	if (list_empty(&free_entries))
		grow_locked();
	if (list_empty(&free_entries)) {
		dma_debug_enabled = false;
		spin_unlock_irqrestore(&dma_debug_lock, flags);
		diag_report(DIAG_DMA_API);	/* the checks stop: say so loudly */
		pr_err("DMA-API: debugging out of memory (%lu records) - disabling\n",
		       nr_entries);
		return;
	}
	e = list_entry(free_entries.next, struct dma_debug_entry, hash);
	list_del(&e->hash);
	*e = (struct dma_debug_entry){
		.dev = dev, .addr = addr, .size = size, .phys = phys, .dir = dir,
		.type = type, .caller = caller, .cpu = arch_cpu_id(),
	};
	if (!dev->dma_debug_list.next)		/* device not through dma_device_init */
		INIT_LIST_HEAD(&dev->dma_debug_list);
	list_add(&e->hash, bucket_of(addr));
	list_add_tail(&e->dev_list, &dev->dma_debug_list);
	dev->dma_debug_count++;
	nr_live++;
	spin_unlock_irqrestore(&dma_debug_lock, flags);
}

/* Called with the lock held and dropped; reports "not mapped" / "twice". */
static void report_not_mapped(struct device *dev, dma_addr_t addr, size_t size,
			      const char *what, unsigned long caller,
			      unsigned long flags)
{
	const struct dma_debug_entry *r = recent_unmap(dev, addr);
	struct dma_debug_entry copy;

	if (r)
		copy = *r;
	diag_report(DIAG_DMA_API);
	spin_unlock_irqrestore(&dma_debug_lock, flags);
	if (r) {
		char sym[96];

		printk(KERN_ERR "DMA-API: %s: device driver %s DMA memory it has already unmapped "
		       "(double unmap) [device address=%#llx] [size=%zu bytes]\n",
		       dev->name, what, (unsigned long long)addr, size);
		report_origin(&copy, "mapped");
		where(sym, sizeof(sym), copy.unmap_caller);
		printk(KERN_ERR "DMA-API: %s: first unmapped at %s\n", dev->name, sym);
	} else {
		printk(KERN_ERR "DMA-API: %s: device driver %s DMA memory it has not mapped "
		       "[device address=%#llx] [size=%zu bytes]\n",
		       dev->name, what, (unsigned long long)addr, size);
	}
	report_caller(dev, "called from", caller);
}

bool debug_dma_unmap(struct device *dev, dma_addr_t addr, size_t *size,
		     enum dma_data_direction *dir, enum dma_debug_type type,
		     unsigned long caller)
{
	struct dma_debug_entry *e, copy;
	unsigned long flags;
	bool bad_size, bad_dir, bad_type;

	spin_lock_irqsave(&dma_debug_lock, flags);
	init_locked();
	if (!dev->dma_debug_list.next)
		INIT_LIST_HEAD(&dev->dma_debug_list);
	e = find_locked(dev, addr);
	if (!e) {
		report_not_mapped(dev, addr, *size,
				  type == DMA_DEBUG_COHERENT ? "frees" : "unmaps",
				  caller, flags);
		return false;
	}
	copy = *e;
	bad_size = e->size != *size;
	bad_dir = e->dir != *dir;
	bad_type = e->type != type;
	forget_locked(e, caller);
	if (bad_size || bad_dir || bad_type)
		diag_report(DIAG_DMA_API);
	spin_unlock_irqrestore(&dma_debug_lock, flags);

	if (bad_type)
		printk(KERN_ERR "DMA-API: %s: device driver frees DMA memory with wrong function "
		       "[device address=%#llx] [size=%zu bytes] [mapped as %s] [unmapped as %s]\n",
		       dev->name, (unsigned long long)addr, copy.size,
		       type_names[copy.type], type_names[type]);
	if (bad_size)
		printk(KERN_ERR "DMA-API: %s: device driver frees DMA memory with different size "
		       "[device address=%#llx] [map size=%zu bytes] [unmap size=%zu bytes]\n",
		       dev->name, (unsigned long long)addr, copy.size, *size);
	if (bad_dir)
		printk(KERN_ERR "DMA-API: %s: device driver frees DMA memory with different direction "
		       "[device address=%#llx] [size=%zu bytes] [mapped with %s] [unmapped with %s]\n",
		       dev->name, (unsigned long long)addr, copy.size,
		       dma_dir_name(copy.dir), dma_dir_name(*dir));
	if (bad_size || bad_dir || bad_type) {
		report_origin(&copy, "mapped");
		report_caller(dev, "unmapped from", caller);
		*size = copy.size;		/* undo exactly what was mapped */
		*dir = copy.dir;
	}
	return true;
}

void debug_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      int mapped, enum dma_data_direction dir,
		      unsigned long caller)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, mapped, i) {
		debug_dma_map(dev, sg->dma_address, sg->dma_length, dir,
			      DMA_DEBUG_SG, sg_phys(sg), caller);
	}
	/* Remember the counts in the first record, for the unmap. */
	unsigned long flags;
	struct dma_debug_entry *e;

	spin_lock_irqsave(&dma_debug_lock, flags);
	e = find_locked(dev, sgl->dma_address);
	if (e) {
		e->sg_call_ents = nents;
		e->sg_mapped_ents = mapped;
	}
	spin_unlock_irqrestore(&dma_debug_lock, flags);
}

bool debug_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction *dir,
			unsigned long caller)
{
	struct dma_debug_entry *e;
	unsigned long flags;
	int mapped, call_ents;
	struct scatterlist *sg;
	int i;
	bool ok = true;

	spin_lock_irqsave(&dma_debug_lock, flags);
	init_locked();
	e = find_locked(dev, sgl->dma_address);
	if (!e || e->type != DMA_DEBUG_SG || !e->sg_mapped_ents) {
		report_not_mapped(dev, sgl->dma_address, sgl->dma_length,
				  "unmaps scatterlist", caller, flags);
		return false;
	}
	mapped = e->sg_mapped_ents;
	call_ents = e->sg_call_ents;
	spin_unlock_irqrestore(&dma_debug_lock, flags);
	if (call_ents != nents) {
		diag_report(DIAG_DMA_API);	/* atomic: no lock needed */
		printk(KERN_ERR "DMA-API: %s: device driver frees DMA sg list with different entry count "
		       "[map count=%d] [unmap count=%d]\n", dev->name, call_ents, nents);
		report_caller(dev, "unmapped from", caller);
	}
	for_each_sg(sgl, sg, mapped, i) {
		size_t len = sg->dma_length;

		ok &= debug_dma_unmap(dev, sg->dma_address, &len, dir,
				      DMA_DEBUG_SG, caller);
	}
	return ok;
}

bool debug_dma_sync(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir, bool for_device,
		    unsigned long caller)
{
	struct dma_debug_entry *e, copy;
	unsigned long flags;
	const char *what = NULL;

	spin_lock_irqsave(&dma_debug_lock, flags);
	init_locked();
	if (!dev->dma_debug_list.next)
		INIT_LIST_HEAD(&dev->dma_debug_list);
	e = find_containing_locked(dev, addr);
	if (!e) {
		report_not_mapped(dev, addr, size, "syncs", caller, flags);
		return false;
	}
	copy = *e;
	if (addr + size > e->addr + e->size)
		what = "outside the mapped range";
	else if (e->dir != DMA_BIDIRECTIONAL && e->dir != dir)
		what = "with a different direction";
	else if (e->type == DMA_DEBUG_COHERENT)
		what = "that is coherent (no sync needed)";
	if (what)
		diag_report(DIAG_DMA_API);
	spin_unlock_irqrestore(&dma_debug_lock, flags);
	if (!what)
		return true;
	printk(KERN_ERR "DMA-API: %s: device driver syncs DMA memory %s "
	       "[device address=%#llx] [sync size=%zu bytes] [mapped %#llx+%zu] "
	       "[mapped with %s] [synced for %s with %s]\n",
	       dev->name, what, (unsigned long long)addr, size,
	       (unsigned long long)copy.addr, copy.size, dma_dir_name(copy.dir),
	       for_device ? "device" : "cpu", dma_dir_name(dir));
	report_origin(&copy, "mapped");
	report_caller(dev, "synced from", caller);
	return addr + size <= copy.addr + copy.size;	/* sync inside only */
}

static void show_entry(const struct dma_debug_entry *e, const char *prefix)
{
	char sym[96];

	where(sym, sizeof(sym), e->caller);
	printk("%s[device address=%#llx] [size=%zu bytes] [phys=%#llx] [mapped with %s] "
	       "[mapped as %s] mapped at %s\n", prefix, (unsigned long long)e->addr,
	       e->size, (unsigned long long)e->phys, dma_dir_name(e->dir),
	       type_names[e->type], sym);
}

unsigned long dma_debug_device_detach(struct device *dev)
{
	struct dma_debug_entry shown[DMA_DEBUG_SHOW_LEAKS];
	unsigned long flags, count, n = 0;
	struct list_head *pos;

	spin_lock_irqsave(&dma_debug_lock, flags);
	if (!dev->dma_debug_list.next)
		INIT_LIST_HEAD(&dev->dma_debug_list);
	count = dev->dma_debug_count;
	for (pos = dev->dma_debug_list.next;
	     pos != &dev->dma_debug_list && n < DMA_DEBUG_SHOW_LEAKS; pos = pos->next)
		shown[n++] = *list_entry(pos, struct dma_debug_entry, dev_list);
	if (count)
		diag_report(DIAG_DMA_API);
	spin_unlock_irqrestore(&dma_debug_lock, flags);
	if (!count)
		return 0;
	printk(KERN_ERR "DMA-API: %s: device driver has pending DMA allocations while released "
	       "from device [count=%lu]\n", dev->name, count);
	for (unsigned long i = 0; i < n; i++) {
		char prefix[64];

		ksnprintf(prefix, sizeof(prefix), "DMA-API: %s: leaked ", dev->name);
		show_entry(&shown[i], prefix);
	}
	if (count > n)
		printk(KERN_ERR "DMA-API: %s: ... and %lu more\n", dev->name, count - n);
	return count;
}

unsigned long dma_debug_live(void)
{
	return nr_live;
}

void dma_debug_show(struct device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dma_debug_lock, flags);
	init_locked();
	for (int b = 0; b < DMA_DEBUG_BUCKETS; b++) {
		struct list_head *pos;

		for (pos = buckets[b].next; pos != &buckets[b]; pos = pos->next) {
			struct dma_debug_entry *e = list_entry(pos, struct dma_debug_entry, hash);
			char prefix[48];

			if (dev && e->dev != dev)
				continue;
			ksnprintf(prefix, sizeof(prefix), "  %s ", e->dev->name);
			show_entry(e, prefix);
		}
	}
	spin_unlock_irqrestore(&dma_debug_lock, flags);
}
