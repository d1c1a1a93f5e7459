/*
 * mm/xarray.c - the sparse array the page cache indexes its pages with.
 * The contract is mm/xarray.h; the shape and the reasons are in
 * docs/mm/xarray.md.
 *
 * A walk from the top node takes the slot (index >> shift) & 63 at each
 * level; the top node's shift says how many index bits the tree covers.
 * Every change that adds nodes first counts them (xa_nodes_needed), gets
 * them all (from the stash, then the slab), and only then touches the
 * tree: so a failed allocation changes nothing.
 */
#include "mm/xarray_internal.h"
#include "mm/slab.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"

#define XA_SLOT_MASK	(XA_CHUNK_SIZE - 1)
#define XA_MAX_SHIFT	60	/* 11 levels of 6 bits cover 64 */
#define XA_MAX_LEVELS	(XA_MAX_SHIFT / XA_CHUNK_SHIFT + 1)
/* The most nodes one store can add: index 0 held in the head moves
 * down a chain of slot 0's, and a new chain leads to the new index. */
#define XA_MAX_NEEDED	(2 * XA_MAX_LEVELS - 1)
/* Action bits a node allocation takes from the caller's gfp (not its
 * zone or mobility: the cache decides those). */
#define XA_GFP_MASK	(__GFP_HIGH | __GFP_MEMALLOC | __GFP_NOMEMALLOC | \
			 __GFP_IO | __GFP_FS | __GFP_RECLAIM | __GFP_NOWARN | \
			 __GFP_NORETRY)

unsigned int xa_fail_alloc_nth;
static struct kmem_cache *xa_node_cachep;	/* the kernel's, made at first use */
static unsigned long xa_nr_nodes;

/* ------------------------------------------------------------ entries */

static inline bool xa_is_internal(const void *e)
{
	return ((uintptr_t)e & 3) == 2;
}

static inline bool xa_is_node(const void *e)
{
	return xa_is_internal(e) && (uintptr_t)e > 4096;
}

static inline struct xa_node *xa_to_node(const void *e)
{
	return (struct xa_node *)((uintptr_t)e - 2);
}

static inline void *xa_mk_node(const struct xa_node *node)
{
	return (void *)((uintptr_t)node | 2);
}

static inline unsigned int xa_offset(unsigned long index, unsigned int shift)
{
	return (index >> shift) & XA_SLOT_MASK;
}

/* index with its slot bits at shift set to off and every lower bit 0. */
static inline unsigned long xa_set_offset(unsigned long index,
					  unsigned int shift, unsigned int off)
{
	unsigned long above = shift + XA_CHUNK_SHIFT >= 64 ? 0 :
			      ~0UL << (shift + XA_CHUNK_SHIFT);

	return (index & above) | ((unsigned long)off << shift);
}

/* The largest index a top node at shift covers. */
static inline unsigned long xa_max_index(unsigned int shift)
{
	return shift + XA_CHUNK_SHIFT >= 64 ? ~0UL :
	       (XA_CHUNK_SIZE << shift) - 1;
}

/* The shift of the lowest top node that covers index. */
static unsigned int xa_shift_for(unsigned long index)
{
	unsigned int shift = 0;

	while (shift < XA_MAX_SHIFT && (index >> shift) >= XA_CHUNK_SIZE)
		shift += XA_CHUNK_SHIFT;
	return shift;
}

static inline uint64_t xa_bit(unsigned int off)
{
	return (uint64_t)1 << off;
}

/* ------------------------------------------------------------ nodes */

struct kmem_cache *xa_node_cache_create(struct pglist_data *node)
{
	return kmem_cache_create_node(node, "xa_node", sizeof(struct xa_node),
				      0, SLAB_RECLAIM_ACCOUNT, NULL);
}

/* Where xa's nodes come from; the kernel's cache is made at the first
 * allocation that may sleep (making it allocates with GFP_KERNEL). */
static struct kmem_cache *xa_cache(struct xarray *xa, gfp_t gfp)
{
	struct kmem_cache *c, *none = NULL;

