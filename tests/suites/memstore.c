/*
 * tests/suites/memstore.c - the in-memory store of the page-cache tests
 * (memstore.h).
 */
#include "kernel/lib/string.h"
#include "mm/page_alloc.h"
#include "mm/slab.h"
#include "tests/suites/memstore.h"

static struct memstore *to_ms(struct address_space *mapping)
{
	return (struct memstore *)mapping;
}

static void complete_read(struct memstore *ms, struct page *page)
{
	loff_t off = (loff_t)page->index << PAGE_SHIFT;
	loff_t size = ms->mapping.size;
	size_t n = 0;

	if (off < size)
		n = size - off < (loff_t)PAGE_SIZE ? (size_t)(size - off) : PAGE_SIZE;
	if (off + (loff_t)n > (loff_t)ms->cap)
		n = off < (loff_t)ms->cap ? (size_t)(ms->cap - off) : 0;
	ms->reads++;
	if ((long)page->index == ms->fail_read_index) {
		SetPageError(page);
	} else {
		memcpy(page_address(page), ms->data + off, n);
		memset((char *)page_address(page) + n, 0, PAGE_SIZE - n);
		SetPageUptodate(page);
	}
	unlock_page_wake(page);
}

static void complete_write(struct memstore *ms, struct page *page)
{
	loff_t off = (loff_t)page->index << PAGE_SHIFT;
	loff_t size = ms->mapping.size;
	size_t n = 0;

	if (off < size)
		n = size - off < (loff_t)PAGE_SIZE ? (size_t)(size - off) : PAGE_SIZE;
	if (off + (loff_t)n > (loff_t)ms->cap)
		n = off < (loff_t)ms->cap ? (size_t)(ms->cap - off) : 0;
	ms->writes++;
	if ((long)page->index == ms->fail_write_index) {
		SetPageError(page);	/* as ext2: the page keeps the data */
		mapping_set_error(&ms->mapping, -EIO);
	} else
		memcpy(ms->data + off, page_address(page), n);
	end_page_writeback(page);
}

static void queue(struct memstore *ms, struct page *page, bool write)
{
	if (ms->nq == MEMSTORE_QUEUE)
		memstore_complete(ms);	/* a full device: oldest first */
	ms->q[ms->nq].page = page;
	ms->q[ms->nq].write = write;
	ms->nq++;
}

bool memstore_complete(struct memstore *ms)
{
	unsigned int n = ms->nq, i;

	ms->nq = 0;
	for (i = 0; i < n; i++) {
		if (ms->q[i].write)
			complete_write(ms, ms->q[i].page);
		else
			complete_read(ms, ms->q[i].page);
	}
	return n > 0;
}

static int ms_read_folio(struct file *file, struct page *page)
{
	struct memstore *ms = to_ms(page->mapping);

	(void)file;
	if (ms->queued)
		queue(ms, page, false);
	else
		complete_read(ms, page);
	return 0;
}

static void ms_readahead(struct address_space *mapping, struct page **pages,
			 unsigned int nr)
{
	struct memstore *ms = to_ms(mapping);

	ms->readahead_calls++;
	for (unsigned int i = 0; i < nr; i++)
		ms_read_folio(NULL, pages[i]);
}

int memstore_writepage(struct page *page, struct writeback_control *wbc)
{
	struct memstore *ms = to_ms(page->mapping);

	(void)wbc;
	set_page_writeback(page);
	unlock_page_wake(page);
	if (ms->queued)
		queue(ms, page, true);
	else
		complete_write(ms, page);
	return 0;
}

static const struct address_space_operations ms_aops = {
	.read_folio = ms_read_folio,
	.writepage = memstore_writepage,
	.write_begin = simple_write_begin,
	.write_end = simple_write_end,
	.migrate_folio = filemap_migrate_folio,
};

static const struct address_space_operations ms_aops_ra = {
	.read_folio = ms_read_folio,
	.readahead = ms_readahead,
	.writepage = memstore_writepage,
	.write_begin = simple_write_begin,
	.write_end = simple_write_end,
	.migrate_folio = filemap_migrate_folio,
};

void memstore_init(struct memstore *ms, unsigned char *data, size_t cap,
		   pg_data_t *node, bool with_readahead)
{
	memset(ms, 0, sizeof(*ms));
	address_space_init(&ms->mapping, with_readahead ? &ms_aops_ra : &ms_aops,
			   ms);
	ms->mapping.node = node;
	/* The index's nodes from the arena too: every page accounted for
	 * (and the host's global node has no memory). */
	if (node)
		ms->mapping.i_pages.node_cache = xa_node_cache_create(node);
	ms->mapping.name = "memstore";
	ms->data = data;
	ms->cap = cap;
	ms->fail_read_index = -1;
	ms->fail_write_index = -1;
	memset(data, 0, cap);
}

void memstore_destroy(struct memstore *ms)
{
	struct kmem_cache *cache = ms->mapping.i_pages.node_cache;

	mapping_forget_dirty(&ms->mapping);
	xa_destroy(&ms->mapping.i_pages);
	if (cache)
		kmem_cache_destroy(cache);
	ms->mapping.i_pages.node_cache = NULL;
}

void memstore_truncate(struct memstore *ms, loff_t size)
{
	if (size < (loff_t)ms->cap)
		memset(ms->data + size, 0, ms->cap - (size_t)size);
}

void memstore_file(struct memstore *ms, struct file *f)
{
	memset(f, 0, sizeof(*f));
	f->f_count = 1;
	f->f_flags = O_RDWR;
	f->f_mapping = &ms->mapping;
	file_ra_state_init(&f->f_ra);
	f->f_wb_err = filemap_sample_wb_err(&ms->mapping);	/* as open */
}
