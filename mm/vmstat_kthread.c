/*
 * mm/vmstat_kthread.c - the vmstat shepherd: stale per-CPU counter
 * differences folded every VMSTAT_INTERVAL_MS (Linux's vmstat_shepherd
 * and vmstat_update, one work item here instead of one per CPU).
 *
 * A CPU folds its difference of a counter into the shared counter only
 * when the difference passes stat_threshold (mm/vmstat.c). A CPU that
 * stops updating a counter keeps what it holds, up to stat_threshold
 * pages, for as long as it stays quiet. The shepherd looks at every
 * online CPU's differences from here (reading is safe: a racing update
 * only makes the answer a hint), and has each CPU that holds any run
 * refresh_cpu_vm_stats() on itself, in an IPI: only the owning CPU may
 * write its differences, which its updates change without atomics.
 *
 * Kernel only (the *_kthread.c convention, docs/conventions.md): the
 * host has no workqueue or IPIs. The steps it uses are portable and
 * host-tested (cpu_vm_stats_need_fold, refresh_cpu_vm_stats).
 */
#include "kernel/percpu.h"
#include "kernel/smp.h"
#include "kernel/workqueue.h"
#include "mm/vmstat.h"

static struct delayed_work shepherd_work;

static void fold_this_cpu(void *arg)
{
	refresh_cpu_vm_stats(arg);
}

static void vmstat_shepherd(struct work_struct *w)
{
	unsigned long mask = 0;

	(void)w;
	for_each_online_cpu(cpu)
		if (cpu_vm_stats_need_fold(&contig_page_data, cpu))
			mask |= 1UL << cpu;
	if (mask)
		smp_call_function_many(mask, fold_this_cpu, &contig_page_data);
	schedule_delayed_work(&shepherd_work, VMSTAT_INTERVAL_MS);
}

void vmstat_shepherd_init(void)
{
	INIT_DELAYED_WORK(&shepherd_work, vmstat_shepherd);
	schedule_delayed_work(&shepherd_work, VMSTAT_INTERVAL_MS);
}
