/*
 * kernel/syscalls.h - every system call the kernel implements, for the
 * arch tables (arch/<arch>/syscall_table.c). Defined with SYSCALL_DEFINEn
 * (kernel/syscall.h) in the file of their area.
 */
#ifndef KERNEL_SYSCALLS_H
#define KERNEL_SYSCALLS_H

#define DECLARE_SYSCALL(name)	long sys_##name(const unsigned long *args)

DECLARE_SYSCALL(exit);
DECLARE_SYSCALL(exit_group);

#endif
