/*
 * mm/dma-mapping.h - the DMA mapping API, in Linux's shape: how a driver
 * turns memory it owns into addresses its device can use, and back.
 *
 *	struct device dev;
 *	dma_device_init(&dev, "virtio-blk0");
 *	if (dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64)))
 *		return -EIO;
 *	dma_addr_t a = dma_map_single(&dev, buf, len, DMA_TO_DEVICE);
 *	if (dma_mapping_error(&dev, a))
 *		return -ENOMEM;
 *	...				// give `a` to the device, wait for it
 *	dma_unmap_single(&dev, a, len, DMA_TO_DEVICE);
 *
 * A DMA address (dma_addr_t) is what the device puts on the bus. Without
 * an IOMMU it is the physical address (the "direct" backend), or the
 * address of a bounce buffer when the device cannot reach the page (its
 * mask or its bus is too narrow): data is copied in and out of the bounce
 * pool (mm/swiotlb.h) at map, unmap and sync. With an IOMMU it is an I/O
 * virtual address in the device's domain (mm/dma-iommu.h): the IOMMU
 * translates it, and refuses anything not mapped. docs/mm/dma.md.
 *
 * Ownership: between map and unmap (or sync_for_cpu) the buffer belongs
 * to the device; the CPU must not touch it. sync_for_cpu hands it to the
 * CPU, sync_for_device back to the device.
 *
 * DMA debugging (`dma_debug=on|off`, default on) records every mapping and
 * reports misuse with the device name and where the mapping was made:
 * unmapping what was not mapped, double unmap, wrong size, direction or
 * function, sync of what is not mapped or outside it, and mappings still
 * live when a driver detaches (dma_debug_device_detach).
 *
 * Context: map, unmap and sync may be called with interrupts off and never
 * sleep; dma_alloc_coherent sleeps only if gfp allows it.
 */
#ifndef MM_DMA_MAPPING_H
#define MM_DMA_MAPPING_H

#include "kernel/device.h"
#include "kernel/errno.h"
#include "kernel/types.h"
#include "mm/gfp.h"
#include "kernel/lib/list.h"
#include "mm/mm_types.h"
#include "mm/mmzone.h"

#define DMA_BIT_MASK(n)		(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
#define DMA_MAPPING_ERROR	(~(dma_addr_t)0)

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,	/* the device reads the buffer */
	DMA_FROM_DEVICE = 2,	/* the device writes it */
	DMA_NONE = 3,
};

const char *dma_dir_name(enum dma_data_direction dir);

/* ---------------------------------------------------------------- scatterlist */

/*
 * One segment of a buffer made of pieces. dma_map_sg fills dma_address
 * and dma_length of the first n entries it returns; an IOMMU may merge
 * segments into fewer, longer DMA segments.
 */
struct scatterlist {
	struct page *page;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
	bool last;		/* end of the table */
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

void sg_init_table(struct scatterlist *sgl, unsigned int nents);
void sg_set_page(struct scatterlist *sg, struct page *page, unsigned int len,
		 unsigned int offset);
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int len);
static inline struct scatterlist *sg_next(struct scatterlist *sg)
{
	return sg->last ? NULL : sg + 1;
}
phys_addr_t sg_phys(const struct scatterlist *sg);
void *sg_virt(const struct scatterlist *sg);
#define for_each_sg(sglist, sg, nr, i) \
	for ((i) = 0, (sg) = (sglist); (i) < (nr); (i)++, (sg) = sg_next(sg))

/* ---------------------------------------------------------------- device */

/*
 * What a backend provides; a device's dma_ops (kernel/device.h) points at
 * one. NULL dma_ops means the direct backend.
 */
struct dma_map_ops {
	const char *name;
	dma_addr_t (*map_page)(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir);
	void (*unmap_page)(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir);
	int (*map_sg)(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sgl, int nents,
			 enum dma_data_direction dir);
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *handle,
		       gfp_t gfp);
	void (*free)(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t handle);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t addr,
				    size_t size, enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev, dma_addr_t addr,
				       size_t size, enum dma_data_direction dir);
	bool (*dma_supported)(struct device *dev, uint64_t mask);
};

