/*
 * kernel/lib/gaptree.c - the gap tree (contract in kernel/lib/gaptree.h).
 *
 * Gap bookkeeping: every node owns the free space between its predecessor
 * (or the space's first unit) and itself. Inserting N below its successor
 * S splits S's gap; removing N gives N's gap and N's units to S. S is
 * always an ancestor of the place where the tree changed (N goes in as
 * S's in-order predecessor, i.e. inside S's left subtree; a removed N's
 * successor is the lowest ancestor whose left subtree holds N, or the
 * minimum of N's right subtree, which takes N's place), so one walk up
 * from that place, recomputing heights and subtree maxima, keeps every
 * node right. The walk stops as soon as a subtree's height and largest
 * gap come out unchanged (once past S): nothing above can change.
 */
#include "kernel/lib/gaptree.h"
#include "kernel/printk.h"

static inline int height(const struct gap_node *n)
{
	return n ? n->height : 0;
}

static inline unsigned long max_gap(const struct gap_node *n)
{
	return n ? n->max_gap : 0;
}

/* Lowest unit of n's gap (== n->start when the gap is empty). */
static inline unsigned long gap_lo(const struct gap_node *n)
{
	return n->start - n->gap;
}

static void update(struct gap_node *n)
{
	unsigned long m = n->gap;
	int hl = height(n->left), hr = height(n->right);

	n->height = 1 + (hl > hr ? hl : hr);
	if (max_gap(n->left) > m)
		m = max_gap(n->left);
	if (max_gap(n->right) > m)
		m = max_gap(n->right);
	n->max_gap = m;
}

/* Put new where old was under parent (or at the root). */
static void replace_child(struct gap_tree *t, struct gap_node *parent,
			  struct gap_node *old, struct gap_node *new)
{
	if (!parent)
		t->root = new;
	else if (parent->left == old)
		parent->left = new;
	else
		parent->right = new;
	if (new)
		new->parent = parent;
}

static struct gap_node *rotate_right(struct gap_tree *t, struct gap_node *y)
{
	struct gap_node *x = y->left;

	y->left = x->right;
	if (x->right)
		x->right->parent = y;
	replace_child(t, y->parent, y, x);
	x->right = y;
	y->parent = x;
	update(y);
	update(x);
	return x;
}

static struct gap_node *rotate_left(struct gap_tree *t, struct gap_node *x)
{
	struct gap_node *y = x->right;

	x->right = y->left;
	if (y->left)
		y->left->parent = x;
	replace_child(t, x->parent, x, y);
	y->left = x;
	x->parent = y;
	update(x);
	update(y);
	return y;
}

/* Recompute n and restore AVL balance there; returns the subtree's new root. */
static struct gap_node *balance(struct gap_tree *t, struct gap_node *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			rotate_left(t, n->left);
		return rotate_right(t, n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			rotate_right(t, n->right);
		return rotate_left(t, n);
	}
	return n;
}

/*
 * The tree changed at n (a child added or removed below it) and dirty's
 * gap changed; dirty is n or an ancestor of n. Rebalance and recompute
 * from n up, stopping once past dirty at a subtree whose height and
 * largest gap did not change.
 */
static void fix_upwards(struct gap_tree *t, struct gap_node *n,
			struct gap_node *dirty)
{
	while (n) {
		int h = n->height;
		unsigned long g = n->max_gap;
		bool was_dirty = n == dirty;
		struct gap_node *top = balance(t, n);

		if (was_dirty)
			dirty = NULL;
		/* Same height and maximum: every ancestor is already right. */
		if (!dirty && top->height == h && top->max_gap == g)
			return;
		n = top->parent;
	}
}

void gap_tree_init(struct gap_tree *t, unsigned long first, unsigned long last)
{
	t->root = &t->anchor;
	t->first = first;
	t->nr = 0;
	t->anchor = (struct gap_node){
		.start = last + 1, .last = last + 1,
		.gap = last + 1 - first,
	};
	update(&t->anchor);		/* no parent, no children: the root */
}

/* Put node = [start, last] into the gap of its successor next. */
static void insert_below(struct gap_tree *t, struct gap_node *node,
			 struct gap_node *next, unsigned long start,
			 unsigned long last)
{
	unsigned long lo = gap_lo(next);
	struct gap_node *p = next->left;

	node->start = start;
	node->last = last;
	node->left = node->right = NULL;
	node->gap = start - lo;
	node->max_gap = node->gap;
	node->height = 1;
	next->gap = next->start - last - 1;
	/* node is next's in-order predecessor: next's left child, or the
	 * right end of next's left subtree. No walk from the root. */
	if (!p) {
		next->left = node;
		node->parent = next;
	} else {
		while (p->right)
			p = p->right;
		p->right = node;
		node->parent = p;
	}
	fix_upwards(t, node->parent, next);
	t->nr++;
}

