/*
 * mm/xarray_internal.h - the xarray's node, for mm/xarray.c and the tests
 * that look at the tree's shape. Everyone else uses mm/xarray.h.
 */
#ifndef MM_XARRAY_INTERNAL_H
#define MM_XARRAY_INTERNAL_H

#include "mm/xarray.h"

/*
 * One node: 64 slots, each NULL, an entry (only in a leaf, shift 0), or a
 * child node (only above the leaves). No node in the tree is empty. A
 * node at `shift` splits its range by index bits [shift, shift + 6):
 * slot = (index >> shift) & 63.
 *
 * In xa_head and in slots, a node is stored tagged with 2 in its low bits
 * (xa_mk_node), so it cannot be mistaken for an entry: entries are 4-byte
 * aligned pointers (low bits 00) or values (bit 0 set).
 */
struct xa_node {
	unsigned char shift;		/* 0 for a leaf, then 6, 12, ... 60 */
	unsigned char offset;		/* our slot in parent */
	unsigned char count;		/* slots not NULL */
	struct xa_node *parent;		/* NULL at the top; in the stash,
					 * the next stashed node */
	void *slots[XA_CHUNK_SIZE];
	/* Bit s of marks[m]: slot s holds an entry with mark m (leaf), or
	 * leads to one (above): the summary a marked search follows. */
	uint64_t marks[XA_MAX_MARKS];
};

/*
 * Test hook: when non-zero, the nth node allocation from now fails (1:
 * the next one). It counts down once per allocation attempt and stays 0
 * after firing, so a test can walk n = 1, 2, ... through one operation.
 */
extern unsigned int xa_fail_alloc_nth;

#endif
