/*
 * mm/workingset.h - refault detection (Linux's mm/workingset.c):
 * recognising that a page just read back in was evicted too early.
 * docs/mm/reclaim.md, "Refaults".
 *
 * When reclaim evicts a page-cache page it leaves a shadow in the page's
 * slot of the index: a value entry holding the node's eviction clock
 * (lruvec->nonresident_age, which ticks on every eviction and
 * activation). When the page is read in again at that offset, the
 * refault distance is the clock's advance since its eviction: how many
 * pages were evicted or activated meanwhile. Had the active list been
 * that much bigger, the page would have stayed: so if the distance is at
 * most the active file list's size (plus the anon lists once there is
 * swap to make room from them, as Linux), the refaulting page belongs to
 * the working set
 * and goes straight to the active list (WORKINGSET_ACTIVATE_FILE). Every
 * refault counts WORKINGSET_REFAULT_FILE: a thrashing file set shows up
 * as that counter climbing while the cache stays full.
 */
#ifndef MM_WORKINGSET_H
#define MM_WORKINGSET_H

#include "kernel/types.h"
#include "mm/mm_types.h"

/* page (locked, being evicted from its mapping) -> the shadow to store
 * in its slot (a value entry), ticking the clock. */
void *workingset_eviction(struct page *page);
/* A new page is being added where shadow was: count the refault, and set
 * PG_active (and PG_workingset) if the distance says it belongs to the
 * working set. */
void workingset_refault(struct page *page, void *shadow);
/*
 * Could shadow (a value entry of page's mapping) still activate a
 * refault? false once its distance is beyond the node's size: no active
 * list could have kept it, so the shadow is noise and may be erased
 * (WORKINGSET_NODERECLAIM; Linux's shadow-node shrinker). page is any
 * page of the node, for its clock.
 */
bool workingset_shadow_stale(struct page *page, void *shadow);
/* page moved to the active list: ticks the clock. */
void workingset_activation(struct page *page);

#endif
