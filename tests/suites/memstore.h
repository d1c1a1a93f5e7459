/*
 * tests/suites/memstore.h - an in-memory "file system" under one page
 * cache mapping, for the page-cache tests (filemap suites): the file's
 * bytes on the store are an array. Reads and write-backs complete at
 * once, or, in queued mode, later (memstore_complete(): the host test
 * runs it as the host's idle work, so a wait_on_page_locked completes
 * the I/O it waits for, as an interrupt would). A read or a write-back
 * of one page index can be made to fail with -EIO on command.
 */
#ifndef TESTS_SUITES_MEMSTORE_H
#define TESTS_SUITES_MEMSTORE_H

#include "kernel/file.h"
#include "mm/filemap.h"

#define MEMSTORE_QUEUE	256

struct memstore {
	struct address_space mapping;	/* first: a_ops find the store */
	unsigned char *data;		/* the file's bytes on the store */
	size_t cap;			/* bytes data can hold */
	bool queued;			/* complete I/O in memstore_complete */
	long fail_read_index;		/* -1: none; else reads of it fail */
	long fail_write_index;		/* -1: none; else writes of it fail */
	unsigned long reads, writes;	/* pages read / written back */
	unsigned long readahead_calls;	/* ->readahead batches */
	unsigned int nq;
	struct { struct page *page; bool write; } q[MEMSTORE_QUEUE];
};

/* A store of cap bytes (data, zeroed), its mapping (pages from node: NULL
 * = the kernel's), with or without a ->readahead batch op. */
void memstore_init(struct memstore *ms, unsigned char *data, size_t cap,
		   pg_data_t *node, bool with_readahead);
/* Complete every queued request (FIFO); true if there was one. */
bool memstore_complete(struct memstore *ms);
/* The mapping is done with (its pages already gone): off the dirty
 * list, the index's nodes and their cache freed. */
void memstore_destroy(struct memstore *ms);
/* The file system's part of truncate: blocks beyond size are freed
 * (they read as zeros if the file grows again). */
void memstore_truncate(struct memstore *ms, loff_t size);
/* The store's ->writepage (tests wrap it). */
int memstore_writepage(struct page *page, struct writeback_control *wbc);
/* An open file of the store, for filemap_read and friends. */
void memstore_file(struct memstore *ms, struct file *f);

#endif
