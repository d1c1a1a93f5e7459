/*
 * tests/suites/null_blk.h - a disk that keeps nothing and completes every
 * request at once (Linux's null_blk), for the tests' fake stores: their
 * ->writepage issues its write here, through blk_submit, as a real file
 * system's does, so that the block layer sees it (DIRECT_RECLAIM_WRITE
 * counts writes submitted from direct reclaim: drivers/block/blk.h).
 */
#ifndef TESTS_SUITES_NULL_BLK_H
#define TESTS_SUITES_NULL_BLK_H

#include "drivers/block/blk.h"

/* The disk (not in the block layer's list: no flusher, no bdi). */
struct block_device *null_blk(void);
/* Write page to it through blk_execute with REQ_* flags: 0 or -errno. */
int null_blk_write_page(struct page *page, unsigned int req_flags);

#endif
