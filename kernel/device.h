/*
 * kernel/device.h - struct device: the minimal part of Linux's struct
 * device, what the DMA API and the IOMMU layer keep per device. A bus
 * driver embeds it in its own device structure (struct pci_dev's dev,
 * virtio-mmio's dev) and passes &x->dev to dma_*() calls.
 *
 * It lives in kernel/, not in mm/dma-mapping.h, because a device is not
 * an mm idea: buses, drivers and (next) the block layer name devices
 * without doing DMA. The fields are the DMA API's (mm/dma-mapping.h, with
 * dma_device_init() to set them up) and the IOMMU layer's
 * (mm/dma-iommu.h); this header only needs their types' names.
 */
#ifndef KERNEL_DEVICE_H
#define KERNEL_DEVICE_H

#include "kernel/types.h"
#include "kernel/lib/list.h"

struct dma_map_ops;
struct iommu_domain;
struct io_tlb_pool;
struct pglist_data;

/* dma_mask is a value here, not Linux's pointer. */
struct cma;

struct device {
	const char *name;
	uint64_t dma_mask;		/* streaming mappings (map_*) */
	uint64_t coherent_dma_mask;	/* dma_alloc_coherent */
	uint64_t bus_dma_limit;		/* 0, or the highest address the bus
					 * reaches (e.g. the Pi 4's PCIe) */
	/* The bus's window (dma_device_set_window: a device tree's
	 * dma-ranges): DMA address = physical + dma_bus_offset (mod 2^64),
	 * and bus addresses below dma_bus_base are not RAM to the device.
	 * 0 and 0 for 1:1. */
	uint64_t dma_bus_offset;
	uint64_t dma_bus_base;
	bool dma_noncoherent;		/* does not snoop the CPU caches */
	bool dma_force_bounce;		/* direct: bounce everything */
	const struct dma_map_ops *dma_ops;	/* NULL: direct */
	struct iommu_domain *domain;	/* when attached to one */
	struct io_tlb_pool *dma_io_tlb_mem;	/* bounce pool; NULL: global */
	struct pglist_data *node;	/* coherent memory from; NULL: global */
	struct cma *cma_area;		/* large coherent buffers from (Linux's
					 * name); NULL: the default region */
	struct list_head iommu_node;	/* in domain->devices */
	struct list_head dma_debug_list;	/* live mappings (dma-debug) */
	unsigned long dma_debug_count;
};

#endif
