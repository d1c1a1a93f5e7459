/*
 * arch/arm64/syscall_table.c - arm64's system-call numbers (Linux's
 * generic table, include/uapi/asm-generic/unistd.h), each to its portable
 * sys_* (kernel/syscall.h). A number left out answers -ENOSYS.
 */
#include "kernel/syscall.h"
#include "kernel/syscalls.h"

#define SC(nr, name)	[nr] = sys_##name

const syscall_fn_t arch_syscall_table[] = {
	SC(93, exit),
	SC(94, exit_group),
};
const unsigned int arch_nr_syscalls = ARRAY_SIZE(arch_syscall_table);

#undef SC
#define SC(nr, name)	[nr] = #name
const char *const arch_syscall_names[ARRAY_SIZE(arch_syscall_table)] = {
	SC(93, exit),
	SC(94, exit_group),
};