void gap_tree_insert_fit(struct gap_tree *t, struct gap_node *node,
			 const struct gap_fit *fit, unsigned long size)
{
	insert_below(t, node, fit->next, fit->start, fit->start + size - 1);
}

/* The lowest node starting above addr (the anchor at worst; NULL above it). */
static struct gap_node *successor_of(const struct gap_tree *t,
				     unsigned long addr)
{
	struct gap_node *n = t->root, *best = NULL;

	while (n) {
		if (n->start > addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

int gap_tree_insert(struct gap_tree *t, struct gap_node *node,
		    unsigned long start, unsigned long last)
{
	struct gap_node *next;

	if (start > last || start < t->first || last >= t->anchor.start)
		return -1;
	next = successor_of(t, last);
	if (gap_lo(next) > start)		/* not all free */
		return -1;
	insert_below(t, node, next, start, last);
	return 0;
}

void gap_tree_remove(struct gap_tree *t, struct gap_node *node)
{
	struct gap_node *next, *from;

	if (node->right) {
		/* The successor is the minimum of the right subtree; it takes
		 * node's place, so the changes start where it was. */
		next = node->right;
		while (next->left)
			next = next->left;
		next->gap += node->gap + gap_node_size(node);
		if (next == node->right) {
			from = next;
		} else {
			from = next->parent;
			from->left = next->right;
			if (next->right)
				next->right->parent = from;
			next->right = node->right;
			node->right->parent = next;
		}
		next->left = node->left;
		if (node->left)
			node->left->parent = next;
		replace_child(t, node->parent, node, next);
		/* What node's parent saw at this place, for the walk's
		 * early stop; both are recomputed on the way up. */
		next->height = node->height;
		next->max_gap = node->max_gap;
	} else {
		/* The successor is the lowest ancestor holding node on its
		 * left (there is one: the anchor is above every range). */
		struct gap_node *c = node;

		next = node->parent;
		while (next->right == c) {
			c = next;
			next = next->parent;
		}
		next->gap += node->gap + gap_node_size(node);
		from = node->parent;
		replace_child(t, from, node, node->left);
	}
	fix_upwards(t, from, next);
	t->nr--;
}

struct gap_node *gap_tree_find(const struct gap_tree *t, unsigned long addr)
{
	struct gap_node *n = t->root;

	while (n) {
		if (addr < n->start)
			n = n->left;
		else if (addr > n->last)
			n = n->right;
		else
			return n == &t->anchor ? NULL : n;
	}
	return NULL;
}

/*
 * The highest aligned [*start, *start + size) inside [lo, hi] and inside
 * a gap of n's subtree: returns the node owning that gap. Subtrees whose
 * largest gap is too small are never entered; the right subtree is
 * skipped when all of it lies above hi, the left when all of it lies
 * below lo.
 */
static struct gap_node *fit_highest(struct gap_node *n, unsigned long size,
				    unsigned long mask, unsigned long lo,
				    unsigned long hi, unsigned long *start)
{
	/* Right subtree, this gap, then down the left: a loop, not a call. */
	for (; n && n->max_gap >= size; n = n->left) {
		struct gap_node *r;
		unsigned long glo;

		if (n->last < hi &&
		    (r = fit_highest(n->right, size, mask, lo, hi, start)))
			return r;
		glo = gap_lo(n);
		if (n->gap >= size) {
			unsigned long top = n->start - 1 < hi ? n->start - 1 : hi;
			unsigned long bottom = glo > lo ? glo : lo;

			if (top >= bottom && top - bottom + 1 >= size) {
				unsigned long cand = (top - size + 1) & mask;

				if (cand >= bottom) {
					*start = cand;
					return n;
				}
			}
		}
		if (lo >= glo)	/* the left subtree lies below lo */
			return NULL;
	}
	return NULL;
}

/* The mirror image of fit_highest: the lowest fit, left subtree first. */
static struct gap_node *fit_lowest(struct gap_node *n, unsigned long size,
				   unsigned long mask, unsigned long lo,
				   unsigned long hi, unsigned long *start)
{
	for (; n && n->max_gap >= size; n = n->right) {
		struct gap_node *r;
		unsigned long glo = gap_lo(n);

		if (lo < glo &&
		    (r = fit_lowest(n->left, size, mask, lo, hi, start)))
			return r;
		if (n->gap >= size && glo <= hi) {
			unsigned long top = n->start - 1 < hi ? n->start - 1 : hi;
			unsigned long bottom = glo > lo ? glo : lo;
			unsigned long cand = bottom & mask;

			if (cand < bottom)
				cand += ~mask + 1;	/* round up; 0 if it wraps */
			if (cand >= bottom && cand <= top && top - cand + 1 >= size) {
				*start = cand;
				return n;
			}
		}
		if (n->last >= hi)	/* the right subtree lies above hi */
			return NULL;
	}
	return NULL;
}

bool gap_tree_fit_highest(const struct gap_tree *t, unsigned long size,
			  unsigned long align, unsigned long lo,
			  unsigned long hi, struct gap_fit *fit)
{
	if (!size || !align || lo > hi)
		return false;
	fit->next = fit_highest(t->root, size, ~(align - 1), lo, hi, &fit->start);
	return fit->next != NULL;
}

bool gap_tree_fit_lowest(const struct gap_tree *t, unsigned long size,
			 unsigned long align, unsigned long lo,
			 unsigned long hi, struct gap_fit *fit)
{
	if (!size || !align || lo > hi)
		return false;
	fit->next = fit_lowest(t->root, size, ~(align - 1), lo, hi, &fit->start);
	return fit->next != NULL;
}

struct gap_node *gap_tree_first(const struct gap_tree *t)
{
	struct gap_node *n = t->root;

	while (n->left)
		n = n->left;
	return n == &t->anchor ? NULL : n;
}

struct gap_node *gap_tree_next(const struct gap_tree *t,
			       const struct gap_node *n)
{
	const struct gap_node *c;

	if (n->right) {
		n = n->right;
		while (n->left)
			n = n->left;
	} else {
		do {
			c = n;
			n = n->parent;
		} while (n && n->right == c);
	}
	return n == &t->anchor ? NULL : (struct gap_node *)n;
}

struct check_state {
	const struct gap_tree *t;
	const char *name;
	unsigned long prev_last;	/* first - 1 before the first range */
	unsigned long count;
	bool any;			/* a range seen yet */
	bool ok;
};

static void check_node(const struct gap_node *n, const struct gap_node *parent,
		       struct check_state *cs)
{
	unsigned long m, lo;
	int hl, hr;

	if (!n || !cs->ok)
		return;
	if (n->parent != parent) {
		pr_err("%s: node [%#lx-%#lx] has a wrong parent pointer\n",
		       cs->name, n->start, n->last);
		cs->ok = false;
		return;
	}
	check_node(n->left, n, cs);
	if (!cs->ok)
		return;
	lo = cs->any ? cs->prev_last + 1 : cs->t->first;
	if (n->start > n->last || n->start < lo) {
		pr_err("%s: range [%#lx-%#lx] out of order, overlapping or below the space (free from %#lx)\n",
		       cs->name, n->start, n->last, lo);
		cs->ok = false;
		return;
	}
	if (n->gap != n->start - lo) {
		pr_err("%s: range [%#lx-%#lx] gap %lu, should be %lu\n",
		       cs->name, n->start, n->last, n->gap, n->start - lo);
		cs->ok = false;
		return;
	}
	hl = height(n->left);
	hr = height(n->right);
	m = n->gap;
	if (max_gap(n->left) > m)
		m = max_gap(n->left);
	if (max_gap(n->right) > m)
		m = max_gap(n->right);
	if (n->max_gap != m || n->height != 1 + (hl > hr ? hl : hr) ||
	    hl - hr > 1 || hr - hl > 1) {
		pr_err("%s: node [%#lx-%#lx] max_gap %lu (want %lu) height %d (children %d/%d)\n",
		       cs->name, n->start, n->last, n->max_gap, m, n->height, hl, hr);
		cs->ok = false;
		return;
	}
	cs->prev_last = n->last;
	cs->any = true;
	cs->count++;
	check_node(n->right, n, cs);
}

bool gap_tree_check(const struct gap_tree *t, const char *name)
{
	struct check_state cs = { .t = t, .name = name, .ok = true };

	check_node(t->root, NULL, &cs);
	if (cs.ok && cs.count != t->nr + 1) {
		pr_err("%s: %lu nodes in the tree, %lu ranges counted\n",
		       name, cs.count, t->nr + 1);
		cs.ok = false;
	}
	if (cs.ok && (cs.prev_last != t->anchor.last ||
		      t->anchor.start != t->anchor.last)) {
		pr_err("%s: the anchor is not the last node\n", name);
		cs.ok = false;
	}
	return cs.ok;
}
