/* kernel/bench.h - in-kernel benchmarks (kernel/bench.c). */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

/* With bench=GLOB: run those benchmarks, print figures, leave QEMU. */
void bench_run_requested(void);

/* bench=blk: virtio-blk throughput and IOPS (tests/kernel/blk_bench.c). */
void bench_blk(void);
/* bench=cma: issue 17's CMA and compaction figures
 * (tests/kernel/cma_bench.c; tools/bench-cma). */
void bench_cma(void);

#endif