/* Name the device and give it Linux's defaults (32-bit masks, direct). */
void dma_device_init(struct device *dev, const char *name);

/*
 * The device's bus sees CPU physical [cpu, cpu + size) at bus addresses
 * [bus, bus + size) (a device tree's dma-ranges: fdt_dma_range). Its DMA
 * addresses are then physical + (bus - cpu), memory outside the window
 * is bounced (the bounce pool must lie inside it), and coherent memory
 * must come from inside it. The Raspberry Pi 3's peripherals see the
 * first GiB at 0xc0000000 (the VideoCore's uncached alias); the Pi 4's
 * EMMC2 only the first GiB (30 bits). Direct DMA only.
 */
void dma_device_set_window(struct device *dev, phys_addr_t cpu, dma_addr_t bus,
			   uint64_t size);

/*
 * The device does not snoop the CPU's caches (the Raspberry Pi's
 * peripherals; arm64's dma-noncoherent). Then mapping a buffer, or
 * syncing it for the device, cleans its cache lines to memory (the device
 * reads what the CPU wrote, and no dirty line can later be evicted over
 * what the device writes); unmapping, or syncing for the CPU, a buffer
 * the device may have written (FROM_DEVICE, BIDIRECTIONAL) invalidates
 * them (the CPU reads what the device wrote, not a stale line). Buffers
 * should own whole cache lines: invalidating a line shared with other
 * data loses the CPU's writes to that data. dma_alloc_coherent is
 * refused for such a device (it would need an uncached mapping, which
 * this kernel does not make yet): use streaming mappings. Direct DMA only.
 */
void dma_device_set_noncoherent(struct device *dev);

/*
 * Set the masks (DMA_BIT_MASK(n)): 0, or -EIO if the backend cannot give
 * the device memory it reaches (the mask is then unchanged).
 */
int dma_set_mask(struct device *dev, uint64_t mask);
int dma_set_coherent_mask(struct device *dev, uint64_t mask);
int dma_set_mask_and_coherent(struct device *dev, uint64_t mask);
bool dma_supported(struct device *dev, uint64_t mask);

/*
 * Streaming mappings. The returned handle is DMA_MAPPING_ERROR on
 * failure (test with dma_mapping_error). Unmap with the same handle,
 * size and direction.
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
dma_addr_t dma_map_page(struct device *dev, struct page *page,
			unsigned long offset, size_t size,
			enum dma_data_direction dir);
void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir);
/* Returns the number of DMA segments (<= nents), 0 on failure. Unmap
 * with the nents given to dma_map_sg, not the number returned. */
int dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
	       enum dma_data_direction dir);
void dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir);

static inline int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	(void)dev;
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* Hand a streaming buffer to the CPU / back to the device. */
void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
			     enum dma_data_direction dir);
void dma_sync_single_for_device(struct device *dev, dma_addr_t addr,
				size_t size, enum dma_data_direction dir);

/*
 * Coherent memory: zeroed pages both CPU and device see at once, no sync
 * needed, for rings and descriptors. NULL on failure.
 */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle,
			 gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *vaddr,
		       dma_addr_t handle);

/*
 * Boot, before the page allocator takes memory: set the global bounce
 * pool aside where every device reaches (below 4 GiB, and below
 * bi->dma_limit, the device tree's narrowest dma-ranges: a Raspberry Pi 4
 * with more than 1 GiB would otherwise get a pool its card's DMA cannot
 * reach).
 */
struct boot_info;
void dma_reserve_early(const struct boot_info *bi);
/* Where the pool must end: min(ARCH_DMA32_LIMIT, bi->dma_limit). */
phys_addr_t dma_bounce_limit(const struct boot_info *bi);
/* Boot: the global bounce pool; reports the DMA setup. */
void dma_init(void);

/* ---------------------------------------------------------------- debug */

extern bool dma_debug_enabled;

/*
 * The driver of dev is going away: report each mapping still live (they
 * stay recorded, so a late unmap is still matched). Returns their number.
 */
unsigned long dma_debug_device_detach(struct device *dev);
/* Live mappings recorded, all devices. */
unsigned long dma_debug_live(void);
/* Print dev's live mappings (NULL: all devices), with their origin. */
void dma_debug_show(struct device *dev);

#endif