	if (xa->node_cache)
		return xa->node_cache;
	c = __atomic_load_n(&xa_node_cachep, __ATOMIC_ACQUIRE);
	if (c || !gfpflags_allow_blocking(gfp))
		return c;
	c = kmem_cache_create("xa_node", sizeof(struct xa_node), 0,
			      SLAB_RECLAIM_ACCOUNT, NULL);
	if (c && !__atomic_compare_exchange_n(&xa_node_cachep, &none, c, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE)) {
		kmem_cache_destroy(c);	/* another CPU made it first */
		c = none;
	}
	return c;
}

void xarray_init(void)
{
	struct xarray xa = XARRAY_INIT;

	if (!xa_cache(&xa, GFP_KERNEL))
		pr_err("xarray: no memory for the xa_node cache\n");
}

static struct xa_node *xa_node_alloc(struct xarray *xa, gfp_t gfp)
{
	struct kmem_cache *c;
	struct xa_node *node;

	if (xa_fail_alloc_nth && --xa_fail_alloc_nth == 0)
		return NULL;
	c = xa_cache(xa, gfp);
	if (!c)
		return NULL;
	node = kmem_cache_alloc(c, (gfp & XA_GFP_MASK) | __GFP_ZERO);
	if (node)
		__atomic_add_fetch(&xa_nr_nodes, 1, __ATOMIC_RELAXED);
	return node;
}

static void xa_node_free(struct xarray *xa, struct xa_node *node)
{
	__atomic_sub_fetch(&xa_nr_nodes, 1, __ATOMIC_RELAXED);
	kmem_cache_free(xa->node_cache ? xa->node_cache : xa_node_cachep, node);
}

unsigned long xa_nodes_in_use(void)
{
	return __atomic_load_n(&xa_nr_nodes, __ATOMIC_RELAXED);
}

/*
 * The stash: a stack of spare nodes through ->parent. xa_reserve() pushes
 * without the owner's lock; only holders of the owner's lock take nodes
 * off (all at once), so there is one taker at a time and no ABA.
 */
static void xa_stash_push(struct xarray *xa, struct xa_node *first,
			  struct xa_node *last, unsigned int nr)
{
	struct xa_node *top = __atomic_load_n(&xa->stash, __ATOMIC_RELAXED);

