/*
 * mm/kmalloc.c - kmalloc: size classes over slab caches, pages beyond.
 *
 * A request picks the smallest class that holds it (a table by 8 bytes
 * up to 192, one by 64 above), then the class's cache does the work through
 * the same per-CPU fast path as kmem_cache_alloc(). kfree() finds the
 * cache from the object's page (page->slab_cache), or sees a page that
 * is not a slab and gives the pages back with the order the page
 * allocator recorded in the head page.
 */
#include "mm/kmalloc.h"
#include "mm/slab_internal.h"
#include "mm/vmstat.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static const unsigned int kmalloc_sizes[KMALLOC_NR_CLASSES] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/* Class of sizes 1..192, by (size - 1) / 8. */
static const uint8_t size_index[24] = {
	0, 1, 2, 2, 3, 3, 3, 3,		/*   8 ..  64 */
	4, 4, 4, 4, 5, 5, 5, 5,		/*  72 .. 128 */
	6, 6, 6, 6, 6, 6, 6, 6,		/* 136 .. 192 */
};

/*
 * Class of sizes 193..8192, by (size - 1) / 64: one class per power of
 * two. A table rather than a bit scan: the scan (bsr) made every pair
 * above 192 bytes 0.9 ns slower in the slab bench.
 */
static const uint8_t size_index_large[128] = {
	[3] = 7,		/*  193 ..  256 */
	[4 ... 7] = 8,		/*  257 ..  512 */
	[8 ... 15] = 9,		/*  513 .. 1024 */
	[16 ... 31] = 10,	/* 1025 .. 2048 */
	[32 ... 63] = 11,	/* 2049 .. 4096 */
	[64 ... 127] = 12,	/* 4097 .. 8192 */
};
_Static_assert(KMALLOC_MAX_CACHE_SIZE == 64 * sizeof(size_index_large),
	       "size_index_large must cover every kmalloc size class");

static struct kmalloc_set kmalloc_global;

/* Only for 1 <= size <= KMALLOC_MAX_CACHE_SIZE. */
static inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	return size_index_large[(size - 1) / 64];
}

size_t kmalloc_size_class(size_t size)
{
	if (size == 0 || size > KMALLOC_MAX_CACHE_SIZE)
		return 0;
	return kmalloc_sizes[kmalloc_index(size)];
}

static unsigned int order_of(size_t size)
{
	return get_order(size);
}

static void *kmalloc_large(pg_data_t *node, size_t size, gfp_t gfp)
{
	unsigned int order = order_of(size);
	struct page *page;

	if (order > MAX_PAGE_ORDER) {
		if (!(gfp & __GFP_NOWARN))
			pr_warn("kmalloc: %zu bytes is more than the largest "
				"block (%lu KiB); use vmalloc\n", size,
				(PAGE_SIZE << MAX_PAGE_ORDER) >> 10);
		return NULL;
	}
	page = alloc_pages_node(node, gfp | __GFP_COMP, order);
	if (!page)
		return NULL;
	/* Counted as unreclaimable slab, as Linux counts large kmallocs. */
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    (long)PAGE_SIZE << order);
	return page_address(page);
}

static inline __attribute__((always_inline)) void *
__kmalloc(struct kmalloc_set *ks, size_t size, gfp_t gfp, unsigned long frame)
{
	if (likely(size - 1 < KMALLOC_MAX_CACHE_SIZE))
		return slab_alloc(ks->caches[kmalloc_index(size)], gfp, frame);
	if (size == 0)
		return ZERO_SIZE_PTR;
	return kmalloc_large(ks->node, size, gfp);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(&kmalloc_global, size, gfp, _THIS_FRAME);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return __kmalloc(&kmalloc_global, size, gfp | __GFP_ZERO, _THIS_FRAME);
}

void *kmalloc_pages(size_t size, gfp_t gfp)
{
	return size ? kmalloc_large(kmalloc_global.node, size, gfp) : ZERO_SIZE_PTR;
}

void *kmalloc_from(struct kmalloc_set *ks, size_t size, gfp_t gfp)
{
	return __kmalloc(ks, size, gfp, _THIS_FRAME);
}

