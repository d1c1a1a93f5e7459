/*
 * kernel/stop_machine.h - run a function while every other CPU waits.
 *
 * stop_machine(fn, arg) runs fn(arg) on the caller's CPU with interrupts
 * off while every other online CPU spins with interrupts off, and returns
 * what fn returned. Meanwhile nothing else runs anywhere: no thread, no interrupt
 * handler. It is for code that needs a still picture of state each CPU
 * changes on its own without a lock (buddy_check() reads every CPU's
 * per-CPU page lists, which only their own CPU touches).
 *
 * How (Linux's stop_machine): each CPU has a stopper thread, "stop/N",
 * bound to it. A CPU switches to its stopper only where the thread it
 * runs could be preempted, so no CPU is stopped inside a spinlock's
 * section, where another CPU might be spinning for that lock with its
 * interrupts off and never arrive. The stoppers first gather with
 * interrupts on (one may still have to answer a cross-CPU call another
 * CPU is waiting for), then turn interrupts off together; the caller,
 * which takes part for its own CPU (preemption off: it stays there), runs
 * fn; all let go.
 *
 * The caller must be able to sleep; calls run one at a time. It costs two
 * thread switches on every other CPU: never on a fast path. Before the stoppers
 * exist (stop_machine_init(), after smp_init()) only one CPU runs, and fn
 * simply runs there with interrupts off.
 */
#ifndef KERNEL_STOP_MACHINE_H
#define KERNEL_STOP_MACHINE_H

int stop_machine(int (*fn)(void *arg), void *arg);

/* Make the stopper threads, one per online CPU (kernel_main). */
void stop_machine_init(void);

#endif
