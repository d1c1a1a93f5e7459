/*
 * kernel/lib/gaptree.h - a gap tree: the used ranges of a space of
 * addresses (bytes, pages, IOVA granules: any unit), kept so that a free
 * range of a given size and alignment is found in O(log n).
 *
 *	struct thing { struct gap_node node; ... };	// embedded, intrusive
 *	struct gap_tree t;
 *	struct gap_fit fit;
 *
 *	gap_tree_init(&t, 0x1000, 0xffff);		// the space [first, last]
 *	if (gap_tree_fit_lowest(&t, 16, 4, 0x1000, 0x7fff, &fit))
 *		gap_tree_insert_fit(&t, &thing->node, &fit, 16);
 *	...
 *	struct gap_node *n = gap_tree_find(&t, addr);	// the range holding addr
 *	gap_tree_remove(&t, &thing->node);
 *
 * Shape. An AVL tree of the used ranges [start, last], ordered by address.
 * Every node also owns the free gap just below its start (down to its
 * predecessor's last, or to the space's first unit) and records the
 * largest gap anywhere in its subtree. A search for room skips every
 * subtree whose largest gap is too small. A sentinel, the anchor, sits
 * just above the space (at last + 1) and is always in the tree: its gap
 * is the free space above the highest range, so every gap has an owner.
 * Nodes carry parent pointers: inserting at a fit and removing a node
 * walk up from where the tree changed, never down from the root, and the
 * walk stops as soon as a subtree's height and largest gap come out
 * unchanged (nothing above can change then).
 *
 * Its users are the IOVA allocator (mm/iova.c, top-down below a
 * device's DMA limit), vmalloc and ioremap (mm/vmalloc.c, bottom-up inside
 * their windows), and next the VMAs of an address space. Linux uses an
 * augmented red-black tree (IOVA, vmalloc's free areas) and the maple
 * tree (VMAs) for the same job; this is the one structure for all three.
 *
 * Contract:
 *  - The caller serialises all calls on one tree (its own lock); nothing
 *    here allocates, sleeps or takes a lock.
 *  - Sizes are >= 1 unit; align is a power of two >= 1 (in units); ranges
 *    are inclusive [start, last] and lie inside [first, last] of the space,
 *    whose last must be below ULONG_MAX (the anchor needs last + 1).
 *  - The owner may read node->start and node->last (and alias them under
 *    its own names: they are the first two members, see struct iova) but
 *    must change them only through these functions.
 *  - A node is in at most one tree at a time; the anchor is never handed
 *    out by find, first or next.
 */
#ifndef KERNEL_LIB_GAPTREE_H
#define KERNEL_LIB_GAPTREE_H

#include "kernel/types.h"

struct gap_node {
	unsigned long start, last;	/* the range, inclusive (first members) */
	unsigned long gap;		/* free units just below start */
	unsigned long max_gap;		/* largest gap in this subtree */
	struct gap_node *left, *right;
	struct gap_node *parent;	/* NULL at the root */
	int height;			/* AVL height (leaf: 1) */
};

struct gap_tree {
	struct gap_node *root;
	struct gap_node anchor;		/* at last + 1: owns the top gap */
	unsigned long first;		/* lowest unit of the space */
	unsigned long nr;		/* ranges in the tree (not the anchor) */
};

/* Where a free range was found: its start, and the node whose gap holds it. */
struct gap_fit {
	unsigned long start;
	struct gap_node *next;		/* the range just above (maybe the anchor) */
};

static inline unsigned long gap_node_size(const struct gap_node *n)
{
	return n->last - n->start + 1;
}

/* An empty tree over the space [first, last] (last < ULONG_MAX). */
void gap_tree_init(struct gap_tree *t, unsigned long first, unsigned long last);

/*
 * Room for size units aligned to align, all inside [lo, hi]: the highest
 * such start (top-down) or the lowest (bottom-up). Returns false if there
 * is none; otherwise fills *fit for gap_tree_insert_fit(). The tree is
 * not changed, so a caller may look and then decide not to insert.
 */
bool gap_tree_fit_highest(const struct gap_tree *t, unsigned long size,
			  unsigned long align, unsigned long lo,
			  unsigned long hi, struct gap_fit *fit);
bool gap_tree_fit_lowest(const struct gap_tree *t, unsigned long size,
			 unsigned long align, unsigned long lo,
			 unsigned long hi, struct gap_fit *fit);

/*
 * Insert node as [fit->start, fit->start + size - 1], where fit came from
 * a gap_tree_fit_*() on this tree with this size and no change since.
 * O(log n) with no walk from the root.
 */
void gap_tree_insert_fit(struct gap_tree *t, struct gap_node *node,
			 const struct gap_fit *fit, unsigned long size);

/*
 * Insert node as [start, last] wherever that is (a reserved range, a
 * fixed mapping). Returns 0, or -1 if the range is empty, leaves the
 * space, or overlaps a range already in the tree (node is then untouched).
 */
int gap_tree_insert(struct gap_tree *t, struct gap_node *node,
		    unsigned long start, unsigned long last);

/* Take node out of t; its units become part of the gap above it. */
void gap_tree_remove(struct gap_tree *t, struct gap_node *node);

/* The range holding addr, or NULL if addr is free or outside the space. */
struct gap_node *gap_tree_find(const struct gap_tree *t, unsigned long addr);

/* In-order iteration: the lowest range, and the range after n (NULL: none). */
struct gap_node *gap_tree_first(const struct gap_tree *t);
struct gap_node *gap_tree_next(const struct gap_tree *t,
			       const struct gap_node *n);

#define gap_tree_for_each(n, t) \
	for ((n) = gap_tree_first(t); (n); (n) = gap_tree_next((t), (n)))

/*
 * Check every invariant: ranges in order and not overlapping, inside the
 * space, each gap equal to the distance to the predecessor, subtree
 * maxima, AVL heights and balance, parent pointers, the count, the anchor
 * last. Prints the first problem (prefixed with name) and returns false.
 * O(n): for tests and debugging.
 */
bool gap_tree_check(const struct gap_tree *t, const char *name);

#endif