/*
 * Everything kfree()'s fast path leaves: a page outside the memmap's main
 * range, a large kmalloc's pages, and what is not from kmalloc at all.
 */
static void __attribute__((noinline)) kfree_slow(const void *p,
						 unsigned long frame)
{
	struct page *page = virt_to_page(p);

	if (page && PageSlab(page)) {
		slab_free(page->slab_cache, (void *)p, frame);
		return;
	}
	if (!page || page_count(page) <= 0 ||
	    !IS_ALIGNED((uintptr_t)p, PAGE_SIZE)) {
		pr_err("kfree(%p): not memory from kmalloc (%s); ignored\n",
		       p, !page ? "no such page" : "not a slab object or "
		       "the start of an allocated block");
		WARN_ON(1);
		return;
	}
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    -((long)PAGE_SIZE << page->order));
	__free_pages(page, page->order);
}

/*
 * The fast path: an object whose page is in the memmap's main range
 * (mm/page_alloc.h), onto this CPU's sheaf. It calls nothing, so it
 * saves no register; anything else is kfree_slow()'s.
 */
void kfree(const void *p)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	page = pfn_to_page_main(PHYS_PFN(virt_to_phys(p)));
	if (likely(page && PageSlab(page))) {
		slab_free(page->slab_cache, (void *)p, _THIS_FRAME);
		return;
	}
	kfree_slow(p, _THIS_FRAME);
}

size_t ksize(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return 0;
	page = virt_to_page(p);
	if (!page)
		return 0;
	if (PageSlab(page))
		return page->slab_cache->object_size;
	return PAGE_SIZE << page->order;
}

bool kmalloc_in_slab(const void *p)
{
	struct page *page;

	if (ZERO_OR_NULL_PTR(p))
		return false;
	page = virt_to_page(p);
	return page && PageSlab(page);
}

void *krealloc_from(struct kmalloc_set *ks, const void *p, size_t new_size,
		    gfp_t gfp)
{
	size_t old;
	void *n;

	if (new_size == 0) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old = ksize(p);
	if (p && !ZERO_OR_NULL_PTR(p) && new_size <= old) {
		if (gfp & __GFP_ZERO)	/* Linux zeroes the part given up */
			memset((char *)p + new_size, 0, old - new_size);
		return (void *)p;
	}
	n = __kmalloc(ks, new_size, gfp, _THIS_FRAME);
	if (!n)
		return NULL;
	if (!ZERO_OR_NULL_PTR(p)) {
		memcpy(n, p, old);
		kfree(p);
	}
	return n;
}

void *krealloc(const void *p, size_t new_size, gfp_t gfp)
{
	return krealloc_from(&kmalloc_global, p, new_size, gfp);
}

/* ---------------------------------------------------------------- sets */

int kmalloc_set_init(struct kmalloc_set *ks, pg_data_t *node,
		     const char *prefix, slab_flags_t flags)
{
	char name[SLAB_NAME_LEN];

	ks->node = node;
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		ksnprintf(name, sizeof(name), "%s-%u", prefix, kmalloc_sizes[i]);
		ks->caches[i] = kmem_cache_create_node(node, name,
						       kmalloc_sizes[i], 0,
						       flags | SLAB_KMALLOC,
						       NULL);
		if (!ks->caches[i]) {
			kmalloc_set_destroy(ks);
			return -1;
		}
	}
	return 0;
}

void kmalloc_set_destroy(struct kmalloc_set *ks)
{
	for (unsigned int i = 0; i < KMALLOC_NR_CLASSES; i++) {
		kmem_cache_destroy(ks->caches[i]);
		ks->caches[i] = NULL;
	}
}

void kmem_cache_init(void)
{
	if (kmalloc_set_init(&kmalloc_global, &contig_page_data, "kmalloc", 0))
		panic("kmem_cache_init: no memory for the kmalloc caches");
	if (!slab_barn_shrinker_register())
		panic("kmem_cache_init: no shrinker for the slab barns");
	pr_info("slab: %u kmalloc caches, 8..%lu bytes; larger from the page "
		"allocator\n", KMALLOC_NR_CLASSES, KMALLOC_MAX_CACHE_SIZE);
}