	do {
		last->parent = top;
	} while (!__atomic_compare_exchange_n(&xa->stash, &top, first, true,
					      __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	__atomic_add_fetch(&xa->nr_stash, nr, __ATOMIC_RELAXED);
}

/* Take the whole stash (the owner's lock is held). */
static struct xa_node *xa_stash_take(struct xarray *xa)
{
	struct xa_node *list = __atomic_exchange_n(&xa->stash, NULL,
						   __ATOMIC_ACQUIRE);

	for (struct xa_node *n = list; n; n = n->parent)
		__atomic_sub_fetch(&xa->nr_stash, 1, __ATOMIC_RELAXED);
	return list;
}

/* Nodes in hand for one change: taken before the tree is touched. */
struct xa_pool {
	unsigned int nr;
	struct xa_node *node[XA_MAX_NEEDED];
};

/* Give spare nodes (a list through ->parent) back: to the stash, up to
 * XA_STASH_MAX of them; the rest to the slab. */
static void xa_spares_release(struct xarray *xa, struct xa_node *more)
{
	unsigned int kept = 0;

	while (more) {
		struct xa_node *next = more->parent;

		if (kept++ < XA_STASH_MAX)
			xa_stash_push(xa, more, more, 1);
		else
			xa_node_free(xa, more);
		more = next;
	}
}

/* Give back what a change did not use, and spares with it. */
static void xa_pool_release(struct xarray *xa, struct xa_pool *pool,
			    struct xa_node *more)
{
	while (pool->nr) {
		struct xa_node *node = pool->node[--pool->nr];

		node->parent = more;
		more = node;
	}
	xa_spares_release(xa, more);
}

/*
 * Fill pool with n nodes: stashed ones first, then new ones from the slab
 * with gfp. 0, or -ENOMEM with the pool empty (what it got is stashed).
 */
static int xa_pool_fill(struct xarray *xa, struct xa_pool *pool,
			unsigned int n, gfp_t gfp)
{
	struct xa_node *spare;

	pool->nr = 0;
	if (!n)
		return 0;
	spare = xa_stash_take(xa);
	while (pool->nr < n && spare) {
		pool->node[pool->nr++] = spare;
		spare = spare->parent;
	}
	while (pool->nr < n) {
		struct xa_node *node = xa_node_alloc(xa, gfp);

		if (!node) {
			xa_pool_release(xa, pool, spare);
			return -ENOMEM;
		}
		pool->node[pool->nr++] = node;
	}
	xa_spares_release(xa, spare);
	return 0;
}

static struct xa_node *xa_pool_take(struct xa_pool *pool, unsigned int shift,
				    struct xa_node *parent, unsigned int offset)
{
	struct xa_node *node;

	BUG_ON(!pool->nr);	/* xa_nodes_needed() and the walk disagree */
	node = pool->node[--pool->nr];
	memset(node, 0, sizeof(*node));
	node->shift = (unsigned char)shift;
	node->parent = parent;
	node->offset = (unsigned char)offset;
	return node;
}

/* ------------------------------------------------------------ walks */

/*
 * The slot index lives in, without creating anything: a leaf slot (and
 * *leafp the leaf), &xa->xa_head for index 0 with no node (*leafp NULL),
 * or NULL when the path to index has no node.
 */
static void **xa_slot(const struct xarray *xa, unsigned long index,
		      struct xa_node **leafp)
{
	void *head = xa->xa_head;
	struct xa_node *node;

	*leafp = NULL;
	if (!xa_is_node(head))
		return index == 0 ? (void **)&xa->xa_head : NULL;
	node = xa_to_node(head);
	if (index > xa_max_index(node->shift))
		return NULL;
	for (;;) {
		void **slot = &node->slots[xa_offset(index, node->shift)];

		if (node->shift == 0) {
			*leafp = node;
			return slot;
		}
		if (!*slot)
			return NULL;
		node = xa_to_node(*slot);
	}
}

/*
 * Nodes a store at index would add, given the top node's shift (-1: no
 * node; head_used: index 0 holds an entry in the head). xa_create_path()
 * must take exactly this many; with walk, the missing part of index's
 * path below the top is counted exactly, else assumed all missing (the
 * unlocked estimate of xa_reserve()).
 */
static unsigned int xa_count_needed(const struct xarray *xa, int top_shift,
				    bool head_used, unsigned long index,
				    bool walk)
{
	unsigned int want = xa_shift_for(index);
	unsigned int levels = want / XA_CHUNK_SHIFT;
	const struct xa_node *node;

	if (top_shift < 0) {
		if (index == 0)
			return 0;
		/* A new top and a chain down to index's leaf; an entry at 0
		 * moves into a leaf that gets its own chain of parents. */
		return levels + 1 + (head_used ? levels : 0);
	}
	if ((unsigned int)top_shift < want)	/* grow, then a new chain */
		return (want - (unsigned int)top_shift) / XA_CHUNK_SHIFT +
		       levels;
	if (!walk)
		return (unsigned int)top_shift / XA_CHUNK_SHIFT;
	node = xa_to_node(xa->xa_head);
	while (node->shift) {
		const void *e = node->slots[xa_offset(index, node->shift)];

		if (!e)
			return node->shift / XA_CHUNK_SHIFT;
		node = xa_to_node(e);
	}
	return 0;
}

static unsigned int xa_nodes_needed(const struct xarray *xa,
				    unsigned long index)
{
	const void *head = xa->xa_head;

	if (xa_is_node(head))
		return xa_count_needed(xa, xa_to_node(head)->shift, false,
				       index, true);
	return xa_count_needed(xa, -1, head != NULL, index, true);
}

static void xa_set_height(struct xarray *xa)
{
	unsigned int h = xa_is_node(xa->xa_head) ?
			 xa_to_node(xa->xa_head)->shift / XA_CHUNK_SHIFT + 1 : 0;

	__atomic_store_n(&xa->height, h, __ATOMIC_RELAXED);
}

/*
 * The leaf slot for index, growing the tree and adding the nodes its path
 * lacks, every one from pool (xa_nodes_needed() of them). *leafp is the
 * leaf, or NULL for the head slot (index 0 with no node).
 */
static void **xa_create_path(struct xarray *xa, unsigned long index,
			     struct xa_pool *pool, struct xa_node **leafp)
{
	unsigned int want = xa_shift_for(index);
	void *head = xa->xa_head;
	struct xa_node *node;

	*leafp = NULL;
	if (!xa_is_node(head)) {
		if (index == 0)
			return &xa->xa_head;
		if (!head) {
			node = xa_pool_take(pool, want, NULL, 0);
		} else {
			/* index 0's entry moves into a leaf, marks too */
			node = xa_pool_take(pool, 0, NULL, 0);
			node->slots[0] = head;
			node->count = 1;
			for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
				if (xa->marks_set & (1U << m))
					node->marks[m] = 1;
		}
		xa->xa_head = xa_mk_node(node);
	}
	node = xa_to_node(xa->xa_head);
	while (node->shift < want) {
		/* Grow: the old top becomes slot 0 of a new top. */
		struct xa_node *up = xa_pool_take(pool,
						  node->shift + XA_CHUNK_SHIFT,
						  NULL, 0);

		up->slots[0] = xa_mk_node(node);
		up->count = 1;
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (node->marks[m])
				up->marks[m] = 1;
		node->parent = up;
		node->offset = 0;
		xa->xa_head = xa_mk_node(up);
		node = up;
	}
	xa_set_height(xa);
	while (node->shift) {
		unsigned int off = xa_offset(index, node->shift);

		if (!node->slots[off]) {
			struct xa_node *child = xa_pool_take(pool,
						node->shift - XA_CHUNK_SHIFT,
						node, off);

			node->slots[off] = xa_mk_node(child);
			node->count++;
		}
		node = xa_to_node(node->slots[off]);
	}
	*leafp = node;
	return &node->slots[xa_offset(index, 0)];
}

/* ------------------------------------------------------------ marks */

/* Set mark m on slot off of node and summarise it up to the root. */
static void xa_node_set_mark(struct xarray *xa, struct xa_node *node,
			     unsigned int off, xa_mark_t m)
{
	while (node) {
		if (node->marks[m] & xa_bit(off))
			return;		/* the levels above know already */
		node->marks[m] |= xa_bit(off);
		off = node->offset;
		node = node->parent;
	}
	xa->marks_set |= 1U << m;
}

/* Clear mark m on slot off of node, and above while nothing below has it. */
static void xa_node_clear_mark(struct xarray *xa, struct xa_node *node,
			       unsigned int off, xa_mark_t m)
{
	while (node) {
		if (!(node->marks[m] & xa_bit(off)))
			return;
		node->marks[m] &= ~xa_bit(off);
		if (node->marks[m])
			return;		/* still marked below: above stays */
		off = node->offset;
		node = node->parent;
	}
	xa->marks_set &= ~(1U << m);
}

static void xa_clear_all_marks(struct xarray *xa, struct xa_node *leaf,
			       unsigned int off)
{
	for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++) {
		if (leaf)
			xa_node_clear_mark(xa, leaf, off, m);
		else
			xa->marks_set &= ~(1U << m);
	}
}

/* ------------------------------------------------------------ removal */

/* Free node and its ancestors while they are empty. */
static void xa_delete_empty(struct xarray *xa, struct xa_node *node)
{
	while (node && node->count == 0) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			xa->xa_head = NULL;
		}
		xa_node_free(xa, node);
		node = parent;
	}
}

