/*
 * arch/x86_64/syscall_table.c - x86_64's system-call numbers (Linux's
 * arch/x86/entry/syscalls/syscall_64.tbl), each to its portable sys_*
 * (kernel/syscall.h). A number left out answers -ENOSYS.
 */
#include "kernel/syscall.h"
#include "kernel/syscalls.h"

#define SC(nr, name)	[nr] = sys_##name

const syscall_fn_t arch_syscall_table[] = {
	SC(60, exit),
	SC(231, exit_group),
};
const unsigned int arch_nr_syscalls = ARRAY_SIZE(arch_syscall_table);

#undef SC
#define SC(nr, name)	[nr] = #name
const char *const arch_syscall_names[ARRAY_SIZE(arch_syscall_table)] = {
	SC(60, exit),
	SC(231, exit_group),
};
