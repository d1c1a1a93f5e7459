/*
 * kernel/ksyms.h - the kernel's own symbol table (generated at link time
 * by tools/gensyms), so a backtrace can print names instead of numbers.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include "kernel/types.h"

struct ksym {
	unsigned long addr;
	unsigned int size;	/* 0 when the symbol's size is unknown */
	unsigned int name_off;	/* into ksym_names */
};

extern const unsigned long ksym_count;
extern const struct ksym ksym_table[];
extern const char ksym_names[];

/*
 * Find the symbol containing addr. Returns its name and sets *offset (from
 * the symbol's start); NULL if addr is not inside the kernel image.
 */
const char *ksym_lookup(unsigned long addr, unsigned long *offset);

/* Format "name+0x1c/0x80" (or the bare address) into buf. */
void ksym_format(char *buf, size_t size, unsigned long addr);

#endif