/* Drop top nodes that hold only slot 0: the tree is as low as it can be. */
static void xa_shrink(struct xarray *xa)
{
	while (xa_is_node(xa->xa_head)) {
		struct xa_node *node = xa_to_node(xa->xa_head);
		void *child = node->slots[0];

		if (node->count != 1 || !child)
			break;
		/* A leaf's slot 0 entry goes to the head: its marks are in
		 * marks_set already (the root's summary). */
		if (node->shift)
			xa_to_node(child)->parent = NULL;
		xa->xa_head = child;
		xa_node_free(xa, node);
	}
	xa_set_height(xa);
}

/* ------------------------------------------------------------ API */

void *xa_load(const struct xarray *xa, unsigned long index)
{
	struct xa_node *leaf;
	void **slot = xa_slot(xa, index, &leaf);

	return slot ? *slot : NULL;
}

void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	struct xa_pool pool;
	struct xa_node *leaf;
	void **slot, *old;

	if (!entry)
		return xa_erase(xa, index);
	BUG_ON(xa_is_internal(entry) || entry == XA_ERR_NOMEM);
	if (xa_pool_fill(xa, &pool, xa_nodes_needed(xa, index), gfp))
		return XA_ERR_NOMEM;
	slot = xa_create_path(xa, index, &pool, &leaf);
	WARN_ON(pool.nr);		/* counted more than the walk took */
	xa_pool_release(xa, &pool, NULL);
	old = *slot;
	*slot = entry;
	if (!old) {
		if (leaf)
			leaf->count++;
		xa->nr_entries++;
	} else if (xa_is_value(old)) {
		xa->nr_values--;
	}
	if (xa_is_value(entry)) {
		xa->nr_values++;
		xa_clear_all_marks(xa, leaf, xa_offset(index, 0));
	}
	return old;
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	struct xa_node *leaf;
	void **slot = xa_slot(xa, index, &leaf);
	void *old;

	if (!slot || !*slot)
		return NULL;
	old = *slot;
	xa_clear_all_marks(xa, leaf, xa_offset(index, 0));
	*slot = NULL;
	xa->nr_entries--;
	if (xa_is_value(old))
		xa->nr_values--;
	if (leaf) {
		leaf->count--;
		xa_delete_empty(xa, leaf);
		xa_shrink(xa);
	}
	return old;
}

