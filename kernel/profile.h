/*
 * kernel/profile.h - a sampling profiler on the timer tick, for finding
 * where the CPUs spend a benchmark's time (Linux's readprofile, in a
 * smaller form):
 *
 *	mm> profile start
 *	mm> run memhog 192M
 *	mm> profile stop
 *	mm> profile show 20
 *
 * Every tick (HZ per second on each CPU) records the program counter the
 * timer interrupted. `show` groups the samples by kernel function and
 * prints the most frequent, with user mode and the idle loop as buckets of
 * their own. Code that runs with interrupts off is never interrupted by
 * the tick, so its time lands on the first instruction after it turns them
 * back on (spin_unlock_irqrestore): read a large share there as "time in
 * the section that ended here".
 */
#ifndef KERNEL_PROFILE_H
#define KERNEL_PROFILE_H

#include "kernel/types.h"

struct pt_regs;

/*
 * The register frame of the interrupt this CPU is handling (Linux's
 * get_irq_regs), NULL outside one. Each architecture's interrupt entry
 * sets it around the handler with set_irq_regs(), which returns the
 * previous value for the entry to restore (interrupts can nest).
 */
struct pt_regs *get_irq_regs(void);
struct pt_regs *set_irq_regs(struct pt_regs *regs);

/* Called by timer_tick() on every CPU, interrupts off. */
void profile_tick(void);

/*
 * Start (clearing the samples: room for max of them; 0 = the default),
 * stop, and print the top n functions. start returns -ENOMEM if the
 * buffer cannot be had, -EBUSY if already running.
 */
int profile_start(unsigned long max);
void profile_stop(void);
void profile_show(unsigned int n);

#endif
