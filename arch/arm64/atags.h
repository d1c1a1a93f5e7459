/*
 * arch/arm64/atags.h - reading an ATAG list into struct boot_info (QEMU
 * raspi3b without a device tree). A candidate for boot/ if another board
 * ever needs it.
 */
#ifndef ARCH_ARM64_ATAGS_H
#define ARCH_ARM64_ATAGS_H

#include "boot/boot_info.h"

/* True if p (8 readable bytes) starts with ATAG_CORE. */
bool atags_present(const void *p);

/* Fill *bi from the list at `list` (4 KiB readable, at list_phys): RAM
 * from ATAG_MEM, the command line from ATAG_CMDLINE. 0, or -1 + err. */
int atags_to_boot_info(const void *list, uint64_t list_phys, struct boot_info *bi,
		       char *err, size_t errlen);

#endif