int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	unsigned int height = __atomic_load_n(&xa->height, __ATOMIC_RELAXED);
	struct xa_node *first = NULL, *last = NULL;
	unsigned int want, have, nr = 0;

	/* Unlocked: assume the worst the height allows (head in use, every
	 * node below the top missing). */
	want = xa_count_needed(xa, height ? (int)(height - 1) * XA_CHUNK_SHIFT
					  : -1, true, index, false);
	have = __atomic_load_n(&xa->nr_stash, __ATOMIC_RELAXED);
	for (; have < want; have++, nr++) {
		struct xa_node *node = xa_node_alloc(xa, gfp);

		if (!node)
			break;
		node->parent = first;
		first = node;
		if (!last)
			last = node;
	}
	if (first)
		xa_stash_push(xa, first, last, nr);
	return have < want ? -ENOMEM : 0;
}

void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf;
	void **slot;

	if (WARN_ON(mark >= XA_MAX_MARKS))
		return;
	slot = xa_slot(xa, index, &leaf);
	if (!slot || !*slot)
		return;
	if (leaf)
		xa_node_set_mark(xa, leaf, xa_offset(index, 0), mark);
	else
		xa->marks_set |= 1U << mark;
}

void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf;
	void **slot;

	if (WARN_ON(mark >= XA_MAX_MARKS))
		return;
	slot = xa_slot(xa, index, &leaf);
	if (!slot || !*slot)
		return;
	if (leaf)
		xa_node_clear_mark(xa, leaf, xa_offset(index, 0), mark);
	else
		xa->marks_set &= ~(1U << mark);
}

bool xa_get_mark(const struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	struct xa_node *leaf;
	void **slot;

	if (mark >= XA_MAX_MARKS)
		return false;
	slot = xa_slot(xa, index, &leaf);
	if (!slot || !*slot)
		return false;
	if (!leaf)
		return xa->marks_set & (1U << mark);
	return leaf->marks[mark] & xa_bit(xa_offset(index, 0));
}

bool xa_marked(const struct xarray *xa, xa_mark_t mark)
{
	return mark < XA_MAX_MARKS && (xa->marks_set & (1U << mark));
}

/* The first slot >= off of node that leads to what filter asks for, or
 * XA_CHUNK_SIZE. */
