/*
 * mm/dma_flush_kthread.c - the time bound of the IOMMU's lazy flush queues.
 *
 * In lazy mode (iommu.strict=0) an unmapped IOVA waits in a per-CPU flush
 * queue until one IOTLB invalidation covers a whole batch. mm/iova.c
 * flushes when a queue fills; the time bound (the oldest entry has waited
 * IOVA_FQ_TIMEOUT_NS) is applied here, by two work items:
 *  - the kick: an unmap that finds the bound due asks for it
 *    (iommu_dma_fq_kick), and the flush runs as soon as a kworker gets a
 *    CPU, rather than in the unmap, which is often a request's completion
 *    path (Linux's flush queue likewise flushes from a timer);
 *  - the tick, every 10 ms: a device that goes quiet makes no more
 *    unmaps, so without it its stale translations would live on
 *    indefinitely.
 * Both run in thread context (a workqueue), not in the timer interrupt,
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

static void fq_due(struct work_struct *w)
{
	iommu_dma_flush_queue_tick_all();
}

static DECLARE_WORK(fq_due_work, fq_due);

/* From queue_iova, interrupts possibly off: only queue the work. */
static void fq_kick(void)
{
	schedule_work(&fq_due_work);
}

void dma_flush_queue_timer_init(void)
{
	INIT_DELAYED_WORK(&fq_work, fq_tick);
	schedule_delayed_work(&fq_work, FQ_TICK_MS);
	iommu_dma_fq_kick = fq_kick;
}
