/*
 * mm/dma-internal.h - what the DMA mapping files tell each other: the
 * direct backend's functions and the dma-debug hooks. Not for drivers.
 */
#ifndef MM_DMA_INTERNAL_H
#define MM_DMA_INTERNAL_H

#include "mm/dma-mapping.h"

/* The direct backend (mm/dma-direct.c). */
dma_addr_t dma_direct_map_page(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir);
void dma_direct_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
			   enum dma_data_direction dir);
int dma_direct_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      enum dma_data_direction dir);
void dma_direct_unmap_sg(struct device *dev, struct scatterlist *sgl,
			 int nents, enum dma_data_direction dir);
void *dma_direct_alloc(struct device *dev, size_t size, dma_addr_t *handle,
		       gfp_t gfp);
void dma_direct_free(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t handle);
void dma_direct_sync_single_for_cpu(struct device *dev, dma_addr_t addr,
				    size_t size, enum dma_data_direction dir);
void dma_direct_sync_single_for_device(struct device *dev, dma_addr_t addr,
				       size_t size, enum dma_data_direction dir);
bool dma_direct_supported(struct device *dev, uint64_t mask);
/* Can dev reach [addr, addr + size) with mask (and its bus limit)? */
bool dma_capable(struct device *dev, dma_addr_t addr, size_t size,
		 uint64_t mask);

/* Generic helpers for backends: a coherent buffer's pages (2^*order,
 * zeroed; from CMA when suitable, see mm/dma-mapping.c) and their free. */
struct page *dma_alloc_pages_for(struct device *dev, size_t size, gfp_t gfp,
				 unsigned int *order);
void dma_free_pages_for(struct device *dev, struct page *pg, unsigned int order);

/* dma-debug hooks (mm/dma-debug.c); caller = the driver's return address. */
enum dma_debug_type { DMA_DEBUG_SINGLE, DMA_DEBUG_PAGE, DMA_DEBUG_SG,
		      DMA_DEBUG_COHERENT };
void debug_dma_map(struct device *dev, dma_addr_t addr, size_t size,
		   enum dma_data_direction dir, enum dma_debug_type type,
		   phys_addr_t phys, unsigned long caller);
/*
 * Check an unmap against the record and forget it. Returns false when
 * nothing was mapped there (reported; the caller must not unmap). A wrong
 * size or direction is reported and *size and *dir are set to what was
 * mapped, so the backend undoes exactly the mapping.
 */
bool debug_dma_unmap(struct device *dev, dma_addr_t addr, size_t *size,
		     enum dma_data_direction *dir, enum dma_debug_type type,
		     unsigned long caller);
void debug_dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		      int mapped, enum dma_data_direction dir,
		      unsigned long caller);
bool debug_dma_unmap_sg(struct device *dev, struct scatterlist *sgl,
			int nents, enum dma_data_direction *dir,
			unsigned long caller);
bool debug_dma_sync(struct device *dev, dma_addr_t addr, size_t size,
		    enum dma_data_direction dir, bool for_device,
		    unsigned long caller);

#endif