static unsigned int xa_next_slot(const struct xa_node *node, unsigned int off,
				 xa_mark_t filter)
{
	if (off >= XA_CHUNK_SIZE)
		return XA_CHUNK_SIZE;
	if (filter != XA_PRESENT) {
		uint64_t bits = node->marks[filter] & (~(uint64_t)0 << off);

		return bits ? (unsigned int)__builtin_ctzll(bits) :
			      XA_CHUNK_SIZE;
	}
	while (off < XA_CHUNK_SIZE && !node->slots[off])
		off++;
	return off;
}

void *xa_find(const struct xarray *xa, unsigned long *indexp,
	      unsigned long max, xa_mark_t filter)
{
	unsigned long index = *indexp;
	const struct xa_node *node;
	unsigned int off;

	if (index > max)
		return NULL;
	if (filter != XA_PRESENT &&
	    (filter >= XA_MAX_MARKS || !(xa->marks_set & (1U << filter))))
		return NULL;
	if (!xa_is_node(xa->xa_head)) {
		if (index != 0 || !xa->xa_head)
			return NULL;
		return xa->xa_head;	/* at 0; its marks are marks_set */
	}
	node = xa_to_node(xa->xa_head);
	if (index > xa_max_index(node->shift))
		return NULL;
	off = xa_offset(index, node->shift);
	for (;;) {
		unsigned int s = xa_next_slot(node, off, filter);

		if (s == XA_CHUNK_SIZE) {
			/* Nothing more here: on in the parent, after us. */
			if (!node->parent)
				return NULL;
			off = node->offset + 1u;
			node = node->parent;
			continue;
		}
		if (s != xa_offset(index, node->shift))
			index = xa_set_offset(index, node->shift, s);
		if (index > max)
			return NULL;
		if (!node->shift) {
			*indexp = index;
			return node->slots[s];
		}
		node = xa_to_node(node->slots[s]);
		off = xa_offset(index, node->shift);
	}
}

void *xa_find_after(const struct xarray *xa, unsigned long *indexp,
		    unsigned long max, xa_mark_t filter)
{
	unsigned long index;
	void *entry;

	if (*indexp >= max)
		return NULL;
	index = *indexp + 1;
	entry = xa_find(xa, &index, max, filter);
	if (entry)
		*indexp = index;
	return entry;
}

unsigned long xa_next_hole(const struct xarray *xa, unsigned long start,
			   unsigned long max)
{
	unsigned long index = start;

	while (index <= max) {
		struct xa_node *leaf;
		void **slot = xa_slot(xa, index, &leaf);
		unsigned int off;

		if (!slot || !*slot)
			return index;
		/* Run along this leaf without walking down again. */
		if (leaf) {
			off = xa_offset(index, 0);
			while (off + 1 < XA_CHUNK_SIZE && index < max &&
			       leaf->slots[off + 1]) {
				off++;
				index++;
			}
		}
		if (index == max)
			break;
		index++;
	}
	return max + 1;
}

static void xa_free_subtree(struct xarray *xa, struct xa_node *node)
{
	if (node->shift)
		for (unsigned int s = 0; s < XA_CHUNK_SIZE; s++)
			if (node->slots[s])
				xa_free_subtree(xa, xa_to_node(node->slots[s]));
	xa_node_free(xa, node);
}

void xa_destroy(struct xarray *xa)
{
	struct kmem_cache *cache = xa->node_cache;
	struct xa_node *spare = xa_stash_take(xa);

	if (xa_is_node(xa->xa_head))
		xa_free_subtree(xa, xa_to_node(xa->xa_head));
	while (spare) {
		struct xa_node *next = spare->parent;

		xa_node_free(xa, spare);
		spare = next;
	}
	xa_init(xa);
	xa->node_cache = cache;
}

/* ------------------------------------------------------------ checking */

struct xa_tally {
	unsigned long entries, values;
	int errors;
};

#define xa_bad(t, fmt, ...) do { \
	pr_err("xa_check: " fmt "\n", ##__VA_ARGS__); \
	(t)->errors++; \
} while (0)

