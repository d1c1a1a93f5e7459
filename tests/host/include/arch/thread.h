/* arch/thread.h for host builds: one thread, so spinlocks can count
 * preemption and lock debugging can name the holder. */
#ifndef ARCH_THREAD_H
#define ARCH_THREAD_H

#include "kernel/ipi.h"
#include "kernel/types.h"

struct arch_context {
	unsigned long sp;
};

struct thread;
extern struct thread host_thread;
static inline struct thread *arch_current(void) { return &host_thread; }

#endif
