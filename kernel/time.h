/*
 * kernel/time.h - kernel time: the monotonic clock and the tick.
 *
 * clock_ns() is nanoseconds since kernel entry (arch_clock_ns). jiffies
 * counts timer ticks, HZ a second, from the moment the tick started.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include "kernel/types.h"
#include <arch/machine.h>

#define HZ 100

extern volatile uint64_t jiffies;

static inline uint64_t clock_ns(void) { return arch_clock_ns(); }

/* Called by the arch timer interrupt, HZ times a second, on every CPU. */
void timer_tick(void);

/* Busy-wait (for early boot and drivers; threads will sleep instead). */
void udelay(uint64_t us);

#endif