/* Check node (at shift, covering from base) and everything below it. */
static void xa_check_node(const struct xa_node *node, unsigned int shift,
			  unsigned long base, const struct xa_node *parent,
			  unsigned int offset, struct xa_tally *t)
{
	uint64_t used = 0, summary[XA_MAX_MARKS] = { 0 };
	unsigned int count = 0;

	if (node->shift != shift || node->parent != parent ||
	    (parent && node->offset != offset))
		xa_bad(t, "node %p at index %#lx: shift %u parent %p offset %u, "
		       "expected %u %p %u", (const void *)node, base,
		       node->shift, (const void *)node->parent, node->offset,
		       shift, (const void *)parent, offset);
	for (unsigned int s = 0; s < XA_CHUNK_SIZE; s++) {
		const void *e = node->slots[s];
		unsigned long at = base + ((unsigned long)s << shift);

		if (!e)
			continue;
		count++;
		used |= xa_bit(s);
		if (shift) {
			if (!xa_is_node(e)) {
				xa_bad(t, "index %#lx (shift %u, slot %u): %p "
				       "above the leaves is not a node", at,
				       shift, s, e);
				continue;
			}
			xa_check_node(xa_to_node(e), shift - XA_CHUNK_SHIFT,
				      at, node, s, t);
			for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
				if (xa_to_node(e)->marks[m])
					summary[m] |= xa_bit(s);
		} else if (xa_is_internal(e)) {
			xa_bad(t, "index %#lx: internal entry %p in a leaf",
			       at, e);
		} else {
			t->entries++;
			if (xa_is_value(e))
				t->values++;
		}
	}
	for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++) {
		/* A leaf's marks sit on entries; above, they say exactly
		 * which children hold a marked entry. */
		uint64_t want = shift ? summary[m] : node->marks[m] & used;

		if (node->marks[m] != want)
			xa_bad(t, "node at index %#lx (shift %u): mark %u bits "
			       "%#llx, expected %#llx", base, shift, m,
			       (unsigned long long)node->marks[m],
			       (unsigned long long)want);
	}
	if (count != node->count)
		xa_bad(t, "node %p at index %#lx (shift %u): count %u, %u slots "
		       "used", (const void *)node, base, shift, node->count,
		       count);
	if (!count)
		xa_bad(t, "node %p at index %#lx (shift %u) is empty",
		       (const void *)node, base, shift);
}

int xa_check(const struct xarray *xa)
{
	struct xa_tally t = { 0 };
	const void *head = xa->xa_head;
	unsigned int marks = 0, height = 0;

	if (xa_is_node(head)) {
		const struct xa_node *top = xa_to_node(head);

		if (top->shift > XA_MAX_SHIFT || top->shift % XA_CHUNK_SHIFT)
			xa_bad(&t, "top node shift %u", top->shift);
		else
			xa_check_node(top, top->shift, 0, NULL, 0, &t);
		if (top->count == 1 && top->slots[0])
			xa_bad(&t, "top node (shift %u) holds only slot 0: the "
			       "tree should have shrunk", top->shift);
		for (xa_mark_t m = 0; m < XA_MAX_MARKS; m++)
			if (top->marks[m])
				marks |= 1U << m;
		height = top->shift / XA_CHUNK_SHIFT + 1;
	} else if (head) {
		if (xa_is_internal(head))
			xa_bad(&t, "head holds internal entry %p", head);
		t.entries = 1;
		t.values = xa_is_value(head);
		marks = xa->marks_set;
	}
	if (marks != xa->marks_set)
		xa_bad(&t, "marks_set %#x, but the entries carry %#x",
		       xa->marks_set, marks);
	if (t.entries != xa->nr_entries || t.values != xa->nr_values)
		xa_bad(&t, "nr_entries %lu nr_values %lu, but the tree holds "
		       "%lu and %lu", xa->nr_entries, xa->nr_values,
		       t.entries, t.values);
	if (height != xa->height)
		xa_bad(&t, "height %u, but the tree has %u levels", xa->height,
		       height);
	return t.errors ? -EINVAL : 0;
}
