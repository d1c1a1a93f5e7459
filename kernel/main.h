/* kernel/main.h - the portable kernel's entry, called by each arch. */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include "boot/boot_info.h"

/*
 * Called once on the boot CPU with interrupts off, a console registered,
 * exceptions reported, and memory below the arch's early limit mapped.
 */
__noreturn void kernel_main(struct boot_info *bi);

#endif
