/*
 * mm/dma_flush_kthread.c - the time bound of the IOMMU's lazy flush queues.
 *
 * In lazy mode (iommu.strict=0) an unmapped IOVA waits in a per-CPU flush
 * queue until one IOTLB invalidation covers a whole batch. mm/iova.c
 * flushes when a queue fills, and when a map or unmap finds the oldest
 * entry older than IOVA_FQ_TIMEOUT_NS. A device that goes quiet makes no
 * more maps or unmaps, so without this its stale translations would live
 * on indefinitely: this work item applies the time bound every 10 ms.
 * It runs in thread context (a workqueue), not in the timer interrupt,
 * because an invalidation may wait for the IOMMU.
 *
 * Kernel only (the *_kthread.c convention, docs/conventions.md): the host
 * has no workqueue. The step it repeats is portable:
 * iommu_dma_flush_queue_tick_all() (mm/dma-iommu.c) applies
 * iova_flush_queue_tick() (mm/iova.c, host-tested by the iova suites) to
 * every lazy domain.
 */
#include "kernel/workqueue.h"
#include "mm/dma-iommu.h"

#define FQ_TICK_MS	10

static struct delayed_work fq_work;

static void fq_tick(struct work_struct *w)
{
	iommu_dma_flush_queue_tick_all();
	schedule_delayed_work(&fq_work, FQ_TICK_MS);
}

void dma_flush_queue_timer_init(void)
{
	INIT_DELAYED_WORK(&fq_work, fq_tick);
	schedule_delayed_work(&fq_work, FQ_TICK_MS);
}
