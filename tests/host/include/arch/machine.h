/* arch/machine.h for host builds. */
#ifndef ARCH_MACHINE_H
#define ARCH_MACHINE_H

#include "kernel/types.h"

uint64_t arch_clock_ns(void);
__noreturn void arch_poweroff(void);
__noreturn void arch_test_exit(bool passed);
__noreturn void arch_halt(void);
const char *arch_machine_name(void);

static inline void arch_panic_trap(void) { }

#endif
