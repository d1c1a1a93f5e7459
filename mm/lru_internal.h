/*
 * mm/lru_internal.h - what reclaim (mm/vmscan.c) needs from the LRU lists
 * beyond mm/lru.h: isolating a batch from a list's tail and putting a
 * batch back, each under one hold of lru_lock.
 */
#ifndef MM_LRU_INTERNAL_H
#define MM_LRU_INTERNAL_H

#include "mm/lru.h"

/*
 * Look at up to nr_to_scan pages from the tail (oldest end) of list lru;
 * each with a reference still held by someone is taken off (PG_lru
 * cleared, NR_ISOLATED_* counted), gets a reference of reclaim's own, and
 * goes on dst, oldest first. A page whose last reference is being dropped
 * is skipped (put_page is freeing it). *nr_scanned: pages looked at.
 * Returns pages taken.
 */
unsigned long isolate_lru_pages(struct lruvec *lruvec, enum lru_list lru,
				unsigned long nr_to_scan,
				struct list_head *dst,
				unsigned long *nr_scanned);

/*
 * Put every page of list (each isolated by isolate_lru_pages, holding
 * reclaim's reference) back at the head of the list its flags name, then
 * drop reclaim's reference (the last one frees the page). Pages put on an
 * active list tick the workingset clock. list is empty afterwards.
 */
void putback_lru_pages(struct lruvec *lruvec, struct list_head *list);

#endif
